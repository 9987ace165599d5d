package engine

import (
	"encoding/json"
	"fmt"
)

// miscCall runs the Doc methods of the expression grammar
// (GetExpressionBNF, GetExpressionBNFHash), script editor state
// (GetScriptBreakpoints, SetScriptBreakpoints), the data model viewer's
// saved layout (GetViewDlgSaveInfo, SetViewDlgSaveInfo) and Scramble;
// handled is false for other methods.
func (d *Doc) miscCall(method string, p Params) (*Reply, bool, error) {
	a := d.app
	switch method {
	case "GetExpressionBNF":
		defs, hash := BNF(false)
		return result("qBnfDefs", defs, "qBnfHash", hash), true, nil
	case "GetExpressionBNFHash":
		_, hash := BNF(false)
		return result("qBnfHash", hash), true, nil
	case "GetScriptBreakpoints":
		bps := a.more.breakpoints
		if bps == nil {
			bps = []editorBreakpoint{}
		}
		return result("qBreakpoints", bps), true, nil
	case "SetScriptBreakpoints":
		var bps []editorBreakpoint
		if err := args(p, "qBreakpoints", &bps); err != nil {
			return nil, true, err
		}
		// Kept with the app for the script editor; only a debug reload
		// would stop at them, and the emulator's reloads run through.
		a.more.breakpoints = bps
		return result(), true, nil
	case "GetViewDlgSaveInfo":
		if a.more.viewDlg != nil {
			return result("qReturn", a.more.viewDlg), true, nil
		}
		view := obj{{"qTables", []any{}}, {"qBroomPoints", []any{}}, {"qConnectionPoints", []any{}}, {"qZoomFactor", Float(1)}}
		return result("qReturn", obj{{"qPos", obj{{"qLeft", 0}, {"qTop", 0}, {"qWidth", 0}, {"qHeight", 0}}},
			{"qCtlInfo", obj{{"qInternalView", view}, {"qSourceView", view}}}, {"qMode", 0}}), true, nil
	case "SetViewDlgSaveInfo":
		var raw json.RawMessage
		if err := args(p, "qInfo", &raw); err != nil {
			return nil, true, err
		}
		o, err := parseObj(raw)
		if err != nil {
			return nil, true, invalid("qInfo")
		}
		a.more.viewDlg = o
		return result(), true, nil
	case "Scramble":
		var name string
		if err := args(p, "qFieldName", &name); err != nil {
			return nil, true, err
		}
		fi := d.model.field(name)
		if fi < 0 {
			return nil, true, &Error{Code: 2, Parameter: name, Message: "Field not found"}
		}
		uuidMu.Lock()
		seed := uuidRNG.next()
		uuidMu.Unlock()
		m, err := scrambled(d.model, fi, newPRNG(seed))
		if err != nil {
			return nil, true, err
		}
		a.model = m
		d.sync()
		return d.changedAll(result()), true, nil
	}
	return nil, false, nil
}

// editorBreakpoint is the schema's EditorBreakpoint.
type editorBreakpoint struct {
	BufferName string `json:"qbufferName"`
	LineIx     int    `json:"qlineIx"`
	Enabled    bool   `json:"qEnabled"`
}

// scrambled is a copy of m whose field fi has every value's letters and
// digits replaced through one random substitution (a bijection, so distinct
// values stay distinct and the tables keep their element numbers): the
// data is no longer recognisable while lengths, punctuation and which
// values are numbers mostly stay, as the engine's Scramble keeps them.
// As after a reload, every session keeps its selections where the values
// are still there (the scrambled field's are not: Doc.sync).
func scrambled(m *Model, fi int, rng *prng) (*Model, error) {
	sub := map[rune]rune{}
	perm := func(from rune, n int) {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := int(rng.next() % uint64(i+1))
			idx[i], idx[j] = idx[j], idx[i]
		}
		for i, j := range idx {
			sub[from+rune(i)] = from + rune(j)
		}
	}
	perm('a', 26)
	perm('0', 10)
	for i := 0; i < 26; i++ {
		sub['A'+rune(i)] = sub['a'+rune(i)] - 'a' + 'A'
	}
	old := m.Fields[fi]
	nf := &FieldData{Name: old.Name, index: map[string]int32{}, Tables: old.Tables, Comment: old.Comment}
	for e, v := range old.Values {
		rs := []rune(v.Text())
		for i, r := range rs {
			if s, ok := sub[r]; ok {
				rs[i] = s
			}
		}
		nv := strVal(string(rs))
		if v.IsNum() {
			nv = parseLoaded(string(rs))
		}
		if got := nf.intern(nv); got != int32(e) {
			return nil, fmt.Errorf("failed to scramble %s: two values met at %q", old.Name, string(rs))
		}
	}
	fields := append([]*FieldData(nil), m.Fields...)
	fields[fi] = nf
	byName := make(map[string]int, len(m.byName))
	for k, v := range m.byName {
		byName[k] = v
	}
	return &Model{Tables: m.Tables, Fields: fields, byName: byName, loose: m.loose}, nil
}
