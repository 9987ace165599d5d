package engine

import (
	"fmt"
	"strings"
	"testing"
)

// saRow is one row of the set analysis test table; expected values are
// recomputed from these rows with plain loops, not by the engine.
type saRow struct {
	Region  string
	Year    int
	Product string
	Sales   float64
}

var saRows = []saRow{
	{"North", 2022, "A", 10}, {"North", 2023, "B", 20}, {"South", 2022, "A", 5},
	{"South", 2023, "A", 7}, {"East", 2023, "B", 30}, {"West", 2021, "C", 1},
	{"East", 2022, "C", 4}, {"North", 2021, "A", 2},
}

func saDoc(t *testing.T) *Doc {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("Sales: LOAD * INLINE [\nRegion, Year, Product, Sales\n")
	for _, r := range saRows {
		fmt.Fprintf(&sb, "%s, %d, %s, %g\n", r.Region, r.Year, r.Product, r.Sales)
	}
	sb.WriteString("];")
	return sessionWithScript(t, sb.String())
}

func saSum(keep func(r saRow) bool) string {
	s := 0.0
	for _, r := range saRows {
		if keep(r) {
			s += r.Sales
		}
	}
	return formatNum(s)
}

func evalText(t *testing.T, d *Doc, expr string) string {
	t.Helper()
	_, res := call(t, d, "Evaluate", expr)
	return fmt.Sprint(res["qReturn"])
}

func TestSetAnalysisModifiers(t *testing.T) {
	d := saDoc(t)
	in := func(xs ...string) func(string) bool {
		return func(s string) bool {
			for _, x := range xs {
				if x == s {
					return true
				}
			}
			return false
		}
	}
	cases := []struct {
		expr string
		keep func(r saRow) bool
	}{
		{"Sum({<Region={'North'}>} Sales)", func(r saRow) bool { return r.Region == "North" }},
		{"Sum({$<Year={2023}>} Sales)", func(r saRow) bool { return r.Year == 2023 }},
		{"Sum({1} Sales)", func(saRow) bool { return true }},
		{"Sum({<Region={'North','South'}, Year={2022}>} Sales)", func(r saRow) bool { return in("North", "South")(r.Region) && r.Year == 2022 }},
		{`Sum({<Year={">=2022"}>} Sales)`, func(r saRow) bool { return r.Year >= 2022 }},
		{`Sum({<Sales={"<10"}>} Sales)`, func(r saRow) bool { return r.Sales < 10 }},
		{`Sum({<Sales={">=5<=20"}>} Sales)`, func(r saRow) bool { return r.Sales >= 5 && r.Sales <= 20 }},
		{`Sum({<Region={"*th"}>} Sales)`, func(r saRow) bool { return strings.HasSuffix(r.Region, "th") }},
		{`Sum({<Region={'N*'}>} Sales)`, func(r saRow) bool { return strings.HasPrefix(r.Region, "N") }},
		{`Sum({<Region={"east"}>} Sales)`, func(r saRow) bool { return r.Region == "East" }},
		{"Sum({<Region={}>} Sales)", func(saRow) bool { return false }},
		{"Sum({<Region=P({<Product={'B'}>} Region)>} Sales)", func(r saRow) bool { return in("North", "East")(r.Region) }},
		{"Sum({<Region=E({<Product={'A'}>} Region)>} Sales)", func(r saRow) bool { return in("East", "West")(r.Region) }},
		{"Sum({<Region={'North'}> + <Product={'C'}>} Sales)", func(r saRow) bool { return r.Region == "North" || r.Product == "C" }},
		{"Sum({<Year={2022,2023}> * <Product={'A'}>} Sales)", func(r saRow) bool { return (r.Year == 2022 || r.Year == 2023) && r.Product == "A" }},
		{"Sum({1 - <Region={'North'}>} Sales)", func(r saRow) bool { return r.Region != "North" }},
		{"Sum({<Region={'North','East'}> / <Product={'B'}>} Sales)", func(r saRow) bool { return in("North", "East")(r.Region) != (r.Product == "B") }},
		{"Sum({<Region={'North','South'}-{'South'}>} Sales)", func(r saRow) bool { return r.Region == "North" }},
	}
	for _, c := range cases {
		if got, want := evalText(t, d, c.expr), saSum(c.keep); got != want {
			t.Errorf("%s = %s, want %s", c.expr, got, want)
		}
	}
	if got := evalText(t, d, "Count({<Region={'North'}>} DISTINCT Product)"); got != "2" {
		t.Errorf("Count DISTINCT with set = %s, want 2 (A, B)", got)
	}
}

func TestSetAnalysisAgainstSelections(t *testing.T) {
	d := saDoc(t)
	region := fieldOf(t, d, "Region")
	call(t, region, "SelectValues", []map[string]any{{"qText": "North"}, {"qText": "South"}}, false, false)
	isNS := func(r saRow) bool { return r.Region == "North" || r.Region == "South" }
	cases := []struct {
		expr string
		keep func(r saRow) bool
	}{
		{"Sum(Sales)", isNS},
		{"Sum({1} Sales)", func(saRow) bool { return true }},
		{"Sum({$} Sales)", isNS},
		{"Sum({$<Year={2023}>} Sales)", func(r saRow) bool { return isNS(r) && r.Year == 2023 }},
		{"Sum({<Region=>} Sales)", func(saRow) bool { return true }},
		{"Sum({<Region-={'North'}>} Sales)", func(r saRow) bool { return r.Region == "South" }},
		{"Sum({<Region+={'East'}>} Sales)", func(r saRow) bool { return r.Region != "West" }},
		{"Sum({<Region*={'North','East'}>} Sales)", func(r saRow) bool { return r.Region == "North" }},
		{"Sum({1-$} Sales)", func(r saRow) bool { return !isNS(r) }},
		{"Sum({<Region=Region-{'South'}>} Sales)", func(r saRow) bool { return r.Region == "North" }},
		{"Sum({$_1} Sales)", func(saRow) bool { return true }}, // before the selection: nothing selected
		{"Sum(TOTAL Sales)", isNS},
	}
	for _, c := range cases {
		if got, want := evalText(t, d, c.expr), saSum(c.keep); got != want {
			t.Errorf("%s = %s, want %s", c.expr, got, want)
		}
	}
}

func TestSetAnalysisBookmarksAndStates(t *testing.T) {
	d := saDoc(t)
	call(t, fieldOf(t, d, "Region"), "Select", "East")
	call(t, d, "CreateBookmark", map[string]any{"qInfo": map[string]any{"qId": "bmEast", "qType": "bookmark"}, "qMetaDef": map[string]any{"title": "Only East"}})
	call(t, d, "ClearAll", false)
	east := saSum(func(r saRow) bool { return r.Region == "East" })
	for _, e := range []string{"Sum({bmEast} Sales)", "Sum({[Only East]} Sales)", "Sum({bmEast<Year={2023}>} Sales)"} {
		want := east
		if strings.Contains(e, "2023") {
			want = saSum(func(r saRow) bool { return r.Region == "East" && r.Year == 2023 })
		}
		if got := evalText(t, d, e); got != want {
			t.Errorf("%s = %s, want %s", e, got, want)
		}
	}
	call(t, d, "AddAlternateState", "S1")
	sf := ret(t, mustCall(t, d, "GetField", "Year", "S1"))
	call(t, sf, "Select", "2021")
	y2021 := saSum(func(r saRow) bool { return r.Year == 2021 })
	if got := evalText(t, d, "Sum({S1} Sales)"); got != y2021 {
		t.Errorf("Sum({S1} Sales) = %s, want %s", got, y2021)
	}
	if got, want := evalText(t, d, "Sum(Sales)"), saSum(func(saRow) bool { return true }); got != want {
		t.Errorf("default state sees the alternate state's selection: %s, want %s", got, want)
	}
	// A field's selection from another state: Year=S1::Year.
	if got := evalText(t, d, "Sum({$<Year=S1::Year>} Sales)"); got != y2021 {
		t.Errorf("Year=S1::Year gives %s, want %s", got, y2021)
	}
	if got := evalText(t, d, "Sum({Nope} Sales)"); !strings.HasPrefix(got, "Error:") {
		t.Errorf("unknown identifier = %s, want an error", got)
	}
}

func TestSetAnalysisInHypercube(t *testing.T) {
	d := saDoc(t)
	call(t, fieldOf(t, d, "Region"), "Select", "North")
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region"}, []string{"Sum(Sales)", "Sum({1} Sales)", "Sum({1} TOTAL Sales)"}, 10))
	total := saSum(func(saRow) bool { return true })
	want := [][]string{}
	for _, reg := range []string{"North", "South", "East", "West"} {
		reg := reg
		cur := "0"
		if reg == "North" {
			cur = saSum(func(r saRow) bool { return r.Region == "North" })
		}
		want = append(want, []string{reg, cur, saSum(func(r saRow) bool { return r.Region == reg }), total})
	}
	expectRows(t, hc, want)
	if s := dig(hc, "qDataPages", 0, "qMatrix", 1, 0, "qState"); s != "A" {
		t.Errorf("South's state = %v, want A (alternative, shown by the {1} measure)", s)
	}
}

func TestTotalQualifierShares(t *testing.T) {
	d := saDoc(t)
	_, hc := cubeLayout(t, d, cubeProps([]string{"Region", "Year"}, []string{"Sum(Sales)", "Sum(TOTAL <Region> Sales)", "Sum(TOTAL Sales)"}, 20))
	if len(rowsOf(hc)) != len(saRows) {
		t.Fatalf("rows %v", rowsOf(hc))
	}
	for _, row := range rowsOf(hc) {
		reg := row[0]
		if got, want := row[3], saSum(func(r saRow) bool { return r.Region == reg }); got != want {
			t.Errorf("%v: TOTAL <Region> = %s, want %s", row, got, want)
		}
		if got, want := row[4], saSum(func(saRow) bool { return true }); got != want {
			t.Errorf("%v: TOTAL = %s, want %s", row, got, want)
		}
	}
}
