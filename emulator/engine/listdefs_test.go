package engine

import "testing"

func TestObjectListLayouts(t *testing.T) {
	d := saDoc(t)
	call(t, d, "CreateMeasure", map[string]any{"qInfo": map[string]any{"qId": "m1", "qType": "measure"},
		"qMeasure": map[string]any{"qDef": "Sum(Sales)", "qLabel": "Total"}, "qMetaDef": map[string]any{"title": "Total sales"}})
	call(t, d, "CreateDimension", map[string]any{"qInfo": map[string]any{"qId": "d1", "qType": "dimension"},
		"qDim": map[string]any{"qFieldDefs": []string{"Region"}}, "qMetaDef": map[string]any{"title": "Region"}})
	call(t, d, "CreateBookmark", map[string]any{"qInfo": map[string]any{"qId": "b1", "qType": "bookmark"}, "qMetaDef": map[string]any{"title": "BM"}})
	call(t, d, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": "s1", "qType": "sheet"}, "qMetaDef": map[string]any{"title": "Sheet 1"}, "rank": 3})
	call(t, d, "CreateVariableEx", map[string]any{"qInfo": map[string]any{"qType": "variable"}, "qName": "vX", "qDefinition": "=1+1", "tags": []string{"t"}})
	g := ret(t, mustCall(t, d, "CreateSessionObject", map[string]any{
		"qInfo":             map[string]any{"qType": "lists"},
		"qMeasureListDef":   map[string]any{"qType": "measure", "qData": map[string]any{"title": "/qMetaDef/title", "label": "/qMeasure/qLabel"}},
		"qDimensionListDef": map[string]any{"qType": "dimension", "qData": map[string]any{"fields": "/qDim/qFieldDefs"}},
		"qBookmarkListDef":  map[string]any{"qType": "bookmark", "qData": map[string]any{"title": "/qMetaDef/title"}},
		"qAppObjectListDef": map[string]any{"qType": "sheet", "qData": map[string]any{"rank": "/rank"}},
		"qVariableListDef":  map[string]any{"qType": "variable", "qData": map[string]any{"tags": "/tags"}},
	}))
	_, res := call(t, g, "GetLayout")
	l := res["qLayout"].(map[string]any)
	for _, k := range []string{"qMeasureListDef", "qDimensionListDef", "qBookmarkListDef", "qAppObjectListDef", "qVariableListDef"} {
		if _, ok := l[k]; ok {
			t.Errorf("layout echoes %s", k)
		}
	}
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"qMeasureList", "qItems", 0, "qInfo", "qId"}, "m1"},
		{[]any{"qMeasureList", "qItems", 0, "qData", "title"}, "Total sales"},
		{[]any{"qMeasureList", "qItems", 0, "qData", "label"}, "Total"},
		{[]any{"qDimensionList", "qItems", 0, "qInfo", "qId"}, "d1"},
		{[]any{"qDimensionList", "qItems", 0, "qData", "fields", 0}, "Region"},
		{[]any{"qBookmarkList", "qItems", 0, "qData", "title"}, "BM"},
		{[]any{"qAppObjectList", "qItems", 0, "qInfo", "qId"}, "s1"},
		{[]any{"qAppObjectList", "qItems", 0, "qData", "rank"}, 3.0},
		{[]any{"qVariableList", "qItems", 0, "qName"}, "vX"},
		{[]any{"qVariableList", "qItems", 0, "qData", "tags", 0}, "t"},
	}
	for _, c := range checks {
		if got := dig(l, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
	for _, k := range []string{"qMeasureList", "qDimensionList", "qBookmarkList", "qAppObjectList"} {
		if n := len(dig(l, k, "qItems").([]any)); n != 1 {
			t.Errorf("%s has %d items, want 1", k, n)
		}
	}
}
