package emulator

import (
	"fmt"
	"math"
	"testing"
	"time"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// salesByRegionAndYear recomputes the Sales app's Sum(Sales) by Region and
// by Year from the rule engine/sampleapps.go documents (SplitMix64 seeded
// 42; per order: day, customer, product, quantity), without the engine.
func salesByRegionAndYear() (byRegion, byYear map[string]float64, total float64) {
	regions := []string{"North", "South", "East", "West", "Central"}
	state := uint64(42)
	next := func() uint64 {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		return z ^ (z >> 31)
	}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	byRegion, byYear = map[string]float64{}, map[string]float64{}
	for i := 0; i < 50000; i++ {
		day := int(next() % 1096)
		cust := 1 + int(next()%500)
		prod := 1 + int(next()%60)
		qty := 1 + int(next()%10)
		sales := float64(qty * (5 + (prod*37)%200))
		byRegion[regions[(cust-1)%5]] += sales
		byYear[fmt.Sprint(start.AddDate(0, 0, day).Year())] += sales
		total += sales
	}
	return byRegion, byYear, total
}

func TestEnigmaGoSalesNumbers(t *testing.T) {
	ctx, _, doc := egOpen(t, "Sales")
	byRegion, byYear, total := salesByRegionAndYear()
	for dim, want := range map[string]map[string]float64{"Region": byRegion, "Year": byYear} {
		obj := egCube(t, ctx, doc, "S", []string{dim}, "Sum(Sales)")
		l, err := obj.GetLayout(ctx)
		must(t, "GetLayout", err)
		if got := byFirstColumn(l.HyperCube.DataPages[0].Matrix); !sameNumbers(got, want) {
			t.Errorf("Sum(Sales) by %s %v, want %v", dim, got, want)
		}
		if g := float64(l.HyperCube.GrandTotalRow[0].Num); g != total {
			t.Errorf("grand total by %s %v, want %v", dim, g, total)
		}
	}
	v, err := doc.EvaluateEx(ctx, "Sum(Sales)")
	must(t, "EvaluateEx", err)
	if float64(v.Number) != total {
		t.Errorf("Sum(Sales) %v, want %v", v.Number, total)
	}
	v, err = doc.EvaluateEx(ctx, "Count(OrderID)")
	must(t, "EvaluateEx Count", err)
	if float64(v.Number) != 50000 {
		t.Errorf("Count(OrderID) %v", v.Number)
	}
	region, err := doc.GetField(ctx, "Region", "")
	must(t, "GetField", err)
	_, err = region.Select(ctx, "West", false, 0)
	must(t, "Select West", err)
	v, err = doc.EvaluateEx(ctx, "Sum(Sales)")
	must(t, "EvaluateEx after select", err)
	if math.Abs(float64(v.Number)-byRegion["West"]) > 0 {
		t.Errorf("Sum(Sales) for West %v, want %v", v.Number, byRegion["West"])
	}
	// A straight table of 50 000 orders pages through GetHyperCubeData.
	orders := egCube(t, ctx, doc, "S", []string{"OrderID"}, "Sum(Sales)")
	pages, err := orders.GetHyperCubeData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Top: 100, Width: 2, Height: 50}})
	must(t, "GetHyperCubeData", err)
	if len(pages[0].Matrix) != 50 {
		t.Errorf("page of %d rows", len(pages[0].Matrix))
	}
}
