package engine

// undoEntry is one step of the undo (or redo) stack: what undoing it
// restores. A property step holds an object's properties as they were; a
// created step removes the object again; a destroyed step puts the object
// and its children (tree, parents first) back.
type undoEntry struct {
	od    *objData
	props obj
	kind  int // undoProps, undoCreated, undoDestroyed
	tree  []*objData
	kids  [][]string // tree[i]'s children when it was destroyed
}

// Kinds of undo steps.
const (
	undoProps = iota
	undoCreated
	undoDestroyed
)

// maxUndo bounds each session's undo stack, as the engine's is bounded.
const maxUndo = 100

// push adds a step to the undo stack; a new change empties the redo stack.
// Changes made by Undo and Redo themselves are not recorded.
func (d *Doc) pushUndo(e undoEntry) {
	m := &d.more
	if m.replaying {
		return
	}
	m.undo = append(m.undo, e)
	m.seq++
	if len(m.undo) > maxUndo {
		m.undo = m.undo[len(m.undo)-maxUndo:]
	}
	m.redo = nil
}

// recordUndo remembers a persisted object's properties before a property
// change (SetProperties, ApplyPatches, SetFullPropertyTree, CopyFrom) so
// Undo can restore them. Session objects, which clients create and patch
// for their own UI, are no undo steps; nor are selections, which have
// their own Back/Forward history (BackCount, ForwardCount).
func (d *Doc) recordUndo(od *objData) {
	if !od.session {
		d.pushUndo(undoEntry{od: od, props: od.props})
	}
}

// undoable reports whether creating or destroying od is an undo step:
// app objects (sheets, charts, their children), not session objects or
// master items and bookmarks.
func undoable(od *objData) bool { return !od.session && od.kind == "" }

// recordCreated makes creating od an undo step.
func (d *Doc) recordCreated(od *objData) {
	if undoable(od) {
		d.pushUndo(undoEntry{od: od, kind: undoCreated})
	}
}

// recordDestroyed makes destroying od (with its children) one undo step:
// called as destroyObj starts, it keeps the tree before it goes; the
// function it returns ends the step, so the children destroyObj removes on
// the way are not steps of their own.
func (d *Doc) recordDestroyed(od *objData) func() {
	m := &d.more
	m.destroying++
	if m.destroying == 1 && undoable(od) {
		tree := d.subtree(od, nil)
		d.pushUndo(undoEntry{od: od, kind: undoDestroyed, tree: tree, kids: childLists(tree)})
	}
	return func() { m.destroying-- }
}

// subtree lists od and its descendants, parents first.
func (d *Doc) subtree(od *objData, out []*objData) []*objData {
	out = append(out, od)
	for _, c := range od.children {
		if cd := d.lookupObj(c); cd != nil {
			out = d.subtree(cd, out)
		}
	}
	return out
}

// undoInfo is the qUndoInfo layout of a qUndoInfoDef.
func (d *Doc) undoInfo() obj {
	return obj{{"qUndoCount", len(d.more.undo)}, {"qRedoCount", len(d.more.redo)}}
}

// undoCall runs Undo, Redo, ClearUndoBuffer, BackCount and ForwardCount;
// handled is false for other methods.
func (d *Doc) undoCall(method string, _ Params) (*Reply, bool, error) {
	m := &d.more
	switch method {
	case "Undo":
		return d.undoStep(&m.undo, &m.redo), true, nil
	case "Redo":
		return d.undoStep(&m.redo, &m.undo), true, nil
	case "ClearUndoBuffer":
		m.undo, m.redo = nil, nil
		m.seq++
		return d.changedAll(result()), true, nil
	case "BackCount":
		return result("qReturn", d.histPos), true, nil
	case "ForwardCount":
		return result("qReturn", len(d.hist)-1-d.histPos), true, nil
	}
	return nil, false, nil
}

// undoStep pops the newest step of from that still applies, reverts it and
// pushes its opposite on to. qSuccess is false when nothing is left.
func (d *Doc) undoStep(from, to *[]undoEntry) *Reply {
	d.more.seq++
	d.more.replaying = true
	defer func() { d.more.replaying = false }()
	for len(*from) > 0 {
		e := (*from)[len(*from)-1]
		*from = (*from)[:len(*from)-1]
		exists := d.lookupObj(e.od.id) == e.od
		r := result("qSuccess", true)
		switch e.kind {
		case undoProps:
			if !exists {
				continue // destroyed since: its steps are gone with it
			}
			*to = append(*to, undoEntry{od: e.od, props: e.od.props})
			d.instance(e.od).setProps(append(obj(nil), e.props...))
		case undoCreated:
			if !exists {
				continue
			}
			tree := d.subtree(e.od, nil)
			*to = append(*to, undoEntry{od: e.od, kind: undoDestroyed, tree: tree, kids: childLists(tree)})
			r.Closed = d.destroyObj(e.od)
		case undoDestroyed:
			if exists || d.lookupObj(e.od.id) != nil {
				continue // the id is taken again
			}
			d.restoreTree(e.tree, e.kids)
			*to = append(*to, undoEntry{od: e.od, kind: undoCreated})
		}
		d.gen++
		return d.changedAll(r)
	}
	return result("qSuccess", false)
}

// childLists copies each object's children ids (destroying a tree
// empties them).
func childLists(tree []*objData) [][]string {
	out := make([][]string, len(tree))
	for i, od := range tree {
		out[i] = append([]string(nil), od.children...)
	}
	return out
}

// restoreTree puts destroyed objects back with their children (tree[0]
// the root, under its old parent when that still exists).
func (d *Doc) restoreTree(tree []*objData, kids [][]string) {
	for i, od := range tree {
		od.children = append([]string(nil), kids[i]...)
		d.app.objects[od.id] = od
	}
	root := tree[0]
	if pd := d.lookupObj(root.parent); pd != nil {
		pd.children = append(pd.children, root.id)
	}
}

// notifyUndo adds the objects showing qUndoInfo to a reply's change list
// when the call changed the undo or redo stack (seq was the stack's
// sequence number before the call), so undo buttons follow every change.
func (d *Doc) notifyUndo(r **Reply, seq int) {
	if *r == nil || d.more.seq == seq {
		return
	}
	for _, k := range sortedKeys(d.instances) {
		g := d.instances[k]
		if _, ok := g.effectiveProps().get("qUndoInfoDef"); ok && !containsObject((*r).Changed, g) {
			(*r).Changed = append((*r).Changed, g)
		}
	}
}

// containsObject reports whether list holds o.
func containsObject(list []Object, o Object) bool {
	for _, x := range list {
		if x == o {
			return true
		}
	}
	return false
}
