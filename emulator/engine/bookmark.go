package engine

import (
	"encoding/json"
	"time"
)

// bookmarkSel is the selection a bookmark stores: per field name the
// selected values' texts (texts survive reloads, element numbers do not).
type bookmarkSel struct {
	fields []string
	values map[string][]string
	locked map[string]bool
}

// snapshotSel captures the current selections by field name and text.
func (d *Doc) snapshotSel() *bookmarkSel {
	bs := &bookmarkSel{values: map[string][]string{}, locked: map[string]bool{}}
	for _, fi := range d.sel.order {
		b, ok := d.sel.sel[fi]
		if !ok {
			continue
		}
		f := d.model.Fields[fi]
		bs.fields = append(bs.fields, f.Name)
		b.each(func(e int32) { bs.values[f.Name] = append(bs.values[f.Name], f.Values[e].Text()) })
		bs.locked[f.Name] = d.sel.locked[fi]
	}
	return bs
}

// restore turns a stored selection back into a selection state of the
// current model; values that no longer exist are dropped.
func (bs *bookmarkSel) restore(m *Model) *selState {
	st := newSelState()
	for _, name := range bs.fields {
		fi := m.field(name)
		if fi < 0 {
			continue
		}
		f := m.Fields[fi]
		b := newBitset(len(f.Values))
		for _, txt := range bs.values[name] {
			for e, v := range f.Values {
				if v.Text() == txt {
					b.set(int32(e))
				}
			}
		}
		st.setSel(fi, b)
		if bs.locked[name] && b.count() > 0 {
			st.locked[fi] = true
		}
	}
	return st
}

// stateData is the qBookmark.qStateData of a stored selection.
func (bs *bookmarkSel) stateData() []any {
	items := []any{}
	for _, name := range bs.fields {
		items = append(items, obj{{"qDef", obj{{"qName", name}, {"qType", "PRESENT"}}},
			{"qLocked", bs.locked[name]}, {"qSelectInfo", obj{{"qTextSearch", ""}, {"qRangeLo", Float(0)}, {"qRangeHi", Float(0)},
				{"qNumberFormat", obj{{"qType", "U"}, {"qnDec", 10}, {"qUseThou", 0}}}, {"qRangeInfo", []any{}}, {"qContinuousRangeInfo", []any{}}}},
			{"qValues", []any{}}, {"qExcludedValues", []any{}}, {"qAndMode", false}, {"qOneAndOnlyOne", false},
			{"qSelectedTexts", bs.values[name]}})
	}
	return []any{obj{{"qStateName", "$"}, {"qFieldItems", items}}}
}

// bookmarkCall runs the Doc's bookmark methods (app.mu held); handled is
// false for other methods.
func (d *Doc) bookmarkCall(method string, p Params) (r *Reply, handled bool, err error) {
	switch method {
	case "CreateBookmark", "CreateBookmarkEx", "CreateSessionBookmark":
		var raw json.RawMessage
		if err := args(p, "qProp", &raw); err != nil {
			return nil, true, err
		}
		od, err := d.createObj(raw, method == "CreateSessionBookmark", "")
		if err != nil {
			return nil, true, err
		}
		od.kind = "GenericBookmark"
		if od.typ == "" {
			od.typ = "bookmark"
		}
		od.bookmark = d.snapshotSel()
		od.created = time.Now().UTC()
		g := d.instance(od)
		r := result("qReturn", g, "qInfo", infoOf(od))
		r.Changed = []Object{g}
		return r, true, nil
	case "ApplyBookmark":
		var id string
		if err := args(p, "qBookmarkId", &id); err != nil {
			return nil, true, err
		}
		od := d.lookupObj(id)
		if od == nil || od.bookmark == nil {
			return result("qSuccess", false), true, nil
		}
		return d.selReply(result("qSuccess", true), d.applySel(od.bookmark.restore(d.model))), true, nil
	case "GetBookmark":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, true, err
		}
		od := d.lookupObj(id)
		if od == nil || od.bookmark == nil {
			return result("qReturn", notFound), true, nil
		}
		return result("qReturn", d.instance(od)), true, nil
	case "DestroyBookmark":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, true, err
		}
		od := d.lookupObj(id)
		if od == nil || od.bookmark == nil {
			return result("qSuccess", false), true, nil
		}
		r := result("qSuccess", true)
		r.Closed = d.destroyObj(od)
		return r, true, nil
	case "GetBookmarks":
		list := []any{}
		for _, od := range d.allObjData(true) {
			if od.bookmark != nil {
				list = append(list, obj{{"qInfo", infoOf(od)}, {"qMeta", d.metaOf(od)}, {"qData", obj{}}})
			}
		}
		return result("qList", list), true, nil
	}
	return nil, false, nil
}

// bookmarkLayout is the qBookmark member of a bookmark's layout.
func (od *objData) bookmarkLayout() obj {
	t := od.created.Format("2006-01-02T15:04:05.000Z")
	return obj{{"qStateData", od.bookmark.stateData()}, {"qUtcModifyTime", serialFromTime(od.created)},
		{"qUtcRecallTime", serialFromTime(od.created)}, {"qPatches", []any{}}, {"qCreatedTime", t}}
}
