package engine

import (
	"errors"
	"fmt"
	"strings"
)

// Control statements of the load script: FOR … NEXT, FOR EACH … NEXT,
// DO … LOOP, IF … ELSEIF … ELSE … END IF, SWITCH … CASE … END SWITCH,
// SUB … END SUB, CALL and EXIT. Their clauses end at the end of a line (or a
// ';'), so splitControl makes each clause a statement; scanBlocks matches
// openers and closers once; flow runs a clause with a program counter.

// controlKind names the control clause a statement is, "" for others.
func controlKind(text string) string {
	f := strings.Fields(strings.ToLower(text))
	if len(f) == 0 {
		return ""
	}
	first := strings.TrimRight(strings.SplitN(f[0], "(", 2)[0], ";")
	switch first {
	case "for", "next", "if", "elseif", "else", "sub", "call", "do", "loop", "switch", "case", "default":
		return first
	case "exit":
		if len(f) > 1 && f[1] == "script" {
			return "exit script"
		}
		return "exit"
	case "end":
		if len(f) > 1 {
			switch f[1] {
			case "if", "sub", "switch":
				return "end" + f[1]
			}
		}
	case "endif", "endsub", "endswitch":
		return first
	}
	return ""
}

// splitControl cuts the control clauses off the statements they start: a
// clause ends at its line's end, IF/ELSEIF at THEN.
func splitControl(in []statement) []statement {
	var out []statement
	for _, st := range in {
		text, line := st.text, st.line
		for text != "" {
			k := controlKind(text)
			if k == "" {
				out = append(out, statement{text, line})
				break
			}
			end := strings.IndexByte(text, '\n')
			cut := end
			if k == "if" || k == "elseif" {
				if t := indexWord(text, "then"); t >= 0 && (end < 0 || t < end) {
					cut = t + len("then")
				}
			} else if k == "else" {
				cut = len("else")
			}
			if cut < 0 {
				out = append(out, statement{strings.TrimSpace(text), line})
				break
			}
			out = append(out, statement{strings.TrimSpace(text[:cut]), line})
			rest := text[cut:]
			trimmed := strings.TrimLeft(rest, " \t\r\n")
			line += strings.Count(rest[:len(rest)-len(trimmed)], "\n")
			text = strings.TrimRight(trimmed, " \t\r\n")
		}
	}
	return out
}

// indexWord finds word (lower case) as a whole word outside quotes.
func indexWord(s, word string) int {
	var q byte
	low := strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '[':
			q = ']'
		case strings.HasPrefix(low[i:], word) && (i == 0 || !isWordByte(s[i-1])) && (i+len(word) == len(s) || !isWordByte(s[i+len(word)])):
			return i
		}
	}
	return -1
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// blocks is the static structure of the control statements.
type blocks struct {
	kind  []string       // controlKind per statement
	end   map[int]int    // opener or clause → its closing statement
	open  map[int]int    // closer → its opener
	next  map[int]int    // IF/ELSEIF/ELSE/SWITCH/CASE/DEFAULT → the next clause
	subs  map[string]int // lower-case SUB name → its statement
	inFor []int          // innermost enclosing FOR per statement, -1 if none
	inDo  []int
	inSub []int
}

// scanBlocks matches every opener with its closer.
func scanBlocks(stmts []statement) (*blocks, error) {
	b := &blocks{kind: make([]string, len(stmts)), end: map[int]int{}, open: map[int]int{}, next: map[int]int{},
		subs: map[string]int{}, inFor: make([]int, len(stmts)), inDo: make([]int, len(stmts)), inSub: make([]int, len(stmts))}
	type frame struct{ opener, last int }
	var stack []frame
	bad := func(i int, msg string) error { return &stmtError{stmts[i], errors.New("Syntax error: " + msg)} }
	closer := map[string]string{"next": "for", "loop": "do", "endif": "if", "endsub": "sub", "endswitch": "switch"}
	for i, st := range stmts {
		k := controlKind(st.text)
		b.kind[i] = k
		b.inFor[i], b.inDo[i], b.inSub[i] = -1, -1, -1
		for _, f := range stack {
			switch b.kind[f.opener] {
			case "for":
				b.inFor[i] = f.opener
			case "do":
				b.inDo[i] = f.opener
			case "sub":
				b.inSub[i] = f.opener
			}
		}
		switch k {
		case "for", "do", "if", "switch", "sub":
			stack = append(stack, frame{i, i})
			if k == "sub" {
				name := strings.ToLower(strings.TrimSpace(strings.SplitN(strings.TrimSpace(st.text[3:]), "(", 2)[0]))
				if name == "" {
					return nil, bad(i, "SUB needs a name")
				}
				b.subs[name] = i
			}
		case "elseif", "else", "case", "default":
			want := "if"
			if k == "case" || k == "default" {
				want = "switch"
			}
			if len(stack) == 0 || b.kind[stack[len(stack)-1].opener] != want {
				return nil, bad(i, strings.ToUpper(k)+" without "+strings.ToUpper(want))
			}
			top := &stack[len(stack)-1]
			b.next[top.last] = i
			top.last = i
		case "next", "loop", "endif", "endsub", "endswitch":
			want := closer[k]
			if len(stack) == 0 || b.kind[stack[len(stack)-1].opener] != want {
				return nil, bad(i, strings.ToUpper(k)+" without "+strings.ToUpper(want))
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			b.next[top.last] = i
			b.end[top.opener] = i
			b.open[i] = top.opener
			for c := top.opener; c != i; c = b.next[c] {
				b.end[c] = i
			}
		}
	}
	if len(stack) > 0 {
		o := stack[len(stack)-1].opener
		return nil, bad(o, strings.ToUpper(b.kind[o])+" is never closed")
	}
	return b, nil
}

// loopState is a running FOR loop.
type loopState struct {
	at    int
	name  string
	cur   float64
	to    float64
	step  float64
	items []Val // FOR EACH
	idx   int
}

// callFrame is a running SUB.
type callFrame struct {
	ret   int
	loops int
	saved []scriptVar // parameters' previous values (Value "\x00" = unset)
}

// flow runs control clause pc (its text already expanded).
func (s *scriptRun) flow(pc int, kind, text string) (int, error) {
	b := s.blocks
	rest := strings.TrimSpace(text[len(firstWord(text)):])
	switch kind {
	case "for":
		return s.forStart(pc, rest)
	case "next":
		ls := s.topLoop(b.open[pc])
		if ls == nil {
			return pc + 1, nil
		}
		if ls.items != nil {
			ls.idx++
			if ls.idx < len(ls.items) {
				s.setVar(ls.name, textOrEmpty(ls.items[ls.idx]))
				return ls.at + 1, nil
			}
		} else {
			ls.cur += ls.step
			if ls.step >= 0 && ls.cur <= ls.to || ls.step < 0 && ls.cur >= ls.to {
				s.setVar(ls.name, formatNum(ls.cur))
				return ls.at + 1, nil
			}
		}
		s.loops = s.loops[:len(s.loops)-1]
		return pc + 1, nil
	case "do":
		ok, err := s.loopCond(rest)
		if err != nil {
			return 0, err
		}
		if !ok {
			return b.end[pc] + 1, nil
		}
		return pc + 1, nil
	case "loop":
		ok, err := s.loopCond(rest)
		if err != nil {
			return 0, err
		}
		if !ok {
			return pc + 1, nil
		}
		return b.open[pc], nil
	case "if":
		for c := pc; ; c = b.next[c] {
			switch b.kind[c] {
			case "endif":
				return c + 1, nil
			case "else":
				return c + 1, nil
			}
			if c != pc {
				t := s.expand(s.stmts[c].text)
				rest = strings.TrimSpace(t[len(firstWord(t)):])
			}
			expr := rest
			if t := indexWord(rest, "then"); t >= 0 {
				expr = rest[:t]
			}
			cond, err := s.condition(expr)
			if err != nil {
				return 0, err
			}
			if cond {
				return c + 1, nil
			}
		}
	case "elseif", "else", "case", "default":
		// Reached by running the branch before: skip to the end.
		return b.end[pc] + 1, nil
	case "endif", "endswitch":
		return pc + 1, nil
	case "switch":
		v, err := s.evalExpr(rest)
		if err != nil {
			return 0, err
		}
		for c := b.next[pc]; ; c = b.next[c] {
			switch b.kind[c] {
			case "endswitch", "default":
				return c + 1, nil
			}
			t := s.expand(s.stmts[c].text)
			for _, e := range splitTopLevel(strings.TrimSpace(t[len(firstWord(t)):]), ',') {
				w, err := s.evalExpr(e)
				if err != nil {
					return 0, err
				}
				if truthy(binop("=", v, w)) {
					return c + 1, nil
				}
			}
		}
	case "call":
		return s.call(pc, rest)
	case "endsub":
		return s.ret(pc), nil
	case "exit script":
		ok, err := s.exitWhen(strings.TrimSpace(rest[len("script"):]))
		if err != nil || !ok {
			return pc + 1, err
		}
		return -1, nil
	case "exit":
		what := strings.ToLower(firstWord(rest))
		ok, err := s.exitWhen(strings.TrimSpace(rest[len(what):]))
		if err != nil || !ok {
			return pc + 1, err
		}
		switch what {
		case "for":
			f := b.inFor[pc]
			if f < 0 {
				return 0, errors.New("Syntax error: EXIT FOR outside FOR")
			}
			for len(s.loops) > 0 && s.loops[len(s.loops)-1].at != f {
				s.loops = s.loops[:len(s.loops)-1]
			}
			if len(s.loops) > 0 {
				s.loops = s.loops[:len(s.loops)-1]
			}
			return b.end[f] + 1, nil
		case "do":
			if b.inDo[pc] < 0 {
				return 0, errors.New("Syntax error: EXIT DO outside DO")
			}
			return b.end[b.inDo[pc]] + 1, nil
		case "sub":
			if b.inSub[pc] < 0 {
				return 0, errors.New("Syntax error: EXIT SUB outside SUB")
			}
			return s.ret(pc), nil
		case "":
			return -1, nil
		}
		return 0, fmt.Errorf("Syntax error: EXIT %s", strings.ToUpper(what))
	}
	return pc + 1, nil
}

// forStart begins FOR v = a TO b [STEP s] or FOR EACH v IN a, b, ….
func (s *scriptRun) forStart(pc int, rest string) (int, error) {
	ls := &loopState{at: pc}
	if strings.EqualFold(firstWord(rest), "each") {
		rest = strings.TrimSpace(rest[4:])
		in := indexWord(rest, "in")
		if in < 0 {
			return 0, errors.New("Syntax error: FOR EACH needs IN")
		}
		ls.name = strings.Trim(strings.TrimSpace(rest[:in]), "[]\"")
		ls.items = []Val{}
		for _, e := range splitTopLevel(rest[in+2:], ',') {
			vals, err := s.forEachItems(strings.TrimSpace(e))
			if err != nil {
				return 0, err
			}
			ls.items = append(ls.items, vals...)
		}
		if len(ls.items) == 0 {
			return s.blocks.end[pc] + 1, nil
		}
		s.setVar(ls.name, textOrEmpty(ls.items[0]))
		s.loops = append(s.loops, ls)
		return pc + 1, nil
	}
	eq := strings.IndexByte(rest, '=')
	to := indexWord(rest, "to")
	if eq < 0 || to < eq {
		return 0, errors.New("Syntax error: FOR needs v = a TO b")
	}
	ls.name = strings.TrimSpace(rest[:eq])
	toExpr := rest[to+2:]
	step := 1.0
	if st := indexWord(toExpr, "step"); st >= 0 {
		v, err := s.evalExpr(toExpr[st+4:])
		if err != nil {
			return 0, err
		}
		if !v.IsNum() || v.Num == 0 {
			return 0, errors.New("Syntax error: FOR STEP must be a non-zero number")
		}
		step = v.Num
		toExpr = toExpr[:st]
	}
	from, err := s.evalExpr(rest[eq+1 : to])
	if err != nil {
		return 0, err
	}
	end, err := s.evalExpr(toExpr)
	if err != nil {
		return 0, err
	}
	if !from.IsNum() || !end.IsNum() {
		return 0, errors.New("Syntax error: FOR bounds must be numbers")
	}
	ls.cur, ls.to, ls.step = from.Num, end.Num, step
	if step > 0 && ls.cur > ls.to || step < 0 && ls.cur < ls.to {
		return s.blocks.end[pc] + 1, nil
	}
	s.setVar(ls.name, formatNum(ls.cur))
	s.loops = append(s.loops, ls)
	return pc + 1, nil
}

// forEachItems evaluates one item of a FOR EACH list; FieldValueList('F')
// stands for every value of a field.
func (s *scriptRun) forEachItems(e string) ([]Val, error) {
	if strings.EqualFold(firstWord(e), "fieldvaluelist") {
		n, err := parseExpr(e)
		if err != nil || n.kind != nCall || len(n.args) != 1 {
			return nil, errors.New("Syntax error: FieldValueList needs a field name")
		}
		name := n.args[0].name
		if n.args[0].kind == nLit {
			name = n.args[0].val.Text()
		}
		return s.fieldValues(name), nil
	}
	if strings.EqualFold(firstWord(e), "filelist") || strings.EqualFold(firstWord(e), "dirlist") {
		return nil, fmt.Errorf("%s is not supported by the emulator", firstWord(e))
	}
	v, err := s.evalExpr(e)
	if err != nil {
		return nil, err
	}
	return []Val{v}, nil
}

// topLoop returns the running FOR loop started at statement at.
func (s *scriptRun) topLoop(at int) *loopState {
	if n := len(s.loops); n > 0 && s.loops[n-1].at == at {
		return s.loops[n-1]
	}
	return nil
}

// loopCond reads the optional WHILE/UNTIL condition of DO or LOOP: true
// means go on.
func (s *scriptRun) loopCond(rest string) (bool, error) {
	w := strings.ToLower(firstWord(rest))
	if w != "while" && w != "until" {
		if strings.TrimSpace(rest) != "" {
			return false, fmt.Errorf("Syntax error: unexpected %q", rest)
		}
		return true, nil
	}
	c, err := s.condition(rest[len(w):])
	if err != nil {
		return false, err
	}
	return c == (w == "while"), nil
}

// exitWhen reads the optional WHEN/UNLESS of EXIT: true means exit.
func (s *scriptRun) exitWhen(rest string) (bool, error) {
	w := strings.ToLower(firstWord(rest))
	switch w {
	case "":
		return true, nil
	case "when", "unless":
		c, err := s.condition(rest[len(w):])
		return c == (w == "when"), err
	}
	return false, fmt.Errorf("Syntax error: unexpected %q", rest)
}

func (s *scriptRun) condition(expr string) (bool, error) {
	v, err := s.evalExpr(expr)
	if err != nil {
		return false, err
	}
	return truthy(v), nil
}

// call runs CALL name[(args)]: parameters become variables for the SUB's
// run and get their previous values back when it returns.
func (s *scriptRun) call(pc int, rest string) (int, error) {
	name, argText := rest, ""
	if i := strings.IndexByte(rest, '('); i >= 0 {
		name = rest[:i]
		argText = strings.TrimSuffix(strings.TrimSpace(rest[i+1:]), ")")
	}
	name = strings.TrimSpace(name)
	sub, ok := s.blocks.subs[strings.ToLower(name)]
	if !ok {
		return 0, fmt.Errorf("Unknown SUB: %s", name)
	}
	if len(s.calls) >= 100 {
		return 0, errors.New("Emulator limit: SUB calls nested more than 100 deep")
	}
	var params []string
	def := s.stmts[sub].text
	if i := strings.IndexByte(def, '('); i >= 0 {
		for _, p := range strings.Split(strings.TrimSuffix(strings.TrimSpace(def[i+1:]), ")"), ",") {
			if p = strings.TrimSpace(p); p != "" {
				params = append(params, p)
			}
		}
	}
	var args []string
	if strings.TrimSpace(argText) != "" {
		for _, a := range splitTopLevel(argText, ',') {
			v, err := s.evalExpr(a)
			if err != nil {
				return 0, err
			}
			args = append(args, textOrEmpty(v))
		}
	}
	fr := &callFrame{ret: pc + 1, loops: len(s.loops)}
	for i, p := range params {
		old, had := s.lookupVar(p)
		if !had {
			old = "\x00"
		}
		fr.saved = append(fr.saved, scriptVar{p, old})
		val := ""
		if i < len(args) {
			val = args[i]
		}
		s.setVar(p, val)
	}
	s.calls = append(s.calls, fr)
	return sub + 1, nil
}

// ret returns from the running SUB (END SUB or EXIT SUB).
func (s *scriptRun) ret(pc int) int {
	if len(s.calls) == 0 {
		return pc + 1
	}
	fr := s.calls[len(s.calls)-1]
	s.calls = s.calls[:len(s.calls)-1]
	s.loops = s.loops[:fr.loops]
	for _, v := range fr.saved {
		if v.Value == "\x00" {
			s.dropVar(v.Name)
		} else {
			s.setVar(v.Name, v.Value)
		}
	}
	return fr.ret
}

func (s *scriptRun) dropVar(name string) {
	for i := range s.vars {
		if strings.EqualFold(s.vars[i].Name, name) {
			s.vars = append(s.vars[:i], s.vars[i+1:]...)
			return
		}
	}
}
