package engine

import (
	"fmt"
	"time"
)

// prng is SplitMix64: tiny, fast and easy to reimplement, so tests (and other
// languages) can recompute the generated sample data independently.
//
//	state += 0x9E3779B97F4A7C15
//	z := state
//	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
//	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
//	return z ^ (z >> 31)
type prng struct{ s uint64 }

func newPRNG(seed uint64) *prng { return &prng{s: seed} }

func (p *prng) next() uint64 {
	p.s += 0x9E3779B97F4A7C15
	z := p.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// float is uniform in [0,1): the top 53 bits of next() / 2^53.
func (p *prng) float() float64 { return float64(p.next()>>11) / (1 << 53) }

// intn is next() % n.
func (p *prng) intn(n int) int { return int(p.next() % uint64(n)) }

// Sales sample app constants (see buildSales).
const (
	SalesOrders    = 50000
	SalesCustomers = 500
	SalesProducts  = 60
	SalesDays      = 1096 // 2022-01-01 .. 2024-12-31
	SalesSeed      = 42
)

// SalesRegions and SalesCategories are the value lists of the Sales app.
var (
	SalesRegions    = []string{"North", "South", "East", "West", "Central"}
	SalesCategories = []string{"Accessories", "Bikes", "Clothing", "Components", "Services"}
)

// SalesUnitPrice is the price of product id (1-based) in the Sales app.
func SalesUnitPrice(id int) int { return 5 + (id*37)%200 }

// buildSales generates the "Sales" sample app deterministically. The rule,
// so tests can recompute any number independently:
//
//   - Regions(RegionID, Region): RegionID 1..5, Region = SalesRegions[RegionID-1].
//   - Customers(CustomerID, Customer, RegionID): CustomerID 1..500,
//     Customer = fmt.Sprintf("Customer %03d", id), RegionID = (id-1)%5 + 1.
//   - Products(ProductID, Product, Category, UnitPrice): ProductID 1..60,
//     Product = fmt.Sprintf("Product %02d", id), Category =
//     SalesCategories[(id-1)%5], UnitPrice = SalesUnitPrice(id) = 5 + (id*37)%200.
//   - Calendar(OrderDate, Year, Quarter, Month): one row per day from
//     2022-01-01 to 2024-12-31; OrderDate is a date dual ("2006-01-02" text,
//     serial day number since 1899-12-30), Year a number, Quarter "Q1".."Q4"
//     (dual 1..4), Month "Jan".."Dec" (dual 1..12).
//   - Orders(OrderID, OrderDate, CustomerID, ProductID, Quantity, Sales):
//     OrderID 1..50000; with p = newPRNG(42) (SplitMix64, see prng) and for
//     each order in turn: day = p.intn(1096) (OrderDate = 2022-01-01 + day),
//     CustomerID = 1 + p.intn(500), ProductID = 1 + p.intn(60), Quantity =
//     1 + p.intn(10); Sales = Quantity * UnitPrice(ProductID).
//
// Tables link through RegionID, CustomerID, ProductID and OrderDate.
func buildSales() *Model { return buildGenerated(salesTables()) }

// genTable is one table of a generated sample app: what a reload reports
// for it (name, source, rows) and how it is built. A reload of a generated
// app runs the tables one by one, like the LOAD statements of a script, so
// progress, pacing and cancellation work per table.
type genTable struct {
	name   string
	source string // shown in the progress lines, e.g. "AUTOGENERATE(5)"
	rows   int
	rowsOf func() [][]Val
	cols   []string
}

// buildGenerated builds every table at once (first open of the app).
func buildGenerated(ts []genTable) *Model {
	m := newModel()
	for _, t := range ts {
		m.addTable(t.name, t.cols, t.rowsOf())
	}
	return m
}

// salesTables lists the Sales tables in load order (see buildSales).
func salesTables() []genTable {
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	dateOf := func(d int) Val { return dateVal(start.AddDate(0, 0, d)) }
	return []genTable{
		{name: "Regions", source: "AUTOGENERATE(5)", rows: len(SalesRegions), cols: []string{"RegionID", "Region"},
			rowsOf: func() [][]Val {
				rows := make([][]Val, 0, len(SalesRegions))
				for i, r := range SalesRegions {
					rows = append(rows, []Val{numVal(float64(i + 1)), strVal(r)})
				}
				return rows
			}},
		{name: "Customers", source: fmt.Sprintf("AUTOGENERATE(%d)", SalesCustomers), rows: SalesCustomers,
			cols: []string{"CustomerID", "Customer", "RegionID"},
			rowsOf: func() [][]Val {
				rows := make([][]Val, 0, SalesCustomers)
				for id := 1; id <= SalesCustomers; id++ {
					rows = append(rows, []Val{numVal(float64(id)), strVal(fmt.Sprintf("Customer %03d", id)), numVal(float64((id-1)%5 + 1))})
				}
				return rows
			}},
		{name: "Products", source: fmt.Sprintf("AUTOGENERATE(%d)", SalesProducts), rows: SalesProducts,
			cols: []string{"ProductID", "Product", "Category", "UnitPrice"},
			rowsOf: func() [][]Val {
				rows := make([][]Val, 0, SalesProducts)
				for id := 1; id <= SalesProducts; id++ {
					rows = append(rows, []Val{numVal(float64(id)), strVal(fmt.Sprintf("Product %02d", id)),
						strVal(SalesCategories[(id-1)%5]), numVal(float64(SalesUnitPrice(id)))})
				}
				return rows
			}},
		{name: "Calendar", source: fmt.Sprintf("AUTOGENERATE(%d)", SalesDays), rows: SalesDays,
			cols: []string{"OrderDate", "Year", "Quarter", "Month"},
			rowsOf: func() [][]Val {
				rows := make([][]Val, 0, SalesDays)
				for d := 0; d < SalesDays; d++ {
					t := start.AddDate(0, 0, d)
					q := (int(t.Month())-1)/3 + 1
					rows = append(rows, []Val{dateOf(d), numVal(float64(t.Year())), dualVal(fmt.Sprintf("Q%d", q), float64(q)),
						dualVal(monthNames[t.Month()-1], float64(t.Month()))})
				}
				return rows
			}},
		{name: "Orders", source: fmt.Sprintf("AUTOGENERATE(%d)", SalesOrders), rows: SalesOrders,
			cols: []string{"OrderID", "OrderDate", "CustomerID", "ProductID", "Quantity", "Sales"},
			rowsOf: func() [][]Val {
				dates := make([]Val, SalesDays)
				for d := range dates {
					dates[d] = dateOf(d)
				}
				p := newPRNG(SalesSeed)
				rows := make([][]Val, 0, SalesOrders)
				for i := 1; i <= SalesOrders; i++ {
					day := p.intn(SalesDays)
					cust := 1 + p.intn(SalesCustomers)
					prod := 1 + p.intn(SalesProducts)
					qty := 1 + p.intn(10)
					rows = append(rows, []Val{numVal(float64(i)), dates[day], numVal(float64(cust)), numVal(float64(prod)),
						numVal(float64(qty)), numVal(float64(qty * SalesUnitPrice(prod)))})
				}
				return rows
			}},
	}
}

// salesScript is what GetScript shows for the generated Sales app; reloading
// it unchanged regenerates the data.
const salesScript = `///$tab Main
// The "Sales" sample app is generated in Go by the emulator
// (emulator/engine/sampleapps.go, buildSales): Regions, Customers,
// Products, Calendar and 50 000 Orders from a seeded SplitMix64 PRNG.
// Reloading this script unchanged regenerates the same data.
`

// DemoScript is the load script of the small "Demo" app: few enough rows to
// check every number by hand (Sum(Sales) = 114; by Region North 60, South
// 20, East 34; by Category Fruit 72, Vegetable 42, Bakery none; by Year 2023
// 50, 2024 64; Sum(Quantity) = 62).
const DemoScript = `// Demo app: small linked tables, easy to compute by hand.
SET ThousandSep=',';
SET DecimalSep='.';
LET vDemoTotal = 114;

Regions:
LOAD * INLINE [
RegionID, Region
1, North
2, South
3, East
];

Customers:
LOAD * INLINE [
CustomerID, Customer, RegionID
1, Alice, 1
2, Bob, 1
3, Carol, 2
4, Dave, 3
5, Erin, 3
6, Frank, 2
];

Products:
LOAD * INLINE [
ProductID, Product, Category, Price
1, Apple, Fruit, 2
2, Banana, Fruit, 1
3, Carrot, Vegetable, 3
4, Donut, Bakery, 5
];

Orders:
LOAD OrderID, OrderDate, Year(OrderDate) as Year, Month(OrderDate) as Month,
     CustomerID, ProductID, Quantity, Sales
INLINE [
OrderID, OrderDate, CustomerID, ProductID, Quantity, Sales
1, 2023-01-15, 1, 1, 10, 20
2, 2023-02-10, 1, 2, 5, 5
3, 2023-03-05, 2, 3, 2, 6
4, 2023-03-20, 3, 1, 4, 8
5, 2023-06-01, 3, 3, 1, 3
6, 2023-11-11, 4, 2, 8, 8
7, 2024-01-05, 4, 1, 3, 6
8, 2024-02-14, 5, 3, 6, 18
9, 2024-04-01, 5, 2, 2, 2
10, 2024-05-20, 1, 3, 5, 15
11, 2024-07-04, 2, 1, 7, 14
12, 2024-12-24, 3, 2, 9, 9
];
`
