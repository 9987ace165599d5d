package engine

import "strings"

// objectMoreCall runs the GenericObject methods of object management
// beyond genericobject.go (soft patches, copying, child order, linked
// objects, continuous list ranges); handled is false for other methods.
func (g *GenericObject) objectMoreCall(method string, p Params) (*Reply, bool, error) {
	d := g.doc
	switch method {
	case "ClearSoftPatches":
		g.clearSoft()
		r := result()
		r.Changed = []Object{g}
		return r, true, nil
	case "CopyFrom":
		var from string
		if err := args(p, "qFromId", &from); err != nil {
			return nil, true, err
		}
		src := d.lookupObj(from)
		if src == nil {
			return nil, true, notFoundErr(from)
		}
		return g.copyFrom(src), true, nil
	case "SetChildArrayOrder":
		var ids []string
		if err := args(p, "qIds", &ids); err != nil {
			return nil, true, err
		}
		if !sameSet(ids, g.data.children) {
			// Every child, and only children, must be listed.
			return nil, true, invalid("qIds")
		}
		g.data.children = append([]string(nil), ids...)
		g.data.ver++
		r := result()
		r.Changed = []Object{g}
		return r, true, nil
	case "GetLinkedObjects":
		return result("qItems", d.linkedObjects(g.data)), true, nil
	case "SelectListObjectContinuousRange":
		var path string
		var ranges []numRange
		var soft bool
		if err := args(p, "qPath", &path, "qRanges", &ranges, "qSoftLock", &soft); err != nil {
			return nil, true, err
		}
		fi, err := g.listField(path)
		if err != nil {
			return nil, true, err
		}
		f := d.model.Fields[fi]
		b := newBitset(len(f.Values))
		for e, v := range f.Values {
			for _, rg := range ranges {
				if v.IsNum() && rg.has(v.Num) {
					b.set(int32(e))
				}
			}
		}
		ok, changed := d.selectIn(fi, b, false, soft)
		return d.selReply(result("qSuccess", ok), changed), true, nil
	}
	return nil, false, nil
}

// copyFrom replaces the object's properties and children with copies of
// src's, keeping the object's own id (GenericObject.CopyFrom).
func (g *GenericObject) copyFrom(src *objData) *Reply {
	d := g.doc
	r := result()
	srcChildren := append([]string(nil), src.children...)
	g.setProps(deepCopy(src.props).(obj)) // the undo step of CopyFrom
	// The children's replacement is part of that step, not steps of its own.
	replaying := d.more.replaying
	d.more.replaying = true
	defer func() { d.more.replaying = replaying }()
	for _, c := range append([]string(nil), g.data.children...) {
		if cd := d.lookupObj(c); cd != nil {
			r.Closed = append(r.Closed, d.destroyObj(cd)...)
		}
	}
	for _, c := range srcChildren {
		if cd := d.lookupObj(c); cd != nil && cd.id != g.data.id {
			d.cloneTree(cd, g.data.id)
		}
	}
	r.Changed = []Object{g}
	return r
}

// sameSet reports whether a and b hold the same ids, each once.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range b {
		seen[x] = true
	}
	for _, x := range a {
		if !seen[x] {
			return false
		}
		delete(seen, x)
	}
	return len(seen) == 0
}

// linkedObjects lists the objects whose properties link to od: through
// qLibraryId (master dimensions and measures) or qExtendsId (master
// visualizations), each with the id of its root object.
func (d *Doc) linkedObjects(od *objData) []any {
	items := []any{}
	for _, o := range d.allObjData(true) {
		if o == od || !refersTo(o.props, od.id) {
			continue
		}
		root := o
		for root.parent != "" {
			pd := d.lookupObj(root.parent)
			if pd == nil {
				break
			}
			root = pd
		}
		items = append(items, obj{{"qRootId", root.id}, {"qInfo", infoOf(o)}})
	}
	return items
}

// refersTo reports whether a property value holds qLibraryId or
// qExtendsId equal to id anywhere.
func refersTo(v any, id string) bool {
	switch x := v.(type) {
	case obj:
		for _, m := range x {
			if (m.K == "qLibraryId" || m.K == "qExtendsId") && strings.EqualFold(str(m.V), id) {
				return true
			}
			if refersTo(m.V, id) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if refersTo(e, id) {
				return true
			}
		}
	}
	return false
}
