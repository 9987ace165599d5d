package engine

// Selection mode (BeginSelections … EndSelections) of a hypercube object.
//
// While an object is in selection mode the engine keeps its own
// dimensions' values on show: a bar chart whose bar was just clicked still
// draws every bar, the clicked one selected and the others alternative, so
// the user can click more before confirming (Qlik's charts dim them client
// side). Other objects follow the selection at once. Only when the
// selection ends does the object itself show the reduced data.

// modalCube computes def for the object in selection mode: the selections
// in the fields of its own dimensions do not exclude rows, and those
// fields' cells report the selection (S) against alternatives (A).
func (g *GenericObject) modalCube(def *hcDef) *cube {
	d := g.doc
	own := map[int]bool{}
	for _, dd := range def.QDimensions {
		if fi, _ := d.dimField(dd); fi >= 0 {
			own[fi] = true
		}
	}
	reduced := d.sel.clone()
	shown := map[int]bitset{}
	for fi := range own {
		if b, ok := reduced.sel[fi]; ok && !reduced.locked[fi] {
			shown[fi] = b
			reduced.setSel(fi, nil)
		}
	}
	if len(shown) == 0 {
		return d.computeCube(def)
	}
	a := computeAssoc(d.model, reduced)
	a.shown = shown
	saved := d.asc
	d.asc = a
	defer func() { d.asc = saved }()
	return d.computeCube(def)
}

// shownState is the qState of element e of a field whose selection is
// shown but not applied (see modalCube): selected values S (XS when other
// fields exclude them), the rest A when possible, else X.
func (a *assoc) shownState(sel bitset, fi int, e int32) string {
	poss := a.possible[fi].has(e)
	switch {
	case sel.has(e) && poss:
		return stSelected
	case sel.has(e):
		return stSelectedExcluded
	case poss:
		return stAlternative
	}
	return stExcluded
}
