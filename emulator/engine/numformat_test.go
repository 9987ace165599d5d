package engine

import "testing"

func TestFormatPattern(t *testing.T) {
	for _, c := range []struct {
		x    float64
		pat  string
		want string
	}{
		{1234567.891, "#,##0", "1,234,568"},
		{1234.5, "#,##0.00", "1,234.50"},
		{0.1234, "0.0%", "12.3%"},
		{-1234, "$#,##0;-$#,##0", "-$1,234"},
		{-5, "#,##0", "-5"},
		{3.14159, "0.##", "3.14"},
		{3, "0.##", "3"},
		{42, "# ##0 kr", "42 kr"},
	} {
		if got := formatPattern(c.x, c.pat, ".", ","); got != c.want {
			t.Errorf("formatPattern(%v, %q) = %q, want %q", c.x, c.pat, got, c.want)
		}
	}
}

func TestMeasureNumFormatInCube(t *testing.T) {
	d := openDemo(t)
	p := cubeProps([]string{"Region"}, []string{"Sum(Sales)*100"}, 10)
	p["qHyperCubeDef"].(map[string]any)["qMeasures"].([]any)[0].(map[string]any)["qDef"].(map[string]any)["qNumFormat"] =
		map[string]any{"qType": "F", "qFmt": "#,##0.0", "qDec": ".", "qThou": ","}
	_, hc := cubeLayout(t, d, p)
	expectRows(t, hc, [][]string{{"North", "6,000.0"}, {"South", "2,000.0"}, {"East", "3,400.0"}})
	if dig(hc, "qGrandTotalRow", 0, "qText") != "11,400.0" || dig(hc, "qMeasureInfo", 0, "qNumFormat", "qFmt") != "#,##0.0" {
		t.Errorf("total/format %v", hc["qGrandTotalRow"])
	}
}
