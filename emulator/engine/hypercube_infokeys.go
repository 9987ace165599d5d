package engine

// withClientKeys copies the client's own keys (not named like the
// engine's, q and a capital letter) of each dimension's and measure's qDef
// into its qDimensionInfo / qMeasureInfo, and of each attribute expression
// and dimension definition into its qAttrExprInfo / qAttrDimInfo entry, as
// engines do: nebula.js and its charts read qDimensionInfo[i].cId,
// .textAlign and qAttrExprInfo[k].id, which they only ever set in the
// properties. prop is the stored HyperCubeDef; the cube's own infos are
// not changed (they are cached).
func withClientKeys(l obj, prop any) obj {
	def, ok := prop.(obj)
	if !ok {
		return l
	}
	for _, side := range [][2]string{{"qDimensions", "qDimensionInfo"}, {"qMeasures", "qMeasureInfo"}} {
		cols, _ := valueOr(def, side[0]).([]any)
		infos, ok := valueOr(l, side[1]).([]obj)
		if !ok || len(cols) == 0 {
			continue
		}
		out := make([]obj, len(infos))
		for i, info := range infos {
			out[i] = info
			if i >= len(cols) {
				continue
			}
			col, ok := cols[i].(obj)
			if !ok {
				continue
			}
			info = append(obj(nil), info...)
			if qd, ok := valueOr(col, "qDef").(obj); ok {
				copyClientKeys(&info, qd)
			}
			info = attrInfoKeys(info, col, "qAttributeExpressions", "qAttrExprInfo")
			info = attrInfoKeys(info, col, "qAttributeDimensions", "qAttrDimInfo")
			out[i] = info
		}
		l.set(side[1], out)
	}
	return l
}

// attrInfoKeys copies each attribute definition's client keys into its
// info entry.
func attrInfoKeys(info obj, col obj, defKey, infoKey string) obj {
	defs, _ := valueOr(col, defKey).([]any)
	entries, ok := valueOr(info, infoKey).([]any)
	if len(defs) == 0 || !ok {
		return info
	}
	out := make([]any, len(entries))
	for k, e := range entries {
		out[k] = e
		eo, ok1 := e.(obj)
		if k >= len(defs) || !ok1 {
			continue
		}
		if d, ok := defs[k].(obj); ok {
			eo = append(obj(nil), eo...)
			copyClientKeys(&eo, d)
			out[k] = eo
		}
	}
	info.set(infoKey, out)
	return info
}

// copyClientKeys sets every client key of from on to.
func copyClientKeys(to *obj, from obj) {
	for _, m := range from {
		if len(m.K) >= 2 && m.K[0] == 'q' && m.K[1] >= 'A' && m.K[1] <= 'Z' {
			continue
		}
		to.set(m.K, deepCopy(m.V))
	}
}
