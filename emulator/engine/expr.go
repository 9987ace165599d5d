package engine

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Token kinds of the shared tokenizer used by expressions and load script
// statements.
const (
	tkEOF = iota
	tkIdent
	tkNum
	tkStr     // 'text'
	tkQuoted  // "name"
	tkBracket // [name] or [raw inline data]
	tkOp
)

type token struct {
	kind int
	text string
	pos  int
}

// tokenize splits src into tokens. Brackets and quotes are single tokens, so
// INLINE data and lib:// paths pass through untouched.
func tokenize(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment at %d", i)
			}
			i += end + 4
		case c == '\'' || c == '"':
			text, j, ok := readQuoted(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			k := tkStr
			if c == '"' {
				k = tkQuoted
			}
			out = append(out, token{k, text, i})
			i = j + 1
		case c == '[':
			j := i + 1
			var sb strings.Builder
			for {
				if j >= len(src) {
					return nil, fmt.Errorf("unterminated [ at %d", i)
				}
				if src[j] == ']' {
					if j+1 < len(src) && src[j+1] == ']' {
						sb.WriteByte(']')
						j += 2
						continue
					}
					break
				}
				sb.WriteByte(src[j])
				j++
			}
			out = append(out, token{tkBracket, sb.String(), i})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') && j+1 < len(src) && (src[j+1] >= '0' && src[j+1] <= '9' || (src[j+1] == '-' || src[j+1] == '+') && j+2 < len(src) && src[j+2] >= '0' && src[j+2] <= '9') {
				j += 2
				for j < len(src) && src[j] >= '0' && src[j] <= '9' {
					j++
				}
			}
			out = append(out, token{tkNum, src[i:j], i})
			i = j
		case c == '_' || c == '$' || c == '#' || c == '@' || c >= 0x80 || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) {
				d := src[j]
				if d == '_' || d == '$' || d == '#' || d == '@' || d == '.' || d >= 0x80 || d >= '0' && d <= '9' || unicode.IsLetter(rune(d)) {
					j++
					continue
				}
				break
			}
			out = append(out, token{tkIdent, src[i:j], i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			if two == "<>" || two == "<=" || two == ">=" {
				out = append(out, token{tkOp, two, i})
				i += 2
				continue
			}
			if strings.IndexByte("+-*/&=<>(),;:{}", c) >= 0 {
				out = append(out, token{tkOp, string(c), i})
				i++
				continue
			}
			return nil, fmt.Errorf("unexpected character %q at %d", c, i)
		}
	}
	out = append(out, token{kind: tkEOF, pos: len(src)})
	return out, nil
}

// AST node kinds.
const (
	nLit = iota
	nField
	nCall
	nBin
	nNeg
	nNot
)

// node is one expression AST node.
type node struct {
	kind     int
	op       string // operator, or lower-case function name
	name     string // field name or function name as written
	val      Val
	args     []*node
	distinct bool
	star     bool
	call     *callQual // set expression and TOTAL of an aggregation (nil: none)
}

// parser is a recursive-descent parser over tokens.
type parser struct {
	toks  []token
	p     int
	depth int // nesting of expr/unary/not, bounded by maxExprDepth
}

func (p *parser) peek() token { return p.toks[p.p] }
func (p *parser) next() token {
	t := p.toks[p.p]
	if t.kind != tkEOF {
		p.p++
	}
	return t
}
func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tkOp && t.text == s
}
func (p *parser) isKw(s string) bool {
	t := p.peek()
	return t.kind == tkIdent && strings.EqualFold(t.text, s)
}

// parseExpr parses a whole expression string (a leading '=' is allowed).
func parseExpr(src string) (*node, error) {
	s := strings.TrimSpace(src)
	s = strings.TrimPrefix(s, "=")
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tkEOF {
		return nil, fmt.Errorf("unexpected %q at %d", p.peek().text, p.peek().pos)
	}
	if err := checkTreeDepth(n); err != nil {
		return nil, err
	}
	return n, nil
}

func (p *parser) expr() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	return p.or()
}

func (p *parser) or() (*node, error) {
	l, err := p.and()
	for err == nil && (p.isKw("or") || p.isKw("xor")) {
		op := strings.ToLower(p.next().text)
		var r *node
		r, err = p.and()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) and() (*node, error) {
	l, err := p.not()
	for err == nil && p.isKw("and") {
		p.next()
		var r *node
		r, err = p.not()
		l = &node{kind: nBin, op: "and", args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) not() (*node, error) {
	if p.isKw("not") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.next()
		x, err := p.not()
		return &node{kind: nNot, args: []*node{x}}, err
	}
	return p.cmp()
}

func (p *parser) cmp() (*node, error) {
	l, err := p.concat()
	for err == nil {
		t := p.peek()
		if t.kind == tkOp && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=") {
			p.next()
			var r *node
			r, err = p.concat()
			l = &node{kind: nBin, op: t.text, args: []*node{l, r}}
			continue
		}
		if p.isKw("like") {
			p.next()
			var r *node
			r, err = p.concat()
			l = &node{kind: nBin, op: "like", args: []*node{l, r}}
			continue
		}
		break
	}
	return l, err
}

func (p *parser) concat() (*node, error) {
	l, err := p.add()
	for err == nil && p.isOp("&") {
		p.next()
		var r *node
		r, err = p.add()
		l = &node{kind: nBin, op: "&", args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) add() (*node, error) {
	l, err := p.mul()
	for err == nil && (p.isOp("+") || p.isOp("-")) {
		op := p.next().text
		var r *node
		r, err = p.mul()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) mul() (*node, error) {
	l, err := p.unary()
	for err == nil && (p.isOp("*") || p.isOp("/")) {
		op := p.next().text
		var r *node
		r, err = p.unary()
		l = &node{kind: nBin, op: op, args: []*node{l, r}}
	}
	return l, err
}

func (p *parser) unary() (*node, error) {
	if p.isOp("-") || p.isOp("+") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
	}
	if p.isOp("-") {
		p.next()
		x, err := p.unary()
		return &node{kind: nNeg, args: []*node{x}}, err
	}
	if p.isOp("+") {
		p.next()
		return p.unary()
	}
	return p.primary()
}

func (p *parser) primary() (*node, error) {
	t := p.next()
	switch t.kind {
	case tkNum:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("bad number %q", t.text)
		}
		return &node{kind: nLit, val: numVal(f)}, nil
	case tkStr:
		return &node{kind: nLit, val: strVal(t.text)}, nil
	case tkQuoted, tkBracket:
		return &node{kind: nField, name: t.text}, nil
	case tkIdent:
		if p.isOp("(") {
			p.next()
			n := &node{kind: nCall, name: t.text, op: strings.ToLower(t.text)}
			if err := p.callQualifiers(n); err != nil {
				return nil, err
			}
			if p.isOp("*") && p.toks[p.p+1].kind == tkOp && p.toks[p.p+1].text == ")" {
				p.next()
				n.star = true
			}
			if !p.isOp(")") {
				for {
					a, err := p.expr()
					if err != nil {
						return nil, err
					}
					n.args = append(n.args, a)
					if p.isOp(",") {
						p.next()
						continue
					}
					break
				}
			}
			if !p.isOp(")") {
				return nil, fmt.Errorf("missing ) after %s( at %d", t.text, t.pos)
			}
			p.next()
			return n, nil
		}
		switch strings.ToLower(t.text) {
		case "null":
			return &node{kind: nLit, val: nullVal}, nil
		case "true":
			return &node{kind: nLit, val: numVal(-1)}, nil
		case "false":
			return &node{kind: nLit, val: numVal(0)}, nil
		}
		return &node{kind: nField, name: t.text}, nil
	case tkOp:
		if t.text == "(" {
			n, err := p.expr()
			if err != nil {
				return nil, err
			}
			if !p.isOp(")") {
				return nil, fmt.Errorf("missing ) at %d", p.peek().pos)
			}
			p.next()
			return n, nil
		}
	case tkEOF:
		return nil, errors.New("unexpected end of expression")
	}
	return nil, fmt.Errorf("unexpected %q at %d", t.text, t.pos)
}

// boolVal is the engine's boolean: -1 true, 0 false.
func boolVal(b bool) Val {
	if b {
		return numVal(-1)
	}
	return numVal(0)
}

func truthy(v Val) bool {
	if v.IsNum() {
		return v.Num != 0
	}
	return false
}

// binop applies a binary operator to two evaluated operands.
func binop(op string, a, b Val) Val {
	switch op {
	case "+", "-", "*", "/":
		if !a.IsNum() || !b.IsNum() {
			return nullVal
		}
		switch op {
		case "+":
			return numVal(a.Num + b.Num)
		case "-":
			return numVal(a.Num - b.Num)
		case "*":
			return numVal(a.Num * b.Num)
		default:
			if b.Num == 0 {
				return nullVal
			}
			return numVal(a.Num / b.Num)
		}
	case "&":
		return strVal(textOrEmpty(a) + textOrEmpty(b))
	case "and":
		return boolVal(truthy(a) && truthy(b))
	case "or":
		return boolVal(truthy(a) || truthy(b))
	case "xor":
		return boolVal(truthy(a) != truthy(b))
	case "like":
		return boolVal(globMatch(strings.ToLower(b.Text()), strings.ToLower(a.Text())))
	}
	var c int
	if a.IsNum() && b.IsNum() {
		switch {
		case a.Num < b.Num:
			c = -1
		case a.Num > b.Num:
			c = 1
		}
	} else {
		if a.Null || b.Null {
			return boolVal(false)
		}
		c = strings.Compare(a.Text(), b.Text())
	}
	switch op {
	case "=":
		return boolVal(c == 0)
	case "<>":
		return boolVal(c != 0)
	case "<":
		return boolVal(c < 0)
	case ">":
		return boolVal(c > 0)
	case "<=":
		return boolVal(c <= 0)
	case ">=":
		return boolVal(c >= 0)
	}
	return nullVal
}

func textOrEmpty(v Val) string {
	if v.Null {
		return ""
	}
	return v.Text()
}

// globMatch matches s against a pattern with * and ? wildcards.
func globMatch(pat, s string) bool {
	pr, sr := []rune(pat), []rune(s)
	var match func(i, j int) bool
	memo := map[[2]int]bool{}
	match = func(i, j int) bool {
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		var r bool
		switch {
		case i == len(pr):
			r = j == len(sr)
		case pr[i] == '*':
			r = match(i+1, j) || (j < len(sr) && match(i, j+1))
		case j < len(sr) && (pr[i] == '?' || pr[i] == sr[j]):
			r = match(i+1, j+1)
		}
		memo[k] = r
		return r
	}
	return match(0, 0)
}

var monthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
var dayNames = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// toTime reads a date from a dual/serial number or an ISO text.
func toTime(v Val) (time.Time, bool) {
	if v.IsNum() {
		return timeFromSerial(v.Num), true
	}
	if v.HasStr {
		for _, l := range []string{"2006-01-02", "2006-01-02 15:04:05", "2006/01/02", "01/02/2006"} {
			if t, err := time.Parse(l, v.Str); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

func argNum(args []Val, i int, def float64) float64 {
	if i < len(args) && args[i].IsNum() {
		return args[i].Num
	}
	return def
}

// scalarFuncs are the non-aggregating functions, shared by the load script
// and chart expressions.
var scalarFuncs = map[string]func(args []Val) Val{
	"if": func(a []Val) Val {
		if len(a) > 0 && truthy(a[0]) {
			if len(a) > 1 {
				return a[1]
			}
			return nullVal
		}
		if len(a) > 2 {
			return a[2]
		}
		return nullVal
	},
	"null":  func(a []Val) Val { return nullVal },
	"upper": func(a []Val) Val { return strVal(strings.ToUpper(textOrEmpty(a[0]))) },
	"lower": func(a []Val) Val { return strVal(strings.ToLower(textOrEmpty(a[0]))) },
	"trim":  func(a []Val) Val { return strVal(strings.TrimSpace(textOrEmpty(a[0]))) },
	"len":   func(a []Val) Val { return numVal(float64(len([]rune(textOrEmpty(a[0]))))) },
	"left": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		n := min(max(int(argNum(a, 1, 0)), 0), len(r))
		return strVal(string(r[:n]))
	},
	"right": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		n := min(max(int(argNum(a, 1, 0)), 0), len(r))
		return strVal(string(r[len(r)-n:]))
	},
	"mid": func(a []Val) Val {
		r := []rune(textOrEmpty(a[0]))
		s := min(max(int(argNum(a, 1, 1))-1, 0), len(r))
		n := len(r) - s
		if len(a) > 2 {
			n = min(max(int(argNum(a, 2, 0)), 0), n)
		}
		return strVal(string(r[s : s+n]))
	},
	"round": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		if step == 0 {
			return a[0]
		}
		return numVal(math.Floor(a[0].Num/step+0.5) * step)
	},
	"floor": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		return numVal(math.Floor(a[0].Num/step) * step)
	},
	"ceil": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		step := argNum(a, 1, 1)
		return numVal(math.Ceil(a[0].Num/step) * step)
	},
	"abs": func(a []Val) Val {
		if !a[0].IsNum() {
			return nullVal
		}
		return numVal(math.Abs(a[0].Num))
	},
	"sqrt": func(a []Val) Val {
		if !a[0].IsNum() || a[0].Num < 0 {
			return nullVal
		}
		return numVal(math.Sqrt(a[0].Num))
	},
	"pow": func(a []Val) Val { return numVal(math.Pow(argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN()))) },
	"mod": func(a []Val) Val {
		x, y := argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN())
		if math.IsNaN(x) || math.IsNaN(y) || y == 0 {
			return nullVal
		}
		return numVal(x - y*math.Floor(x/y))
	},
	"div": func(a []Val) Val {
		x, y := argNum(a, 0, math.NaN()), argNum(a, 1, math.NaN())
		if math.IsNaN(x) || math.IsNaN(y) || y == 0 {
			return nullVal
		}
		return numVal(math.Trunc(x / y))
	},
	"text": func(a []Val) Val { return strVal(textOrEmpty(a[0])) },
	"dual": func(a []Val) Val { return dualVal(textOrEmpty(a[0]), argNum(a, 1, math.NaN())) },
	"isnull": func(a []Val) Val {
		return boolVal(a[0].Null)
	},
	"isnum": func(a []Val) Val { return boolVal(a[0].IsNum()) },
	"year": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return numVal(float64(t.Year()))
		}
		return nullVal
	},
	"month": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return dualVal(monthNames[t.Month()-1], float64(t.Month()))
		}
		return nullVal
	},
	"day": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			return numVal(float64(t.Day()))
		}
		return nullVal
	},
	"weekday": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			d := (int(t.Weekday()) + 6) % 7
			return dualVal(dayNames[d], float64(d))
		}
		return nullVal
	},
	"quarter": func(a []Val) Val {
		if t, ok := toTime(a[0]); ok {
			q := (int(t.Month())-1)/3 + 1
			return dualVal("Q"+strconv.Itoa(q), float64(q))
		}
		return nullVal
	},
	"makedate": func(a []Val) Val {
		t := time.Date(int(argNum(a, 0, 1970)), time.Month(argNum(a, 1, 1)), int(argNum(a, 2, 1)), 0, 0, 0, 0, time.UTC)
		return dateVal(t)
	},
	"today": func(a []Val) Val {
		n := time.Now().UTC()
		return dateVal(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC))
	},
	"alt": func(a []Val) Val {
		for _, v := range a {
			if v.IsNum() {
				return v
			}
		}
		if len(a) > 0 {
			return a[len(a)-1]
		}
		return nullVal
	},
	"rangesum": func(a []Val) Val {
		s := 0.0
		for _, v := range a {
			if v.IsNum() {
				s += v.Num
			}
		}
		return numVal(s)
	},
	"chr": func(a []Val) Val { return strVal(string(rune(int(argNum(a, 0, 32))))) },
	"repeat": func(a []Val) Val {
		return strVal(strings.Repeat(textOrEmpty(a[0]), max(int(argNum(a, 1, 1)), 0)))
	},
	"index": func(a []Val) Val {
		if len(a) < 2 {
			return nullVal
		}
		return numVal(float64(strings.Index(textOrEmpty(a[0]), textOrEmpty(a[1])) + 1))
	},
	"replace": func(a []Val) Val {
		if len(a) < 3 {
			return nullVal
		}
		return strVal(strings.ReplaceAll(textOrEmpty(a[0]), textOrEmpty(a[1]), textOrEmpty(a[2])))
	},
	"pick": func(a []Val) Val {
		i := int(argNum(a, 0, 0))
		if i < 1 || i >= len(a) {
			return nullVal
		}
		return a[i]
	},
	"match": func(a []Val) Val {
		for i := 1; i < len(a); i++ {
			if textOrEmpty(a[i]) == textOrEmpty(a[0]) {
				return numVal(float64(i))
			}
		}
		return numVal(0)
	},
}

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

// expandDollar replaces $(name) by the variable's text and $(=expr) by the
// expression's value, the way the engine expands before parsing.
func expandDollar(s string, lookup func(name string) (string, bool), eval func(expr string) string) string {
	for depth := 0; depth < 10 && strings.Contains(s, "$("); depth++ {
		var sb strings.Builder
		i := 0
		for i < len(s) {
			j := strings.Index(s[i:], "$(")
			if j < 0 {
				sb.WriteString(s[i:])
				break
			}
			sb.WriteString(s[i : i+j])
			start := i + j + 2
			lvl, k := 1, start
			for k < len(s) && lvl > 0 {
				switch s[k] {
				case '(':
					lvl++
				case ')':
					lvl--
				}
				k++
			}
			var inner string
			if lvl > 0 {
				inner = s[start:]
			} else {
				inner = s[start : k-1]
			}
			if strings.HasPrefix(inner, "=") {
				if eval != nil {
					sb.WriteString(eval(inner[1:]))
				}
			} else if v, ok := lookup(strings.TrimSpace(inner)); ok {
				sb.WriteString(v)
			}
			i = k
		}
		s = sb.String()
	}
	return s
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

// readQuoted reads the string quoted by src[i] (' or "), where a doubled
// quote stands for one, as in Qlik scripts, expressions and CSV fields. It
// returns the text, the index of the closing quote, and false when the
// string is not closed.
func readQuoted(src string, i int) (string, int, bool) {
	q := src[i]
	var sb strings.Builder
	for j := i + 1; j < len(src); j++ {
		if src[j] != q {
			sb.WriteByte(src[j])
			continue
		}
		if j+1 < len(src) && src[j+1] == q {
			sb.WriteByte(q)
			j++
			continue
		}
		return sb.String(), j, true
	}
	return "", len(src), false
}
