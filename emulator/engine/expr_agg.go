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
		rows := g.rows(t)
		var seen map[string]bool
		if distinct {
			seen = map[string]bool{}
		}
		sum, cnt := 0.0, 0
		mn, mx := math.Inf(1), math.Inf(-1)
		var only Val
		onlySet, onlyBad := false, false
		var texts []string
		for _, r := range rows {
			v := f(r)
			if v.Null {
				continue
			}
			if distinct {
				k := v.key()
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			switch op {
			case "count":
				cnt++
			case "sum", "avg", "min", "max":
				if v.IsNum() {
					sum += v.Num
					cnt++
					mn = math.Min(mn, v.Num)
					mx = math.Max(mx, v.Num)
				}
			case "only":
				if onlySet && only.key() != v.key() {
					onlyBad = true
				}
				only, onlySet = v, true
			case "concat", "minstring", "maxstring":
				texts = append(texts, v.Text())
			}
		}
		switch op {
		case "count":
			return numVal(float64(cnt))
		case "sum":
			return numVal(sum)
		case "avg":
			if cnt == 0 {
				return nullVal
			}
			return numVal(sum / float64(cnt))
		case "min", "max":
			if cnt == 0 {
				return nullVal
			}
			if op == "min" {
				return numVal(mn)
			}
			return numVal(mx)
		case "only":
			if !onlySet || onlyBad {
				return nullVal
			}
			return only
		case "minstring", "maxstring":
			if len(texts) == 0 {
				return nullVal
			}
			sort.Strings(texts)
			if op == "minstring" {
				return strVal(texts[0])
			}
			return strVal(texts[len(texts)-1])
		}
		s := ""
		if sep != nil {
			s = textOrEmpty(sep(g))
		}
		return strVal(strings.Join(texts, s))
	}, nil
}
