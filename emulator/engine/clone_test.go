package engine

import (
	"context"
	"encoding/json"
	"testing"
)

func TestCloneObjectWithChildren(t *testing.T) {
	d := openDemo(t)
	sheet := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"s1","qType":"sheet"},"title":"Sheet"}`)))
	call(t, sheet, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"c1","qType":"kpi"},"title":"Child"}`))
	_, res := call(t, d, "CloneObject", "s1")
	id, _ := res["qCloneId"].(string)
	if id == "" || id == "s1" {
		t.Fatalf("qCloneId %v", res)
	}
	clone := ret(t, mustCall(t, d, "GetObject", id))
	_, p := call(t, clone, "GetProperties")
	if dig(p, "qProp", "title") != "Sheet" || dig(p, "qProp", "qInfo", "qId") != id || dig(p, "qProp", "qInfo", "qType") != "sheet" {
		t.Fatalf("clone properties %v", p)
	}
	_, ci := call(t, clone, "GetChildInfos")
	kids := ci["qInfos"].([]any)
	if len(kids) != 1 || dig(kids[0], "qId") == "c1" || dig(kids[0], "qType") != "kpi" {
		t.Fatalf("clone children %v", kids)
	}
	// The copy is independent of the original.
	call(t, clone, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": id}, "title": "Copy"})
	if _, p := call(t, sheet, "GetProperties"); dig(p, "qProp", "title") != "Sheet" {
		t.Fatalf("original changed: %v", p)
	}
	if _, err := d.Call(context.Background(), "CloneObject", ParamList{"nope"}); err == nil || err.(*Error).Code != 2 {
		t.Fatalf("CloneObject of a missing id: %v", err)
	}
	mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qId":"sess","qType":"x"}}`))
	if _, err := d.Call(context.Background(), "CloneObject", ParamList{"sess"}); err == nil {
		t.Fatal("CloneObject of a session object: no error")
	}
}

func TestCloneMasterItemsAndBookmarks(t *testing.T) {
	d := openDemo(t)
	mustCall(t, d, "CreateMeasure", json.RawMessage(`{"qInfo":{"qId":"m1"},"qMeasure":{"qDef":"Sum(Sales)","qLabel":"Sales"}}`))
	mustCall(t, d, "CreateDimension", json.RawMessage(`{"qInfo":{"qId":"d1"},"qDim":{"qFieldDefs":["Region"]}}`))
	call(t, ret(t, mustCall(t, d, "GetField", "Region")), "Select", "North")
	mustCall(t, d, "CreateBookmark", json.RawMessage(`{"qInfo":{"qId":"b1"}}`))
	for method, src := range map[string]string{"CloneMeasure": "m1", "CloneDimension": "d1", "CloneBookmark": "b1"} {
		_, res := call(t, d, method, src)
		id := res["qCloneId"].(string)
		get := map[string]string{"CloneMeasure": "GetMeasure", "CloneDimension": "GetDimension", "CloneBookmark": "GetBookmark"}[method]
		o := ret(t, mustCall(t, d, get, id))
		if o == nil || isNilObject(o) || o.GenericID() != id {
			t.Fatalf("%s: %s finds no %s", method, get, id)
		}
		// A measure id is no dimension: each clone method keeps to its kind.
		if method == "CloneMeasure" {
			if _, err := d.Call(context.Background(), "CloneDimension", ParamList{src}); err == nil {
				t.Fatal("CloneDimension of a measure: no error")
			}
		}
	}
	call(t, d, "ClearAll")
	_, res := call(t, d, "CloneBookmark", "b1")
	call(t, d, "ApplyBookmark", res["qCloneId"])
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 60 {
		t.Fatalf("cloned bookmark applies Sum(Sales) = %v, want North's 60", v.Num)
	}
}

func TestClearAllSoftPatches(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"sp","qType":"kpi"},"title":"hard"}`)))
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "replace", "qPath": "/title", "qValue": `"soft"`}}, true)
	if _, l := call(t, g, "GetLayout"); dig(l, "qLayout", "title") != "soft" {
		t.Fatalf("soft patch not shown: %v", l)
	}
	r, _ := call(t, d, "ClearAllSoftPatches")
	if !containsObj(r.Changed, g) {
		t.Fatal("ClearAllSoftPatches: object not in change list")
	}
	if _, l := call(t, g, "GetLayout"); dig(l, "qLayout", "title") != "hard" || dig(l, "qLayout", "qHasSoftPatches") != nil {
		t.Fatalf("after ClearAllSoftPatches: %v", l)
	}
}
