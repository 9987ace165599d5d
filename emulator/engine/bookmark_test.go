package engine

import "testing"

func TestBookmarks(t *testing.T) {
	d := openDemo(t)
	call(t, fieldOf(t, d, "Region"), "Select", "North")
	call(t, fieldOf(t, d, "Year"), "Select", "2024")
	r, res := call(t, d, "CreateBookmark", map[string]any{"qInfo": map[string]any{"qId": "bm1", "qType": "bookmark"}, "qMetaDef": map[string]any{"title": "North 2024"}})
	bm := ret(t, r)
	if bm.Type() != "GenericBookmark" || dig(res, "qInfo", "qId") != "bm1" {
		t.Fatalf("bookmark %v", res)
	}
	_, l := call(t, bm, "GetLayout")
	items := dig(l, "qLayout", "qBookmark", "qStateData", 0, "qFieldItems").([]any)
	if len(items) != 2 || dig(items[0], "qDef", "qName") != "Region" || dig(items[0], "qValues", 0, "qText") != "North" ||
		dig(items[1], "qValues", 0, "qNumber") != 2024.0 {
		t.Fatalf("bookmark layout %v", items)
	}
	call(t, d, "ClearAll")
	r, res = call(t, d, "ApplyBookmark", "bm1")
	if res["qSuccess"] != true || !containsObj(r.Changed, d) {
		t.Fatal("ApplyBookmark")
	}
	expectStates(t, d, "Region", map[string]string{"North": "S"})
	expectStates(t, d, "Year", map[string]string{"2024": "S", "2023": "A"})
	if _, res := call(t, d, "GetBookmarks", map[string]any{}); len(res["qList"].([]any)) != 1 {
		t.Fatal("GetBookmarks")
	}
	if _, res := call(t, d, "GetBookmark", "bm1"); dig(res, "qReturn", "qType") != "GenericBookmark" {
		t.Fatal("GetBookmark")
	}
	if _, res := call(t, d, "DestroyBookmark", "bm1"); res["qSuccess"] != true {
		t.Fatal("DestroyBookmark")
	}
	if _, res := call(t, d, "ApplyBookmark", "bm1"); res["qSuccess"] != false {
		t.Fatal("destroyed bookmark applied")
	}
}
