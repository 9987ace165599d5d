package engine

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// cubeLayout creates a session object and returns its qHyperCube layout.
func cubeLayout(t *testing.T, d *Doc, props map[string]any) (Object, map[string]any) {
	t.Helper()
	g := ret(t, mustCall(t, d, "CreateSessionObject", props))
	_, l := call(t, g, "GetLayout")
	return g, dig(l, "qLayout", "qHyperCube").(map[string]any)
}

func rowsOf(hc map[string]any) [][]string {
	return matrixTexts(dig(hc, "qDataPages", 0, "qMatrix"))
}

func expectRows(t *testing.T, hc map[string]any, want [][]string) {
	t.Helper()
	got := rowsOf(hc)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

func TestHypercubeDemoHandComputed(t *testing.T) {
	d := openDemo(t)
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)", "=Sum(Quantity)"}, 10))
	expectRows(t, hc, [][]string{{"North", "60", "29"}, {"South", "20", "14"}, {"East", "34", "19"}})
	if got := dig(hc, "qGrandTotalRow", 0, "qText"); got != "114" {
		t.Errorf("grand total %v", got)
	}
	if got := dig(hc, "qGrandTotalRow", 1, "qNum"); got != 62.0 {
		t.Errorf("grand total qty %v", got)
	}
	if dig(hc, "qSize", "qcx") != 3.0 || dig(hc, "qSize", "qcy") != 3.0 {
		t.Errorf("qSize %v", hc["qSize"])
	}
	if dig(hc, "qMeasureInfo", 0, "qMin") != 20.0 || dig(hc, "qMeasureInfo", 0, "qMax") != 60.0 {
		t.Errorf("qMin/qMax %v", hc["qMeasureInfo"])
	}
	if dig(hc, "qDimensionInfo", 0, "qCardinal") != 3.0 || dig(hc, "qDimensionInfo", 0, "qStateCounts", "qOption") != 3.0 {
		t.Errorf("dim info %v", hc["qDimensionInfo"])
	}

	// A dimension value without facts shows with 0 unless zeros are suppressed.
	_, hc = cubeLayout(t, d, cubeProps([]string{"Category"}, []string{"Sum(Sales)"}, 10))
	expectRows(t, hc, [][]string{{"Fruit", "72"}, {"Vegetable", "42"}, {"Bakery", "0"}})
	p := cubeProps([]string{"Category"}, []string{"Sum(Sales)"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qSuppressZero"] = true
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"Fruit", "72"}, {"Vegetable", "42"}})

	// Two dimensions from different tables.
	_, hc = cubeLayout(t, d, cubeProps([]string{"Year", "Region"}, []string{"Sum(Sales)"}, 10))
	expectRows(t, hc, [][]string{{"2023", "North", "31"}, {"2023", "South", "11"}, {"2023", "East", "8"},
		{"2024", "North", "29"}, {"2024", "South", "9"}, {"2024", "East", "26"}})

	// Measures without dimensions.
	_, hc = cubeLayout(t, d, cubeProps(nil, []string{"Count(OrderID)", "Count(DISTINCT CustomerID)", "Avg(Sales)",
		"Min(Quantity)", "Max(Quantity)", "Sum(Quantity*2)/2", "Sum(Sales)/Sum(Quantity)", "Only(Region)", "Count(*)",
		"If(Sum(Sales) > 100, 'big', 'small')", "Sum(Quantity * Price)", "Count(DISTINCT Category)"}, 1))
	got := rowsOf(hc)[0]
	want := []string{"12", "5", "9.5", "1", "10", "62", formatNum(114.0 / 62), "-", "12", "big", "114", "3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("measures = %v, want %v", got, want)
	}

	// Count of customers per region runs over the Customers table.
	_, hc = cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Count(DISTINCT Customer)"}, 10))
	expectRows(t, hc, [][]string{{"North", "2"}, {"South", "2"}, {"East", "2"}})
}

func TestHypercubeSorting(t *testing.T) {
	d := openDemo(t)
	p := cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)
	hcd := p["qHyperCubeDef"].(map[string]any)
	hcd["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] = []any{map[string]any{"qSortByAscii": 1}}
	_, hc := cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"East", "34"}, {"North", "60"}, {"South", "20"}})
	if dig(hc, "qDimensionInfo", 0, "qSortIndicator") != "A" {
		t.Error("sort indicator")
	}
	// Reverse.
	hcd["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qReverseSort"] = true
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"South", "20"}, {"North", "60"}, {"East", "34"}})

	// By measure first, descending.
	p = cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)
	hcd = p["qHyperCubeDef"].(map[string]any)
	hcd["qInterColumnSortOrder"] = []int{1, 0}
	hcd["qMeasures"].([]any)[0].(map[string]any)["qSortBy"] = map[string]any{"qSortByNumeric": -1}
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"North", "60"}, {"East", "34"}, {"South", "20"}})
	if !reflect.DeepEqual(hc["qEffectiveInterColumnSortOrder"], []any{1.0, 0.0}) {
		t.Error("effective sort order")
	}

	// By expression.
	p = cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] =
		[]any{map[string]any{"qSortByExpression": 1, "qExpression": map[string]any{"qv": "Sum(Quantity)"}}}
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"South", "20"}, {"East", "34"}, {"North", "60"}})

	// By state: selected first.
	call(t, fieldOf(t, d, "Year"), "Select", "2024")
	p = cubeProps([]string{"Year"}, nil, 10)
	p["qHyperCubeDef"].(map[string]any)["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] =
		[]any{map[string]any{"qSortByState": 1, "qSortByNumeric": 1}}
	_, hc = cubeLayout(t, d, p)
	// Only possible/selected rows show in a hypercube.
	expectRows(t, hc, [][]string{{"2024"}})
	if dig(hc, "qDataPages", 0, "qMatrix", 0, 0, "qState") != "S" {
		t.Error("state S")
	}

	// Numeric descending.
	call(t, d, "ClearAll")
	p = cubeProps([]string{"Quantity"}, nil, 20)
	p["qHyperCubeDef"].(map[string]any)["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] =
		[]any{map[string]any{"qSortByNumeric": -1}}
	_, hc = cubeLayout(t, d, p)
	if rows := rowsOf(hc); rows[0][0] != "10" || rows[len(rows)-1][0] != "1" {
		t.Errorf("numeric desc: %v", rows)
	}
}

func TestHypercubeNullsAndSuppression(t *testing.T) {
	d := sessionWithScript(t, `
Dim: LOAD * INLINE [
K, A
1, x
2, y
];
Fact: LOAD * INLINE [
K, V
1, 10
3, 30
];`)
	_, hc := cubeLayout(t, d, cubeProps([]string{"A"}, []string{"Sum(V)"}, 10))
	expectRows(t, hc, [][]string{{"-", "30"}, {"x", "10"}, {"y", "0"}})
	if dig(hc, "qDataPages", 0, "qMatrix", 0, 0, "qIsNull") != true || dig(hc, "qDataPages", 0, "qMatrix", 0, 0, "qElemNumber") != -2.0 {
		t.Error("null cell shape")
	}
	p := cubeProps([]string{"A"}, []string{"Sum(V)"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qDimensions"].([]any)[0].(map[string]any)["qNullSuppression"] = true
	p["qHyperCubeDef"].(map[string]any)["qSuppressZero"] = true
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"x", "10"}})
	// Missing values (null measure) are suppressed by qSuppressMissing.
	p = cubeProps([]string{"K"}, []string{"Only(A)"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qSuppressMissing"] = true
	_, hc = cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"1", "x"}, {"2", "y"}})
}

func TestHypercubePagingAndLimits(t *testing.T) {
	d := openSales(t)
	g, hc := cubeLayout(t, d, cubeProps([]string{"OrderID"}, []string{"Sum(Sales)"}, 5))
	if dig(hc, "qSize", "qcy") != 50000.0 {
		t.Fatalf("qcy %v", dig(hc, "qSize", "qcy"))
	}
	_, res := call(t, g, "GetHyperCubeData", "/qHyperCubeDef", []map[string]int{{"qLeft": 0, "qTop": 100, "qWidth": 2, "qHeight": 3}, {"qLeft": 1, "qTop": 49998, "qWidth": 5, "qHeight": 5}})
	p0 := matrixTexts(dig(res, "qDataPages", 0, "qMatrix"))
	if p0[0][0] != "101" || p0[2][0] != "103" || len(p0) != 3 {
		t.Errorf("page 0: %v", p0)
	}
	if a := dig(res, "qDataPages", 1, "qArea").(map[string]any); a["qHeight"] != 2.0 || a["qWidth"] != 1.0 || a["qLeft"] != 1.0 {
		t.Errorf("clipped area %v", a)
	}
	_, err := g.Call(context.Background(), "GetHyperCubeData", ParamList{"/qHyperCubeDef", []map[string]int{{"qWidth": 2, "qHeight": 5001}}})
	if e, ok := err.(*Error); !ok || e.Code != 7009 {
		t.Errorf("too large page: %v", err)
	}
}

func TestSelectHyperCubeCellsAndValues(t *testing.T) {
	d := openDemo(t)
	g, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	r, res := call(t, g, "SelectHyperCubeCells", "/qHyperCubeDef", []int{0, 2}, []int{0}, false, false)
	if res["qSuccess"] != true {
		t.Fatal(res)
	}
	// Real engines answer change:[doc, object].
	if len(r.Changed) < 2 || r.Changed[0] != Object(d) || !containsObj(r.Changed, g) {
		t.Fatalf("changed %v", r.Changed)
	}
	_, l := call(t, g, "GetLayout")
	hc := dig(l, "qLayout", "qHyperCube").(map[string]any)
	expectRows(t, hc, [][]string{{"North", "60"}, {"East", "34"}})
	if dig(hc, "qDataPages", 0, "qMatrix", 0, 0, "qState") != "S" || dig(hc, "qDataPages", 0, "qMatrix", 0, 1, "qState") != "L" {
		t.Error("states")
	}
	if dig(hc, "qDimensionInfo", 0, "qStateCounts", "qSelected") != 2.0 || dig(hc, "qDimensionInfo", 0, "qStateCounts", "qAlternative") != 1.0 {
		t.Error("state counts")
	}
	call(t, g, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	call(t, g, "SelectHyperCubeCells", "/qHyperCubeDef", []int{0}, []int{0}, false, true)
	expectStates(t, d, "Region", map[string]string{"North": "O", "South": "O"})
	call(t, g, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{1}, false)
	expectStates(t, d, "Region", map[string]string{"South": "S", "North": "A"})
	call(t, g, "ClearSelections", "/qHyperCubeDef", []int{0})
	expectStates(t, d, "Region", map[string]string{"South": "O"})
}

func containsObj(xs []Object, o Object) bool {
	for _, x := range xs {
		if x == o {
			return true
		}
	}
	return false
}

func TestFloatMarshalsSpecials(t *testing.T) {
	b, _ := json.Marshal([]Float{Float(math.NaN()), Float(math.Inf(1)), Float(math.Inf(-1)), 1.5})
	if string(b) != `["NaN","Infinity","-Infinity",1.5]` {
		t.Fatal(string(b))
	}
	var f []Float
	if err := json.Unmarshal(b, &f); err != nil || !math.IsNaN(float64(f[0])) || !math.IsInf(float64(f[1]), 1) || f[3] != 1.5 {
		t.Fatal(f, err)
	}
}

// keyOrder returns the keys of a JSON object in document order.
func keyOrder(t *testing.T, raw []byte) []string {
	t.Helper()
	v, err := parseOrdered(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range v.(obj) {
		out = append(out, m.K)
	}
	return out
}

func subJSON(t *testing.T, raw []byte, path string) []byte {
	t.Helper()
	v, err := parseOrdered(raw)
	if err != nil {
		t.Fatal(err)
	}
	sub, ok := getPath(v, path)
	if !ok {
		t.Fatalf("no %s", path)
	}
	b, _ := json.Marshal(sub)
	return b
}

// TestHypercubeMatchesRecordedLayout rebuilds the corectl golden layout's
// data and compares key order, shapes and values with the real engine's.
func BenchmarkDemoCube(b *testing.B) {
	d, _ := NewLibrary("").Open("Demo")
	g := ret(b, mustCall(b, d, "CreateSessionObject", cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)"}, 20))).(*GenericObject)
	for i := 0; i < b.N; i++ {
		d.gen++
		if _, err := g.Call(context.Background(), "GetLayout", nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestHypercubeCalculatedDimension(t *testing.T) {
	d := openDemo(t)
	p := cubeProps([]string{"=If(Quantity >= 5, 'big', 'small')"}, []string{"Sum(Sales)"}, 10)
	g, hc := cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"big", "89"}, {"small", "25"}})
	if dig(hc, "qDimensionInfo", 0, "qFallbackTitle") != "If(Quantity >= 5, 'big', 'small')" || dig(hc, "qDimensionInfo", 0, "qStateCounts", "qOption") != 2.0 {
		t.Errorf("dim info %v", dig(hc, "qDimensionInfo", 0))
	}
	call(t, fieldOf(t, d, "Region"), "Select", "North")
	_, l := call(t, g, "GetLayout")
	expectRows(t, dig(l, "qLayout", "qHyperCube").(map[string]any), [][]string{{"big", "54"}, {"small", "6"}})
	// A calculated dimension mixing tables, with a field dimension.
	call(t, d, "ClearAll")
	_, hc = cubeLayout(t, d, cubeProps([]string{"Year", "=Region & '!'"}, []string{"Sum(Sales)"}, 10))
	expectRows(t, hc, [][]string{{"2023", "North!", "31"}, {"2023", "South!", "11"}, {"2023", "East!", "8"},
		{"2024", "North!", "29"}, {"2024", "South!", "9"}, {"2024", "East!", "26"}})
}
