package emulator

import (
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestEnigmaGoTreeData: GetHyperCubeTreeData's nodes decode in enigma-go's
// NxTreeNode, and MultiRangeSelectTreeDataValues selects by a node measure.
func TestEnigmaGoTreeData(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	sales := []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}}
	obj, err := doc.CreateSessionObjectRaw(ctx, map[string]any{
		"qInfo": map[string]any{"qType": "treemap"},
		"qTreeDataDef": map[string]any{"qDimensions": []any{
			map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Category"}}, "qValueExprs": sales},
			map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Product"}}, "qValueExprs": sales},
		}},
	})
	must(t, "CreateSessionObjectRaw", err)
	_, err = obj.GetLayoutRaw(ctx)
	must(t, "GetLayout", err)
	nodes, err := obj.GetHyperCubeTreeData(ctx, "/qTreeDataDef", &enigma.NxTreeDataOption{})
	must(t, "GetHyperCubeTreeData", err)
	if len(nodes) != 1 || nodes[0].Type != "R" || len(nodes[0].Nodes) != 3 {
		t.Fatalf("tree: %d %+v", len(nodes), *nodes[0])
	}
	fruit := nodes[0].Nodes[0]
	if fruit.Text != "Fruit" || len(fruit.Values) != 1 || float64(fruit.Values[0].Value) != 72 || fruit.GroupSize != 2 {
		t.Fatalf("Fruit: %+v", fruit)
	}
	ok, err := obj.MultiRangeSelectTreeDataValues(ctx, "/qTreeDataDef", []*enigma.NxTreeMultiRangeSelectInfo{{Ranges: []*enigma.NxTreeRangeSelectInfo{
		{Range: &enigma.Range{Min: 40, Max: 50, MinInclEq: true, MaxInclEq: true}, MeasureIx: 0, DimensionIx: 1}}}}, false, false)
	must(t, "MultiRangeSelectTreeDataValues", err)
	if !ok {
		t.Errorf("MultiRangeSelectTreeDataValues: qSuccess false")
	}
}
