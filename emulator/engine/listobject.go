package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// listDef is ListObjectDef.
type listDef struct {
	QStateName string `json:"qStateName"`
	QLibraryID string `json:"qLibraryId"`
	QDef       struct {
		QFieldDefs     []string       `json:"qFieldDefs"`
		QFieldLabels   []string       `json:"qFieldLabels"`
		QSortCriterias []sortCriteria `json:"qSortCriterias"`
		QReverseSort   bool           `json:"qReverseSort"`
	} `json:"qDef"`
	QAutoSortByState *struct {
		QDisplayNumberOfRows int `json:"qDisplayNumberOfRows"`
	} `json:"qAutoSortByState"`
	QFrequencyMode    string            `json:"qFrequencyMode"`
	QShowAlternatives bool              `json:"qShowAlternatives"`
	QInitialDataFetch []nxPage          `json:"qInitialDataFetch"`
	QExpressions      []json.RawMessage `json:"qExpressions"` // listobject_exprs.go
}

// listResult is a computed list object.
type listResult struct {
	fi       int
	rows     [][]Cell
	elems    []int32
	info     obj
	err      string
	exprs    [][]Val // qExpressions per element (listobject_exprs.go)
	exprInfo []any
}

// computeList lists a field's values with their states, filtered by the
// active search and sorted by the definition's criteria.
func (d *Doc) computeList(def *listDef, st *defState) *listResult {
	var dd dimDef
	dd.QDef.QFieldDefs = def.QDef.QFieldDefs
	fi, name := d.dimField(dd)
	lr := &listResult{fi: fi}
	if fi < 0 {
		lr.err = fmt.Sprintf("Field not found: %s", name)
		return lr
	}
	a := d.assoc()
	f := d.model.Fields[fi]
	var freq []int
	if def.QFrequencyMode != "" && def.QFrequencyMode != "N" && def.QFrequencyMode != "NX_FREQUENCY_NONE" {
		freq = make([]int, len(f.Values))
		for _, t := range f.Tables[:1] {
			col := d.model.Tables[t].col(fi)
			for _, r := range a.activeRows(t) {
				if e := col[r]; e >= 0 {
					freq[e]++
				}
			}
		}
	}
	for e := range f.Values {
		if st != nil && st.searching && !searchMatch(st.search, f.Values[e].Text()) {
			continue
		}
		lr.elems = append(lr.elems, int32(e))
	}
	crit := sortCriteria{}
	if len(def.QDef.QSortCriterias) > 0 {
		crit = def.QDef.QSortCriterias[0]
	}
	if def.QAutoSortByState != nil && def.QAutoSortByState.QDisplayNumberOfRows > 0 && crit.QSortByState == 0 {
		crit.QSortByState = 1
	}
	states := make([]string, len(f.Values))
	for _, e := range lr.elems {
		s := a.state(fi, e)
		if s == stAlternative && !def.QShowAlternatives {
			s = stExcluded
		}
		states[e] = s
	}
	sortInd := "N"
	if crit != (sortCriteria{}) {
		var exprVals []Val
		if crit.QSortByExpression != 0 && crit.QExpression.QV != "" {
			// Evaluated per value with the value as the only selection.
			exprVals = make([]Val, len(f.Values))
			if fn, err := d.compile(crit.QExpression.QV, d.scope()); err == nil {
				ctx := d.elemCtx(a, fi, lr.elems)
				for i, k := range ctx.keys {
					exprVals[k[0]] = fn(cubeGroup{ctx, i})
				}
			}
		}
		sort.SliceStable(lr.elems, func(i, j int) bool {
			x, y := lr.elems[i], lr.elems[j]
			if crit.QSortByState != 0 {
				if r := stateRank(states[x]) - stateRank(states[y]); r != 0 {
					return r*sign(crit.QSortByState) < 0
				}
			}
			if exprVals != nil {
				if r := cmpNum(exprVals[x], exprVals[y]); r != 0 {
					return r*sign(crit.QSortByExpression) < 0
				}
			}
			if crit.QSortByFrequency != 0 && freq != nil {
				if r := freq[x] - freq[y]; r != 0 {
					return r*sign(crit.QSortByFrequency) < 0
				}
			}
			if crit.QSortByNumeric != 0 {
				if r := cmpNum(f.Values[x], f.Values[y]); r != 0 {
					return r*sign(crit.QSortByNumeric) < 0
				}
			}
			if crit.QSortByAscii != 0 {
				if r := cmpText(f.Values[x], f.Values[y]); r != 0 {
					return r*sign(crit.QSortByAscii) < 0
				}
			}
			if crit.QSortByLoadOrder < 0 {
				return x > y
			}
			return x < y
		})
		switch {
		case crit.QSortByNumeric > 0 || crit.QSortByAscii > 0:
			sortInd = "A"
		case crit.QSortByNumeric < 0 || crit.QSortByAscii < 0:
			sortInd = "D"
		}
	}
	if def.QDef.QReverseSort {
		for i, j := 0, len(lr.elems)-1; i < j; i, j = i+1, j-1 {
			lr.elems[i], lr.elems[j] = lr.elems[j], lr.elems[i]
		}
	}
	total := 0
	for _, c := range freq {
		total += c
	}
	maxFreq := 0
	for _, c := range freq {
		maxFreq = max(maxFreq, c)
	}
	mn, mx := math.Inf(1), math.Inf(-1)
	glyph := 0
	lr.rows = make([][]Cell, len(lr.elems))
	cells := make([]Cell, len(lr.elems))
	for i, e := range lr.elems {
		v := f.Values[e]
		c := Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: int(e), QState: states[e]}
		if freq != nil {
			switch def.QFrequencyMode {
			case "P", "NX_FREQUENCY_PERCENT":
				if total > 0 {
					c.QFrequency = formatNum(math.Round(float64(freq[e])/float64(total)*10000)/100) + "%"
				} else {
					c.QFrequency = "0%"
				}
			case "R", "NX_FREQUENCY_RELATIVE":
				if maxFreq > 0 {
					c.QFrequency = formatNum(math.Round(float64(freq[e])/float64(maxFreq)*100) / 100)
				} else {
					c.QFrequency = "0"
				}
			default:
				c.QFrequency = formatNum(float64(freq[e]))
			}
		}
		cells[i] = c
		lr.rows[i] = cells[i : i+1 : i+1]
		if v.IsNum() {
			mn, mx = math.Min(mn, v.Num), math.Max(mx, v.Num)
		}
		glyph = max(glyph, utf8.RuneCountInString(c.QText))
	}
	lr.info = d.dimInfo(fi, def.QDef.QFieldLabels, def.QDef.QFieldDefs[0], glyph, sortInd, len(lr.elems), mn, mx, a)
	lr.exprs, lr.exprInfo = d.listExpressions(listExprsOf(def.QExpressions), a, fi)
	return lr
}

func (lr *listResult) size() (int, int) { return len(lr.rows), 1 + len(lr.exprs) }

func (lr *listResult) cell(r, c int) Cell {
	if c > 0 {
		return lr.exprCell(r, c-1)
	}
	return lr.rows[r][c]
}

// searchMatch is the list object search: wildcards match the whole text,
// plain text matches anywhere (case-insensitive).
func searchMatch(search, text string) bool {
	s := strings.ToLower(strings.TrimSpace(search))
	t := strings.ToLower(text)
	if s == "" {
		return true
	}
	if strings.ContainsAny(s, "*?") {
		return globMatch(s, t)
	}
	return strings.Contains(t, s)
}

// layout is the qListObject layout with its initial data pages.
func (lr *listResult) layout(def *listDef) obj {
	l := obj{}
	if def.QStateName != "" && def.QStateName != "$" {
		l = append(l, member{"qStateName", def.QStateName})
	}
	if lr.err != "" {
		return append(l, member{"qSize", obj{{"qcx", 1}, {"qcy", 0}}},
			member{"qDimensionInfo", obj{{"qError", obj{{"qErrorCode", 7005}, {"qContext", lr.err}}}}},
			member{"qExpressions", []any{}}, member{"qDataPages", []any{}})
	}
	dp := []dataPage{}
	total := 0
	for _, p := range def.QInitialDataFetch {
		total += max(p.QWidth, 0) * max(p.QHeight, 0)
	}
	if total <= maxPageCells {
		dp, _ = pages(lr, def.QInitialDataFetch)
	}
	return append(l, member{"qSize", obj{{"qcx", 1 + len(lr.exprs)}, {"qcy", len(lr.rows)}}},
		member{"qDimensionInfo", lr.info}, member{"qExpressions", lr.exprInfo}, member{"qDataPages", dp})
}
