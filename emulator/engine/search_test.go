package engine

import (
	"encoding/json"
	"testing"
)

func TestSearchResults(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "SearchResults", map[string]any{"qContext": "Cleared"}, []string{"an"},
		map[string]any{"qOffset": 0, "qCount": 10, "qMaxNbrFieldMatches": 5})
	groups := dig(res, "qResult", "qSearchGroupArray").([]any)
	if dig(res, "qResult", "qTotalNumberOfGroups") != 1.0 || len(groups) != 1 || dig(groups[0], "qGroupType") != "DatasetType" {
		t.Fatalf("groups %v", res)
	}
	byField := map[string][]string{}
	for _, it := range dig(groups[0], "qItems").([]any) {
		for _, m := range dig(it, "qItemMatches").([]any) {
			byField[dig(it, "qIdentifier").(string)] = append(byField[dig(it, "qIdentifier").(string)], dig(m, "qText").(string))
		}
		if dig(it, "qItemType") != "Field" {
			t.Fatalf("item type %v", it)
		}
	}
	// "an": Banana (twice), Frank, Dave? no; Carrot? no.
	if len(byField["Product"]) != 1 || byField["Product"][0] != "Banana" || len(byField["Customer"]) != 1 || byField["Customer"][0] != "Frank" {
		t.Fatalf("matches %v", byField)
	}
	// Ranges: "Banana" has "an" at 1 and 3.
	for _, it := range dig(groups[0], "qItems").([]any) {
		if dig(it, "qIdentifier") == "Product" {
			rs := dig(it, "qItemMatches", 0, "qRanges").([]any)
			if len(rs) != 2 || dig(rs[0], "qCharPos") != 1.0 || dig(rs[1], "qCharPos") != 3.0 || dig(rs[0], "qCharCount") != 2.0 {
				t.Fatalf("ranges %v", rs)
			}
		}
	}
	// With the current selections as context, excluded values drop out.
	call(t, ret(t, mustCall(t, d, "GetField", "Region")), "Select", "North")
	_, res = call(t, d, "SearchResults", map[string]any{"qContext": "CurrentSelections"}, []string{"an"}, map[string]any{"qCount": 10, "qMaxNbrFieldMatches": -1})
	for _, it := range dig(res, "qResult", "qSearchGroupArray", 0, "qItems").([]any) {
		if dig(it, "qIdentifier") == "Customer" {
			t.Fatalf("Frank (South) found with North selected: %v", it)
		}
	}
}

func TestSearchTwoTermsAndSelectAssociations(t *testing.T) {
	d := openDemo(t)
	opts := map[string]any{"qContext": "Cleared", "qSearchFields": []string{"Product", "Region"}}
	_, res := call(t, d, "SearchResults", opts, []string{"north", "ap"}, map[string]any{"qCount": -1, "qMaxNbrFieldMatches": -1})
	groups := dig(res, "qResult", "qSearchGroupArray").([]any)
	// North bought apples: the two terms combine (Region North with
	// Product Apple) before each term alone.
	if len(groups) != 3 || len(dig(groups[0], "qSearchTermsMatched").([]any)) != 2 || len(dig(groups[0], "qItems").([]any)) != 2 ||
		dig(groups[1], "qSearchTermsMatched", 0) != 0.0 || dig(groups[2], "qSearchTermsMatched", 0) != 1.0 {
		t.Fatalf("groups %v", groups)
	}
	r, _ := call(t, d, "SelectAssociations", opts, []string{"north", "ap"}, 0)
	if len(r.Changed) == 0 {
		t.Fatal("SelectAssociations: nothing changed")
	}
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 34 {
		t.Fatalf("North apples: Sum(Sales) = %v, want 34", v.Num)
	}
	call(t, d, "ClearAll")
	call(t, d, "SelectAssociations", opts, []string{"north", "ap"}, 2)
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 48 {
		t.Fatalf("after selecting Apple: Sum(Sales) = %v, want 48", v.Num)
	}
	// Nobody bought donuts: South and Donut do not combine.
	_, res = call(t, d, "SearchResults", opts, []string{"south", "donut"}, map[string]any{"qCount": -1})
	if n := dig(res, "qResult", "qTotalNumberOfGroups"); n != 2.0 {
		t.Fatalf("south donut: %v groups, want the two single terms", n)
	}
}

func TestSearchSuggestAndValues(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "SearchSuggest", map[string]any{"qContext": "Cleared"}, []string{"ca"})
	sugg := dig(res, "qResult", "qSuggestions").([]any)
	words := map[string]bool{}
	for _, s := range sugg {
		words[dig(s, "qValue").(string)] = true
	}
	if !words["carrot"] || !words["carol"] || words["apple"] {
		t.Fatalf("suggestions %v", res)
	}
	_, res = call(t, d, "SearchValues", map[string]any{"qSearchFields": []string{"Customer"}}, []string{"a"}, map[string]any{"qCount": 5, "qMaxNbrFieldMatches": 2})
	fm := dig(res, "qResult", "qFieldMatches").([]any)
	if len(fm) != 1 || dig(fm[0], "qFieldName") != "Customer" || len(dig(fm[0], "qValues").([]any)) != 2 {
		t.Fatalf("SearchValues %v", res)
	}
	_, res = call(t, d, "SearchAssociations", map[string]any{"qContext": "Cleared"}, []string{"bob"}, map[string]any{"qCount": -1})
	if dig(res, "qResults", "qFieldNames", 0) != "Customer" || dig(res, "qResults", "qFieldDictionaries", 0, "qResult", 0, "qText") != "Bob" ||
		dig(res, "qResults", "qTotalSearchResults") != 1.0 {
		t.Fatalf("SearchAssociations %v", res)
	}
}

func TestSearchObjects(t *testing.T) {
	d := openDemo(t)
	mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"o1","qType":"barchart"},"title":"Sales by region"}`))
	mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"o2","qType":"kpi"},"title":{"qStringExpression":"='Total ' & Sum(Sales)"}}`))
	mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"s1","qType":"sheet"},"title":"Sales sheet"}`))
	_, res := call(t, d, "SearchObjects", map[string]any{}, []string{"sales"}, map[string]any{"qCount": -1})
	items := dig(res, "qResult", "qSearchGroupArray", 0, "qItems").([]any)
	if dig(res, "qResult", "qSearchGroupArray", 0, "qGroupType") != "GenericObjectsType" || len(items) != 1 || dig(items[0], "qIdentifier") != "o1" {
		t.Fatalf("SearchObjects sales: %v", res)
	}
	// Titles are matched as the layout shows them (expressions evaluated).
	_, res = call(t, d, "SearchObjects", map[string]any{}, []string{"114"}, map[string]any{"qCount": -1})
	if dig(res, "qResult", "qSearchGroupArray", 0, "qItems", 0, "qIdentifier") != "o2" {
		t.Fatalf("SearchObjects 114: %v", res)
	}
}

func TestSearchContextsAndAttributes(t *testing.T) {
	d := openDemo(t)
	region := ret(t, mustCall(t, d, "GetField", "Region"))
	call(t, region, "Select", "North")
	found := func(ctx string) map[string]bool {
		_, res := call(t, d, "SearchResults", map[string]any{"qContext": ctx, "qSearchFields": []string{"Customer"}}, []string{"a"}, map[string]any{"qCount": -1})
		out := map[string]bool{}
		for _, g := range dig(res, "qResult", "qSearchGroupArray").([]any) {
			for _, it := range dig(g, "qItems").([]any) {
				for _, m := range dig(it, "qItemMatches").([]any) {
					out[dig(m, "qText").(string)] = true
				}
			}
		}
		return out
	}
	// The default context keeps locked selections only: North is not
	// locked, so Carol (South) is found; with the current selections not.
	if got := found(""); !got["Carol"] || !got["Alice"] {
		t.Fatalf("default context: %v", got)
	}
	if got := found("CurrentSelections"); got["Carol"] || !got["Alice"] {
		t.Fatalf("CurrentSelections: %v", got)
	}
	call(t, region, "Lock")
	if got := found(""); got["Carol"] || !got["Alice"] {
		t.Fatalf("LockedFieldsOnly with North locked: %v", got)
	}
	if got := found("Cleared"); !got["Carol"] {
		t.Fatalf("Cleared: %v", got)
	}
	_, res := call(t, d, "SearchResults", map[string]any{"qContext": "Cleared", "qSearchFields": []string{"Price"}, "qAttributes": []string{"qNum", "qElemNum"}},
		[]string{"5"}, map[string]any{"qCount": -1})
	attrs := dig(res, "qResult", "qSearchGroupArray", 0, "qItems", 0, "qItemMatches", 0, "qAttributes").([]any)
	if len(attrs) != 2 || dig(attrs[0], "qKey") != "qNum" || dig(attrs[0], "qValue") != "5" || dig(attrs[1], "qValue") != "3" {
		t.Fatalf("attributes %v", attrs)
	}
}
