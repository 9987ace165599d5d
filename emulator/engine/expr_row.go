package engine

import (
	"errors"
	"fmt"
)

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
	return compileWith(n, &exprCompiler[int32]{field: sc.compileField, vr: sc.vr, call: sc.compileCall})
}

// compileField compiles a name that is a field of the row's table.
func (sc *rowScope) compileField(n *node) (func(int32) Val, bool, error) {
	f, ok := sc.field(n.name)
	return f, ok, nil
}

// compileCall compiles the calls of row expressions: the scope's own, then
// RecNo/RowNo and Rand; aggregations are refused.
func (sc *rowScope) compileCall(n *node) (func(int32) Val, bool, error) {
	if sc.call != nil {
		if f, ok, err := sc.call(n); ok {
			return f, true, err
		}
	}
	switch n.op {
	case "recno", "rowno":
		if sc.recNo != nil {
			return sc.recNo, true, nil
		}
		return func(r int32) Val { return numVal(float64(r + 1)) }, true, nil
	case "rand":
		rnd := sc.rand
		if rnd == nil {
			return nil, true, errors.New("Rand() not available here")
		}
		return func(int32) Val { return numVal(rnd()) }, true, nil
	}
	if aggFuncs[n.op] {
		return nil, true, fmt.Errorf("aggregation %s() not allowed in a row expression", n.name)
	}
	return nil, false, nil
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
