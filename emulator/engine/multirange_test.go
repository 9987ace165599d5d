package engine

import (
	"encoding/json"
	"testing"
)

func TestMultiRangeSelectHyperCubeValues(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"scatter"},
		"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["Customer"]}}],
		"qMeasures":[{"qDef":{"qDef":"Sum(Sales)"}},{"qDef":{"qDef":"Sum(Quantity)"}}]}}`)))
	// Per customer (Sales, Quantity): Alice (40, 20), Bob (20, 9), Carol
	// (20, 14), Dave (14, 11), Erin (20, 8). Both ranges: Alice and Carol.
	ranges := []map[string]any{{
		"qRanges": []map[string]any{
			{"qRange": map[string]any{"qMin": 20, "qMax": 40, "qMinInclEq": true, "qMaxInclEq": true}, "qMeasureIx": 0},
			{"qRange": map[string]any{"qMin": 10, "qMax": 20, "qMinInclEq": true, "qMaxInclEq": true}, "qMeasureIx": 1},
		},
		"qColumnsToSelect": []int{0},
	}}
	r, res := call(t, g, "MultiRangeSelectHyperCubeValues", "/qHyperCubeDef", ranges, false, false)
	if res["qSuccess"] != true || len(r.Changed) == 0 {
		t.Fatalf("MultiRangeSelectHyperCubeValues %v", res)
	}
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 60 {
		t.Fatalf("AND: Sum(Sales) = %v, want Alice 40 + Carol 20", v.Num)
	}
	call(t, d, "ClearAll")
	call(t, g, "MultiRangeSelectHyperCubeValues", "/qHyperCubeDef", ranges, true, false)
	if v, _ := d.evalExpr("Count(DISTINCT Customer)"); v.Num != 5 {
		t.Fatalf("OR: %v customers, want the 5 with orders", v.Num)
	}
	call(t, d, "ClearAll")
	empty := []map[string]any{{"qRanges": []map[string]any{{"qRange": map[string]any{"qMin": 1000, "qMax": 2000}, "qMeasureIx": 0}}}}
	if _, res := call(t, g, "MultiRangeSelectHyperCubeValues", "/qHyperCubeDef", empty, false, false); res["qSuccess"] != false {
		t.Fatalf("nothing in range: %v", res)
	}
}
