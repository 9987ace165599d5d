package engine

import (
	"fmt"
	"strings"
)

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
	return compileWith(n, &exprCompiler[group]{field: sc.compileField, vr: sc.vr, call: sc.compileCall})
}

// compileField compiles a bare field as Only(field) over the group.
func (sc *chartScope) compileField(n *node) (func(group) Val, bool, error) {
	if fi := sc.m.field(n.name); fi >= 0 {
		f, err := compileAgg(&node{kind: nCall, op: "only", name: "Only", args: []*node{n}}, sc)
		return f, true, err
	}
	return nil, false, nil
}

// compileCall compiles the calls of chart expressions: the chart extensions
// (Aggr, Above, RowNo, …), the aggregations, the selection-state functions
// and Rand.
func (sc *chartScope) compileCall(n *node) (func(group) Val, bool, error) {
	if f, ok, err := compileChartExt(n, sc); ok {
		return f, true, err
	}
	if aggFuncs[n.op] {
		f, err := compileAgg(n, sc)
		return f, true, err
	}
	switch n.op {
	case "getselectedcount", "getpossiblecount", "getexcludedcount", "getfieldselections", "getcurrentselections":
		f, err := compileSelFunc(n, sc)
		return f, true, err
	case "rand":
		return func(group) Val { return numVal(0.5) }, true, nil
	}
	return nil, false, nil
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
