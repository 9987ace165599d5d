package engine

import (
	"errors"
	"fmt"
	"sort"
)

// chartExt is what compiling chart expressions records beyond plain
// aggregations: the set expressions' record sets (a hypercube takes rows
// from them too) and whether an expression reads other chart rows
// (Above, RowNo, …), which must then be evaluated after sorting.
type chartExt struct {
	sets      *setEval
	setAssocs []*assoc
	inter     bool
}

func (sc *chartScope) extOf() *chartExt {
	if sc.ext == nil {
		sc.ext = &chartExt{}
	}
	return sc.ext
}

// scopedGroup is a group that can answer for another record set (set
// analysis) and with fewer of its dimensions (TOTAL, TOTAL <fields>).
type scopedGroup interface {
	group
	rowsScoped(t int, a *assoc, total bool, keep []int) []int32
}

// scopedView is a group seen through an aggregation's set expression and
// TOTAL qualifier.
type scopedView struct {
	g     group
	a     *assoc // nil: the group's own record set
	total bool
	keep  []int // fields kept by TOTAL <fields>
}

func (s scopedView) rows(t int) []int32 {
	if sg, ok := s.g.(scopedGroup); ok {
		return sg.rowsScoped(t, s.a, s.total, s.keep)
	}
	if s.a != nil && t >= 0 {
		return s.a.activeRows(t)
	}
	return s.g.rows(t)
}

func (s scopedView) rowsScoped(t int, a *assoc, total bool, keep []int) []int32 {
	if a == nil {
		a = s.a
	}
	return scopedView{s.g, a, total || s.total, append(keep, s.keep...)}.rows(t)
}

func (g allGroup) rowsScoped(t int, a *assoc, _ bool, _ []int) []int32 {
	if t < 0 {
		return nil
	}
	if a == nil {
		a = g.a
	}
	return a.activeRows(t)
}

func (g cubeGroup) rowsScoped(t int, a *assoc, total bool, keep []int) []int32 {
	return g.c.groupRowsScoped(t, g.i, a, total, keep)
}

// compileChartExt compiles the calls plain compileChart does not know:
// aggregations with a set expression or TOTAL, Aggr, the inter-record
// functions and range functions over them. ok is false for other calls.
func compileChartExt(n *node, sc *chartScope) (aggFn, bool, error) {
	switch n.op {
	case "aggr":
		f, err := compileAggrMeasure(n, sc)
		return f, true, err
	case "above", "below", "top", "bottom":
		if len(n.args) > 2 {
			mf, err := compileMulti(n, sc)
			if err != nil {
				return nil, true, err
			}
			return func(g group) Val { return onlyOf(mf(g)) }, true, nil
		}
		f, err := compileInterRecord(n, sc)
		return f, true, err
	case "rowno", "noofrows":
		f, err := compileRowNo(n, sc)
		return f, true, err
	case "rangesum", "rangeavg", "rangemin", "rangemax", "rangecount":
		if !hasMultiArg(n) {
			return nil, false, nil
		}
		f, err := compileRangeMulti(n, sc)
		return f, true, err
	}
	if !aggFuncs[n.op] {
		return nil, false, nil
	}
	if len(n.args) > 0 && n.args[0].kind == nCall && n.args[0].op == "aggr" {
		f, err := compileAggOverAggr(n, sc)
		return f, true, err
	}
	if n.call == nil || n.call.set == nil && !n.call.total {
		return nil, false, nil
	}
	q := n.call
	plain := *n
	plain.call = nil
	inner, err := compileAgg(&plain, sc)
	if err != nil {
		return nil, true, err
	}
	var a *assoc
	if q.set != nil {
		if a, err = sc.setAssoc(q.set); err != nil {
			return nil, true, err
		}
	}
	var keep []int
	for _, name := range q.totalDims {
		if fi := sc.m.field(name); fi >= 0 {
			keep = append(keep, fi)
		}
	}
	total := q.total
	return func(g group) Val { return inner(scopedView{g, a, total, keep}) }, true, nil
}

// setAssoc evaluates a set expression in the scope's state.
func (sc *chartScope) setAssoc(se *setExpr) (*assoc, error) {
	ext := sc.extOf()
	if ext.sets == nil {
		cur := newSelState()
		if sc.a != nil && sc.a.st != nil {
			cur = sc.a.st
		}
		ext.sets = &setEval{d: sc.doc, m: sc.m, cur: cur}
	}
	a, err := ext.sets.assocOf(se)
	if err != nil {
		return nil, err
	}
	ext.setAssocs = append(ext.setAssocs, a)
	return a, nil
}

// aggrSpec is a compiled Aggr(expr, dim…): the inner expression, the
// dimension fields and the tables its aggregations run over.
type aggrSpec struct {
	m      *Model
	inner  aggFn
	fields []int
	tables []int
}

func compileAggrSpec(n *node, sc *chartScope) (*aggrSpec, error) {
	if len(n.args) < 2 {
		return nil, errors.New("Aggr() needs an expression and at least one dimension")
	}
	sp := &aggrSpec{m: sc.m}
	for _, d := range n.args[1:] {
		if d.kind != nField {
			return nil, errors.New("Aggr() dimensions must be fields")
		}
		fi := sc.m.field(d.name)
		if fi < 0 {
			return nil, fmt.Errorf("field not found: <%s>", d.name)
		}
		sp.fields = append(sp.fields, fi)
	}
	before := len(sc.tables)
	f, err := compileChart(n.args[0], sc)
	if err != nil {
		return nil, err
	}
	sp.inner = f
	for _, t := range sc.tables[before:] {
		if t >= 0 && !containsInt(sp.tables, t) {
			sp.tables = append(sp.tables, t)
		}
	}
	if len(sp.tables) == 0 {
		if t := baseTable(sc.m, sp.fields); t >= 0 {
			sp.tables = []int{t}
		}
	}
	return sp, nil
}

// values evaluates the inner expression once per combination of the
// Aggr dimensions found among the group's records, in key order.
func (sp *aggrSpec) values(g group) []Val {
	parts := &aggrParts{m: sp.m, parent: g, fields: sp.fields, byT: map[aggrPartKey]map[string][]int32{}}
	keys := map[string]bool{}
	for _, t := range sp.tables {
		for k := range parts.get(t, nil) {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	out := make([]Val, 0, len(sorted))
	for _, k := range sorted {
		out = append(out, sp.inner(aggrSub{parts: parts, key: k}))
	}
	return out
}

type aggrPartKey struct {
	t int
	a *assoc
}

// aggrParts partitions a parent group's records by the Aggr dimensions.
type aggrParts struct {
	m      *Model
	parent group
	fields []int
	byT    map[aggrPartKey]map[string][]int32
}

func (p *aggrParts) get(t int, a *assoc) map[string][]int32 {
	k := aggrPartKey{t, a}
	if m, ok := p.byT[k]; ok {
		return m
	}
	var rows []int32
	if a == nil {
		rows = p.parent.rows(t)
	} else {
		rows = scopedView{p.parent, a, false, nil}.rows(t)
	}
	projs := make([][]int32, len(p.fields))
	for j, fi := range p.fields {
		projs[j] = p.m.proj(t, fi)
	}
	out := map[string][]int32{}
	key := make([]int32, len(p.fields))
	for _, r := range rows {
		skip := false
		for j := range projs {
			key[j] = projs[j][r]
			if key[j] < 0 {
				skip = true
			}
		}
		if !skip {
			ks := keyString(key)
			out[ks] = append(out[ks], r)
		}
	}
	p.byT[k] = out
	return out
}

// aggrSub is one Aggr dimension combination as a group.
type aggrSub struct {
	parts *aggrParts
	key   string
}

func (s aggrSub) rows(t int) []int32 {
	if t < 0 {
		return nil
	}
	return s.parts.get(t, nil)[s.key]
}

func (s aggrSub) rowsScoped(t int, a *assoc, total bool, keep []int) []int32 {
	if t < 0 {
		return nil
	}
	if total {
		return scopedView{s.parts.parent, a, false, nil}.rows(t)
	}
	return s.parts.get(t, a)[s.key]
}

// compileAggrMeasure is Aggr() outside an aggregation: its value when the
// combinations give exactly one value, else null.
func compileAggrMeasure(n *node, sc *chartScope) (aggFn, error) {
	sp, err := compileAggrSpec(n, sc)
	if err != nil {
		return nil, err
	}
	return func(g group) Val { return onlyOf(sp.values(g)) }, nil
}

// compileAggOverAggr is an aggregation over Aggr's virtual table, e.g.
// Avg(Aggr(Sum(Sales), Customer)).
func compileAggOverAggr(n *node, sc *chartScope) (aggFn, error) {
	sp, err := compileAggrSpec(n.args[0], sc)
	if err != nil {
		return nil, err
	}
	var sep aggFn
	if n.op == "concat" && len(n.args) > 1 {
		if sep, err = compileChart(n.args[1], sc); err != nil {
			return nil, err
		}
	}
	var a *assoc
	total := false
	if q := n.call; q != nil {
		total = q.total
		if q.set != nil {
			if a, err = sc.setAssoc(q.set); err != nil {
				return nil, err
			}
		}
	}
	op, distinct := n.op, n.distinct
	return func(g group) Val {
		if a != nil || total {
			g = scopedView{g, a, total, nil}
		}
		s := ""
		if sep != nil {
			s = textOrEmpty(sep(g))
		}
		return foldVals(op, distinct, sp.values(g), s)
	}, nil
}

// foldVals aggregates a list of values the way compileAgg folds rows.
func foldVals(op string, distinct bool, vals []Val, sep string) Val {
	acc := newAggAcc(op, distinct)
	for _, v := range vals {
		acc.add(v)
	}
	return acc.result(sep)
}

// onlyOf is the single distinct non-null value of a list, else null.
func onlyOf(vals []Val) Val {
	var got Val
	set := false
	for _, v := range vals {
		if v.Null {
			continue
		}
		if set && got.key() != v.key() {
			return nullVal
		}
		got, set = v, true
	}
	if !set {
		return nullVal
	}
	return got
}
