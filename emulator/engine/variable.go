package engine

import (
	"context"
)

// Variable is the QIX GenericVariable object.
type Variable struct {
	doc  *Doc
	data *varData
}

// Type is "GenericVariable".
func (v *Variable) Type() string { return "GenericVariable" }

// GenericType is "variable".
func (v *Variable) GenericType() string { return "variable" }

// GenericID is the variable's id.
func (v *Variable) GenericID() string { return v.data.id }

// variable returns this doc's object for a variable (one per id).
func (d *Doc) variable(vd *varData) *Variable {
	if v, ok := d.varInst[vd.id]; ok && v.data == vd {
		return v
	}
	v := &Variable{doc: d, data: vd}
	d.varInst[vd.id] = v
	return v
}

// varProps is the variable's qProp.
func (v *varData) properties() obj {
	p := obj{{"qInfo", obj{{"qId", v.id}, {"qType", "variable"}}}, {"qMetaDef", obj{}}, {"qName", v.name},
		{"qComment", v.comment}, {"qDefinition", v.definition}, {"qIncludeInBookmark", false}}
	for _, m := range v.props {
		if _, ok := p.get(m.K); !ok {
			p = append(p, m)
		}
	}
	return p
}

// setProps applies a qProp to the variable.
func (v *varData) setProps(o obj) {
	v.props = obj{}
	for _, m := range o {
		switch m.K {
		case "qInfo":
			if io, ok := m.V.(obj); ok {
				if id := str(valueOr(io, "qId")); id != "" && v.id == "" {
					v.id = id
				}
			}
		case "qName":
			v.name = str(m.V)
		case "qDefinition":
			v.definition = str(m.V)
		case "qComment":
			v.comment = str(m.V)
		case "qMetaDef", "qIncludeInBookmark":
		default:
			v.props = append(v.props, m)
		}
	}
}

// Call runs a GenericVariable method.
func (v *Variable) Call(ctx context.Context, method string, p Params) (r *Reply, err error) {
	defer recoverInternal(&err)
	d := v.doc
	defer d.lock()()
	vd := v.data
	switch method {
	case "GetLayout":
		val := d.varValue(vd)
		l := obj{{"qInfo", obj{{"qId", vd.id}, {"qType", "variable"}}}, {"qMeta", obj{{"privileges", []string{"read", "update", "delete"}}}},
			{"qText", val.Text()}, {"qNum", Float(val.Num)}, {"qIsScriptCreated", vd.scriptCreated}}
		if val.Null {
			l.set("qText", "")
		}
		for _, m := range vd.props {
			if _, ok := l.get(m.K); !ok {
				l = append(l, m)
			}
		}
		return result("qLayout", l), nil
	case "GetProperties":
		return result("qProp", vd.properties()), nil
	case "GetInfo":
		return result("qInfo", obj{{"qId", vd.id}, {"qType", "variable"}}), nil
	case "SetProperties":
		o, err := propsArg(p)
		if err != nil {
			return nil, err
		}
		vd.setProps(o)
		d.gen++
		return d.changedAll(result()), nil
	case "SetStringValue":
		var s string
		if err := args(p, "qVal", &s); err != nil {
			return nil, err
		}
		vd.definition = s
		d.gen++
		return d.changedAll(result()), nil
	case "SetNumValue":
		var f float64
		if err := args(p, "qVal", &f); err != nil {
			return nil, err
		}
		vd.definition = formatNum(f)
		d.gen++
		return d.changedAll(result()), nil
	case "SetDualValue":
		var s string
		var f float64
		if err := args(p, "qText", &s, "qNum", &f); err != nil {
			return nil, err
		}
		vd.definition = s
		d.gen++
		return d.changedAll(result()), nil
	case "GetRawContent":
		return result("qReturn", vd.definition), nil
	case "GetContent":
		val := d.varValue(vd)
		return result("qContent", obj{{"qString", val.Text()}, {"qIsNum", val.IsNum()}}), nil
	case "GetNxProperties":
		return result("qProperties", vd.properties()), nil
	case "ApplyPatches":
		var patches []nxPatch
		if err := args(p, "qPatches", &patches); err != nil {
			return nil, err
		}
		ops, err := patchOps(patches)
		if err != nil {
			return nil, err
		}
		np, err := applyPatch(vd.properties(), ops)
		if err != nil {
			return nil, &Error{Code: 8, Parameter: err.Error(), Message: "Invalid parameters"}
		}
		vd.setProps(np)
		d.gen++
		return d.changedAll(result()), nil
	}
	return nil, ErrMethodNotFound
}

// createVariable handles CreateSessionVariable / CreateVariableEx.
func (d *Doc) createVariable(method string, p Params) (*Reply, error) {
	o, err := propsArg(p)
	if err != nil {
		return nil, err
	}
	vd := &varData{session: method == "CreateSessionVariable"}
	vd.setProps(o)
	if vd.name == "" {
		return nil, invalid("qName")
	}
	if d.findVar(vd.name) != nil {
		return nil, &Error{Code: 8, Parameter: vd.name, Message: "Variable already exists"}
	}
	if vd.id == "" {
		vd.id = newUUID()
	}
	if vd.session {
		d.sessVars = append(d.sessVars, vd)
	} else {
		d.app.vars = append(d.app.vars, vd)
	}
	d.gen++
	v := d.variable(vd)
	r := result("qReturn", v)
	if method != "CreateSessionVariable" {
		r.Result = append(r.Result, KV{"qInfo", obj{{"qId", vd.id}, {"qType", "variable"}}})
	}
	r.Changed = []Object{v}
	return r, nil
}

// destroyVariable removes a variable by id or name.
func (d *Doc) destroyVariable(key string, byName, sessionOnly bool) *Reply {
	match := func(v *varData) bool {
		if byName {
			return eqFold(v.name, key)
		}
		return v.id == key
	}
	for i, v := range d.sessVars {
		if match(v) {
			d.sessVars = append(d.sessVars[:i], d.sessVars[i+1:]...)
			return d.varClosed(v)
		}
	}
	if !sessionOnly {
		for i, v := range d.app.vars {
			if match(v) {
				d.app.vars = append(d.app.vars[:i], d.app.vars[i+1:]...)
				return d.varClosed(v)
			}
		}
	}
	return result("qSuccess", false)
}

func (d *Doc) varClosed(v *varData) *Reply {
	r := result("qSuccess", true)
	d.gen++
	if inst, ok := d.varInst[v.id]; ok {
		delete(d.varInst, v.id)
		r.Closed = []Object{inst}
	}
	return r
}
