package engine

import (
	"context"
	"encoding/json"
	"sort"
)

// stateSel is one selection state's data (the default state "$" lives in
// the Doc's own fields; alternate states are kept here while inactive).
type stateSel struct {
	sel     *selState
	hist    []*selState
	histPos int
	asc     *assoc
}

// withState runs fn with the named alternate state as the current
// selection state, so every selection and layout routine works unchanged
// on it. "" and "$" are the default state; unknown names fall back to it.
func (d *Doc) withState(name string, fn func()) {
	if name == "" || name == "$" || name == d.curState {
		fn()
		return
	}
	st := d.states[name]
	if st == nil {
		fn()
		return
	}
	saved := stateSel{d.sel, d.hist, d.histPos, d.asc}
	prev := d.curState
	d.sel, d.hist, d.histPos, d.asc, d.curState = st.sel, st.hist, st.histPos, st.asc, name
	defer func() {
		*st = stateSel{d.sel, d.hist, d.histPos, d.asc}
		d.sel, d.hist, d.histPos, d.asc, d.curState = saved.sel, saved.hist, saved.histPos, saved.asc, prev
	}()
	fn()
}

// newStateSel is an empty selection state.
func newStateSel() *stateSel {
	s := newSelState()
	return &stateSel{sel: s, hist: []*selState{s.clone()}}
}

// stateNames lists the alternate states (qStateNames).
func (d *Doc) stateNames() []string {
	out := make([]string, 0, len(d.states))
	for n := range d.states {
		if d.more.sessState[n] {
			continue // session states are not in qStateNames
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// stateAt is the selection state of the definition at path in an object:
// the definition's own qStateName, else the object's.
func (g *GenericObject) stateAt(path string) string {
	if path != "" {
		if v, ok := getPath(g.data.props, normPath(path)); ok {
			if o, ok := v.(obj); ok {
				if s := str(valueOr(o, "qStateName")); s != "" {
					return s
				}
			}
		}
	}
	return str(valueOr(g.data.props, "qStateName"))
}

// stateOfDef reads qStateName from a definition value.
func stateOfDef(v any, fallback string) string {
	if o, ok := v.(obj); ok {
		if s := str(valueOr(o, "qStateName")); s != "" {
			return s
		}
	}
	return fallback
}

// stateCall handles the Doc's alternate-state methods; handled is false
// for other methods.
func (d *Doc) stateCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "AddAlternateState", "RemoveAlternateState":
		var name string
		if err := args(p, "qStateName", &name); err != nil {
			return nil, true, err
		}
		if name == "" || name == "$" {
			return nil, true, invalid("qStateName")
		}
		if method == "AddAlternateState" {
			if d.states[name] == nil {
				d.states[name] = newStateSel()
			}
		} else {
			delete(d.states, name)
		}
		d.gen++
		return d.changedAll(result()), true, nil
	case "GetStateNames":
		return result("qReturn", d.stateNames()), true, nil
	case "AbortModal":
		// Ends the modal selection of whichever object holds it:
		// accepted, or rolled back to where BeginSelections started.
		var accept bool
		if err := args(p, "qAccept", &accept); err != nil {
			return nil, true, err
		}
		if d.modal == nil {
			return result(), true, nil
		}
		r, err := d.modal.call(context.Background(), "EndSelections", ParamList{accept})
		return r, true, err
	}
	return nil, false, nil
}

// pathParam reads the qPath parameter of a method, "" when absent.
func pathParam(p Params) string {
	if p == nil {
		return ""
	}
	raw := p.Get(0, "qPath")
	var s string
	if raw != nil && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}
