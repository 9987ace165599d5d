package engine

import "strings"

// An unfulfilled calculation condition (HyperCubeDef qCalcCondition.qCond,
// or the older qCalcCond) means the engine does not calculate the cube:
// Qlik's HyperCubeDef reference says "If qCalcCondition.qCond is not
// fulfilled, the hypercube is not calculated and qCalcCondition.qMsg is
// evaluated" (help.qlik.com, Engine API, HyperCubeDef / NxCalcCond). The
// layout reports it as qHyperCube.qError {qErrorCode: 7005,
// LOCERR_CALC_EVAL_CONDITION_FAILED} with qCalcCondMsg, which is where
// clients look for it (nebula.js supernovas and mashup libraries test
// layout.qHyperCube.qError / qCalcCondMsg and treat 7005 as the soft
// "condition not met" error). The data calls do not fail: clients call
// GetHyperCubeData before or without reading the layout's error (table
// libraries fetch the page and then show qCalcCondMsg), so they answer as
// for a cube of no rows: qSize.qcy 0, pages clipped to nothing, no grand
// totals, and selections in it select nothing.

// calcCondition evaluates the definition's calculation condition (in the
// caller's state): unmet is true when there is one and it is not
// fulfilled (an expression error counts as not fulfilled), msg is its
// qMsg evaluated.
func (g *GenericObject) calcCondition(prop any) (unmet bool, msg string) {
	def, ok := prop.(obj)
	if !ok {
		return false, ""
	}
	cond := ""
	var msgExpr any
	if cc, ok := def.get("qCalcCondition"); ok {
		if c, ok := cc.(obj); ok {
			cond = exprOf(valueOr(c, "qCond"))
			msgExpr, _ = c.get("qMsg")
		}
	}
	if cond == "" {
		if c, ok := def.get("qCalcCond"); ok {
			cond = exprOf(c)
		}
	}
	if strings.TrimSpace(strings.TrimPrefix(cond, "=")) == "" {
		return false, ""
	}
	v, err := g.doc.evalExpr(strings.TrimPrefix(cond, "="))
	if err == nil && v.IsNum() && v.Num != 0 {
		return false, ""
	}
	if msgExpr != nil {
		msg = g.stringExpr(msgExpr)
	}
	return true, msg
}

// hcTitleAndCondition adds what a HyperCubeDef's qTitle and calculation
// condition make of its layout: qTitle evaluated, and when the condition
// is not fulfilled, qError 7005, qCalcCondMsg, qSize.qcy 0 and no data
// pages or grand totals (see above). prop is the definition as stored;
// the caller runs this in the definition's state.
func (g *GenericObject) hcTitleAndCondition(l obj, prop any) obj {
	def, ok := prop.(obj)
	if !ok {
		return l
	}
	if t, ok := def.get("qTitle"); ok {
		l.set("qTitle", g.stringExpr(t))
	}
	unmet, msg := g.calcCondition(prop)
	if !unmet {
		return l
	}
	if _, has := l.get("qError"); !has {
		l = append(obj{{"qError", obj{{"qErrorCode", 7005}}}}, l...)
	}
	if sz, ok := l.get("qSize"); ok {
		if so, ok := sz.(obj); ok {
			so = append(obj(nil), so...)
			so.set("qcy", 0)
			l.set("qSize", so)
		}
	}
	for _, k := range []string{"qGrandTotalRow", "qDataPages", "qPivotDataPages", "qStackedDataPages"} {
		if _, has := l.get(k); has {
			l.set(k, []any{})
		}
	}
	l.set("qCalcCondMsg", msg)
	return l
}

// uncalculated is the cube as the engine answers data calls while the
// calculation condition is not met: no rows and no grand totals (a copy:
// cb itself stays cached for when the condition holds again).
func (cb *cube) uncalculated() *cube {
	c := *cb
	c.keys, c.vals, c.grand = nil, nil, nil
	return &c
}

// stringExpr evaluates a StringExpr ({"qv": …} or a bare string): text
// starting with "=" is an expression, other text is shown as is.
func (g *GenericObject) stringExpr(v any) string {
	s := exprOf(v)
	if !strings.HasPrefix(s, "=") {
		return s
	}
	val, err := g.doc.evalExpr(s[1:])
	if err != nil {
		return ""
	}
	return textOrEmpty(val)
}

// exprOf reads a ValueExpr / StringExpr: {"qv": "…"} or a bare string.
func exprOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case obj:
		return str(valueOr(x, "qv"))
	}
	return ""
}
