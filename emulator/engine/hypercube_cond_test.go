package engine

import "testing"

func TestHyperCubeTitleAndCondition(t *testing.T) {
	d := openDemo(t)
	cube := func(extra map[string]any) map[string]any {
		def := map[string]any{
			"qDimensions":       []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Category"}}}},
			"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}},
			"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
		}
		for k, v := range extra {
			def[k] = v
		}
		_, hc := cubeLayout(t, d, map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": def})
		return hc
	}
	if hc := cube(nil); hc["qTitle"] != nil || hc["qError"] != nil || hc["qCalcCondMsg"] != nil {
		t.Errorf("no title or condition: %v %v %v", hc["qTitle"], hc["qError"], hc["qCalcCondMsg"])
	}
	if hc := cube(map[string]any{"qTitle": map[string]any{"qv": "Plain"}}); hc["qTitle"] != "Plain" {
		t.Errorf("plain title %v", hc["qTitle"])
	}
	if hc := cube(map[string]any{"qTitle": "=Count(OrderID) & ' orders'"}); hc["qTitle"] != "12 orders" {
		t.Errorf("expression title %v", hc["qTitle"])
	}
	hc := cube(map[string]any{"qCalcCond": map[string]any{"qv": "=Sum(Sales) > 1000"}})
	if num(dig(hc, "qError", "qErrorCode")) != 7005 || len(hc["qDataPages"].([]any)) != 0 || hc["qCalcCondMsg"] != "" {
		t.Errorf("unfulfilled qCalcCond: %v %v %v", hc["qError"], hc["qDataPages"], hc["qCalcCondMsg"])
	}
	hc = cube(map[string]any{"qCalcCondition": map[string]any{"qCond": map[string]any{"qv": "=Sum(Sales) > 100"}, "qMsg": map[string]any{"qv": "='only ' & Sum(Sales)"}}})
	if hc["qError"] != nil || hc["qCalcCondMsg"] != nil || len(rowsOf(hc)) != 3 {
		t.Errorf("fulfilled qCalcCondition: %v %v %v", hc["qError"], hc["qCalcCondMsg"], rowsOf(hc))
	}
	hc = cube(map[string]any{"qCalcCondition": map[string]any{"qCond": map[string]any{"qv": "=Sum(Sales) > 1000"}, "qMsg": map[string]any{"qv": "='only ' & Sum(Sales)"}}})
	if hc["qCalcCondMsg"] != "only 114" {
		t.Errorf("qCalcCondMsg %v", hc["qCalcCondMsg"])
	}
}

// TestCalcConditionDataCalls: while the condition is not met the cube is
// not calculated: the layout has qcy 0 and no grand totals, the data calls
// answer no rows and selecting in it selects nothing; once a selection
// fulfils the condition the same object answers its data again.
func TestCalcConditionDataCalls(t *testing.T) {
	d := openDemo(t)
	def := map[string]any{
		"qDimensions":       []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Region"}}}},
		"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
		// Fulfilled only when one region is selected.
		"qCalcCondition": map[string]any{"qCond": map[string]any{"qv": "=Count(DISTINCT Region) = 1"}, "qMsg": map[string]any{"qv": "Select one region"}},
	}
	g, hc := cubeLayout(t, d, map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": def})
	if num(dig(hc, "qError", "qErrorCode")) != 7005 || hc["qCalcCondMsg"] != "Select one region" {
		t.Fatalf("layout error %v msg %v", hc["qError"], hc["qCalcCondMsg"])
	}
	if num(dig(hc, "qSize", "qcy")) != 0 || num(dig(hc, "qSize", "qcx")) != 2 || len(hc["qGrandTotalRow"].([]any)) != 0 || len(hc["qDataPages"].([]any)) != 0 {
		t.Errorf("uncalculated layout: size %v grand %v pages %v", hc["qSize"], hc["qGrandTotalRow"], hc["qDataPages"])
	}
	page := []any{map[string]any{"qLeft": 0, "qTop": 0, "qWidth": 2, "qHeight": 10}}
	_, res := call(t, g, "GetHyperCubeData", "/qHyperCubeDef", page)
	if m := dig(res, "qDataPages", 0, "qMatrix").([]any); len(m) != 0 {
		t.Errorf("GetHyperCubeData under an unmet condition: %v", m)
	}
	if h := num(dig(res, "qDataPages", 0, "qArea", "qHeight")); h != 0 {
		t.Errorf("qArea.qHeight %v", h)
	}
	_, res = call(t, g, "GetHyperCubeReducedData", "/qHyperCubeDef", page, -1, "N")
	if m := dig(res, "qDataPages", 0, "qMatrix").([]any); len(m) != 0 {
		t.Errorf("GetHyperCubeReducedData under an unmet condition: %v", m)
	}
	_, res = call(t, g, "SelectHyperCubeCells", "/qHyperCubeDef", []int{0}, []int{0}, false, false)
	if _, ev := call(t, d, "Evaluate", "GetSelectedCount(Region)"); ev["qReturn"] != "0" {
		t.Errorf("a selection in the uncalculated cube selected %v (reply %v)", ev["qReturn"], res)
	}

	f := ret(t, mustCall(t, d, "GetField", "Region"))
	call(t, f, "Select", "South", false, 0)
	_, l := call(t, g, "GetLayout")
	hc = dig(l, "qLayout", "qHyperCube").(map[string]any)
	if hc["qError"] != nil || hc["qCalcCondMsg"] != nil {
		t.Fatalf("fulfilled condition still reported: %v %v", hc["qError"], hc["qCalcCondMsg"])
	}
	expectRows(t, hc, [][]string{{"South", "20"}})
	_, res = call(t, g, "GetHyperCubeData", "/qHyperCubeDef", page)
	if got := matrixTexts(dig(res, "qDataPages", 0, "qMatrix")); len(got) != 1 || got[0][1] != "20" {
		t.Errorf("GetHyperCubeData once fulfilled: %v", got)
	}
}
