package engine

import (
	"math"
	"testing"
)

// TestAttributeValuesByHand: the Demo app's numbers by hand. Per Region
// (North 60, South 20, East 34 in Sum(Sales)): a text attribute that is
// null for South has no qText and qNum NaN; an attribute dimension on a
// numeric field (RegionID via the Customer dimension) has no qText, as
// NxSimpleDimValue says; qAttrExprInfo's min and max.
func TestAttributeValuesByHand(t *testing.T) {
	d := openDemo(t)
	props := map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": map[string]any{
		"qDimensions": []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Region"}}}},
		"qMeasures": []any{map[string]any{
			"qDef": map[string]any{"qDef": "Sum(Sales)"},
			"qAttributeExpressions": []any{
				map[string]any{"qExpression": "If(Sum(Sales) > 30, 'big')"},
				map[string]any{"qExpression": "Sum(Quantity)", "qLabel": "Units"},
			},
		}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
	}}
	_, hc := cubeLayout(t, d, props)
	want := map[string][2]any{"North": {"big", 29.0}, "South": {nil, 14.0}, "East": {"big", 19.0}}
	m := dig(hc, "qDataPages", 0, "qMatrix").([]any)
	if len(m) != 3 {
		t.Fatalf("%d rows", len(m))
	}
	for i := range m {
		region := dig(m, i, 0, "qText").(string)
		vals := dig(m, i, 1, "qAttrExps", "qValues").([]any)
		w := want[region]
		text, hasText := vals[0].(map[string]any)["qText"]
		if w[0] == nil {
			if hasText || !math.IsNaN(num(dig(vals, 0, "qNum"))) {
				t.Errorf("%s: null attribute %v, want no qText and NaN", region, vals[0])
			}
		} else if text != w[0] {
			t.Errorf("%s: attribute %v, want %v", region, text, w[0])
		}
		if num(dig(vals, 1, "qNum")) != w[1] {
			t.Errorf("%s: Sum(Quantity) %v, want %v", region, dig(vals, 1, "qNum"), w[1])
		}
		if dig(m, i, 0, "qAttrExps") != nil {
			t.Errorf("%s: the dimension cell has attributes", region)
		}
	}
	info := dig(hc, "qMeasureInfo", 0, "qAttrExprInfo").([]any)
	if num(dig(info, 1, "qMin")) != 14 || num(dig(info, 1, "qMax")) != 29 || dig(info, 1, "qFallbackTitle") != "Units" || dig(info, 1, "qMinText") != "14" {
		t.Errorf("qAttrExprInfo %v", info[1])
	}
	if !math.IsNaN(num(dig(info, 0, "qMin"))) || dig(info, 0, "qFallbackTitle") != "If(Sum(Sales) > 30, 'big')" {
		t.Errorf("text attribute info %v", info[0])
	}

	props = map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": map[string]any{
		"qDimensions": []any{map[string]any{
			"qDef":                 map[string]any{"qFieldDefs": []any{"Customer"}},
			"qAttributeDimensions": []any{map[string]any{"qDef": "RegionID"}, map[string]any{"qDef": "Region"}},
		}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 1, "qHeight": 10}},
	}}
	_, hc = cubeLayout(t, d, props)
	regionOf := map[string][2]any{"Alice": {1.0, "North"}, "Bob": {1.0, "North"}, "Carol": {2.0, "South"}, "Dave": {3.0, "East"}, "Erin": {3.0, "East"}, "Frank": {2.0, "South"}}
	m = dig(hc, "qDataPages", 0, "qMatrix").([]any)
	if len(m) != 6 {
		t.Fatalf("%d customers", len(m))
	}
	for i := range m {
		c := dig(m, i, 0, "qText").(string)
		vals := dig(m, i, 0, "qAttrDims", "qValues").([]any)
		if _, has := vals[0].(map[string]any)["qText"]; has {
			t.Errorf("%s: numeric attribute dimension has qText: %v", c, vals[0])
		}
		// RegionID's elements are in load order (1, 2, 3 → 0, 1, 2).
		if num(dig(vals, 0, "qElemNo")) != regionOf[c][0].(float64)-1 || dig(vals, 1, "qText") != regionOf[c][1] {
			t.Errorf("%s: qAttrDims %v, want RegionID %v, %v", c, vals, regionOf[c][0], regionOf[c][1])
		}
	}
	di := dig(hc, "qDimensionInfo", 0, "qAttrDimInfo").([]any)
	if num(dig(di, 1, "qCardinal")) != 3 || dig(di, 1, "qFallbackTitle") != "Region" || dig(di, 1, "qIsCalculated") != false {
		t.Errorf("qAttrDimInfo %v", di)
	}
}

// TestPivotValueAttributes: a pivot's value points carry their measure's
// attribute values for their cell (Demo by hand: Sum(Quantity) by Region
// and Year, North 17/12, South 5/9, East 8/11), its dimension cells their
// dimension's.
func TestPivotValueAttributes(t *testing.T) {
	d := openDemo(t)
	props := map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": map[string]any{
		"qMode":                "P",
		"qAlwaysFullyExpanded": true,
		"qNoOfLeftDims":        1,
		"qDimensions": []any{
			map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Region"}}, "qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Quantity)"}}},
			map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Year"}}, "qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Sales)"}}},
		},
		"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}, "qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Quantity)"}}}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 3}},
	}}
	g := ret(t, mustCall(t, d, "CreateSessionObject", props))
	_, res := call(t, g, "GetHyperCubePivotData", "/qHyperCubeDef", []any{map[string]any{"qLeft": 0, "qTop": 0, "qWidth": 2, "qHeight": 3}})
	page := dig(res, "qDataPages", 0)
	want := map[string]float64{"North/2023": 17, "North/2024": 12, "South/2023": 5, "South/2024": 9, "East/2023": 8, "East/2024": 11}
	left := dig(page, "qLeft").([]any)
	top := dig(page, "qTop").([]any)
	if len(left) != 3 || len(top) != 2 {
		t.Fatalf("left %d top %d", len(left), len(top))
	}
	// Dimension cells: Sum(Quantity) per Region, Sum(Sales) per Year
	// (2023: 20+5+6+8+3+8, 2024: 6+18+2+15+14+9).
	wantDim := map[string]float64{"North": 29, "South": 14, "East": 19, "2023": 50, "2024": 64}
	for _, cells := range [][]any{left, top} {
		for i := range cells {
			name := dig(cells, i, "qText").(string)
			if got := num(dig(cells, i, "qAttrExps", "qValues", 0, "qNum")); got != wantDim[name] {
				t.Errorf("dimension cell %s: %v, want %v", name, got, wantDim[name])
			}
		}
	}
	for i := range left {
		for j := range top {
			key := dig(left, i, "qText").(string) + "/" + dig(top, j, "qText").(string)
			if got := num(dig(page, "qData", i, j, "qAttrExps", "qValues", 0, "qNum")); got != want[key] {
				t.Errorf("%s: Sum(Quantity) %v, want %v", key, got, want[key])
			}
		}
	}
}

// TestStackValueAttributes: stacked pages carry attribute values too (Demo
// by hand: per Region and Year, Sum(Quantity) North 17/12, South 5/9,
// East 8/11; per Region 29, 14, 19).
func TestStackValueAttributes(t *testing.T) {
	d := openDemo(t)
	props := map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": map[string]any{
		"qMode": "K",
		"qDimensions": []any{
			map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Region"}}, "qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Quantity)"}}},
			map[string]any{"qDef": map[string]any{"qFieldDefs": []any{"Year"}}},
		},
		"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}, "qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Quantity)"}}}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 1, "qHeight": 3}},
	}}
	g := ret(t, mustCall(t, d, "CreateSessionObject", props))
	_, res := call(t, g, "GetHyperCubeStackData", "/qHyperCubeDef", []any{map[string]any{"qLeft": 0, "qTop": 0, "qWidth": 1, "qHeight": 3}}, 10000)
	regions := dig(res, "qDataPages", 0, "qData", 0, "qSubNodes").([]any)
	want := map[string]float64{"North": 29, "South": 14, "East": 19, "North/2023": 17, "North/2024": 12, "South/2023": 5, "South/2024": 9, "East/2023": 8, "East/2024": 11}
	if len(regions) != 3 {
		t.Fatalf("%d regions: %v", len(regions), res)
	}
	for i := range regions {
		r := dig(regions, i, "qText").(string)
		if got := num(dig(regions, i, "qAttrExps", "qValues", 0, "qNum")); got != want[r] {
			t.Errorf("%s: %v, want %v", r, got, want[r])
		}
		years := dig(regions, i, "qSubNodes").([]any)
		for j := range years {
			key := r + "/" + dig(years, j, "qText").(string)
			if got := num(dig(years, j, "qSubNodes", 0, "qAttrExps", "qValues", 0, "qNum")); got != want[key] {
				t.Errorf("%s: %v, want %v", key, got, want[key])
			}
		}
	}
}
