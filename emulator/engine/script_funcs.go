package engine

import (
	"fmt"
	"strings"
)

// scriptCall compiles the functions that read the script's own state:
// IterNo, RecNo, RowNo, Previous, Peek, Exists, ApplyMap, MapSubString,
// Lookup, the table and field counters and, in a grouping LOAD, the
// aggregations. lc is nil outside a LOAD (LET, IF, FOR, …).
func (s *scriptRun) scriptCall(sc *rowScope, lc *loadCtx) func(n *node) (rowFn, bool, error) {
	return func(n *node) (rowFn, bool, error) {
		args := func() ([]rowFn, error) {
			out := make([]rowFn, len(n.args))
			for i, a := range n.args {
				f, err := compileRow(a, sc)
				if err != nil {
					return nil, err
				}
				out[i] = f
			}
			return out, nil
		}
		// arg returns argument i's value at row r, null when absent.
		arg := func(fs []rowFn, i int, r int32) Val {
			if i < len(fs) {
				return fs[i](r)
			}
			return nullVal
		}
		if lc != nil && lc.grouping && scriptAggs[n.op] {
			return s.aggCall(n, sc, lc)
		}
		switch n.op {
		case "iterno", "recno", "rowno":
			if lc == nil {
				return func(int32) Val { return nullVal }, true, nil
			}
			switch n.op {
			case "iterno":
				return func(int32) Val { return numVal(float64(lc.iter)) }, true, nil
			case "recno":
				return func(r int32) Val { return numVal(float64(r + 1)) }, true, nil
			}
			return func(int32) Val { return numVal(float64(len(lc.out) + 1)) }, true, nil
		case "previous":
			if len(n.args) != 1 {
				return nil, true, fmt.Errorf("Previous() takes one argument")
			}
			if lc == nil {
				return func(int32) Val { return nullVal }, true, nil
			}
			f, err := compileRow(n.args[0], sc)
			if err != nil {
				return nil, true, err
			}
			return func(int32) Val {
				if lc.prev < 0 {
					return nullVal
				}
				return f(lc.prev)
			}, true, nil
		case "exists":
			if len(n.args) < 1 || len(n.args) > 2 {
				return nil, true, fmt.Errorf("Exists() takes one or two arguments")
			}
			name := n.args[0].name
			if n.args[0].kind == nLit {
				name = n.args[0].val.Text()
			}
			val, err := compileRow(n.args[len(n.args)-1], sc)
			if err != nil {
				return nil, true, err
			}
			return func(r int32) Val {
				v := val(r)
				return boolVal(!v.Null && s.existsIndex(lc, name)[v.key()])
			}, true, nil
		}
		if !scriptFuncs[n.op] {
			return nil, false, nil
		}
		fs, err := args()
		if err != nil {
			return nil, true, err
		}
		text := func(i int, r int32) string { return textOrEmpty(arg(fs, i, r)) }
		switch n.op {
		case "peek":
			return func(r int32) Val {
				row := -1
				if v := arg(fs, 1, r); v.IsNum() {
					row = int(v.Num)
				}
				return s.peek(lc, text(0, r), row, text(2, r))
			}, true, nil
		case "applymap":
			return func(r int32) Val {
				mp, ok := s.maps[strings.ToLower(text(0, r))]
				v := arg(fs, 1, r)
				if ok && !v.Null {
					if m, hit := mp[v.key()]; hit {
						return m
					}
				}
				if len(fs) > 2 {
					return arg(fs, 2, r)
				}
				return v
			}, true, nil
		case "mapsubstring":
			return func(r int32) Val {
				mp := s.maps[strings.ToLower(text(0, r))]
				return strVal(mapSubString(mp, text(1, r)))
			}, true, nil
		case "lookup":
			return func(r int32) Val {
				return s.lookup(text(0, r), text(1, r), arg(fs, 2, r), text(3, r))
			}, true, nil
		case "nooftables":
			return func(int32) Val { return numVal(float64(len(s.tables))) }, true, nil
		case "noofrows", "nooffields":
			return func(r int32) Val {
				i := s.tableIndex(text(0, r))
				if i < 0 {
					return nullVal
				}
				if n.op == "noofrows" {
					return numVal(float64(len(s.tables[i].rows)))
				}
				return numVal(float64(len(s.tables[i].cols)))
			}, true, nil
		case "tablename":
			return func(r int32) Val {
				i := int(argNum([]Val{arg(fs, 0, r)}, 0, -1))
				if i < 0 || i >= len(s.tables) {
					return nullVal
				}
				return strVal(s.tables[i].name)
			}, true, nil
		case "fieldname":
			return func(r int32) Val {
				i := s.tableIndex(text(1, r))
				c := int(argNum([]Val{arg(fs, 0, r)}, 0, 0)) - 1
				if i < 0 || c < 0 || c >= len(s.tables[i].cols) {
					return nullVal
				}
				return strVal(s.tables[i].cols[c])
			}, true, nil
		case "fieldvaluecount", "fieldvalue":
			return func(r int32) Val {
				vals := s.fieldValues(text(0, r))
				if n.op == "fieldvaluecount" {
					return numVal(float64(len(vals)))
				}
				i := int(argNum([]Val{arg(fs, 1, r)}, 0, 0)) - 1
				if i < 0 || i >= len(vals) {
					return nullVal
				}
				return vals[i]
			}, true, nil
		}
		return nil, false, nil
	}
}

// scriptFuncs are the functions of scriptCall that take plain arguments.
var scriptFuncs = map[string]bool{"peek": true, "applymap": true, "mapsubstring": true, "lookup": true,
	"nooftables": true, "noofrows": true, "nooffields": true, "tablename": true, "fieldname": true,
	"fieldvaluecount": true, "fieldvalue": true}

// aggCall compiles an aggregation of a grouping LOAD: its argument runs
// over the rows of the current group.
func (s *scriptRun) aggCall(n *node, sc *rowScope, lc *loadCtx) (rowFn, bool, error) {
	if n.star || len(n.args) == 0 {
		if n.op != "count" {
			return nil, true, fmt.Errorf("%s() needs an argument", n.name)
		}
		return func(int32) Val { return numVal(float64(len(lc.group))) }, true, nil
	}
	inner, err := compileRow(n.args[0], sc)
	if err != nil {
		return nil, true, err
	}
	var sep rowFn
	if n.op == "concat" && len(n.args) > 1 {
		if sep, err = compileRow(n.args[1], sc); err != nil {
			return nil, true, err
		}
	}
	op, distinct := n.op, n.distinct
	return func(r int32) Val {
		vals := make([]Val, len(lc.group))
		for i, g := range lc.group {
			vals[i] = inner(g)
		}
		sp := ""
		if sep != nil {
			sp = textOrEmpty(sep(r))
		}
		return aggregate(op, vals, distinct, sp)
	}, true, nil
}

// peek is Peek(field, row, table): row counts from 0, negative rows from
// the end; without a table the LOAD's own output (or the last table).
func (s *scriptRun) peek(lc *loadCtx, field string, row int, table string) Val {
	var cols []string
	var rows [][]Val
	switch {
	case table == "" && lc != nil && indexOf(lc.cols, field) >= 0:
		cols, rows = lc.cols, lc.out
	case table == "" && lc == nil && len(s.tables) > 0:
		t := s.tables[len(s.tables)-1]
		cols, rows = t.cols, t.rows
	case table != "":
		i := s.tableIndex(table)
		if i < 0 {
			return nullVal
		}
		cols, rows = s.tables[i].cols, s.tables[i].rows
	}
	c := indexOf(cols, field)
	if c < 0 {
		return nullVal
	}
	if row < 0 {
		row += len(rows)
	}
	if row < 0 || row >= len(rows) {
		return nullVal
	}
	return cellAt(rows[row], c)
}

// existsIndex is the set of values field has in the data loaded so far
// (kept up to date with the running LOAD's output).
func (s *scriptRun) existsIndex(lc *loadCtx, field string) map[string]bool {
	if lc != nil {
		if idx, ok := lc.exists[field]; ok {
			return idx
		}
	}
	idx := map[string]bool{}
	for _, v := range s.fieldValues(field) {
		idx[v.key()] = true
	}
	if lc != nil {
		if c := indexOf(lc.cols, field); c >= 0 {
			for _, r := range lc.out {
				if !r[c].Null {
					idx[r[c].key()] = true
				}
			}
		}
		if lc.exists == nil {
			lc.exists = map[string]map[string]bool{}
		}
		lc.exists[field] = idx
	}
	return idx
}

// fieldValues lists the distinct values of a field over the loaded tables.
func (s *scriptRun) fieldValues(field string) []Val {
	seen := map[string]bool{}
	var out []Val
	for _, t := range s.tables {
		c := indexOf(t.cols, field)
		if c < 0 {
			continue
		}
		for _, r := range t.rows {
			v := cellAt(r, c)
			if !v.Null && !seen[v.key()] {
				seen[v.key()] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// lookup is Lookup(field, matchField, matchValue[, table]): field's value
// on the first row whose matchField equals matchValue.
func (s *scriptRun) lookup(field, match string, val Val, table string) Val {
	for _, t := range s.tables {
		if table != "" && !strings.EqualFold(t.name, table) {
			continue
		}
		f, m := indexOf(t.cols, field), indexOf(t.cols, match)
		if f < 0 || m < 0 {
			continue
		}
		for _, r := range t.rows {
			if v := cellAt(r, m); !v.Null && v.key() == val.key() {
				return cellAt(r, f)
			}
		}
		return nullVal
	}
	return nullVal
}

// mapSubString replaces every occurrence of the map's keys in text, longest
// keys first, without replacing inside replaced text.
func mapSubString(mp map[string]Val, text string) string {
	if len(mp) == 0 {
		return text
	}
	keys := make([]string, 0, len(mp))
	for k := range mp {
		if k != "" {
			keys = append(keys, k)
		}
	}
	sortByLenDesc(keys)
	var b strings.Builder
	for i := 0; i < len(text); {
		hit := false
		for _, k := range keys {
			if strings.HasPrefix(text[i:], k) {
				b.WriteString(textOrEmpty(mp[k]))
				i += len(k)
				hit = true
				break
			}
		}
		if !hit {
			b.WriteByte(text[i])
			i++
		}
	}
	return b.String()
}

func sortByLenDesc(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && (len(xs[j]) > len(xs[j-1]) || len(xs[j]) == len(xs[j-1]) && xs[j] < xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}
