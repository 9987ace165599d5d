package emulator

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

func TestEnigmaGoListDefs(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	_, err := doc.CreateMeasure(ctx, &enigma.GenericMeasureProperties{
		Info: &enigma.NxInfo{Id: "m1", Type: "measure"}, MetaDef: &enigma.NxMetaDef{},
		Measure: &enigma.NxLibraryMeasureDef{Label: "Sales", Def: "Sum(Sales)"}})
	must(t, "CreateMeasure", err)
	_, err = doc.CreateDimension(ctx, &enigma.GenericDimensionProperties{
		Info: &enigma.NxInfo{Id: "d1", Type: "dimension"}, MetaDef: &enigma.NxMetaDef{},
		Dim: &enigma.NxLibraryDimensionDef{Grouping: "N", FieldDefs: []string{"Category"}}})
	must(t, "CreateDimension", err)
	data := json.RawMessage(`{"title":"/qMetaDef/title"}`)
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info:             &enigma.NxInfo{Type: "lists"},
		MeasureListDef:   &enigma.MeasureListDef{Type: "measure", Data: data},
		DimensionListDef: &enigma.DimensionListDef{Type: "dimension", Data: data},
		VariableListDef:  &enigma.VariableListDef{Type: "variable"},
		FieldListDef:     &enigma.FieldListDef{},
		BookmarkListDef:  &enigma.BookmarkListDef{Type: "bookmark", Data: data},
	})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	if l.MeasureList == nil || len(l.MeasureList.Items) != 1 || l.MeasureList.Items[0].Info.Id != "m1" {
		t.Errorf("qMeasureList %+v", l.MeasureList)
	}
	if l.DimensionList == nil || len(l.DimensionList.Items) != 1 || l.DimensionList.Items[0].Info.Id != "d1" {
		t.Errorf("qDimensionList %+v", l.DimensionList)
	}
	if l.BookmarkList == nil || len(l.BookmarkList.Items) != 0 {
		t.Errorf("qBookmarkList %+v", l.BookmarkList)
	}
	var vars []string
	if l.VariableList != nil {
		for _, v := range l.VariableList.Items {
			vars = append(vars, v.Name)
		}
	}
	if !containsString(vars, "vDemoTotal") {
		t.Errorf("qVariableList %v has no vDemoTotal", vars)
	}
	var fields []string
	if l.FieldList != nil {
		for _, f := range l.FieldList.Items {
			fields = append(fields, f.Name)
		}
	}
	sort.Strings(fields)
	want := "Category,Customer,CustomerID,Month,OrderDate,OrderID,Price,Product,ProductID,Quantity,Region,RegionID,Sales,Year"
	if strings.Join(fields, ",") != want {
		t.Errorf("qFieldList %v, want %s", fields, want)
	}
}

// containsString reports whether list holds s.
func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestEnigmaGoExpressionsAndSelectionObject(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info:               &enigma.NxInfo{Type: "kpi"},
		SelectionObjectDef: &enigma.SelectionObjectDef{},
	})
	must(t, "CreateSessionObject", err)
	// qStringExpression / qValueExpression are evaluated into the layout
	// under the property's own key; enigma-go has no typed field for
	// those, so read them raw.
	must(t, "ApplyPatches", obj.ApplyPatches(ctx, []*enigma.NxPatch{
		{Op: "add", Path: "/total", Value: `{"qStringExpression":{"qExpr":"=Sum(Sales)"}}`},
		{Op: "add", Path: "/count", Value: `{"qValueExpression":{"qExpr":"=Count(OrderID)"}}`},
	}, false))
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	_, err = region.Select(ctx, "East", false, 0)
	must(t, "Select East", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	so := l.SelectionObject
	if so == nil || len(so.Selections) != 1 || so.Selections[0].Field != "Region" ||
		so.Selections[0].Selected != "East" || so.Selections[0].SelectedCount != 1 || so.Selections[0].Total != 3 {
		t.Errorf("qSelectionObject %+v", so)
	}
	raw, err := obj.GetLayoutRaw(ctx)
	must(t, "GetLayoutRaw", err)
	var lr struct {
		Total string  `json:"total"`
		Count float64 `json:"count"`
	}
	if err := json.Unmarshal(raw, &lr); err != nil || lr.Total != "34" || lr.Count != 4 {
		t.Errorf("expressions in the layout: %s (%v)", raw, err)
	}
}

func TestEnigmaGoAlternateStates(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	must(t, "AddAlternateState", doc.AddAlternateState(ctx, "B"))
	l, err := doc.GetAppLayout(ctx)
	must(t, "GetAppLayout", err)
	if !containsString(l.StateNames, "B") {
		t.Errorf("qStateNames %v", l.StateNames)
	}
	fb, err := doc.GetField(ctx, "Region", "B")
	must(t, "GetField in state B", err)
	_, err = fb.Select(ctx, "South", false, 0)
	must(t, "Select South in B", err)
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	egEval(t, ctx, doc, "Sum({B} Sales)", "20")
	obj := egCube(t, ctx, doc, "S", []string{"Region"}, "Sum(Sales)")
	must(t, "ApplyPatches qStateName", obj.ApplyPatches(ctx, []*enigma.NxPatch{
		{Op: "add", Path: "/qHyperCubeDef/qStateName", Value: `"B"`}}, false))
	ol, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	if ol.HyperCube.StateName != "B" {
		t.Errorf("qHyperCube.qStateName %q", ol.HyperCube.StateName)
	}
	if got := byFirstColumn(ol.HyperCube.DataPages[0].Matrix); !sameNumbers(got, map[string]float64{"South": 20}) {
		t.Errorf("cube in state B %v", got)
	}
	must(t, "RemoveAlternateState", doc.RemoveAlternateState(ctx, "B"))
	l, err = doc.GetAppLayout(ctx)
	must(t, "GetAppLayout", err)
	if containsString(l.StateNames, "B") {
		t.Errorf("qStateNames after RemoveAlternateState %v", l.StateNames)
	}
}
