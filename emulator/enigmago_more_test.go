package emulator

import (
	"errors"
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

func TestEnigmaGoGlobalMore(t *testing.T) {
	ctx, g := egSession(t)
	allow, err := g.AllowCreateApp(ctx)
	must(t, "AllowCreateApp", err)
	if !allow {
		t.Errorf("AllowCreateApp false")
	}
	bnf, err := g.GetBNF(ctx, "S")
	must(t, "GetBNF", err)
	if len(bnf) == 0 {
		t.Errorf("GetBNF: empty")
	}
	if _, err := g.GetCustomConnectors(ctx, false); err != nil {
		t.Errorf("GetCustomConnectors: %v", err)
	}
	cps, err := g.GetSupportedCodePages(ctx)
	must(t, "GetSupportedCodePages", err)
	if len(cps) == 0 {
		t.Errorf("GetSupportedCodePages: empty")
	}
	must(t, "ReloadExtensionList", g.ReloadExtensionList(ctx))
	fns, err := g.GetFunctions(ctx, "")
	must(t, "GetFunctions", err)
	names := map[string]bool{}
	for _, f := range fns {
		names[f.Name] = true
	}
	for _, n := range []string{"Sum", "Count", "If", "Upper"} {
		if !names[n] {
			t.Errorf("GetFunctions has no %s", n)
		}
	}
	desktop, err := g.IsDesktopMode(ctx)
	must(t, "IsDesktopMode", err)
	if desktop {
		t.Errorf("IsDesktopMode true")
	}
	if _, err := g.GetDefaultAppFolder(ctx); err != nil {
		t.Errorf("GetDefaultAppFolder: %v", err)
	}
	doc, err := g.CreateSessionAppFromApp(ctx, "Demo")
	must(t, "CreateSessionAppFromApp", err)
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	l, err := doc.GetAppLayout(ctx)
	must(t, "GetAppLayout", err)
	if !l.IsSessionApp {
		t.Errorf("session app copy: qIsSessionApp false")
	}
}

func TestEnigmaGoDocObjects(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	sheet, err := doc.CreateObject(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Id: "sheet1", Type: "sheet"}, MetaDef: &enigma.NxMetaDef{}})
	must(t, "CreateObject", err)
	child, err := sheet.CreateChild(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Id: "kid1", Type: "kpi"}}, nil)
	must(t, "CreateChild", err)
	kids, err := sheet.GetChildInfos(ctx)
	must(t, "GetChildInfos", err)
	if len(kids) != 1 || kids[0].Id != "kid1" {
		t.Errorf("GetChildInfos %+v", kids)
	}
	parent, err := child.GetParent(ctx)
	must(t, "GetParent", err)
	if parent.GenericId != "sheet1" {
		t.Errorf("GetParent %s", parent.GenericId)
	}
	tree, err := sheet.GetFullPropertyTree(ctx)
	must(t, "GetFullPropertyTree", err)
	if len(tree.Children) != 1 || tree.Children[0].Property.Info.Id != "kid1" {
		t.Errorf("GetFullPropertyTree %+v", tree)
	}
	infos, err := doc.GetAllInfos(ctx)
	must(t, "GetAllInfos", err)
	ids := map[string]string{}
	for _, i := range infos {
		ids[i.Id] = i.Type
	}
	if ids["sheet1"] != "sheet" || ids["kid1"] != "kpi" {
		t.Errorf("GetAllInfos %v", ids)
	}
	list, err := doc.GetObjects(ctx, &enigma.NxGetObjectOptions{Types: []string{"sheet"}})
	must(t, "GetObjects", err)
	if len(list) != 1 || list[0].Info.Id != "sheet1" {
		t.Errorf("GetObjects %+v", list)
	}
	must(t, "SetProperties", sheet.SetProperties(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Id: "sheet1", Type: "sheet"}, MetaDef: &enigma.NxMetaDef{}, StateName: "$"}))
	ok, err := doc.DestroyObject(ctx, "sheet1")
	must(t, "DestroyObject", err)
	if !ok {
		t.Errorf("DestroyObject false")
	}
	so, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Id: "tmp", Type: "x"}})
	must(t, "CreateSessionObject", err)
	ok, err = doc.DestroySessionObject(ctx, so.GenericId)
	must(t, "DestroySessionObject", err)
	if !ok {
		t.Errorf("DestroySessionObject false")
	}
	errs, err := doc.CheckScriptSyntax(ctx)
	must(t, "CheckScriptSyntax", err)
	if len(errs) != 0 {
		t.Errorf("CheckScriptSyntax of the Demo script: %+v", errs)
	}
	empty, err := doc.GetEmptyScript(ctx, "Main")
	must(t, "GetEmptyScript", err)
	if empty == "" {
		t.Errorf("GetEmptyScript empty")
	}
}

func TestEnigmaGoFieldMore(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField Region", err)
	cat, err := doc.GetField(ctx, "Category", "")
	must(t, "GetField Category", err)
	_, err = region.Select(ctx, "South", false, 0)
	must(t, "Select South", err)
	// South's orders are Fruit and Vegetable: selecting the possible
	// categories selects those two.
	ok, err := cat.SelectPossible(ctx, false)
	must(t, "SelectPossible", err)
	if !ok {
		t.Errorf("SelectPossible false")
	}
	egEval(t, ctx, doc, "GetSelectedCount(Category)", "2")
	_, err = cat.Clear(ctx)
	must(t, "Clear", err)
	ok, err = region.SelectAlternative(ctx, false)
	must(t, "SelectAlternative", err)
	if !ok {
		t.Errorf("SelectAlternative false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "94") // North and East
	ok, err = region.SelectExcluded(ctx, false)
	must(t, "SelectExcluded", err)
	if !ok {
		t.Errorf("SelectExcluded false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "20") // back to South
	ok, err = region.SelectAll(ctx, false)
	must(t, "SelectAll", err)
	if !ok {
		t.Errorf("SelectAll false")
	}
	egEval(t, ctx, doc, "GetSelectedCount(Region)", "3")
	ok, err = region.LowLevelSelect(ctx, []int{0}, false, false)
	must(t, "LowLevelSelect", err)
	if !ok {
		t.Errorf("LowLevelSelect false")
	}
	egEval(t, ctx, doc, "GetSelectedCount(Region)", "1")
	and, err := region.GetAndMode(ctx)
	must(t, "GetAndMode", err)
	if and {
		t.Errorf("GetAndMode true")
	}
	must(t, "LockAll", doc.LockAll(ctx, ""))
	if ok, _ := region.Select(ctx, "North", false, 0); ok {
		t.Errorf("Select after LockAll: true")
	}
	must(t, "UnlockAll", doc.UnlockAll(ctx, ""))
	_, err = region.Select(ctx, "North", false, 0)
	must(t, "Select North", err)
	egEval(t, ctx, doc, "Sum(Sales)", "60")
	must(t, "Back", doc.Back(ctx))
	must(t, "Forward", doc.Forward(ctx))
	egEval(t, ctx, doc, "Sum(Sales)", "60")
}

func TestEnigmaGoSaveAndProgress(t *testing.T) {
	ctx, g := egSession(t)
	doc, err := g.CreateSessionApp(ctx)
	must(t, "CreateSessionApp", err)
	must(t, "SetScript", doc.SetScript(ctx, "T: LOAD RecNo() as N AUTOGENERATE 5;"))
	ok, err := doc.DoReload(ctx, 0, false, false)
	must(t, "DoReload", err)
	if !ok {
		t.Fatalf("DoReload false")
	}
	p, err := g.GetProgress(ctx, 0)
	must(t, "GetProgress", err)
	if len(p.ErrorData) != 0 || !strings.Contains(p.PersistentProgress, "5") {
		t.Errorf("GetProgress after a reload: errors %+v, persistent %q", p.ErrorData, p.PersistentProgress)
	}
	egEval(t, ctx, doc, "Sum(N)", "15")
	// A session app cannot be saved: the engine's error, typed.
	err = doc.DoSave(ctx, "")
	var ee enigma.Error
	if !errors.As(err, &ee) || ee.Code() != 9009 {
		t.Errorf("DoSave of a session app: %v, want engine error 9009", err)
	}
	created, appID, err := g.CreateApp(ctx, "Saved.qvf", "", "")
	must(t, "CreateApp", err)
	if !created || appID != "Saved.qvf" {
		t.Errorf("CreateApp %v %q", created, appID)
	}
}
