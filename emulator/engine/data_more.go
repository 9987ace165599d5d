package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// dataCall runs the Doc methods that read the data model, variables,
// media and script metadata (GetTableData, GetVariables, RemoveVariable,
// GetMeasureWithLabel, GetMediaList, GetContentLibraries,
// GetLibraryContent, GetScriptEx, GetScriptMeta, GetTextMacros,
// SetFetchLimit, GetFavoriteVariables, SetFavoriteVariables); handled is
// false for other methods.
func (d *Doc) dataCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "GetTableData":
		var off, rows int
		var synthetic bool
		var name string
		if err := args(p, "qOffset", &off, "qRows", &rows, "qSyntheticMode", &synthetic, "qTableName", &name); err != nil {
			return nil, true, err
		}
		data, err := d.tableData(name, off, rows)
		if err != nil {
			return nil, true, err
		}
		return result("qData", data), true, nil
	case "GetVariables":
		var def any
		var raw json.RawMessage
		if err := args(p, "qListDef", &raw); err != nil {
			return nil, true, err
		}
		if len(raw) > 0 && string(raw) != "null" {
			o, err := parseObj(raw)
			if err != nil {
				return nil, true, invalid("qListDef")
			}
			def = o
		}
		l := (&GenericObject{doc: d}).variableList(def)
		items, _ := l.get("qItems")
		return result("qList", items), true, nil
	case "RemoveVariable":
		var name string
		if err := args(p, "qName", &name); err != nil {
			return nil, true, err
		}
		v := d.findVar(name)
		if v == nil || v.session {
			return result("qReturn", false), true, nil
		}
		r := d.destroyVariable(v.id, false, false)
		r.Result = []KV{{Key: "qReturn", Value: r.Result[0].Value}}
		return r, true, nil
	case "GetMeasureWithLabel":
		var label string
		if err := args(p, "qLabel", &label); err != nil {
			return nil, true, err
		}
		for _, od := range d.allObjData(true) {
			if od.kind != "GenericMeasure" {
				continue
			}
			if m, ok := getPath(od.props, "/qMeasure/qLabel"); ok && str(m) == label {
				return result("qReturn", d.instance(od)), true, nil
			}
		}
		return result("qReturn", notFound), true, nil
	case "GetMediaList":
		// The emulator's apps embed no media files.
		return result("qList", obj{{"qItems", []any{}}}, "qReturn", true), true, nil
	case "GetContentLibraries":
		// The engine omits qAppSpecific when false.
		return result("qList", obj{{"qItems", []any{obj{{"qName", "default"}},
			obj{{"qName", "appcontent"}, {"qAppSpecific", true}}}}}), true, nil
	case "GetLibraryContent":
		var name string
		if err := args(p, "qName", &name); err != nil {
			return nil, true, err
		}
		if !strings.EqualFold(name, "default") && !strings.EqualFold(name, "appcontent") {
			return nil, true, &Error{Code: 19004, Parameter: name, Message: "Media library not found"}
		}
		return result("qList", obj{{"qItems", []any{}}}), true, nil
	case "GetScriptEx":
		return result("qScript", obj{{"qScript", d.app.script}, {"qMeta", obj{}}, {"qIsLocked", false}}), true, nil
	case "GetScriptMeta":
		return result("qMeta", obj{{"qMeta", obj{}}, {"qIsLocked", false}}), true, nil
	case "GetTextMacros":
		// Outside a debug reload no statement has updated a variable, so
		// every sequence number is 0.
		macros := []any{}
		for _, v := range d.app.vars {
			macros = append(macros, obj{{"qTag", v.name}, {"qRefSeqNo", 0}, {"qSetSeqNo", 0},
				{"qDisplayString", v.definition}, {"qIsSystem", false}, {"qIsReserved", v.scriptCreated && isReservedVar(v.name)}})
		}
		return result("qMacros", macros), true, nil
	case "GetIncludeFileContent":
		var path string
		if err := args(p, "qPath", &path); err != nil {
			return nil, true, err
		}
		content, err := d.includeFile(path)
		if err != nil {
			return nil, true, err
		}
		return result("qContent", content), true, nil
	case "SetFetchLimit":
		var n int
		if err := args(p, "qLimit", &n); err != nil {
			return nil, true, err
		}
		// Only debug reloads honour the limit; the emulator has none.
		d.more.fetchLim = n
		return result(), true, nil
	case "GetFavoriteVariables":
		names := []string{}
		for _, n := range d.app.more.favorites {
			if d.findVar(n) != nil {
				names = append(names, n)
			}
		}
		return result("qNames", names), true, nil
	case "SetFavoriteVariables":
		var names []string
		if err := args(p, "qNames", &names); err != nil {
			return nil, true, err
		}
		d.app.more.favorites = append([]string(nil), names...)
		return result(), true, nil
	}
	return nil, false, nil
}

// tableData is GetTableData's qData: rows off..off+n of a table, each
// value as FieldValue (nulls as "-").
func (d *Doc) tableData(name string, off, n int) ([]any, error) {
	var t *TableData
	for _, tt := range d.model.Tables {
		if tt.Name == name {
			t = tt
		}
	}
	if t == nil {
		return nil, &Error{Code: 2, Parameter: name, Message: "Table not found"}
	}
	out := []any{}
	if off < 0 {
		off = 0
	}
	for r := off; r < t.Rows && r < off+n; r++ {
		vals := make([]any, len(t.Fields))
		for c, fi := range t.Fields {
			e := t.Cols[c][r]
			if e < 0 {
				vals[c] = fieldValue{QText: "-", QNumber: Float(0)}
				continue
			}
			v := d.model.Fields[fi].Values[e]
			vals[c] = fieldValue{QText: v.Text(), QIsNumeric: v.IsNum(), QNumber: Float(numOr0(v))}
		}
		out = append(out, obj{{"qValue", vals}})
	}
	return out, nil
}

// includeFile reads a script include file from the data folder
// (lib://data/<file>, the one library the emulator has), as $(Include=...)
// and $(Must_Include=...) would.
func (d *Doc) includeFile(path string) (string, error) {
	notFound := &Error{Code: 3003, Parameter: path, Message: "File not found"}
	lower := strings.ToLower(path)
	rel := ""
	for _, pre := range []string{"lib://data/", "lib://datafiles/"} {
		if strings.HasPrefix(lower, pre) {
			rel = path[len(pre):]
		}
	}
	if rel == "" || d.app.dataDir == "" {
		return "", notFound
	}
	b, err := os.ReadFile(filepath.Join(d.app.dataDir, filepath.Clean("/"+rel)))
	if err != nil {
		return "", notFound
	}
	return string(b), nil
}
