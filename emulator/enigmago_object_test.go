package emulator

import (
	"context"
	"encoding/json"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// Sum(Sales) of the Demo app by Region and Category, from its Orders rows
// (North is customers 1 and 2, South 3 and 6, East 4 and 5; Fruit is
// products 1 and 2, Vegetable 3).
var demoRegionCategory = map[string]map[string]float64{
	"North": {"Fruit": 39, "Vegetable": 21},
	"South": {"Fruit": 17, "Vegetable": 3},
	"East":  {"Fruit": 16, "Vegetable": 18},
}

// egCube creates a session object with one hypercube of dims × measures.
func egCube(t *testing.T, ctx context.Context, doc *enigma.Doc, mode string, dims []string, measures ...string) *enigma.GenericObject {
	t.Helper()
	def := &enigma.HyperCubeDef{Mode: mode, InitialDataFetch: []*enigma.NxPage{{Width: len(dims) + len(measures), Height: 50}}}
	for _, d := range dims {
		def.Dimensions = append(def.Dimensions, &enigma.NxDimension{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{d}}})
	}
	for _, m := range measures {
		def.Measures = append(def.Measures, &enigma.NxMeasure{Def: &enigma.NxInlineMeasureDef{Def: m}})
	}
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "chart"}, HyperCubeDef: def})
	must(t, "CreateSessionObject", err)
	return obj
}

// byFirstColumn maps each row's first cell text to its last cell number.
func byFirstColumn(rows []enigma.NxCellRows) map[string]float64 {
	m := map[string]float64{}
	for _, r := range rows {
		m[r[0].Text] = float64(r[len(r)-1].Num)
	}
	return m
}

// sameNumbers reports whether got holds exactly want.
func sameNumbers(got, want map[string]float64) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}

func TestEnigmaGoObjectHyperCube(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "S", []string{"Region"}, "Sum(Sales)")
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	hc := l.HyperCube
	if hc.Size.Cx != 2 || hc.Size.Cy != 3 {
		t.Errorf("qSize %+v", hc.Size)
	}
	if len(hc.GrandTotalRow) != 1 || float64(hc.GrandTotalRow[0].Num) != 114 {
		t.Errorf("qGrandTotalRow %+v", hc.GrandTotalRow)
	}
	if hc.DimensionInfo[0].FallbackTitle != "Region" || hc.DimensionInfo[0].Cardinal != 3 {
		t.Errorf("qDimensionInfo %+v", hc.DimensionInfo[0])
	}
	if float64(hc.MeasureInfo[0].Max) != 60 || float64(hc.MeasureInfo[0].Min) != 20 {
		t.Errorf("qMeasureInfo min %v max %v", hc.MeasureInfo[0].Min, hc.MeasureInfo[0].Max)
	}
	want := map[string]float64{"North": 60, "South": 20, "East": 34}
	if got := byFirstColumn(hc.DataPages[0].Matrix); !sameNumbers(got, want) {
		t.Errorf("layout page %v, want %v", got, want)
	}
	pages, err := obj.GetHyperCubeData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Top: 1, Width: 2, Height: 5}})
	must(t, "GetHyperCubeData", err)
	if len(pages) != 1 || len(pages[0].Matrix) != 2 || pages[0].Area.Top != 1 || pages[0].Area.Height != 2 {
		t.Errorf("GetHyperCubeData page %+v", pages[0].Area)
	}
	red, err := obj.GetHyperCubeReducedData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Width: 2, Height: 3}}, -1, "D1")
	must(t, "GetHyperCubeReducedData", err)
	if got := byFirstColumn(red[0].Matrix); !sameNumbers(got, want) {
		t.Errorf("reduced data %v, want %v", got, want)
	}

	// Select North by its element number.
	var north int = -1
	for _, r := range hc.DataPages[0].Matrix {
		if r[0].Text == "North" {
			north = r[0].ElemNumber
		}
	}
	ok, err := obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{north}, false)
	must(t, "SelectHyperCubeValues", err)
	if !ok {
		t.Errorf("SelectHyperCubeValues: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "60")
	l, err = obj.GetLayout(ctx)
	must(t, "GetLayout after select", err)
	if m := l.HyperCube.DataPages[0].Matrix; len(m) != 1 || m[0][0].Text != "North" || m[0][0].State != "S" {
		t.Errorf("after selecting North: %+v", m)
	}
	must(t, "ClearAll", doc.ClearAll(ctx, false, ""))

	// Lock the dimension's selected field through the object: a locked
	// field refuses other selections until Unlock.
	_, err = obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{north}, false)
	must(t, "SelectHyperCubeValues", err)
	must(t, "Lock", obj.Lock(ctx, "/qHyperCubeDef", []int{0}))
	if ok, _ := obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{north}, true); ok {
		t.Errorf("SelectHyperCubeValues on a locked column: true")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "60")
	must(t, "Unlock", obj.Unlock(ctx, "/qHyperCubeDef", []int{0}))
	ok, err = obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{north}, true)
	must(t, "SelectHyperCubeValues after Unlock", err)
	if !ok {
		t.Errorf("SelectHyperCubeValues after Unlock: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "114")
}

func TestEnigmaGoObjectModalSelections(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "S", []string{"Category"}, "Sum(Sales)")
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	elem := map[string]int{}
	for _, r := range l.HyperCube.DataPages[0].Matrix {
		elem[r[0].Text] = r[0].ElemNumber
	}
	must(t, "BeginSelections", obj.BeginSelections(ctx, []string{"/qHyperCubeDef"}))
	_, err = obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{elem["Vegetable"]}, false)
	must(t, "SelectHyperCubeValues", err)
	must(t, "EndSelections cancel", obj.EndSelections(ctx, false))
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	must(t, "BeginSelections", obj.BeginSelections(ctx, []string{"/qHyperCubeDef"}))
	_, err = obj.SelectHyperCubeValues(ctx, "/qHyperCubeDef", 0, []int{elem["Vegetable"]}, false)
	must(t, "SelectHyperCubeValues", err)
	must(t, "EndSelections accept", obj.EndSelections(ctx, true))
	egEval(t, ctx, doc, "Sum(Sales)", "42")
}

func TestEnigmaGoObjectSoftPatches(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "S", []string{"Region"}, "Sum(Sales)")
	must(t, "ApplyPatches soft", obj.ApplyPatches(ctx, []*enigma.NxPatch{
		{Op: "replace", Path: "/qHyperCubeDef/qMeasures/0/qDef/qDef", Value: `"Sum(Quantity)"`},
		{Op: "add", Path: "/color", Value: `"red"`},
	}, true))
	p, err := obj.GetProperties(ctx)
	must(t, "GetProperties", err)
	if p.HyperCubeDef.Measures[0].Def.Def != "Sum(Sales)" {
		t.Errorf("a soft patch changed the stored properties: %s", p.HyperCubeDef.Measures[0].Def.Def)
	}
	ep, err := obj.GetEffectiveProperties(ctx)
	must(t, "GetEffectiveProperties", err)
	if ep.HyperCubeDef.Measures[0].Def.Def != "Sum(Quantity)" {
		t.Errorf("GetEffectiveProperties does not show the soft patch: %s", ep.HyperCubeDef.Measures[0].Def.Def)
	}
	raw, err := obj.GetEffectivePropertiesRaw(ctx)
	must(t, "GetEffectivePropertiesRaw", err)
	var eff struct {
		Color string `json:"color"`
	}
	if json.Unmarshal(raw, &eff) != nil || eff.Color != "red" {
		t.Errorf("soft-added key missing from the effective properties: %s", raw)
	}
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	if !l.HasSoftPatches {
		t.Errorf("qHasSoftPatches false")
	}
	want := map[string]float64{"North": 29, "South": 14, "East": 19}
	if got := byFirstColumn(l.HyperCube.DataPages[0].Matrix); !sameNumbers(got, want) {
		t.Errorf("layout with the soft patch %v, want Sum(Quantity) %v", got, want)
	}
	// A hard patch changes the properties.
	must(t, "ApplyPatches", obj.ApplyPatches(ctx, []*enigma.NxPatch{
		{Op: "replace", Path: "/qHyperCubeDef/qMeasures/0/qDef/qDef", Value: `"Count(OrderID)"`}}, false))
	p, err = obj.GetProperties(ctx)
	must(t, "GetProperties after a patch", err)
	if p.HyperCubeDef.Measures[0].Def.Def != "Count(OrderID)" {
		t.Errorf("patched qDef %s", p.HyperCubeDef.Measures[0].Def.Def)
	}
}

func TestEnigmaGoObjectPivot(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "P", []string{"Region", "Category"}, "Sum(Sales)")
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	if l.HyperCube.Mode != "P" {
		t.Errorf("qMode %q", l.HyperCube.Mode)
	}
	pages, err := obj.GetHyperCubePivotData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Width: 10, Height: 10}})
	must(t, "GetHyperCubePivotData", err)
	if len(pages) != 1 {
		t.Fatalf("%d pivot pages", len(pages))
	}
	pg := pages[0]
	// Left: the regions (collapsed, so one row each); values: their totals.
	got := map[string]float64{}
	for i, c := range pg.Left {
		if i < len(pg.Data) && len(pg.Data[i]) > 0 {
			got[c.Text] = float64(pg.Data[i][0].Num)
		}
	}
	want := map[string]float64{"North": 60, "South": 20, "East": 34}
	if !sameNumbers(got, want) {
		t.Errorf("pivot left %v, want %v", got, want)
	}
	// Expanding every row shows Region × Category.
	full := egCube(t, ctx, doc, "P", []string{"Region", "Category"}, "Sum(Sales)")
	must(t, "ApplyPatches qAlwaysFullyExpanded", full.ApplyPatches(ctx, []*enigma.NxPatch{
		{Op: "add", Path: "/qHyperCubeDef/qAlwaysFullyExpanded", Value: "true"}}, false))
	pages, err = full.GetHyperCubePivotData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Width: 10, Height: 20}})
	must(t, "GetHyperCubePivotData expanded", err)
	cells := map[string]float64{}
	row := 0
	for _, region := range pages[0].Left {
		for _, cat := range region.SubNodes {
			if row < len(pages[0].Data) && len(pages[0].Data[row]) > 0 {
				cells[region.Text+"/"+cat.Text] = float64(pages[0].Data[row][0].Num)
			}
			row++
		}
	}
	for r, cs := range demoRegionCategory {
		for c, v := range cs {
			if cells[r+"/"+c] != v {
				t.Errorf("expanded pivot %s/%s = %v, want %v (all %v)", r, c, cells[r+"/"+c], v, cells)
			}
		}
	}
}

func TestEnigmaGoObjectStack(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj := egCube(t, ctx, doc, "K", []string{"Region", "Category"}, "Sum(Sales)")
	pages, err := obj.GetHyperCubeStackData(ctx, "/qHyperCubeDef", []*enigma.NxPage{{Width: 10, Height: 10}}, 1000)
	must(t, "GetHyperCubeStackData", err)
	if len(pages) != 1 || len(pages[0].Data) == 0 {
		t.Fatalf("stack pages %+v", pages)
	}
	cells := map[string]float64{}
	var walk func(path string, n *enigma.NxStackedPivotCell)
	walk = func(path string, n *enigma.NxStackedPivotCell) {
		if n.Type == "V" {
			cells[path] += float64(n.Value)
			return
		}
		p := path
		if n.Type == "N" {
			p += "/" + n.Text
		}
		for _, s := range n.SubNodes {
			walk(p, s)
		}
	}
	for _, n := range pages[0].Data {
		walk("", n)
	}
	for r, cs := range demoRegionCategory {
		for c, v := range cs {
			if cells["/"+r+"/"+c] != v {
				t.Errorf("stack %s/%s = %v, want %v (all %v)", r, c, cells["/"+r+"/"+c], v, cells)
			}
		}
	}
}

func TestEnigmaGoObjectListObject(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{
		Info: &enigma.NxInfo{Type: "listbox"},
		ListObjectDef: &enigma.ListObjectDef{
			Def:              &enigma.NxInlineDimensionDef{FieldDefs: []string{"Category"}},
			InitialDataFetch: []*enigma.NxPage{{Width: 1, Height: 10}},
		},
	})
	must(t, "CreateSessionObject", err)
	l, err := obj.GetLayout(ctx)
	must(t, "GetLayout", err)
	lo := l.ListObject
	if lo.Size.Cy != 3 || lo.DimensionInfo.Cardinal != 3 {
		t.Errorf("list object size %+v cardinal %d", lo.Size, lo.DimensionInfo.Cardinal)
	}
	states := map[string]string{}
	elem := map[string]int{}
	for _, r := range lo.DataPages[0].Matrix {
		states[r[0].Text] = r[0].State
		elem[r[0].Text] = r[0].ElemNumber
	}
	if states["Fruit"] != "O" || states["Vegetable"] != "O" || states["Bakery"] != "O" {
		t.Errorf("states before selecting %v", states)
	}
	ok, err := obj.SearchListObjectFor(ctx, "/qListObjectDef", "Veg*")
	must(t, "SearchListObjectFor", err)
	if !ok {
		t.Errorf("SearchListObjectFor: false")
	}
	must(t, "AcceptListObjectSearch", obj.AcceptListObjectSearch(ctx, "/qListObjectDef", false, false))
	egEval(t, ctx, doc, "Sum(Sales)", "42")
	ok, err = obj.SelectListObjectValues(ctx, "/qListObjectDef", []int{elem["Fruit"]}, true, false)
	must(t, "SelectListObjectValues", err)
	if !ok {
		t.Errorf("SelectListObjectValues: false")
	}
	egEval(t, ctx, doc, "Sum(Sales)", "114")
	pages, err := obj.GetListObjectData(ctx, "/qListObjectDef", []*enigma.NxPage{{Width: 1, Height: 10}})
	must(t, "GetListObjectData", err)
	states = map[string]string{}
	for _, r := range pages[0].Matrix {
		states[r[0].Text] = r[0].State
	}
	if states["Fruit"] != "S" || states["Vegetable"] != "S" || states["Bakery"] != "X" {
		t.Errorf("states after selecting Fruit and Vegetable %v", states)
	}
	info, err := obj.GetInfo(ctx)
	must(t, "GetInfo", err)
	if info.Type != "listbox" || info.Id == "" {
		t.Errorf("GetInfo %+v", info)
	}
	got, err := doc.GetObject(ctx, info.Id)
	must(t, "GetObject", err)
	if got.GenericType != "listbox" {
		t.Errorf("GetObject type %q", got.GenericType)
	}
}
