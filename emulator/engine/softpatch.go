package engine

// softPatches are one session's soft patches on an object (ApplyPatches
// with qSoftPatch): they change what this session's GetLayout and
// GetEffectiveProperties show, never the stored properties, and end with
// the next SetProperties.
type softPatches struct {
	ops     []map[string]any
	props   obj // stored properties with ops applied
	baseVer int // objData.ver props was computed from
}

// applySoft adds soft patches for this session only.
func (g *GenericObject) applySoft(ops []map[string]any) (*Reply, error) {
	var prev []map[string]any
	if g.soft != nil {
		prev = g.soft.ops
	}
	all := append(append([]map[string]any(nil), prev...), ops...)
	np, err := applyPatch(g.data.props, all)
	if err != nil {
		return nil, &Error{Code: 8, Parameter: err.Error(), Message: "Invalid parameters"}
	}
	g.soft = &softPatches{ops: all, props: np, baseVer: g.data.ver}
	for _, st := range g.defs {
		st.cube, st.list, st.hc = nil, nil, nil
	}
	r := result()
	r.Changed = []Object{g}
	return r, nil
}

// effectiveProps are the stored properties with this session's soft
// patches applied (re-applied when another session changed the
// properties; dropped when they no longer apply).
func (g *GenericObject) effectiveProps() obj {
	s := g.soft
	if s == nil {
		return g.data.props
	}
	if s.baseVer != g.data.ver {
		np, err := applyPatch(g.data.props, s.ops)
		if err != nil {
			g.soft = nil
			return g.data.props
		}
		s.props, s.baseVer = np, g.data.ver
	}
	return s.props
}
