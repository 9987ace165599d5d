package engine

import "testing"

func TestExprParseErrors(t *testing.T) {
	for _, s := range []string{"Sum(", "1 +", "(1", "'abc", "Sum(x) )"} {
		if _, err := parseExpr(s); err == nil {
			t.Errorf("%q: expected an error", s)
		}
	}
}

func TestExprRowFunctions(t *testing.T) {
	sc := &rowScope{field: func(string) (rowFn, bool) { return nil, false }}
	for src, want := range map[string]string{
		"1 + 2 * 3":                 "7",
		"(1 + 2) * 3":               "9",
		"10 / 4":                    "2.5",
		"1 / 0":                     "-",
		"'x' & 1 & 'y'":             "x1y",
		"Left('hello', 2)":          "he",
		"Right('hello', 3)":         "llo",
		"Mid('hello', 2, 3)":        "ell",
		"Lower('ABC')":              "abc",
		"Trim('  a ')":              "a",
		"Floor(2.7) + Ceil(2.1)":    "5",
		"Abs(-3)":                   "3",
		"Month(MakeDate(2024,2,1))": "Feb",
		"Day('2024-03-15')":         "15",
		"Quarter('2024-08-01')":     "Q3",
		"WeekDay('2024-01-01')":     "Mon",
		"Alt(Null(), 5)":            "5",
		"If(2 > 1 and not 0, 'a')":  "a",
		"'a' = 'a'":                 "-1",
		"'b' < 'a'":                 "0",
		"Replace('aXa', 'X', '-')":  "a-a",
		"'ab' like 'a*'":            "-1",
	} {
		n, err := parseExpr(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		f, err := compileRow(n, sc)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := f(0).Text(); got != want {
			t.Errorf("%s = %q, want %q", src, got, want)
		}
	}
}

func TestExpandDollar(t *testing.T) {
	vars := map[string]string{"a": "1", "b": "$(a)+1"}
	got := expandDollar("x $(b) $(missing)y $(=2*3)", func(n string) (string, bool) { v, ok := vars[n]; return v, ok },
		func(e string) string { return "six" })
	if got != "x 1+1 y six" {
		t.Fatalf("got %q", got)
	}
}

func TestFormatNumAndParseLoaded(t *testing.T) {
	for f, want := range map[float64]string{1: "1", -2: "-2", 0.5: "0.5", 0.6857977109029889: "0.68579771090299", 1e20: "100000000000000000000"} {
		if got := formatNum(f); got != want {
			t.Errorf("formatNum(%v) = %q, want %q", f, got, want)
		}
	}
	if v := parseLoaded("007"); v.Text() != "007" || v.Num != 7 {
		t.Errorf("007 -> %+v", v)
	}
	if v := parseLoaded("2024-01-01"); v.Num != 45292 {
		t.Errorf("date serial %v", v.Num)
	}
	if v := parseLoaded("abc"); v.IsNum() {
		t.Error("text")
	}
}
