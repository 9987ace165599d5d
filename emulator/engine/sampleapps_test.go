package engine

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"
)

// splitmix is an independent SplitMix64 (the documented rule of buildSales).
type splitmix struct{ s uint64 }

func (p *splitmix) next() uint64 {
	p.s += 0x9E3779B97F4A7C15
	z := p.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// salesTruth recomputes the Sales orders from the documented rule:
// Sum(Sales) by Region and by Year, and Sum(Quantity).
func salesTruth() (byRegion map[string]float64, byYear map[int]float64, qty float64) {
	byRegion, byYear = map[string]float64{}, map[int]float64{}
	p := &splitmix{42}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 50000; i++ {
		day := int(p.next() % 1096)
		cust := 1 + int(p.next()%500)
		prod := 1 + int(p.next()%60)
		q := 1 + int(p.next()%10)
		price := 5 + (prod*37)%200
		s := float64(q * price)
		byRegion[[]string{"North", "South", "East", "West", "Central"}[(cust-1)%5]] += s
		byYear[start.AddDate(0, 0, day).Year()] += s
		qty += float64(q)
	}
	return
}

func openSales(t testing.TB) *Doc {
	d, err := NewLibrary("").Open("Sales")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSalesMatchesDocumentedRule(t *testing.T) {
	d := openSales(t)
	byRegion, byYear, qty := salesTruth()
	for _, f := range []string{"Region", "Category", "Year", "Month", "Quarter", "OrderDate", "Customer", "Product", "Sales", "Quantity"} {
		if d.model.field(f) < 0 {
			t.Errorf("field %s missing", f)
		}
	}
	if n := d.model.Tables[d.model.table("Orders")].Rows; n != 50000 {
		t.Fatalf("Orders rows = %d", n)
	}
	_, res := call(t, d, "Evaluate", "Sum(Quantity)")
	if res["qReturn"] != fmt.Sprint(qty) {
		t.Errorf("Sum(Quantity) = %v, want %v", res["qReturn"], qty)
	}
	g := ret(t, mustCall(t, d, "CreateSessionObject", cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)))
	_, l := call(t, g, "GetLayout")
	rows := dig(l, "qLayout", "qHyperCube", "qDataPages", 0, "qMatrix").([]any)
	if len(rows) != 5 {
		t.Fatalf("regions: %d rows", len(rows))
	}
	for _, r := range rows {
		name := dig(r, 0, "qText").(string)
		if got := num(dig(r, 1, "qNum")); got != byRegion[name] {
			t.Errorf("Sum(Sales) %s = %v, want %v", name, got, byRegion[name])
		}
	}
	g2 := ret(t, mustCall(t, d, "CreateSessionObject", cubeProps([]string{"Year"}, []string{"Sum(Sales)"}, 10)))
	_, l = call(t, g2, "GetLayout")
	for _, r := range dig(l, "qLayout", "qHyperCube", "qDataPages", 0, "qMatrix").([]any) {
		y := int(num(dig(r, 0, "qNum")))
		if got := num(dig(r, 1, "qNum")); math.Abs(got-byYear[y]) > 1e-6 {
			t.Errorf("Sum(Sales) %d = %v, want %v", y, got, byYear[y])
		}
	}
	// Selecting a Year filters the Region totals (Orders ↔ Calendar link).
	f := ret(t, mustCall(t, d, "GetField", "Year"))
	call(t, f, "Select", "2023")
	_, l = call(t, g, "GetLayout")
	total := 0.0
	for _, r := range dig(l, "qLayout", "qHyperCube", "qDataPages", 0, "qMatrix").([]any) {
		total += num(dig(r, 1, "qNum"))
	}
	if total != byYear[2023] {
		t.Errorf("regions total under Year=2023: %v, want %v", total, byYear[2023])
	}
}

func mustCall(t testing.TB, o Object, method string, params ...any) *Reply {
	t.Helper()
	r, err := o.Call(context.Background(), method, ParamList(params))
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return r
}

// cubeProps builds hypercube properties over field dimensions and measures.
func cubeProps(dims, measures []string, height int) map[string]any {
	var ds, ms []any
	for _, d := range dims {
		ds = append(ds, map[string]any{"qDef": map[string]any{"qFieldDefs": []string{d}}})
	}
	for _, m := range measures {
		ms = append(ms, map[string]any{"qDef": map[string]any{"qDef": m}})
	}
	return map[string]any{
		"qInfo": map[string]any{"qType": "table"},
		"qHyperCubeDef": map[string]any{
			"qDimensions": ds, "qMeasures": ms,
			"qInitialDataFetch": []any{map[string]any{"qWidth": len(dims) + len(measures), "qHeight": height}},
		},
	}
}

// BenchmarkSalesHyperCube50k computes a 50 000-row cube (OrderID × Sum(Sales),
// Sum(Quantity)) from scratch (the cache is invalidated each time) and
// encodes its layout with the first 10 000-cell page. The same over a
// WebSocket is emulator.BenchmarkSalesHyperCube50k.
func BenchmarkSalesHyperCube50k(b *testing.B) {
	d := openSales(b)
	props := cubeProps([]string{"OrderID"}, []string{"Sum(Sales)", "Sum(Quantity)"}, 3333)
	g := ret(b, mustCall(b, d, "CreateSessionObject", props)).(*GenericObject)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.app.mu.Lock()
		d.gen++ // invalidate the cache
		d.app.mu.Unlock()
		r, err := g.Call(ctx, "GetLayout", nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := AppendJSON(nil, r.Result[0].Value); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSalesSelection measures selection propagation over the Sales
// model (select a Region, then a Year; compute states).
func BenchmarkSalesSelection(b *testing.B) {
	d := openSales(b)
	region := ret(b, mustCall(b, d, "GetField", "Region"))
	year := ret(b, mustCall(b, d, "GetField", "Year"))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := region.Call(ctx, "Select", ParamList{[]string{"North", "East"}[i%2]}); err != nil {
			b.Fatal(err)
		}
		if _, err := year.Call(ctx, "Select", ParamList{"2023"}); err != nil {
			b.Fatal(err)
		}
		d.app.mu.Lock()
		d.assoc()
		d.app.mu.Unlock()
	}
}
