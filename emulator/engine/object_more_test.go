package engine

import (
	"context"
	"encoding/json"
	"testing"
)

func TestCopyFromAndChildOrder(t *testing.T) {
	d := openDemo(t)
	src := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"src","qType":"sheet"},"title":"Source"}`)))
	call(t, src, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"k1","qType":"kpi"},"n":1}`))
	call(t, src, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"k2","qType":"kpi"},"n":2}`))
	dst := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"dst","qType":"other"},"title":"Dest"}`)))
	call(t, dst, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"old","qType":"kpi"}}`))
	r, _ := call(t, dst, "CopyFrom", "src")
	if !containsObj(r.Changed, dst) || len(r.Closed) != 1 {
		t.Fatalf("CopyFrom: changed %v closed %v", r.Changed, r.Closed)
	}
	_, p := call(t, dst, "GetProperties")
	if dig(p, "qProp", "title") != "Source" || dig(p, "qProp", "qInfo", "qId") != "dst" || dig(p, "qProp", "qInfo", "qType") != "sheet" {
		t.Fatalf("CopyFrom properties %v", p)
	}
	_, ci := call(t, dst, "GetChildInfos")
	kids := ci["qInfos"].([]any)
	if len(kids) != 2 || d.lookupObj("old") != nil {
		t.Fatalf("CopyFrom children %v", kids)
	}
	// CopyFrom is a property change: Undo restores the title.
	call(t, d, "Undo")
	if _, p := call(t, dst, "GetProperties"); dig(p, "qProp", "title") != "Dest" {
		t.Fatalf("Undo after CopyFrom: %v", p)
	}

	call(t, src, "SetChildArrayOrder", []string{"k2", "k1"})
	_, ci = call(t, src, "GetChildInfos")
	if dig(ci, "qInfos", 0, "qId") != "k2" || dig(ci, "qInfos", 1, "qId") != "k1" {
		t.Fatalf("SetChildArrayOrder %v", ci)
	}
	for _, ids := range [][]string{{"k1"}, {"k1", "k1"}, {"k1", "nope"}} {
		if _, err := src.Call(context.Background(), "SetChildArrayOrder", ParamList{ids}); err == nil {
			t.Errorf("SetChildArrayOrder %v: no error", ids)
		}
	}
}

func TestGetLinkedObjects(t *testing.T) {
	d := openDemo(t)
	m := ret(t, mustCall(t, d, "CreateMeasure", json.RawMessage(`{"qInfo":{"qId":"m1"},"qMeasure":{"qDef":"Sum(Sales)"}}`)))
	sheet := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"sh","qType":"sheet"}}`)))
	call(t, sheet, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"chart","qType":"barchart"},
		"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["Region"]}}],"qMeasures":[{"qLibraryId":"m1"}]}}`))
	mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"other","qType":"kpi"}}`))
	_, res := call(t, m, "GetLinkedObjects")
	items := res["qItems"].([]any)
	if len(items) != 1 || dig(items[0], "qInfo", "qId") != "chart" || dig(items[0], "qRootId") != "sh" {
		t.Fatalf("GetLinkedObjects %v", items)
	}
}

func TestClearSoftPatchesAndContinuousRange(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"lb"},"title":"t",
		"qListObjectDef":{"qDef":{"qFieldDefs":["Sales"]},"qInitialDataFetch":[{"qTop":0,"qLeft":0,"qWidth":1,"qHeight":20}]}}`)))
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "replace", "qPath": "/title", "qValue": `"soft"`}}, true)
	call(t, g, "ClearSoftPatches")
	if _, p := call(t, g, "GetEffectiveProperties"); dig(p, "qProp", "title") != "t" {
		t.Fatalf("ClearSoftPatches: %v", p)
	}
	_, res := call(t, g, "SelectListObjectContinuousRange", "/qListObjectDef",
		[]map[string]any{{"qMin": 10, "qMax": 20, "qMinInclEq": true, "qMaxInclEq": false}}, false)
	if res["qSuccess"] != true {
		t.Fatalf("SelectListObjectContinuousRange %v", res)
	}
	// Sales values in [10, 20): 15, 14, 18 (Sum of the selected rows).
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 47 {
		t.Fatalf("after range: Sum(Sales) = %v, want 47", v.Num)
	}
}
