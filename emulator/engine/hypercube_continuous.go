package engine

import (
	"context"
	"math"
	"sort"
)

// contOptions is NxContinuousDataOptions.
type contOptions struct {
	QStart          float64 `json:"qStart"`
	QEnd            float64 `json:"qEnd"`
	QNbrPoints      int     `json:"qNbrPoints"`
	QMaxNbrTicks    int     `json:"qMaxNbrTicks"`
	QMaxNumberLines int     `json:"qMaxNumberLines"`
}

// contPage is NxDataPage with qIsReduced, set when rows were left out.
type contPage struct {
	dataPage
	QIsReduced bool `json:"qIsReduced"`
}

// tickCell is NxTickCell.
type tickCell struct {
	QText  string `json:"qText"`
	QStart Float  `json:"qStart"`
	QEnd   Float  `json:"qEnd"`
}

// continuousData is GenericObject.GetHyperCubeContinuousData: the rows of
// the hypercube at qPath whose first dimension (a continuous, numeric axis)
// lies in [qStart, qEnd] (the whole axis when both are 0), in the axis'
// order (reversed with qReverseSort), as one data page; with more rows than
// qNbrPoints bins, one row per bin is kept (the first of the bin) and the
// page says qIsReduced. qAxisData holds the axis' name, tags and at most
// qMaxNbrTicks ticks at round values. qMaxNumberLines is not applied.
func (g *GenericObject) continuousData(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var opt contOptions
	var reverse bool
	if err := args(p, "qPath", &path, "qOptions", &opt, "qReverseSort", &reverse); err != nil {
		return nil, err
	}
	_, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, err
	}
	nrows, ncol := cb.size()
	axis := obj{{"qName", ""}, {"qTags", []string{}}, {"qTicks", []tickCell{}}}
	if cb.nd == 0 || cb.dfd[0] == nil {
		pg := page(cb, nxPage{QWidth: ncol, QHeight: min(nrows, maxPageCells/max(ncol, 1))})
		return result("qDataPages", []contPage{{dataPage: pg, QIsReduced: pg.QArea.QHeight < nrows}}, "qAxisData", obj{{"qAxis", []obj{axis}}}), nil
	}
	fd := cb.dfd[0]
	axis.set("qName", fd.Name)
	axis.set("qTags", fd.Tags())
	num := func(r int) float64 {
		if e := cb.keys[r][0]; e >= 0 {
			return fd.Values[e].Num
		}
		return math.NaN()
	}
	lo, hi := opt.QStart, opt.QEnd
	if lo == 0 && hi == 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for r := 0; r < nrows; r++ {
			if v := num(r); !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	var rows []int
	for r := 0; r < nrows; r++ {
		if v := num(r); v >= lo && v <= hi {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if reverse {
			return num(rows[i]) > num(rows[j])
		}
		return num(rows[i]) < num(rows[j])
	})
	rows, reduced := binRows(rows, num, lo, hi, opt.QNbrPoints)
	if limit := maxPageCells / max(ncol, 1); len(rows) > limit {
		rows, reduced = rows[:limit], true
	}
	mat := make([][]Cell, len(rows))
	for i, r := range rows {
		mat[i] = make([]Cell, ncol)
		for c := range mat[i] {
			mat[i][c] = cb.cell(r, c)
		}
	}
	pg := contPage{dataPage: dataPage{QMatrix: mat, QTails: []obj{{{"qUp", 0}, {"qDown", 0}}},
		QArea: nxPage{QWidth: ncol, QHeight: len(rows)}}, QIsReduced: reduced}
	if !math.IsInf(lo, 0) {
		axis.set("qTicks", axisTicks(lo, hi, opt.QMaxNbrTicks, fd))
	}
	return result("qDataPages", []contPage{pg}, "qAxisData", obj{{"qAxis", []obj{axis}}}), nil
}

// binRows keeps the first row of each of n equal bins over [lo, hi] when
// there are more rows than bins; reduced tells whether rows were dropped.
func binRows(rows []int, num func(int) float64, lo, hi float64, n int) ([]int, bool) {
	if n <= 0 || len(rows) <= n || hi <= lo {
		return rows, false
	}
	seen := make(map[int]bool, n)
	out := rows[:0:0]
	for _, r := range rows {
		b := min(int((num(r)-lo)/(hi-lo)*float64(n)), n-1)
		if !seen[b] {
			seen[b] = true
			out = append(out, r)
		}
	}
	return out, len(out) < len(rows)
}

// axisTicks places at most n ticks (10 when n is 0) at round values
// (1, 2 or 5 times a power of ten apart) between lo and hi, labelled as
// the field shows its values (dates as dates).
func axisTicks(lo, hi float64, n int, fd *FieldData) []tickCell {
	if n <= 0 {
		n = 10
	}
	ticks := []tickCell{}
	label := func(v float64) string {
		if fd.isDate {
			return dateVal(timeFromSerial(v)).Str
		}
		return formatNum(v)
	}
	if hi == lo {
		return append(ticks, tickCell{QText: label(lo), QStart: Float(lo), QEnd: Float(lo)})
	}
	rough := (hi - lo) / float64(max(n-1, 1))
	mag := math.Pow(10, math.Floor(math.Log10(rough)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= rough {
			step = m * mag
			break
		}
	}
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9 && len(ticks) < n; v += step {
		v = math.Round(v/step) * step
		ticks = append(ticks, tickCell{QText: label(v), QStart: Float(v), QEnd: Float(v)})
	}
	return ticks
}
