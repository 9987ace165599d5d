package engine

import (
	"fmt"
	"sort"
	"strings"
)

// loadCtx is what the script functions of a running LOAD see: the output
// so far (Peek, RowNo), the iteration (IterNo), the last kept input record
// (Previous) and, when grouping, the rows of the current group.
type loadCtx struct {
	cols     []string
	out      [][]Val
	iter     int
	prev     int32
	grouping bool
	group    []int32
	exists   map[string]map[string]bool
}

// evalLoad runs one LOAD's field list over its source.
func (s *scriptRun) evalLoad(ls *loadStmt, src source) ([]string, [][]Val, error) {
	nrows := len(src.rows)
	if src.rows == nil {
		nrows = src.n
	}
	if nrows > maxLoadRows {
		return nil, nil, fmt.Errorf("Emulator limit: at most %d rows per LOAD (got %d)", maxLoadRows, nrows)
	}
	colIdx := map[string]int{}
	for i, c := range src.cols {
		colIdx[c] = i
	}
	lc := &loadCtx{prev: -1}
	sc := &rowScope{
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
		vr:   s.varVal,
		rand: s.rnd.float,
	}
	sc.call = s.scriptCall(sc, lc)
	for _, it := range ls.items {
		if !it.star && hasAgg(it.expr) {
			lc.grouping = true
		}
	}
	lc.grouping = lc.grouping || len(ls.groupBy) > 0
	var fns []rowFn
	for _, it := range ls.items {
		if it.star {
			for _, c := range src.cols {
				f, _ := sc.field(c)
				lc.cols = append(lc.cols, c)
				fns = append(fns, f)
			}
			continue
		}
		f, err := compileRow(it.expr, sc)
		if err != nil {
			return nil, nil, err
		}
		lc.cols = append(lc.cols, it.name)
		fns = append(fns, f)
	}
	compile := func(n *node) (rowFn, error) {
		if n == nil {
			return nil, nil
		}
		return compileRow(n, sc)
	}
	wf, err := compile(ls.where)
	if err != nil {
		return nil, nil, err
	}
	whf, err := compile(ls.while)
	if err != nil {
		return nil, nil, err
	}
	var seen map[string]bool
	if ls.distinct {
		seen = map[string]bool{}
	}
	emit := func(row []Val) {
		if seen != nil {
			var kb strings.Builder
			for _, v := range row {
				kb.WriteString(v.key())
				kb.WriteByte(0)
			}
			if seen[kb.String()] {
				return
			}
			seen[kb.String()] = true
		}
		lc.out = append(lc.out, row)
		for name, idx := range lc.exists {
			if c := indexOf(lc.cols, name); c >= 0 && !row[c].Null {
				idx[row[c].key()] = true
			}
		}
	}
	evalRow := func(r int32) []Val {
		row := make([]Val, len(fns))
		for i, f := range fns {
			row[i] = f(r)
		}
		return row
	}
	label := orDefault(ls.label, "Table"+fmt.Sprint(len(s.tables)+1))
	var kept []int32
	for r := 0; r < nrows; r++ {
		if ls.first >= 0 && len(lc.out) >= ls.first {
			break
		}
		if r&4095 == 4095 {
			if s.ctx.Err() != nil {
				return nil, nil, ErrAborted
			}
			s.report(len(lc.out), linesFetched(label, src.desc, len(lc.out)), "")
		}
		for lc.iter = 1; ; lc.iter++ {
			if whf != nil && !truthy(whf(int32(r))) {
				break
			}
			if wf == nil || truthy(wf(int32(r))) {
				if lc.grouping {
					kept = append(kept, int32(r))
				} else {
					emit(evalRow(int32(r)))
				}
				lc.prev = int32(r)
			}
			if whf == nil {
				break
			}
			if len(lc.out)+len(kept) > maxLoadRows {
				return nil, nil, fmt.Errorf("Emulator limit: at most %d rows per LOAD", maxLoadRows)
			}
			if lc.iter&4095 == 4095 && s.ctx.Err() != nil {
				return nil, nil, ErrAborted
			}
		}
	}
	if lc.grouping {
		groups, err := groupRows(kept, ls.groupBy, sc)
		if err != nil {
			return nil, nil, err
		}
		for _, g := range groups {
			lc.group = g
			emit(evalRow(g[0]))
		}
	}
	if lc.out == nil {
		lc.out = [][]Val{}
	}
	return lc.cols, lc.out, nil
}

// groupRows splits rows into GROUP BY groups, in order of first appearance.
func groupRows(rows []int32, by []*node, sc *rowScope) ([][]int32, error) {
	if len(by) == 0 {
		if len(rows) == 0 {
			return nil, nil
		}
		return [][]int32{rows}, nil
	}
	keys := make([]rowFn, len(by))
	for i, n := range by {
		f, err := compileRow(n, sc)
		if err != nil {
			return nil, err
		}
		keys[i] = f
	}
	idx := map[string]int{}
	var groups [][]int32
	var kb strings.Builder
	for _, r := range rows {
		kb.Reset()
		for _, k := range keys {
			v := k(r)
			if v.Null {
				kb.WriteByte(1)
			}
			kb.WriteString(v.key())
			kb.WriteByte(0)
		}
		g, ok := idx[kb.String()]
		if !ok {
			g = len(groups)
			idx[kb.String()] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
	}
	return groups, nil
}

// scriptAggs are the aggregation functions a grouping LOAD runs.
var scriptAggs = map[string]bool{"sum": true, "count": true, "avg": true, "min": true, "max": true,
	"only": true, "concat": true, "minstring": true, "maxstring": true, "firstvalue": true, "lastvalue": true,
	"median": true, "mode": true}

// hasAgg reports whether an expression aggregates.
func hasAgg(n *node) bool {
	if n.kind == nCall && scriptAggs[n.op] {
		return true
	}
	for _, a := range n.args {
		if hasAgg(a) {
			return true
		}
	}
	return false
}

// aggregate folds the values of one group.
func aggregate(op string, vals []Val, distinct bool, sep string) Val {
	if distinct {
		seen := map[string]bool{}
		kept := vals[:0:0]
		for _, v := range vals {
			if !v.Null && !seen[v.key()] {
				seen[v.key()] = true
				kept = append(kept, v)
			}
		}
		vals = kept
	}
	var nums []float64
	var texts []string
	var nonNull []Val
	for _, v := range vals {
		if v.Null {
			continue
		}
		nonNull = append(nonNull, v)
		if v.IsNum() {
			nums = append(nums, v.Num)
		}
		texts = append(texts, v.Text())
	}
	switch op {
	case "count":
		return numVal(float64(len(nonNull)))
	case "sum":
		t := 0.0
		for _, x := range nums {
			t += x
		}
		return numVal(t)
	case "avg", "min", "max", "median":
		if len(nums) == 0 {
			return nullVal
		}
		sort.Float64s(nums)
		switch op {
		case "min":
			return numVal(nums[0])
		case "max":
			return numVal(nums[len(nums)-1])
		case "median":
			if len(nums)%2 == 1 {
				return numVal(nums[len(nums)/2])
			}
			return numVal((nums[len(nums)/2-1] + nums[len(nums)/2]) / 2)
		}
		t := 0.0
		for _, x := range nums {
			t += x
		}
		return numVal(t / float64(len(nums)))
	case "only":
		if len(nonNull) == 0 {
			return nullVal
		}
		for _, v := range nonNull[1:] {
			if v.key() != nonNull[0].key() {
				return nullVal
			}
		}
		return nonNull[0]
	case "firstvalue", "lastvalue":
		if len(nonNull) == 0 {
			return nullVal
		}
		if op == "firstvalue" {
			return nonNull[0]
		}
		return nonNull[len(nonNull)-1]
	case "mode":
		counts := map[string]int{}
		best, bestN, tie := Val{}, 0, false
		for _, v := range nonNull {
			counts[v.key()]++
			switch n := counts[v.key()]; {
			case n > bestN:
				best, bestN, tie = v, n, false
			case n == bestN && v.key() != best.key():
				tie = true
			}
		}
		if bestN == 0 || tie {
			return nullVal
		}
		return best
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
	return strVal(strings.Join(texts, sep))
}

// sortRows is ORDER BY: a sorted copy of rows (numbers before text,
// numbers by value, text by text; nulls first).
func sortRows(cols []string, rows [][]Val, keys []orderKey) ([][]Val, error) {
	idx := make([]int, len(keys))
	for i, k := range keys {
		idx[i] = indexOf(cols, k.name)
		if idx[i] < 0 {
			return nil, fmt.Errorf("Field '%s' not found", k.name)
		}
	}
	out := append([][]Val(nil), rows...)
	sort.SliceStable(out, func(a, b int) bool {
		for i, c := range idx {
			x, y := cellAt(out[a], c), cellAt(out[b], c)
			d := compareVals(x, y)
			if keys[i].desc {
				d = -d
			}
			if d != 0 {
				return d < 0
			}
		}
		return false
	})
	return out, nil
}

func cellAt(r []Val, c int) Val {
	if c < len(r) {
		return r[c]
	}
	return nullVal
}

// compareVals orders two values for ORDER BY.
func compareVals(x, y Val) int {
	switch {
	case x.Null || y.Null:
		return boolInt(y.Null) - boolInt(x.Null)
	case x.IsNum() && y.IsNum():
		switch {
		case x.Num < y.Num:
			return -1
		case x.Num > y.Num:
			return 1
		}
		return 0
	case x.IsNum() != y.IsNum():
		if x.IsNum() {
			return -1
		}
		return 1
	}
	return strings.Compare(x.Text(), y.Text())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
