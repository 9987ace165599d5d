package engine

import "testing"

func TestSetFullPropertyTreeChildren(t *testing.T) {
	d := openDemo(t)
	parent := ret(t, mustCall(t, d, "CreateSessionObject", map[string]any{
		"qInfo":         map[string]any{"qType": "filterpane"},
		"qChildListDef": map[string]any{},
	}))
	listbox := func(id, field string) map[string]any {
		info := map[string]any{"qType": "listbox"}
		if id != "" {
			info["qId"] = id
		}
		return map[string]any{"qProperty": map[string]any{
			"qInfo":          info,
			"qListObjectDef": map[string]any{"qDef": map[string]any{"qFieldDefs": []string{field}}},
			"title":          field,
		}, "qChildren": []any{}}
	}
	tree := map[string]any{
		"qProperty": map[string]any{"qInfo": map[string]any{"qType": "filterpane"}, "qChildListDef": map[string]any{}},
		"qChildren": []any{listbox("", "Region"), listbox("lbCat", "Category")},
	}
	r, _ := call(t, parent, "SetFullPropertyTree", tree)
	if !containsObj(r.Changed, parent) {
		t.Fatal("SetFullPropertyTree must change the parent")
	}
	_, l := call(t, parent, "GetLayout")
	items := dig(l, "qLayout", "qChildList", "qItems").([]any)
	if len(items) != 2 || dig(items[0], "qInfo", "qType") != "listbox" || dig(items[1], "qInfo", "qId") != "lbCat" {
		t.Fatalf("child list %v", items)
	}
	first := dig(items[0], "qInfo", "qId").(string)
	if first == "" {
		t.Fatal("a child without qId gets one")
	}
	_, c := call(t, parent, "GetChild", "lbCat")
	if dig(c, "qReturn", "qGenericType") != "listbox" {
		t.Fatalf("GetChild %v", c)
	}
	_, got := call(t, parent, "GetFullPropertyTree")
	if dig(got, "qPropEntry", "qChildren", 1, "qProperty", "title") != "Category" {
		t.Fatalf("tree %v", got)
	}
	// A second tree keeps the named child, updates it and drops the other.
	upd := listbox("lbCat", "Year")
	tree["qChildren"] = []any{upd}
	r, _ = call(t, parent, "SetFullPropertyTree", tree)
	if len(r.Closed) != 1 || r.Closed[0].GenericID() != first {
		t.Fatalf("closed %v", r.Closed)
	}
	_, infos := call(t, parent, "GetChildInfos")
	if n := len(infos["qInfos"].([]any)); n != 1 || dig(infos, "qInfos", 0, "qId") != "lbCat" {
		t.Fatalf("children %v", infos)
	}
	child := ret(t, mustCall(t, parent, "GetChild", "lbCat"))
	_, cl := call(t, child, "GetLayout")
	if dig(cl, "qLayout", "qListObject", "qDimensionInfo", "qFallbackTitle") != "Year" {
		t.Fatalf("child layout %v", dig(cl, "qLayout", "qListObject", "qDimensionInfo"))
	}
}
