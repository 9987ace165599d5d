package engine

// notFoundErr is the engine's error for an id that names no object.
func notFoundErr(id string) error {
	return &Error{Code: 2, Parameter: id, Message: "Object not found"}
}

// cloneCall runs CloneObject, CloneDimension, CloneMeasure, CloneBookmark
// and ClearAllSoftPatches; handled is false for other methods.
func (d *Doc) cloneCall(method string, p Params) (*Reply, bool, error) {
	kind, ok := map[string]string{"CloneObject": "", "CloneDimension": "GenericDimension",
		"CloneMeasure": "GenericMeasure", "CloneBookmark": "GenericBookmark"}[method]
	if ok {
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, true, err
		}
		od := d.lookupObj(id)
		if od == nil || od.kind != kind {
			return nil, true, notFoundErr(id)
		}
		if od.session && kind == "" {
			// The engine clones persisted objects only.
			return nil, true, invalid("qId")
		}
		c := d.cloneTree(od, od.parent)
		r := result("qCloneId", c.id)
		r.Changed = []Object{d.instance(c)}
		if pd := d.lookupObj(c.parent); pd != nil {
			r.Changed = append(r.Changed, d.instance(pd))
		}
		return r, true, nil
	}
	if method == "ClearAllSoftPatches" {
		r := result()
		for _, k := range sortedKeys(d.instances) {
			if g := d.instances[k]; g.soft != nil {
				g.clearSoft()
				r.Changed = append(r.Changed, g)
			}
		}
		return r, true, nil
	}
	return nil, false, nil
}

// cloneTree copies od and its children under new ids, the copy a child of
// parent ("" for a root object), stored where od is (session or app).
func (d *Doc) cloneTree(od *objData, parent string) *objData {
	id := newUUID()
	props := deepCopy(od.props).(obj)
	info := obj{{"qId", id}}
	for _, m := range infoOf(od) {
		if m.K != "qId" {
			info = append(info, m)
		}
	}
	props.set("qInfo", info)
	c := &objData{id: id, typ: od.typ, kind: od.kind, props: props, parent: parent, session: od.session,
		created: od.created}
	if od.bookmark != nil {
		bs := *od.bookmark
		c.bookmark = &bs
	}
	if c.session {
		d.sessObjs[id] = c
	} else {
		d.app.objects[id] = c
	}
	if pd := d.lookupObj(parent); pd != nil {
		pd.children = append(pd.children, id)
	}
	for _, ch := range od.children {
		if cd := d.lookupObj(ch); cd != nil {
			d.cloneTree(cd, id)
		}
	}
	return c
}

// clearSoft drops this session's soft patches on the object.
func (g *GenericObject) clearSoft() {
	g.soft = nil
	for _, st := range g.defs {
		st.cube, st.list, st.hc = nil, nil, nil
	}
}
