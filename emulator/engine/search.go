package engine

import (
	"strconv"
	"strings"
	"unicode"
)

// searchOptions is SearchCombinationOptions (and the qAttributes of
// SearchObjectOptions).
type searchOptions struct {
	QSearchFields []string `json:"qSearchFields"`
	QContext      string   `json:"qContext"`
	QAttributes   []string `json:"qAttributes"`
}

// searchPage is SearchPage.
type searchPage struct {
	QOffset             int `json:"qOffset"`
	QCount              int `json:"qCount"`
	QMaxNbrFieldMatches int `json:"qMaxNbrFieldMatches"`
	QGroupOptions       []struct {
		QGroupType string `json:"qGroupType"`
		QOffset    int    `json:"qOffset"`
		QCount     int    `json:"qCount"`
	} `json:"qGroupOptions"`
	QGroupItemOptions []struct {
		QGroupItemType string `json:"qGroupItemType"`
		QOffset        int    `json:"qOffset"`
		QCount         int    `json:"qCount"`
	} `json:"qGroupItemOptions"`
}

// valueHit is one field value matching some of the search terms.
type valueHit struct {
	elem  int32
	text  string
	terms []int
	match int // 1 substring, 2 word start, 3 exact (SearchFieldMatchType)
}

// fieldHits are one field's matching values.
type fieldHits struct {
	fi   int
	hits []valueHit
}

// searchGroup is one group of SearchResults: the terms it matched and,
// per field, the values matching them.
type searchGroup struct {
	terms  []int
	fields []fieldHits
}

var matchTypeNames = []string{"FieldMatchNone", "FieldMatchSubString", "FieldMatchWord", "FieldMatchExact"}

// matchTerm finds term in text (case-insensitive): the byte ranges and how
// well it matched (0 none, 1 inside a word, 2 at a word start, 3 whole).
func matchTerm(text, term string) ([][2]int, int) {
	return matchLower(strings.ToLower(text), strings.ToLower(strings.TrimSpace(term)))
}

// matchLower is matchTerm over text and term already in lower case.
func matchLower(lt, lterm string) ([][2]int, int) {
	if lterm == "" || !strings.Contains(lt, lterm) {
		return nil, 0
	}
	if lt == lterm {
		return [][2]int{{0, len(lt)}}, 3
	}
	var out [][2]int
	best := 0
	for i := 0; i+len(lterm) <= len(lt); {
		j := strings.Index(lt[i:], lterm)
		if j < 0 {
			break
		}
		pos := i + j
		m := 1
		if pos == 0 || !unicode.IsLetter(rune(lt[pos-1])) && !unicode.IsDigit(rune(lt[pos-1])) {
			m = 2
		}
		best = max(best, m)
		out = append(out, [2]int{pos, len(lterm)})
		i = pos + len(lterm)
	}
	return out, best
}

// hitRanges are a hit's SearchCharRanges, worked out only for the matches
// a reply shows (a search may hit every value of a large field).
func hitRanges(h valueHit, terms []string) []any {
	out := []any{}
	lt := strings.ToLower(h.text)
	for _, ti := range h.terms {
		rs, _ := matchLower(lt, strings.ToLower(strings.TrimSpace(terms[ti])))
		for _, r := range rs {
			out = append(out, obj{{"qCharPos", r[0]}, {"qCharCount", r[1]}, {"qTerm", ti}})
		}
	}
	return out
}

// searchContext is the association a search runs in: every value
// (Cleared: nil), the current selections (CurrentSelections), or only the
// locked fields' selections (LockedFieldsOnly, the default).
func (d *Doc) searchContext(ctx string) *assoc {
	switch ctx {
	case "Cleared", "CONTEXT_CLEARED":
		return nil
	case "CurrentSelections", "CONTEXT_CURRENT_SELECTIONS":
		return d.assoc()
	}
	return computeAssoc(d.model, d.contextSel(ctx))
}

// searchFields runs the terms over the values of the searched fields
// (qSearchFields, all when empty) that the search context allows:
// possible or selected values.
func (d *Doc) searchFields(opts searchOptions, terms []string) []fieldHits {
	a := d.searchContext(opts.QContext)
	lterms := make([]string, len(terms))
	for i, t := range terms {
		lterms[i] = strings.ToLower(strings.TrimSpace(t))
	}
	var out []fieldHits
	for fi, f := range d.model.Fields {
		if len(opts.QSearchFields) > 0 && !contains(opts.QSearchFields, f.Name) {
			continue
		}
		fh := fieldHits{fi: fi}
		for e, v := range f.Values {
			if a != nil {
				if s := a.state(fi, int32(e)); s != stOption && s != stSelected && s != stLocked {
					continue
				}
			}
			txt := v.Text()
			lt := strings.ToLower(txt)
			h := valueHit{elem: int32(e), text: txt}
			for ti, lterm := range lterms {
				if _, m := matchLower(lt, lterm); m > 0 {
					h.terms = append(h.terms, ti)
					h.match = max(h.match, m)
				}
			}
			if len(h.terms) > 0 {
				fh.hits = append(fh.hits, h)
			}
		}
		if len(fh.hits) > 0 {
			out = append(out, fh)
		}
	}
	return out
}

// searchGroups orders the hits into groups: first the associated
// combinations matching every term (when there are several terms,
// search_combos.go), then each term alone, as the engine lists the
// combination of all terms before single terms.
func (d *Doc) searchGroups(opts searchOptions, terms []string) []searchGroup {
	fields := d.searchFields(opts, terms)
	var groups []searchGroup
	pick := func(want []int) searchGroup {
		g := searchGroup{terms: want}
		for _, fh := range fields {
			sub := fieldHits{fi: fh.fi}
			for _, h := range fh.hits {
				all := true
				for _, t := range want {
					all = all && containsInt(h.terms, t)
				}
				if all {
					sub.hits = append(sub.hits, h)
				}
			}
			if len(sub.hits) > 0 {
				g.fields = append(g.fields, sub)
			}
		}
		return g
	}
	if len(terms) > 1 {
		groups = append(groups, d.comboGroups(opts, terms, fields)...)
	}
	for ti := range terms {
		if g := pick([]int{ti}); len(g.fields) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// window applies an offset and a count (count < 0 or 0 with offset 0
// defaulting to all, as SearchPage's -1) to n items.
func window(n, off, count int) (int, int) {
	if off < 0 || off > n {
		off = n
	}
	end := n
	if count >= 0 && off+count < n {
		end = off + count
	}
	return off, end
}

// searchResults is SearchResults' qResult.
func (d *Doc) searchResults(opts searchOptions, terms []string, page searchPage) obj {
	groups := d.searchGroups(opts, terms)
	itemOff, itemCount := 0, -1
	for _, o := range page.QGroupOptions {
		if o.QGroupType == "DatasetType" {
			itemOff, itemCount = o.QOffset, o.QCount
		}
	}
	matchOff, matchCount := 0, page.QMaxNbrFieldMatches
	for _, o := range page.QGroupItemOptions {
		if o.QGroupItemType == "Field" {
			matchOff, matchCount = o.QOffset, o.QCount
		}
	}
	arr := []any{}
	lo, hi := window(len(groups), page.QOffset, page.QCount)
	for gi := lo; gi < hi; gi++ {
		g := groups[gi]
		items := []any{}
		ilo, ihi := window(len(g.fields), itemOff, itemCount)
		for _, fh := range g.fields[ilo:ihi] {
			best := 0
			matches := []any{}
			mlo, mhi := window(len(fh.hits), matchOff, matchCount)
			for i, h := range fh.hits {
				best = max(best, h.match)
				if i >= mlo && i < mhi {
					matches = append(matches, obj{{"qText", h.text}, {"qRanges", hitRanges(h, terms)}, {"qAttributes", d.matchAttributes(opts, fh.fi, h)}})
				}
			}
			items = append(items, obj{{"qItemType", "Field"}, {"qTotalNumberOfMatches", len(fh.hits)},
				{"qIdentifier", d.model.Fields[fh.fi].Name}, {"qItemMatches", matches},
				{"qSearchTermsMatched", g.terms}, {"qMatchType", matchTypeNames[best]}})
		}
		arr = append(arr, obj{{"qId", gi}, {"qGroupType", "DatasetType"}, {"qSearchTermsMatched", g.terms},
			{"qTotalNumberOfItems", len(g.fields)}, {"qItems", items}})
	}
	return obj{{"qSearchTerms", terms}, {"qTotalNumberOfGroups", len(groups)}, {"qSearchGroupArray", arr}}
}

// selectGroup selects, in every field of search group ix, the values the
// group matched (SelectAssociations).
func (d *Doc) selectGroup(opts searchOptions, terms []string, ix int, soft bool) *Reply {
	groups := d.searchGroups(opts, terms)
	if ix < 0 || ix >= len(groups) {
		return result()
	}
	st := d.sel
	for _, fh := range groups[ix].fields {
		if st.locked[fh.fi] && !soft {
			continue
		}
		b := newBitset(len(d.model.Fields[fh.fi].Values))
		for _, h := range fh.hits {
			b.set(h.elem)
		}
		st = st.clone()
		st.setSel(fh.fi, b)
	}
	return d.selReply(result(), d.applySel(st))
}

// searchCall runs the search methods over field values (SearchResults,
// SearchSuggest, SearchAssociations, SelectAssociations) and over objects
// (SearchObjects); handled is false for other methods.
func (d *Doc) searchCall(method string, p Params) (*Reply, bool, error) {
	var opts searchOptions
	var terms []string
	page := searchPage{QCount: -1, QMaxNbrFieldMatches: -1}
	switch method {
	case "SearchResults", "SearchAssociations", "SearchObjects":
		if err := args(p, "qOptions", &opts, "qTerms", &terms, "qPage", &page); err != nil {
			return nil, true, err
		}
		if terms == nil {
			terms = []string{}
		}
		switch method {
		case "SearchResults":
			return result("qResult", d.searchResults(opts, terms, page)), true, nil
		case "SearchAssociations":
			return result("qResults", d.searchAssociations(opts, terms, page)), true, nil
		}
		return result("qResult", d.searchObjects(terms, page)), true, nil
	case "SearchValues":
		if err := args(p, "qOptions", &opts, "qTerms", &terms, "qPage", &page); err != nil {
			return nil, true, err
		}
		if terms == nil {
			terms = []string{}
		}
		return result("qResult", d.searchValues(opts, terms, page)), true, nil
	case "SearchSuggest":
		if err := args(p, "qOptions", &opts, "qTerms", &terms); err != nil {
			return nil, true, err
		}
		return result("qResult", d.searchSuggest(opts, terms)), true, nil
	case "SelectAssociations":
		var ix int
		var soft bool
		if err := args(p, "qOptions", &opts, "qTerms", &terms, "qMatchIx", &ix, "qSoftLock", &soft); err != nil {
			return nil, true, err
		}
		return d.selectGroup(opts, terms, ix, soft), true, nil
	}
	return nil, false, nil
}

// matchAttributes are the SearchAttributes qAttributes asks for on each
// match: the value's number (qNum) and element number (qElemNum).
func (d *Doc) matchAttributes(opts searchOptions, fi int, h valueHit) []any {
	out := []any{}
	for _, a := range opts.QAttributes {
		switch a {
		case "qNum":
			if v := d.model.Fields[fi].Values[h.elem]; v.IsNum() {
				out = append(out, obj{{"qKey", "qNum"}, {"qValue", formatNum(v.Num)}})
			}
		case "qElemNum":
			out = append(out, obj{{"qKey", "qElemNum"}, {"qValue", strconv.Itoa(int(h.elem))}})
		}
	}
	return out
}
