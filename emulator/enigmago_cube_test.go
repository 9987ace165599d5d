package emulator

import (
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoCubeOptions covers hypercube definition options the
// emulator implements: qSuppressZero and qInterColumnSortOrder (qTitle,
// qCalcCondition and qAttributeExpressions are not implemented yet).
func TestEnigmaGoCubeOptions(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	def := func(order []int, suppressZero bool) *enigma.HyperCubeDef {
		return &enigma.HyperCubeDef{
			Dimensions:           []*enigma.NxDimension{{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"Category"}}}},
			Measures:             []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"}, SortBy: &enigma.SortCriteria{SortByNumeric: -1}}},
			SuppressZero:         suppressZero,
			InterColumnSortOrder: order,
			InitialDataFetch:     []*enigma.NxPage{{Width: 2, Height: 10}},
		}
	}
	// Bakery has no orders: Sum(Sales) is 0 for it, shown unless
	// qSuppressZero.
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "table"}, HyperCubeDef: def([]int{1, 0}, false)})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	hc := l.HyperCube
	if len(hc.EffectiveInterColumnSortOrder) != 2 || hc.EffectiveInterColumnSortOrder[0] != 1 {
		t.Errorf("qEffectiveInterColumnSortOrder %v", hc.EffectiveInterColumnSortOrder)
	}
	var order []string
	for _, r := range hc.DataPages[0].Matrix {
		order = append(order, r[0].Text)
	}
	// Sorted by the measure first, descending (qSortByNumeric -1).
	if strings.Join(order, ",") != "Fruit,Vegetable,Bakery" {
		t.Errorf("rows sorted by Sum(Sales) descending: %v", order)
	}
	obj, err = doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "table"}, HyperCubeDef: def(nil, true)})
	must(t, "CreateSessionObject", err)
	l, err = obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	if got := byFirstColumn(l.HyperCube.DataPages[0].Matrix); !sameNumbers(got, map[string]float64{"Fruit": 72, "Vegetable": 42}) {
		t.Errorf("qSuppressZero rows %v", got)
	}
}

func TestEnigmaGoCubeSelections(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "S", []string{"Region", "Category"}, "Sum(Sales)")
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	row := -1
	for i, r := range l.HyperCube.DataPages[0].Matrix {
		if r[0].Text == "East" && r[1].Text == "Vegetable" {
			row = i
		}
	}
	if row < 0 {
		t.Fatalf("no East/Vegetable row")
	}
	ok, err := obj.SelectHyperCubeCells(ctx, "/qHyperCubeDef", []int{row}, []int{0, 1}, false, false)
	must(t, "SelectHyperCubeCells", err)
	if !ok {
		t.Errorf("SelectHyperCubeCells false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "18")
	must(t, "ClearSelections", obj.ClearSelections(ctx, "/qHyperCubeDef", []int{1}))
	egEval(t, ctx, doc, "Sum(Sales)", "34") // East only
	must(t, "BeginSelections", obj.BeginSelections(ctx, []string{"/qHyperCubeDef"}))
	must(t, "ClearSelections", obj.ClearSelections(ctx, "/qHyperCubeDef", []int{0}))
	must(t, "ResetMadeSelections", obj.ResetMadeSelections(ctx))
	must(t, "EndSelections", obj.EndSelections(ctx, true))
	egEval(t, ctx, doc, "Sum(Sales)", "34")

	list, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Type: "listbox"},
		ListObjectDef: &enigma.ListObjectDef{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"Category"}},
			InitialDataFetch: []*enigma.NxPage{{Width: 1, Height: 5}}},
	})
	must(t, "CreateSessionObject", err)
	ok, err = list.SelectListObjectPossible(ctx, "/qListObjectDef", false)
	must(t, "SelectListObjectPossible", err)
	if !ok {
		t.Errorf("SelectListObjectPossible false")
	}
	egEval(t, ctx, doc, "GetFieldSelections(Category)", "Fruit, Vegetable")
	ok, err = list.SelectListObjectAll(ctx, "/qListObjectDef", false)
	must(t, "SelectListObjectAll", err)
	if !ok {
		t.Errorf("SelectListObjectAll false")
	}
	egEval(t, ctx, doc, "GetSelectedCount(Category)", "3")
	_, err = list.SearchListObjectFor(ctx, "/qListObjectDef", "Bak")
	must(t, "SearchListObjectFor", err)
	must(t, "AbortListObjectSearch", list.AbortListObjectSearch(ctx, "/qListObjectDef"))
	ll, err := list.GetLayout(ctx)
	must(t, "GetLayout after AbortListObjectSearch", err)
	if ll.ListObject.Size.Cy != 3 {
		t.Errorf("list after an aborted search has %d rows", ll.ListObject.Size.Cy)
	}
}

func TestEnigmaGoLibraryLifecycle(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	sv, err := doc.CreateSessionVariable(ctx, &enigma.GenericVariableProperties{
		Info: &enigma.NxInfo{Id: "sv1", Type: "variable"}, Name: "vSession", Definition: "7"})
	must(t, "CreateSessionVariable", err)
	egEval(t, ctx, doc, "$(vSession) * 2", "14")
	p, err := sv.GetProperties(ctx)
	must(t, "GetProperties", err)
	ok, err := doc.DestroyVariableById(ctx, p.Info.Id)
	must(t, "DestroyVariableById", err)
	if !ok {
		t.Errorf("DestroyVariableById false")
	}
	_, err = doc.CreateBookmark(ctx, &enigma.GenericBookmarkProperties{
		Info: &enigma.NxInfo{Id: "b1", Type: "bookmark"}, MetaDef: &enigma.NxMetaDef{}})
	must(t, "CreateBookmark", err)
	bms, err := doc.GetBookmarks(ctx, &enigma.NxGetBookmarkOptions{Types: []string{"bookmark"}})
	must(t, "GetBookmarks", err)
	if len(bms) != 1 || bms[0].Info.Id != "b1" {
		t.Errorf("GetBookmarks %+v", bms)
	}
	bm, err := doc.GetBookmark(ctx, "b1")
	must(t, "GetBookmark", err)
	bp, err := bm.GetProperties(ctx)
	must(t, "GenericBookmark.GetProperties", err)
	if bp.Info.Id != "b1" {
		t.Errorf("bookmark properties %+v", bp.Info)
	}
	must(t, "GenericBookmark.SetProperties", bm.SetProperties(ctx, bp))
	if ok, err := doc.DestroyBookmark(ctx, "b1"); err != nil || !ok {
		t.Errorf("DestroyBookmark %v %v", ok, err)
	}
	_, err = doc.CreateDimension(ctx, &enigma.GenericDimensionProperties{
		Info: &enigma.NxInfo{Id: "d1", Type: "dimension"}, Dim: &enigma.NxLibraryDimensionDef{FieldDefs: []string{"Region"}}})
	must(t, "CreateDimension", err)
	_, err = doc.CreateMeasure(ctx, &enigma.GenericMeasureProperties{
		Info: &enigma.NxInfo{Id: "m1", Type: "measure"}, Measure: &enigma.NxLibraryMeasureDef{Def: "Sum(Sales)"}})
	must(t, "CreateMeasure", err)
	if ok, err := doc.DestroyDimension(ctx, "d1"); err != nil || !ok {
		t.Errorf("DestroyDimension %v %v", ok, err)
	}
	if ok, err := doc.DestroyMeasure(ctx, "m1"); err != nil || !ok {
		t.Errorf("DestroyMeasure %v %v", ok, err)
	}
	// A destroyed item is gone: the engine answers a null reference, which
	// enigma-go turns into an error or an object without a handle.
	if d, err := doc.GetDimension(ctx, "d1"); err == nil && d != nil && d.Handle != 0 {
		t.Errorf("GetDimension of a destroyed dimension: handle %d", d.Handle)
	}
}

// TestEnigmaGoCubeTitleAndCondition covers qTitle and qCalcCondition: the
// title is evaluated, and an unfulfilled condition leaves qError 7005,
// qCalcCondMsg and no data.
func TestEnigmaGoCubeTitleAndCondition(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Type: "table"},
		HyperCubeDef: &enigma.HyperCubeDef{
			Dimensions:       []*enigma.NxDimension{{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"Region"}}}},
			Measures:         []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"}}},
			Title:            &enigma.StringExpr{V: "='Total ' & Sum(Sales)"},
			CalcCondition:    &enigma.NxCalcCond{Cond: &enigma.ValueExpr{V: "=GetSelectedCount(Region) > 0"}, Msg: &enigma.StringExpr{V: "Select a region"}},
			InitialDataFetch: []*enigma.NxPage{{Width: 2, Height: 10}},
		},
	})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	hc := l.HyperCube
	if hc.Title != "Total 114" {
		t.Errorf("qTitle %q", hc.Title)
	}
	if hc.Error == nil || hc.Error.ErrorCode != 7005 || hc.CalcCondMsg != "Select a region" || len(hc.DataPages) != 0 {
		t.Errorf("unfulfilled condition: qError %+v qCalcCondMsg %q, %d pages", hc.Error, hc.CalcCondMsg, len(hc.DataPages))
	}
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	_, err = region.Select(ctx, "South", false, 0)
	must(t, "Select South", err)
	l, err = obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	hc = l.HyperCube
	if hc.Title != "Total 20" || hc.Error != nil || hc.CalcCondMsg != "" {
		t.Errorf("fulfilled condition: qTitle %q qError %+v qCalcCondMsg %q", hc.Title, hc.Error, hc.CalcCondMsg)
	}
	if got := byFirstColumn(hc.DataPages[0].Matrix); !sameNumbers(got, map[string]float64{"South": 20}) {
		t.Errorf("rows %v", got)
	}
}
