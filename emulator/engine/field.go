package engine

import (
	"context"
	"math"
	"strconv"
	"strings"
)

// Field is the QIX Field object: selections on one field of a doc.
type Field struct {
	doc   *Doc
	name  string
	state string // alternate state, "" for the default
}

// Type is "Field".
func (f *Field) Type() string { return "Field" }

// GenericType is empty for a Field.
func (f *Field) GenericType() string { return "" }

// GenericID is empty for a Field.
func (f *Field) GenericID() string { return "" }

// Call runs a Field method.
func (f *Field) Call(ctx context.Context, method string, p Params) (r *Reply, err error) {
	defer recoverInternal(&err)
	d := f.doc
	defer d.lock()()
	if f.refusedInModal(method) {
		return nil, ErrModalObject
	}
	fi := d.model.field(f.name)
	if fi < 0 {
		// The field vanished in a reload: behave like an empty field.
		switch method {
		case "GetCardinal":
			return result("qReturn", 0), nil
		}
		if _, ok := fieldMethods[method]; ok {
			return result("qReturn", false), nil
		}
		return nil, ErrMethodNotFound
	}
	var ok, changed bool
	d.withState(f.state, func() { ok, changed, r, err = d.fieldCall(fi, method, p) })
	if err != nil {
		return nil, err
	}
	if r != nil {
		return r, nil
	}
	return d.selReply(result("qReturn", ok), changed), nil
}

var fieldMethods = map[string]bool{"Select": true, "ToggleSelect": true, "SelectValues": true, "LowLevelSelect": true,
	"Clear": true, "ClearAllButThis": true, "SelectAll": true, "SelectPossible": true, "SelectExcluded": true,
	"SelectAlternative": true, "Lock": true, "Unlock": true, "GetCardinal": true, "GetAndMode": true, "SetAndMode": true,
	"GetNxProperties": true, "SetNxProperties": true}

// fieldCall runs a Field method on field fi (app.mu held). A non-nil Reply
// is returned as is; otherwise the result is {qReturn: ok}.
func (d *Doc) fieldCall(fi int, method string, p Params) (ok, changed bool, r *Reply, err error) {
	fd := d.model.Fields[fi]
	var softLock, toggle bool
	switch method {
	case "GetCardinal":
		return false, false, result("qReturn", len(fd.Values)), nil
	case "GetAndMode":
		return false, false, result("qReturn", false), nil
	case "SetAndMode", "SetNxProperties":
		return false, false, result(), nil
	case "GetNxProperties":
		return false, false, result("qProperties", obj{{"qOneAndOnlyOne", false}}), nil
	case "Select", "ToggleSelect":
		var match string
		var excludedMode int
		if err := args(p, "qMatch", &match, "qSoftLock", &softLock, "qExcludedValuesMode", &excludedMode); err != nil {
			return false, false, nil, err
		}
		b := d.matchValues(fi, match)
		if b.count() == 0 {
			return false, false, nil, nil // nothing matches: selections stay
		}
		ok, changed = d.selectIn(fi, b, method == "ToggleSelect", softLock)
		return ok, changed, nil, nil
	case "SelectValues":
		var vals []fieldValue
		if err := args(p, "qFieldValues", &vals, "qToggleMode", &toggle, "qSoftLock", &softLock); err != nil {
			return false, false, nil, err
		}
		b := newBitset(len(fd.Values))
		for _, v := range vals {
			for e, fv := range fd.Values {
				if v.QIsNumeric && fv.IsNum() && float64(v.QNumber) == fv.Num || !v.QIsNumeric && fv.Text() == v.QText {
					b.set(int32(e))
				}
			}
		}
		ok, changed = d.selectIn(fi, b, toggle, softLock)
		return ok, changed, nil, nil
	case "LowLevelSelect":
		var vals []int
		if err := args(p, "qValues", &vals, "qToggleMode", &toggle, "qSoftLock", &softLock); err != nil {
			return false, false, nil, err
		}
		b := newBitset(len(fd.Values))
		for _, e := range vals {
			if e >= 0 && e < len(fd.Values) {
				b.set(int32(e))
			}
		}
		ok, changed = d.selectIn(fi, b, toggle, softLock)
		return ok, changed, nil, nil
	case "Clear":
		if d.sel.locked[fi] {
			return false, false, nil, nil
		}
		st := d.sel.clone()
		st.setSel(fi, nil)
		return true, d.applySel(st), nil, nil
	case "ClearAllButThis":
		_ = args(p, "qSoftLock", &softLock)
		st := d.sel.clone()
		for o := range d.sel.sel {
			if o != fi && (!st.locked[o] || softLock) {
				st.setSel(o, nil)
				delete(st.locked, o)
			}
		}
		return true, d.applySel(st), nil, nil
	case "SelectAll", "SelectPossible", "SelectExcluded", "SelectAlternative":
		_ = args(p, "qSoftLock", &softLock)
		a := d.assoc()
		b := newBitset(len(fd.Values))
		for e := range fd.Values {
			s := a.state(fi, int32(e))
			var take bool
			switch method {
			case "SelectAll":
				take = true
			case "SelectPossible":
				take = s == stOption || s == stSelected || s == stLocked
			case "SelectExcluded":
				take = s == stAlternative || s == stExcluded
			case "SelectAlternative":
				take = s == stAlternative
			}
			if take {
				b.set(int32(e))
			}
		}
		if b.count() == 0 {
			return false, false, nil, nil
		}
		ok, changed = d.selectIn(fi, b, false, softLock)
		return ok, changed, nil, nil
	case "Lock", "Unlock":
		st := d.sel.clone()
		if method == "Lock" {
			if _, has := st.sel[fi]; !has {
				return false, false, nil, nil
			}
			st.locked[fi] = true
		} else {
			delete(st.locked, fi)
		}
		return true, d.applySel(st), nil, nil
	}
	return false, false, nil, ErrMethodNotFound
}

// selectIn selects the values in b (toggling them against the current
// selection when toggle is set). Selecting values that the other fields'
// selections exclude clears those other (unlocked) selections, as clicking
// an excluded value does in Qlik.
func (d *Doc) selectIn(fi int, b bitset, toggle, softLock bool) (ok, changed bool) {
	if d.sel.locked[fi] && !softLock {
		return false, false
	}
	nb := b.clone()
	if toggle {
		if cur, has := d.sel.sel[fi]; has {
			nb = cur.clone()
			for i := range nb {
				nb[i] ^= b[i]
			}
		}
	}
	st := d.sel.clone()
	if softLock {
		delete(st.locked, fi)
	}
	st.setSel(fi, nb)
	if nb.count() > 0 {
		poss, _ := propagate(d.model, st, fi)
		inter := nb.clone()
		inter.and(poss[fi])
		if inter.count() == 0 {
			for o := range st.sel {
				if o != fi && (!st.locked[o] || softLock) {
					st.setSel(o, nil)
					delete(st.locked, o)
				}
			}
		}
	}
	return true, d.applySel(st)
}

// matchValues finds the values of field fi matching a Select search string:
// ">10", "<=5", "=3" compare numbers; * and ? are wildcards; otherwise the
// text must match exactly (case-insensitive).
func (d *Doc) matchValues(fi int, match string) bitset {
	fd := d.model.Fields[fi]
	b := newBitset(len(fd.Values))
	m := strings.TrimSpace(match)
	for _, op := range []string{">=", "<=", "<>", ">", "<", "="} {
		if strings.HasPrefix(m, op) {
			if x, err := strconv.ParseFloat(strings.TrimSpace(m[len(op):]), 64); err == nil {
				for e, v := range fd.Values {
					if v.IsNum() && truthy(binop(op, numVal(v.Num), numVal(x))) {
						b.set(int32(e))
					}
				}
				return b
			}
		}
	}
	if strings.ContainsAny(match, "*?") {
		pat := strings.ToLower(match)
		for e, v := range fd.Values {
			if globMatch(pat, strings.ToLower(v.Text())) {
				b.set(int32(e))
			}
		}
		return b
	}
	num, numErr := strconv.ParseFloat(match, 64)
	for e, v := range fd.Values {
		if strings.EqualFold(v.Text(), match) || numErr == nil && v.IsNum() && math.Abs(v.Num-num) < 1e-12 {
			b.set(int32(e))
		}
	}
	return b
}
