package engine

import (
	"regexp"
	"strings"
)

var (
	lineageFrom  = regexp.MustCompile(`(?is)\bFROM\s+(\[[^\]]*\]|'[^']*'|"[^"]*"|[^\s;(]+)`)
	lineageStore = regexp.MustCompile(`(?is)^\s*STORE\b.*?\bINTO\s+(\[[^\]]*\]|'[^']*'|"[^"]*"|[^\s;(]+)`)
	lineageLoad  = regexp.MustCompile(`(?is)\b(LOAD|SELECT)\b`)
)

// lineage is GetLineage's qLineage: every statement of the script that
// reads from a source (LOAD … FROM, SQL SELECT … FROM) or writes one
// (STORE … INTO), with that source as qDiscriminator. Inline, resident and
// generated loads have no outside source and are left out.
func (d *Doc) lineage() []any {
	out := []any{}
	stmts, err := splitStatements(d.app.script)
	if err != nil {
		return out
	}
	for _, st := range stmts {
		text := st.text
		var src string
		if m := lineageStore.FindStringSubmatch(text); m != nil {
			src = m[1]
		} else if lineageLoad.MatchString(text) {
			if m := lineageFrom.FindStringSubmatch(text); m != nil {
				src = m[1]
			}
		}
		if src == "" {
			continue
		}
		if n := len(src); n >= 2 && (src[0] == '[' && src[n-1] == ']' || src[0] == '\'' && src[n-1] == '\'' || src[0] == '"' && src[n-1] == '"') {
			src = src[1 : n-1]
		}
		out = append(out, obj{{"qDiscriminator", src}, {"qStatement", text + ";"}})
	}
	return out
}

// fieldOrColumn is the schema's FieldOrColumn.
type fieldOrColumn struct {
	QFieldName string `json:"qFieldName"`
	QTableName string `json:"qTableName"`
}

// samples is GetFieldAndColumnSamples' qResult: for every field (or
// table column, when a table is named) matching the wildcards, up to max
// of its distinct values, picked in an order the seed decides.
func (d *Doc) samples(want []fieldOrColumn, max, seed int) []any {
	out := []any{}
	m := d.model
	pick := func(fc fieldOrColumn, elems []int32) {
		f := m.Fields[m.field(fc.QFieldName)]
		rng := newPRNG(uint64(seed) + 1)
		for i := len(elems) - 1; i > 0; i-- {
			j := int(rng.next() % uint64(i+1))
			elems[i], elems[j] = elems[j], elems[i]
		}
		if max >= 0 && len(elems) > max {
			elems = elems[:max]
		}
		vals := []any{}
		for _, e := range elems {
			v := f.Values[e]
			vals = append(vals, fieldValue{QText: v.Text(), QIsNumeric: v.IsNum(), QNumber: Float(numOr0(v))})
		}
		out = append(out, obj{{"qFieldOrColumn", obj{{"qFieldName", fc.QFieldName}, {"qTableName", fc.QTableName}}}, {"qValues", vals}})
	}
	for _, w := range want {
		if w.QTableName == "" {
			for _, f := range m.Fields {
				if globMatch(strings.ToLower(w.QFieldName), strings.ToLower(f.Name)) {
					elems := make([]int32, len(f.Values))
					for i := range elems {
						elems[i] = int32(i)
					}
					pick(fieldOrColumn{QFieldName: f.Name}, elems)
				}
			}
			continue
		}
		for _, t := range m.Tables {
			if !globMatch(strings.ToLower(w.QTableName), strings.ToLower(t.Name)) {
				continue
			}
			for c, fi := range t.Fields {
				f := m.Fields[fi]
				if !globMatch(strings.ToLower(w.QFieldName), strings.ToLower(f.Name)) {
					continue
				}
				seen := newBitset(len(f.Values))
				var elems []int32
				for _, e := range t.Cols[c] {
					if e >= 0 && !seen.has(e) {
						seen.set(e)
						elems = append(elems, e)
					}
				}
				pick(fieldOrColumn{QFieldName: f.Name, QTableName: t.Name}, elems)
			}
		}
	}
	return out
}

// lineageCall runs the data model profiling methods (GetLineage,
// GetFieldAndColumnSamples, GetAssociationScores); handled is false for
// other methods.
func (d *Doc) lineageCall(method string, p Params) (*Reply, bool, error) {
	switch method {
	case "GetLineage":
		return result("qLineage", d.lineage()), true, nil
	case "GetAssociationScores":
		var t1, t2 string
		if err := args(p, "qTable1", &t1, "qTable2", &t2); err != nil {
			return nil, true, err
		}
		scores, err := d.associationScores(t1, t2)
		if err != nil {
			return nil, true, err
		}
		return result("qScore", scores), true, nil
	case "GetFieldAndColumnSamples":
		var want []fieldOrColumn
		var max, seed int
		if err := args(p, "qFieldsOrColumnsWithWildcards", &want, "qMaxNumberOfValues", &max, "qRandSeed", &seed); err != nil {
			return nil, true, err
		}
		return result("qResult", d.samples(want, max, seed)), true, nil
	}
	return nil, false, nil
}
