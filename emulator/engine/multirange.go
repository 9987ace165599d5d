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
	picks := fieldPicks{}
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
			b := picks.of(d.model, fi)
			for r := range cb.keys {
				if e := cb.keys[r][c]; e >= 0 && cb.rowInRanges(r, set.QRanges, orMode) {
					b.set(e)
				}
			}
		}
	}
	ok, changed := picks.apply(d, deselectOne)
	return d.selReply(result("qSuccess", okAll && ok), changed), nil
}

// fieldPicks gathers, per field in first-picked order, the values a range
// selection over a hypercube or tree picked, to select them in one step.
type fieldPicks struct {
	set   map[int]bitset
	order []int
}

// of returns field fi's picked values, empty at first.
func (p *fieldPicks) of(m *Model, fi int) bitset {
	if b, ok := p.set[fi]; ok {
		return b
	}
	if p.set == nil {
		p.set = map[int]bitset{}
	}
	b := newBitset(len(m.Fields[fi].Values))
	p.set[fi] = b
	p.order = append(p.order, fi)
	return b
}

// apply selects each field's picks: a field with none makes ok false, and
// with deselectOne picking exactly the one value already selected clears
// the field instead.
func (p *fieldPicks) apply(d *Doc, deselectOne bool) (ok, changed bool) {
	ok = true
	for _, fi := range p.order {
		b := p.set[fi]
		if b.count() == 0 {
			ok = false
			continue
		}
		if cur, has := d.sel.sel[fi]; deselectOne && has && cur.count() == 1 && cur.equal(b) {
			st := d.sel.clone()
			st.setSel(fi, nil)
			changed = d.applySel(st) || changed
			continue
		}
		fok, ch := d.selectIn(fi, b, false, false)
		ok, changed = ok && fok, changed || ch
	}
	return ok, changed
}
