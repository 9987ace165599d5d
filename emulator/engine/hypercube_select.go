package engine

import (
	"context"
	"encoding/json"
	"math"
)

// callExt runs the GenericObject methods charts use beyond the basic
// ones: reduced, pivot, stacked and binned data, range selections and
// pivot expansion. Others answer method not found.
func (g *GenericObject) callExt(ctx context.Context, method string, p Params) (*Reply, error) {
	switch method {
	case "GetHyperCubeReducedData":
		return g.reducedData(ctx, p)
	case "SelectHyperCubeContinuousRange":
		return g.selectContinuousRange(ctx, p)
	case "RangeSelectHyperCubeValues":
		return g.rangeSelectValues(ctx, p)
	case "GetHyperCubeBinnedData":
		return g.binnedData(ctx, p)
	case "GetHyperCubePivotData", "GetHyperCubeStackData":
		return g.pivotData(ctx, method, p)
	case "ExpandLeft", "CollapseLeft", "ExpandTop", "CollapseTop":
		return g.expandCollapse(method, p)
	case "SelectPivotCells":
		return g.selectPivotCells(ctx, p)
	}
	return nil, ErrMethodNotFound
}

// reducedData is GetHyperCubeReducedData: the requested pages with at
// most maxPageCells cells, every n-th row kept when a page holds more
// (qIsReduced true then), as line charts ask for.
func (g *GenericObject) reducedData(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var ps []nxPage
	var zoom int
	var mode string
	if err := args(p, "qPath", &path, "qPages", &ps, "qZoomFactor", &zoom, "qReductionMode", &mode); err != nil {
		return nil, err
	}
	_, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, pg := range ps {
		nrows, ncol := cb.size()
		top := min(max(pg.QTop, 0), nrows)
		h := min(max(pg.QHeight, 0), nrows-top)
		left := min(max(pg.QLeft, 0), ncol)
		w := min(max(pg.QWidth, 0), ncol-left)
		step := 1
		if w > 0 && h*w > maxPageCells {
			step = (h*w + maxPageCells - 1) / maxPageCells
		}
		if step == 1 {
			dp := page(cb, pg)
			out = append(out, obj{{"qMatrix", dp.QMatrix}, {"qTails", dp.QTails}, {"qArea", dp.QArea}, {"qIsReduced", false}})
			continue
		}
		var mat [][]Cell
		for r := top; r < top+h; r += step {
			row := make([]Cell, w)
			for c := 0; c < w; c++ {
				row[c] = cb.cell(r, left+c)
			}
			mat = append(mat, row)
		}
		out = append(out, obj{{"qMatrix", mat}, {"qTails", []obj{{{"qUp", 0}, {"qDown", 0}}}},
			{"qArea", nxPage{QLeft: left, QTop: top, QWidth: w, QHeight: len(mat)}}, {"qIsReduced", true}})
	}
	return result("qDataPages", out), nil
}

// numRange is Range: bounds with inclusiveness.
type numRange struct {
	QMin       Float `json:"qMin"`
	QMax       Float `json:"qMax"`
	QMinInclEq bool  `json:"qMinInclEq"`
	QMaxInclEq bool  `json:"qMaxInclEq"`
}

func (r numRange) has(x float64) bool {
	lo, hi := float64(r.QMin), float64(r.QMax)
	if lo > hi {
		lo, hi = hi, lo
	}
	okLo := !math.IsNaN(lo) && (x > lo || r.QMinInclEq && x == lo) || math.IsNaN(lo)
	okHi := !math.IsNaN(hi) && (x < hi || r.QMaxInclEq && x == hi) || math.IsNaN(hi)
	return okLo && okHi
}

// selectContinuousRange selects the values of a dimension whose numbers
// fall in the ranges (a range brush on a continuous axis).
func (g *GenericObject) selectContinuousRange(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var ranges []struct {
		QRange numRange `json:"qRange"`
		QDimIx int      `json:"qDimIx"`
	}
	var soft bool
	if err := args(p, "qPath", &path, "qRanges", &ranges, "qSoftLock", &soft); err != nil {
		return nil, err
	}
	def, _, err := g.hcDef(path)
	if err != nil {
		return nil, err
	}
	d := g.doc
	byField := map[int]bitset{}
	var order []int
	for _, r := range ranges {
		if r.QDimIx < 0 || r.QDimIx >= len(def.QDimensions) {
			return result("qSuccess", false), nil
		}
		fi, _ := d.dimField(def.QDimensions[r.QDimIx])
		if fi < 0 {
			return result("qSuccess", false), nil
		}
		b, ok := byField[fi]
		if !ok {
			b = newBitset(len(d.model.Fields[fi].Values))
			byField[fi] = b
			order = append(order, fi)
		}
		for e, v := range d.model.Fields[fi].Values {
			if v.IsNum() && r.QRange.has(v.Num) {
				b.set(int32(e))
			}
		}
	}
	okAll, changed := true, false
	for _, fi := range order {
		ok, ch := d.selectIn(fi, byField[fi], false, soft)
		okAll, changed = okAll && ok, changed || ch
	}
	return d.selReply(result("qSuccess", okAll), changed), nil
}

// measureRange is one NxRangeSelectInfo: a range over one measure.
type measureRange struct {
	QRange     numRange `json:"qRange"`
	QMeasureIx int      `json:"qMeasureIx"`
}

// rowInRanges reports whether row r's measures lie in the ranges: in all
// of them, or with orMode in any (a range over a measure the cube lacks
// is ignored). Range and multi-range selections both pick rows by it.
func (cb *cube) rowInRanges(r int, ranges []measureRange, orMode bool) bool {
	hit := !orMode
	for _, rg := range ranges {
		if rg.QMeasureIx < 0 || rg.QMeasureIx >= cb.nm {
			continue
		}
		v := cb.vals[r*cb.nm+rg.QMeasureIx]
		in := v.IsNum() && rg.QRange.has(v.Num)
		if orMode {
			hit = hit || in
		} else {
			hit = hit && in
		}
	}
	return hit
}

// rangeSelectValues selects, in the dimensions qColumnsToSelect (all when
// empty), the values of the rows whose measure lies in the ranges.
func (g *GenericObject) rangeSelectValues(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var ranges []measureRange
	var cols []int
	var orMode, deselectOne bool
	if err := args(p, "qPath", &path, "qRanges", &ranges, "qColumnsToSelect", &cols, "qOrMode", &orMode, "qDeselectOnlyOneSelected", &deselectOne); err != nil {
		return nil, err
	}
	def, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, err
	}
	d := g.doc
	if len(cols) == 0 {
		for i := range def.QDimensions {
			cols = append(cols, i)
		}
	}
	okAll, changed := true, false
	for _, c := range cols {
		if c < 0 || c >= cb.nd {
			continue
		}
		fi := cb.dimF[c]
		if fi < 0 {
			continue
		}
		b := newBitset(len(d.model.Fields[fi].Values))
		for r := range cb.keys {
			if e := cb.keys[r][c]; e >= 0 && cb.rowInRanges(r, ranges, orMode) {
				b.set(e)
			}
		}
		if b.count() == 0 {
			okAll = false
			continue
		}
		ok, ch := d.selectIn(fi, b, false, false)
		okAll, changed = okAll && ok, changed || ch
	}
	return d.selReply(result("qSuccess", okAll), changed), nil
}

// binnedData is GetHyperCubeBinnedData for a two-measure scatter: the
// data range split into a grid of at most qMaxNbrCells cells, each
// binned cell counting the rows inside. Pages come back as straight
// pages of [x-bin, y-bin, count] rows.
func (g *GenericObject) binnedData(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var ps []nxPage
	var viewport json.RawMessage
	var ranges []struct {
		QLeft, QTop, QWidth, QHeight float64
	}
	var maxCells int
	if err := args(p, "qPath", &path, "qPages", &ps, "qViewport", &viewport, "qDataRanges", &ranges, "qMaxNbrCells", &maxCells); err != nil {
		return nil, err
	}
	_, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, err
	}
	if cb.nm < 2 {
		return nil, &Error{Code: 7004, Parameter: "qMeasures", Message: "Binning needs two measures"}
	}
	if maxCells <= 0 {
		maxCells = 2500
	}
	side := max(int(math.Sqrt(float64(maxCells))), 1)
	xi, yi := 0, 1
	mnX, mxX, mnY, mxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for r := range cb.keys {
		x, y := cb.vals[r*cb.nm+xi], cb.vals[r*cb.nm+yi]
		if x.IsNum() && y.IsNum() {
			mnX, mxX = math.Min(mnX, x.Num), math.Max(mxX, x.Num)
			mnY, mxY = math.Min(mnY, y.Num), math.Max(mxY, y.Num)
		}
	}
	counts := map[[2]int]int{}
	var cells [][2]int
	for r := range cb.keys {
		x, y := cb.vals[r*cb.nm+xi], cb.vals[r*cb.nm+yi]
		if !x.IsNum() || !y.IsNum() {
			continue
		}
		bx := binOf(x.Num, mnX, mxX, side)
		by := binOf(y.Num, mnY, mxY, side)
		k := [2]int{bx, by}
		if counts[k] == 0 {
			cells = append(cells, k)
		}
		counts[k]++
	}
	var mat [][]Cell
	for _, k := range cells {
		x0 := mnX + (mxX-mnX)*float64(k[0])/float64(side)
		y0 := mnY + (mxY-mnY)*float64(k[1])/float64(side)
		mat = append(mat, []Cell{measureCell(numVal(x0)), measureCell(numVal(y0)), measureCell(numVal(float64(counts[k])))})
	}
	if mat == nil {
		mat = [][]Cell{}
	}
	return result("qDataPages", []any{obj{{"qMatrix", mat}, {"qTails", []any{}},
		{"qArea", nxPage{QWidth: 3, QHeight: len(mat)}}, {"qIsReduced", true}}}), nil
}

func binOf(x, lo, hi float64, n int) int {
	if hi <= lo {
		return 0
	}
	return min(int((x-lo)/(hi-lo)*float64(n)), n-1)
}
