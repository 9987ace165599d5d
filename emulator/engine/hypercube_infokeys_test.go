package engine

import "testing"

// TestClientKeysInInfos: the client's keys of qDef and of attribute
// definitions come back in the infos (nebula.js reads cId, textAlign and
// the attribute ids there); engine keys are not copied, and the stored
// properties keep them where they were.
func TestClientKeysInInfos(t *testing.T) {
	d := openDemo(t)
	props := map[string]any{"qInfo": map[string]any{"qType": "t"}, "qHyperCubeDef": map[string]any{
		"qDimensions": []any{map[string]any{
			"qDef":                  map[string]any{"qFieldDefs": []any{"Region"}, "cId": "d1", "textAlign": map[string]any{"auto": true}},
			"qAttributeExpressions": []any{map[string]any{"qExpression": "Sum(Sales)", "id": "cellBackgroundColor"}},
		}},
		"qMeasures": []any{map[string]any{
			"qDef":                 map[string]any{"qDef": "Sum(Sales)", "cId": "m1"},
			"qAttributeDimensions": []any{map[string]any{"qDef": "Region", "id": "colorByDimension"}},
		}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
	}}
	g, hc := cubeLayout(t, d, props)
	if dig(hc, "qDimensionInfo", 0, "cId") != "d1" || dig(hc, "qDimensionInfo", 0, "textAlign", "auto") != true || dig(hc, "qMeasureInfo", 0, "cId") != "m1" {
		t.Errorf("qDef keys: %v / %v", dig(hc, "qDimensionInfo", 0, "cId"), dig(hc, "qMeasureInfo", 0, "cId"))
	}
	if dig(hc, "qDimensionInfo", 0, "qAttrExprInfo", 0, "id") != "cellBackgroundColor" || dig(hc, "qMeasureInfo", 0, "qAttrDimInfo", 0, "id") != "colorByDimension" {
		t.Errorf("attribute keys: %v / %v", dig(hc, "qDimensionInfo", 0, "qAttrExprInfo"), dig(hc, "qMeasureInfo", 0, "qAttrDimInfo"))
	}
	if dig(hc, "qDimensionInfo", 0, "qFieldDefs") != nil || dig(hc, "qMeasureInfo", 0, "qDef") != nil {
		t.Error("engine keys of qDef were copied")
	}
	// A second layout from the cache has them once, not twice.
	_, l := call(t, g, "GetLayout")
	if dig(l, "qLayout", "qHyperCube", "qDimensionInfo", 0, "cId") != "d1" {
		t.Error("second layout lost cId")
	}
}
