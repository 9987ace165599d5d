package engine

// undoEntry is one step of the undo (or redo) stack: an object's
// properties as they were before the change the step undoes.
type undoEntry struct {
	od    *objData
	props obj
}

// maxUndo bounds each session's undo stack, as the engine's is bounded.
const maxUndo = 100

// recordUndo remembers od's properties before a property change
// (SetProperties, ApplyPatches, SetFullPropertyTree, CopyFrom) so Undo can
// restore them; a new change empties the redo stack. Changes made by Undo
// and Redo themselves are not recorded. Selections are not undo steps:
// they have their own Back/Forward history (BackCount, ForwardCount).
func (d *Doc) recordUndo(od *objData) {
	m := &d.more
	if m.replaying {
		return
	}
	m.undo = append(m.undo, undoEntry{od, od.props})
	if len(m.undo) > maxUndo {
		m.undo = m.undo[len(m.undo)-maxUndo:]
	}
	m.redo = nil
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
		return d.changedAll(result()), true, nil
	case "BackCount":
		return result("qReturn", d.histPos), true, nil
	case "ForwardCount":
		return result("qReturn", len(d.hist)-1-d.histPos), true, nil
	}
	return nil, false, nil
}

// undoStep pops the newest step of from whose object still exists,
// restores its properties and pushes the properties it replaced on to.
// qSuccess is false when there is nothing to undo.
func (d *Doc) undoStep(from, to *[]undoEntry) *Reply {
	for len(*from) > 0 {
		e := (*from)[len(*from)-1]
		*from = (*from)[:len(*from)-1]
		if d.lookupObj(e.od.id) != e.od {
			continue // destroyed since: its steps are gone with it
		}
		*to = append(*to, undoEntry{e.od, e.od.props})
		d.more.replaying = true
		d.instance(e.od).setProps(append(obj(nil), e.props...))
		d.more.replaying = false
		d.gen++
		return d.changedAll(result("qSuccess", true))
	}
	return result("qSuccess", false)
}
