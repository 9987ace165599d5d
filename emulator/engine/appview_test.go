package engine

import (
	"context"
	"testing"
)

// TestActiveSheetAndRanks: GetActiveSheetId follows the sheet laid out
// last; SetAppObjectSortingRank orders qAppObjectList and refuses unknown
// ids.
func TestActiveSheetAndRanks(t *testing.T) {
	d := openDemo(t)
	if _, res := call(t, d, "GetActiveSheetId"); res["qId"] != "" {
		t.Fatalf("GetActiveSheetId before any sheet: %v", res)
	}
	sheet := func(id string) *GenericObject {
		r, _ := call(t, d, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": id, "qType": "sheet"}})
		return r.Result[0].Value.(*GenericObject)
	}
	s1, s2 := sheet("s1"), sheet("s2")
	call(t, d, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": "s3", "qType": "sheet"}})
	call(t, s2, "GetLayout")
	call(t, s1, "GetLayout")
	if _, res := call(t, d, "GetActiveSheetId"); res["qId"] != "s1" {
		t.Fatalf("GetActiveSheetId: %v", res)
	}
	call(t, d, "SetAppObjectSortingRank", "s3", 1)
	call(t, d, "SetAppObjectSortingRank", "s1", 2)
	r, _ := call(t, d, "CreateSessionObject", map[string]any{"qInfo": map[string]any{"qType": "SheetList"},
		"qAppObjectListDef": map[string]any{"qType": "sheet", "qData": map[string]any{}}})
	_, res := call(t, r.Result[0].Value.(*GenericObject), "GetLayout")
	items := res["qLayout"].(map[string]any)["qAppObjectList"].(map[string]any)["qItems"].([]any)
	var order []string
	for _, it := range items {
		order = append(order, it.(map[string]any)["qInfo"].(map[string]any)["qId"].(string))
	}
	if len(order) != 3 || order[0] != "s3" || order[1] != "s1" || order[2] != "s2" {
		t.Fatalf("qAppObjectList by rank: %v", order)
	}
	if _, err := d.Call(context.Background(), "SetAppObjectSortingRank", ParamList{"nope", 1}); err == nil {
		t.Fatalf("SetAppObjectSortingRank of an unknown id: no error")
	}
	call(t, d, "DestroyObject", "s1")
	if _, res := call(t, d, "GetActiveSheetId"); res["qId"] != "" {
		t.Fatalf("GetActiveSheetId after the sheet went: %v", res)
	}
}

// TestLayoutPropertiesAndNoOps: GetLayoutProperties tells whether the
// script has a section access part; the migrations and Resume answer {}.
func TestLayoutPropertiesAndNoOps(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "GetLayoutProperties")
	if lp := res["qLayoutProp"].(map[string]any); lp["qHasSectionAccess"] != false {
		t.Fatalf("GetLayoutProperties: %v", res)
	}
	call(t, d, "SetScript", "Section Access;\nLOAD * INLINE [ACCESS, USERID\nADMIN, A];\nSection Application;\n")
	if _, res := call(t, d, "GetLayoutProperties"); res["qLayoutProp"].(map[string]any)["qHasSectionAccess"] != true {
		t.Fatalf("GetLayoutProperties with section access: %v", res)
	}
	for _, m := range []string{"MigrateDerivedFields", "MigrateVariables", "Resume"} {
		if r, _ := call(t, d, m); len(r.Result) != 0 {
			t.Errorf("%s: %v", m, r.Result)
		}
	}
}
