package engine

import "strings"

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

// ErrModalObject is the engine's answer (6003, LOCERR_HC_MODAL_OBJECT_ERROR)
// to a selection while another object holds the selection mode: "the
// selection mode can apply to only one object in an app at a time … no
// selection on the chart can be made until the list object exits the
// selection mode" (Engine API, BeginSelections). Qlik's clients answer it
// with Doc.AbortModal and try once more.
var ErrModalObject = &Error{Code: 6003, Parameter: "", Message: "Another object is in selection mode"}

// refusedInModal reports whether a call of method on g must fail with
// ErrModalObject: another object of the doc holds the selection mode and
// the call would begin a second one or select (Select…, RangeSelect…,
// MultiRangeSelect…). The holder itself selects freely, and reading
// calls, EndSelections and property changes go through.
func (g *GenericObject) refusedInModal(method string) bool {
	m := g.doc.modalHolder()
	if m == nil || m == g {
		return false
	}
	return method == "BeginSelections" || selectsValues(method)
}

// modalHolder returns the object in selection mode; a holder that was
// destroyed meanwhile ends the mode, keeping its selections (app.mu held).
func (d *Doc) modalHolder() *GenericObject {
	if d.modal != nil && d.lookupObj(d.modal.data.id) != d.modal.data {
		d.modal, d.modalSnap = nil, nil
	}
	return d.modal
}

// selectsValues reports whether method is a selection in the modal sense.
func selectsValues(method string) bool {
	return strings.HasPrefix(method, "Select") || strings.HasPrefix(method, "RangeSelect") ||
		strings.HasPrefix(method, "MultiRangeSelect") || method == "ToggleSelect" || method == "LowLevelSelect"
}

// refusedInModal (Field): a Field's selections are refused while any object
// holds the selection mode (Clear, Lock and reads go through).
func (f *Field) refusedInModal(method string) bool {
	return f.doc.modalHolder() != nil && selectsValues(method)
}
