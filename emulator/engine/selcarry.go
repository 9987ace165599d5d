package engine

// carrySel maps the selection state s, made on model from, onto model to:
// fields by name, values by their key (text and number), locks kept. A
// value the new data no longer has is dropped, and so is a field left
// with no selected value. A nil from (no data before) gives an empty
// state.
func carrySel(from, to *Model, s *selState) *selState {
	out := newSelState()
	if from == nil || s == nil {
		return out
	}
	for _, fi := range s.order {
		b := s.sel[fi]
		if fi < 0 || fi >= len(from.Fields) || b == nil {
			continue
		}
		src := from.Fields[fi]
		nfi := to.field(src.Name)
		if nfi < 0 {
			continue
		}
		dst := to.Fields[nfi]
		nb := newBitset(len(dst.Values))
		b.each(func(e int32) {
			if int(e) >= len(src.Values) {
				return
			}
			if ne, ok := dst.index[src.Values[e].key()]; ok {
				nb.set(ne)
			}
		})
		out.setSel(nfi, nb)
		if s.locked[fi] && nb.count() > 0 {
			out.locked[nfi] = true
		}
	}
	return out
}

// carryHist maps every step of a back/forward history onto model to, so
// Back and Forward still work after a reload; with no history, or no
// previous model, the history starts at sel.
func carryHist(from, to *Model, hist []*selState, pos int, sel *selState) ([]*selState, int) {
	if from == nil || pos < 0 || pos >= len(hist) {
		return []*selState{sel.clone()}, 0
	}
	out := make([]*selState, len(hist))
	for i, h := range hist {
		out[i] = carrySel(from, to, h)
	}
	return out, pos
}
