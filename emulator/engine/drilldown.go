package engine

import (
	"context"
	"strings"
)

// A drill-down group is a dimension with qGrouping "H" and several
// qFieldDefs, one per level: it shows the first level whose field has more
// than one possible value, so selecting a single value drills down to the
// next level, and DrillUp clears the selections that drilled down.

// fieldOfDef resolves a field definition ("Field", "[Field]" or "=Field")
// to a field index, or -1.
func (d *Doc) fieldOfDef(def string) int {
	name := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(def), "="))
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		name = name[1 : len(name)-1]
	}
	fi := d.model.field(name)
	if fi < 0 {
		for i, f := range d.model.Fields {
			if strings.EqualFold(f.Name, name) {
				fi = i
			}
		}
	}
	return fi
}

// isDrillDown reports whether a dimension is a drill-down group.
func (def *dimDef) isDrillDown() bool {
	return strings.EqualFold(def.QDef.QGrouping, "H") && len(def.QDef.QFieldDefs) > 1
}

// drillLevel is the level a dimension shows in the current selection
// state: 0 unless it is a drill-down group.
func (d *Doc) drillLevel(def dimDef) int {
	if !def.isDrillDown() {
		return 0
	}
	last := len(def.QDef.QFieldDefs) - 1
	for i := 0; i < last; i++ {
		fi := d.fieldOfDef(def.QDef.QFieldDefs[i])
		if fi < 0 {
			return i
		}
		c := d.assoc().counts(fi)
		if c.QOption+c.QSelected+c.QLocked != 1 {
			return i
		}
	}
	return last
}

// drillInfo completes a drill-down dimension's qDimensionInfo: qGrouping
// "H", the level shown (qGroupPos) and every level's title and definition.
func drillInfo(info obj, def dimDef, level int, fieldName func(string) string) obj {
	defs := def.QDef.QFieldDefs
	titles := make([]string, len(defs))
	for i, fd := range defs {
		titles[i] = fieldName(fd)
		if i < len(def.QDef.QFieldLabels) && def.QDef.QFieldLabels[i] != "" {
			titles[i] = def.QDef.QFieldLabels[i]
		}
	}
	info.set("qFallbackTitle", titles[level])
	info.set("qGroupFallbackTitles", titles)
	info.set("qGroupPos", level)
	info.set("qGrouping", "H")
	info.set("qGroupFieldDefs", defs)
	return info
}

// drillFieldName is a level's field name for its title (the definition
// itself when it names no field).
func (d *Doc) drillFieldName(def string) string {
	if fi := d.fieldOfDef(def); fi >= 0 {
		return d.model.Fields[fi].Name
	}
	return def
}

// drillUp is GenericObject.DrillUp: the drill-down dimension qDimNo of the
// hypercube at qPath goes up qNbrSteps levels (to the first level when
// there are fewer) by clearing the selections of that level and every
// level below it, as the engine's breadcrumb does; a dimension that is not
// a drill-down group does not move.
func (g *GenericObject) drillUp(ctx context.Context, p Params) (*Reply, error) {
	var path string
	var dimNo, steps int
	if err := args(p, "qPath", &path, "qDimNo", &dimNo, "qNbrSteps", &steps); err != nil {
		return nil, err
	}
	def, _, err := g.hcDef(path)
	if err != nil {
		return nil, err
	}
	if dimNo < 0 || dimNo >= len(def.QDimensions) {
		return nil, invalid("qDimNo")
	}
	if steps < 0 {
		return nil, invalid("qNbrSteps")
	}
	d := g.doc
	dd := def.QDimensions[dimNo]
	var changed bool
	d.withState(def.QStateName, func() {
		level := d.drillLevel(dd)
		target := max(level-steps, 0)
		if target == level {
			return
		}
		st := d.sel.clone()
		for i := target; i < len(dd.QDef.QFieldDefs); i++ {
			if fi := d.fieldOfDef(dd.QDef.QFieldDefs[i]); fi >= 0 && !st.locked[fi] {
				st.setSel(fi, nil)
			}
		}
		changed = d.applySel(st)
	})
	r := result()
	if changed {
		return d.changedAll(r), nil
	}
	return r, nil
}
