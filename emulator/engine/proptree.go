package engine

import (
	"encoding/json"
)

// propEntry is one node of SetFullPropertyTree's qPropEntry: an object's
// properties and its children's entries.
type propEntry struct {
	QProperty json.RawMessage `json:"qProperty"`
	QChildren []propEntry     `json:"qChildren"`
}

// setPropTree is SetFullPropertyTree: like the engine, it sets the
// object's properties and makes its children match the tree — a child
// entry whose qInfo.qId names an existing child updates it, one without
// qId (or naming no child) creates it, and children the tree leaves out
// are destroyed. nebula.js's filter pane creates its list boxes this way
// and reads them back from the qChildList layout.
func (g *GenericObject) setPropTree(e propEntry) (*Reply, error) {
	d := g.doc
	o, err := parseObj(e.QProperty)
	if err != nil {
		return nil, invalid("qPropEntry")
	}
	r := result()
	if err := g.applyPropEntry(o, e.QChildren, r); err != nil {
		return nil, err
	}
	r.Changed = append(r.Changed, g)
	if pd := d.lookupObj(g.data.parent); pd != nil {
		r.Changed = append(r.Changed, d.instance(pd))
	}
	return r, nil
}

// applyPropEntry sets g's properties and reconciles its children with
// entries, adding what it closes and changes to r.
func (g *GenericObject) applyPropEntry(props obj, entries []propEntry, r *Reply) error {
	d := g.doc
	g.setProps(props)
	keep := map[string]bool{}
	type pending struct {
		od       *objData
		props    obj
		children []propEntry
	}
	var todo []pending
	for _, ce := range entries {
		cp, err := parseObj(ce.QProperty)
		if err != nil {
			return invalid("qPropEntry")
		}
		info, _ := cp.get("qInfo")
		io, _ := info.(obj)
		id := str(valueOr(io, "qId"))
		if cd := d.lookupObj(id); id != "" && cd != nil && cd.parent == g.data.id {
			keep[id] = true
			todo = append(todo, pending{cd, cp, ce.QChildren})
			continue
		}
		raw, err := json.Marshal(cp)
		if err != nil {
			return invalid("qPropEntry")
		}
		cd, err := d.createObj(raw, g.data.session, g.data.id)
		if err != nil {
			return err
		}
		keep[cd.id] = true
		// The new child's own properties are set again below, with its
		// children; createObj already stored them with its qInfo.
		ci := d.instance(cd)
		todo = append(todo, pending{cd, ci.data.props, ce.QChildren})
	}
	for _, c := range append([]string(nil), g.data.children...) {
		if cd := d.lookupObj(c); cd != nil && !keep[c] {
			r.Closed = append(r.Closed, d.destroyObj(cd)...)
		}
	}
	// The children keep the tree's order (qChildList lists them so).
	order := make([]string, 0, len(todo))
	for _, t := range todo {
		order = append(order, t.od.id)
	}
	g.data.children = order
	for _, t := range todo {
		ci := d.instance(t.od)
		if err := ci.applyPropEntry(t.props, t.children, r); err != nil {
			return err
		}
		r.Changed = append(r.Changed, ci)
	}
	return nil
}
