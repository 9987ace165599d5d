package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxLoadRows caps one LOAD so a runaway AUTOGENERATE cannot exhaust the
// emulator's memory.
const maxLoadRows = 5_000_000

// maxStatements caps the statements one reload executes, so a DO LOOP that
// never ends fails the reload instead of spinning until it is cancelled.
const maxStatements = 1_000_000

// scriptVar is a variable made by SET or LET.
type scriptVar struct {
	Name  string
	Value string
}

// rawTable is a table while the script runs: plain rows of values, turned
// into a Model (symbol tables, element columns) when the script ends.
type rawTable struct {
	name    string
	cols    []string
	rows    [][]Val
	comment string
}

// scriptRun is the state of one reload.
type scriptRun struct {
	ctx      context.Context
	dataDir  string
	tables   []*rawTable
	vars     []scriptVar
	rnd      *prng
	progress func(ProgressInfo)
	step     int
	steps    int

	stmts    []statement
	blocks   *blocks
	loops    []*loopState
	calls    []*callFrame
	executed int

	pending  []pendingLoad             // preceding LOADs waiting for their source
	maps     map[string]map[string]Val // MAPPING tables by lower-case name
	qualify  []string                  // QUALIFY patterns ("*" for all)
	unqual   []string                  // UNQUALIFY patterns
	fieldCmt map[string]string         // COMMENT FIELD
	cur      *loadCtx                  // the LOAD being evaluated (Peek, RowNo)
}

// statement is one ;-terminated statement of the script with its line.
type statement struct {
	text string
	line int
}

// stmtError is a script error that belongs to another statement than the
// one running (a preceding LOAD left without a source).
type stmtError struct {
	st  statement
	err error
}

func (e *stmtError) Error() string { return e.err.Error() }
func (e *stmtError) Unwrap() error { return e.err }

// failedStmt is the error a reload fails with: the message, then the line
// and text of the statement, which GetProgress also reports on their own
// (qErrorData qErrorString and qLine).
type failedStmt struct {
	st  statement
	err error
}

func (e *failedStmt) Error() string {
	return fmt.Sprintf("%s\n\nline %d: %s", e.err.Error(), e.st.line, e.st.text)
}
func (e *failedStmt) Unwrap() error { return e.err }

// splitStatements cuts a script at the semicolons that are outside quotes,
// brackets and comments; comments and REM statements are dropped. Control
// clauses (FOR, NEXT, IF … THEN, SUB, …) end at the end of their line, as in
// Qlik scripts, so they become statements of their own.
func splitStatements(src string) ([]statement, error) {
	var out []statement
	var sb strings.Builder
	line, startLine := 1, 1
	i := 0
	flush := func() {
		if t := strings.TrimSpace(sb.String()); t != "" {
			out = append(out, statement{t, startLine})
		}
		sb.Reset()
	}
	for i < len(src) {
		c := src[i]
		atStart := strings.TrimSpace(sb.String()) == ""
		if atStart {
			startLine = line
			if isRem(src[i:]) {
				// REM runs to the next ';' whatever it holds.
				end := strings.IndexByte(src[i:], ';')
				if end < 0 {
					end = len(src) - i
				}
				line += strings.Count(src[i:i+end], "\n")
				i += end + 1
				sb.Reset()
				continue
			}
		}
		switch {
		case c == '\n':
			line++
			sb.WriteByte(c)
			i++
		case isComment(src, i):
			end, ok := commentEnd(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated comment on line %d", line)
			}
			if src[i+1] == '*' {
				n := strings.Count(src[i:end], "\n")
				line += n
				// Keep the line breaks so control clauses still end where they did.
				sb.WriteString(" " + strings.Repeat("\n", n))
			}
			i = end
		case c == '\'' || c == '"' || c == '[':
			j, ok := quoteEnd(src, i)
			if !ok {
				return nil, fmt.Errorf("unterminated %c on line %d", c, line)
			}
			line += strings.Count(src[i:j], "\n")
			sb.WriteString(src[i : j+1])
			i = j + 1
		case c == ';':
			flush()
			i++
		default:
			sb.WriteByte(c)
			i++
		}
	}
	// Real engines accept a last statement without ';' (recorded traffic).
	flush()
	return splitControl(out), nil
}

// isRem reports whether s starts with the REM keyword.
func isRem(s string) bool {
	if len(s) < 3 || !strings.EqualFold(s[:3], "rem") {
		return false
	}
	return len(s) == 3 || strings.IndexByte(" \t\r\n;", s[3]) >= 0
}

func firstWord(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '(' || r == '=' })
	if i < 0 {
		return s
	}
	return s[:i]
}

// stripLabel removes a leading "Label:" (plain or [bracketed]).
func stripLabel(s string) string {
	_, rest := splitLabel(s)
	return rest
}

func splitLabel(s string) (string, string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		if j := strings.Index(s, "]"); j > 0 {
			if r := strings.TrimSpace(s[j+1:]); strings.HasPrefix(r, ":") {
				return s[1:j], strings.TrimSpace(r[1:])
			}
		}
		return "", s
	}
	i := 0
	for i < len(s) && s[i] != ':' && s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r' && s[i] != '=' && s[i] != '(' {
		i++
	}
	j := i
	for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n') {
		j++
	}
	if i > 0 && j < len(s) && s[j] == ':' && !strings.HasPrefix(s[j:], "://") {
		return s[:i], strings.TrimSpace(s[j+1:])
	}
	return "", s
}

// runScript executes a load script and builds the resulting model and
// variables. Errors are script errors (shown in qErrorData) or ErrAborted.
func runScript(ctx context.Context, src, dataDir string, progress func(ProgressInfo)) (*Model, []scriptVar, error) {
	stmts, err := splitStatements(src)
	if err != nil {
		return nil, nil, fmt.Errorf("Syntax error: %w", err)
	}
	bl, err := scanBlocks(stmts)
	if err != nil {
		var se *stmtError
		if errors.As(err, &se) {
			return nil, nil, &failedStmt{se.st, se.err}
		}
		return nil, nil, err
	}
	run := &scriptRun{ctx: ctx, dataDir: dataDir, rnd: newPRNG(1), progress: progress, steps: len(stmts),
		stmts: stmts, blocks: bl, maps: map[string]map[string]Val{}, fieldCmt: map[string]string{}}
	if progress == nil {
		run.progress = func(ProgressInfo) {}
	}
	fail := func(st statement, err error) error {
		var se *stmtError
		if errors.As(err, &se) {
			st, err = se.st, se.err
		}
		return &failedStmt{st, err}
	}
	for pc := 0; pc < len(stmts); {
		if err := ctx.Err(); err != nil {
			return nil, nil, ErrAborted
		}
		run.executed++
		if run.executed > maxStatements {
			return nil, nil, fail(stmts[pc], fmt.Errorf("Emulator limit: more than %d statements executed", maxStatements))
		}
		run.step = pc
		next, err := run.execAt(pc)
		if err != nil {
			if errors.Is(err, ErrAborted) {
				return nil, nil, ErrAborted
			}
			return nil, nil, fail(stmts[pc], err)
		}
		if next < 0 {
			break
		}
		pc = next
	}
	if len(run.pending) > 0 {
		p := run.pending[0]
		return nil, nil, fail(p.st, errors.New("Syntax error: missing/misplaced FROM (LOAD needs INLINE, FROM, AUTOGENERATE or RESIDENT)"))
	}
	m := newModel()
	for _, t := range run.tables {
		td := m.addTable(t.name, t.cols, t.rows)
		td.Comment = t.comment
	}
	for name, c := range run.fieldCmt {
		if fi := m.field(name); fi >= 0 {
			m.Fields[fi].Comment = c
		}
	}
	return m, run.vars, nil
}

// lookupVar returns the text of a script variable.
func (s *scriptRun) lookupVar(name string) (string, bool) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if strings.EqualFold(s.vars[i].Name, name) {
			return s.vars[i].Value, true
		}
	}
	return "", false
}

// expandVar is the $(name) lookup: a plain variable, or a variable used as
// a function, $(v(a, b)), whose $1, $2, … are replaced by the arguments.
func (s *scriptRun) expandVar(name string) (string, bool) {
	open := strings.IndexByte(name, '(')
	if open < 0 || !strings.HasSuffix(name, ")") {
		return s.lookupVar(name)
	}
	v, ok := s.lookupVar(strings.TrimSpace(name[:open]))
	if !ok {
		return "", false
	}
	params := splitTopLevel(name[open+1:len(name)-1], ',')
	for i := len(params); i >= 1; i-- {
		v = strings.ReplaceAll(v, "$"+strconv.Itoa(i), strings.TrimSpace(params[i-1]))
	}
	return v, true
}

// splitTopLevel splits s at sep where it is outside parentheses and quotes.
func splitTopLevel(s string, sep byte) []string {
	var out []string
	lvl, start := 0, 0
	var q byte
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
		case c == '(':
			lvl++
		case c == ')':
			lvl--
		case c == sep && lvl == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// expand applies $-sign expansion to a statement.
func (s *scriptRun) expand(text string) string {
	return expandDollar(text, s.expandVar, func(expr string) string {
		v, err := s.evalExpr(expr)
		if err != nil {
			return ""
		}
		return textOrEmpty(v)
	})
}

func (s *scriptRun) setVar(name, value string) {
	for i := range s.vars {
		if strings.EqualFold(s.vars[i].Name, name) {
			s.vars[i].Value = value
			return
		}
	}
	s.vars = append(s.vars, scriptVar{name, value})
}

// evalExpr evaluates an expression outside any LOAD (LET, IF, FOR, …):
// names are variables; Peek, NoOfRows and the like read the tables loaded
// so far.
func (s *scriptRun) evalExpr(text string) (Val, error) {
	n, err := parseExpr(text)
	if err != nil {
		return Val{}, fmt.Errorf("Syntax error: %w", err)
	}
	sc := &rowScope{
		field: func(string) (rowFn, bool) { return nil, false },
		vr:    s.varVal,
		rand:  s.rnd.float,
	}
	sc.call = s.scriptCall(sc, nil)
	f, err := compileRow(n, sc)
	if err != nil {
		return Val{}, err
	}
	return f(0), nil
}

// varVal is a variable as an expression sees it.
func (s *scriptRun) varVal(name string) (Val, bool) {
	if v, ok := s.lookupVar(name); ok {
		return parseLoaded(v), true
	}
	return Val{}, false
}

// execAt runs statement pc and returns the next one to run (-1 to stop).
func (s *scriptRun) execAt(pc int) (int, error) {
	st := s.stmts[pc]
	if k := s.blocks.kind[pc]; k != "" {
		if len(s.pending) > 0 {
			return 0, &stmtError{s.pending[0].st, errors.New("Syntax error: missing/misplaced FROM (LOAD needs INLINE, FROM, AUTOGENERATE or RESIDENT)")}
		}
		if k == "sub" {
			return s.blocks.end[pc] + 1, nil
		}
		return s.flow(pc, k, s.expand(st.text))
	}
	text := s.expand(st.text)
	label, body := splitLabel(text)
	kw := strings.ToLower(firstWord(body))
	if kw != "load" && len(s.pending) > 0 && !isLoadPrefix(kw) {
		return 0, &stmtError{s.pending[0].st, errors.New("Syntax error: missing/misplaced FROM (LOAD needs INLINE, FROM, AUTOGENERATE or RESIDENT)")}
	}
	if done, err := s.statement(kw, body); done || err != nil {
		return pc + 1, err
	}
	return pc + 1, s.load(label, body, st)
}

// setLet runs SET (text as written) and LET (the expression's value).
func (s *scriptRun) setLet(kw, body string) error {
	rest := strings.TrimSpace(body[len(kw):])
	eq := strings.Index(rest, "=")
	if eq < 0 {
		return errors.New("Syntax error: missing = in " + strings.ToUpper(kw))
	}
	name := strings.TrimSpace(rest[:eq])
	val := strings.TrimSpace(rest[eq+1:])
	if name == "" {
		return errors.New("Syntax error: missing variable name")
	}
	if kw == "let" {
		if val != "" {
			v, err := s.evalExpr(val)
			if err != nil {
				return err
			}
			val = textOrEmpty(v)
		}
	} else if len(val) >= 2 && (val[0] == '\'' && val[len(val)-1] == '\'' || val[0] == '"' && val[len(val)-1] == '"') {
		val = val[1 : len(val)-1]
	}
	s.setVar(name, val)
	s.report(0, "", "")
	return nil
}

// addRaw stores a loaded table, concatenating onto an existing table with
// the same fields (automatic concatenation) or the named one.
func (s *scriptRun) addRaw(name string, cols []string, rows [][]Val, noConcat bool, concatTo string) {
	var target *rawTable
	if concatTo != "" {
		for _, t := range s.tables {
			if concatTo == "\x00" || strings.EqualFold(t.name, concatTo) {
				target = t
			}
		}
	} else if !noConcat {
		for _, t := range s.tables {
			if sameFields(t.cols, cols) {
				target = t
				break
			}
		}
	}
	if target != nil {
		idx := make([]int, len(target.cols))
		for i, c := range target.cols {
			idx[i] = -1
			for j, d := range cols {
				if c == d {
					idx[i] = j
				}
			}
		}
		for _, c := range cols {
			if !contains(target.cols, c) {
				target.cols = append(target.cols, c)
				idx = append(idx, indexOf(cols, c))
			}
		}
		for _, r := range rows {
			nr := make([]Val, len(target.cols))
			for i, j := range idx {
				if j >= 0 {
					nr[i] = r[j]
				} else {
					nr[i] = nullVal
				}
			}
			target.rows = append(target.rows, nr)
		}
		return
	}
	base, n := name, 1
	for s.tableExists(name) {
		name = fmt.Sprintf("%s-%d", base, n)
		n++
	}
	s.tables = append(s.tables, &rawTable{name: name, cols: cols, rows: rows})
}

func (s *scriptRun) tableExists(name string) bool {
	for _, t := range s.tables {
		if strings.EqualFold(t.name, name) {
			return true
		}
	}
	return false
}

func sameFields(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	return true
}

func contains(xs []string, s string) bool { return indexOf(xs, s) >= 0 }

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// report forwards progress for the current statement.
func (s *scriptRun) report(rows int, transient, persistent string) {
	s.progress(ProgressInfo{Step: s.step + 1, Steps: s.steps, Rows: rows, Transient: transient, Persistent: persistent})
}
