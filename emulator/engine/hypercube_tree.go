package engine

import (
	"context"
	"math"
)

// treeDimDef is NxTreeDimensionDef: a dimension with the measures
// (qValueExprs) computed for each of its nodes.
type treeDimDef struct {
	dimDef
	QValueExprs []measDef `json:"qValueExprs"`
}

// treeDef is TreeDataDef.
type treeDef struct {
	QStateName        string          `json:"qStateName"`
	QDimensions       []treeDimDef    `json:"qDimensions"`
	QSuppressZero     bool            `json:"qSuppressZero"`
	QSuppressMissing  bool            `json:"qSuppressMissing"`
	QValueExprs       []measDef       `json:"qValueExprs"`
	QInitialDataFetch []treeNodeQuery `json:"qInitialDataFetch"`
}

// treeNodeQuery is NxTreeDataOption: which part of the tree to fetch.
type treeNodeQuery struct {
	QMaxNbrOfNodes int `json:"qMaxNbrOfNodes"`
	QTreeNodes     []struct {
		QArea nxPage `json:"qArea"`
	} `json:"qTreeNodes"`
	QTreeLevels *struct {
		QLeft  int `json:"qLeft"`
		QDepth int `json:"qDepth"`
	} `json:"qTreeLevels"`
}

// treeNode is NxTreeNode.
type treeNode struct {
	QText        string      `json:"qText"`
	QValue       Float       `json:"qValue"`
	QElemNo      int         `json:"qElemNo"`
	QGroupPos    int         `json:"qGroupPos"`
	QGroupSize   int         `json:"qGroupSize"`
	QRow         int         `json:"qRow"`
	QType        string      `json:"qType"`
	QValues      []treeValue `json:"qValues"`
	QNodes       []*treeNode `json:"qNodes"`
	QMaxPos      []Float     `json:"qMaxPos"`
	QMinNeg      []Float     `json:"qMinNeg"`
	QCanCollapse bool        `json:"qCanCollapse,omitempty"`
	QState       string      `json:"qState"`
	QTreePath    []int       `json:"qTreePath"`
	level        int         // dimension index; -1 for the root
	levelPos     int         // index among the nodes of its level
	parent       *treeNode   // nil for the root
}

// treeValue is NxTreeValue.
type treeValue struct {
	QText  string `json:"qText"`
	QValue Float  `json:"qValue"`
}

// tree is a computed qTreeDataDef: one hypercube per level (the dimensions
// down to it, with its qValueExprs as measures) and the nodes linking them.
type tree struct {
	root   *treeNode
	levels []*cube
	byLvl  [][]*treeNode
	rootCb *cube
}

// treeDefAt reads the qTreeDataDef at path.
func (g *GenericObject) treeDefAt(path string) (*treeDef, error) {
	if path == "" {
		path = "/qTreeDataDef"
	}
	v, ok := getPath(g.effectiveProps(), normPath(path))
	if !ok {
		return nil, &Error{Code: 2, Parameter: path, Message: "Object not found"}
	}
	var def treeDef
	if err := decodeInto(v, &def); err != nil {
		return nil, invalid("qPath")
	}
	return &def, nil
}

// computeTree computes every level of a tree in the current state.
func (d *Doc) computeTree(def *treeDef) *tree {
	tr := &tree{}
	n := len(def.QDimensions)
	dims := make([]dimDef, n)
	for i, td := range def.QDimensions {
		dims[i] = td.dimDef
	}
	tr.rootCb = d.computeCube(&hcDef{QMeasures: def.QValueExprs})
	tr.root = &treeNode{QText: "", QValue: Float(math.NaN()), QElemNo: -1, QRow: 0, QType: "R", QState: stLocked,
		QValues: treeValues(tr.rootCb, 0, 0), QTreePath: []int{}, level: -1}
	parents := map[string]*treeNode{"": tr.root}
	for l := 0; l < n; l++ {
		order := make([]int, l+1)
		for i := range order {
			order[i] = i
		}
		cb := d.computeCube(&hcDef{QDimensions: append([]dimDef(nil), dims[:l+1]...), QMeasures: def.QDimensions[l].QValueExprs,
			QSuppressZero: def.QSuppressZero, QSuppressMissing: def.QSuppressMissing, QInterColumnSortOrder: order})
		tr.levels = append(tr.levels, cb)
		next := map[string]*treeNode{}
		var lvl []*treeNode
		for r := range cb.keys {
			key := cb.keys[r][:l+1]
			parent := parents[keyString(key[:l])]
			if parent == nil {
				continue // its parent row was suppressed
			}
			c := cb.cell(r, l)
			node := &treeNode{QText: c.QText, QValue: c.QNum, QElemNo: c.QElemNumber, QRow: r, QType: "N", QState: c.QState,
				QValues: treeValues(cb, r, l+1), level: l, levelPos: len(lvl), parent: parent,
				QGroupPos: len(parent.QNodes), QTreePath: []int{}}
			if parent.level >= 0 {
				node.QTreePath = append(append([]int{}, parent.QTreePath...), parent.QGroupPos)
			}
			parent.QNodes = append(parent.QNodes, node)
			next[keyString(key)] = node
			lvl = append(lvl, node)
		}
		tr.byLvl = append(tr.byLvl, lvl)
		parents = next
	}
	var finish func(nd *treeNode)
	finish = func(nd *treeNode) {
		nd.QGroupSize = len(nd.QNodes)
		nd.QCanCollapse = len(nd.QNodes) > 0
		nd.QMaxPos, nd.QMinNeg = []Float{}, []Float{}
		if len(nd.QNodes) > 0 {
			nm := len(nd.QNodes[0].QValues)
			nd.QMaxPos, nd.QMinNeg = make([]Float, nm), make([]Float, nm)
			for _, ch := range nd.QNodes {
				for j, v := range ch.QValues {
					if x := float64(v.QValue); x > 0 {
						nd.QMaxPos[j] += Float(x)
					} else if x < 0 {
						nd.QMinNeg[j] += Float(x)
					}
				}
			}
		}
		if nd.QNodes == nil {
			nd.QNodes = []*treeNode{}
		}
		for _, ch := range nd.QNodes {
			finish(ch)
		}
	}
	finish(tr.root)
	return tr
}

// treeValues are the measure cells of a cube row from column from.
func treeValues(cb *cube, r, from int) []treeValue {
	out := []treeValue{}
	if r >= len(cb.keys) {
		return out
	}
	_, ncol := cb.size()
	for c := from; c < ncol; c++ {
		cell := cb.cell(r, c)
		out = append(out, treeValue{QText: cell.QText, QValue: cell.QNum})
	}
	return out
}

// fetch cuts the part of the tree a query asks for: the levels of
// qTreeLevels (the first shown level's nodes hang from the root), the
// nodes of each level inside its qTreeNodes area, nothing when more than
// qMaxNbrOfNodes nodes would come back.
func (tr *tree) fetch(q treeNodeQuery) []*treeNode {
	first, depth := 0, len(tr.levels)
	if q.QTreeLevels != nil {
		first = max(q.QTreeLevels.QLeft, 0)
		if q.QTreeLevels.QDepth > 0 {
			depth = q.QTreeLevels.QDepth
		}
	}
	last := min(first+depth, len(tr.levels)) // levels [first, last)
	inArea := func(nd *treeNode) bool {
		for _, a := range q.QTreeNodes {
			ar := a.QArea
			if nd.level >= ar.QLeft && nd.level < ar.QLeft+ar.QWidth {
				return nd.levelPos >= ar.QTop && nd.levelPos < ar.QTop+ar.QHeight
			}
		}
		return true
	}
	count := 0
	var cut func(nd *treeNode) *treeNode
	cut = func(nd *treeNode) *treeNode {
		cp := *nd
		cp.QNodes = []*treeNode{}
		count++
		if nd.level+1 < last {
			for _, ch := range nd.QNodes {
				if inArea(ch) {
					cp.QNodes = append(cp.QNodes, cut(ch))
				}
			}
		}
		return &cp
	}
	root := *tr.root
	root.QNodes = []*treeNode{}
	if first < last {
		for _, nd := range tr.byLvl[first] {
			if inArea(nd) && tr.ancestorsInArea(nd, inArea) {
				root.QNodes = append(root.QNodes, cut(nd))
			}
		}
	}
	if q.QMaxNbrOfNodes > 0 && count > q.QMaxNbrOfNodes {
		return []*treeNode{}
	}
	return []*treeNode{&root}
}

// ancestorsInArea tells whether every ancestor of a node is inside the
// query's areas (nodes under a left-out node are left out too).
func (tr *tree) ancestorsInArea(nd *treeNode, in func(*treeNode) bool) bool {
	for p := nd.parent; p != nil && p.level >= 0; p = p.parent {
		if !in(p) {
			return false
		}
	}
	return true
}

// treeData is GenericObject.GetHyperCubeTreeData.
func (g *GenericObject) treeData(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var q treeNodeQuery
	if err := args(p, "qPath", &path, "qNodeOptions", &q); err != nil {
		return nil, err
	}
	def, err := g.treeDefAt(path)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ErrAborted
	}
	var nodes []*treeNode
	g.doc.withState(def.QStateName, func() { nodes = g.doc.computeTree(def).fetch(q) })
	return result("qNodes", nodes), nil
}

// treeLayout is the qTreeData layout of a qTreeDataDef.
func (g *GenericObject) treeLayout(def *treeDef) obj {
	var tr *tree
	d := g.doc
	d.withState(def.QStateName, func() { tr = d.computeTree(def) })
	onDim := make([]int, len(tr.levels))
	infos := make([]any, len(tr.levels))
	order := make([]int, len(tr.levels))
	for l, cb := range tr.levels {
		onDim[l] = len(tr.byLvl[l])
		order[l] = l
		info := obj{}
		if l < len(cb.dimInfo) {
			info = append(info, cb.dimInfo[l]...)
		}
		info.set("qMeasureInfo", orEmpty(cb.measInfo))
		infos[l] = info
	}
	pages := []*treeNode{}
	for _, q := range def.QInitialDataFetch {
		pages = append(pages, tr.fetch(q)...)
	}
	state := def.QStateName
	if state == "" {
		state = "$"
	}
	return obj{{"qStateName", state}, {"qNodesOnDim", onDim}, {"qDimensionInfo", infos},
		{"qEffectiveInterColumnSortOrder", order}, {"qHasOtherValues", false}, {"qTitle", ""},
		{"qCalcCondMsg", ""}, {"qTreeDataPages", pages}, {"qMeasureInfo", orEmpty(tr.rootCb.measInfo)}}
}

// orEmpty is infos, or an empty list for nil.
func orEmpty(infos []obj) []obj {
	if infos == nil {
		return []obj{}
	}
	return infos
}
