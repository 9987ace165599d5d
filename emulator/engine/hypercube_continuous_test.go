package engine

import (
	"context"
	"testing"
)

// continuousCube makes a one-dimension Sum(Sales) hypercube on Demo.
func continuousCube(t *testing.T, dim string) *GenericObject {
	t.Helper()
	d := openDemo(t)
	r, _ := call(t, d, "CreateSessionObject", map[string]any{
		"qInfo": map[string]any{"qType": "linechart"},
		"qHyperCubeDef": map[string]any{
			"qDimensions": []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []string{dim}}}},
			"qMeasures":   []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}},
		},
	})
	return r.Result[0].Value.(*GenericObject)
}

// continuousResult runs GetHyperCubeContinuousData and returns the first
// column's texts, qIsReduced and the ticks' texts.
func continuousResult(t *testing.T, g *GenericObject, opt map[string]any, reverse bool) ([]string, bool, []string, map[string]any) {
	t.Helper()
	_, res := call(t, g, "GetHyperCubeContinuousData", "/qHyperCubeDef", opt, reverse)
	pg := res["qDataPages"].([]any)[0].(map[string]any)
	var col []string
	for _, r := range matrixTexts(pg["qMatrix"]) {
		col = append(col, r[0])
	}
	axis := res["qAxisData"].(map[string]any)["qAxis"].([]any)[0].(map[string]any)
	var ticks []string
	for _, tk := range axis["qTicks"].([]any) {
		ticks = append(ticks, tk.(map[string]any)["qText"].(string))
	}
	return col, pg["qIsReduced"].(bool), ticks, axis
}

// TestContinuousData: the range, binning, reverse order and ticks of
// GetHyperCubeContinuousData.
func TestContinuousData(t *testing.T) {
	g := continuousCube(t, "OrderID")
	col, reduced, ticks, axis := continuousResult(t, g, map[string]any{"qStart": 3, "qEnd": 8, "qNbrPoints": 0, "qMaxNbrTicks": 5}, false)
	if len(col) != 6 || col[0] != "3" || col[5] != "8" || reduced {
		t.Fatalf("rows in [3, 8]: %v %v", col, reduced)
	}
	if axis["qName"] != "OrderID" || len(ticks) == 0 || len(ticks) > 5 || ticks[0] != "4" {
		t.Fatalf("axis: %v %v", axis, ticks)
	}
	col, reduced, _, _ = continuousResult(t, g, map[string]any{"qStart": 3, "qEnd": 8, "qNbrPoints": 3}, false)
	if len(col) != 3 || col[0] != "3" || col[1] != "5" || col[2] != "7" || !reduced {
		t.Fatalf("three bins: %v %v", col, reduced)
	}
	col, _, _, _ = continuousResult(t, g, map[string]any{}, true)
	if len(col) != 12 || col[0] != "12" || col[11] != "1" {
		t.Fatalf("whole axis reversed: %v", col)
	}

	dates := continuousCube(t, "OrderDate")
	_, _, ticks, axis = continuousResult(t, dates, map[string]any{"qMaxNbrTicks": 4}, false)
	if len(ticks) == 0 || len(ticks[0]) != 10 || ticks[0][4] != '-' {
		t.Fatalf("date ticks: %v (%v)", ticks, axis)
	}
	if _, err := g.Call(context.Background(), "GetHyperCubeContinuousData", ParamList{"/qNoCube", map[string]any{}}); err == nil {
		t.Errorf("a path without a hypercube: no error")
	}
}
