package engine

import (
	"strconv"
	"strings"
)

// fieldRef is one field name written in an expression, with its place in
// the expression text (bytes from the start, as NxRange qFrom/qCount).
type fieldRef struct {
	name        string
	from, count int
}

// exprKeywords are identifiers that are operators or qualifiers, never
// field names.
var exprKeywords = map[string]bool{"and": true, "or": true, "not": true, "xor": true, "like": true,
	"null": true, "true": true, "false": true, "total": true, "distinct": true, "nodistinct": true,
	"all": true, "precedes": true, "follows": true, "bitand": true, "bitor": true, "bitxor": true,
	"bitnot": true}

// exprFieldRefs lists the field names an expression writes: identifiers,
// "quoted" and [bracketed] names that are not function names, keywords or
// labels, and inside set expressions ({<Field={...}>}) the names being
// modified. Positions count from the start of src, '=' included.
func exprFieldRefs(src string) ([]fieldRef, error) {
	s := strings.TrimSpace(src)
	off := strings.Index(src, s)
	if strings.HasPrefix(s, "=") {
		s, off = s[1:], off+1
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	isOp := func(i int, op string) bool {
		return i < len(toks) && toks[i].kind == tkOp && toks[i].text == op
	}
	var refs []fieldRef
	depth := 0
	for i, t := range toks {
		switch {
		case isOp(i, "{"):
			depth++
			continue
		case isOp(i, "}"):
			depth--
			continue
		}
		if t.kind != tkIdent && t.kind != tkQuoted && t.kind != tkBracket {
			continue
		}
		if t.kind == tkIdent && (isOp(i+1, "(") || exprKeywords[strings.ToLower(t.text)] || strings.HasPrefix(t.text, "$")) {
			continue
		}
		if depth > 0 {
			// In a set expression only a modifier's field is a name:
			// Field = {...}, Field -= {...}, Field += {...} and so on.
			modifier := isOp(i+1, "=") || (isOp(i+1, "+") || isOp(i+1, "-") || isOp(i+1, "*") || isOp(i+1, "/")) && isOp(i+2, "=")
			if !modifier {
				continue
			}
		}
		n := len(t.text)
		switch t.kind {
		case tkQuoted, tkBracket:
			n = tokenEnd(s, t.pos) - t.pos
		}
		refs = append(refs, fieldRef{t.text, off + t.pos, n})
	}
	return refs, nil
}

// tokenEnd is the end of the quoted or bracketed token starting at pos.
func tokenEnd(s string, pos int) int {
	closer := byte('"')
	if s[pos] == '[' {
		closer = ']'
	}
	for i := pos + 1; i < len(s); i++ {
		if s[i] == closer {
			if i+1 < len(s) && s[i+1] == closer {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// checkExpr is CheckExpression: a syntax error message, the field names
// that name no field (labels and variables excepted), and then a compile
// error such as an unknown function. An expression with $(…) is checked
// after dollar expansion, so its ranges count in the expanded text.
func (d *Doc) checkExpr(expr string, labels []string) (string, []any) {
	bad := []any{}
	src := expr
	if strings.Contains(src, "$(") {
		src = d.expand(src)
	}
	if _, err := parseExpr(src); err != nil {
		return "Error in expression: " + err.Error(), bad
	}
	refs, _ := exprFieldRefs(src)
	for _, r := range refs {
		if d.model.field(r.name) >= 0 || contains(labels, r.name) || d.findVar(r.name) != nil {
			continue
		}
		bad = append(bad, obj{{"qFrom", r.from}, {"qCount", r.count}})
	}
	if len(bad) > 0 {
		return "", bad
	}
	if _, err := d.compile(src, d.scope()); err != nil {
		return "Error in expression: " + err.Error(), bad
	}
	return "", bad
}

// exprCall runs the expression tools (CheckExpression,
// CheckNumberOrExpression, ExpandExpression, GetFieldsFromExpression,
// GetSetAnalysis) and the field matching ones (FindMatchingFields,
// GetMatchingFields); handled is false for other
// methods.
func (d *Doc) exprCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "CheckExpression":
		var expr string
		var labels []string
		if err := args(p, "qExpr", &expr, "qLabels", &labels); err != nil {
			return nil, true, err
		}
		msg, bad := d.checkExpr(expr, labels)
		return result("qErrorMsg", msg, "qBadFieldNames", bad, "qDangerousFieldNames", []any{}), true, nil
	case "CheckNumberOrExpression":
		var expr string
		if err := args(p, "qExpr", &expr); err != nil {
			return nil, true, err
		}
		if _, err := strconv.ParseFloat(strings.TrimSpace(expr), 64); err == nil {
			return result("qErrorMsg", "", "qBadFieldNames", []any{}), true, nil
		}
		msg, bad := d.checkExpr(expr, nil)
		return result("qErrorMsg", msg, "qBadFieldNames", bad), true, nil
	case "ExpandExpression":
		var expr string
		if err := args(p, "qExpression", &expr); err != nil {
			return nil, true, err
		}
		return result("qExpandedExpression", d.expand(expr)), true, nil
	case "GetFieldsFromExpression":
		var expr string
		if err := args(p, "qExpr", &expr); err != nil {
			return nil, true, err
		}
		names := []string{}
		refs, _ := exprFieldRefs(d.expand(expr))
		for _, r := range refs {
			if fi := d.model.field(r.name); fi >= 0 && !contains(names, r.name) {
				names = append(names, r.name)
			}
		}
		return result("qFieldNames", names), true, nil
	case "GetSetAnalysis":
		var state, bm string
		if err := args(p, "qStateName", &state, "qBookmarkId", &bm); err != nil {
			return nil, true, err
		}
		s, err := d.setAnalysisOf(state, bm)
		if err != nil {
			return nil, true, err
		}
		return result("qSetExpression", s), true, nil
	case "FindMatchingFields":
		var name string
		var tags []string
		if err := args(p, "qFieldName", &name, "qTags", &tags); err != nil {
			return nil, true, err
		}
		fi := d.model.field(name)
		out := []any{}
		if fi >= 0 {
			island := d.archipelago(fi)
			for i, f := range d.model.Fields {
				if island[i] && tagsMatch(f.Tags(), tags, false) {
					out = append(out, obj{{"qName", f.Name}, {"qTags", f.Tags()}})
				}
			}
		}
		return result("qFieldNames", out), true, nil
	case "GetMatchingFields":
		var tags []string
		var mode string
		if err := args(p, "qTags", &tags, "qMatchingFieldMode", &mode); err != nil {
			return nil, true, err
		}
		out := []any{}
		for _, f := range d.model.Fields {
			if tagsMatch(f.Tags(), tags, mode != "MATCHINGFIELDMODE_MATCH_ONE") {
				out = append(out, obj{{"qName", f.Name}, {"qTags", f.Tags()}})
			}
		}
		return result("qFieldNames", out), true, nil
	}
	return nil, false, nil
}

// tagsMatch reports whether have holds every tag of want (all) or at least
// one (!all).
func tagsMatch(have, want []string, all bool) bool {
	if len(want) == 0 {
		return all
	}
	for _, w := range want {
		if contains(have, w) != all {
			return !all
		}
	}
	return all
}

// archipelago marks the fields linked to field fi through shared (key)
// fields: the island of tables fi's tables belong to.
func (d *Doc) archipelago(fi int) []bool {
	m := d.model
	tables := map[int]bool{}
	queue := append([]int(nil), m.Fields[fi].Tables...)
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if tables[t] {
			continue
		}
		tables[t] = true
		for _, f := range m.Tables[t].Fields {
			queue = append(queue, m.Fields[f].Tables...)
		}
	}
	out := make([]bool, len(m.Fields))
	for t := range tables {
		for _, f := range m.Tables[t].Fields {
			out[f] = true
		}
	}
	return out
}

// setAnalysisOf is GetSetAnalysis: the selections of a state, or those a
// bookmark stored, as a set expression ({$<Field={'a','b'}>}).
func (d *Doc) setAnalysisOf(state, bookmarkID string) (string, error) {
	ident := "$"
	if state != "" && state != "$" {
		if d.states[state] == nil {
			return "", invalid("qStateName")
		}
		ident = state
	}
	var st *selState
	if bookmarkID != "" {
		od := d.lookupBookmark(bookmarkID)
		if od == nil {
			return "", notFoundErr(bookmarkID)
		}
		st = od.bookmark.restore(d.model)
	} else {
		d.withState(state, func() { st = d.sel })
	}
	var mods []string
	for _, fi := range st.order {
		b, ok := st.sel[fi]
		if !ok {
			continue
		}
		f := d.model.Fields[fi]
		var vals []string
		b.each(func(e int32) { vals = append(vals, "'"+strings.ReplaceAll(f.Values[e].Text(), "'", "''")+"'") })
		mods = append(mods, setFieldName(f.Name)+"={"+strings.Join(vals, ",")+"}")
	}
	if len(mods) == 0 {
		return "{" + ident + "}", nil
	}
	return "{" + ident + "<" + strings.Join(mods, ",") + ">}", nil
}

// setFieldName writes a field name for a set modifier, bracketed when it
// is not a plain identifier.
func setFieldName(name string) string {
	for i, c := range name {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
		}
	}
	return name
}
