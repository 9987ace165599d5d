package engine

import "context"

// treeRange is NxTreeRangeSelectInfo: a range over a measure of one tree
// dimension's qValueExprs.
type treeRange struct {
	measureRange
	QDimensionIx int `json:"qDimensionIx"`
}

// multiRangeSelectTree is MultiRangeSelectTreeDataValues: each set of
// ranges selects, in every dimension its ranges name, the values whose
// node measures lie in the set's ranges for that dimension (all of them,
// or any with qOrMode); the sets' selections apply together.
func (g *GenericObject) multiRangeSelectTree(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var sets []struct {
		QRanges []treeRange `json:"qRanges"`
	}
	var orMode, deselectOne bool
	if err := args(p, "qPath", &path, "qRanges", &sets, "qOrMode", &orMode, "qDeselectOnlyOneSelected", &deselectOne); err != nil {
		return nil, err
	}
	def, err := g.treeDefAt(path)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ErrAborted
	}
	d := g.doc
	var reply *Reply
	d.withState(def.QStateName, func() {
		tr := d.computeTree(def)
		picks := fieldPicks{}
		okAll := true
		for _, set := range sets {
			byDim := map[int][]measureRange{}
			var dims []int
			for _, r := range set.QRanges {
				if r.QDimensionIx < 0 || r.QDimensionIx >= len(tr.levels) {
					continue
				}
				if _, seen := byDim[r.QDimensionIx]; !seen {
					dims = append(dims, r.QDimensionIx)
				}
				byDim[r.QDimensionIx] = append(byDim[r.QDimensionIx], r.measureRange)
			}
			for _, l := range dims {
				cb := tr.levels[l]
				fi := cb.dimF[l]
				if fi < 0 {
					continue
				}
				b := picks.of(d.model, fi)
				for r := range cb.keys {
					if e := cb.keys[r][l]; e >= 0 && cb.rowInRanges(r, byDim[l], orMode) {
						b.set(e)
					}
				}
			}
		}
		ok, changed := picks.apply(d, deselectOne)
		reply = d.selReply(result("qSuccess", okAll && ok && len(picks.order) > 0), changed)
	})
	return reply, nil
}
