package engine

import "time"

// bookmarkMoreCall runs the Doc's bookmark methods beyond bookmark.go
// (ApplyAndVerifyBookmark, ReplaceBookmark) and the session alternate
// states; handled is false for other methods.
func (d *Doc) bookmarkMoreCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "ApplyAndVerifyBookmark":
		od, id, err := d.bookmarkArg(p, "qId")
		if err != nil {
			return nil, true, err
		}
		if od == nil {
			return nil, true, notFoundErr(id)
		}
		return d.applyAndVerify(od), true, nil
	case "ReplaceBookmark":
		od, id, err := d.bookmarkArg(p, "qId")
		if err != nil {
			return nil, true, err
		}
		if od == nil {
			return nil, true, notFoundErr(id)
		}
		// The bookmark now holds the current selections; its properties
		// (title, description) stay.
		od.bookmark = d.snapshotSel()
		od.created = time.Now().UTC()
		od.ver++
		g := d.instance(od)
		r := result("qInfo", infoOf(od), "qReturn", g)
		r.Changed = []Object{g}
		return r, true, nil
	case "AddSessionAlternateState":
		var name, src string
		if err := args(p, "qStateName", &name, "qSourceStateName", &src); err != nil {
			return nil, true, err
		}
		if name == "" || name == "$" {
			return nil, true, invalid("qStateName")
		}
		if d.states[name] == nil {
			st := newStateSel()
			if src != "" {
				// The new state starts from the source state's selections.
				d.withState(src, func() { st.sel = d.sel.clone() })
				st.hist = []*selState{st.sel.clone()}
			}
			d.states[name] = st
			if d.more.sessState == nil {
				d.more.sessState = map[string]bool{}
			}
			d.more.sessState[name] = true
		}
		d.gen++
		return d.changedAll(result()), true, nil
	case "RemoveSessionAlternateState":
		var name string
		if err := args(p, "qStateName", &name); err != nil {
			return nil, true, err
		}
		if !d.more.sessState[name] {
			return result("qSuccess", false), true, nil
		}
		delete(d.states, name)
		delete(d.more.sessState, name)
		d.gen++
		return d.changedAll(result("qSuccess", true)), true, nil
	}
	return nil, false, nil
}

// applyAndVerify applies a bookmark and reports, per stored field, whether
// every stored value could be selected again (BookmarkApplyAndVerifyResult).
func (d *Doc) applyAndVerify(od *objData) *Reply {
	bs := od.bookmark
	st := bs.restore(d.model)
	changed := d.applySel(st)
	warnings := []any{}
	for _, name := range bs.fields {
		fi := d.model.field(name)
		if fi < 0 {
			warnings = append(warnings, obj{{"qState", "$"}, {"qField", name}, {"qVerifyResult", "FIELD_MISSING"},
				{"qMissingValues", bs.values[name]}})
			continue
		}
		have := map[string]bool{}
		if b, ok := st.sel[fi]; ok {
			b.each(func(e int32) { have[d.model.Fields[fi].Values[e].Text()] = true })
		}
		missing := []string{}
		for _, txt := range bs.values[name] {
			if !have[txt] {
				missing = append(missing, txt)
			}
		}
		if len(missing) > 0 {
			warnings = append(warnings, obj{{"qState", "$"}, {"qField", name}, {"qVerifyResult", "FIELD_VALUE_MISSING"},
				{"qMissingValues", missing}})
		}
	}
	res := obj{{"qApplySuccess", true}, {"qWarnings", warnings},
		{"qGroupStateResult", obj{{"qApplySuccess", true}, {"qWarnings", []any{}}}}}
	return d.selReply(result("qResult", res), changed)
}

// bookmarkObjCall runs GenericBookmark.Apply, ApplyAndVerify and
// GetFieldValues; handled is false for other methods and objects.
func (g *GenericObject) bookmarkObjCall(method string, p Params) (*Reply, bool, error) {
	od, d := g.data, g.doc
	if od.bookmark == nil {
		return nil, false, nil
	}
	switch method {
	case "Apply":
		return d.selReply(result("qSuccess", true), d.applySel(od.bookmark.restore(d.model))), true, nil
	case "ApplyAndVerify":
		return d.applyAndVerify(od), true, nil
	case "GetFieldValues":
		var field string
		var excluded bool
		var page struct {
			QStartIndex int `json:"qStartIndex"`
			QEndIndex   int `json:"qEndIndex"`
		}
		if err := args(p, "qField", &field, "qGetExcludedValues", &excluded, "qDataPage", &page); err != nil {
			return nil, true, err
		}
		vals := []any{}
		if !excluded {
			// The emulator's bookmarks store selected values only, so
			// their excluded-value lists are empty.
			vals = od.bookmark.fieldValues(field)
		}
		lo, hi := page.QStartIndex, page.QEndIndex
		if hi <= lo || hi > len(vals) {
			hi = len(vals)
		}
		if lo < 0 || lo > hi {
			lo = hi
		}
		return result("qFieldValues", vals[lo:hi]), true, nil
	}
	return nil, false, nil
}
