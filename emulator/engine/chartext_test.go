package engine

import (
	"sort"
	"strings"
	"testing"
)

func TestAggrOverVirtualTable(t *testing.T) {
	d := saDoc(t)
	sums := map[string]float64{}
	maxes := map[string]float64{}
	combos := map[[2]any]bool{}
	for _, r := range saRows {
		sums[r.Region] += r.Sales
		maxes[r.Region] = max(maxes[r.Region], r.Sales)
		combos[[2]any{r.Region, r.Year}] = true
	}
	sumMax, sumSums, maxSum := 0.0, 0.0, 0.0
	for k := range sums {
		sumMax += maxes[k]
		sumSums += sums[k]
		maxSum = max(maxSum, sums[k])
	}
	cases := map[string]string{
		"Sum(Aggr(Max(Sales), Region))":                                 formatNum(sumMax),
		"Avg(Aggr(Sum(Sales), Region))":                                 formatNum(sumSums / float64(len(sums))),
		"Max(Aggr(Sum(Sales), Region))":                                 formatNum(maxSum),
		"Count(Aggr(Sum(Sales), Region, Year))":                         formatNum(float64(len(combos))),
		"Sum({<Year={2023}>} Aggr(Sum({<Year={2023}>} Sales), Region))": saSum(func(r saRow) bool { return r.Year == 2023 }),
	}
	for e, want := range cases {
		if got := evalText(t, d, e); got != want {
			t.Errorf("%s = %s, want %s", e, got, want)
		}
	}
	// Per chart row: the best year of each region.
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Max(Aggr(Sum(Sales), Year))"}, 10))
	if len(rowsOf(hc)) != 4 {
		t.Fatalf("rows %v", rowsOf(hc))
	}
	for _, row := range rowsOf(hc) {
		best := map[int]float64{}
		for _, r := range saRows {
			if r.Region == row[0] {
				best[r.Year] += r.Sales
			}
		}
		m := 0.0
		for _, v := range best {
			m = max(m, v)
		}
		if row[1] != formatNum(m) {
			t.Errorf("%s: best year %s, want %s", row[0], row[1], formatNum(m))
		}
	}
}

// yearTotals are the per-year sums of the test rows in ascending year order.
func yearTotals() ([]int, []float64) {
	by := map[int]float64{}
	for _, r := range saRows {
		by[r.Year] += r.Sales
	}
	var years []int
	for y := range by {
		years = append(years, y)
	}
	sort.Ints(years)
	out := make([]float64, len(years))
	for i, y := range years {
		out[i] = by[y]
	}
	return years, out
}

func TestInterRecordFunctions(t *testing.T) {
	d := saDoc(t)
	p := cubeProps([]string{"Year"}, []string{"Sum(Sales)", "Above(Sum(Sales))", "Below(Sum(Sales))", "RowNo()",
		"RangeSum(Above(Sum(Sales), 0, RowNo()))", "NoOfRows()", "Top(Sum(Sales))", "Bottom(Sum(Sales))",
		"RangeAvg(Above(Sum(Sales), 0, 2))"}, 10)
	hcDef := p["qHyperCubeDef"].(map[string]any)
	hcDef["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] = []any{map[string]any{"qSortByNumeric": 1}}
	_, hc := cubeLayout(t, d, p)
	years, tot := yearTotals()
	rows := rowsOf(hc)
	if len(rows) != len(years) {
		t.Fatalf("rows %v", rows)
	}
	cum := 0.0
	for i, row := range rows {
		cum += tot[i]
		above, below := "-", "-"
		if i > 0 {
			above = formatNum(tot[i-1])
		}
		if i+1 < len(tot) {
			below = formatNum(tot[i+1])
		}
		avg2 := tot[i]
		if i > 0 {
			avg2 = (tot[i] + tot[i-1]) / 2
		}
		want := []string{formatNum(float64(years[i])), formatNum(tot[i]), above, below, formatNum(float64(i + 1)),
			formatNum(cum), formatNum(float64(len(years))), formatNum(tot[0]), formatNum(tot[len(tot)-1]), formatNum(avg2)}
		if strings.Join(row, "|") != strings.Join(want, "|") {
			t.Errorf("row %d = %v, want %v", i, row, want)
		}
	}
	// Sorted descending, Above follows the displayed order.
	hcDef["qDimensions"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qSortCriterias"] = []any{map[string]any{"qSortByNumeric": -1}}
	_, hc = cubeLayout(t, d, p)
	if got := dig(hc, "qDataPages", 0, "qMatrix", 1, 2, "qText"); got != formatNum(tot[len(tot)-1]) {
		t.Errorf("Above in descending order = %v, want %s", got, formatNum(tot[len(tot)-1]))
	}
}

func TestRowNoSegments(t *testing.T) {
	d := saDoc(t)
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region", "Year"}, []string{"RowNo()", "RowNo(TOTAL)", "NoOfRows()"}, 20))
	perRegion := map[string]int{}
	for _, r := range saRows {
		perRegion[r.Region]++ // every (Region, Year) pair is unique in the test rows
	}
	seen := map[string]int{}
	if len(rowsOf(hc)) != len(saRows) {
		t.Fatalf("rows %v", rowsOf(hc))
	}
	for i, row := range rowsOf(hc) {
		seen[row[0]]++
		if row[2] != formatNum(float64(seen[row[0]])) || row[3] != formatNum(float64(i+1)) || row[4] != formatNum(float64(perRegion[row[0]])) {
			t.Errorf("row %d = %v: want RowNo %d, RowNo(TOTAL) %d, NoOfRows %d", i, row, seen[row[0]], i+1, perRegion[row[0]])
		}
	}
}

func TestDualAndCalculatedDimension(t *testing.T) {
	d := saDoc(t)
	if got := evalText(t, d, "Num(Dual('abc', 3)) & Text(Dual('abc', 3))"); got != "3abc" {
		t.Errorf("Dual = %s", got)
	}
	_, hc := cubeLayout(t, d, cubeProps([]string{"=If(Sales >= 10, 'Big', 'Small')"}, []string{"Sum(Sales)"}, 10))
	big := saSum(func(r saRow) bool { return r.Sales >= 10 })
	small := saSum(func(r saRow) bool { return r.Sales < 10 })
	got := map[string]string{}
	for _, row := range rowsOf(hc) {
		got[row[0]] = row[1]
	}
	if got["Big"] != big || got["Small"] != small || len(got) != 2 {
		t.Errorf("calculated dimension rows %v, want Big %s Small %s", got, big, small)
	}
	// A dual calculated dimension sorts by its number and shows its text.
	p := cubeProps([]string{"=Dual(Region & '!', Year)"}, []string{"Sum(Sales)"}, 10)
	_, hc = cubeLayout(t, d, p)
	if rows := rowsOf(hc); len(rows) == 0 || !strings.HasSuffix(rows[0][0], "!") {
		t.Errorf("dual dimension rows %v", rows)
	}
}

func TestExpressionDepthBounded(t *testing.T) {
	d := saDoc(t)
	const n = 1000000
	deep := strings.Repeat("(", n) + "1" + strings.Repeat(")", n)
	if got := evalText(t, d, deep); !strings.HasPrefix(got, "Error:") {
		t.Errorf("1 000 000 nested parentheses = %.40s, want an error", got)
	}
	for _, e := range []string{strings.Repeat("-", n) + "1", strings.Repeat("Not ", n) + "1",
		"1" + strings.Repeat("+1", n), "Sum(" + strings.Repeat("(", n) + "Sales" + strings.Repeat(")", n) + ")",
		"Sum({" + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "} Sales)"} {
		if got := evalText(t, d, e); !strings.HasPrefix(got, "Error:") {
			t.Errorf("%.20s… = %.40s, want an error", e, got)
		}
	}
	// Moderate nesting still works.
	if got := evalText(t, d, strings.Repeat("(", 500)+"2"+strings.Repeat(")", 500)+"*3"); got != "6" {
		t.Errorf("500 nested parentheses = %s, want 6", got)
	}
	// In a chart, the measure reports the error in its qMeasureInfo.
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{deep}, 10))
	if dig(hc, "qMeasureInfo", 0, "qError", "qErrorCode") != 7005.0 {
		t.Errorf("deep measure info %v", dig(hc, "qMeasureInfo", 0, "qError"))
	}
}
