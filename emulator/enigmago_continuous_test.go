package emulator

import (
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoContinuousData: GetHyperCubeContinuousData's pages and axis
// decode in enigma-go's types.
func TestEnigmaGoContinuousData(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	obj, err := doc.CreateSessionObject(ctx, &enigma.GenericObjectProperties{Info: &enigma.NxInfo{Type: "linechart"},
		HyperCubeDef: &enigma.HyperCubeDef{
			Dimensions: []*enigma.NxDimension{{Def: &enigma.NxInlineDimensionDef{FieldDefs: []string{"OrderID"}}}},
			Measures:   []*enigma.NxMeasure{{Def: &enigma.NxInlineMeasureDef{Def: "Sum(Sales)"}}},
		}})
	must(t, "CreateSessionObject", err)
	pages, axis, err := obj.GetHyperCubeContinuousData(ctx, "/qHyperCubeDef",
		&enigma.NxContinuousDataOptions{Start: 2, End: 11, NbrPoints: 100, MaxNbrTicks: 4}, false)
	must(t, "GetHyperCubeContinuousData", err)
	if len(pages) != 1 || len(pages[0].Matrix) != 10 || pages[0].IsReduced || pages[0].Area.Height != 10 {
		t.Fatalf("pages: %+v", pages)
	}
	if pages[0].Matrix[0][0].Text != "2" || float64(pages[0].Matrix[0][1].Num) != 5 {
		t.Errorf("first row: %+v %+v", pages[0].Matrix[0][0], pages[0].Matrix[0][1])
	}
	if axis == nil || len(axis.Axis) != 1 || axis.Axis[0].Name != "OrderID" || len(axis.Axis[0].Ticks) == 0 || len(axis.Axis[0].Ticks) > 4 {
		t.Fatalf("axis: %+v", axis)
	}
}
