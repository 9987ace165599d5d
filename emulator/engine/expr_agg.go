package engine

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// compileAgg compiles one aggregation: it picks the base table, compiles the
// argument per row of that table and folds it over the group's rows.
func compileAgg(n *node, sc *chartScope) (aggFn, error) {
	m := sc.m
	t := sc.primary
	var inner *node
	if len(n.args) > 0 {
		inner = n.args[0]
		if bt := baseTable(m, fieldsIn(m, inner, nil)); bt >= 0 {
			t = bt
		}
	}
	sc.tables = append(sc.tables, t)
	if n.star || inner == nil {
		if n.op != "count" {
			return nil, fmt.Errorf("%s() needs an argument", n.name)
		}
		return func(g group) Val { return numVal(float64(len(g.rows(t)))) }, nil
	}
	if t < 0 {
		// No table at all (empty model): aggregate a constant once.
		rs := &rowScope{field: func(string) (rowFn, bool) { return nil, false }, vr: sc.vr}
		f, err := compileRow(inner, rs)
		if err != nil {
			return nil, err
		}
		v := f(0)
		return func(group) Val { return v }, nil
	}
	// Fast paths on a plain field.
	if inner.kind == nField {
		if fi := m.field(inner.name); fi >= 0 {
			proj := m.proj(t, fi)
			f := m.Fields[fi]
			nums := f.nums
			switch {
			case n.op == "sum" && !n.distinct:
				return func(g group) Val {
					s := 0.0
					for _, r := range g.rows(t) {
						if e := proj[r]; e >= 0 {
							if x := nums[e]; x == x {
								s += x
							}
						}
					}
					return numVal(s)
				}, nil
			case n.op == "count" && n.distinct:
				return func(g group) Val {
					seen := newBitset(len(nums))
					c := 0
					for _, r := range g.rows(t) {
						if e := proj[r]; e >= 0 && !seen.has(e) {
							seen.set(e)
							c++
						}
					}
					return numVal(float64(c))
				}, nil
			case n.op == "count":
				return func(g group) Val {
					c := 0
					for _, r := range g.rows(t) {
						if proj[r] >= 0 {
							c++
						}
					}
					return numVal(float64(c))
				}, nil
			case n.op == "only":
				vals := f.Values
				return func(g group) Val {
					var got int32 = -1
					for _, r := range g.rows(t) {
						e := proj[r]
						if e < 0 {
							continue
						}
						if got >= 0 && e != got {
							return nullVal
						}
						got = e
					}
					if got < 0 {
						return nullVal
					}
					return vals[got]
				}, nil
			}
		}
	}
	f, err := compileRow(inner, rowScopeFor(m, t, sc.vr))
	if err != nil {
		return nil, err
	}
	var sep aggFn
	if n.op == "concat" && len(n.args) > 1 {
		s, err := compileChart(n.args[1], sc)
		if err != nil {
			return nil, err
		}
		sep = s
	}
	op, distinct := n.op, n.distinct
	return func(g group) Val {
		acc := newAggAcc(op, distinct)
		for _, r := range g.rows(t) {
			acc.add(f(r))
		}
		s := ""
		if op == "concat" && sep != nil {
			s = textOrEmpty(sep(g))
		}
		return acc.result(s)
	}, nil
}

// aggAcc folds values into one of the chart aggregations (count, sum,
// avg, min, max, only, concat, minstring, maxstring; DISTINCT skips a
// value seen before): compileAgg feeds it a group's rows, foldVals a
// list of values (Aggr, inter-record functions). Nulls are skipped.
type aggAcc struct {
	op               string
	seen             map[string]bool // DISTINCT's values so far; nil without it
	sum              float64
	cnt              int
	mn, mx           float64
	only             Val
	onlySet, onlyBad bool
	texts            []string
}

func newAggAcc(op string, distinct bool) aggAcc {
	a := aggAcc{op: op, mn: math.Inf(1), mx: math.Inf(-1)}
	if distinct {
		a.seen = map[string]bool{}
	}
	return a
}

// add folds v in.
func (a *aggAcc) add(v Val) {
	if v.Null {
		return
	}
	if a.seen != nil {
		k := v.key()
		if a.seen[k] {
			return
		}
		a.seen[k] = true
	}
	switch a.op {
	case "count":
		a.cnt++
	case "sum", "avg", "min", "max":
		if v.IsNum() {
			a.sum += v.Num
			a.cnt++
			a.mn = math.Min(a.mn, v.Num)
			a.mx = math.Max(a.mx, v.Num)
		}
	case "only":
		if a.onlySet && a.only.key() != v.key() {
			a.onlyBad = true
		}
		a.only, a.onlySet = v, true
	case "concat", "minstring", "maxstring":
		a.texts = append(a.texts, v.Text())
	}
}

// result is the aggregation of what was added; sep joins concat's texts.
func (a *aggAcc) result(sep string) Val {
	switch a.op {
	case "count":
		return numVal(float64(a.cnt))
	case "sum":
		return numVal(a.sum)
	case "avg":
		if a.cnt == 0 {
			return nullVal
		}
		return numVal(a.sum / float64(a.cnt))
	case "min", "max":
		if a.cnt == 0 {
			return nullVal
		}
		if a.op == "min" {
			return numVal(a.mn)
		}
		return numVal(a.mx)
	case "only":
		if !a.onlySet || a.onlyBad {
			return nullVal
		}
		return a.only
	case "minstring", "maxstring":
		if len(a.texts) == 0 {
			return nullVal
		}
		sort.Strings(a.texts)
		if a.op == "minstring" {
			return strVal(a.texts[0])
		}
		return strVal(a.texts[len(a.texts)-1])
	}
	return strVal(strings.Join(a.texts, sep))
}
