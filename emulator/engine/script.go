package engine

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxLoadRows caps one LOAD so a runaway AUTOGENERATE cannot exhaust the
// emulator's memory.
const maxLoadRows = 5_000_000

// scriptVar is a variable made by SET or LET.
type scriptVar struct {
	Name  string
	Value string
}

// rawTable is a table while the script runs: plain rows of values, turned
// into a Model (symbol tables, element columns) when the script ends.
type rawTable struct {
	name string
	cols []string
	rows [][]Val
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
}

// statement is one ;-terminated statement of the script with its line.
type statement struct {
	text string
	line int
}

// splitStatements cuts a script at the semicolons that are outside quotes,
// brackets and comments; comments are dropped.
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
		if strings.TrimSpace(sb.String()) == "" {
			startLine = line
		}
		switch {
		case c == '\n':
			line++
			sb.WriteByte(c)
			i++
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment on line %d", line)
			}
			line += strings.Count(src[i:i+end+4], "\n")
			sb.WriteByte(' ')
			i += end + 4
		case c == '\'' || c == '"' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := i + 1
			for {
				if j >= len(src) {
					return nil, fmt.Errorf("unterminated %c on line %d", c, line)
				}
				if src[j] == closer {
					if j+1 < len(src) && src[j+1] == closer {
						j += 2
						continue
					}
					break
				}
				j++
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
	return out, nil
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
	run := &scriptRun{ctx: ctx, dataDir: dataDir, rnd: newPRNG(1), progress: progress, steps: len(stmts)}
	if progress == nil {
		run.progress = func(ProgressInfo) {}
	}
	for i, st := range stmts {
		if err := ctx.Err(); err != nil {
			return nil, nil, ErrAborted
		}
		run.step = i
		stop, err := run.exec(st)
		if err != nil {
			if errors.Is(err, ErrAborted) {
				return nil, nil, ErrAborted
			}
			return nil, nil, fmt.Errorf("%w\n\nline %d: %s", err, st.line, st.text)
		}
		if stop {
			break
		}
	}
	m := newModel()
	for _, t := range run.tables {
		m.addTable(t.name, t.cols, t.rows)
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

func (s *scriptRun) setVar(name, value string) {
	for i := range s.vars {
		if strings.EqualFold(s.vars[i].Name, name) {
			s.vars[i].Value = value
			return
		}
	}
	s.vars = append(s.vars, scriptVar{name, value})
}

// exec runs one statement; stop is true after EXIT SCRIPT.
func (s *scriptRun) exec(st statement) (bool, error) {
	text := expandDollar(st.text, s.lookupVar, nil)
	label, body := splitLabel(text)
	kw := strings.ToLower(firstWord(body))
	switch kw {
	case "set", "let":
		rest := strings.TrimSpace(body[len(kw):])
		eq := strings.Index(rest, "=")
		if eq < 0 {
			return false, errors.New("Syntax error: missing = in " + strings.ToUpper(kw))
		}
		name := strings.TrimSpace(rest[:eq])
		val := strings.TrimSpace(rest[eq+1:])
		if name == "" {
			return false, errors.New("Syntax error: missing variable name")
		}
		if kw == "let" {
			n, err := parseExpr(val)
			if err != nil {
				return false, fmt.Errorf("Syntax error: %w", err)
			}
			f, err := compileRow(n, &rowScope{field: func(string) (rowFn, bool) { return nil, false }, rand: s.rnd.float})
			if err != nil {
				return false, fmt.Errorf("Syntax error: %w", err)
			}
			v := f(0)
			val = textOrEmpty(v)
		} else if len(val) >= 2 && (val[0] == '\'' && val[len(val)-1] == '\'' || val[0] == '"' && val[len(val)-1] == '"') {
			val = val[1 : len(val)-1]
		}
		s.setVar(name, val)
		s.report(0, "", "")
		return false, nil
	case "rem", "trace":
		return false, nil
	case "exit":
		return true, nil
	case "drop":
		toks, err := tokenize(body)
		if err != nil {
			return false, fmt.Errorf("Syntax error: %w", err)
		}
		if len(toks) < 3 || !strings.HasPrefix(strings.ToLower(toks[1].text), "table") {
			return false, errors.New("Syntax error: DROP TABLE expected")
		}
		for _, t := range toks[2:] {
			if t.kind == tkEOF || t.kind == tkOp && t.text == "," {
				continue
			}
			found := false
			for i, rt := range s.tables {
				if strings.EqualFold(rt.name, t.text) {
					s.tables = append(s.tables[:i], s.tables[i+1:]...)
					found = true
					break
				}
			}
			if !found {
				return false, fmt.Errorf("Table '%s' not found", t.text)
			}
		}
		return false, nil
	}
	return false, s.load(label, body)
}

// source is the input of a LOAD: named columns and rows.
type source struct {
	cols []string
	rows [][]Val
	n    int // rows for AUTOGENERATE
	desc string
}

// load runs one [prefix] LOAD statement.
func (s *scriptRun) load(label, body string) error {
	toks, err := tokenize(body)
	if err != nil {
		return fmt.Errorf("Syntax error: %w", err)
	}
	p := &parser{toks: toks}
	noConcat := false
	concatTo := ""
	for {
		switch {
		case p.isKw("noconcatenate"):
			p.next()
			noConcat = true
			continue
		case p.isKw("concatenate"):
			p.next()
			concatTo = "\x00"
			if p.isOp("(") {
				p.next()
				concatTo = p.next().text
				if !p.isOp(")") {
					return errors.New("Syntax error: missing ) after CONCATENATE(")
				}
				p.next()
			}
			continue
		}
		break
	}
	if p.isKw("sql") || p.isKw("select") {
		return errors.New("Connector error: SQL SELECT is not supported by the emulator")
	}
	if !p.isKw("load") {
		return fmt.Errorf("Unknown statement: %s", firstWord(body))
	}
	p.next()
	distinct := false
	if p.isKw("distinct") {
		p.next()
		distinct = true
	}
	type item struct {
		star bool
		expr *node
		name string
	}
	var items []item
	isSourceKw := func() bool {
		return p.isKw("inline") || p.isKw("from") || p.isKw("autogenerate") || p.isKw("resident")
	}
	for {
		if p.isOp("*") {
			p.next()
			items = append(items, item{star: true})
		} else {
			start := p.peek()
			if start.kind == tkEOF || isSourceKw() {
				return errors.New("Syntax error: missing field list in LOAD")
			}
			n, err := p.expr()
			if err != nil {
				return fmt.Errorf("Syntax error: %w", err)
			}
			name := ""
			if p.isKw("as") {
				p.next()
				t := p.next()
				if t.kind != tkIdent && t.kind != tkQuoted && t.kind != tkBracket && t.kind != tkStr {
					return errors.New("Syntax error: missing name after AS")
				}
				name = t.text
			} else if n.kind == nField {
				name = n.name
			} else {
				name = strings.TrimSpace(body[start.pos:p.peek().pos])
			}
			items = append(items, item{expr: n, name: name})
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		break
	}
	var src source
	switch {
	case p.isKw("inline"):
		p.next()
		t := p.next()
		if t.kind != tkBracket && t.kind != tkStr && t.kind != tkQuoted {
			return errors.New("Syntax error: INLINE needs [data]")
		}
		src, err = parseInline(t.text)
		if err != nil {
			return err
		}
		src.desc = "INLINE"
	case p.isKw("from"):
		p.next()
		t := p.next()
		if t.kind != tkBracket && t.kind != tkStr && t.kind != tkQuoted && t.kind != tkIdent {
			return errors.New("Syntax error: FROM needs a file")
		}
		spec := ""
		if p.isOp("(") {
			start := p.next().pos
			lvl := 1
			for lvl > 0 {
				x := p.next()
				if x.kind == tkEOF {
					return errors.New("Syntax error: missing ) in file format")
				}
				if x.kind == tkOp && x.text == "(" {
					lvl++
				}
				if x.kind == tkOp && x.text == ")" {
					lvl--
				}
				if lvl == 0 {
					spec = body[start+1 : x.pos]
				}
			}
		}
		src, err = s.readFile(t.text, spec)
		if err != nil {
			return err
		}
	case p.isKw("autogenerate"):
		p.next()
		n, err := p.expr()
		if err != nil {
			return fmt.Errorf("Syntax error: %w", err)
		}
		f, err := compileRow(n, &rowScope{field: func(string) (rowFn, bool) { return nil, false }})
		if err != nil {
			return fmt.Errorf("Syntax error: %w", err)
		}
		v := f(0)
		if !v.IsNum() || v.Num < 0 {
			return errors.New("AUTOGENERATE needs a number of rows")
		}
		src = source{n: int(v.Num), desc: "AUTOGENERATE(" + formatNum(v.Num) + ")"}
	case p.isKw("resident"):
		p.next()
		t := p.next()
		var rt *rawTable
		for _, x := range s.tables {
			if strings.EqualFold(x.name, t.text) {
				rt = x
			}
		}
		if rt == nil {
			return fmt.Errorf("Table '%s' not found", t.text)
		}
		src = source{cols: rt.cols, rows: rt.rows, desc: rt.name}
	default:
		if p.peek().kind == tkEOF {
			return errors.New("Syntax error: missing/misplaced FROM (LOAD needs INLINE, FROM, AUTOGENERATE or RESIDENT)")
		}
		return fmt.Errorf("Syntax error: unexpected %q", p.peek().text)
	}
	var where *node
	if p.isKw("where") || p.isKw("while") {
		p.next()
		where, err = p.expr()
		if err != nil {
			return fmt.Errorf("Syntax error: %w", err)
		}
	}
	if p.peek().kind != tkEOF {
		return fmt.Errorf("Syntax error: unexpected %q", p.peek().text)
	}
	nrows := len(src.rows)
	if src.rows == nil {
		nrows = src.n
	}
	if nrows > maxLoadRows {
		return fmt.Errorf("Emulator limit: at most %d rows per LOAD (got %d)", maxLoadRows, nrows)
	}
	colIdx := map[string]int{}
	for i, c := range src.cols {
		colIdx[c] = i
	}
	scope := &rowScope{
		field: func(name string) (rowFn, bool) {
			i, ok := colIdx[name]
			if !ok {
				for c, j := range colIdx {
					if strings.EqualFold(c, name) {
						i, ok = j, true
						break
					}
				}
			}
			if !ok {
				return nil, false
			}
			rows := src.rows
			return func(r int32) Val {
				if i < len(rows[r]) {
					return rows[r][i]
				}
				return nullVal
			}, true
		},
		vr: func(name string) (Val, bool) {
			if v, ok := s.lookupVar(name); ok {
				return parseLoaded(v), true
			}
			return Val{}, false
		},
		rand: s.rnd.float,
	}
	var outCols []string
	var fns []rowFn
	for _, it := range items {
		if it.star {
			for _, c := range src.cols {
				f, _ := scope.field(c)
				outCols = append(outCols, c)
				fns = append(fns, f)
			}
			continue
		}
		f, err := compileRow(it.expr, scope)
		if err != nil {
			return err
		}
		outCols = append(outCols, it.name)
		fns = append(fns, f)
	}
	var wf rowFn
	if where != nil {
		wf, err = compileRow(where, scope)
		if err != nil {
			return err
		}
	}
	if label == "" {
		label = "Table" + strconv.Itoa(len(s.tables)+1)
	}
	seen := map[string]bool{}
	out := make([][]Val, 0, min(nrows, 1<<16))
	for r := 0; r < nrows; r++ {
		if r&4095 == 4095 {
			if s.ctx.Err() != nil {
				return ErrAborted
			}
			s.report(len(out), linesFetched(label, src.desc, len(out)), "")
		}
		if wf != nil && !truthy(wf(int32(r))) {
			continue
		}
		row := make([]Val, len(fns))
		for i, f := range fns {
			row[i] = f(int32(r))
		}
		if distinct {
			var kb strings.Builder
			for _, v := range row {
				kb.WriteString(v.key())
				kb.WriteByte(0)
			}
			if seen[kb.String()] {
				continue
			}
			seen[kb.String()] = true
		}
		out = append(out, row)
	}
	s.addRaw(label, outCols, out, noConcat, concatTo)
	s.report(len(out), "", linesFetched(label, src.desc, len(out))+"\n")
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

// parseInline reads INLINE data: a header line then comma separated rows;
// values may be quoted with " or '.
func parseInline(text string) (source, error) {
	var src source
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	header := true
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		vals, err := splitCSVLine(ln, ',')
		if err != nil {
			return src, err
		}
		if header {
			src.cols = vals
			header = false
			continue
		}
		row := make([]Val, len(src.cols))
		for i := range row {
			if i < len(vals) {
				row[i] = parseLoaded(vals[i])
			} else {
				row[i] = strVal("")
			}
		}
		src.rows = append(src.rows, row)
	}
	if header {
		return src, errors.New("INLINE table has no header")
	}
	if src.rows == nil {
		src.rows = [][]Val{}
	}
	return src, nil
}

// splitCSVLine splits one line at delim, honouring "…" and '…' quoting and
// trimming unquoted spaces.
func splitCSVLine(ln string, delim byte) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(ln) && (ln[i] == ' ' || ln[i] == '\t') && delim != '\t' {
			i++
		}
		if i < len(ln) && (ln[i] == '"' || ln[i] == '\'') {
			text, j, ok := readQuoted(ln, i)
			if !ok {
				return nil, fmt.Errorf("unterminated quote in %q", ln)
			}
			out = append(out, text)
			j++
			for j < len(ln) && ln[j] != delim {
				j++
			}
			if j >= len(ln) {
				return out, nil
			}
			i = j + 1
			continue
		}
		j := strings.IndexByte(ln[i:], delim)
		if j < 0 {
			out = append(out, strings.TrimSpace(ln[i:]))
			return out, nil
		}
		out = append(out, strings.TrimSpace(ln[i:i+j]))
		i += j + 1
	}
}

// readFile loads a CSV/text file from the library's data folder
// (lib://data/<file>); spec is the (txt, utf8, embedded labels, delimiter
// is ',') format list.
func (s *scriptRun) readFile(path, spec string) (source, error) {
	var src source
	lower := strings.ToLower(path)
	rel := ""
	for _, pre := range []string{"lib://data/", "lib://datafiles/"} {
		if strings.HasPrefix(lower, pre) {
			rel = path[len(pre):]
		}
	}
	if rel == "" {
		return src, fmt.Errorf("Cannot open file: '%s' (only lib://data/ is available)", path)
	}
	if s.dataDir == "" {
		return src, fmt.Errorf("Cannot open file: '%s' (no data folder)", path)
	}
	clean := filepath.Clean("/" + rel)
	f, err := os.Open(filepath.Join(s.dataDir, clean))
	if err != nil {
		return src, fmt.Errorf("Cannot open file: '%s'", path)
	}
	defer f.Close()
	delim := ','
	labels := true
	for _, part := range strings.Split(spec, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		switch {
		case strings.HasPrefix(p, "delimiter is"):
			d := strings.TrimSpace(strings.TrimSpace(part)[len("delimiter is"):])
			d = strings.Trim(d, "'\"")
			switch strings.ToLower(d) {
			case "\\t", "tab":
				delim = '\t'
			default:
				if d != "" {
					delim = rune(d[0])
				}
			}
		case p == "no labels":
			labels = false
		}
	}
	if strings.Contains(spec, "delimiter is ','") || strings.Contains(spec, "delimiter is \",\"") {
		delim = ','
	}
	r := csv.NewReader(f)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return src, fmt.Errorf("failed to read %s: %w", path, err)
		}
		if n == 0 && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
		}
		if n == 0 {
			if labels {
				src.cols = rec
				continue
			}
			for i := range rec {
				src.cols = append(src.cols, "@"+strconv.Itoa(i+1))
			}
		}
		row := make([]Val, len(src.cols))
		for i := range row {
			if i < len(rec) {
				row[i] = parseLoaded(rec[i])
			} else {
				row[i] = nullVal
			}
		}
		src.rows = append(src.rows, row)
		if n&4095 == 4095 && s.ctx.Err() != nil {
			return src, ErrAborted
		}
	}
	if src.rows == nil {
		src.rows = [][]Val{}
	}
	// Real engines name a file source by its base name, without extension.
	base := filepath.Base(filepath.ToSlash(rel))
	src.desc = strings.TrimSuffix(base, filepath.Ext(base))
	return src, nil
}
