package engine

import (
	"fmt"
	"strings"
)

// fieldOnTheFly is a field added by Doc.AddFieldFromExpression: its name
// and expression are kept with the app (and computed again after every
// reload), its values are not.
type fieldOnTheFly struct {
	name string
	expr string
}

// onTheFlyCall runs AddFieldFromExpression and GetFieldOnTheFlyByName;
// handled is false for other methods.
func (d *Doc) onTheFlyCall(method string, p Params) (*Reply, bool, error) {
	a := d.app
	switch method {
	case "AddFieldFromExpression":
		var name, expr string
		if err := args(p, "qName", &name, "qExpr", &expr); err != nil {
			return nil, true, err
		}
		if name == "" {
			return nil, true, invalid("qName")
		}
		f := fieldOnTheFly{name: name, expr: d.expand(expr)}
		m, err := withFieldOnTheFly(d.model, f, d.scope().vr)
		if err != nil {
			// Aggregations, unknown fields and clashing names: the engine
			// answers qSuccess false rather than an error.
			return result("qSuccess", false), true, nil
		}
		a.more.onTheFly = append(a.more.onTheFly, f)
		a.model = m
		d.sync()
		return d.changedAll(result("qSuccess", true)), true, nil
	case "GetFieldOnTheFlyByName":
		var name string
		if err := args(p, "qReadableName", &name); err != nil {
			return nil, true, err
		}
		for _, f := range a.more.onTheFly {
			if strings.EqualFold(f.name, name) && d.model.field(f.name) >= 0 {
				return result("qName", f.name), true, nil
			}
		}
		return result("qName", ""), true, nil
	}
	return nil, false, nil
}

// withFieldOnTheFly returns a new model holding m's tables plus the field
// f: its expression evaluated on every row of the table of the fields it
// uses (the largest when they span tables), as a new column of that table.
// m itself is not changed (sessions share it).
func withFieldOnTheFly(m *Model, f fieldOnTheFly, vars func(string) (Val, bool)) (*Model, error) {
	if m.field(f.name) >= 0 {
		return nil, fmt.Errorf("failed to add field %s: the field exists", f.name)
	}
	src := strings.TrimPrefix(strings.TrimSpace(f.expr), "=")
	n, err := parseExpr(src)
	if err != nil {
		return nil, fmt.Errorf("failed to add field %s: %w", f.name, err)
	}
	if hasAgg(n) {
		return nil, fmt.Errorf("failed to add field %s: aggregations are not allowed", f.name)
	}
	t := baseTable(m, fieldsIn(m, n, nil))
	if t < 0 {
		return nil, fmt.Errorf("failed to add field %s: the expression uses no field", f.name)
	}
	fn, err := compileRow(n, rowScopeFor(m, t, vars))
	if err != nil {
		return nil, fmt.Errorf("failed to add field %s: %w", f.name, err)
	}
	fd := &FieldData{Name: f.name, index: map[string]int32{}, Tables: []int{t}}
	base := m.Tables[t]
	col := make([]int32, base.Rows)
	for r := range col {
		col[r] = fd.intern(fn(int32(r)))
	}
	nt := *base
	nt.Fields = append(base.Fields[:len(base.Fields):len(base.Fields)], len(m.Fields))
	nt.Cols = append(base.Cols[:len(base.Cols):len(base.Cols)], col)
	tables := append([]*TableData(nil), m.Tables...)
	tables[t] = &nt
	byName := make(map[string]int, len(m.byName)+1)
	for k, v := range m.byName {
		byName[k] = v
	}
	byName[f.name] = len(m.Fields)
	return &Model{Tables: tables, Fields: append(m.Fields[:len(m.Fields):len(m.Fields)], fd),
		byName: byName, loose: m.loose}, nil
}

// applyFieldsOnTheFly adds the app's fields on the fly to a freshly loaded
// model; one that no longer computes (its fields are gone) is left out
// until a reload brings them back (a.mu held).
func (a *App) applyFieldsOnTheFly(m *Model) *Model {
	for _, f := range a.more.onTheFly {
		if nm, err := withFieldOnTheFly(m, f, func(string) (Val, bool) { return Val{}, false }); err == nil {
			m = nm
		}
	}
	return m
}
