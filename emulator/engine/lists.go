package engine

// fieldListDef is FieldListDef.
type fieldListDef struct {
	QShowSystem    bool `json:"qShowSystem"`
	QShowHidden    bool `json:"qShowHidden"`
	QShowSrcTables bool `json:"qShowSrcTables"`
}

// fieldListLayout is qFieldList: the model's fields.
func (d *Doc) fieldListLayout(def fieldListDef) obj {
	items := []any{}
	for _, f := range d.model.Fields {
		it := obj{{"qName", f.Name}, {"qCardinal", len(f.Values)}, {"qTags", f.Tags()}}
		if def.QShowSrcTables {
			var src []string
			for _, t := range f.Tables {
				src = append(src, d.model.Tables[t].Name)
			}
			it = append(it, member{"qSrcTables", src})
		}
		items = append(items, it)
	}
	return obj{{"qItems", items}}
}

// variableListLayout is qVariableList: app and session variables.
func (d *Doc) variableListLayout() obj {
	items := []any{}
	add := func(v *varData) {
		items = append(items, obj{{"qName", v.name}, {"qDefinition", v.definition},
			{"qInfo", obj{{"qId", v.id}, {"qType", "variable"}}}, {"qIsScriptCreated", v.scriptCreated},
			{"qIsSessionVariable", v.session}})
	}
	for _, v := range d.app.vars {
		add(v)
	}
	for _, v := range d.sessVars {
		add(v)
	}
	return obj{{"qItems", items}}
}

// selectionObject is qSelectionObject: the current selections in the order
// they were made, plus the history counts.
func (d *Doc) selectionObject() obj {
	a := d.assoc()
	sels := []any{}
	for _, fi := range d.sel.order {
		b, ok := d.sel.sel[fi]
		if !ok {
			continue
		}
		f := d.model.Fields[fi]
		info := []any{}
		b.each(func(e int32) {
			info = append(info, obj{{"qName", f.Values[e].Text()}, {"qFieldSelectionMode", "NORMAL"}})
		})
		sels = append(sels, obj{
			{"qTotal", len(f.Values)}, {"qIsNum", f.numeric}, {"qField", f.Name}, {"qLocked", d.sel.locked[fi]},
			{"qOneAndOnlyOne", false}, {"qTextSearch", ""}, {"qSelectedCount", b.count()},
			{"qSelected", selectedText(a, fi, 6, ", ")}, {"qRangeInfo", []any{}}, {"qSortIndex", 0},
			{"qStateCounts", a.counts(fi)}, {"qSelectedFieldSelectionInfo", info},
			{"qNotSelectedFieldSelectionInfo", []any{}}, {"qSelectionThreshold", 6},
		})
	}
	return obj{{"qBackCount", d.histPos}, {"qForwardCount", len(d.hist) - 1 - d.histPos}, {"qSelections", sels}}
}
