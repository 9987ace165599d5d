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
