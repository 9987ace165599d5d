package engine

import (
	"fmt"
	"math"
	"sort"
)

// cubeBuild is one computation of a straight hypercube, kept in one place
// so each phase of computeCube is its own method.
type cubeBuild struct {
	d       *Doc
	def     *hcDef
	m       *Model
	a       *assoc
	cb      *cube
	nd, nm  int
	dimF    []int
	dfd     []*FieldData
	calcs   []*calcDim
	sc      *chartScope
	meas    []aggFn
	measErr []string
	inter   []bool // measure reads other rows: evaluated after sorting
	ctx     *cubeCtx
	rows    []crow
	sortInd []string
}

// crow is one computed cube row before it is laid out.
type crow struct {
	key  []int32
	vals []Val
	idx  int // cube row in ctx
}

// computeCube builds every row of a straight hypercube under the current
// selections: dimensions resolved, measures compiled, rows enumerated from
// the base table (and the record sets of set expressions), measures
// folded per row, suppression, sorting, inter-record measures, then the
// layout's column infos and grand totals.
func (d *Doc) computeCube(def *hcDef) *cube {
	b := &cubeBuild{d: d, def: def, m: d.model, a: d.assoc(), cb: &cube{}}
	d.resolveLibrary(def)
	b.nd, b.nm = len(def.QDimensions), len(def.QMeasures)
	b.resolveDims()
	b.compileMeasures()
	b.enumerateRows()
	b.evalRows()
	b.sortRows()
	b.evalInterRecord()
	b.collect()
	b.evalAttributes()
	b.grandTotals()
	return b.cb
}

// resolveDims maps each dimension to a field or a calculated dimension.
func (b *cubeBuild) resolveDims() {
	b.dimF = make([]int, b.nd)
	b.dfd = make([]*FieldData, b.nd)
	b.calcs = make([]*calcDim, b.nd)
	for i, dd := range b.def.QDimensions {
		fi, name := b.d.dimField(dd)
		b.dimF[i] = fi
		if fi >= 0 {
			b.dfd[i] = b.m.Fields[fi]
			continue
		}
		if cd, err := b.d.calcDimension(name); err == nil {
			b.calcs[i], b.dfd[i] = cd, cd.fd
			continue
		}
		b.cb.errMsg = fmt.Sprintf("Field not found: %s", name)
	}
}

// compileMeasures compiles every measure; a measure that fails evaluates
// to null and reports its error in its qMeasureInfo.
func (b *cubeBuild) compileMeasures() {
	b.sc = b.d.scope()
	b.meas = make([]aggFn, b.nm)
	b.measErr = make([]string, b.nm)
	b.inter = make([]bool, b.nm)
	for i, md := range b.def.QMeasures {
		b.sc.extOf().inter = false
		f, err := b.d.compile(md.QDef.QDef, b.sc)
		if err != nil {
			b.measErr[i] = err.Error()
			f = func(group) Val { return nullVal }
		}
		b.meas[i] = f
		b.inter[i] = err == nil && b.sc.extOf().inter
	}
}

// enumerateRows finds the dimension combinations: those of the base
// table's records under the selections and under each set expression, and
// for one field dimension its possible values without records.
func (b *cubeBuild) enumerateRows() {
	nd, dimF, dfd, calcs, a := b.nd, b.dimF, b.dfd, b.calcs, b.a
	ctx := &cubeCtx{d: b.d, a: a, dimF: dimF, calcs: calcs, base: -1, index: map[string]int{}}
	b.ctx = ctx
	if nd == 0 {
		ctx.keys = [][]int32{{}}
		return
	}
	if b.cb.errMsg != "" {
		return
	}
	for _, t := range b.sc.tables {
		if t >= 0 {
			ctx.base = t
			break
		}
	}
	ctx.base = ctx.functionalBase(b.sc.tables) // model_functional.go
	if nd == 1 {
		ctx.index1 = make([]int32, len(dfd[0].Values)+1)
		for i := range ctx.index1 {
			ctx.index1[i] = -1
		}
	}
	if ctx.base < 0 && (nd > 1 || calcs[0] != nil) {
		ctx.base = b.d.primaryTable()
		if calcs[0] != nil && nd == 1 {
			ctx.base = calcs[0].base
		}
	}
	sets := []*assoc{a}
	if ext := b.sc.ext; ext != nil {
		sets = append(sets, ext.setAssocs...)
	}
	if ctx.base >= 0 {
		projs := make([][]int32, nd)
		for j := range dimF {
			projs[j] = ctx.dimProj(j, ctx.base)
		}
		k := make([]int32, nd)
		if nd == 1 {
			seen := newBitset(len(dfd[0].Values) + 1)
			for _, sa := range sets {
				for _, r := range sa.activeRows(ctx.base) {
					seen.set(projs[0][r] + 1)
				}
			}
			seen.each(func(e int32) {
				k[0] = e - 1
				ctx.addRow(k)
			})
		} else {
			for _, sa := range sets {
				for _, r := range sa.activeRows(ctx.base) {
					for j := range projs {
						k[j] = projs[j][r]
					}
					if ctx.rowOf(k) < 0 {
						ctx.addRow(k)
					}
				}
			}
		}
	}
	if nd == 1 && dimF[0] >= 0 && (!b.def.QSuppressZero || b.nm == 0) {
		// Possible values without rows in the base table still show.
		a.possible[dimF[0]].each(func(e int32) {
			if ctx.index1[e+1] < 0 {
				ctx.addRow([]int32{e})
			}
		})
		if ctx.base >= 0 {
			sortKeysByElem(ctx)
		}
	}
}

// evalRows folds the measures over each row (inter-record ones wait for
// the sorted order) and applies null and zero suppression.
func (b *cubeBuild) evalRows() {
	def, nm := b.def, b.nm
	ctx := b.ctx
	b.rows = make([]crow, 0, len(ctx.keys))
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
		plain := 0
		for j, f := range b.meas {
			if b.inter[j] {
				vals[j] = nullVal
				continue
			}
			plain++
			vals[j] = f(g)
		}
		if plain > 0 && (def.QSuppressZero || def.QSuppressMissing) {
			keep := false
			for j, v := range vals {
				if b.inter[j] {
					continue
				}
				if def.QSuppressZero && v.IsNum() && v.Num != 0 || !def.QSuppressZero && !v.Null {
					keep = true
				}
			}
			if !keep {
				continue
			}
		}
		b.rows = append(b.rows, crow{k, vals, i})
	}
}

// sortRows orders the rows by qInterColumnSortOrder and each column's
// sort criteria, and records the sort indicators.
func (b *cubeBuild) sortRows() {
	def, nd, nm := b.def, b.nd, b.nm
	rows := b.rows
	ncol := nd + nm
	eff := def.QInterColumnSortOrder
	if !validOrder(eff, ncol) {
		eff = make([]int, ncol)
		for i := range eff {
			eff[i] = i
		}
	}
	b.cb.effSort = eff
	b.sortInd = make([]string, ncol)
	var cmps []func(x, y int) int
	segDim := -1
	for _, c := range eff {
		if c < nd {
			if cmp := b.dimCmp(c); cmp != nil {
				cmps = append(cmps, cmp)
			}
			segDim = c
			continue
		}
		if cmp := b.measCmp(c - nd); cmp != nil {
			cmps = append(cmps, cmp)
		}
	}
	perm := make([]int, len(rows))
	for i := range perm {
		perm[i] = i
	}
	if len(cmps) > 0 && len(rows) > 1 {
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
		b.rows = sorted
	}
	order := make([]int, len(b.rows))
	for i, r := range b.rows {
		order[i] = r.idx
	}
	b.ctx.ord = newCubeOrder(order, b.ctx.keys, len(b.ctx.keys), segDim)
}

// dimCmp compares rows on dimension c by its first sort criterion.
func (b *cubeBuild) dimCmp(c int) func(x, y int) int {
	fi, fd := b.dimF[c], b.dfd[c]
	if fd == nil {
		return nil
	}
	rows, a, ctx := b.rows, b.a, b.ctx
	dd := b.def.QDimensions[c]
	crit := sortCriteria{}
	if len(dd.QDef.QSortCriterias) > 0 {
		crit = dd.QDef.QSortCriterias[0]
	}
	b.sortInd[c] = "N"
	var exprVals []Val
	if crit.QSortByExpression != 0 && crit.QExpression.QV != "" {
		if f, err := b.d.compile(crit.QExpression.QV, b.d.scope()); err == nil {
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
		b.sortInd[c] = "A"
	case crit.QSortByNumeric < 0 || crit.QSortByAscii < 0 || crit.QSortByExpression < 0:
		b.sortInd[c] = "D"
	}
	rev := dd.QDef.QReverseSort
	if rev && b.sortInd[c] != "N" {
		b.sortInd[c] = map[string]string{"A": "D", "D": "A"}[b.sortInd[c]]
	}
	return func(x, y int) int {
		if rev {
			return -cmp(x, y)
		}
		return cmp(x, y)
	}
}

// measCmp compares rows on measure mi by its qSortBy; nil when the
// measure does not sort (or reads other rows, so has no value yet).
func (b *cubeBuild) measCmp(mi int) func(x, y int) int {
	nd := b.nd
	rows := b.rows
	crit := b.def.QMeasures[mi].QSortBy
	rev := b.def.QMeasures[mi].QDef.QReverseSort
	b.sortInd[nd+mi] = "N"
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
			b.sortInd[nd+mi] = map[int]string{1: "A", -1: "D"}[f]
		}
		return nil
	}
	if dir > 0 {
		b.sortInd[nd+mi] = "A"
	} else if dir < 0 {
		b.sortInd[nd+mi] = "D"
	}
	if b.inter[mi] {
		return nil
	}
	asc := crit.QSortByAscii
	return func(x, y int) int {
		if dir != 0 {
			if r := cmpNum(rows[x].vals[mi], rows[y].vals[mi]); r != 0 {
				return r * dir
			}
		}
		if asc != 0 {
			return cmpText(rows[x].vals[mi], rows[y].vals[mi]) * sign(asc)
		}
		return 0
	}
}

// evalInterRecord evaluates the measures that read other rows, now that
// the order is known.
func (b *cubeBuild) evalInterRecord() {
	for j, is := range b.inter {
		if !is {
			continue
		}
		for _, r := range b.rows {
			r.vals[j] = b.meas[j](cubeGroup{b.ctx, r.idx})
		}
	}
}

// collect lays the sorted rows out in the cube and works out the column
// statistics (min, max, glyph counts, cardinals) and infos.
func (b *cubeBuild) collect() {
	cb, nd, nm := b.cb, b.nd, b.nm
	rows, dfd := b.rows, b.dfd
	cb.keys = make([][]int32, len(rows))
	cb.vals = make([]Val, 0, len(rows)*nm)
	cb.nd, cb.nm, cb.dimF, cb.dfd, cb.m, cb.a = nd, nm, b.dimF, dfd, b.m, b.a
	dimMin, dimMax := fill(nd, math.Inf(1)), fill(nd, math.Inf(-1))
	measMin, measMax := fill(nm, math.Inf(1)), fill(nm, math.Inf(-1))
	glyph := make([]int, nd+nm)
	measInt := make([]bool, nm)
	for i := range measInt {
		measInt[i] = true
	}
	hcCard := make([]int, nd)
	dimSeen := make([]bitset, nd)
	for j := range b.dimF {
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
			} else if n := len([]rune(v.Text())); n > glyph[nd+j] {
				glyph[nd+j] = n
			}
		}
	}
	for j := 0; j < nm; j++ {
		if measMin[j] <= measMax[j] {
			glyph[nd+j] = max(glyph[nd+j], len(formatNum(measMin[j])), len(formatNum(measMax[j])))
		}
	}
	b.dimInfos(glyph, hcCard, dimMin, dimMax)
	b.measInfos(glyph, measMin, measMax, measInt)
}

// dimInfos fills qDimensionInfo.
func (b *cubeBuild) dimInfos(glyph, hcCard []int, dimMin, dimMax []float64) {
	cb, dfd := b.cb, b.dfd
	for j, dd := range b.def.QDimensions {
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
		if b.dimF[j] >= 0 {
			counts = b.a.counts(b.dimF[j])
		} else {
			counts.QOption = len(dfd[j].Values)
		}
		if dd.isDrillDown() {
			level := b.d.drillLevel(dd)
			info := dimInfoOf(dfd[j], counts, nil, dd.QDef.QFieldDefs[level], glyph[j], b.sortInd[j], hcCard[j], dimMin[j], dimMax[j])
			cb.dimInfo = append(cb.dimInfo, drillInfo(info, dd, level, b.d.drillFieldName))
			continue
		}
		cb.dimInfo = append(cb.dimInfo, dimInfoOf(dfd[j], counts, dd.QDef.QFieldLabels, dd.QDef.QFieldDefs[0], glyph[j], b.sortInd[j], hcCard[j], dimMin[j], dimMax[j]))
	}
}

// measInfos fills qMeasureInfo and the measures' explicit formats.
func (b *cubeBuild) measInfos(glyph []int, measMin, measMax []float64, measInt []bool) {
	cb, nd := b.cb, b.nd
	cb.fmts = make([]*numFormat, b.nm)
	for j, md := range b.def.QMeasures {
		if md.QDef.QNumFormat.explicit() {
			cb.fmts[j] = md.QDef.QNumFormat
		}
	}
	for j, md := range b.def.QMeasures {
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
			{"qSortIndicator", orN(b.sortInd[nd+j])}, {"qNumFormat", numFormatFor(numeric, measInt[j], false)},
			{"qMin", Float(mn)}, {"qMax", Float(mx)}, {"qIsAutoFormat", cb.fmts[j] == nil}, {"qAttrExprInfo", []any{}},
			{"qAttrDimInfo", []any{}}, {"qTrendLines", []any{}}}
		if b.measErr[j] != "" {
			mi = append(obj{{"qError", obj{{"qErrorCode", 7005}, {"qContext", b.measErr[j]}}}}, mi...)
		}
		if f := cb.fmts[j]; f != nil {
			mi.set("qNumFormat", obj{{"qType", f.QType}, {"qnDec", f.QnDec}, {"qUseThou", f.QUseThou}, {"qFmt", f.QFmt}, {"qDec", f.QDec}, {"qThou", f.QThou}})
			if f.QFmt != "" {
				mi.set("qApprMaxGlyphCount", max(len(formatPattern(mn, f.QFmt, f.QDec, f.QThou)), len(formatPattern(mx, f.QFmt, f.QDec, f.QThou))))
			}
		}
		cb.measInfo = append(cb.measInfo, mi)
	}
}

// grandTotals folds each measure over every record in the selection.
func (b *cubeBuild) grandTotals() {
	all := allGroup{b.a}
	for j, f := range b.meas {
		c := b.cb.fmtCell(measureCell(f(all)), j)
		c.QElemNumber, c.QState, c.QIsTotalCell = -1, stExcluded, true
		b.cb.grand = append(b.cb.grand, c)
	}
}
