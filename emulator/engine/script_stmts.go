package engine

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// unsupportedStmts are real script statements the emulator does not run; a
// script using one fails its reload instead of silently loading less.
var unsupportedStmts = map[string]bool{
	"binary": true, "store": true, "connect": true, "lib": true, "disconnect": true, "sql": true,
	"select": true, "directory": true, "execute": true, "force": true, "loosen": true,
	"semantic": true, "star": true, "alias": true, "tag": true, "untag": true, "unmap": true,
	"map": true, "nullasvalue": true, "nullasnull": true, "search": true, "declare": true,
	"derive": true, "direct": true, "add": true, "replace": true, "buffer": true, "bundle": true,
	"image_size": true, "info": true, "crosstable": true, "generic": true, "hierarchy": true,
	"hierarchybelongsto": true, "intervalmatch": true, "sample": true,
}

// statement runs the non-LOAD statements; done is false when body is a LOAD
// (possibly with prefixes) for load to run.
func (s *scriptRun) statement(kw, body string) (bool, error) {
	switch kw {
	case "set", "let":
		return true, s.setLet(kw, body)
	case "trace":
		s.report(0, "", strings.TrimSpace(body[len(kw):])+"\n")
		return true, nil
	case "sleep":
		v, err := s.evalExpr(body[len(kw):])
		if err != nil {
			return true, err
		}
		if err := sleepCtx(s.ctx, time.Duration(min(argNum([]Val{v}, 0, 0), 10_000))*time.Millisecond); err != nil {
			return true, ErrAborted
		}
		return true, nil
	case "section":
		if strings.EqualFold(strings.TrimSpace(body[len(kw):]), "application") {
			return true, nil
		}
		return true, errors.New("SECTION ACCESS is not supported by the emulator")
	case "drop":
		return true, s.drop(body)
	case "rename":
		return true, s.rename(body)
	case "qualify", "unqualify":
		names, err := nameList(body[len(kw):])
		if err != nil {
			return true, err
		}
		if kw == "qualify" {
			s.qualify = append(s.qualify, names...)
		} else {
			s.unqual = append(s.unqual, names...)
		}
		return true, nil
	case "comment":
		return true, s.comment(body)
	}
	if isLoadPrefix(kw) || kw == "load" {
		return false, nil
	}
	if unsupportedStmts[kw] {
		return true, fmt.Errorf("%s is not supported by the emulator", strings.ToUpper(kw))
	}
	return true, fmt.Errorf("Unknown statement: %s", firstWord(body))
}

// isLoadPrefix reports whether kw may start a LOAD statement.
func isLoadPrefix(kw string) bool {
	switch kw {
	case "concatenate", "noconcatenate", "join", "left", "right", "inner", "outer", "keep", "mapping", "first":
		return true
	}
	return false
}

// nameList reads a comma-separated list of names ("*" and wildcards kept).
func nameList(text string) ([]string, error) {
	toks, err := tokenize(text)
	if err != nil {
		return nil, fmt.Errorf("Syntax error: %w", err)
	}
	var out []string
	for _, t := range toks {
		switch {
		case t.kind == tkEOF || t.kind == tkOp && t.text == ",":
		case t.kind == tkOp && t.text == "*":
			out = append(out, "*")
		case t.kind == tkOp:
			return nil, fmt.Errorf("Syntax error: unexpected %q", t.text)
		default:
			out = append(out, t.text)
		}
	}
	return out, nil
}

// drop runs DROP TABLE[S] t, … and DROP FIELD[S] f, … [FROM t, …].
func (s *scriptRun) drop(body string) error {
	rest := strings.TrimSpace(body[len("drop"):])
	what := strings.ToLower(firstWord(rest))
	rest = strings.TrimSpace(rest[len(what):])
	switch what {
	case "table", "tables":
		names, err := nameList(rest)
		if err != nil || len(names) == 0 {
			return errors.New("Syntax error: DROP TABLE needs table names")
		}
		for _, n := range names {
			i := s.tableIndex(n)
			if i < 0 {
				return fmt.Errorf("Table '%s' not found", n)
			}
			s.tables = append(s.tables[:i], s.tables[i+1:]...)
		}
		return nil
	case "field", "fields":
		var from []string
		if f := indexWord(rest, "from"); f >= 0 {
			var err error
			if from, err = nameList(rest[f+4:]); err != nil {
				return err
			}
			rest = rest[:f]
		}
		names, err := nameList(rest)
		if err != nil || len(names) == 0 {
			return errors.New("Syntax error: DROP FIELD needs field names")
		}
		for _, n := range names {
			found := false
			for _, t := range s.tables {
				if len(from) > 0 && !containsFold(from, t.name) {
					continue
				}
				if c := indexOf(t.cols, n); c >= 0 {
					t.dropCol(c)
					found = true
				}
			}
			if !found {
				return fmt.Errorf("Field '%s' not found", n)
			}
		}
		s.dropEmptyTables()
		return nil
	}
	return errors.New("Syntax error: DROP TABLE or DROP FIELD expected")
}

// dropCol removes column c from the table.
func (t *rawTable) dropCol(c int) {
	t.cols = append(t.cols[:c:c], t.cols[c+1:]...)
	for i, r := range t.rows {
		if c < len(r) {
			t.rows[i] = append(r[:c:c], r[c+1:]...)
		}
	}
}

// dropEmptyTables removes tables left without fields, as the engine does.
func (s *scriptRun) dropEmptyTables() {
	kept := s.tables[:0]
	for _, t := range s.tables {
		if len(t.cols) > 0 {
			kept = append(kept, t)
		}
	}
	s.tables = kept
}

// rename runs RENAME TABLE[S] a TO b, … and RENAME FIELD[S] a TO b, ….
func (s *scriptRun) rename(body string) error {
	rest := strings.TrimSpace(body[len("rename"):])
	what := strings.ToLower(firstWord(rest))
	rest = strings.TrimSpace(rest[len(what):])
	if what != "table" && what != "tables" && what != "field" && what != "fields" {
		return errors.New("Syntax error: RENAME TABLE or RENAME FIELD expected")
	}
	if strings.EqualFold(firstWord(rest), "using") {
		return errors.New("RENAME … USING is not supported by the emulator")
	}
	for _, pair := range splitTopLevel(rest, ',') {
		to := indexWord(pair, "to")
		if to < 0 {
			return errors.New("Syntax error: RENAME needs old TO new")
		}
		oldN, err1 := nameList(pair[:to])
		newN, err2 := nameList(pair[to+2:])
		if err1 != nil || err2 != nil || len(oldN) != 1 || len(newN) != 1 {
			return errors.New("Syntax error: RENAME needs old TO new")
		}
		if what[0] == 't' {
			i := s.tableIndex(oldN[0])
			if i < 0 {
				return fmt.Errorf("Table '%s' not found", oldN[0])
			}
			if j := s.tableIndex(newN[0]); j >= 0 && j != i {
				return fmt.Errorf("Table '%s' already exists", newN[0])
			}
			s.tables[i].name = newN[0]
			continue
		}
		found := false
		for _, t := range s.tables {
			if c := indexOf(t.cols, oldN[0]); c >= 0 {
				t.cols[c] = newN[0]
				found = true
			}
		}
		if !found {
			return fmt.Errorf("Field '%s' not found", oldN[0])
		}
		if c, ok := s.fieldCmt[oldN[0]]; ok {
			s.fieldCmt[newN[0]] = c
			delete(s.fieldCmt, oldN[0])
		}
	}
	return nil
}

// comment runs COMMENT [FIELD|TABLE] name WITH 'text'.
func (s *scriptRun) comment(body string) error {
	rest := strings.TrimSpace(body[len("comment"):])
	what := strings.ToLower(firstWord(rest))
	switch what {
	case "field", "fields", "table", "tables":
		rest = strings.TrimSpace(rest[len(what):])
	default:
		what = "field"
	}
	w := indexWord(rest, "with")
	if w < 0 {
		if strings.EqualFold(firstWord(rest), "using") {
			return errors.New("COMMENT … USING is not supported by the emulator")
		}
		return errors.New("Syntax error: COMMENT needs name WITH 'text'")
	}
	names, err := nameList(rest[:w])
	if err != nil || len(names) == 0 {
		return errors.New("Syntax error: COMMENT needs a name")
	}
	v, err := s.evalExpr(rest[w+4:])
	if err != nil {
		return err
	}
	text := textOrEmpty(v)
	for _, n := range names {
		if what[0] == 't' {
			i := s.tableIndex(n)
			if i < 0 {
				return fmt.Errorf("Table '%s' not found", n)
			}
			s.tables[i].comment = text
		} else {
			s.fieldCmt[n] = text
		}
	}
	return nil
}

// tableIndex finds a loaded table by name (case-insensitive), -1 if none.
func (s *scriptRun) tableIndex(name string) int {
	for i, t := range s.tables {
		if strings.EqualFold(t.name, name) {
			return i
		}
	}
	return -1
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// qualified reports whether QUALIFY applies to field name.
func (s *scriptRun) qualified(name string) bool {
	match := func(pats []string) bool {
		for _, p := range pats {
			if p == "*" || strings.EqualFold(p, name) || strings.ContainsAny(p, "*?") && globMatch(strings.ToLower(p), strings.ToLower(name)) {
				return true
			}
		}
		return false
	}
	return match(s.qualify) && !match(s.unqual)
}
