package engine

// The older and lighter search methods over field values, on the matching
// of search.go: SearchSuggest, SearchAssociations and SearchValues.

import (
	"sort"
	"strings"
	"unicode"
)

// searchSuggest is SearchSuggest's qResult: words of matching values that
// complete the last term, most frequent first.
func (d *Doc) searchSuggest(opts searchOptions, terms []string) obj {
	sugg, names := []any{}, []string{}
	if len(terms) == 0 {
		return obj{{"qSuggestions", sugg}, {"qFieldNames", names}}
	}
	last := len(terms) - 1
	prefix := strings.ToLower(strings.TrimSpace(terms[last]))
	count := map[string]int{}
	for _, fh := range d.searchFields(opts, terms[last:]) {
		names = append(names, d.model.Fields[fh.fi].Name)
		for _, h := range fh.hits {
			for _, w := range strings.FieldsFunc(h.text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if lw := strings.ToLower(w); strings.HasPrefix(lw, prefix) {
					count[lw]++
				}
			}
		}
	}
	words := make([]string, 0, len(count))
	for w := range count {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if count[words[i]] != count[words[j]] {
			return count[words[i]] > count[words[j]]
		}
		return words[i] < words[j]
	})
	for _, w := range words {
		sugg = append(sugg, obj{{"qValue", w}, {"qTerm", last}})
	}
	return obj{{"qSuggestions", sugg}, {"qFieldNames", names}}
}

// searchAssociations is SearchAssociations' qResults (the older shape of
// SearchResults: per field the matching values, per group the values).
func (d *Doc) searchAssociations(opts searchOptions, terms []string, page searchPage) obj {
	groups := d.searchGroups(opts, terms)
	names := []string{}
	idx := map[int]int{}
	dicts := []any{}
	for _, g := range groups {
		for _, fh := range g.fields {
			if _, ok := idx[fh.fi]; ok {
				continue
			}
			idx[fh.fi] = len(names)
			names = append(names, d.model.Fields[fh.fi].Name)
		}
	}
	perField := map[int][]any{}
	for _, fh := range d.searchFields(opts, terms) {
		perField[fh.fi] = []any{}
		lo, hi := window(len(fh.hits), 0, page.QMaxNbrFieldMatches)
		for _, h := range fh.hits[lo:hi] {
			perField[fh.fi] = append(perField[fh.fi], obj{{"qText", h.text}, {"qElemNumber", h.elem}, {"qRanges", hitRanges(h, terms)}})
		}
	}
	for _, name := range names {
		fi := d.model.field(name)
		dicts = append(dicts, obj{{"qField", idx[fi]}, {"qResult", perField[fi]}})
	}
	combos := []any{}
	lo, hi := window(len(groups), page.QOffset, page.QCount)
	for gi := lo; gi < hi; gi++ {
		var matches []any
		for _, fh := range groups[gi].fields {
			vals := []int32{}
			for _, h := range fh.hits {
				vals = append(vals, h.elem)
			}
			matches = append(matches, obj{{"qField", idx[fh.fi]}, {"qValues", vals}, {"qTerms", groups[gi].terms},
				{"qNoOfMatches", len(vals)}})
		}
		combos = append(combos, []any{obj{{"qId", gi}, {"qFieldMatches", matches}}})
	}
	return obj{{"qFieldNames", names}, {"qSearchTerms", terms}, {"qFieldDictionaries", dicts},
		{"qSearchTermsMatched", combos}, {"qTotalSearchResults", len(groups)}}
}

// searchValues is SearchValues' qResult: per field (paged by qOffset and
// qCount) its matching values (at most qMaxNbrFieldMatches), searched over
// every value regardless of the selections.
func (d *Doc) searchValues(opts searchOptions, terms []string, page searchPage) obj {
	opts.QContext = "Cleared"
	fields := d.searchFields(opts, terms)
	out := []any{}
	lo, hi := window(len(fields), page.QOffset, page.QCount)
	for _, fh := range fields[lo:hi] {
		vals := []any{}
		mlo, mhi := window(len(fh.hits), 0, page.QMaxNbrFieldMatches)
		for _, h := range fh.hits[mlo:mhi] {
			vals = append(vals, obj{{"qText", h.text}, {"qElemNo", h.elem}, {"qSearchTermsMatched", h.terms}})
		}
		out = append(out, obj{{"qFieldName", d.model.Fields[fh.fi].Name}, {"qValues", vals}})
	}
	return obj{{"qSearchTerms", terms}, {"qFieldMatches", out}}
}
