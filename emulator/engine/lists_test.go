package engine

import "testing"

func TestSelectionObject(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", map[string]any{"qInfo": map[string]any{"qType": "CurrentSelections"}, "qSelectionObjectDef": map[string]any{}}))
	call(t, fieldOf(t, d, "Region"), "Select", "North")
	call(t, fieldOf(t, d, "OrderID"), "Select", ">2")
	_, l := call(t, g, "GetLayout")
	so := dig(l, "qLayout", "qSelectionObject").(map[string]any)
	if so["qBackCount"] != 2.0 || so["qForwardCount"] != 0.0 {
		t.Fatalf("counts %v", so)
	}
	s0 := dig(so, "qSelections", 0).(map[string]any)
	if s0["qField"] != "Region" || s0["qSelected"] != "North" || s0["qSelectedCount"] != 1.0 || s0["qTotal"] != 3.0 ||
		dig(s0, "qSelectedFieldSelectionInfo", 0, "qName") != "North" || dig(s0, "qStateCounts", "qSelected") != 1.0 {
		t.Fatalf("selection 0 %v", s0)
	}
	s1 := dig(so, "qSelections", 1).(map[string]any)
	if s1["qField"] != "OrderID" || s1["qSelected"] != "10 of 12" {
		t.Fatalf("selection 1 %v", s1)
	}
	call(t, d, "Back")
	_, l = call(t, g, "GetLayout")
	if dig(l, "qLayout", "qSelectionObject", "qForwardCount") != 1.0 {
		t.Fatal("forward count")
	}
}

func TestFieldAndVariableLists(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", map[string]any{"qInfo": map[string]any{"qType": "lists"},
		"qFieldListDef": map[string]any{"qShowSrcTables": true}, "qVariableListDef": map[string]any{"qType": "variable"}}))
	_, l := call(t, g, "GetLayout")
	if dig(l, "qLayout", "qFieldList", "qItems", 0, "qName") != "RegionID" {
		t.Fatalf("field list %v", dig(l, "qLayout", "qFieldList"))
	}
	found := false
	for _, it := range dig(l, "qLayout", "qVariableList", "qItems").([]any) {
		if it.(map[string]any)["qName"] == "vDemoTotal" {
			found = true
		}
	}
	if !found {
		t.Fatal("script variable missing from qVariableList")
	}
}
