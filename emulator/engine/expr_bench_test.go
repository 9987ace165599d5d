package engine

import "testing"

// BenchmarkExprRow measures evaluating a compiled row expression (operators,
// negation and a scalar function) per row, the closures compileWith builds.
func BenchmarkExprRow(b *testing.B) {
	n, err := parseExpr("If(-(A + 1) * 2 - A / 3 > 0 and not A = 5, Floor(A * 1.5), A & 'x')")
	if err != nil {
		b.Fatal(err)
	}
	sc := &rowScope{field: func(name string) (rowFn, bool) {
		return func(r int32) Val { return numVal(float64(r % 100)) }, name == "A"
	}}
	f, err := compileRow(n, sc)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f(int32(i))
	}
}
