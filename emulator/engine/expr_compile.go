package engine

import (
	"errors"
	"fmt"
	"strings"
)

// aggFuncs are the aggregation functions understood in chart expressions.
var aggFuncs = map[string]bool{"sum": true, "count": true, "avg": true, "min": true, "max": true, "only": true, "concat": true, "minstring": true, "maxstring": true}

// rowFn evaluates an expression for one row of some table.
type rowFn func(r int32) Val

// rowScope resolves names while compiling a row-level expression.
type rowScope struct {
	field func(name string) (rowFn, bool)
	vr    func(name string) (Val, bool) // variables
	rand  func() float64
	recNo rowFn
	// call, when set, compiles the calls it knows (ok true) before the
	// built-in functions: the load script's IterNo, Peek, ApplyMap, ….
	call func(n *node) (f rowFn, ok bool, err error)
}

// compileRow turns an AST into a closure evaluated per row.
func compileRow(n *node, sc *rowScope) (rowFn, error) {
	switch n.kind {
	case nLit:
		v := n.val
		return func(int32) Val { return v }, nil
	case nField:
		if f, ok := sc.field(n.name); ok {
			return f, nil
		}
		if sc.vr != nil {
			if v, ok := sc.vr(n.name); ok {
				return func(int32) Val { return v }, nil
			}
		}
		return nil, fmt.Errorf("field not found: <%s>", n.name)
	case nNeg, nNot:
		x, err := compileRow(n.args[0], sc)
		if err != nil {
			return nil, err
		}
		if n.kind == nNot {
			return func(r int32) Val { return boolVal(!truthy(x(r))) }, nil
		}
		return func(r int32) Val {
			v := x(r)
			if !v.IsNum() {
				return nullVal
			}
			return numVal(-v.Num)
		}, nil
	case nBin:
		l, err := compileRow(n.args[0], sc)
		if err != nil {
			return nil, err
		}
		rr, err := compileRow(n.args[1], sc)
		if err != nil {
			return nil, err
		}
		op := n.op
		return func(r int32) Val { return binop(op, l(r), rr(r)) }, nil
	case nCall:
		if sc.call != nil {
			if f, ok, err := sc.call(n); ok {
				return f, err
			}
		}
		switch n.op {
		case "recno", "rowno":
			if sc.recNo != nil {
				return sc.recNo, nil
			}
			return func(r int32) Val { return numVal(float64(r + 1)) }, nil
		case "rand":
			rnd := sc.rand
			if rnd == nil {
				return nil, errors.New("Rand() not available here")
			}
			return func(int32) Val { return numVal(rnd()) }, nil
		}
		if aggFuncs[n.op] {
			return nil, fmt.Errorf("aggregation %s() not allowed in a row expression", n.name)
		}
		fn, ok := scalarFuncs[n.op]
		if !ok {
			return nil, fmt.Errorf("unknown function %s()", n.name)
		}
		args := make([]rowFn, len(n.args))
		for i, a := range n.args {
			f, err := compileRow(a, sc)
			if err != nil {
				return nil, err
			}
			args[i] = f
		}
		return func(r int32) Val {
			vs := make([]Val, max(len(args), 3))
			for i, a := range args {
				vs[i] = a(r)
			}
			for i := len(args); i < len(vs); i++ {
				vs[i] = nullVal
			}
			return fn(vs[:max(len(args), 1)])
		}, nil
	}
	return nil, errors.New("bad expression")
}

// group gives an aggregation the rows it runs over: per table, the rows of
// the current hypercube cell (or of the whole selection).
type group interface {
	rows(t int) []int32
}

// aggFn evaluates a chart expression for one group.
type aggFn func(g group) Val

// chartScope resolves names while compiling a chart expression.
type chartScope struct {
	m       *Model
	a       *assoc
	vr      func(name string) (Val, bool)
	primary int   // table used by aggregations without field references
	tables  []int // base tables of the aggregations compiled so far
	doc     *Doc  // for set identifiers (states, bookmarks, history); may be nil
	ext     *chartExt
}

// fieldsIn lists the model fields referenced under n.
func fieldsIn(m *Model, n *node, out []int) []int {
	if n.kind == nField {
		if fi := m.field(n.name); fi >= 0 {
			out = append(out, fi)
		}
	}
	for _, a := range n.args {
		out = fieldsIn(m, a, out)
	}
	return out
}

// baseTable picks the table an aggregation iterates: the largest table
// holding one of the referenced fields (usually the fact table).
func baseTable(m *Model, fields []int) int {
	best := -1
	for _, fi := range fields {
		for _, t := range m.Fields[fi].Tables {
			if best < 0 || m.Tables[t].Rows > m.Tables[best].Rows {
				best = t
			}
		}
	}
	return best
}

// compileChart turns an AST into a closure evaluated per group.
func compileChart(n *node, sc *chartScope) (aggFn, error) {
	switch n.kind {
	case nLit:
		v := n.val
		return func(group) Val { return v }, nil
	case nField:
		if fi := sc.m.field(n.name); fi >= 0 {
			return compileAgg(&node{kind: nCall, op: "only", name: "Only", args: []*node{n}}, sc)
		}
		if sc.vr != nil {
			if v, ok := sc.vr(n.name); ok {
				return func(group) Val { return v }, nil
			}
		}
		return nil, fmt.Errorf("field not found: <%s>", n.name)
	case nNeg, nNot:
		x, err := compileChart(n.args[0], sc)
		if err != nil {
			return nil, err
		}
		if n.kind == nNot {
			return func(g group) Val { return boolVal(!truthy(x(g))) }, nil
		}
		return func(g group) Val {
			v := x(g)
			if !v.IsNum() {
				return nullVal
			}
			return numVal(-v.Num)
		}, nil
	case nBin:
		l, err := compileChart(n.args[0], sc)
		if err != nil {
			return nil, err
		}
		r, err := compileChart(n.args[1], sc)
		if err != nil {
			return nil, err
		}
		op := n.op
		return func(g group) Val { return binop(op, l(g), r(g)) }, nil
	case nCall:
		if f, ok, err := compileChartExt(n, sc); ok {
			return f, err
		}
		if aggFuncs[n.op] {
			return compileAgg(n, sc)
		}
		switch n.op {
		case "getselectedcount", "getpossiblecount", "getexcludedcount", "getfieldselections", "getcurrentselections":
			return compileSelFunc(n, sc)
		case "rand":
			return func(group) Val { return numVal(0.5) }, nil
		}
		fn, ok := scalarFuncs[n.op]
		if !ok {
			return nil, fmt.Errorf("unknown function %s()", n.name)
		}
		args := make([]aggFn, len(n.args))
		for i, a := range n.args {
			f, err := compileChart(a, sc)
			if err != nil {
				return nil, err
			}
			args[i] = f
		}
		return func(g group) Val {
			vs := make([]Val, max(len(args), 3))
			for i, a := range args {
				vs[i] = a(g)
			}
			for i := len(args); i < len(vs); i++ {
				vs[i] = nullVal
			}
			return fn(vs[:max(len(args), 1)])
		}, nil
	}
	return nil, errors.New("bad expression")
}

// compileSelFunc compiles the functions that read the selection state.
func compileSelFunc(n *node, sc *chartScope) (aggFn, error) {
	if len(n.args) == 0 {
		if n.op == "getcurrentselections" {
			a := sc.a
			return func(group) Val {
				var parts []string
				for _, fi := range a.st.order {
					parts = append(parts, a.m.Fields[fi].Name+": "+selectedText(a, fi, 6, ", "))
				}
				return strVal(strings.Join(parts, "\n"))
			}, nil
		}
		return nil, fmt.Errorf("%s() needs a field", n.name)
	}
	name := n.args[0].name
	if n.args[0].kind == nLit {
		name = n.args[0].val.Text()
	}
	fi := sc.m.field(name)
	if fi < 0 {
		return nil, fmt.Errorf("field not found: <%s>", name)
	}
	a := sc.a
	switch n.op {
	case "getselectedcount":
		return func(group) Val {
			if b, ok := a.st.sel[fi]; ok {
				return numVal(float64(b.count()))
			}
			return numVal(0)
		}, nil
	case "getpossiblecount":
		return func(group) Val { return numVal(float64(a.possible[fi].count())) }, nil
	case "getexcludedcount":
		return func(group) Val {
			return numVal(float64(len(a.m.Fields[fi].Values) - a.possible[fi].count()))
		}, nil
	}
	sep := ", "
	if len(n.args) > 1 && n.args[1].kind == nLit {
		sep = n.args[1].val.Text()
	}
	maxV := 6
	if len(n.args) > 2 && n.args[2].kind == nLit && n.args[2].val.IsNum() {
		maxV = int(n.args[2].val.Num)
	}
	return func(group) Val {
		if _, ok := a.st.sel[fi]; !ok {
			return nullVal
		}
		return strVal(selectedText(a, fi, maxV, sep))
	}, nil
}

// selectedText is how current selections summarise a field: the values when
// few, "n of m" otherwise.
func selectedText(a *assoc, fi int, maxV int, sep string) string {
	b := a.st.sel[fi]
	f := a.m.Fields[fi]
	n := b.count()
	if n > maxV {
		return fmt.Sprintf("%d of %d", n, len(f.Values))
	}
	var parts []string
	b.each(func(e int32) { parts = append(parts, f.Values[e].Text()) })
	return strings.Join(parts, sep)
}

// rowScopeFor resolves field names to their values on the rows of table t
// (through associations for fields of other tables).
func rowScopeFor(m *Model, t int, vr func(string) (Val, bool)) *rowScope {
	return &rowScope{
		field: func(name string) (rowFn, bool) {
			fi := m.field(name)
			if fi < 0 {
				return nil, false
			}
			proj := m.proj(t, fi)
			vals := m.Fields[fi].Values
			return func(r int32) Val {
				if e := proj[r]; e >= 0 {
					return vals[e]
				}
				return nullVal
			}, true
		},
		vr: vr,
	}
}
