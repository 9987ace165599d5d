package emulator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// The methods of emulator/engine's *_more files (undo, clones, expression
// checks, search, table data, connections, bookmarks), through enigma-go's
// typed calls; every reply is also checked against the schema.

func TestEnigmaGoUndoAndClone(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	sheet, err := doc.CreateObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Id: "sh1", Type: "sheet"}})
	must(t, "CreateObject", err)
	_, err = sheet.CreateChild(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Id: "kid", Type: "kpi"}}, nil)
	must(t, "CreateChild", err)
	must(t, "ApplyPatches", sheet.ApplyPatches(ctx, []*enigma.NxPatch{{Op: "add", Path: "/title", Value: `"Mine"`}}, false))
	ok, err := doc.Undo(ctx)
	must(t, "Undo", err)
	props, err := sheet.GetPropertiesRaw(ctx)
	must(t, "GetProperties", err)
	if !ok || len(props) == 0 || containsTitle(props) {
		t.Fatalf("Undo %v: properties %s", ok, props)
	}
	ok, err = doc.Redo(ctx)
	must(t, "Redo", err)
	props, _ = sheet.GetPropertiesRaw(ctx)
	if !ok || !containsTitle(props) {
		t.Fatalf("Redo %v: properties %s", ok, props)
	}
	if n, err := doc.BackCount(ctx); err != nil || n != 0 {
		t.Errorf("BackCount %d %v", n, err)
	}
	id, err := doc.CloneObject(ctx, "sh1")
	must(t, "CloneObject", err)
	clone, err := doc.GetObject(ctx, id)
	must(t, "GetObject clone", err)
	kids, err := clone.GetChildInfos(ctx)
	must(t, "GetChildInfos", err)
	if len(kids) != 1 || kids[0].Id == "kid" {
		t.Errorf("clone children %+v", kids)
	}
	_, err = doc.CreateMeasure(ctx, &enigma.GenericMeasureProperties{Info: &enigma.NxInfo{Id: "m1", Type: "measure"},
		Measure: &enigma.NxLibraryMeasureDef{Def: "Sum(Sales)", Label: "Revenue"}})
	must(t, "CreateMeasure", err)
	m, err := doc.GetMeasureWithLabel(ctx, "Revenue")
	must(t, "GetMeasureWithLabel", err)
	mid, err := doc.CloneMeasure(ctx, "m1")
	must(t, "CloneMeasure", err)
	if mid == "" || mid == "m1" || m.GenericId != "m1" {
		t.Errorf("CloneMeasure %q, GetMeasureWithLabel %q", mid, m.GenericId)
	}
	links, err := m.GetLinkedObjects(ctx)
	must(t, "GetLinkedObjects", err)
	if len(links) != 0 {
		t.Errorf("GetLinkedObjects %+v", links)
	}
}

// containsTitle reports whether raw properties hold the title "Mine".
func containsTitle(raw []byte) bool {
	return strings.Contains(string(raw), `"title":"Mine"`)
}

func TestEnigmaGoExpressionChecks(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	msg, bad, dangerous, err := doc.CheckExpression(ctx, "=Sum(Sale)", nil)
	must(t, "CheckExpression", err)
	if msg != "" || len(bad) != 1 || bad[0].From != 5 || bad[0].Count != 4 || len(dangerous) != 0 {
		t.Errorf("CheckExpression: %q %+v %+v", msg, bad, dangerous)
	}
	msg, _, err = doc.CheckNumberOrExpression(ctx, "=Sum(")
	must(t, "CheckNumberOrExpression", err)
	if msg == "" {
		t.Errorf("CheckNumberOrExpression: no message for a syntax error")
	}
	exp, err := doc.ExpandExpression(ctx, "$(vDemoTotal)*2")
	must(t, "ExpandExpression", err)
	if exp != "114*2" {
		t.Errorf("ExpandExpression %q", exp)
	}
	fields, err := doc.GetFieldsFromExpression(ctx, "Sum(Sales*Price)")
	must(t, "GetFieldsFromExpression", err)
	if len(fields) != 2 {
		t.Errorf("GetFieldsFromExpression %v", fields)
	}
	f, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	_, err = f.Select(ctx, "East", false, 0)
	must(t, "Select", err)
	set, err := doc.GetSetAnalysis(ctx, "", "")
	must(t, "GetSetAnalysis", err)
	if set != "{$<Region={'East'}>}" {
		t.Errorf("GetSetAnalysis %q", set)
	}
	matching, err := doc.GetMatchingFields(ctx, []string{"$text"}, "")
	must(t, "GetMatchingFields", err)
	if len(matching) == 0 {
		t.Errorf("GetMatchingFields: none")
	}
}

func TestEnigmaGoSearch(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	max := -1
	opts := &enigma.SearchCombinationOptions{Context: "Cleared"}
	res, err := doc.SearchResults(ctx, opts, []string{"car"}, &enigma.SearchPage{Count: 10, MaxNbrFieldMatches: &max})
	must(t, "SearchResults", err)
	if res.TotalNumberOfGroups != 1 || len(res.SearchGroupArray) != 1 {
		t.Fatalf("SearchResults %+v", res)
	}
	found := map[string]string{}
	for _, it := range res.SearchGroupArray[0].Items {
		for _, m := range it.ItemMatches {
			found[m.Text] = it.Identifier
		}
	}
	if found["Carrot"] != "Product" || found["Carol"] != "Customer" {
		t.Errorf("SearchResults matches %v", found)
	}
	sugg, err := doc.SearchSuggest(ctx, opts, []string{"ba"})
	must(t, "SearchSuggest", err)
	if len(sugg.Suggestions) == 0 {
		t.Errorf("SearchSuggest: none")
	}
	if _, err := doc.SearchAssociations(ctx, opts, []string{"car"}, &enigma.SearchPage{Count: 10}); err != nil {
		t.Errorf("SearchAssociations: %v", err)
	}
	vals, err := doc.SearchValues(ctx, &enigma.SearchValueOptions{SearchFields: []string{"Product"}}, []string{"car"}, &enigma.SearchValuePage{Count: 5, MaxNbrFieldMatches: &max})
	must(t, "SearchValues", err)
	if len(vals.FieldMatches) != 1 || vals.FieldMatches[0].Values[0].Text != "Carrot" {
		t.Errorf("SearchValues %+v", vals)
	}
	must(t, "SelectAssociations", doc.SelectAssociations(ctx, &enigma.SearchCombinationOptions{Context: "Cleared", SearchFields: []string{"Product"}}, []string{"carrot"}, 0, false))
	egEval(t, ctx, doc, "Sum(Sales)", "42")
	_, err = doc.CreateObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Id: "bar", Type: "barchart"}})
	must(t, "CreateObject", err)
	objs, err := doc.SearchObjects(ctx, &enigma.SearchObjectOptions{}, []string{"barchart"}, &enigma.SearchPage{Count: 5})
	must(t, "SearchObjects", err)
	if len(objs.SearchGroupArray) != 1 || objs.SearchGroupArray[0].Items[0].Identifier != "bar" {
		t.Errorf("SearchObjects %+v", objs)
	}
}

func TestEnigmaGoDataConnectionsBookmarks(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	rows, err := doc.GetTableData(ctx, 0, 10, false, "Products")
	must(t, "GetTableData", err)
	if len(rows) != 4 || rows[0].Value[1].Text != "Apple" || float64(rows[3].Value[3].Number) != 5 {
		t.Errorf("GetTableData %+v", rows)
	}
	vars, err := doc.GetVariables(ctx, &enigma.VariableListDef{Type: "variable"})
	must(t, "GetVariables", err)
	if len(vars) == 0 {
		t.Errorf("GetVariables: none")
	}
	id, err := doc.CreateConnection(ctx, &enigma.Connection{Name: "src", ConnectionString: "/data", Type: "folder"})
	must(t, "CreateConnection", err)
	c, err := doc.GetConnection(ctx, id)
	must(t, "GetConnection", err)
	all, err := doc.GetConnections(ctx)
	must(t, "GetConnections", err)
	if c.Name != "src" || len(all) != 1 || all[0].Id != id {
		t.Errorf("connection %+v, list %+v", c, all)
	}
	must(t, "ModifyConnection", doc.ModifyConnection(ctx, id, &enigma.Connection{Name: "src2", ConnectionString: "/x"}, false))
	must(t, "DeleteConnection", doc.DeleteConnection(ctx, id))
	libs, err := doc.GetContentLibraries(ctx)
	must(t, "GetContentLibraries", err)
	if len(libs.Items) != 2 {
		t.Errorf("GetContentLibraries %+v", libs)
	}
	script, err := doc.GetScriptEx(ctx)
	must(t, "GetScriptEx", err)
	if script.Script == "" {
		t.Errorf("GetScriptEx: empty script")
	}
	media, err := doc.GetMediaList(ctx)
	must(t, "GetMediaList", err)
	if media == nil {
		t.Errorf("GetMediaList: nil")
	}

	f, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	_, err = f.Select(ctx, "North", false, 0)
	must(t, "Select", err)
	bm, err := doc.CreateBookmark(ctx, &enigma.GenericBookmarkProperties{Info: &enigma.NxInfo{Id: "b1", Type: "bookmark"}})
	must(t, "CreateBookmark", err)
	must(t, "ClearAll", doc.ClearAll(ctx, false, ""))
	res, err := doc.ApplyAndVerifyBookmark(ctx, "b1")
	must(t, "ApplyAndVerifyBookmark", err)
	if !res.ApplySuccess || len(res.Warnings) != 0 {
		t.Errorf("ApplyAndVerifyBookmark %+v", res)
	}
	egEval(t, ctx, doc, "Sum(Sales)", "60")
	vals, err := bm.GetFieldValues(ctx, "Region", false, &enigma.BookmarkFieldPage{EndIndex: 10})
	must(t, "GetFieldValues", err)
	if len(vals) != 1 || vals[0].Text != "North" {
		t.Errorf("GetFieldValues %+v", vals)
	}
	must(t, "ClearAll", doc.ClearAll(ctx, false, ""))
	_, err = doc.ReplaceBookmark(ctx, "b1", false, nil)
	must(t, "ReplaceBookmark", err)
	ok, err := bm.Apply(ctx)
	must(t, "Apply", err)
	if !ok {
		t.Errorf("Apply false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	must(t, "AddSessionAlternateState", doc.AddSessionAlternateState(ctx, "S1", ""))
}

// egSessionData is egSession over a library with a data folder.
func egSessionData(t *testing.T, dir string) (context.Context, *enigma.Global) {
	t.Helper()
	_, hs := testServer(t, Config{Library: defaultLibrary(dir, NoReloadPace)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	rec := &egTraffic{sent: map[int64]egCall{}}
	g, err := enigma.Dialer{TrafficLogger: rec}.Dial(ctx, wsURL(hs, "/app/"), nil)
	must(t, "Dial", err)
	t.Cleanup(func() {
		g.DisconnectFromServer()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		for _, p := range dedupeProblems(checkRepliesAgainstSchema(t, rec.sent, rec.recv)) {
			t.Errorf("reply differs from the schema: %s", p)
		}
	})
	return ctx, g
}

func TestEnigmaGoModelTools(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sales.csv"), []byte("Region,Amount\nNorth,10\nSouth,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, g := egSessionData(t, dir)
	doc, err := g.CreateSessionApp(ctx)
	must(t, "CreateSessionApp", err)
	id, err := doc.CreateConnection(ctx, &enigma.Connection{Name: "data", ConnectionString: dir, Type: "folder"})
	must(t, "CreateConnection", err)
	items, err := doc.GetFolderItemsForConnection(ctx, id, "")
	must(t, "GetFolderItemsForConnection", err)
	if len(items) != 1 || items[0].Name != "sales.csv" || items[0].Type != "FILE" {
		t.Errorf("folder items %+v", items)
	}
	format, err := doc.GuessFileType(ctx, id, "sales.csv")
	must(t, "GuessFileType", err)
	fields, spec, err := doc.GetFileTableFields(ctx, id, "sales.csv", format, "sales")
	must(t, "GetFileTableFields", err)
	preview, _, err := doc.GetFileTablePreview(ctx, id, "sales.csv", format, "sales")
	must(t, "GetFileTablePreview", err)
	if len(fields) != 2 || len(preview) != 2 || preview[1].Values[0] != "South" {
		t.Errorf("fields %+v preview %+v", fields, preview)
	}
	if _, err := doc.GetFileTables(ctx, id, "sales.csv", format); err != nil {
		t.Errorf("GetFileTables: %v", err)
	}
	if _, err := doc.GetFileTablesEx(ctx, id, "sales.csv", format); err != nil {
		t.Errorf("GetFileTablesEx: %v", err)
	}
	must(t, "SetScript", doc.SetScript(ctx, "Sales: LOAD * FROM [lib://data/sales.csv] "+spec+";\nRegions: LOAD * INLINE [\nRegion, Manager\nNorth, Ann\nSouth, Bo\n];"))
	ok, err := doc.DoReload(ctx, 0, false, false)
	must(t, "DoReload", err)
	if !ok {
		t.Fatal("DoReload false")
	}
	egEval(t, ctx, doc, "Sum(Amount)", "30")
	lineage, err := doc.GetLineage(ctx)
	must(t, "GetLineage", err)
	if len(lineage) != 1 || lineage[0].Discriminator != "lib://data/sales.csv" {
		t.Errorf("GetLineage %+v", lineage)
	}
	scores, err := doc.GetAssociationScores(ctx, "Sales", "Regions")
	must(t, "GetAssociationScores", err)
	if len(scores) != 4 || scores[0].FieldPairName != "Region/Region" || float64(scores[0].Field1Scores.SymbolScore) != 1 {
		t.Errorf("GetAssociationScores %+v", scores[0])
	}
	samples, err := doc.GetFieldAndColumnSamples(ctx, []*enigma.FieldOrColumn{{FieldName: "Reg*"}}, 5, 1)
	must(t, "GetFieldAndColumnSamples", err)
	if len(samples) != 1 || len(samples[0].Values) != 2 {
		t.Errorf("GetFieldAndColumnSamples %+v", samples)
	}
	v, err := doc.GetLooselyCoupledVector(ctx)
	must(t, "GetLooselyCoupledVector", err)
	if len(v) != 5 {
		t.Errorf("GetLooselyCoupledVector %v", v)
	}
	// enigma-go's SetLooselyCoupledVector panics marshalling its []byte
	// parameter, so the call goes through the untyped RPC.
	var setRes struct {
		Return bool `json:"qReturn"`
	}
	must(t, "SetLooselyCoupledVector", doc.RPC(ctx, "SetLooselyCoupledVector", &setRes, []int{0, 1, 0, 0, 0}))
	set := setRes.Return
	v, _ = doc.GetLooselyCoupledVector(ctx)
	if !set || v[1] != 1 {
		t.Errorf("SetLooselyCoupledVector %v, now %v", set, v)
	}
	must(t, "Scramble", doc.Scramble(ctx, "Manager"))
	egEval(t, ctx, doc, "Count(DISTINCT Manager)", "2")
	must(t, "SetScriptBreakpoints", doc.SetScriptBreakpoints(ctx, []*enigma.EditorBreakpoint{{BufferName: "Main", LineIx: 2, Enabled: true}}))
	bps, err := doc.GetScriptBreakpoints(ctx)
	must(t, "GetScriptBreakpoints", err)
	if len(bps) != 1 || bps[0].LineIx != 2 {
		t.Errorf("breakpoints %+v", bps)
	}
	if _, err := doc.GetViewDlgSaveInfo(ctx); err != nil {
		t.Errorf("GetViewDlgSaveInfo: %v", err)
	}
	if _, _, err := doc.GetExpressionBNF(ctx); err != nil {
		t.Errorf("GetExpressionBNF: %v", err)
	}
	if _, err := doc.GetTextMacros(ctx); err != nil {
		t.Errorf("GetTextMacros: %v", err)
	}
	if _, err := doc.GetScriptMeta(ctx); err != nil {
		t.Errorf("GetScriptMeta: %v", err)
	}
	if _, err := doc.SearchSuggest(ctx, &enigma.SearchCombinationOptions{}, []string{"no"}); err != nil {
		t.Errorf("SearchSuggest: %v", err)
	}
	content, err := doc.GetIncludeFileContent(ctx, "lib://data/sales.csv")
	must(t, "GetIncludeFileContent", err)
	if !strings.HasPrefix(content, "Region,Amount") {
		t.Errorf("GetIncludeFileContent %q", content)
	}
}
