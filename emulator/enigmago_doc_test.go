package emulator

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// The Demo app's numbers (engine.DemoScript): Sum(Sales) 114; by Region
// North 60, South 20, East 34; by Category Fruit 72, Vegetable 42; by Year
// 2023 50, 2024 64; Sum(Quantity) 62; 12 orders, 6 customers, 4 products.

// egEval evaluates expr and compares the text with want.
func egEval(t *testing.T, ctx context.Context, doc *enigma.Doc, expr, want string) {
	t.Helper()
	got, err := doc.Evaluate(ctx, expr)
	must(t, "Evaluate "+expr, err)
	if got != want {
		t.Errorf("Evaluate(%s) = %q, want %q", expr, got, want)
	}
}

func TestEnigmaGoDocEvaluate(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	for expr, want := range map[string]string{
		"Sum(Sales)":                             "114",
		"Sum(Quantity)":                          "62",
		"Count(OrderID)":                         "12",
		"Count(DISTINCT Customer)":               "6",
		"Sum({<Region={'North'}>} Sales)":        "60",
		"Sum({<Category={'Fruit'}>} Sales)":      "72",
		"Sum({<Year={2024}>} Sales)":             "64",
		"Max(Sales)":                             "20",
		"Only({<OrderID={3}>} Customer)":         "Bob",
		"Sum(TOTAL Sales)":                       "114",
		"RangeSum(1, 2, 3)":                      "6",
		"Upper('abc') & Len('hello')":            "ABC5",
		"If(Sum(Sales) > 100, 'big', 'small')":   "big",
		"Sum({<Region={'North','East'}>} Sales)": "94",
	} {
		egEval(t, ctx, doc, expr, want)
	}
	v, err := doc.EvaluateEx(ctx, "Sum(Sales)/2")
	must(t, "EvaluateEx", err)
	if !v.IsNumeric || float64(v.Number) != 57 || v.Text != "57" {
		t.Errorf("EvaluateEx: %+v", v)
	}
	v, err = doc.EvaluateEx(ctx, "'text'")
	must(t, "EvaluateEx text", err)
	if v.IsNumeric || v.Text != "text" {
		t.Errorf("EvaluateEx text: %+v", v)
	}
}

func TestEnigmaGoDocTablesAndKeys(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	tables, keys, err := doc.GetTablesAndKeys(ctx, &enigma.Size{}, &enigma.Size{}, 0, false, false, false)
	must(t, "GetTablesAndKeys", err)
	rows := map[string]int{}
	for _, tr := range tables {
		rows[tr.Name] = tr.NoOfRows
	}
	want := map[string]int{"Regions": 3, "Customers": 6, "Products": 4, "Orders": 12}
	for name, n := range want {
		if rows[name] != n {
			t.Errorf("table %s: %d rows, want %d (all: %v)", name, rows[name], n, rows)
		}
	}
	var keyNames []string
	for _, k := range keys {
		if len(k.KeyFields) == 0 || len(k.Tables) < 2 {
			t.Errorf("key %+v: no qKeyFields or fewer than two tables", k)
		}
		keyNames = append(keyNames, strings.Join(k.KeyFields, "+"))
	}
	sort.Strings(keyNames)
	if strings.Join(keyNames, ",") != "CustomerID,ProductID,RegionID" {
		t.Errorf("keys %v", keyNames)
	}
}

func TestEnigmaGoDocScriptAndFailedReload(t *testing.T) {
	ctx, g := egSession(t)
	doc, err := g.CreateSessionApp(ctx)
	must(t, "CreateSessionApp", err)
	must(t, "SetScript", doc.SetScript(ctx, "T: LOAD * INLINE [\nA\n1\n];\nX: LOAD Nope FROM [lib://nowhere/none.csv];"))
	ok, err := doc.DoReload(ctx, 0, false, false)
	must(t, "DoReload", err)
	if ok {
		t.Fatalf("DoReload of a bad script: true")
	}
	p, err := g.GetProgress(ctx, 0)
	must(t, "GetProgress after a failed reload", err)
	if len(p.ErrorData) == 0 {
		t.Fatalf("GetProgress: no qErrorData: %+v", p)
	}
	e := p.ErrorData[0]
	if e.ErrorDataCode != "EDC_ERROR" || e.ErrorString == "" {
		t.Errorf("qErrorData %+v", e)
	}
	if !strings.Contains(e.Line, "Nope") {
		t.Errorf("qLine %q does not name the failing statement", e.Line)
	}
}

func TestEnigmaGoDocFieldSelections(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	n, err := region.GetCardinal(ctx)
	must(t, "GetCardinal", err)
	if n != 3 {
		t.Errorf("GetCardinal(Region) %d, want 3", n)
	}
	ok, err := region.Select(ctx, "North", false, 0)
	must(t, "Select", err)
	if !ok {
		t.Errorf("Select North: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "60")
	egEval(t, ctx, doc, "GetFieldSelections(Region)", "North")
	ok, err = region.ToggleSelect(ctx, "East", false, 0)
	must(t, "ToggleSelect", err)
	if !ok {
		t.Errorf("ToggleSelect East: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "94")
	ok, err = region.SelectValues(ctx, []*enigma.FieldValue{{Text: "South"}}, false, false)
	must(t, "SelectValues", err)
	if !ok {
		t.Errorf("SelectValues South: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "20")
	_, err = region.Lock(ctx)
	must(t, "Lock", err)
	cat, err := doc.GetField(ctx, "Category", "")
	must(t, "GetField Category", err)
	if ok, _ := region.Select(ctx, "North", false, 0); ok {
		t.Errorf("Select on a locked field: true")
	}
	_, err = region.Unlock(ctx)
	must(t, "Unlock", err)
	ok, err = region.Clear(ctx)
	must(t, "Clear", err)
	if !ok {
		t.Errorf("Clear: false")
	}
	_, err = cat.Select(ctx, "Vegetable", false, 0)
	must(t, "Select Vegetable", err)
	egEval(t, ctx, doc, "Sum(Sales)", "42")
	must(t, "ClearAll", doc.ClearAll(ctx, false, ""))
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	props, err := region.GetNxProperties(ctx)
	must(t, "GetNxProperties", err)
	if props.OneAndOnlyOne {
		t.Errorf("GetNxProperties: qOneAndOnlyOne true")
	}
	d, err := doc.GetFieldDescription(ctx, "Region")
	must(t, "GetFieldDescription", err)
	if d.Name != "Region" || d.Cardinal != 3 || len(d.SrcTables) != 1 || d.SrcTables[0] != "Regions" {
		t.Errorf("GetFieldDescription %+v", d)
	}
}

func TestEnigmaGoDocVariables(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	v, err := doc.GetVariableByName(ctx, "vDemoTotal")
	must(t, "GetVariableByName", err)
	l, err := v.GetLayout(ctx)
	must(t, "GenericVariable.GetLayout", err)
	if float64(l.Num) != 114 || l.Text != "114" || !l.IsScriptCreated {
		t.Errorf("vDemoTotal layout %+v", l)
	}
	nv, err := doc.CreateVariableEx(ctx, &enigma.GenericVariableProperties{
		Info: &enigma.NxInfo{Type: "variable"}, Name: "vHalf", Definition: "=Sum(Sales)/2"})
	must(t, "CreateVariableEx", err)
	egEval(t, ctx, doc, "$(vHalf)", "57")
	p, err := nv.GetProperties(ctx)
	must(t, "GenericVariable.GetProperties", err)
	if p.Name != "vHalf" || p.Definition != "=Sum(Sales)/2" || p.Info.Id == "" {
		t.Errorf("vHalf properties %+v", p)
	}
	must(t, "SetStringValue", nv.SetStringValue(ctx, "hello"))
	raw, err := nv.GetRawContent(ctx)
	must(t, "GetRawContent", err)
	if raw != "hello" {
		t.Errorf("GetRawContent %q", raw)
	}
	must(t, "SetNumValue", nv.SetNumValue(ctx, 42))
	l, err = nv.GetLayout(ctx)
	must(t, "GetLayout after SetNumValue", err)
	if float64(l.Num) != 42 || l.Text != "42" {
		t.Errorf("layout after SetNumValue %+v", l)
	}
	byID, err := doc.GetVariableById(ctx, p.Info.Id)
	must(t, "GetVariableById", err)
	if byID.Handle != nv.Handle && byID.GenericId != p.Info.Id {
		t.Errorf("GetVariableById %s", byID.GenericId)
	}
	must(t, "ApplyPatches", nv.ApplyPatches(ctx, []*enigma.NxPatch{{Op: "replace", Path: "/qComment", Value: `"a note"`}}))
	p, err = nv.GetProperties(ctx)
	must(t, "GetProperties after patch", err)
	if p.Comment != "a note" {
		t.Errorf("qComment %q", p.Comment)
	}
}

func TestEnigmaGoDocBookmarks(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	cat, err := doc.GetField(ctx, "Category", "")
	must(t, "GetField", err)
	_, err = cat.Select(ctx, "Fruit", false, 0)
	must(t, "Select Fruit", err)
	bm, err := doc.CreateBookmark(ctx, &enigma.GenericBookmarkProperties{
		Info: &enigma.NxInfo{Id: "bmFruit", Type: "bookmark"}, MetaDef: &enigma.NxMetaDef{}})
	must(t, "CreateBookmark", err)
	must(t, "ClearAll", doc.ClearAll(ctx, false, ""))
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	ok, err := doc.ApplyBookmark(ctx, "bmFruit")
	must(t, "ApplyBookmark", err)
	if !ok {
		t.Errorf("ApplyBookmark: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "72")
	egEval(t, ctx, doc, "Sum({bmFruit} Quantity)", "48")
	l, err := bm.GetLayout(ctx)
	must(t, "GenericBookmark.GetLayout", err)
	if l.Info.Id != "bmFruit" {
		t.Errorf("bookmark layout %+v", l.Info)
	}
	if sd := l.Bookmark.StateData; len(sd) != 1 || len(sd[0].FieldItems) != 1 ||
		sd[0].FieldItems[0].Def.Name != "Category" || len(sd[0].FieldItems[0].Values) != 1 ||
		sd[0].FieldItems[0].Values[0].Text != "Fruit" {
		t.Errorf("bookmark qStateData does not hold Category=Fruit in qValues")
	}
	info, err := bm.GetInfo(ctx)
	must(t, "GenericBookmark.GetInfo", err)
	if info.Id != "bmFruit" || info.Type != "bookmark" {
		t.Errorf("GetInfo %+v", info)
	}
	got, err := doc.GetBookmark(ctx, "bmFruit")
	must(t, "GetBookmark", err)
	if got.GenericId != "bmFruit" {
		t.Errorf("GetBookmark %s", got.GenericId)
	}
	if ok, _ := doc.ApplyBookmark(ctx, "nope"); ok {
		t.Errorf("ApplyBookmark of a missing bookmark: true")
	}
}

func TestEnigmaGoDocMasterItems(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	dim, err := doc.CreateDimension(ctx, &enigma.GenericDimensionProperties{
		Info: &enigma.NxInfo{Id: "dimRegion", Type: "dimension"},
		Dim:  &enigma.NxLibraryDimensionDef{Grouping: "N", FieldDefs: []string{"Region"}, FieldLabels: []string{"Area"}},
	})
	must(t, "CreateDimension", err)
	dd, err := dim.GetDimension(ctx)
	must(t, "GetDimension", err)
	if len(dd.FieldDefs) != 1 || dd.FieldDefs[0] != "Region" {
		t.Errorf("GetDimension %+v", dd)
	}
	dl, err := dim.GetLayout(ctx)
	must(t, "GenericDimension.GetLayout", err)
	if dl.Info.Id != "dimRegion" || dl.Dim == nil || dl.Dim.FieldDefs[0] != "Region" {
		t.Errorf("dimension layout %+v", dl)
	}
	mea, err := doc.CreateMeasure(ctx, &enigma.GenericMeasureProperties{
		Info:    &enigma.NxInfo{Id: "meaSales", Type: "measure"},
		Measure: &enigma.NxLibraryMeasureDef{Label: "Total sales", Def: "Sum(Sales)"},
	})
	must(t, "CreateMeasure", err)
	md, err := mea.GetMeasure(ctx)
	must(t, "GetMeasure", err)
	if md.Def != "Sum(Sales)" || md.Label != "Total sales" {
		t.Errorf("GetMeasure %+v", md)
	}
	must(t, "GenericMeasure.ApplyPatches", mea.ApplyPatches(ctx, []*enigma.NxPatch{{Op: "replace", Path: "/qMeasure/qDef", Value: `"Sum(Quantity)"`}}))
	mp, err := mea.GetProperties(ctx)
	must(t, "GenericMeasure.GetProperties", err)
	if mp.Measure.Def != "Sum(Quantity)" {
		t.Errorf("patched qDef %q", mp.Measure.Def)
	}
	// A chart using both library items by id.
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Type: "chart"},
		HyperCubeDef: &enigma.HyperCubeDef{
			Dimensions:       []*enigma.NxDimension{{LibraryId: "dimRegion"}},
			Measures:         []*enigma.NxMeasure{{LibraryId: "meaSales"}},
			InitialDataFetch: []*enigma.NxPage{{Width: 2, Height: 10}},
		},
	})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	got := map[string]float64{}
	for _, row := range l.HyperCube.DataPages[0].Matrix {
		got[row[0].Text] = float64(row[1].Num)
	}
	// Quantity by region from the Orders rows (North is customers 1 and 2,
	// South 3 and 6, East 4 and 5): North 10+5+5+2+7, South 4+1+9, East
	// 8+3+6+2.
	want := map[string]float64{"North": 29, "South": 14, "East": 19}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Sum(Quantity) by Region %v, want %v", got, want)
			break
		}
	}
	if l.HyperCube.DimensionInfo[0].FallbackTitle != "Area" {
		t.Errorf("library dimension title %q, want its label", l.HyperCube.DimensionInfo[0].FallbackTitle)
	}
	dp, err := dim.GetProperties(ctx)
	must(t, "GenericDimension.GetProperties", err)
	if dp.Dim.FieldLabels[0] != "Area" {
		t.Errorf("dimension properties %+v", dp.Dim)
	}
	if _, err := dim.GetInfo(ctx); err != nil {
		t.Errorf("GenericDimension.GetInfo: %v", err)
	}
	if _, err := mea.GetLayout(ctx); err != nil {
		t.Errorf("GenericMeasure.GetLayout: %v", err)
	}
}

func TestEnigmaGoDocAppLayout(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	l, err := doc.GetAppLayout(ctx)
	must(t, "GetAppLayout", err)
	if l.Title != "Demo" || !l.HasScript || !l.HasData || l.IsSessionApp {
		t.Errorf("GetAppLayout %+v", l)
	}
	if l.LocaleInfo == nil || l.LocaleInfo.DecimalSep != "." || l.LocaleInfo.ThousandSep != "," {
		t.Errorf("qLocaleInfo %+v", l.LocaleInfo)
	}
	p, err := doc.GetAppProperties(ctx)
	must(t, "GetAppProperties", err)
	if p.Title != "Demo" {
		t.Errorf("GetAppProperties %+v", p)
	}
	li, err := doc.GetLocaleInfo(ctx)
	must(t, "GetLocaleInfo", err)
	if li.DecimalSep != "." {
		t.Errorf("GetLocaleInfo %+v", li)
	}
	script, err := doc.GetScript(ctx)
	must(t, "GetScript", err)
	if !strings.Contains(script, "LET vDemoTotal = 114;") {
		t.Errorf("GetScript does not hold the Demo script")
	}
	// SaveObjects is a Qlik Sense Enterprise method: it answers as an engine
	// does for a feature the product lacks, which enigma-go surfaces as an
	// engine error.
	err = doc.SaveObjects(ctx)
	var ee enigma.Error
	if !errors.As(err, &ee) || ee.Code() != 17 {
		t.Errorf("SaveObjects: %v, want engine error 17", err)
	}
}
