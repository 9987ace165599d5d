package engine

import "strings"

// hcTitleAndCondition adds what a HyperCubeDef's qTitle and qCalcCondition
// (or the older qCalcCond) make of its layout: qTitle evaluated, and when
// the condition evaluates to false, qError 7005
// (LOCERR_CALC_EVAL_CONDITION_FAILED), qCalcCondMsg and no data pages, as
// the engine answers an unfulfilled calculation condition. prop is the
// definition as stored; the caller runs this in the definition's state.
func (g *GenericObject) hcTitleAndCondition(l obj, prop any) obj {
	def, ok := prop.(obj)
	if !ok {
		return l
	}
	if t, ok := def.get("qTitle"); ok {
		l.set("qTitle", g.stringExpr(t))
	}
	cond, msg := "", ""
	if cc, ok := def.get("qCalcCondition"); ok {
		if c, ok := cc.(obj); ok {
			cond = exprOf(valueOr(c, "qCond"))
			if m, ok := c.get("qMsg"); ok {
				msg = g.stringExpr(m)
			}
		}
	}
	if cond == "" {
		if c, ok := def.get("qCalcCond"); ok {
			cond = exprOf(c)
		}
	}
	if strings.TrimSpace(strings.TrimPrefix(cond, "=")) == "" {
		return l
	}
	v, err := g.doc.evalExpr(strings.TrimPrefix(cond, "="))
	if err == nil && v.IsNum() && v.Num != 0 {
		return l
	}
	if _, has := l.get("qError"); !has {
		l = append(obj{{"qError", obj{{"qErrorCode", 7005}}}}, l...)
	}
	l.set("qDataPages", []any{})
	l.set("qCalcCondMsg", msg)
	return l
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
