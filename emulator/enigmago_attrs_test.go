package emulator

import (
	"fmt"
	"math"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// salesOrder is one generated order of the Sales app.
type salesOrder struct{ cust, prod, qty int }

// salesOrders regenerates the Sales app's orders from the rule
// engine/sampleapps.go documents (SplitMix64 seeded 42), without the
// engine.
func salesOrders() []salesOrder {
	state := uint64(engine.SalesSeed)
	next := func() uint64 {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		return z ^ (z >> 31)
	}
	out := make([]salesOrder, engine.SalesOrders)
	for i := range out {
		next() // day
		cust := 1 + int(next()%engine.SalesCustomers)
		prod := 1 + int(next()%engine.SalesProducts)
		qty := 1 + int(next()%10)
		out[i] = salesOrder{cust, prod, qty}
	}
	return out
}

// categoryStats is what the attribute test expects per Category.
type categoryStats struct {
	sales, qty float64
	orders     int
	maxQty     int
}

func salesByCategory() map[string]*categoryStats {
	out := map[string]*categoryStats{}
	for _, c := range engine.SalesCategories {
		out[c] = &categoryStats{}
	}
	for _, o := range salesOrders() {
		s := out[engine.SalesCategories[(o.prod-1)%5]]
		s.sales += float64(o.qty * engine.SalesUnitPrice(o.prod))
		s.qty += float64(o.qty)
		s.orders++
		s.maxQty = max(s.maxQty, o.qty)
	}
	return out
}

// TestEnigmaGoAttributeExpressions: per cell attribute expressions on a
// dimension and a measure (one with an explicit number format), in
// GetLayout's first page and in GetHyperCubeData, match values computed
// from the Sales rule; qAttrExprInfo carries their min, max and titles.
func TestEnigmaGoAttributeExpressions(t *testing.T) {
	ctx, _, doc := egOpen(t, "Sales")
	want := salesByCategory()
	def := &enigma.HyperCubeDef{
		Dimensions: []*enigma.NxDimension{{
			Def:                  &enigma.NxInlineDimensionDef{FieldDefs: []string{"Category"}},
			AttributeExpressions: []*enigma.NxAttrExprDef{{Expression: "Sum(Quantity)", Label: "Units"}},
		}},
		Measures: []*enigma.NxMeasure{{
			Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"},
			AttributeExpressions: []*enigma.NxAttrExprDef{
				{Expression: "Count(OrderID)", NumFormat: &enigma.FieldAttributes{Type: "F", Fmt: "#,##0", Dec: ".", Thou: ","}},
				{Expression: "If(Max(Quantity) = 10, 'red', 'blue')"},
			},
		}},
		InitialDataFetch: []*enigma.NxPage{{Width: 2, Height: 10}},
	}
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "chart"}, HyperCubeDef: def})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	pages, err := obj.GetHyperCubeData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Width: 2, Height: 10}})
	must(t, "GetHyperCubeData", err)
	for name, rows := range map[string][]enigma.NxCellRows{"GetLayout": l.HyperCube.DataPages[0].Matrix, "GetHyperCubeData": pages[0].Matrix} {
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows", name, len(rows))
		}
		for _, r := range rows {
			w := want[r[0].Text]
			if w == nil {
				t.Fatalf("%s: unknown category %q", name, r[0].Text)
			}
			if r[0].AttrExps == nil || len(r[0].AttrExps.Values) != 1 || float64(r[0].AttrExps.Values[0].Num) != w.qty || r[0].AttrExps.Values[0].Text != fmt.Sprint(w.qty) {
				t.Errorf("%s %s: dimension attribute %+v, want Sum(Quantity) %v", name, r[0].Text, r[0].AttrExps, w.qty)
			}
			if float64(r[1].Num) != w.sales {
				t.Errorf("%s %s: Sum(Sales) %v, want %v", name, r[0].Text, r[1].Num, w.sales)
			}
			ax := r[1].AttrExps
			if ax == nil || len(ax.Values) != 2 {
				t.Fatalf("%s %s: measure attributes %+v", name, r[0].Text, ax)
			}
			if float64(ax.Values[0].Num) != float64(w.orders) || ax.Values[0].Text != thousands(w.orders) {
				t.Errorf("%s %s: Count(OrderID) %v %q, want %d %q", name, r[0].Text, ax.Values[0].Num, ax.Values[0].Text, w.orders, thousands(w.orders))
			}
			colour := "blue"
			if w.maxQty == 10 {
				colour = "red"
			}
			if ax.Values[1].Text != colour || !math.IsNaN(float64(ax.Values[1].Num)) {
				t.Errorf("%s %s: colour %q %v, want %q NaN", name, r[0].Text, ax.Values[1].Text, ax.Values[1].Num, colour)
			}
		}
	}
	minQ, maxQ := math.Inf(1), math.Inf(-1)
	minO, maxO := math.Inf(1), math.Inf(-1)
	for _, w := range want {
		minQ, maxQ = math.Min(minQ, w.qty), math.Max(maxQ, w.qty)
		minO, maxO = math.Min(minO, float64(w.orders)), math.Max(maxO, float64(w.orders))
	}
	di := l.HyperCube.DimensionInfo[0].AttrExprInfo
	if len(di) != 1 || float64(di[0].Min) != minQ || float64(di[0].Max) != maxQ || di[0].FallbackTitle != "Units" {
		t.Errorf("dimension qAttrExprInfo %+v, want min %v max %v title Units", di, minQ, maxQ)
	}
	mi := l.HyperCube.MeasureInfo[0].AttrExprInfo
	if len(mi) != 2 || float64(mi[0].Min) != minO || float64(mi[0].Max) != maxO || mi[0].FallbackTitle != "Count(OrderID)" || mi[0].MaxText != thousands(int(maxO)) {
		t.Errorf("measure qAttrExprInfo %+v, want min %v max %v", mi, minO, maxO)
	}
}

// TestEnigmaGoAttributeDimensions: an attribute dimension Region on a
// Customer dimension gives each row its customer's region (the rule:
// RegionID = (id-1)%5 + 1) with Region's element numbers, and qAttrDimInfo
// its cardinal.
func TestEnigmaGoAttributeDimensions(t *testing.T) {
	ctx, _, doc := egOpen(t, "Sales")
	def := &enigma.HyperCubeDef{
		Dimensions: []*enigma.NxDimension{{
			Def:                  &enigma.NxInlineDimensionDef{FieldDefs: []string{"CustomerID"}},
			AttributeDimensions:  []*enigma.NxAttrDimDef{{Def: "Region", Attribute: true}},
			AttributeExpressions: []*enigma.NxAttrExprDef{{Expression: "Only(RegionID)"}},
		}},
		Measures:         []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"}}},
		InitialDataFetch: []*enigma.NxPage{{Width: 2, Height: 1000}},
	}
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "chart"}, HyperCubeDef: def})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	rows := l.HyperCube.DataPages[0].Matrix
	if len(rows) != engine.SalesCustomers {
		t.Fatalf("%d rows", len(rows))
	}
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	lo, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "lb"},
		ListObjectDef: &enigma.ListObjectDef{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"Region"}}, InitialDataFetch: []*enigma.NxPage{{Width: 1, Height: 10}}}})
	must(t, "CreateSessionObject list", err)
	ll, err := lo.GetLayout(ctx)
	must(t, "GetLayout list", err)
	elemOf := map[string]int{}
	for _, r := range ll.ListObject.DataPages[0].Matrix {
		elemOf[r[0].Text] = r[0].ElemNumber
	}
	_ = region
	for _, r := range rows {
		id := int(r[0].Num)
		wantRegion := engine.SalesRegions[(id-1)%5]
		ad := r[0].AttrDims
		if ad == nil || len(ad.Values) != 1 || ad.Values[0].Text != wantRegion || ad.Values[0].ElemNo != elemOf[wantRegion] {
			t.Fatalf("customer %d: qAttrDims %+v, want %s (elem %d)", id, *ad.Values[0], wantRegion, elemOf[wantRegion])
		}
		if ax := r[0].AttrExps; ax == nil || float64(ax.Values[0].Num) != float64((id-1)%5+1) {
			t.Fatalf("customer %d: qAttrExps %+v", id, ax)
		}
	}
	info := l.HyperCube.DimensionInfo[0].AttrDimInfo
	if len(info) != 1 || info[0].Cardinal != len(engine.SalesRegions) || info[0].FallbackTitle != "Region" || info[0].IsCalculated {
		t.Errorf("qAttrDimInfo %+v", info)
	}
}

// thousands writes n with "," between thousands (the test's #,##0).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestEnigmaGoListObjectExpressions: a list object's qExpressions come
// back per value as extra columns (layout and GetListObjectData), with
// values computed from the Sales rule, and are listed in the layout.
func TestEnigmaGoListObjectExpressions(t *testing.T) {
	ctx, _, doc := egOpen(t, "Sales")
	byRegion, _, _ := salesByRegionAndYear()
	customers := map[string]map[int]bool{}
	for _, o := range salesOrders() {
		r := engine.SalesRegions[(o.cust-1)%5]
		if customers[r] == nil {
			customers[r] = map[int]bool{}
		}
		customers[r][o.cust] = true
	}
	lo, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "lb"},
		ListObjectDef: &enigma.ListObjectDef{
			Def:              &enigma.NxInlineDimensionDef{FieldDefs: []string{"Region"}},
			Expressions:      []*enigma.NxListObjectExpressionDef{{Expr: "Sum(Sales)"}, {Expr: "Count(DISTINCT CustomerID)"}},
			InitialDataFetch: []*enigma.NxPage{{Width: 3, Height: 10}},
		}})
	must(t, "CreateSessionObject", err)
	l, err := lo.GetLayout(ctx)
	must(t, "GetLayout", err)
	if l.ListObject.Size.Cx != 3 || len(l.ListObject.Expressions) != 2 || l.ListObject.Expressions[1].Expr != "Count(DISTINCT CustomerID)" {
		t.Errorf("qSize %+v qExpressions %+v", l.ListObject.Size, l.ListObject.Expressions)
	}
	pages, err := lo.GetListObjectData(ctx, "/qListObjectDef", []*enigma.NxPage{{Left: 1, Width: 2, Height: 10}})
	must(t, "GetListObjectData", err)
	rows := l.ListObject.DataPages[0].Matrix
	if len(rows) != 5 || len(pages[0].Matrix) != 5 {
		t.Fatalf("%d rows in the layout, %d in GetListObjectData", len(rows), len(pages[0].Matrix))
	}
	for i, r := range rows {
		name := r[0].Text
		if len(r) != 3 || float64(r[1].Num) != byRegion[name] || int(r[2].Num) != len(customers[name]) {
			t.Errorf("%s: %v %v, want %v %d", name, r[1].Num, r[2].Num, byRegion[name], len(customers[name]))
		}
		if p := pages[0].Matrix[i]; len(p) != 2 || p[0].Num != r[1].Num || p[1].Num != r[2].Num {
			t.Errorf("%s: GetListObjectData row %+v", name, p)
		}
	}
}
