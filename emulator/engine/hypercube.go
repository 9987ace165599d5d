package engine

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// sortCriteria is NxSortCriteria.
type sortCriteria struct {
	QSortByState      int `json:"qSortByState"`
	QSortByFrequency  int `json:"qSortByFrequency"`
	QSortByNumeric    int `json:"qSortByNumeric"`
	QSortByAscii      int `json:"qSortByAscii"`
	QSortByLoadOrder  int `json:"qSortByLoadOrder"`
	QSortByExpression int `json:"qSortByExpression"`
	QExpression       struct {
		QV string `json:"qv"`
	} `json:"qExpression"`
}

// nxPage is NxPage.
type nxPage struct {
	QLeft   int `json:"qLeft"`
	QTop    int `json:"qTop"`
	QWidth  int `json:"qWidth"`
	QHeight int `json:"qHeight"`
}

// dimDef is NxDimension (inline definitions only).
type dimDef struct {
	QLibraryID string `json:"qLibraryId"`
	QDef       struct {
		QFieldDefs     []string       `json:"qFieldDefs"`
		QFieldLabels   []string       `json:"qFieldLabels"`
		QSortCriterias []sortCriteria `json:"qSortCriterias"`
		QReverseSort   bool           `json:"qReverseSort"`
	} `json:"qDef"`
	QNullSuppression bool `json:"qNullSuppression"`
}

// measDef is NxMeasure.
type measDef struct {
	QLibraryID string `json:"qLibraryId"`
	QDef       struct {
		QDef         string     `json:"qDef"`
		QLabel       string     `json:"qLabel"`
		QReverseSort bool       `json:"qReverseSort"`
		QNumFormat   *numFormat `json:"qNumFormat"`
	} `json:"qDef"`
	QSortBy sortCriteria `json:"qSortBy"`
}

// hcDef is HyperCubeDef (straight mode).
type hcDef struct {
	QStateName            string    `json:"qStateName"`
	QDimensions           []dimDef  `json:"qDimensions"`
	QMeasures             []measDef `json:"qMeasures"`
	QInterColumnSortOrder []int     `json:"qInterColumnSortOrder"`
	QSuppressZero         bool      `json:"qSuppressZero"`
	QSuppressMissing      bool      `json:"qSuppressMissing"`
	QInitialDataFetch     []nxPage  `json:"qInitialDataFetch"`
	QMode                 string    `json:"qMode"`
}

// Cell is NxCell as real engines write it in qMatrix.
type Cell struct {
	QText        string `json:"qText"`
	QNum         Float  `json:"qNum"`
	QElemNumber  int    `json:"qElemNumber"`
	QState       string `json:"qState"`
	QIsNull      bool   `json:"qIsNull,omitempty"`
	QIsTotalCell bool   `json:"qIsTotalCell,omitempty"`
	QFrequency   string `json:"qFrequency,omitempty"`
}

// dataPage is NxDataPage.
type dataPage struct {
	QMatrix [][]Cell `json:"qMatrix"`
	QTails  []obj    `json:"qTails"`
	QArea   nxPage   `json:"qArea"`
}

// cube is a computed straight hypercube: every row, sorted, as dimension
// elements and measure values; cells are made only for requested pages.
type cube struct {
	keys     [][]int32
	vals     []Val
	fmts     []*numFormat // explicit measure formats (nil = automatic)
	nd, nm   int
	dimF     []int
	dfd      []*FieldData
	m        *Model
	a        *assoc
	dimInfo  []obj
	measInfo []obj
	grand    []Cell
	effSort  []int
	errMsg   string
}

// numFormatFor is the auto number format of a column.
func numFormatFor(numeric, integer, date bool) obj {
	switch {
	case date:
		return obj{{"qType", "D"}, {"qnDec", 0}, {"qUseThou", 0}, {"qFmt", "YYYY-MM-DD"}, {"qDec", "."}, {"qThou", ","}}
	case numeric && integer:
		// No qThou for integers: both recorded real layouts omit it.
		return obj{{"qType", "I"}, {"qnDec", 0}, {"qUseThou", 1}, {"qFmt", "###0"}, {"qDec", "."}}
	case numeric:
		return obj{{"qType", "R"}, {"qnDec", 0}, {"qUseThou", 0}, {"qFmt", "##############"}, {"qDec", "."}, {"qThou", ","}}
	}
	return obj{{"qType", "U"}, {"qnDec", 0}, {"qUseThou", 0}}
}

// cubeGroup is the group of one hypercube row.
type cubeGroup struct {
	c *cubeCtx
	i int
}

func (g cubeGroup) rows(t int) []int32 { return g.c.groupRows(t, g.i) }

// cubeCtx holds the grouping of a hypercube computation.
type cubeCtx struct {
	d      *Doc
	a      *assoc
	dimF   []int
	calcs  []*calcDim // calculated dimensions (nil for field ones)
	base   int
	keys   [][]int32 // per cube row: dim elements
	keyBuf []int32
	index  map[string]int    // key → cube row (multi-dim)
	index1 []int32           // elem+1 → cube row (single dim)
	groups map[int][][]int32 // table → per cube row rows
}

func keyString(k []int32) string {
	b := make([]byte, 4*len(k))
	for i, e := range k {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(e))
	}
	return string(b)
}

func (c *cubeCtx) rowOf(k []int32) int {
	if len(k) == 1 {
		if e := int(k[0]) + 1; e >= 0 && e < len(c.index1) {
			return int(c.index1[e])
		}
		return -1
	}
	if i, ok := c.index[keyString(k)]; ok {
		return i
	}
	return -1
}

func (c *cubeCtx) addRow(k []int32) int {
	if len(k) == 1 {
		c.index1[k[0]+1] = int32(len(c.keys))
	} else {
		c.index[keyString(k)] = len(c.keys)
	}
	n := len(c.keyBuf)
	c.keyBuf = append(c.keyBuf, k...)
	c.keys = append(c.keys, c.keyBuf[n:n+len(k):n+len(k)])
	return len(c.keys) - 1
}

// groupRows returns the rows of table t that belong to cube row i,
// grouping t's active rows by their projected dimension values on first use.
func (c *cubeCtx) groupRows(t, i int) []int32 {
	if t < 0 {
		return nil
	}
	if len(c.dimF) == 0 {
		return c.a.activeRows(t)
	}
	g, ok := c.groups[t]
	if !ok {
		g = make([][]int32, len(c.keys))
		projs := make([][]int32, len(c.dimF))
		for j := range c.dimF {
			projs[j] = c.dimProj(j, t)
		}
		k := make([]int32, len(c.dimF))
		if len(c.dimF) == 1 {
			// Counting sort by element: two passes, one allocation.
			p := projs[0]
			counts := make([]int32, len(c.keys))
			act := c.a.activeRows(t)
			for _, r := range act {
				if ri := c.index1[p[r]+1]; ri >= 0 {
					counts[ri]++
				}
			}
			all := make([]int32, 0, len(act))
			off := make([]int32, len(c.keys))
			n := int32(0)
			for ri, cnt := range counts {
				off[ri] = n
				n += cnt
			}
			all = all[:n]
			pos := append([]int32(nil), off...)
			for _, r := range act {
				if ri := c.index1[p[r]+1]; ri >= 0 {
					all[pos[ri]] = r
					pos[ri]++
				}
			}
			for ri := range g {
				g[ri] = all[off[ri] : off[ri]+counts[ri] : off[ri]+counts[ri]]
			}
		} else {
			for _, r := range c.a.activeRows(t) {
				for j := range projs {
					k[j] = projs[j][r]
				}
				if ri := c.rowOf(k); ri >= 0 {
					g[ri] = append(g[ri], r)
				}
			}
		}
		if c.groups == nil {
			c.groups = map[int][][]int32{}
		}
		c.groups[t] = g
	}
	if i < 0 || i >= len(g) {
		return nil
	}
	return g[i]
}

// dimField resolves a dimension's field ("Field", "[Field]" or "=Field").
func (d *Doc) dimField(def dimDef) (int, string) {
	if len(def.QDef.QFieldDefs) == 0 {
		return -1, ""
	}
	name := strings.TrimSpace(def.QDef.QFieldDefs[0])
	name = strings.TrimPrefix(name, "=")
	name = strings.TrimSpace(name)
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		name = name[1 : len(name)-1]
	}
	fi := d.model.field(name)
	if fi < 0 {
		for i, f := range d.model.Fields {
			if strings.EqualFold(f.Name, name) {
				fi = i
			}
		}
	}
	return fi, def.QDef.QFieldDefs[0]
}

// computeCube builds every row of a straight hypercube under the current
// selections: groups of base-table rows per dimension combination, measures
// folded over each group, suppression, then sorting.
func (d *Doc) computeCube(def *hcDef) *cube {
	m := d.model
	a := d.assoc()
	cb := &cube{}
	d.resolveLibrary(def)
	nd, nm := len(def.QDimensions), len(def.QMeasures)
	dimF := make([]int, nd)
	dfd := make([]*FieldData, nd)
	calcs := make([]*calcDim, nd)
	for i, dd := range def.QDimensions {
		fi, name := d.dimField(dd)
		dimF[i] = fi
		if fi >= 0 {
			dfd[i] = m.Fields[fi]
			continue
		}
		if cd, err := d.calcDimension(name); err == nil {
			calcs[i], dfd[i] = cd, cd.fd
			continue
		}
		cb.errMsg = fmt.Sprintf("Field not found: %s", name)
	}
	sc := d.scope()
	meas := make([]aggFn, nm)
	measErr := make([]string, nm)
	for i, md := range def.QMeasures {
		f, err := d.compile(md.QDef.QDef, sc)
		if err != nil {
			measErr[i] = err.Error()
			f = func(group) Val { return nullVal }
		}
		meas[i] = f
	}
	ctx := &cubeCtx{d: d, a: a, dimF: dimF, calcs: calcs, base: -1, index: map[string]int{}}
	validDims := cb.errMsg == ""
	if nd > 0 && validDims {
		for _, t := range sc.tables {
			if t >= 0 {
				ctx.base = t
				break
			}
		}
		if nd == 1 {
			ctx.index1 = make([]int32, len(dfd[0].Values)+1)
			for i := range ctx.index1 {
				ctx.index1[i] = -1
			}
		}
		if ctx.base < 0 && (nd > 1 || calcs[0] != nil) {
			ctx.base = d.primaryTable()
			if calcs[0] != nil && nd == 1 {
				ctx.base = calcs[0].base
			}
		}
		if ctx.base >= 0 {
			projs := make([][]int32, nd)
			for j := range dimF {
				projs[j] = ctx.dimProj(j, ctx.base)
			}
			k := make([]int32, nd)
			if nd == 1 {
				seen := newBitset(len(dfd[0].Values) + 1)
				for _, r := range a.activeRows(ctx.base) {
					seen.set(projs[0][r] + 1)
				}
				seen.each(func(e int32) {
					k[0] = e - 1
					ctx.addRow(k)
				})
			} else {
				for _, r := range a.activeRows(ctx.base) {
					for j := range projs {
						k[j] = projs[j][r]
					}
					if ctx.rowOf(k) < 0 {
						ctx.addRow(k)
					}
				}
			}
		}
		if nd == 1 && dimF[0] >= 0 && (!def.QSuppressZero || nm == 0) {
			// Possible values without rows in the base table still show.
			fi := dimF[0]
			a.possible[fi].each(func(e int32) {
				if ctx.index1[e+1] < 0 {
					ctx.addRow([]int32{e})
				}
			})
			if ctx.base >= 0 {
				sortKeysByElem(ctx)
			}
		}
	}
	if nd == 0 {
		ctx.keys = [][]int32{{}}
	}
	// Null suppression.
	type crow struct {
		key  []int32
		vals []Val
		idx  int
	}
	rows := make([]crow, 0, len(ctx.keys))
	valBuf := make([]Val, len(ctx.keys)*nm)
	for i, k := range ctx.keys {
		skip := false
		for j, e := range k {
			if e < 0 && def.QDimensions[j].QNullSuppression {
				skip = true
			}
		}
		if skip {
			continue
		}
		vals := valBuf[i*nm : (i+1)*nm : (i+1)*nm]
		g := cubeGroup{ctx, i}
		for j, f := range meas {
			vals[j] = f(g)
		}
		if nm > 0 && (def.QSuppressZero || def.QSuppressMissing) {
			keep := false
			for _, v := range vals {
				if def.QSuppressZero && v.IsNum() && v.Num != 0 || !def.QSuppressZero && !v.Null {
					keep = true
				}
			}
			if !keep {
				continue
			}
		}
		rows = append(rows, crow{k, vals, i})
	}
	// Sorting.
	ncol := nd + nm
	eff := def.QInterColumnSortOrder
	if !validOrder(eff, ncol) {
		eff = make([]int, ncol)
		for i := range eff {
			eff[i] = i
		}
	}
	cb.effSort = eff
	sortInd := make([]string, ncol)
	type colCmp func(x, y int) int
	var cmps []colCmp
	for _, c := range eff {
		c := c
		if c < nd {
			fi := dimF[c]
			fd := dfd[c]
			if fd == nil {
				continue
			}
			dd := def.QDimensions[c]
			crit := sortCriteria{}
			if len(dd.QDef.QSortCriterias) > 0 {
				crit = dd.QDef.QSortCriterias[0]
			}
			sortInd[c] = "N"
			var exprVals []Val
			if crit.QSortByExpression != 0 && crit.QExpression.QV != "" {
				if f, err := d.compile(crit.QExpression.QV, d.scope()); err == nil {
					exprVals = make([]Val, len(ctx.keys))
					for _, r := range rows {
						exprVals[r.idx] = f(cubeGroup{ctx, r.idx})
					}
				}
			}
			elemOf := func(x int) int32 { return rows[x].key[c] }
			valOf := func(x int) Val {
				if e := elemOf(x); e >= 0 {
					return fd.Values[e]
				}
				return nullVal
			}
			cmp := func(x, y int) int {
				ex, ey := elemOf(x), elemOf(y)
				if crit.QSortByState != 0 {
					if r := stateRank(dimState(a, fi, ex)) - stateRank(dimState(a, fi, ey)); r != 0 {
						return r * sign(crit.QSortByState)
					}
				}
				if exprVals != nil {
					if r := cmpNum(exprVals[rows[x].idx], exprVals[rows[y].idx]); r != 0 {
						return r * sign(crit.QSortByExpression)
					}
				}
				if crit.QSortByNumeric != 0 {
					if r := cmpNum(valOf(x), valOf(y)); r != 0 {
						return r * sign(crit.QSortByNumeric)
					}
				}
				if crit.QSortByAscii != 0 {
					if r := cmpText(valOf(x), valOf(y)); r != 0 {
						return r * sign(crit.QSortByAscii)
					}
				}
				if crit.QSortByLoadOrder < 0 {
					return int(ey) - int(ex)
				}
				return int(ex) - int(ey)
			}
			switch {
			case crit.QSortByNumeric > 0 || crit.QSortByAscii > 0 || crit.QSortByExpression > 0:
				sortInd[c] = "A"
			case crit.QSortByNumeric < 0 || crit.QSortByAscii < 0 || crit.QSortByExpression < 0:
				sortInd[c] = "D"
			}
			rev := dd.QDef.QReverseSort
			if rev && sortInd[c] != "N" {
				sortInd[c] = map[string]string{"A": "D", "D": "A"}[sortInd[c]]
			}
			cmps = append(cmps, func(x, y int) int {
				if rev {
					return -cmp(x, y)
				}
				return cmp(x, y)
			})
		} else {
			mi := c - nd
			crit := def.QMeasures[mi].QSortBy
			rev := def.QMeasures[mi].QDef.QReverseSort
			sortInd[c] = "N"
			dir := 0
			if crit.QSortByNumeric != 0 {
				dir = sign(crit.QSortByNumeric)
			}
			if rev {
				dir = -dir
			}
			if dir == 0 && crit.QSortByAscii == 0 {
				// A measure has no frequency to sort by, but real engines
				// still show the requested direction (recorded layout:
				// qSortByFrequency 1 gives qSortIndicator "A").
				if f := sign(crit.QSortByFrequency); f != 0 {
					if rev {
						f = -f
					}
					sortInd[c] = map[int]string{1: "A", -1: "D"}[f]
				}
				continue
			}
			if dir > 0 {
				sortInd[c] = "A"
			} else if dir < 0 {
				sortInd[c] = "D"
			}
			asc := crit.QSortByAscii
			cmps = append(cmps, func(x, y int) int {
				if dir != 0 {
					if r := cmpNum(rows[x].vals[mi], rows[y].vals[mi]); r != 0 {
						return r * dir
					}
				}
				if asc != 0 {
					return cmpText(rows[x].vals[mi], rows[y].vals[mi]) * sign(asc)
				}
				return 0
			})
		}
	}
	if len(cmps) > 0 && len(rows) > 1 {
		perm := make([]int, len(rows))
		for i := range perm {
			perm[i] = i
		}
		sort.SliceStable(perm, func(i, j int) bool {
			for _, c := range cmps {
				if r := c(perm[i], perm[j]); r != 0 {
					return r < 0
				}
			}
			return false
		})
		sorted := make([]crow, len(rows))
		for i, p := range perm {
			sorted[i] = rows[p]
		}
		rows = sorted
	}
	// Rows in final order; cells are built lazily per requested page.
	cb.keys = make([][]int32, len(rows))
	cb.vals = make([]Val, 0, len(rows)*nm)
	cb.nd, cb.nm, cb.dimF, cb.dfd, cb.m, cb.a = nd, nm, dimF, dfd, m, a
	dimMin, dimMax := fill(nd, math.Inf(1)), fill(nd, math.Inf(-1))
	measMin, measMax := fill(nm, math.Inf(1)), fill(nm, math.Inf(-1))
	glyph := make([]int, ncol)
	measInt := make([]bool, nm)
	for i := range measInt {
		measInt[i] = true
	}
	hcCard := make([]int, nd)
	dimSeen := make([]bitset, nd)
	for j := range dimF {
		if dfd[j] != nil {
			dimSeen[j] = newBitset(len(dfd[j].Values))
			glyph[j] = dfd[j].maxLen
		}
	}
	for i, r := range rows {
		cb.keys[i] = r.key
		cb.vals = append(cb.vals, r.vals...)
		for j, e := range r.key {
			if e < 0 {
				continue
			}
			if x := dfd[j].nums[e]; x == x {
				dimMin[j] = math.Min(dimMin[j], x)
				dimMax[j] = math.Max(dimMax[j], x)
			}
			if !dimSeen[j].has(e) {
				dimSeen[j].set(e)
				hcCard[j]++
			}
		}
		for j, v := range r.vals {
			if v.IsNum() {
				measMin[j] = math.Min(measMin[j], v.Num)
				measMax[j] = math.Max(measMax[j], v.Num)
				if v.Num != math.Trunc(v.Num) {
					measInt[j] = false
				}
			} else if n := utf8.RuneCountInString(v.Text()); n > glyph[nd+j] {
				glyph[nd+j] = n
			}
		}
	}
	for j := 0; j < nm; j++ {
		if measMin[j] <= measMax[j] {
			glyph[nd+j] = max(glyph[nd+j], len(formatNum(measMin[j])), len(formatNum(measMax[j])))
		}
	}
	// Dimension and measure info.
	for j, dd := range def.QDimensions {
		if dfd[j] == nil {
			title := ""
			if len(dd.QDef.QFieldDefs) > 0 {
				title = dd.QDef.QFieldDefs[0]
			}
			cb.dimInfo = append(cb.dimInfo, obj{{"qFallbackTitle", title}, {"qApprMaxGlyphCount", 0}, {"qCardinal", 0},
				{"qSortIndicator", "N"}, {"qGroupFallbackTitles", []string{title}}, {"qGroupPos", 0},
				{"qStateCounts", StateCounts{}}, {"qTags", []string{}}, {"qError", obj{{"qErrorCode", 7005}}},
				{"qDimensionType", "D"}, {"qGrouping", "N"}, {"qNumFormat", numFormatFor(false, false, false)},
				{"qIsAutoFormat", true}, {"qGroupFieldDefs", []string{title}}, {"qMin", Float(math.NaN())}, {"qMax", Float(math.NaN())},
				{"qAttrExprInfo", []any{}}, {"qAttrDimInfo", []any{}}})
			continue
		}
		var counts StateCounts
		if dimF[j] >= 0 {
			counts = a.counts(dimF[j])
		} else {
			counts.QOption = len(dfd[j].Values)
		}
		cb.dimInfo = append(cb.dimInfo, dimInfoOf(dfd[j], counts, dd.QDef.QFieldLabels, dd.QDef.QFieldDefs[0], glyph[j], sortInd[j], hcCard[j], dimMin[j], dimMax[j]))
	}
	cb.fmts = make([]*numFormat, nm)
	for j, md := range def.QMeasures {
		if md.QDef.QNumFormat.explicit() {
			cb.fmts[j] = md.QDef.QNumFormat
		}
	}
	for j, md := range def.QMeasures {
		title := md.QDef.QLabel
		if title == "" {
			title = md.QDef.QDef
		}
		numeric := measMin[j] <= measMax[j]
		mn, mx := measMin[j], measMax[j]
		if !numeric {
			mn, mx = math.NaN(), math.NaN()
		}
		mi := obj{{"qFallbackTitle", title}, {"qApprMaxGlyphCount", glyph[nd+j]}, {"qCardinal", 0},
			{"qSortIndicator", orN(sortInd[nd+j])}, {"qNumFormat", numFormatFor(numeric, measInt[j], false)},
			{"qMin", Float(mn)}, {"qMax", Float(mx)}, {"qIsAutoFormat", cb.fmts[j] == nil}, {"qAttrExprInfo", []any{}},
			{"qAttrDimInfo", []any{}}, {"qTrendLines", []any{}}}
		if measErr[j] != "" {
			mi = append(obj{{"qError", obj{{"qErrorCode", 7005}, {"qContext", measErr[j]}}}}, mi...)
		}
		if f := cb.fmts[j]; f != nil {
			mi.set("qNumFormat", obj{{"qType", f.QType}, {"qnDec", f.QnDec}, {"qUseThou", f.QUseThou}, {"qFmt", f.QFmt}, {"qDec", f.QDec}, {"qThou", f.QThou}})
			if f.QFmt != "" {
				mi.set("qApprMaxGlyphCount", max(len(formatPattern(mn, f.QFmt, f.QDec, f.QThou)), len(formatPattern(mx, f.QFmt, f.QDec, f.QThou))))
			}
		}
		cb.measInfo = append(cb.measInfo, mi)
	}
	// Grand totals.
	all := allGroup{a}
	for j, f := range meas {
		c := cb.fmtCell(measureCell(f(all)), j)
		c.QElemNumber, c.QState, c.QIsTotalCell = -1, stExcluded, true
		cb.grand = append(cb.grand, c)
	}
	return cb
}

func orN(s string) string {
	if s == "" {
		return "N"
	}
	return s
}

// sortKeysByElem puts single-dimension rows in element (load) order.
func sortKeysByElem(c *cubeCtx) {
	sort.Slice(c.keys, func(i, j int) bool { return c.keys[i][0] < c.keys[j][0] })
	for i := range c.index1 {
		c.index1[i] = -1
	}
	for i, k := range c.keys {
		c.index1[k[0]+1] = int32(i)
	}
	c.groups = nil
}

// dimInfo is NxDimensionInfo for a field dimension or list object.
func (d *Doc) dimInfo(fi int, labels []string, def string, glyph int, sortInd string, hcCard int, mn, mx float64, a *assoc) obj {
	return dimInfoOf(d.model.Fields[fi], a.counts(fi), labels, def, glyph, sortInd, hcCard, mn, mx)
}

// dimInfoOf is NxDimensionInfo from a symbol table and its state counts.
func dimInfoOf(f *FieldData, counts StateCounts, labels []string, def string, glyph int, sortInd string, hcCard int, mn, mx float64) obj {
	title := f.Name
	if len(labels) > 0 && labels[0] != "" {
		title = labels[0]
	}
	if mn > mx {
		mn, mx = math.NaN(), math.NaN()
	}
	dimType := "D"
	switch {
	case f.isDate:
		dimType = "T"
	case f.numeric:
		dimType = "N"
	}
	if glyph == 0 {
		glyph = f.maxLen
	}
	info := obj{{"qFallbackTitle", title}, {"qApprMaxGlyphCount", glyph}, {"qCardinal", len(f.Values)},
		{"qSortIndicator", orN(sortInd)}, {"qGroupFallbackTitles", []string{title}}, {"qGroupPos", 0},
		{"qStateCounts", counts}, {"qTags", f.Tags()}, {"qDimensionType", dimType}, {"qGrouping", "N"},
		{"qNumFormat", numFormatFor(f.numeric, f.integer, f.isDate)}, {"qIsAutoFormat", true},
		{"qGroupFieldDefs", []string{def}}, {"qMin", Float(mn)}, {"qMax", Float(mx)}}
	if f.numeric {
		info = append(info, member{"qContinuousAxes", true})
	}
	info = append(info, member{"qAttrExprInfo", []any{}}, member{"qAttrDimInfo", []any{}},
		member{"qCardinalities", obj{{"qCardinal", len(f.Values)}, {"qHypercubeCardinal", hcCard}, {"qAllValuesCardinal", -1}}})
	return info
}

// measureCell is a measure value as a cell (qState "L", qElemNumber 0, as
// real engines write measure cells).
func measureCell(v Val) Cell {
	if v.Null {
		return Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: 0, QState: stLocked, QIsNull: true}
	}
	return Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: 0, QState: stLocked}
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func validOrder(o []int, n int) bool {
	if len(o) != n {
		return false
	}
	seen := make([]bool, n)
	for _, c := range o {
		if c < 0 || c >= n || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// stateRank orders states for qSortByState: selected first, excluded last.
func stateRank(s string) int {
	switch s {
	case stLocked, stSelected:
		return 0
	case stOption:
		return 1
	case stAlternative:
		return 2
	case stDeselected:
		return 3
	}
	return 4
}

// cmpNum compares numerically; values without a number sort last.
func cmpNum(a, b Val) int {
	an, bn := a.IsNum(), b.IsNum()
	switch {
	case an && bn:
		switch {
		case a.Num < b.Num:
			return -1
		case a.Num > b.Num:
			return 1
		}
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	return 0
}

// cmpText compares texts case-insensitively; nulls sort last.
func cmpText(a, b Val) int {
	if a.Null != b.Null {
		if a.Null {
			return 1
		}
		return -1
	}
	x, y := strings.ToLower(a.Text()), strings.ToLower(b.Text())
	if r := strings.Compare(x, y); r != 0 {
		return r
	}
	return strings.Compare(a.Text(), b.Text())
}

// matrix is a table of cells that pages are cut from.
type matrix interface {
	size() (rows, cols int)
	cell(r, c int) Cell
}

func (cb *cube) size() (int, int) { return len(cb.keys), cb.nd + cb.nm }

// cell builds one cell: dimension cells carry element and state, measure
// cells qState "L" and qElemNumber 0 as real engines write them.
func (cb *cube) cell(r, c int) Cell {
	if c < cb.nd {
		e := cb.keys[r][c]
		if e < 0 {
			return Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: -2, QState: stOption, QIsNull: true}
		}
		v := cb.dfd[c].Values[e]
		return Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: int(e), QState: dimState(cb.a, cb.dimF[c], e)}
	}
	return cb.fmtCell(measureCell(cb.vals[r*cb.nm+c-cb.nd]), c-cb.nd)
}

// fmtCell applies measure mi's explicit number format to a cell's text.
func (cb *cube) fmtCell(c Cell, mi int) Cell {
	if mi < len(cb.fmts) && cb.fmts[mi] != nil && !c.QIsNull && !math.IsNaN(float64(c.QNum)) {
		f := cb.fmts[mi]
		c.QText = formatPattern(float64(c.QNum), f.QFmt, f.QDec, f.QThou)
	}
	return c
}

// page cuts a page out of a matrix.
func page(mx matrix, p nxPage) dataPage {
	nrows, ncol := mx.size()
	top := min(max(p.QTop, 0), nrows)
	left := min(max(p.QLeft, 0), ncol)
	h := min(max(p.QHeight, 0), nrows-top)
	w := min(max(p.QWidth, 0), ncol-left)
	if w == 0 {
		h = 0
	}
	mat := make([][]Cell, h)
	buf := make([]Cell, h*w)
	for i := 0; i < h; i++ {
		row := buf[i*w : (i+1)*w : (i+1)*w]
		for j := 0; j < w; j++ {
			row[j] = mx.cell(top+i, left+j)
		}
		mat[i] = row
	}
	return dataPage{QMatrix: mat, QTails: []obj{{{"qUp", 0}, {"qDown", 0}}},
		QArea: nxPage{QLeft: left, QTop: top, QWidth: w, QHeight: h}}
}

// maxPageCells is the engine's limit on cells per data page request.
const maxPageCells = 10000

// pages cuts several pages, enforcing the per-request cell limit.
func pages(mx matrix, ps []nxPage) ([]dataPage, error) {
	total := 0
	for _, p := range ps {
		total += max(p.QWidth, 0) * max(p.QHeight, 0)
	}
	if total > maxPageCells {
		return nil, &Error{Code: 7009, Parameter: "", Message: "Calculation pages too large"}
	}
	out := []dataPage{}
	for _, p := range ps {
		out = append(out, page(mx, p))
	}
	return out, nil
}

// layout is the qHyperCube layout of a cube with its initial data pages.
func (cb *cube) layout(def *hcDef) obj {
	ncol := len(def.QDimensions) + len(def.QMeasures)
	dp := []dataPage{}
	total := 0
	for _, p := range def.QInitialDataFetch {
		total += max(p.QWidth, 0) * max(p.QHeight, 0)
	}
	if total <= maxPageCells {
		dp, _ = pages(cb, def.QInitialDataFetch)
	}
	l := obj{}
	if cb.errMsg != "" {
		l = append(l, member{"qError", obj{{"qErrorCode", 7005}, {"qContext", cb.errMsg}}})
	}
	dimInfo := cb.dimInfo
	if dimInfo == nil {
		dimInfo = []obj{}
	}
	measInfo := cb.measInfo
	if measInfo == nil {
		measInfo = []obj{}
	}
	grand := cb.grand
	if grand == nil {
		grand = []Cell{}
	}
	mode := def.QMode
	if mode == "" {
		mode = "S"
	}
	if def.QStateName != "" && def.QStateName != "$" {
		l = append(l, member{"qStateName", def.QStateName})
	}
	l = append(l,
		member{"qSize", obj{{"qcx", ncol}, {"qcy", len(cb.keys)}}},
		member{"qDimensionInfo", dimInfo},
		member{"qMeasureInfo", measInfo},
		member{"qEffectiveInterColumnSortOrder", cb.effSort},
		member{"qGrandTotalRow", grand},
		member{"qDataPages", dp},
		member{"qPivotDataPages", []any{}},
		member{"qStackedDataPages", []any{}},
		member{"qMode", mode},
		member{"qNoOfLeftDims", -1},
		member{"qTreeNodesOnDim", []any{}},
		member{"qColumnOrder", []any{}},
	)
	return l
}

// dimState is the qState of a dimension value; calculated dimensions have
// no selections, so their values are always possible.
func dimState(a *assoc, fi int, e int32) string {
	if fi < 0 {
		return stOption
	}
	return a.state(fi, e)
}

// dimProj maps the rows of table t to the elements of dimension j.
func (c *cubeCtx) dimProj(j, t int) []int32 {
	if cd := c.calcs; cd != nil && cd[j] != nil {
		return cd[j].proj(c.d.model, t)
	}
	return c.d.model.proj(t, c.dimF[j])
}

// calcDim is a calculated dimension ("=Year(OrderDate)"): its expression
// evaluated once per row of its base table into a synthetic symbol table.
type calcDim struct {
	fd    *FieldData
	base  int
	elems []int32
}

// proj maps the rows of table t to the calculated dimension's elements.
func (cd *calcDim) proj(m *Model, t int) []int32 {
	if t == cd.base {
		return cd.elems
	}
	rm := m.rowMap(t, cd.base)
	out := make([]int32, len(rm))
	for i, r := range rm {
		out[i] = -1
		if r >= 0 {
			out[i] = cd.elems[r]
		}
	}
	return out
}

// calcDimension builds (and caches on the model) a calculated dimension.
// Its base table is the largest table of the fields it uses.
func (d *Doc) calcDimension(expr string) (*calcDim, error) {
	src := strings.TrimSpace(d.expand(expr))
	if !strings.HasPrefix(src, "=") {
		return nil, fmt.Errorf("not a calculated dimension: %s", expr)
	}
	m := d.model
	m.mu.Lock()
	cd, ok := m.calcs[src]
	m.mu.Unlock()
	if ok {
		return cd, nil
	}
	n, err := parseExpr(src)
	if err != nil {
		return nil, err
	}
	t := baseTable(m, fieldsIn(m, n, nil))
	if t < 0 {
		return nil, fmt.Errorf("calculated dimension uses no field: %s", expr)
	}
	f, err := compileRow(n, rowScopeFor(m, t, d.scope().vr))
	if err != nil {
		return nil, err
	}
	cd = &calcDim{fd: &FieldData{Name: strings.TrimPrefix(expr, "="), index: map[string]int32{}}, base: t, elems: make([]int32, m.Tables[t].Rows)}
	for r := range cd.elems {
		cd.elems[r] = cd.fd.intern(f(int32(r)))
	}
	m.mu.Lock()
	if m.calcs == nil {
		m.calcs = map[string]*calcDim{}
	}
	m.calcs[src] = cd
	m.mu.Unlock()
	return cd, nil
}

// usesLibrary tells whether a dimension or measure refers to a master item.
func (def *hcDef) usesLibrary() bool {
	for _, dd := range def.QDimensions {
		if dd.QLibraryID != "" {
			return true
		}
	}
	for _, md := range def.QMeasures {
		if md.QLibraryID != "" {
			return true
		}
	}
	return false
}

// resolveLibrary replaces master-item references (qLibraryId) in a
// hypercube definition by the dimension's fields and the measure's
// expression stored in the GenericDimension/GenericMeasure.
func (d *Doc) resolveLibrary(def *hcDef) {
	for i := range def.QDimensions {
		dd := &def.QDimensions[i]
		if dd.QLibraryID == "" {
			continue
		}
		od := d.lookupObj(dd.QLibraryID)
		if od == nil || od.kind != "GenericDimension" {
			continue
		}
		var master struct {
			QDim struct {
				QFieldDefs   []string `json:"qFieldDefs"`
				QFieldLabels []string `json:"qFieldLabels"`
			} `json:"qDim"`
		}
		if decodeInto(od.props, &master) == nil && len(master.QDim.QFieldDefs) > 0 {
			dd.QDef.QFieldDefs = master.QDim.QFieldDefs
			if len(dd.QDef.QFieldLabels) == 0 {
				dd.QDef.QFieldLabels = master.QDim.QFieldLabels
			}
		}
	}
	for i := range def.QMeasures {
		md := &def.QMeasures[i]
		if md.QLibraryID == "" {
			continue
		}
		od := d.lookupObj(md.QLibraryID)
		if od == nil || od.kind != "GenericMeasure" {
			continue
		}
		var master struct {
			QMeasure struct {
				QDef       string     `json:"qDef"`
				QLabel     string     `json:"qLabel"`
				QNumFormat *numFormat `json:"qNumFormat"`
			} `json:"qMeasure"`
		}
		if decodeInto(od.props, &master) == nil && master.QMeasure.QDef != "" {
			md.QDef.QDef = master.QMeasure.QDef
			if md.QDef.QLabel == "" {
				md.QDef.QLabel = master.QMeasure.QLabel
			}
			if md.QDef.QNumFormat == nil {
				md.QDef.QNumFormat = master.QMeasure.QNumFormat
			}
		}
	}
}
