package engine

// cubeRef is one row of a computed cube.
type cubeRef struct {
	cb *cube
	r  int
}

// valueAttrs are the attribute values of measure mi at pivot left path r
// and top path c (NxPivotValuePoint qAttrExps / qAttrDims qValues), from
// the sub-cube the value was aggregated in; empty lists when there are
// none.
func (pv *pivot) valueAttrs(r, c []int32, mi int) ([]any, []any) {
	k := append(append([]int32(nil), r...), c...)
	ref, ok := pv.refs[keyString(k)+"|"+string(rune(len(r)))]
	if !ok {
		return []any{}, []any{}
	}
	return attrLists(ref.cb.withAttrs(Cell{}, ref.r, ref.cb.nd+mi))
}

// attrLists writes a cell's attribute values as the pivot cells' qValues
// lists (empty lists when it has none).
func attrLists(cell Cell) ([]any, []any) {
	ax, ad := []any{}, []any{}
	if cell.QAttrExps != nil {
		for _, v := range cell.QAttrExps.QValues {
			o := obj{}
			if v.QText != nil {
				o = append(o, member{"qText", *v.QText})
			}
			ax = append(ax, append(o, member{"qNum", v.QNum}))
		}
	}
	if cell.QAttrDims != nil {
		for _, v := range cell.QAttrDims.QValues {
			o := obj{}
			if v.QText != nil {
				o = append(o, member{"qText", *v.QText})
			}
			ad = append(ad, append(o, member{"qElemNo", v.QElemNo}))
		}
	}
	return ax, ad
}

// nodeCube is the cube over the first depth left (or top) dimensions, with
// its rows by key: where a dimension cell's attributes are evaluated.
type nodeCube struct {
	cb  *cube
	row map[string]int
}

// nodeAttrs gives the attribute values of a left (or top) dimension cell:
// its dimension's attributes evaluated over the records of its path, in a
// cube of the dimensions down to it (the top side does not split by the
// left one, as a column header covers the whole column).
func (pv *pivot) nodeAttrs(left bool) func(*pivotNode) ([]any, []any) {
	return func(n *pivotNode) ([]any, []any) {
		depth := len(n.path)
		from := 0
		if !left {
			from = pv.nl
		}
		j := from + depth - 1
		if j < 0 || j >= len(pv.def.QDimensions) {
			return []any{}, []any{}
		}
		dd := pv.def.QDimensions[j]
		if len(dd.QAttributeExpressions) == 0 && len(dd.QAttributeDimensions) == 0 {
			return []any{}, []any{}
		}
		side := 0
		if !left {
			side = 1
		}
		if pv.nodeCubes == nil {
			pv.nodeCubes = map[[2]int]*nodeCube{}
		}
		nc, ok := pv.nodeCubes[[2]int{side, depth}]
		if !ok {
			sd := *pv.def
			sd.QDimensions = append([]dimDef(nil), pv.def.QDimensions[from:from+depth]...)
			sd.QMeasures = nil
			sd.QInterColumnSortOrder = nil
			sd.QMode = "S"
			nc = &nodeCube{cb: pv.doc.computeCube(&sd), row: map[string]int{}}
			for i, k := range nc.cb.keys {
				nc.row[keyString(k)] = i
			}
			pv.nodeCubes[[2]int{side, depth}] = nc
		}
		r, ok := nc.row[keyString(n.path)]
		if !ok {
			return []any{}, []any{}
		}
		return attrLists(nc.cb.withAttrs(Cell{}, r, depth-1))
	}
}
