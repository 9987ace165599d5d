package engine

import (
	"encoding/json"
	"math"
)

// A list object's qExpressions (NxListObjectExpressionDef: {qExpr} or,
// from older clients, a bare string) are evaluated per field value, over
// the value's records under the selections, and come back as extra
// columns of its data pages: qMatrix rows are [value cell, expression
// cells…] and qSize.qcx counts them (clients read them so: a value's label
// or image URL in column 1). The layout's qListObject.qExpressions lists
// them as NxListObjectExpression {qExpr}, with qError 7005 when one does
// not compile.

// listExprsOf reads the definition's expressions.
func listExprsOf(raw []json.RawMessage) []string {
	var out []string
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			out = append(out, s)
			continue
		}
		var e struct {
			QExpr string `json:"qExpr"`
		}
		_ = json.Unmarshal(r, &e)
		out = append(out, e.QExpr)
	}
	return out
}

// elemCtx groups records by the elements elems of field fi, for
// expressions evaluated per list value; its base is the field's own
// table, so fields across one-to-many links group through it.
func (d *Doc) elemCtx(a *assoc, fi int, elems []int32) *cubeCtx {
	f := d.model.Fields[fi]
	base := -1
	if len(f.Tables) > 0 {
		base = f.Tables[0]
	}
	ctx := &cubeCtx{d: d, a: a, dimF: []int{fi}, base: base, index: map[string]int{}}
	ctx.index1 = make([]int32, len(f.Values)+1)
	for i := range ctx.index1 {
		ctx.index1[i] = -1
	}
	for _, e := range elems {
		ctx.addRow([]int32{e})
	}
	return ctx
}

// listExpressions evaluates each expression for every element of field fi
// ([expression][element]) and describes them for the layout.
func (d *Doc) listExpressions(exprs []string, a *assoc, fi int) ([][]Val, []any) {
	if len(exprs) == 0 {
		return nil, []any{}
	}
	f := d.model.Fields[fi]
	elems := make([]int32, len(f.Values))
	for i := range elems {
		elems[i] = int32(i)
	}
	ctx := d.elemCtx(a, fi, elems)
	vals := make([][]Val, len(exprs))
	info := make([]any, len(exprs))
	for j, expr := range exprs {
		vals[j] = make([]Val, len(f.Values))
		info[j] = obj{{"qExpr", expr}}
		fn, err := d.compile(expr, d.scope())
		if err != nil {
			info[j] = obj{{"qExpr", expr}, {"qError", obj{{"qErrorCode", 7005}, {"qContext", err.Error()}}}}
		}
		for i, k := range ctx.keys {
			v := nullVal
			if err == nil {
				v = fn(cubeGroup{ctx, i})
			}
			vals[j][k[0]] = v
		}
	}
	return vals, info
}

// exprCell is the cell of expression j for list row r.
func (lr *listResult) exprCell(r, j int) Cell {
	v := lr.exprs[j][lr.elems[r]]
	if v.Null {
		return Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: 0, QState: stLocked, QIsNull: true}
	}
	return Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: 0, QState: stLocked}
}
