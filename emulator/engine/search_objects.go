package engine

import "context"

// searchObjectHidden are the object types SearchObjects never lists (the
// schema's description of the method).
var searchObjectHidden = map[string]bool{"slideitem": true, "sheet": true, "story": true, "slide": true,
	"masterobject": true, "snapshot": true, "LoadModel": true, "appprops": true, "searchhistory": true}

// searchObjects is SearchObjects' qResult: one GenericObjectsType group
// per combination of terms, its items the objects whose title, subtitle,
// footnote or type match (expressions evaluated, as the layout shows them).
func (d *Doc) searchObjects(terms []string, page searchPage) obj {
	type objHit struct {
		od      *objData
		terms   []int
		matches []any
		best    int
	}
	var hits []objHit
	for _, od := range d.allObjData(true) {
		if od.kind != "" || searchObjectHidden[od.typ] {
			continue
		}
		g := d.instance(od)
		h := objHit{od: od}
		for _, key := range []string{"title", "subtitle", "footnote", "qInfo/qType"} {
			v, ok := getPath(od.props, "/"+key)
			if !ok {
				continue
			}
			lv, _ := g.layoutValue(context.Background(), v, "/"+key)
			text, _ := lv.(string)
			if text == "" {
				continue
			}
			ranges := []any{}
			for ti, term := range terms {
				rs, m := matchTerm(text, term)
				if m == 0 {
					continue
				}
				if !containsInt(h.terms, ti) {
					h.terms = append(h.terms, ti)
				}
				h.best = max(h.best, m)
				for _, r := range rs {
					ranges = append(ranges, obj{{"qCharPos", r[0]}, {"qCharCount", r[1]}, {"qTerm", ti}})
				}
			}
			if len(ranges) > 0 {
				attr := key
				if key == "qInfo/qType" {
					attr = "type"
				}
				h.matches = append(h.matches, obj{{"qText", text}, {"qRanges", ranges},
					{"qAttributes", []any{obj{{"qKey", attr}, {"qValue", text}}}}})
			}
		}
		if len(h.terms) > 0 {
			hits = append(hits, h)
		}
	}
	// Groups: objects matching every term first, then each term alone.
	var combos [][]int
	if len(terms) > 1 {
		all := make([]int, len(terms))
		for i := range all {
			all[i] = i
		}
		combos = append(combos, all)
	}
	for ti := range terms {
		combos = append(combos, []int{ti})
	}
	var groups []any
	for _, want := range combos {
		items := []any{}
		for _, h := range hits {
			ok := true
			for _, t := range want {
				ok = ok && containsInt(h.terms, t)
			}
			if ok {
				items = append(items, obj{{"qItemType", "GenericObject"}, {"qTotalNumberOfMatches", len(h.matches)},
					{"qIdentifier", h.od.id}, {"qItemMatches", h.matches}, {"qSearchTermsMatched", h.terms},
					{"qMatchType", matchTypeNames[h.best]}})
			}
		}
		if len(items) > 0 {
			groups = append(groups, obj{{"qGroupType", "GenericObjectsType"}, {"qSearchTermsMatched", want},
				{"qTotalNumberOfItems", len(items)}, {"qItems", items}})
		}
	}
	arr := []any{}
	lo, hi := window(len(groups), page.QOffset, page.QCount)
	for i := lo; i < hi; i++ {
		g := groups[i].(obj)
		arr = append(arr, append(obj{{"qId", i}}, g...))
	}
	return obj{{"qSearchTerms", terms}, {"qTotalNumberOfGroups", len(groups)}, {"qSearchGroupArray", arr}}
}
