package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// source is the input of a LOAD: named columns and rows.
type source struct {
	cols []string
	rows [][]Val
	n    int // rows for AUTOGENERATE
	desc string
}

// loadItem is one entry of a LOAD's field list.
type loadItem struct {
	star bool
	expr *node
	name string
}

// orderKey is one ORDER BY field.
type orderKey struct {
	name string
	desc bool
}

// loadStmt is a parsed [prefixes] LOAD statement.
type loadStmt struct {
	st       statement
	label    string
	noConcat bool
	concatTo string // "\x00": the last table
	join     string // "", "join", "left", "right", "inner", "outer"
	keep     string // "", "left", "right", "inner"
	target   string // JOIN/KEEP (table)
	mapping  bool
	first    int // FIRST n, -1 for all
	distinct bool
	items    []loadItem
	srcKind  string // inline, from, autogenerate, resident, "" (preceding)
	srcTok   token
	spec     string
	autoN    *node
	where    *node
	while    *node
	groupBy  []*node
	orderBy  []orderKey
}

// pendingLoad is a preceding LOAD waiting for the LOAD below it.
type pendingLoad struct {
	st statement
	ls *loadStmt
}

// load runs one [prefixes] LOAD statement; a LOAD without a source waits
// as a preceding LOAD for the next one, which feeds it its rows.
func (s *scriptRun) load(label, body string, st statement) error {
	ls, err := parseLoad(label, body)
	if err != nil {
		return err
	}
	ls.st = st
	if ls.srcKind == "" {
		s.pending = append(s.pending, pendingLoad{st, ls})
		return nil
	}
	chain := []*loadStmt{ls}
	for i := len(s.pending) - 1; i >= 0; i-- {
		chain = append(chain, s.pending[i].ls)
	}
	s.pending = nil
	src, err := s.openSource(ls)
	if err != nil {
		return err
	}
	desc := src.desc
	var cols []string
	var rows [][]Val
	for i, l := range chain {
		if i > 0 {
			src = source{cols: cols, rows: rows, desc: desc}
		}
		if cols, rows, err = s.evalLoad(l, src); err != nil {
			return err
		}
	}
	top := chain[len(chain)-1]
	label = ""
	for i := len(chain) - 1; i >= 0 && label == ""; i-- {
		label = chain[i].label
	}
	return s.store(top, label, desc, cols, rows)
}

// parseLoad reads prefixes, field list, source and clauses.
func parseLoad(label, body string) (*loadStmt, error) {
	toks, err := tokenize(body)
	if err != nil {
		return nil, fmt.Errorf("Syntax error: %w", err)
	}
	p := &parser{toks: toks}
	ls := &loadStmt{label: label, first: -1}
	target := func() error {
		if !p.isOp("(") {
			return nil
		}
		p.next()
		ls.target = p.next().text
		if !p.isOp(")") {
			return errors.New("Syntax error: missing ) after table name")
		}
		p.next()
		return nil
	}
	for {
		switch {
		case p.isKw("noconcatenate"):
			p.next()
			ls.noConcat = true
			continue
		case p.isKw("concatenate"):
			p.next()
			ls.concatTo = "\x00"
			if err := target(); err != nil {
				return nil, err
			}
			if ls.target != "" {
				ls.concatTo, ls.target = ls.target, ""
			}
			continue
		case p.isKw("mapping"):
			p.next()
			ls.mapping = true
			continue
		case p.isKw("first"):
			p.next()
			n := p.next()
			v, err := strconv.ParseFloat(n.text, 64)
			if n.kind != tkNum || err != nil {
				return nil, errors.New("Syntax error: FIRST needs a number")
			}
			ls.first = int(v)
			continue
		case p.isKw("left") || p.isKw("right") || p.isKw("inner") || p.isKw("outer") || p.isKw("join") || p.isKw("keep"):
			kind := strings.ToLower(p.next().text)
			if kind != "join" && kind != "keep" {
				switch {
				case p.isKw("join"):
					p.next()
					ls.join = kind
				case p.isKw("keep") && kind != "outer":
					p.next()
					ls.keep = kind
				default:
					return nil, fmt.Errorf("Syntax error: JOIN or KEEP expected after %s", strings.ToUpper(kind))
				}
			} else if kind == "join" {
				ls.join = "outer"
			} else {
				return nil, errors.New("Syntax error: KEEP needs LEFT, RIGHT or INNER")
			}
			if err := target(); err != nil {
				return nil, err
			}
			continue
		}
		break
	}
	if p.isKw("sql") || p.isKw("select") {
		return nil, errors.New("Connector error: SQL SELECT is not supported by the emulator")
	}
	if !p.isKw("load") {
		return nil, fmt.Errorf("Unknown statement: %s", firstWord(body))
	}
	p.next()
	if p.isKw("distinct") {
		p.next()
		ls.distinct = true
	}
	isSourceKw := func() bool {
		return p.isKw("inline") || p.isKw("from") || p.isKw("autogenerate") || p.isKw("resident")
	}
	for {
		if p.isOp("*") {
			p.next()
			ls.items = append(ls.items, loadItem{star: true})
		} else {
			start := p.peek()
			if start.kind == tkEOF || isSourceKw() {
				return nil, errors.New("Syntax error: missing field list in LOAD")
			}
			n, err := p.expr()
			if err != nil {
				return nil, fmt.Errorf("Syntax error: %w", err)
			}
			name := ""
			if p.isKw("as") {
				p.next()
				t := p.next()
				if t.kind != tkIdent && t.kind != tkQuoted && t.kind != tkBracket && t.kind != tkStr {
					return nil, errors.New("Syntax error: missing name after AS")
				}
				name = t.text
			} else if n.kind == nField {
				name = n.name
			} else {
				name = strings.TrimSpace(body[start.pos:p.peek().pos])
			}
			ls.items = append(ls.items, loadItem{expr: n, name: name})
		}
		if p.isOp(",") {
			p.next()
			continue
		}
		break
	}
	switch {
	case p.isKw("inline"), p.isKw("resident"):
		ls.srcKind = strings.ToLower(p.next().text)
		ls.srcTok = p.next()
		if ls.srcTok.kind == tkEOF || ls.srcTok.kind == tkOp || ls.srcTok.kind == tkNum {
			return nil, fmt.Errorf("Syntax error: %s needs %s", strings.ToUpper(ls.srcKind), map[string]string{"inline": "[data]", "resident": "a table"}[ls.srcKind])
		}
	case p.isKw("from"):
		p.next()
		ls.srcKind = "from"
		ls.srcTok = p.next()
		if t := ls.srcTok; t.kind != tkBracket && t.kind != tkStr && t.kind != tkQuoted && t.kind != tkIdent {
			return nil, errors.New("Syntax error: FROM needs a file")
		}
		if p.isOp("(") {
			start := p.next().pos
			for lvl := 1; lvl > 0; {
				x := p.next()
				if x.kind == tkEOF {
					return nil, errors.New("Syntax error: missing ) in file format")
				}
				if x.kind == tkOp && x.text == "(" {
					lvl++
				}
				if x.kind == tkOp && x.text == ")" {
					if lvl--; lvl == 0 {
						ls.spec = body[start+1 : x.pos]
					}
				}
			}
		}
	case p.isKw("autogenerate"):
		p.next()
		ls.srcKind = "autogenerate"
		if ls.autoN, err = p.expr(); err != nil {
			return nil, fmt.Errorf("Syntax error: %w", err)
		}
	}
	if err := parseClauses(p, ls); err != nil {
		return nil, err
	}
	return ls, nil
}

// parseClauses reads WHERE, WHILE, GROUP BY and ORDER BY.
func parseClauses(p *parser, ls *loadStmt) error {
	for p.peek().kind != tkEOF {
		var err error
		switch {
		case p.isKw("where"):
			p.next()
			ls.where, err = p.expr()
		case p.isKw("while"):
			p.next()
			ls.while, err = p.expr()
		case p.isKw("group"):
			p.next()
			if !p.isKw("by") {
				return errors.New("Syntax error: BY expected after GROUP")
			}
			p.next()
			for {
				var n *node
				if n, err = p.expr(); err != nil {
					break
				}
				ls.groupBy = append(ls.groupBy, n)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
		case p.isKw("order"):
			p.next()
			if !p.isKw("by") {
				return errors.New("Syntax error: BY expected after ORDER")
			}
			p.next()
			for {
				t := p.next()
				if t.kind != tkIdent && t.kind != tkQuoted && t.kind != tkBracket {
					return errors.New("Syntax error: ORDER BY needs field names")
				}
				k := orderKey{name: t.text}
				if p.isKw("desc") || p.isKw("asc") {
					k.desc = strings.EqualFold(p.next().text, "desc")
				}
				ls.orderBy = append(ls.orderBy, k)
				if !p.isOp(",") {
					break
				}
				p.next()
			}
		default:
			if ls.srcKind == "" && p.peek().kind != tkEOF {
				return fmt.Errorf("Syntax error: unexpected %q", p.peek().text)
			}
			return fmt.Errorf("Syntax error: unexpected %q", p.peek().text)
		}
		if err != nil {
			return fmt.Errorf("Syntax error: %w", err)
		}
	}
	if len(ls.orderBy) > 0 && ls.srcKind != "resident" {
		return errors.New("Syntax error: ORDER BY is only allowed with RESIDENT")
	}
	return nil
}

// openSource reads a LOAD's INLINE, FROM, AUTOGENERATE or RESIDENT input.
func (s *scriptRun) openSource(ls *loadStmt) (source, error) {
	switch ls.srcKind {
	case "inline":
		src, err := parseInline(ls.srcTok.text)
		src.desc = "INLINE"
		return src, err
	case "from":
		return s.readFile(ls.srcTok.text, ls.spec)
	case "autogenerate":
		v, err := s.evalNode(ls.autoN)
		if err != nil {
			return source{}, err
		}
		if !v.IsNum() || v.Num < 0 {
			return source{}, errors.New("AUTOGENERATE needs a number of rows")
		}
		return source{n: int(v.Num), desc: "AUTOGENERATE(" + formatNum(v.Num) + ")"}, nil
	}
	i := s.tableIndex(ls.srcTok.text)
	if i < 0 {
		return source{}, fmt.Errorf("Table '%s' not found", ls.srcTok.text)
	}
	rt := s.tables[i]
	src := source{cols: rt.cols, rows: rt.rows, desc: rt.name}
	if len(ls.orderBy) > 0 {
		rows, err := sortRows(rt.cols, rt.rows, ls.orderBy)
		if err != nil {
			return src, err
		}
		src.rows = rows
	}
	return src, nil
}

// evalNode evaluates a parsed expression outside any LOAD.
func (s *scriptRun) evalNode(n *node) (Val, error) {
	sc := &rowScope{field: func(string) (rowFn, bool) { return nil, false }, vr: s.varVal, rand: s.rnd.float}
	sc.call = s.scriptCall(sc, nil)
	f, err := compileRow(n, sc)
	if err != nil {
		return Val{}, err
	}
	return f(0), nil
}

// store puts a LOAD's result where its prefixes say: a mapping table, a
// JOIN or KEEP with another table, or a (possibly concatenated) table.
func (s *scriptRun) store(ls *loadStmt, label, desc string, cols []string, rows [][]Val) error {
	defer s.report(len(rows), "", linesFetched(orDefault(label, "Table"+strconv.Itoa(len(s.tables)+1)), desc, len(rows))+"\n")
	if ls.mapping {
		if len(cols) < 2 {
			return errors.New("Mapping table must have two fields")
		}
		mp := map[string]Val{}
		for _, r := range rows {
			if _, dup := mp[r[0].key()]; !dup && !r[0].Null {
				mp[r[0].key()] = r[1]
			}
		}
		s.maps[strings.ToLower(label)] = mp
		return nil
	}
	if ls.join != "" || ls.keep != "" {
		return s.joinKeep(ls, label, cols, rows)
	}
	if label == "" {
		label = "Table" + strconv.Itoa(len(s.tables)+1)
	}
	if len(s.qualify) > 0 {
		cols = append([]string(nil), cols...)
		for i, c := range cols {
			if s.qualified(c) {
				cols[i] = label + "." + c
			}
		}
	}
	s.addRaw(label, cols, rows, ls.noConcat, ls.concatTo)
	return nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
