package engine

import "encoding/json"

// Loosely coupled tables: a table whose fields have no logic between them,
// so a selection in one of its fields does not reach the others through
// it (QlikView's and the engine's "loosely coupled" state, set with
// SetLooselyCoupledVector). propagate skips such tables: they constrain no
// rows and give no field its possible values; a field that lives only in
// loosely coupled tables keeps every value possible (or its selection).

// looseOnly reports whether every table of field fi is loosely coupled.
func (m *Model) looseOnly(fi int) bool {
	if len(m.loose) == 0 || len(m.Fields[fi].Tables) == 0 {
		return false
	}
	for _, t := range m.Fields[fi].Tables {
		if !m.loose[t] {
			return false
		}
	}
	return true
}

// looseValues are the possible values of a field only loosely coupled
// tables hold: its own selection, or all of them.
func looseValues(f *FieldData, sel bitset) bitset {
	if sel != nil {
		return sel.clone()
	}
	return fullBitset(len(f.Values))
}

// byteVector reads qv, an array of bytes: JSON numbers, or the base64
// string typed clients (enigma-go's []byte) send.
func byteVector(raw json.RawMessage) ([]int, error) {
	var v []int
	if json.Unmarshal(raw, &v) == nil {
		return v, nil
	}
	var b []byte
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, invalid("qv")
	}
	for _, x := range b {
		v = append(v, int(x))
	}
	return v, nil
}

// looseCall runs GetLooselyCoupledVector and SetLooselyCoupledVector;
// handled is false for other methods.
func (d *Doc) looseCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "GetLooselyCoupledVector":
		// One state per table (0 normal, 1 loosely coupled), then the
		// three values the engine keeps for internal use.
		v := make([]int, len(d.model.Tables)+3)
		for t := range d.model.Tables {
			if d.model.loose[t] {
				v[t] = 1
			}
		}
		return result("qv", v), true, nil
	case "SetLooselyCoupledVector":
		var raw json.RawMessage
		if err := args(p, "qv", &raw); err != nil {
			return nil, true, err
		}
		v, err := byteVector(raw)
		if err != nil {
			return nil, true, err
		}
		loose := map[int]bool{}
		for t := range d.model.Tables {
			if t < len(v) && v[t] != 0 {
				loose[t] = true
			}
		}
		// A new model over the same tables: every session's association
		// is computed again, its selections starting over as after a
		// reload.
		m := d.model
		d.app.model = &Model{Tables: m.Tables, Fields: m.Fields, byName: m.byName, loose: loose}
		d.sync()
		return d.changedAll(result("qReturn", true)), true, nil
	}
	return nil, false, nil
}
