package engine

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// selectedTexts lists the selected values of a field, sorted.
func selectedTexts(t *testing.T, d *Doc, field string) []string {
	t.Helper()
	fi := d.model.field(field)
	var out []string
	if b, ok := d.sel.sel[fi]; ok {
		b.each(func(e int32) { out = append(out, d.model.Fields[fi].Values[e].Text()) })
	}
	sort.Strings(out)
	return out
}

func TestSelectHyperCubeValuesAnswersQSuccess(t *testing.T) {
	d := saDoc(t)
	g, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	_, res := call(t, g, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	if res["qSuccess"] != true || res["qReturn"] != nil {
		t.Errorf("reply %v, want qSuccess true and no qReturn", res)
	}
	if got := selectedTexts(t, d, "Region"); strings.Join(got, ",") != saRows[0].Region {
		t.Errorf("selected %v", got)
	}
}

func TestRangeSelections(t *testing.T) {
	d := saDoc(t)
	g, _ := cubeLayout(t, d, cubeProps([]string{"Year"}, []string{"Sum(Sales)"}, 10))
	_, res := call(t, g, "SelectHyperCubeContinuousRange", "/qHyperCubeDef",
		[]map[string]any{{"qRange": map[string]any{"qMin": 2021.5, "qMax": 2023, "qMinInclEq": true, "qMaxInclEq": true}, "qDimIx": 0}}, false)
	if res["qSuccess"] != true {
		t.Fatalf("continuous range %v", res)
	}
	if got := selectedTexts(t, d, "Year"); strings.Join(got, ",") != "2022,2023" {
		t.Errorf("continuous range selected %v, want 2022,2023", got)
	}
	call(t, d, "ClearAll", false)

	// Regions whose total is at least 20.
	g, _ = cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	_, res = call(t, g, "RangeSelectHyperCubeValues", "/qHyperCubeDef",
		[]map[string]any{{"qRange": map[string]any{"qMin": 20, "qMax": 1000, "qMinInclEq": true, "qMaxInclEq": true}, "qMeasureIx": 0}}, []int{0}, false, false)
	if res["qSuccess"] != true {
		t.Fatalf("range select %v", res)
	}
	sums := map[string]float64{}
	for _, r := range saRows {
		sums[r.Region] += r.Sales
	}
	var want []string
	for reg, s := range sums {
		if s >= 20 {
			want = append(want, reg)
		}
	}
	sort.Strings(want)
	if got := selectedTexts(t, d, "Region"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("range select selected %v, want %v", got, want)
	}
}

func TestReducedData(t *testing.T) {
	d := saDoc(t)
	g, hc := cubeLayout(t, d, cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)"}, 20))
	_, res := call(t, g, "GetHyperCubeReducedData", "/qHyperCubeDef", []map[string]any{{"qLeft": 0, "qTop": 0, "qWidth": 3, "qHeight": 20}}, -1, "N")
	if fmt.Sprint(matrixTexts(dig(res, "qDataPages", 0, "qMatrix"))) != fmt.Sprint(rowsOf(hc)) || dig(res, "qDataPages", 0, "qIsReduced") != false {
		t.Errorf("reduced data %v, want the straight rows %v", res, rowsOf(hc))
	}
}

func TestSoftPatchesPerSession(t *testing.T) {
	lib := NewLibrary("")
	d, err := lib.Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	d2, err := lib.Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	g := ret(t, mustCall(t, d, "CreateObject", map[string]any{"qInfo": map[string]any{"qType": "chart"}, "title": "stored"}))
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "replace", "qPath": "/title", "qValue": `"soft"`}}, true)
	_, props := call(t, g, "GetProperties")
	_, eff := call(t, g, "GetEffectiveProperties")
	_, lay := call(t, g, "GetLayout")
	if dig(props, "qProp", "title") != "stored" || dig(eff, "qProp", "title") != "soft" || dig(lay, "qLayout", "title") != "soft" {
		t.Errorf("properties %v, effective %v, layout %v", dig(props, "qProp", "title"), dig(eff, "qProp", "title"), dig(lay, "qLayout", "title"))
	}
	// A second session on the same app sees the stored value only.
	g2 := ret(t, mustCall(t, d2, "GetObject", g.GenericID()))
	_, lay2 := call(t, g2, "GetLayout")
	if dig(lay2, "qLayout", "title") != "stored" {
		t.Errorf("other session sees %v", dig(lay2, "qLayout", "title"))
	}
	// A hard patch keeps the stored change and drops the soft one.
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "add", "qPath": "/extra", "qValue": "1"}}, false)
	_, lay = call(t, g, "GetLayout")
	if dig(lay, "qLayout", "title") != "stored" || dig(lay, "qLayout", "extra") != 1.0 {
		t.Errorf("after a hard patch: %v", lay)
	}
}

func TestSoftPatchSortsHypercube(t *testing.T) {
	d := saDoc(t)
	g, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "add", "qPath": "/qHyperCubeDef/qInterColumnSortOrder", "qValue": "[1,0]"},
		{"qOp": "add", "qPath": "/qHyperCubeDef/qMeasures/0/qSortBy", "qValue": `{"qSortByNumeric":-1}`}}, true)
	_, l := call(t, g, "GetLayout")
	rows := rowsOf(dig(l, "qLayout", "qHyperCube").(map[string]any))
	for i := 1; i < len(rows); i++ {
		if num(rowsNum(rows[i-1][1])) < num(rowsNum(rows[i][1])) {
			t.Errorf("soft-patched sort not descending: %v", rows)
		}
	}
}

func rowsNum(s string) any {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

func TestPivotModeAndExpansion(t *testing.T) {
	d := saDoc(t)
	p := cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)"}, 20)
	hc := p["qHyperCubeDef"].(map[string]any)
	hc["qMode"] = "P"
	hc["qNoOfLeftDims"] = 2
	hc["qInitialDataFetch"] = []any{map[string]any{"qLeft": 0, "qTop": 0, "qWidth": 5, "qHeight": 20}}
	g, lay := cubeLayout(t, d, p)
	regions := []string{}
	sums := map[string]float64{}
	years := map[string]map[int]bool{}
	for _, r := range saRows {
		if _, ok := sums[r.Region]; !ok {
			regions = append(regions, r.Region)
			years[r.Region] = map[int]bool{}
		}
		sums[r.Region] += r.Sales
		years[r.Region][r.Year] = true
	}
	// Collapsed: one row per region with its total.
	if dig(lay, "qMode") != "P" || dig(lay, "qSize", "qcy") != float64(len(regions)) || dig(lay, "qNoOfLeftDims") != 2.0 {
		t.Fatalf("pivot layout %v %v %v", dig(lay, "qMode"), dig(lay, "qSize"), dig(lay, "qNoOfLeftDims"))
	}
	pg := dig(lay, "qPivotDataPages", 0)
	for i, reg := range regions {
		if dig(pg, "qLeft", i, "qText") != reg || dig(pg, "qLeft", i, "qCanExpand") != true {
			t.Errorf("left %d = %v", i, dig(pg, "qLeft", i))
		}
		if dig(pg, "qData", i, 0, "qText") != formatNum(sums[reg]) {
			t.Errorf("%s total %v, want %s", reg, dig(pg, "qData", i, 0, "qText"), formatNum(sums[reg]))
		}
	}
	// Expand the first region: its years appear below it.
	call(t, g, "ExpandLeft", "/qHyperCubeDef", 0, 0, false)
	_, res := call(t, g, "GetHyperCubePivotData", "/qHyperCubeDef", []map[string]any{{"qLeft": 0, "qTop": 0, "qWidth": 1, "qHeight": 20}})
	pg = dig(res, "qDataPages", 0)
	first := regions[0]
	subs, _ := dig(pg, "qLeft", 0, "qSubNodes").([]any)
	if len(subs) != len(years[first]) || dig(pg, "qLeft", 0, "qCanCollapse") != true {
		t.Errorf("expanded %s has %d sub nodes, want %d", first, len(subs), len(years[first]))
	}
	if dig(pg, "qArea", "qHeight") != float64(len(regions)-1+len(years[first])) {
		t.Errorf("rows after expand %v", dig(pg, "qArea"))
	}
	for i, s := range subs {
		y := dig(s, "qText").(string)
		want := saSum(func(r saRow) bool { return r.Region == first && fmt.Sprint(r.Year) == y })
		if got := dig(pg, "qData", i, 0, "qText"); got != want {
			t.Errorf("%s %s = %v, want %s", first, y, got, want)
		}
	}
	// Selecting a left cell selects its region.
	_, res = call(t, g, "SelectPivotCells", "/qHyperCubeDef", []map[string]any{{"qType": "L", "qRow": 0, "qCol": 0}}, false, false)
	if res["qSuccess"] != true || strings.Join(selectedTexts(t, d, "Region"), ",") != first {
		t.Errorf("SelectPivotCells %v selected %v", res, selectedTexts(t, d, "Region"))
	}
	call(t, d, "ClearAll", false)
	call(t, g, "CollapseLeft", "/qHyperCubeDef", 0, 0, true)
	_, l := call(t, g, "GetLayout")
	if dig(l, "qLayout", "qHyperCube", "qSize", "qcy") != float64(len(regions)) {
		t.Errorf("collapse all: %v", dig(l, "qLayout", "qHyperCube", "qSize"))
	}
	// Straight data methods refuse the pivot call in mode S.
	g2, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 5))
	if _, err := g2.Call(t.Context(), "GetHyperCubePivotData", ParamList{"/qHyperCubeDef", []map[string]any{{"qWidth": 1, "qHeight": 1}}}); err == nil {
		t.Errorf("GetHyperCubePivotData in mode S answered no error")
	}
}

func TestStackMode(t *testing.T) {
	d := saDoc(t)
	p := cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)"}, 20)
	hc := p["qHyperCubeDef"].(map[string]any)
	hc["qMode"] = "K"
	g, _ := cubeLayout(t, d, p)
	_, res := call(t, g, "GetHyperCubeStackData", "/qHyperCubeDef", []map[string]any{{"qLeft": 0, "qTop": 0, "qWidth": 3, "qHeight": 10}}, 10000)
	root := dig(res, "qDataPages", 0, "qData", 0)
	if dig(root, "qType") != "R" {
		t.Fatalf("root %v", root)
	}
	total := saSum(func(saRow) bool { return true })
	if got := formatNum(num(dig(root, "qMaxPos"))); got != total {
		t.Errorf("root qMaxPos %s, want %s", got, total)
	}
	for _, n := range dig(root, "qSubNodes").([]any) {
		reg := dig(n, "qText").(string)
		if got, want := formatNum(num(dig(n, "qMaxPos"))), saSum(func(r saRow) bool { return r.Region == reg }); got != want {
			t.Errorf("%s stack %s, want %s", reg, got, want)
		}
	}
}

func TestAbortModal(t *testing.T) {
	d := saDoc(t)
	g, _ := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10))
	call(t, g, "BeginSelections", []string{"/qHyperCubeDef"})
	call(t, g, "SelectHyperCubeValues", "/qHyperCubeDef", 0, []int{0}, false)
	if len(selectedTexts(t, d, "Region")) != 1 {
		t.Fatalf("no selection in modal")
	}
	call(t, d, "AbortModal", false)
	if got := selectedTexts(t, d, "Region"); len(got) != 0 {
		t.Errorf("AbortModal(false) kept %v", got)
	}
	_, l := call(t, g, "GetLayout")
	if dig(l, "qLayout", "qSelectionInfo", "qInSelections") != nil {
		t.Errorf("still in selections: %v", dig(l, "qLayout", "qSelectionInfo"))
	}
}
