package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestGetTableData(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "GetTableData", 1, 2, false, "Regions")
	rows := res["qData"].([]any)
	if len(rows) != 2 || dig(rows[0], "qValue", 1, "qText") != "South" || dig(rows[0], "qValue", 0, "qNumber") != 2.0 ||
		dig(rows[0], "qValue", 0, "qIsNumeric") != true || dig(rows[1], "qValue", 1, "qText") != "East" {
		t.Fatalf("GetTableData %v", rows)
	}
	if _, res := call(t, d, "GetTableData", 10, 5, false, "Regions"); len(res["qData"].([]any)) != 0 {
		t.Fatalf("past the end: %v", res)
	}
	if _, err := d.Call(context.Background(), "GetTableData", ParamList{0, 1, false, "Nope"}); err == nil {
		t.Fatal("unknown table: no error")
	}
}

func TestVariablesMore(t *testing.T) {
	d := openDemo(t)
	mustCall(t, d, "CreateVariableEx", map[string]any{"qInfo": map[string]any{"qType": "variable"}, "qName": "vMine", "qDefinition": "1"})
	mustCall(t, d, "CreateSessionVariable", map[string]any{"qInfo": map[string]any{"qType": "variable"}, "qName": "vSess", "qDefinition": "2"})
	names := func(def map[string]any) map[string]bool {
		_, res := call(t, d, "GetVariables", def)
		out := map[string]bool{}
		for _, it := range res["qList"].([]any) {
			out[dig(it, "qName").(string)] = true
		}
		return out
	}
	if n := names(map[string]any{"qType": "variable"}); !n["vMine"] || !n["vDemoTotal"] || n["vSess"] {
		t.Fatalf("GetVariables %v", n)
	}
	if n := names(map[string]any{"qType": "variable", "qShowSession": true}); !n["vSess"] {
		t.Fatalf("GetVariables with session %v", n)
	}
	call(t, d, "SetFavoriteVariables", []string{"vMine", "vGone"})
	if _, res := call(t, d, "GetFavoriteVariables"); len(res["qNames"].([]any)) != 1 || dig(res, "qNames", 0) != "vMine" {
		t.Fatalf("favorites %v", res)
	}
	if _, res := call(t, d, "RemoveVariable", "vMine"); res["qReturn"] != true {
		t.Fatalf("RemoveVariable %v", res)
	}
	if _, res := call(t, d, "RemoveVariable", "vMine"); res["qReturn"] != false {
		t.Fatalf("RemoveVariable twice %v", res)
	}
	if n := names(nil); n["vMine"] {
		t.Fatal("removed variable still listed")
	}
	if _, res := call(t, d, "GetTextMacros"); len(res["qMacros"].([]any)) == 0 {
		t.Fatalf("GetTextMacros %v", res)
	}
}

func TestGetMeasureWithLabel(t *testing.T) {
	d := openDemo(t)
	mustCall(t, d, "CreateMeasure", json.RawMessage(`{"qInfo":{"qId":"m1"},"qMeasure":{"qDef":"Sum(Sales)","qLabel":"Revenue"}}`))
	if o := ret(t, mustCall(t, d, "GetMeasureWithLabel", "Revenue")); o == nil || isNilObject(o) || o.GenericID() != "m1" || o.Type() != "GenericMeasure" {
		t.Fatalf("GetMeasureWithLabel: %v", o)
	}
	if o := ret(t, mustCall(t, d, "GetMeasureWithLabel", "Nope")); !isNilObject(o) {
		t.Fatalf("unknown label: %v", o)
	}
}

func TestMediaScriptAndIncludes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "inc.qvs"), []byte("LET x = 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := NewLibrary(dir).Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, res := call(t, d, "GetIncludeFileContent", "lib://data/inc.qvs"); res["qContent"] != "LET x = 1;" {
		t.Fatalf("GetIncludeFileContent %v", res)
	}
	if _, err := d.Call(context.Background(), "GetIncludeFileContent", ParamList{"lib://data/../../etc/passwd"}); err == nil {
		t.Fatal("path outside the data folder: no error")
	}
	if _, res := call(t, d, "GetMediaList"); res["qReturn"] != true || len(dig(res, "qList", "qItems").([]any)) != 0 {
		t.Fatalf("GetMediaList %v", res)
	}
	_, res := call(t, d, "GetContentLibraries")
	if dig(res, "qList", "qItems", 1, "qName") != "appcontent" || dig(res, "qList", "qItems", 1, "qAppSpecific") != true {
		t.Fatalf("GetContentLibraries %v", res)
	}
	if _, err := d.Call(context.Background(), "GetLibraryContent", ParamList{"nope"}); err == nil || err.(*Error).Code != 19004 {
		t.Fatalf("unknown library: %v", err)
	}
	if _, res := call(t, d, "GetScriptEx"); dig(res, "qScript", "qScript") != DemoScript || dig(res, "qScript", "qIsLocked") != false {
		t.Fatalf("GetScriptEx %v", res)
	}
	call(t, d, "SetFetchLimit", 10)
}
