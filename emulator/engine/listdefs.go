package engine

import "context"

// listDefLayout is the layout of the object-list definitions
// (qDimensionListDef, qMeasureListDef, qBookmarkListDef,
// qAppObjectListDef): one item per matching object with its qInfo, qMeta
// and the qData paths of the definition read from the object's
// properties. ok is false for other keys.
func (g *GenericObject) listDefLayout(k string, v any) (string, any, bool) {
	var kind, out string
	switch k {
	case "qDimensionListDef":
		kind, out = "GenericDimension", "qDimensionList"
	case "qMeasureListDef":
		kind, out = "GenericMeasure", "qMeasureList"
	case "qBookmarkListDef":
		kind, out = "GenericBookmark", "qBookmarkList"
	case "qAppObjectListDef":
		kind, out = "", "qAppObjectList"
	case "qVariableListDef":
		return "qVariableList", g.variableList(v), true
	default:
		return "", nil, false
	}
	d := g.doc
	def, _ := v.(obj)
	typ := str(valueOr(def, "qType"))
	var data obj
	if dv, ok := def.get("qData"); ok {
		data, _ = dv.(obj)
	}
	items := []any{}
	ods := d.allObjData(true)
	if kind == "" {
		d.rankObjects(ods)
	}
	for _, od := range ods {
		if od.kind != kind || od.parent != "" && kind == "" {
			continue
		}
		if typ != "" && od.typ != typ {
			continue
		}
		if od.session && kind != "GenericBookmark" {
			continue
		}
		items = append(items, obj{{"qInfo", infoOf(od)}, {"qMeta", d.metaOf(od)}, {"qData", d.itemData(od, data)}})
	}
	return out, obj{{"qItems", items}}, true
}

// itemData reads a list definition's qData paths from one object's
// properties, evaluating expressions found there.
func (d *Doc) itemData(od *objData, data obj) obj {
	qd := obj{}
	inst := d.instance(od)
	for _, m := range data {
		p := str(m.V)
		val, ok := getPath(od.props, p)
		if !ok {
			qd = append(qd, member{m.K, nil})
			continue
		}
		lv, _ := inst.layoutValue(context.Background(), val, p)
		qd = append(qd, member{m.K, lv})
	}
	return qd
}

// variableList is qVariableList: the app's variables, session ones with
// qShowSession, each with the qData paths of the definition.
func (g *GenericObject) variableList(v any) obj {
	d := g.doc
	def, _ := v.(obj)
	showSession, _ := valueOr(def, "qShowSession").(bool)
	showReserved, _ := valueOr(def, "qShowReserved").(bool)
	var data obj
	if dv, ok := def.get("qData"); ok {
		data, _ = dv.(obj)
	}
	items := []any{}
	add := func(vd *varData) {
		it := obj{{"qName", vd.name}, {"qDefinition", vd.definition}}
		if vd.comment != "" {
			it = append(it, member{"qDescription", vd.comment})
		}
		it = append(it, member{"qInfo", obj{{"qId", vd.id}, {"qType", "variable"}}})
		if len(data) > 0 {
			qd := obj{}
			props := vd.properties()
			for _, m := range data {
				val, _ := getPath(props, str(m.V))
				qd = append(qd, member{m.K, val})
			}
			it = append(it, member{"qData", qd})
		}
		if vd.scriptCreated {
			it = append(it, member{"qIsScriptCreated", true})
		}
		if vd.session {
			it = append(it, member{"qIsSessionVariable", true})
		}
		items = append(items, it)
	}
	for _, vd := range d.app.vars {
		if vd.scriptCreated && isReservedVar(vd.name) && !showReserved {
			continue
		}
		add(vd)
	}
	if showSession {
		for _, vd := range d.sessVars {
			add(vd)
		}
	}
	return obj{{"qItems", items}}
}

// isReservedVar tells the script's system variables (number formats and
// the like) that lists hide unless qShowReserved.
func isReservedVar(name string) bool {
	switch name {
	case "ThousandSep", "DecimalSep", "MoneyThousandSep", "MoneyDecimalSep", "MoneyFormat", "TimeFormat", "DateFormat",
		"TimestampFormat", "MonthNames", "LongMonthNames", "DayNames", "LongDayNames", "FirstWeekDay", "BrokenWeeks",
		"ReferenceDay", "FirstMonthOfYear", "CollationLocale", "CreateSearchIndexOnReload", "NumericalAbbreviation":
		return true
	}
	return false
}
