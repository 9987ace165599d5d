package engine

import "context"

// multiRangeSelect is MultiRangeSelectHyperCubeValues: several range
// selections over measures (one per NxMultiRangeSelectInfo, each with its
// own ranges and dimension columns) computed on the same hypercube and
// applied together, so one brush over a scatter plot's two axes selects
// the points inside both. qOrMode joins a set's ranges with OR instead
// of AND; a value set is selected per column in one step.
func (g *GenericObject) multiRangeSelect(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var sets []struct {
		QRanges          []measureRange `json:"qRanges"`
		QColumnsToSelect []int          `json:"qColumnsToSelect"`
	}
	var orMode, deselectOne bool
	if err := args(p, "qPath", &path, "qRanges", &sets, "qOrMode", &orMode, "qDeselectOnlyOneSelected", &deselectOne); err != nil {
		return nil, err
	}
	def, _, cb, err := g.cubeAt(ctx, path)
	if err != nil {
		return nil, err
	}
	d := g.doc
	picked := map[int]bitset{}
	var order []int
	okAll := true
	for _, set := range sets {
		cols := set.QColumnsToSelect
		if len(cols) == 0 {
			for i := range def.QDimensions {
				cols = append(cols, i)
			}
		}
		for _, c := range cols {
			if c < 0 || c >= cb.nd || cb.dimF[c] < 0 {
				continue
			}
			fi := cb.dimF[c]
			b, seen := picked[fi]
			if !seen {
				b = newBitset(len(d.model.Fields[fi].Values))
				picked[fi] = b
				order = append(order, fi)
			}
			for r := range cb.keys {
				if e := cb.keys[r][c]; e >= 0 && cb.rowInRanges(r, set.QRanges, orMode) {
					b.set(e)
				}
			}
		}
	}
	changed := false
	for _, fi := range order {
		b := picked[fi]
		if b.count() == 0 {
			okAll = false
			continue
		}
		if cur, has := d.sel.sel[fi]; deselectOne && has && cur.count() == 1 && cur.equal(b) {
			st := d.sel.clone()
			st.setSel(fi, nil)
			changed = d.applySel(st) || changed
			continue
		}
		ok, ch := d.selectIn(fi, b, false, false)
		okAll, changed = okAll && ok, changed || ch
	}
	return d.selReply(result("qSuccess", okAll), changed), nil
}
