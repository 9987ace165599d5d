package engine

import (
	"encoding/json"
	"testing"
)

// demoTree makes a Region → Customer tree of Sum(Sales) on Demo.
func demoTree(t *testing.T) (*Doc, *GenericObject) {
	t.Helper()
	d := openDemo(t)
	sales := []any{map[string]any{"qDef": map[string]any{"qDef": "Sum(Sales)"}}}
	r, _ := call(t, d, "CreateSessionObject", map[string]any{
		"qInfo": map[string]any{"qType": "treemap"},
		"qTreeDataDef": map[string]any{
			"qDimensions": []any{
				map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Region"}}, "qValueExprs": sales},
				map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Customer"}}, "qValueExprs": sales},
			},
			"qValueExprs":       sales,
			"qInitialDataFetch": []any{map[string]any{"qTreeLevels": map[string]any{"qLeft": 0, "qDepth": 1}}},
		},
	})
	return d, r.Result[0].Value.(*GenericObject)
}

// treeJSON decodes nodes into a small shape for assertions.
type testNode struct {
	QText     string `json:"qText"`
	QType     string `json:"qType"`
	QGroupPos int    `json:"qGroupPos"`
	QGroupSz  int    `json:"qGroupSize"`
	QTreePath []int  `json:"qTreePath"`
	QValues   []struct {
		QText string `json:"qText"`
	} `json:"qValues"`
	QNodes []testNode `json:"qNodes"`
}

func treeNodes(t *testing.T, v any) []testNode {
	t.Helper()
	b, _ := json.Marshal(v)
	var out []testNode
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTreeData: GetHyperCubeTreeData's nodes (customers without orders have
// none), levels, areas and node limit,
// and the qTreeData layout.
func TestTreeData(t *testing.T) {
	d, g := demoTree(t)
	_, res := call(t, g, "GetHyperCubeTreeData", "/qTreeDataDef")
	nodes := treeNodes(t, res["qNodes"])
	if len(nodes) != 1 || nodes[0].QType != "R" || nodes[0].QValues[0].QText != "114" || len(nodes[0].QNodes) != 3 {
		t.Fatalf("root: %+v", nodes)
	}
	north := nodes[0].QNodes[0]
	if north.QText != "North" || north.QValues[0].QText != "60" || north.QGroupSz != 2 || len(north.QTreePath) != 0 {
		t.Fatalf("North: %+v", north)
	}
	bob := north.QNodes[1]
	if bob.QText != "Bob" || bob.QGroupPos != 1 || len(bob.QTreePath) != 1 || bob.QTreePath[0] != 0 || bob.QValues[0].QText != "20" {
		t.Fatalf("Bob: %+v", bob)
	}

	_, res = call(t, g, "GetHyperCubeTreeData", "/qTreeDataDef", map[string]any{"qTreeLevels": map[string]any{"qLeft": 1, "qDepth": 1}})
	if nodes = treeNodes(t, res["qNodes"]); len(nodes[0].QNodes) != 5 || len(nodes[0].QNodes[0].QNodes) != 0 {
		t.Fatalf("customer level only: %+v", nodes)
	}
	_, res = call(t, g, "GetHyperCubeTreeData", "/qTreeDataDef", map[string]any{"qTreeNodes": []any{
		map[string]any{"qArea": map[string]any{"qLeft": 0, "qTop": 1, "qWidth": 1, "qHeight": 1}}}})
	if nodes = treeNodes(t, res["qNodes"]); len(nodes[0].QNodes) != 1 || nodes[0].QNodes[0].QText != "South" || len(nodes[0].QNodes[0].QNodes) != 1 {
		t.Fatalf("area on South: %+v", nodes)
	}
	_, res = call(t, g, "GetHyperCubeTreeData", "/qTreeDataDef", map[string]any{"qMaxNbrOfNodes": 3})
	if nodes = treeNodes(t, res["qNodes"]); len(nodes) != 0 {
		t.Fatalf("over qMaxNbrOfNodes: %+v", nodes)
	}

	_, res = call(t, g, "GetLayout")
	td := res["qLayout"].(map[string]any)["qTreeData"].(map[string]any)
	if onDim := td["qNodesOnDim"].([]any); len(onDim) != 2 || onDim[0] != 3.0 || onDim[1] != 5.0 {
		t.Fatalf("qNodesOnDim %v", td["qNodesOnDim"])
	}
	info := td["qDimensionInfo"].([]any)[1].(map[string]any)
	if info["qFallbackTitle"] != "Customer" || len(info["qMeasureInfo"].([]any)) != 1 {
		t.Fatalf("qDimensionInfo %v", info)
	}
	if pages := treeNodes(t, td["qTreeDataPages"]); len(pages) != 1 || len(pages[0].QNodes) != 3 || len(pages[0].QNodes[0].QNodes) != 0 {
		t.Fatalf("qTreeDataPages %+v", pages)
	}
	_ = d
}

// TestMultiRangeSelectTreeData: a range over the customers' Sum(Sales)
// selects the customers inside it.
func TestMultiRangeSelectTreeData(t *testing.T) {
	d, g := demoTree(t)
	_, res := call(t, g, "MultiRangeSelectTreeDataValues", "/qTreeDataDef", []any{map[string]any{"qRanges": []any{
		map[string]any{"qRange": map[string]any{"qMin": 15, "qMax": 100, "qMinInclEq": true, "qMaxInclEq": true}, "qMeasureIx": 0, "qDimensionIx": 1}}}})
	if res["qSuccess"] != true {
		t.Fatalf("MultiRangeSelectTreeDataValues: %v", res)
	}
	if _, res = call(t, d, "Evaluate", "Count(DISTINCT Customer) & '/' & Sum(Sales)"); res["qReturn"] != "4/100" {
		t.Fatalf("after the selection: %v", res)
	}
	_, res = call(t, g, "MultiRangeSelectTreeDataValues", "/qTreeDataDef", []any{map[string]any{"qRanges": []any{
		map[string]any{"qRange": map[string]any{"qMin": 1000, "qMax": 2000}, "qMeasureIx": 0, "qDimensionIx": 0}}}})
	if res["qSuccess"] != false {
		t.Fatalf("a range nothing lies in: %v", res)
	}
}
