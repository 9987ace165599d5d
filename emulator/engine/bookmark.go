package engine

import (
	"encoding/json"
	"math"
	"time"
)

// bookmarkSel is the selection a bookmark stores: per field name the
// selected values' texts (texts survive reloads, element numbers do not).
type bookmarkSel struct {
	fields []string
	values map[string][]string
	nums   map[string][]float64 // the selected values' numbers (NaN: text only)
	locked map[string]bool
}

// snapshotSel captures the current selections by field name and text.
func (d *Doc) snapshotSel() *bookmarkSel {
	bs := &bookmarkSel{values: map[string][]string{}, nums: map[string][]float64{}, locked: map[string]bool{}}
	for _, fi := range d.sel.order {
		b, ok := d.sel.sel[fi]
		if !ok {
			continue
		}
		f := d.model.Fields[fi]
		bs.fields = append(bs.fields, f.Name)
		b.each(func(e int32) {
			v := f.Values[e]
			bs.values[f.Name] = append(bs.values[f.Name], v.Text())
			bs.nums[f.Name] = append(bs.nums[f.Name], v.Num)
		})
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

// fieldValues are a field's selected values as the schema's FieldValue
// (qText, qIsNumeric, qNumber).
func (bs *bookmarkSel) fieldValues(name string) []any {
	out := []any{}
	for i, txt := range bs.values[name] {
		n := math.NaN()
		if i < len(bs.nums[name]) {
			n = bs.nums[name][i]
		}
		fv := obj{{"qText", txt}, {"qIsNumeric", !math.IsNaN(n)}, {"qNumber", Float(0)}}
		if !math.IsNaN(n) {
			fv.set("qNumber", Float(n))
		}
		out = append(out, fv)
	}
	return out
}

// stateData is the qBookmark.qStateData of a stored selection.
func (bs *bookmarkSel) stateData() []any {
	items := []any{}
	for _, name := range bs.fields {
		items = append(items, obj{{"qDef", obj{{"qName", name}, {"qType", "PRESENT"}}},
			{"qLocked", bs.locked[name]}, {"qSelectInfo", obj{{"qTextSearch", ""}, {"qRangeLo", Float(0)}, {"qRangeHi", Float(0)},
				{"qNumberFormat", obj{{"qType", "U"}, {"qnDec", 10}, {"qUseThou", 0}}}, {"qRangeInfo", []any{}}, {"qContinuousRangeInfo", []any{}}}},
			{"qValues", bs.fieldValues(name)}, {"qExcludedValues", []any{}}, {"qAndMode", false}, {"qOneAndOnlyOne", false}})
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
		od, _, err := d.bookmarkArg(p, "qBookmarkId")
		if err != nil {
			return nil, true, err
		}
		if od == nil {
			return result("qSuccess", false), true, nil
		}
		return d.selReply(result("qSuccess", true), d.applySel(od.bookmark.restore(d.model))), true, nil
	case "GetBookmark":
		od, _, err := d.bookmarkArg(p, "qId")
		if err != nil {
			return nil, true, err
		}
		if od == nil {
			return result("qReturn", notFound), true, nil
		}
		return result("qReturn", d.instance(od)), true, nil
	case "DestroyBookmark":
		od, _, err := d.bookmarkArg(p, "qId")
		if err != nil {
			return nil, true, err
		}
		if od == nil {
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
	return obj{{"qStateData", od.bookmark.stateData()}, {"qUtcModifyTime", serialFromTime(od.created)},
		{"qVariableItems", []any{}}, {"qPatches", []any{}}}
}

// bookmarkArg reads the bookmark id a method names in parameter key and
// looks it up: od is nil, with no error, when there is no such bookmark,
// which each method answers in its own way.
func (d *Doc) bookmarkArg(p Params, key string) (od *objData, id string, err error) {
	if err := args(p, key, &id); err != nil {
		return nil, "", err
	}
	return d.lookupBookmark(id), id, nil
}

// lookupBookmark is the bookmark with id id, nil when there is none (or
// the id names another kind of object).
func (d *Doc) lookupBookmark(id string) *objData {
	if od := d.lookupObj(id); od != nil && od.bookmark != nil {
		return od
	}
	return nil
}
