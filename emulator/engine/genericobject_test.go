package engine

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
)

func TestGenericObjectPropertiesAndPatches(t *testing.T) {
	d := openDemo(t)
	r, res := call(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"kpi1","qType":"kpi"},"title":"Hello",
		"total":{"qStringExpression":{"qExpr":"='Total: ' & Sum(Sales)"}},
		"value":{"qValueExpression":{"qExpr":"=Sum(Quantity)"}},
		"nested":[{"x":{"qStringExpression":"=Count(OrderID)"}}]}`))
	g := ret(t, r)
	if g.GenericID() != "kpi1" || g.GenericType() != "kpi" || g.Type() != "GenericObject" {
		t.Fatal("identity")
	}
	if dig(res, "qInfo", "qId") != "kpi1" || !containsObj(r.Changed, g) {
		t.Fatalf("CreateObject result %v", res)
	}
	_, l := call(t, g, "GetLayout")
	lay := l["qLayout"].(map[string]any)
	if lay["total"] != "Total: 114" || lay["value"] != 62.0 || dig(lay, "nested", 0, "x") != "12" || lay["title"] != "Hello" {
		t.Fatalf("layout %v", lay)
	}
	if dig(lay, "qMeta", "privileges") == nil || lay["qSelectionInfo"] == nil {
		t.Fatal("qMeta/qSelectionInfo")
	}
	// Key order: qInfo, qMeta, qSelectionInfo, then properties in order.
	b, _ := json.Marshal(mustCall(t, g, "GetLayout").Result[0].Value)
	if got := keyOrder(t, b); !reflect.DeepEqual(got, []string{"qInfo", "qMeta", "qSelectionInfo", "title", "total", "value", "nested"}) {
		t.Fatalf("key order %v", got)
	}

	r, _ = call(t, g, "ApplyPatches", []map[string]any{
		{"qOp": "replace", "qPath": "/title", "qValue": `"Bye"`},
		{"qOp": "add", "qPath": "/deep/er", "qValue": `{"a":1}`},
		{"qOp": "remove", "qPath": "/nested"},
	}, false)
	if !containsObj(r.Changed, g) {
		t.Fatal("ApplyPatches change list")
	}
	_, p := call(t, g, "GetProperties")
	prop := p["qProp"].(map[string]any)
	if prop["title"] != "Bye" || dig(prop, "deep", "er", "a") != 1.0 || prop["nested"] != nil || dig(prop, "qInfo", "qId") != "kpi1" {
		t.Fatalf("patched props %v", prop)
	}
	if _, err := g.Call(context.Background(), "ApplyPatches", ParamList{[]map[string]any{{"qOp": "replace", "qPath": "/nope/x", "qValue": "1"}}}); err == nil {
		t.Fatal("bad patch must fail")
	}

	call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "kpi1", "qType": "kpi"}, "title": "Set"})
	_, p = call(t, g, "GetEffectiveProperties")
	if dig(p, "qProp", "title") != "Set" || dig(p, "qProp", "total") != nil {
		t.Fatalf("SetProperties %v", p)
	}
	if _, info := call(t, g, "GetInfo"); dig(info, "qInfo", "qType") != "kpi" {
		t.Fatal("GetInfo")
	}

	// GetObject finds it; a missing id answers a nil qReturn.
	if _, res := call(t, d, "GetObject", "kpi1"); dig(res, "qReturn", "qGenericId") != "kpi1" {
		t.Fatal("GetObject")
	}
	if r, res := call(t, d, "GetObject", "missing"); dig(res, "qReturn", "qType") != nil || !isNilObject(ret(t, r)) {
		t.Fatalf("GetObject missing: %v", res)
	}
	if _, res := call(t, d, "GetAllInfos"); len(res["qInfos"].([]any)) != 1 {
		t.Fatalf("GetAllInfos %v", res)
	}
	if _, res := call(t, d, "GetObjects", map[string]any{"qTypes": []string{"kpi"}}); len(res["qList"].([]any)) != 1 {
		t.Fatalf("GetObjects %v", res)
	}
	r, res = call(t, d, "DestroyObject", "kpi1")
	if res["qSuccess"] != true || !containsObj(r.Closed, g) {
		t.Fatal("DestroyObject")
	}
	if _, err := g.Call(context.Background(), "GetLayout", nil); err == nil {
		t.Fatal("destroyed object must fail")
	}
	if _, err := d.Call(context.Background(), "NoSuchMethod", nil); err != ErrMethodNotFound {
		t.Fatalf("method not found: %v", err)
	}
}

func TestGenericObjectChildren(t *testing.T) {
	d := openDemo(t)
	parent := ret(t, mustCall(t, d, "CreateSessionObject", map[string]any{
		"qInfo":         map[string]any{"qType": "sheet"},
		"qChildListDef": map[string]any{"qData": map[string]any{"title": "/title"}},
	}))
	r, res := call(t, parent, "CreateChild", map[string]any{"qInfo": map[string]any{"qId": "c1", "qType": "chart"}, "title": map[string]any{"qStringExpression": "='Sales ' & Sum(Sales)"}})
	child := ret(t, r)
	if dig(res, "qInfo", "qId") != "c1" || !containsObj(r.Changed, parent) {
		t.Fatal("CreateChild")
	}
	_, l := call(t, parent, "GetLayout")
	if dig(l, "qLayout", "qChildList", "qItems", 0, "qData", "title") != "Sales 114" {
		t.Fatalf("child list %v", dig(l, "qLayout", "qChildList"))
	}
	if _, res := call(t, parent, "GetChildInfos"); dig(res, "qInfos", 0, "qId") != "c1" {
		t.Fatal("GetChildInfos")
	}
	if _, res := call(t, child, "GetParent"); dig(res, "qReturn", "qGenericType") != "sheet" {
		t.Fatal("GetParent")
	}
	_, tree := call(t, parent, "GetFullPropertyTree")
	if dig(tree, "qPropEntry", "qChildren", 0, "qProperty", "qInfo", "qId") != "c1" {
		t.Fatal("GetFullPropertyTree")
	}
	r, res = call(t, parent, "DestroyChild", "c1")
	if res["qSuccess"] != true || !containsObj(r.Closed, child) {
		t.Fatal("DestroyChild")
	}
	if _, res := call(t, parent, "GetChildInfos"); len(res["qInfos"].([]any)) != 0 {
		t.Fatal("child left")
	}
}

func TestMasterItems(t *testing.T) {
	d := openDemo(t)
	r, res := call(t, d, "CreateDimension", map[string]any{"qInfo": map[string]any{"qId": "dimRegion", "qType": "dimension"},
		"qDim": map[string]any{"qFieldDefs": []string{"Region"}, "qFieldLabels": []string{"Sales region"}}})
	dim := ret(t, r)
	if dim.Type() != "GenericDimension" || dim.GenericType() != "dimension" || dig(res, "qInfo", "qId") != "dimRegion" {
		t.Fatalf("dimension %v", res)
	}
	r, _ = call(t, d, "CreateMeasure", map[string]any{"qInfo": map[string]any{"qId": "mSales", "qType": "measure"},
		"qMeasure": map[string]any{"qDef": "Sum(Sales)", "qLabel": "Total sales"}})
	if ret(t, r).Type() != "GenericMeasure" {
		t.Fatal("measure type")
	}
	_, l := call(t, dim, "GetLayout")
	if dig(l, "qLayout", "qDim", "qFieldDefs", 0) != "Region" || dig(l, "qLayout", "qSelectionInfo") != nil {
		t.Fatalf("dimension layout %v", l)
	}
	_, hc := cubeLayout(t, d, map[string]any{"qInfo": map[string]any{"qType": "chart"}, "qHyperCubeDef": map[string]any{
		"qDimensions":       []any{map[string]any{"qLibraryId": "dimRegion"}},
		"qMeasures":         []any{map[string]any{"qLibraryId": "mSales"}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
	}})
	expectRows(t, hc, [][]string{{"North", "60"}, {"South", "20"}, {"East", "34"}})
	if dig(hc, "qDimensionInfo", 0, "qFallbackTitle") != "Sales region" || dig(hc, "qMeasureInfo", 0, "qFallbackTitle") != "Total sales" {
		t.Error("master item titles")
	}
	if _, res := call(t, d, "GetMeasure", "mSales"); dig(res, "qReturn", "qType") != "GenericMeasure" {
		t.Fatal("GetMeasure")
	}
	if _, res := call(t, d, "GetDimension", "mSales"); dig(res, "qReturn", "qType") != nil {
		t.Fatal("GetDimension of a measure must not find it")
	}
	if _, res := call(t, d, "DestroyMeasure", "mSales"); res["qSuccess"] != true {
		t.Fatal("DestroyMeasure")
	}
	if _, res := call(t, d, "DestroyDimension", "dimRegion"); res["qSuccess"] != true {
		t.Fatal("DestroyDimension")
	}
}

func TestPropertyChangeInOneSessionReachesOthersCachedLayout(t *testing.T) {
	l := NewLibrary("")
	a, _ := l.Open("Demo")
	b, _ := l.Open("Demo")
	props := cubeProps([]string{"Region"}, []string{"Sum(Sales)"}, 10)
	props["qInfo"] = map[string]any{"qId": "shared-cube", "qType": "table"}
	ga := ret(t, mustCall(t, a, "CreateObject", props))
	gb := ret(t, mustCall(t, b, "GetObject", "shared-cube"))
	_, l1 := call(t, gb, "GetLayout") // computed and cached in b
	if got := dig(l1, "qLayout", "qHyperCube", "qGrandTotalRow", 0, "qText"); got != "114" {
		t.Fatalf("Sum(Sales) total %v", got)
	}
	props["qHyperCubeDef"] = cubeProps([]string{"Region"}, []string{"Sum(Quantity)"}, 10)["qHyperCubeDef"]
	call(t, ga, "SetProperties", props)
	_, l2 := call(t, gb, "GetLayout")
	if got := dig(l2, "qLayout", "qHyperCube", "qGrandTotalRow", 0, "qText"); got != "62" {
		t.Fatalf("b still shows the old definition: total %v, want Sum(Quantity) = 62", got)
	}
}
