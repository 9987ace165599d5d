package engine

import (
	"errors"
	"fmt"
)

// aggFuncs are the aggregation functions understood in chart expressions.
var aggFuncs = map[string]bool{"sum": true, "count": true, "avg": true, "min": true, "max": true, "only": true, "concat": true, "minstring": true, "maxstring": true}

// exprCompiler is what one evaluation context adds to the cases every
// expression compiles the same way (literals, negation, not, operators and
// the scalar functions), so row expressions (C is a row index) and chart
// expressions (C is a group of rows) share one compiler and cannot drift.
type exprCompiler[C any] struct {
	// field compiles a name that is a field in this context (ok false: it
	// is not, and the name is tried as a variable).
	field func(n *node) (f func(C) Val, ok bool, err error)
	vr    func(name string) (Val, bool) // variables; may be nil
	// call compiles the calls this context handles itself (ok true), before
	// the scalar functions.
	call func(n *node) (f func(C) Val, ok bool, err error)
}

// compileWith turns an AST into a closure evaluated on a C, asking x for
// what depends on the context.
func compileWith[C any](n *node, x *exprCompiler[C]) (func(C) Val, error) {
	switch n.kind {
	case nLit:
		v := n.val
		return func(C) Val { return v }, nil
	case nField:
		if f, ok, err := x.field(n); ok {
			return f, err
		}
		if x.vr != nil {
			if v, ok := x.vr(n.name); ok {
				return func(C) Val { return v }, nil
			}
		}
		return nil, fmt.Errorf("field not found: <%s>", n.name)
	case nNeg, nNot:
		a, err := compileWith(n.args[0], x)
		if err != nil {
			return nil, err
		}
		if n.kind == nNot {
			return func(c C) Val { return boolVal(!truthy(a(c))) }, nil
		}
		return func(c C) Val {
			v := a(c)
			if !v.IsNum() {
				return nullVal
			}
			return numVal(-v.Num)
		}, nil
	case nBin:
		l, err := compileWith(n.args[0], x)
		if err != nil {
			return nil, err
		}
		r, err := compileWith(n.args[1], x)
		if err != nil {
			return nil, err
		}
		op := n.op
		return func(c C) Val { return binop(op, l(c), r(c)) }, nil
	case nCall:
		if f, ok, err := x.call(n); ok {
			return f, err
		}
		fn, ok := scalarFuncs[n.op]
		if !ok {
			return nil, fmt.Errorf("unknown function %s()", n.name)
		}
		args := make([]func(C) Val, len(n.args))
		for i, a := range n.args {
			f, err := compileWith(a, x)
			if err != nil {
				return nil, err
			}
			args[i] = f
		}
		return func(c C) Val {
			vs := make([]Val, max(len(args), 3))
			for i, a := range args {
				vs[i] = a(c)
			}
			for i := len(args); i < len(vs); i++ {
				vs[i] = nullVal
			}
			return fn(vs[:max(len(args), 1)])
		}, nil
	}
	return nil, errors.New("bad expression")
}
