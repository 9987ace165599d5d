package engine

import (
	"errors"
	"fmt"
	"strings"
)

// joinKeep runs [LEFT|RIGHT|INNER|OUTER] JOIN and LEFT|RIGHT|INNER KEEP:
// the new rows meet the target table (the named one, else the last loaded)
// on the fields they share. JOIN merges them into the target; KEEP filters
// both and keeps the new rows as a table of their own.
func (s *scriptRun) joinKeep(ls *loadStmt, label string, cols []string, rows [][]Val) error {
	if len(s.tables) == 0 {
		return errors.New("JOIN/KEEP needs a table loaded before it")
	}
	ti := len(s.tables) - 1
	if ls.target != "" {
		if ti = s.tableIndex(ls.target); ti < 0 {
			return fmt.Errorf("Table '%s' not found", ls.target)
		}
	}
	t := s.tables[ti]
	var shared [][2]int // target column, new column
	for j, c := range cols {
		if i := indexOf(t.cols, c); i >= 0 {
			shared = append(shared, [2]int{i, j})
		}
	}
	key := func(r []Val, side int) string {
		var b strings.Builder
		for _, p := range shared {
			v := cellAt(r, p[side])
			if v.Null {
				return "\x01null"
			}
			b.WriteString(v.key())
			b.WriteByte(0)
		}
		return b.String()
	}
	byKey := map[string][]int{}
	for j, r := range rows {
		if k := key(r, 1); k != "\x01null" || len(shared) == 0 {
			byKey[k] = append(byKey[k], j)
		}
	}
	if ls.keep != "" {
		return s.keep(ls.keep, t, label, cols, rows, byKey, key)
	}
	var extra []int // new columns the target does not have
	for j, c := range cols {
		if indexOf(t.cols, c) < 0 {
			extra = append(extra, j)
		}
	}
	matchedNew := make([]bool, len(rows))
	var out [][]Val
	width := len(t.cols) + len(extra)
	for _, r := range t.rows {
		hits := byKey[key(r, 0)]
		for _, j := range hits {
			nr := make([]Val, 0, width)
			nr = append(nr, padRow(r, len(t.cols))...)
			for _, e := range extra {
				nr = append(nr, cellAt(rows[j], e))
			}
			out = append(out, nr)
			matchedNew[j] = true
		}
		if len(hits) == 0 && (ls.join == "left" || ls.join == "outer") {
			nr := padRow(r, width)
			out = append(out, nr)
		}
	}
	if ls.join == "right" || ls.join == "outer" {
		for j, r := range rows {
			if matchedNew[j] {
				continue
			}
			nr := make([]Val, width)
			for i := range t.cols {
				nr[i] = nullVal
			}
			for _, p := range shared {
				nr[p[0]] = cellAt(r, p[1])
			}
			for k, e := range extra {
				nr[len(t.cols)+k] = cellAt(r, e)
			}
			out = append(out, nr)
		}
	}
	for _, e := range extra {
		t.cols = append(t.cols, cols[e])
	}
	if out == nil {
		out = [][]Val{}
	}
	t.rows = out
	return nil
}

// keep filters the target and the new rows to those that meet.
func (s *scriptRun) keep(kind string, t *rawTable, label string, cols []string, rows [][]Val, byKey map[string][]int, key func([]Val, int) string) error {
	hasNew := map[string]bool{}
	for k := range byKey {
		hasNew[k] = true
	}
	hasOld := map[string]bool{}
	for _, r := range t.rows {
		hasOld[key(r, 0)] = true
	}
	if kind == "inner" || kind == "right" {
		kept := t.rows[:0:0]
		for _, r := range t.rows {
			if hasNew[key(r, 0)] {
				kept = append(kept, r)
			}
		}
		t.rows = kept
	}
	if kind == "inner" || kind == "left" {
		kept := rows[:0:0]
		for _, r := range rows {
			if hasOld[key(r, 1)] {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if label == "" {
		label = fmt.Sprintf("Table%d", len(s.tables)+1)
	}
	s.addRaw(label, cols, rows, true, "")
	return nil
}

// padRow returns r widened to n cells with nulls.
func padRow(r []Val, n int) []Val {
	out := make([]Val, n)
	for i := range out {
		out[i] = cellAt(r, i)
	}
	return out
}
