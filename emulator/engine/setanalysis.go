package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxExprDepth bounds the parser's recursion (nested parentheses, unary
// operators, NOT) and maxExprTreeDepth the depth of the parsed tree (long
// operator chains), so a hostile expression answers an error instead of
// exhausting the goroutine stack.
const (
	maxExprDepth     = 2000
	maxExprTreeDepth = 10000
)

// errExprDepth is the parse error of an expression nested too deeply.
var errExprDepth = errors.New("expression nested too deeply")

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxExprDepth {
		return errExprDepth
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// checkTreeDepth measures the tree iteratively (the compilers recurse over
// it, so its depth must stay bounded too).
func checkTreeDepth(n *node) error {
	type item struct {
		n *node
		d int
	}
	stack := []item{{n, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d > maxExprTreeDepth {
			return errExprDepth
		}
		for _, a := range it.n.args {
			stack = append(stack, item{a, it.d + 1})
		}
	}
	return nil
}

// callQual is what may precede an aggregation's argument: a set
// expression, DISTINCT/NODISTINCT and TOTAL with its optional field list.
type callQual struct {
	set        *setExpr
	total      bool
	totalDims  []string
	nodistinct bool
}

// callQualifiers reads the qualifiers after "name(" in any order.
func (p *parser) callQualifiers(n *node) error {
	for {
		switch {
		case p.isOp("{"):
			se, err := p.setExpression()
			if err != nil {
				return err
			}
			n.qual().set = se
		case p.isKw("distinct") && p.qualifierFollows():
			p.next()
			n.distinct = true
		case p.isKw("nodistinct") && p.qualifierFollows():
			p.next()
			n.qual().nodistinct = true
		case p.isKw("total") && p.qualifierFollows():
			p.next()
			q := n.qual()
			q.total = true
			if p.isOp("<") {
				p.next()
				for {
					t := p.next()
					if t.kind != tkIdent && t.kind != tkBracket && t.kind != tkQuoted {
						return fmt.Errorf("bad TOTAL field list at %d", t.pos)
					}
					q.totalDims = append(q.totalDims, t.text)
					if p.isOp(",") {
						p.next()
						continue
					}
					break
				}
				if !p.isOp(">") {
					return fmt.Errorf("missing > after TOTAL <fields at %d", p.peek().pos)
				}
				p.next()
			}
		default:
			return nil
		}
	}
}

// qualifierFollows tells a qualifier keyword from a field of that name:
// a qualifier is followed by more argument text.
func (p *parser) qualifierFollows() bool {
	nx := p.toks[p.p+1]
	if nx.kind == tkEOF {
		return false
	}
	if nx.kind == tkOp {
		return nx.text == "(" || nx.text == "{" || nx.text == "<" || nx.text == "-"
	}
	return true
}

func (n *node) qual() *callQual {
	if n.call == nil {
		n.call = &callQual{}
	}
	return n.call
}

// setExpr is a set expression: a set identifier with modifiers, or two
// set expressions joined by + (union), * (intersection), - (exclusion) or
// / (symmetric difference).
type setExpr struct {
	op    string
	l, r  *setExpr
	ident string // "$" (current state), "1", "$1"/"$_1" (history), a state or bookmark
	mods  []setMod
}

// setMod is one modifier Field op ElementSet; elems nil clears the field.
type setMod struct {
	field string
	op    string // "=", "+=", "-=", "*=", "/="
	elems *setElems
}

// setElems is an element set: a value list, a field's selection, P()/E()
// of a set, or two element sets joined by an operator.
type setElems struct {
	op     string
	l, r   *setElems
	values []elemVal
	field  string // field reference (its selected values)
	state  string // state of the field reference (State::Field)
	fn     string // "p" or "e"
	fnSet  *setExpr
}

// elemVal is one value of a list: a number, a 'literal' or a "search".
type elemVal struct {
	text  string
	quote byte // '\'', '"' or 0 (number or bare word)
}

// setExpression parses {set} starting at '{'.
func (p *parser) setExpression() (*setExpr, error) {
	p.next() // {
	se, err := p.setTerm()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") || p.isOp("*") || p.isOp("/") {
		op := p.next().text
		r, err := p.setTerm()
		if err != nil {
			return nil, err
		}
		se = &setExpr{op: op, l: se, r: r}
	}
	if !p.isOp("}") {
		return nil, fmt.Errorf("missing } in set expression at %d", p.peek().pos)
	}
	p.next()
	return se, nil
}

// setTerm parses one identifier with optional <modifiers>, or a
// parenthesised set expression.
func (p *parser) setTerm() (*setExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	se := &setExpr{}
	t := p.peek()
	switch {
	case t.kind == tkOp && t.text == "(":
		p.next()
		inner, err := p.setTerm()
		if err != nil {
			return nil, err
		}
		for p.isOp("+") || p.isOp("-") || p.isOp("*") || p.isOp("/") {
			op := p.next().text
			r, err := p.setTerm()
			if err != nil {
				return nil, err
			}
			inner = &setExpr{op: op, l: inner, r: r}
		}
		if !p.isOp(")") {
			return nil, fmt.Errorf("missing ) in set expression at %d", p.peek().pos)
		}
		p.next()
		return inner, nil
	case t.kind == tkNum || t.kind == tkIdent || t.kind == tkBracket || t.kind == tkQuoted:
		p.next()
		se.ident = t.text
	}
	if p.isOp("<") {
		p.next()
		for !p.isOp(">") {
			m, err := p.setModifier()
			if err != nil {
				return nil, err
			}
			se.mods = append(se.mods, m)
			if p.isOp(",") {
				p.next()
				continue
			}
			if !p.isOp(">") {
				return nil, fmt.Errorf("missing > in set modifier at %d", p.peek().pos)
			}
		}
		p.next()
	}
	if se.ident == "" && se.mods == nil {
		return nil, fmt.Errorf("empty set expression at %d", t.pos)
	}
	return se, nil
}

// setModifier parses Field op ElementSet.
func (p *parser) setModifier() (setMod, error) {
	t := p.next()
	if t.kind != tkIdent && t.kind != tkBracket && t.kind != tkQuoted {
		return setMod{}, fmt.Errorf("field expected in set modifier at %d", t.pos)
	}
	m := setMod{field: t.text, op: "="}
	if nx := p.peek(); nx.kind == tkOp && strings.Contains("+-*/", nx.text) && p.toks[p.p+1].kind == tkOp && p.toks[p.p+1].text == "=" {
		p.next()
		m.op = nx.text + "="
	}
	if !p.isOp("=") {
		return setMod{}, fmt.Errorf("= expected in set modifier at %d", p.peek().pos)
	}
	p.next()
	if p.isOp(",") || p.isOp(">") {
		return m, nil // Field= : ignore the field's selection
	}
	es, err := p.elemSetExpr()
	if err != nil {
		return setMod{}, err
	}
	m.elems = es
	return m, nil
}

// elemSetExpr parses element sets joined by + - * /.
func (p *parser) elemSetExpr() (*setElems, error) {
	es, err := p.elemSetTerm()
	for err == nil && (p.isOp("+") || p.isOp("-") || p.isOp("*") || p.isOp("/")) {
		op := p.next().text
		var r *setElems
		r, err = p.elemSetTerm()
		es = &setElems{op: op, l: es, r: r}
	}
	return es, err
}

func (p *parser) elemSetTerm() (*setElems, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	switch {
	case t.kind == tkOp && t.text == "{":
		es := &setElems{values: []elemVal{}}
		for !p.isOp("}") {
			v := p.next()
			neg := false
			if v.kind == tkOp && v.text == "-" {
				neg, v = true, p.next()
			}
			switch v.kind {
			case tkNum:
				txt := v.text
				if neg {
					txt = "-" + txt
				}
				es.values = append(es.values, elemVal{text: txt})
			case tkStr:
				es.values = append(es.values, elemVal{text: v.text, quote: '\''})
			case tkQuoted:
				es.values = append(es.values, elemVal{text: v.text, quote: '"'})
			case tkIdent, tkBracket:
				es.values = append(es.values, elemVal{text: v.text, quote: '\''})
			default:
				return nil, fmt.Errorf("bad value in element set at %d", v.pos)
			}
			if p.isOp(",") {
				p.next()
			} else if !p.isOp("}") {
				return nil, fmt.Errorf("missing } in element set at %d", p.peek().pos)
			}
		}
		p.next()
		return es, nil
	case t.kind == tkOp && t.text == "(":
		es, err := p.elemSetExpr()
		if err != nil {
			return nil, err
		}
		if !p.isOp(")") {
			return nil, fmt.Errorf("missing ) in element set at %d", p.peek().pos)
		}
		p.next()
		return es, nil
	case t.kind == tkIdent && (strings.EqualFold(t.text, "p") || strings.EqualFold(t.text, "e")) && p.isOp("("):
		p.next()
		es := &setElems{fn: strings.ToLower(t.text)}
		if p.isOp("{") {
			se, err := p.setExpression()
			if err != nil {
				return nil, err
			}
			es.fnSet = se
		}
		if !p.isOp(")") {
			f := p.next()
			es.field = f.text
		}
		if !p.isOp(")") {
			return nil, fmt.Errorf("missing ) after %s( at %d", t.text, p.peek().pos)
		}
		p.next()
		return es, nil
	case t.kind == tkIdent || t.kind == tkBracket || t.kind == tkQuoted || t.kind == tkNum:
		es := &setElems{field: t.text}
		if p.isOp(":") && p.toks[p.p+1].kind == tkOp && p.toks[p.p+1].text == ":" {
			p.next()
			p.next()
			f := p.next()
			es.state, es.field = t.text, f.text
		}
		return es, nil
	}
	return nil, fmt.Errorf("element set expected at %d", t.pos)
}

// setEval evaluates set expressions against one Doc in its current state.
type setEval struct {
	d     *Doc
	m     *Model
	cur   *selState
	cache map[*setExpr]*assoc
}

// assocOf is the record set a set expression stands for.
func (ev *setEval) assocOf(se *setExpr) (*assoc, error) {
	if a, ok := ev.cache[se]; ok {
		return a, nil
	}
	var a *assoc
	if se.op != "" {
		l, err := ev.assocOf(se.l)
		if err != nil {
			return nil, err
		}
		r, err := ev.assocOf(se.r)
		if err != nil {
			return nil, err
		}
		a = combineAssoc(ev.m, se.op, l, r)
	} else {
		st, err := ev.stateOf(se)
		if err != nil {
			return nil, err
		}
		possible, active := propagate(ev.m, st, -1)
		a = &assoc{m: ev.m, possible: possible, active: active, st: st, alt: map[int]bitset{}}
	}
	if ev.cache == nil {
		ev.cache = map[*setExpr]*assoc{}
	}
	ev.cache[se] = a
	return a, nil
}

// combineAssoc applies a set operator to two record sets table by table.
func combineAssoc(m *Model, op string, l, r *assoc) *assoc {
	a := &assoc{m: m, st: l.st, alt: map[int]bitset{}, possible: make([]bitset, len(m.Fields)), active: make([]bitset, len(m.Tables))}
	comb := func(x, y bitset) bitset {
		out := make(bitset, len(x))
		for i := range x {
			switch op {
			case "+":
				out[i] = x[i] | y[i]
			case "*":
				out[i] = x[i] & y[i]
			case "-":
				out[i] = x[i] &^ y[i]
			default:
				out[i] = x[i] ^ y[i]
			}
		}
		return out
	}
	for t := range m.Tables {
		a.active[t] = comb(l.active[t], r.active[t])
	}
	for fi, f := range m.Fields {
		b := newBitset(len(f.Values))
		for _, t := range f.Tables {
			col := m.Tables[t].col(fi)
			a.active[t].each(func(r int32) {
				if e := col[r]; e >= 0 {
					b.set(e)
				}
			})
		}
		a.possible[fi] = b
	}
	return a
}

// identState is the selection state a set identifier names.
func (ev *setEval) identState(id string) (*selState, error) {
	d := ev.d
	switch {
	case id == "" || id == "$":
		return ev.cur.clone(), nil
	case id == "1":
		return newSelState(), nil
	case id == "0":
		st := newSelState()
		if len(ev.m.Fields) > 0 {
			st.sel[0] = newBitset(len(ev.m.Fields[0].Values))
		}
		return st, nil
	case strings.HasPrefix(id, "$") && len(id) > 1:
		back := strings.TrimPrefix(id[1:], "_")
		n, err := strconv.Atoi(back)
		if err != nil || d == nil {
			break
		}
		if strings.HasPrefix(id, "$_") {
			n = -n
		}
		if i := d.histPos - n; i >= 0 && i < len(d.hist) {
			return d.hist[i].clone(), nil
		}
		return newSelState(), nil
	}
	if d == nil {
		return nil, fmt.Errorf("unknown set identifier %s", id)
	}
	if id == d.curState {
		return d.sel.clone(), nil
	}
	if st := d.states[id]; st != nil {
		return st.sel.clone(), nil
	}
	for _, od := range d.allObjData(true) {
		if od.kind != "GenericBookmark" || od.bookmark == nil {
			continue
		}
		title := ""
		if meta, ok := od.props.get("qMetaDef"); ok {
			if mo, ok := meta.(obj); ok {
				title = str(valueOr(mo, "title"))
			}
		}
		if od.id == id || title == id {
			return od.bookmark.restore(ev.m), nil
		}
	}
	return nil, fmt.Errorf("unknown set identifier %s", id)
}

// stateOf applies a term's modifiers to its identifier's selections.
func (ev *setEval) stateOf(se *setExpr) (*selState, error) {
	st, err := ev.identState(se.ident)
	if err != nil {
		return nil, err
	}
	for _, md := range se.mods {
		fi := ev.m.field(md.field)
		if fi < 0 {
			return nil, fmt.Errorf("field not found: <%s>", md.field)
		}
		if md.elems == nil {
			st.setSel(fi, nil)
			continue
		}
		b, err := ev.elems(md.elems, fi, st)
		if err != nil {
			return nil, err
		}
		if md.op != "=" {
			b = elemOp(md.op[:1], ev.selectedOrAll(st, fi), b)
		}
		if _, had := st.sel[fi]; !had {
			st.order = append(st.order, fi)
		}
		st.sel[fi] = b // an empty set selects nothing, so no records
		delete(st.locked, fi)
	}
	return st, nil
}

// selectedOrAll is a field's selection in st, or every value when it has
// none (what a field name stands for in an element set).
func (ev *setEval) selectedOrAll(st *selState, fi int) bitset {
	if b, ok := st.sel[fi]; ok {
		return b.clone()
	}
	return fullBitset(len(ev.m.Fields[fi].Values))
}

func elemOp(op string, x, y bitset) bitset {
	out := make(bitset, len(x))
	for i := range x {
		switch op {
		case "+":
			out[i] = x[i] | y[i]
		case "*":
			out[i] = x[i] & y[i]
		case "-":
			out[i] = x[i] &^ y[i]
		default:
			out[i] = x[i] ^ y[i]
		}
	}
	return out
}

// elems evaluates an element set for field fi; st is the identifier's
// state a bare field name refers to.
func (ev *setEval) elems(es *setElems, fi int, st *selState) (bitset, error) {
	f := ev.m.Fields[fi]
	switch {
	case es.op != "":
		l, err := ev.elems(es.l, fi, st)
		if err != nil {
			return nil, err
		}
		r, err := ev.elems(es.r, fi, st)
		if err != nil {
			return nil, err
		}
		return elemOp(es.op, l, r), nil
	case es.fn != "":
		src := fi
		if es.field != "" {
			if src = ev.m.field(es.field); src < 0 {
				return nil, fmt.Errorf("field not found: <%s>", es.field)
			}
		}
		var a *assoc
		if es.fnSet != nil {
			var err error
			if a, err = ev.assocOf(es.fnSet); err != nil {
				return nil, err
			}
		} else {
			possible, active := propagate(ev.m, ev.cur, -1)
			a = &assoc{m: ev.m, possible: possible, active: active, st: ev.cur}
		}
		b := mapElems(ev.m, src, fi, a.possible[src])
		if es.fn == "e" {
			return elemOp("-", fullBitset(len(f.Values)), b), nil
		}
		return b, nil
	case es.values != nil:
		b := newBitset(len(f.Values))
		for _, v := range es.values {
			ev.matchInto(b, fi, v)
		}
		return b, nil
	}
	src := ev.m.field(es.field)
	if src < 0 {
		return nil, fmt.Errorf("field not found: <%s>", es.field)
	}
	from := st
	if es.state != "" {
		var err error
		if from, err = ev.identState(es.state); err != nil {
			return nil, err
		}
	}
	return mapElems(ev.m, src, fi, ev.selectedOrAll(from, src)), nil
}

// mapElems carries a set of elements of field src over to field dst by
// text (the same field when src == dst).
func mapElems(m *Model, src, dst int, b bitset) bitset {
	if src == dst {
		return b.clone()
	}
	out := newBitset(len(m.Fields[dst].Values))
	df := m.Fields[dst]
	b.each(func(e int32) {
		if de, ok := df.index[m.Fields[src].Values[e].key()]; ok {
			out.set(de)
		}
	})
	return out
}

// matchInto adds the elements of field fi matching one list value: a
// number matches numerically, a 'literal' exactly (with * and ?
// wildcards), a "search" case-insensitively, as a numeric range
// ("<10", ">=2020<=2022") or as an expression search ("=Sum(Sales)>100").
func (ev *setEval) matchInto(b bitset, fi int, v elemVal) {
	f := ev.m.Fields[fi]
	switch v.quote {
	case 0:
		x, err := strconv.ParseFloat(v.text, 64)
		for e, fv := range f.Values {
			if err == nil && fv.IsNum() && fv.Num == x || fv.Text() == v.text {
				b.set(int32(e))
			}
		}
	case '\'':
		wild := strings.ContainsAny(v.text, "*?")
		for e, fv := range f.Values {
			if wild && globMatch(v.text, fv.Text()) || !wild && fv.Text() == v.text {
				b.set(int32(e))
			}
		}
	default:
		ev.searchInto(b, fi, v.text)
	}
}

// searchInto is a double-quoted search in a set modifier.
func (ev *setEval) searchInto(b bitset, fi int, s string) {
	f := ev.m.Fields[fi]
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "=") && ev.d != nil {
		ev.exprSearch(b, fi, s)
		return
	}
	if conds, ok := parseRange(s); ok {
		for e, fv := range f.Values {
			if fv.IsNum() && conds(fv.Num) {
				b.set(int32(e))
			}
		}
		return
	}
	pat := strings.ToLower(s)
	for e, fv := range f.Values {
		if globMatch(pat, strings.ToLower(fv.Text())) {
			b.set(int32(e))
		}
	}
}

// parseRange reads a numeric range search: one or two of <, <=, >, >=
// each followed by a number.
func parseRange(s string) (func(float64) bool, bool) {
	var tests []func(float64) bool
	for s != "" {
		op := ""
		for _, o := range []string{"<=", ">=", "<", ">", "="} {
			if strings.HasPrefix(s, o) {
				op = o
				break
			}
		}
		if op == "" {
			return nil, false
		}
		s = strings.TrimSpace(s[len(op):])
		end := strings.IndexAny(s, "<>=")
		if end < 0 {
			end = len(s)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(s[:end]), 64)
		if err != nil {
			return nil, false
		}
		s = strings.TrimSpace(s[end:])
		tests = append(tests, func(v float64) bool {
			switch op {
			case "<":
				return v < x
			case "<=":
				return v <= x
			case ">":
				return v > x
			case ">=":
				return v >= x
			}
			return v == x
		})
	}
	if len(tests) == 0 {
		return nil, false
	}
	return func(v float64) bool {
		for _, t := range tests {
			if !t(v) {
				return false
			}
		}
		return true
	}, true
}

// exprSearch keeps the values of field fi for which the expression,
// aggregated over that value's records, is true.
func (ev *setEval) exprSearch(b bitset, fi int, s string) {
	d := ev.d
	sc := d.scope()
	f, err := d.compile(s[1:], sc)
	if err != nil {
		return
	}
	m := ev.m
	a := sc.a
	for e := range m.Fields[fi].Values {
		e := int32(e)
		g := valueGroup{a: a, m: m, fi: fi, e: e}
		if truthy(f(g)) {
			b.set(e)
		}
	}
}

// valueGroup is the records of one value of one field (expression search).
type valueGroup struct {
	a  *assoc
	m  *Model
	fi int
	e  int32
}

func (g valueGroup) rows(t int) []int32 { return g.rowsScoped(t, g.a, nil) }

func (g valueGroup) rowsScoped(t int, a *assoc, dims []int) []int32 {
	if t < 0 {
		return nil
	}
	if a == nil {
		a = g.a
	}
	proj := g.m.proj(t, g.fi)
	var out []int32
	for _, r := range a.activeRows(t) {
		if proj[r] == g.e {
			out = append(out, r)
		}
	}
	return out
}
