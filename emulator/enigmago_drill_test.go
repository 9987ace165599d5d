package emulator

import (
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoDrillDown: a drill-down group's qDimensionInfo decodes in
// enigma-go's types, follows a selection down and DrillUp brings it back.
func TestEnigmaGoDrillDown(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "chart"},
		HyperCubeDef: &enigma.HyperCubeDef{
			Dimensions: []*enigma.NxDimension{{Def: &enigma.NxInlineDimensionDef{Grouping: "H", FieldDefs: []string{"Category", "Product"}}}},
			Measures:   []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"}}},
		}})
	must(t, "CreateSessionObject", err)
	level := func() (int, string) {
		t.Helper()
		l, err := obj.GetLayout(ctx)
		must(t, "GetLayout", err)
		info := l.HyperCube.DimensionInfo[0]
		if info.Grouping != "H" || len(info.GroupFieldDefs) != 2 || len(info.GroupFallbackTitles) != 2 {
			t.Fatalf("qDimensionInfo of a drill-down group: %+v", info)
		}
		return info.GroupPos, info.FallbackTitle
	}
	if pos, title := level(); pos != 0 || title != "Category" {
		t.Fatalf("first level: %d %s", pos, title)
	}
	f, err := doc.GetField(ctx, "Category", "")
	must(t, "GetField", err)
	_, err = f.Select(ctx, "Fruit", false, 0)
	must(t, "Select", err)
	if pos, title := level(); pos != 1 || title != "Product" {
		t.Fatalf("after selecting one category: %d %s", pos, title)
	}
	must(t, "DrillUp", obj.DrillUp(ctx, "/qHyperCubeDef", 0, 1))
	if pos, _ := level(); pos != 0 {
		t.Fatalf("after DrillUp: %d", pos)
	}
}
