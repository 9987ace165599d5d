package engine

import (
	"context"
	"testing"
)

// TestDrillDownGroup: a qGrouping "H" dimension shows Region until one
// region is left, then Customer; DrillUp goes back up and clears the
// selections of the levels it leaves.
func TestDrillDownGroup(t *testing.T) {
	d := openDemo(t)
	r, _ := call(t, d, "CreateSessionObject", map[string]any{
		"qInfo": map[string]any{"qType": "chart"},
		"qHyperCubeDef": map[string]any{
			"qDimensions": []any{map[string]any{"qDef": map[string]any{"qGrouping": "H",
				"qFieldDefs": []string{"Region", "Customer", "Product"}, "qFieldLabels": []string{"", "Buyer"}}}},
			"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}},
			"qInitialDataFetch": []any{map[string]any{"qTop": 0, "qLeft": 0, "qWidth": 2, "qHeight": 10}},
		},
	})
	g := r.Result[0].Value.(*GenericObject)
	look := func() (map[string]any, [][]string) {
		t.Helper()
		_, res := call(t, g, "GetLayout")
		hc := res["qLayout"].(map[string]any)["qHyperCube"].(map[string]any)
		info := hc["qDimensionInfo"].([]any)[0].(map[string]any)
		return info, matrixTexts(hc["qDataPages"].([]any)[0].(map[string]any)["qMatrix"])
	}
	info, rows := look()
	if info["qGrouping"] != "H" || info["qGroupPos"] != 0.0 || info["qFallbackTitle"] != "Region" || len(rows) != 3 {
		t.Fatalf("level 0: %v %v", info, rows)
	}
	if titles := info["qGroupFallbackTitles"].([]any); len(titles) != 3 || titles[1] != "Buyer" || titles[2] != "Product" {
		t.Fatalf("qGroupFallbackTitles %v", titles)
	}
	region := ret(t, mustCall(t, d, "GetField", "Region"))
	call(t, region, "Select", "North")
	info, rows = look()
	if info["qGroupPos"] != 1.0 || info["qFallbackTitle"] != "Buyer" || len(rows) != 2 || rows[0][0] != "Alice" {
		t.Fatalf("level 1: %v %v", info, rows)
	}
	call(t, ret(t, mustCall(t, d, "GetField", "Customer")), "Select", "Alice")
	info, rows = look()
	if info["qGroupPos"] != 2.0 || info["qFallbackTitle"] != "Product" {
		t.Fatalf("level 2: %v %v", info, rows)
	}
	call(t, g, "DrillUp", "/qHyperCubeDef", 0, 1)
	if info, _ = look(); info["qGroupPos"] != 1.0 {
		t.Fatalf("after DrillUp 1: %v", info)
	}
	call(t, g, "DrillUp", "/qHyperCubeDef", 0, 5)
	if info, rows = look(); info["qGroupPos"] != 0.0 || len(rows) != 3 {
		t.Fatalf("after DrillUp 5: %v %v", info, rows)
	}
	if _, err := g.Call(context.Background(), "DrillUp", ParamList{"/qHyperCubeDef", 3, 1}); err == nil {
		t.Errorf("DrillUp of a missing dimension: no error")
	}
}
