package engine

import (
	"context"
	"math"
)

// pivotExpansion is one session's expanded nodes of a pivot cube, by the
// element path of the node (keyString of its elements from the root).
type pivotExpansion struct {
	left, top       map[string]bool
	allLeft, allTop bool
}

// pivotOpts are the pivot-only parts of a HyperCubeDef.
type pivotOpts struct {
	QNoOfLeftDims        *int `json:"qNoOfLeftDims"`
	QAlwaysFullyExpanded bool `json:"qAlwaysFullyExpanded"`
}

// pivotNode is one dimension value in the left or top tree.
type pivotNode struct {
	elem     int32
	val      Val
	path     []int32
	children []*pivotNode
	expanded bool
	leaves   int // visible leaf rows (or columns) under the node
}

// pivot is a computed pivot (or stacked) view of a cube.
type pivot struct {
	cb        *cube
	nl, nt    int
	left, top []*pivotNode
	rows      [][]int32 // visible left leaves' paths
	cols      [][]int32 // visible top leaves' paths (one per top leaf)
	vals      map[string][]Val
	refs      map[string]cubeRef // same keys as vals: where the values came from (attributes)
	nm        int
	doc       *Doc
	def       *hcDef
	nodeCubes map[[2]int]*nodeCube // dimension cells' attributes (hypercube_attrs_pivot.go)
}

// pivotOf computes the pivot of the definition at path.
func (g *GenericObject) pivotOf(ctx context.Context, path string) (*pivot, *hcDef, error) {
	def, st, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	var opts pivotOpts
	if v, ok := getPath(g.effectiveProps(), normPath(path)); ok {
		_ = decodeInto(v, &opts)
	}
	nl := cb.nd
	if opts.QNoOfLeftDims != nil && *opts.QNoOfLeftDims >= 0 && *opts.QNoOfLeftDims <= cb.nd {
		nl = *opts.QNoOfLeftDims
	}
	if st.pivot == nil {
		st.pivot = &pivotExpansion{left: map[string]bool{}, top: map[string]bool{}}
	}
	ex := st.pivot
	pv := &pivot{cb: cb, nl: nl, nt: cb.nd - nl, nm: cb.nm, vals: map[string][]Val{}, refs: map[string]cubeRef{}, doc: g.doc, def: def}
	pv.left = buildTree(cb, 0, nl, func(p []int32) bool { return opts.QAlwaysFullyExpanded || ex.allLeft || ex.left[keyString(p)] })
	pv.top = buildTree(cb, nl, cb.nd, func(p []int32) bool { return opts.QAlwaysFullyExpanded || ex.allTop || ex.top[keyString(p)] })
	pv.rows = leafPaths(pv.left, nil)
	pv.cols = leafPaths(pv.top, nil)
	if nl == 0 {
		pv.rows = [][]int32{{}}
	}
	if pv.nt == 0 {
		pv.cols = [][]int32{{}}
	}
	g.pivotValues(pv, def)
	return pv, def, nil
}

// buildTree groups the cube's rows by dimensions [from, to) in their
// sorted order; a node's children show when expanded(path) is true.
func buildTree(cb *cube, from, to int, expanded func([]int32) bool) []*pivotNode {
	var roots []*pivotNode
	index := map[string]*pivotNode{}
	for _, k := range cb.keys {
		var parent *pivotNode
		for j := from; j < to; j++ {
			p := k[from : j+1]
			ks := keyString(p)
			n, ok := index[ks]
			if !ok {
				v := nullVal
				if k[j] >= 0 {
					v = cb.dfd[j].Values[k[j]]
				}
				n = &pivotNode{elem: k[j], val: v, path: append([]int32(nil), p...)}
				index[ks] = n
				if parent == nil {
					roots = append(roots, n)
				} else {
					parent.children = append(parent.children, n)
				}
			}
			parent = n
		}
	}
	var mark func(ns []*pivotNode) int
	mark = func(ns []*pivotNode) int {
		total := 0
		for _, n := range ns {
			n.expanded = len(n.children) > 0 && expanded(n.path)
			if n.expanded {
				n.leaves = mark(n.children)
			} else {
				n.leaves = 1
			}
			total += n.leaves
		}
		return total
	}
	mark(roots)
	return roots
}

func leafPaths(ns []*pivotNode, out [][]int32) [][]int32 {
	for _, n := range ns {
		if n.expanded {
			out = leafPaths(n.children, out)
		} else {
			out = append(out, n.path)
		}
	}
	return out
}

// pivotValues aggregates the measures for every visible (row, column)
// pair at its own depth, each depth being a cube over that many left and
// top dimensions.
func (g *GenericObject) pivotValues(pv *pivot, def *hcDef) {
	cubes := map[[2]int]*cube{}
	for _, r := range pv.rows {
		for _, c := range pv.cols {
			dk := [2]int{len(r), len(c)}
			sub, ok := cubes[dk]
			if !ok {
				sd := *def
				sd.QDimensions = append(append([]dimDef(nil), def.QDimensions[:len(r)]...), def.QDimensions[pv.nl:pv.nl+len(c)]...)
				sd.QInterColumnSortOrder = nil
				sd.QMode = "S"
				sub = g.doc.computeCube(&sd)
				cubes[dk] = sub
				for i, k := range sub.keys {
					key := keyString(k) + "|" + string(rune(len(r)))
					pv.vals[key] = sub.vals[i*sub.nm : (i+1)*sub.nm]
					pv.refs[key] = cubeRef{sub, i}
				}
			}
		}
	}
}

// value is the measure mi at left path r and top path c.
func (pv *pivot) value(r, c []int32, mi int) Val {
	k := append(append([]int32(nil), r...), c...)
	if v, ok := pv.vals[keyString(k)+"|"+string(rune(len(r)))]; ok && mi < len(v) {
		return v[mi]
	}
	return nullVal
}

// width is the number of data columns: top leaves times measures.
func (pv *pivot) width() int { return len(pv.cols) * max(pv.nm, 1) }

// pivotCell is NxPivotDimensionCell.
func pivotCell(n *pivotNode, subs []any, up, down int, attrs func(*pivotNode) ([]any, []any)) obj {
	num := Float(math.NaN())
	if n.val.IsNum() {
		num = Float(n.val.Num)
	}
	ax, ad := []any{}, []any{}
	if attrs != nil {
		ax, ad = attrs(n)
	}
	return obj{{"qText", n.val.Text()}, {"qElemNo", int(n.elem)}, {"qValue", num},
		{"qCanExpand", len(n.children) > 0 && !n.expanded}, {"qCanCollapse", n.expanded},
		{"qType", "N"}, {"qUp", up}, {"qDown", down}, {"qSubNodes", subs},
		{"qAttrExps", obj{{"qValues", ax}}}, {"qAttrDims", obj{{"qValues", ad}}}}
}

// treePage cuts the part of a tree covering leaves [lo, hi); leafOf adds
// the pseudo-dimension (measure) cells under top leaves.
func treePage(ns []*pivotNode, lo, hi int, start *int, leafOf func() []any, attrs func(*pivotNode) ([]any, []any)) []any {
	out := []any{}
	for _, n := range ns {
		first := *start
		last := first + n.leaves
		if last <= lo || first >= hi {
			*start = last
			continue
		}
		var subs []any
		if n.expanded {
			subs = treePage(n.children, lo, hi, start, leafOf, attrs)
		} else {
			*start = last
			if leafOf != nil {
				subs = leafOf()
			}
		}
		if subs == nil {
			subs = []any{}
		}
		out = append(out, pivotCell(n, subs, max(lo-first, 0), max(last-hi, 0), attrs))
		*start = last
	}
	return out
}

// pivotPage is NxPivotPage for one requested page.
func (pv *pivot) pivotPage(def *hcDef, p nxPage) obj {
	nrows, ncols := len(pv.rows), pv.width()
	top := min(max(p.QTop, 0), nrows)
	left := min(max(p.QLeft, 0), ncols)
	h := min(max(p.QHeight, 0), nrows-top)
	w := min(max(p.QWidth, 0), ncols-left)
	nm := max(pv.nm, 1)
	var measCells func() []any
	if pv.nm > 1 {
		measCells = func() []any {
			out := []any{}
			for _, md := range def.QMeasures {
				title := md.QDef.QLabel
				if title == "" {
					title = md.QDef.QDef
				}
				out = append(out, obj{{"qText", title}, {"qElemNo", 0}, {"qValue", Float(math.NaN())}, {"qCanExpand", false},
					{"qCanCollapse", false}, {"qType", "P"}, {"qUp", 0}, {"qDown", 0}, {"qSubNodes", []any{}},
					{"qAttrExps", obj{{"qValues", []any{}}}}, {"qAttrDims", obj{{"qValues", []any{}}}}})
			}
			return out
		}
	}
	start := 0
	leftCells := treePage(pv.left, top, top+h, &start, nil, pv.nodeAttrs(true))
	start = 0
	topCells := []any{}
	if pv.nt > 0 {
		topCells = treePage(pv.top, left/nm, (left+w+nm-1)/nm, &start, measCells, pv.nodeAttrs(false))
	} else if measCells != nil {
		topCells = measCells()
	}
	data := make([][]obj, h)
	for i := 0; i < h; i++ {
		row := make([]obj, w)
		for j := 0; j < w; j++ {
			col := left + j
			v := pv.value(pv.rows[top+i], pv.cols[col/nm], col%nm)
			c := measureCell(v)
			c = pv.cb.fmtCell(c, col%nm)
			ax, ad := pv.valueAttrs(pv.rows[top+i], pv.cols[col/nm], col%nm) // hypercube_attrs_pivot.go
			row[j] = obj{{"qLabel", ""}, {"qText", c.QText}, {"qNum", c.QNum}, {"qType", pivotValueType(v)},
				{"qAttrExps", obj{{"qValues", ax}}}, {"qAttrDims", obj{{"qValues", ad}}}}
		}
		data[i] = row
	}
	return obj{{"qLeft", leftCells}, {"qTop", topCells}, {"qData", data},
		{"qArea", nxPage{QLeft: left, QTop: top, QWidth: w, QHeight: h}}}
}

func pivotValueType(v Val) string {
	if v.Null {
		return "U"
	}
	return "V"
}

// hcLayout is the qHyperCube layout in the definition's mode: straight,
// or pivot (qMode "P") and stacked (qMode "K") with their own pages.
func (g *GenericObject) hcLayout(cb *cube, def *hcDef, st *defState, path string) obj {
	l := cb.layout(def)
	switch def.QMode {
	case "P", "K":
	default:
		return l
	}
	pv, _, err := g.pivotOf(context.Background(), path)
	if err != nil {
		return l
	}
	l.set("qDataPages", []any{})
	l.set("qNoOfLeftDims", pv.nl)
	if def.QMode == "P" {
		l.set("qSize", obj{{"qcx", pv.width()}, {"qcy", len(pv.rows)}})
		pages := []any{}
		for _, p := range def.QInitialDataFetch {
			pages = append(pages, pv.pivotPage(def, p))
		}
		l.set("qPivotDataPages", pages)
		return l
	}
	pages := []any{}
	for _, p := range def.QInitialDataFetch {
		pages = append(pages, pv.stackPage(p))
	}
	l.set("qStackedDataPages", pages)
	return l
}

// pivotData is GetHyperCubePivotData and GetHyperCubeStackData.
func (g *GenericObject) pivotData(ctx context.Context, method string, p Params) (*Reply, error) {
	var path string
	var ps []nxPage
	if err := args(p, "qPath", &path, "qPages", &ps); err != nil {
		return nil, err
	}
	pv, def, err := g.pivotOf(ctx, path)
	if err != nil {
		return nil, err
	}
	want := map[string]string{"GetHyperCubePivotData": "P", "GetHyperCubeStackData": "K"}[method]
	if def.QMode != want {
		return nil, &Error{Code: 7004, Parameter: "qMode", Message: "Invalid mode for this call"}
	}
	out := []any{}
	for _, pg := range ps {
		if want == "P" {
			out = append(out, pv.pivotPage(def, pg))
		} else {
			out = append(out, pv.stackPage(pg))
		}
	}
	return result("qDataPages", out), nil
}

// stackPage is NxStackPage: a root cell ("R") over the first dimension's
// values (rows qTop … of the page), each holding the next dimension's
// values and, at the leaves, one value cell ("V") per measure; qMaxPos
// and qMinNeg sum the positive and negative values below a node.
func (pv *pivot) stackPage(p nxPage) obj {
	roots := buildTree(pv.cb, 0, pv.cb.nd, func([]int32) bool { return true })
	full := map[string]int{}
	for i, k := range pv.cb.keys {
		full[keyString(k)] = i
	}
	top := min(max(p.QTop, 0), len(roots))
	h := min(max(p.QHeight, 0), len(roots)-top)
	nodeAttrs := pv.nodeAttrs(true)
	var cellOf func(n *pivotNode, row *int) (obj, float64, float64)
	cellOf = func(n *pivotNode, row *int) (obj, float64, float64) {
		subs := []any{}
		pos, neg := 0.0, 0.0
		if len(n.children) > 0 {
			for _, c := range n.children {
				co, cp, cn := cellOf(c, row)
				subs = append(subs, co)
				pos, neg = pos+cp, neg+cn
			}
		} else {
			for mi := 0; mi < pv.nm; mi++ {
				v := nullVal
				ax, ad := []any{}, []any{}
				if i, ok := full[keyString(n.path)]; ok {
					v = pv.cb.vals[i*pv.cb.nm+mi]
					ax, ad = attrLists(pv.cb.withAttrs(Cell{}, i, pv.cb.nd+mi)) // hypercube_attrs_pivot.go
				}
				x := 0.0
				if v.IsNum() {
					x = v.Num
				}
				if x > 0 {
					pos += x
				} else {
					neg += x
				}
				c := pv.cb.fmtCell(measureCell(v), mi)
				subs = append(subs, obj{{"qText", c.QText}, {"qElemNo", 0}, {"qValue", c.QNum}, {"qCanExpand", false},
					{"qCanCollapse", false}, {"qType", pivotValueType(v)}, {"qMaxPos", Float(math.Max(x, 0))}, {"qMinNeg", Float(math.Min(x, 0))},
					{"qUp", 0}, {"qDown", 0}, {"qRow", *row}, {"qSubNodes", []any{}},
					{"qAttrExps", obj{{"qValues", ax}}}, {"qAttrDims", obj{{"qValues", ad}}}})
			}
			*row++
		}
		num := Float(math.NaN())
		if n.val.IsNum() {
			num = Float(n.val.Num)
		}
		nax, nad := nodeAttrs(n)
		return obj{{"qText", n.val.Text()}, {"qElemNo", int(n.elem)}, {"qValue", num}, {"qCanExpand", false},
			{"qCanCollapse", false}, {"qType", "N"}, {"qMaxPos", Float(pos)}, {"qMinNeg", Float(neg)},
			{"qUp", 0}, {"qDown", 0}, {"qRow", *row}, {"qSubNodes", subs},
			{"qAttrExps", obj{{"qValues", nax}}}, {"qAttrDims", obj{{"qValues", nad}}}}, pos, neg
	}
	subs := []any{}
	pos, neg := 0.0, 0.0
	row := 0
	for _, n := range roots[top : top+h] {
		c, cp, cn := cellOf(n, &row)
		subs = append(subs, c)
		pos, neg = pos+cp, neg+cn
	}
	root := obj{{"qText", ""}, {"qElemNo", -1}, {"qValue", Float(math.NaN())}, {"qCanExpand", false}, {"qCanCollapse", false},
		{"qType", "R"}, {"qMaxPos", Float(pos)}, {"qMinNeg", Float(neg)}, {"qUp", top}, {"qDown", len(roots) - top - h},
		{"qRow", 0}, {"qSubNodes", subs}, {"qAttrExps", obj{{"qValues", []any{}}}}, {"qAttrDims", obj{{"qValues", []any{}}}}}
	return obj{{"qData", []any{root}}, {"qArea", nxPage{QLeft: max(p.QLeft, 0), QTop: top, QWidth: max(p.QWidth, 0), QHeight: h}}}
}

// expandCollapse is ExpandLeft/CollapseLeft/ExpandTop/CollapseTop: qRow
// and qCol name a visible node (left: row and dimension level; top:
// dimension level and column).
func (g *GenericObject) expandCollapse(method string, p Params) (*Reply, error) {
	var path string
	var row, col int
	var all bool
	if err := args(p, "qPath", &path, "qRow", &row, "qCol", &col, "qAll", &all); err != nil {
		return nil, err
	}
	pv, _, err := g.pivotOf(context.Background(), path)
	if err != nil {
		return nil, err
	}
	st := g.def(normPath(path))
	ex := st.pivot
	leftSide := method == "ExpandLeft" || method == "CollapseLeft"
	expand := method == "ExpandLeft" || method == "ExpandTop"
	set, allFlag := ex.top, &ex.allTop
	leaves, level := pv.cols, row
	idx := col / max(pv.nm, 1)
	if leftSide {
		set, allFlag = ex.left, &ex.allLeft
		leaves, level, idx = pv.rows, col, row
	}
	switch {
	case all:
		*allFlag = expand
		for k := range set {
			delete(set, k)
		}
	case idx >= 0 && idx < len(leaves) && level >= 0 && level < len(leaves[idx]):
		k := keyString(leaves[idx][:level+1])
		if expand {
			set[k] = true
		} else {
			delete(set, k)
			*allFlag = false
		}
	default:
		return nil, &Error{Code: 2, Parameter: "qRow", Message: "Object not found"}
	}
	st.cube = nil
	r := result()
	r.Changed = []Object{g}
	return r, nil
}

// selectPivotCells selects the values of pivot cells: "L" a left cell
// (qRow row, qCol level), "T" a top cell (qRow level, qCol column) and
// "D" a data cell (its row's and column's values).
func (g *GenericObject) selectPivotCells(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var cells []struct {
		QType string `json:"qType"`
		QCol  int    `json:"qCol"`
		QRow  int    `json:"qRow"`
	}
	var soft, deselectOne bool
	if err := args(p, "qPath", &path, "qSelections", &cells, "qSoftLock", &soft, "qDeselectOnlyOneSelected", &deselectOne); err != nil {
		return nil, err
	}
	pv, _, err := g.pivotOf(ctx, path)
	if err != nil {
		return nil, err
	}
	d := g.doc
	picks := map[int][]int{} // cube dimension → elements
	var order []int
	add := func(dim int, e int32) {
		if e < 0 {
			return
		}
		if _, ok := picks[dim]; !ok {
			order = append(order, dim)
		}
		picks[dim] = append(picks[dim], int(e))
	}
	nm := max(pv.nm, 1)
	for _, c := range cells {
		switch c.QType {
		case "L":
			if c.QRow >= 0 && c.QRow < len(pv.rows) && c.QCol >= 0 && c.QCol < len(pv.rows[c.QRow]) {
				add(c.QCol, pv.rows[c.QRow][c.QCol])
			}
		case "T":
			ci := c.QCol / nm
			if ci >= 0 && ci < len(pv.cols) && c.QRow >= 0 && c.QRow < len(pv.cols[ci]) {
				add(pv.nl+c.QRow, pv.cols[ci][c.QRow])
			}
		case "D":
			if c.QRow >= 0 && c.QRow < len(pv.rows) {
				for j, e := range pv.rows[c.QRow] {
					add(j, e)
				}
			}
			if ci := c.QCol / nm; ci >= 0 && ci < len(pv.cols) {
				for j, e := range pv.cols[ci] {
					add(pv.nl+j, e)
				}
			}
		}
	}
	okAll, changed := len(order) > 0, false
	for _, dim := range order {
		fi := pv.cb.dimF[dim]
		if fi < 0 {
			okAll = false
			continue
		}
		ok, ch := d.selectIn(fi, elemSet(d, fi, picks[dim]), false, soft)
		okAll, changed = okAll && ok, changed || ch
	}
	return d.selReply(result("qSuccess", okAll), changed), nil
}
