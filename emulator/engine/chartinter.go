package engine

import (
	"errors"
	"math"
	"strings"
)

// positioned is a group that knows its place among a chart's sorted rows,
// which the inter-record functions (Above, Below, Top, Bottom, RowNo,
// NoOfRows) read. A column segment is the rows sharing every dimension
// value but the last; with TOTAL it is the whole column.
type positioned interface {
	// neighbour is the row off rows up (negative: down) in the segment.
	neighbour(off int, total bool) (group, bool)
	// rowNo is the 1-based row in the segment and the segment's size.
	rowNo(total bool) (no, size int, ok bool)
}

// interTotal tells whether an inter-record call has TOTAL, written either
// as a qualifier or as RowNo(TOTAL).
func interTotal(n *node) bool {
	if n.call != nil && n.call.total {
		return true
	}
	return len(n.args) > 0 && n.args[0].kind == nField && strings.EqualFold(n.args[0].name, "total")
}

// compileRowNo is RowNo([TOTAL]) and NoOfRows([TOTAL]).
func compileRowNo(n *node, sc *chartScope) (aggFn, error) {
	sc.extOf().inter = true
	total := interTotal(n)
	size := n.op == "noofrows"
	return func(g group) Val {
		p, ok := g.(positioned)
		if !ok {
			return nullVal
		}
		no, cnt, ok := p.rowNo(total)
		if !ok {
			return nullVal
		}
		if size {
			return numVal(float64(cnt))
		}
		return numVal(float64(no))
	}, nil
}

// interArgs compiles an inter-record call's expression, offset and count.
func interArgs(n *node, sc *chartScope) (expr, offset, count aggFn, err error) {
	if len(n.args) == 0 {
		return nil, nil, nil, errors.New(n.name + "() needs an expression")
	}
	sc.extOf().inter = true
	if expr, err = compileChart(n.args[0], sc); err != nil {
		return
	}
	defOff := 1.0
	if n.op == "top" || n.op == "bottom" {
		defOff = 0
	}
	offset = func(group) Val { return numVal(defOff) }
	count = func(group) Val { return numVal(1) }
	if len(n.args) > 1 {
		if offset, err = compileChart(n.args[1], sc); err != nil {
			return
		}
	}
	if len(n.args) > 2 {
		if count, err = compileChart(n.args[2], sc); err != nil {
			return
		}
	}
	return expr, offset, count, nil
}

// compileMulti compiles Above/Below/Top/Bottom with a count: the list of
// values of count rows (null where a row does not exist).
func compileMulti(n *node, sc *chartScope) (func(group) []Val, error) {
	expr, offset, count, err := interArgs(n, sc)
	if err != nil {
		return nil, err
	}
	total := interTotal(n)
	op := n.op
	return func(g group) []Val {
		off, cnt := offset(g), count(g)
		if !off.IsNum() || !cnt.IsNum() {
			return nil
		}
		p, ok := g.(positioned)
		if !ok {
			return nil
		}
		c := int(math.Min(cnt.Num, 1e6))
		out := make([]Val, 0, max(c, 0))
		for k := 0; k < c; k++ {
			o := int(off.Num) + k
			var step int
			switch op {
			case "above":
				step = o
			case "below":
				step = -o
			case "top", "bottom":
				no, size, ok := p.rowNo(total)
				if !ok {
					return nil
				}
				if op == "top" {
					step = no - 1 - o
				} else {
					step = no - size + o
				}
			}
			if ng, ok := p.neighbour(step, total); ok {
				out = append(out, expr(ng))
			} else {
				out = append(out, nullVal)
			}
		}
		return out
	}, nil
}

// compileInterRecord is a single-valued Above/Below/Top/Bottom.
func compileInterRecord(n *node, sc *chartScope) (aggFn, error) {
	mf, err := compileMulti(n, sc)
	if err != nil {
		return nil, err
	}
	return func(g group) Val {
		vs := mf(g)
		if len(vs) == 0 {
			return nullVal
		}
		return vs[0]
	}, nil
}

// hasMultiArg tells whether a range function gets a list of rows.
func hasMultiArg(n *node) bool {
	for _, a := range n.args {
		if a.kind == nCall && len(a.args) > 2 {
			switch a.op {
			case "above", "below", "top", "bottom":
				return true
			}
		}
	}
	return false
}

// compileRangeMulti is RangeSum/RangeAvg/RangeMin/RangeMax/RangeCount over
// arguments some of which are row lists.
func compileRangeMulti(n *node, sc *chartScope) (aggFn, error) {
	parts := make([]func(group) []Val, len(n.args))
	for i, a := range n.args {
		if a.kind == nCall && len(a.args) > 2 && (a.op == "above" || a.op == "below" || a.op == "top" || a.op == "bottom") {
			mf, err := compileMulti(a, sc)
			if err != nil {
				return nil, err
			}
			parts[i] = mf
			continue
		}
		f, err := compileChart(a, sc)
		if err != nil {
			return nil, err
		}
		parts[i] = func(g group) []Val { return []Val{f(g)} }
	}
	op := n.op
	return func(g group) Val {
		var vals []Val
		for _, p := range parts {
			vals = append(vals, p(g)...)
		}
		return rangeFold(op, vals)
	}, nil
}

// rangeFold folds values the way the Range* functions do: numbers only,
// except RangeCount, which counts every non-null value.
func rangeFold(op string, vals []Val) Val {
	sum, cnt, nonNull := 0.0, 0, 0
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !v.Null {
			nonNull++
		}
		if v.IsNum() {
			sum += v.Num
			cnt++
			mn, mx = math.Min(mn, v.Num), math.Max(mx, v.Num)
		}
	}
	switch op {
	case "rangesum":
		return numVal(sum)
	case "rangecount":
		return numVal(float64(nonNull))
	}
	if cnt == 0 {
		return nullVal
	}
	switch op {
	case "rangeavg":
		return numVal(sum / float64(cnt))
	case "rangemin":
		return numVal(mn)
	}
	return numVal(mx)
}

// cubeOrder is the sorted order of a hypercube's rows and their column
// segments, set once the rows are sorted.
type cubeOrder struct {
	order    []int // position → cube row
	pos      []int // cube row → position (-1: not shown)
	segStart []int // position → first position of its segment
	segEnd   []int // position → one past its segment's last position
}

// newCubeOrder numbers the sorted rows and cuts column segments: rows
// that share every dimension but segDim (the last one sorted by).
func newCubeOrder(order []int, keys [][]int32, nrows int, segDim int) *cubeOrder {
	co := &cubeOrder{order: order, pos: make([]int, nrows), segStart: make([]int, len(order)), segEnd: make([]int, len(order))}
	for i := range co.pos {
		co.pos[i] = -1
	}
	for p, r := range order {
		co.pos[r] = p
	}
	same := func(x, y []int32) bool {
		for j := range x {
			if j != segDim && x[j] != y[j] {
				return false
			}
		}
		return true
	}
	start := 0
	for p := range order {
		if p > 0 && !same(keys[order[p]], keys[order[p-1]]) {
			for q := start; q < p; q++ {
				co.segEnd[q] = p
			}
			start = p
		}
		co.segStart[p] = start
	}
	for q := start; q < len(order); q++ {
		co.segEnd[q] = len(order)
	}
	return co
}

func (g cubeGroup) neighbour(off int, total bool) (group, bool) {
	co := g.c.ord
	if co == nil || g.i < 0 || g.i >= len(co.pos) || co.pos[g.i] < 0 {
		return nil, false
	}
	p := co.pos[g.i]
	q := p - off
	lo, hi := co.segStart[p], co.segEnd[p]
	if total {
		lo, hi = 0, len(co.order)
	}
	if q < lo || q >= hi {
		return nil, false
	}
	return cubeGroup{g.c, co.order[q]}, true
}

func (g cubeGroup) rowNo(total bool) (int, int, bool) {
	co := g.c.ord
	if co == nil || g.i < 0 || g.i >= len(co.pos) || co.pos[g.i] < 0 {
		return 0, 0, false
	}
	p := co.pos[g.i]
	if total {
		return p + 1, len(co.order), true
	}
	return p - co.segStart[p] + 1, co.segEnd[p] - co.segStart[p], true
}
