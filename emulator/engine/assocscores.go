package engine

// columnStats are what GetAssociationScores needs of one table column:
// its distinct values (by key), its non-null row values and whether every
// value is a number.
type columnStats struct {
	name     string
	distinct map[string]bool
	rowKeys  []string
	rows     int // rows of the table
	numeric  bool
}

// statsOf reads column c of table t.
func (m *Model) statsOf(t *TableData, c int) columnStats {
	f := m.Fields[t.Fields[c]]
	cs := columnStats{name: f.Name, distinct: map[string]bool{}, rows: t.Rows, numeric: true}
	for _, e := range t.Cols[c] {
		if e < 0 {
			continue
		}
		v := f.Values[e]
		k := v.key()
		cs.distinct[k] = true
		cs.rowKeys = append(cs.rowKeys, k)
		cs.numeric = cs.numeric && v.IsNum()
	}
	return cs
}

// scores are one field's FieldScores against other.
func (cs columnStats) scores(other columnStats) obj {
	common := 0
	for k := range cs.distinct {
		if other.distinct[k] {
			common++
		}
	}
	matched := 0
	for _, k := range cs.rowKeys {
		if other.distinct[k] {
			matched++
		}
	}
	ratio := func(a, b int) Float {
		if b == 0 {
			return 0
		}
		return Float(float64(a) / float64(b))
	}
	return obj{{"qFieldName", cs.name}, {"qReadableName", cs.name}, {"qCardinalRatio", ratio(len(cs.distinct), cs.rows)},
		{"qSymbolScore", ratio(common, len(cs.distinct))}, {"qRowScore", ratio(matched, len(cs.rowKeys))}}
}

// associationScores is GetAssociationScores: for every pair of a field
// of table1 and a field of table2, how well their values match (the
// share of each one's distinct values and rows found in the other), with
// qScoreSummary's flags for pairs that cannot be compared.
func (d *Doc) associationScores(table1, table2 string) ([]any, error) {
	m := d.model
	t1, t2 := m.table(table1), m.table(table2)
	if t1 < 0 {
		return nil, &Error{Code: 2, Parameter: table1, Message: "Table not found"}
	}
	if t2 < 0 {
		return nil, &Error{Code: 2, Parameter: table2, Message: "Table not found"}
	}
	out := []any{}
	ta, tb := m.Tables[t1], m.Tables[t2]
	for c1 := range ta.Fields {
		s1 := m.statsOf(ta, c1)
		for c2 := range tb.Fields {
			s2 := m.statsOf(tb, c2)
			summary := 0
			if s1.numeric != s2.numeric {
				summary -= 1
			}
			if len(s1.rowKeys) == 0 {
				summary -= 2
			}
			if len(s1.distinct) == 0 {
				summary -= 4
			}
			if len(s2.rowKeys) == 0 {
				summary -= 8
			}
			if len(s2.distinct) == 0 {
				summary -= 16
			}
			out = append(out, obj{{"qFieldPairName", s1.name + "/" + s2.name}, {"qScoreSummary", summary},
				{"qField1Scores", s1.scores(s2)}, {"qField2Scores", s2.scores(s1)}})
		}
	}
	return out, nil
}
