package engine

import (
	"fmt"
	"sort"
	"strings"
)

// maxSearchCombos bounds how many field combinations a multi-term search
// tries (each costs one association).
const maxSearchCombos = 64

// contextSel is the selection state a search context starts from.
func (d *Doc) contextSel(ctx string) *selState {
	switch ctx {
	case "Cleared", "CONTEXT_CLEARED":
		return newSelState()
	case "CurrentSelections", "CONTEXT_CURRENT_SELECTIONS":
		return d.sel.clone()
	}
	st := newSelState()
	for _, fi := range d.sel.order {
		if b, ok := d.sel.sel[fi]; ok && d.sel.locked[fi] {
			st.setSel(fi, b)
			st.locked[fi] = true
		}
	}
	return st
}

// comboGroups are the groups of a multi-term search that match every
// term: each term matched in one field (two terms in the same field must
// meet in the same values), kept when the values are associated, i.e.
// selecting them all leaves each of them possible, as "north apple" finds
// Region North with Product Apple when North bought apples. Each valid
// combination of fields is one group, holding the matches that stay
// possible.
func (d *Doc) comboGroups(opts searchOptions, terms []string, fields []fieldHits) []searchGroup {
	perTerm := make([][]fieldHits, len(terms))
	for ti := range terms {
		for _, fh := range fields {
			sub := fieldHits{fi: fh.fi}
			for _, h := range fh.hits {
				if containsInt(h.terms, ti) {
					sub.hits = append(sub.hits, h)
				}
			}
			if len(sub.hits) > 0 {
				perTerm[ti] = append(perTerm[ti], sub)
			}
		}
		if len(perTerm[ti]) == 0 {
			return nil // a term no value matches: no combination
		}
	}
	all := make([]int, len(terms))
	for i := range all {
		all[i] = i
	}
	base := d.contextSel(opts.QContext)
	seen := map[string]bool{}
	var out []searchGroup
	idx := make([]int, len(terms))
	for n := 0; n < maxSearchCombos; n++ {
		if g, ok := d.tryCombo(perTerm, idx, base); ok {
			key := searchGroupKey(g)
			if !seen[key] {
				seen[key] = true
				g.terms = all
				out = append(out, g)
			}
		}
		// Next combination (odometer over perTerm).
		i := len(idx) - 1
		for i >= 0 {
			idx[i]++
			if idx[i] < len(perTerm[i]) {
				break
			}
			idx[i] = 0
			i--
		}
		if i < 0 {
			break
		}
	}
	return out
}

// tryCombo checks one combination (term i matched in perTerm[i][idx[i]]).
func (d *Doc) tryCombo(perTerm [][]fieldHits, idx []int, base *selState) (searchGroup, bool) {
	picked := map[int]bitset{}
	hits := map[int][]valueHit{}
	var order []int
	for t, i := range idx {
		fh := perTerm[t][i]
		b := newBitset(len(d.model.Fields[fh.fi].Values))
		for _, h := range fh.hits {
			b.set(h.elem)
		}
		if prev, ok := picked[fh.fi]; ok {
			if prev.and(b); prev.count() == 0 {
				return searchGroup{}, false // the two terms meet in no value
			}
			continue
		}
		picked[fh.fi] = b
		hits[fh.fi] = fh.hits
		order = append(order, fh.fi)
	}
	st := base.clone()
	for fi, b := range picked {
		st.setSel(fi, b)
	}
	a := computeAssoc(d.model, st)
	var g searchGroup
	for _, fi := range order {
		keep := fieldHits{fi: fi}
		for _, h := range hits[fi] {
			if picked[fi].has(h.elem) && a.possible[fi].has(h.elem) {
				keep.hits = append(keep.hits, h)
			}
		}
		if len(keep.hits) == 0 {
			return searchGroup{}, false
		}
		g.fields = append(g.fields, keep)
	}
	sort.SliceStable(g.fields, func(i, j int) bool { return g.fields[i].fi < g.fields[j].fi })
	return g, true
}

// searchGroupKey identifies a search group by its fields and values.
func searchGroupKey(g searchGroup) string {
	var b strings.Builder
	for _, fh := range g.fields {
		fmt.Fprintf(&b, "%d:", fh.fi)
		for _, h := range fh.hits {
			fmt.Fprintf(&b, "%d,", h.elem)
		}
		b.WriteByte(';')
	}
	return b.String()
}
