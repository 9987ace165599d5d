package engine

import "testing"

// TestAddFieldFromExpression: a field on the fly is a field of the model
// (expressions, list objects, GetFieldOnTheFlyByName), computed again after
// a reload; aggregations, unknown fields and taken names answer qSuccess
// false.
func TestAddFieldFromExpression(t *testing.T) {
	d := openDemo(t)
	if _, res := call(t, d, "AddFieldFromExpression", "Size", "If(Sales > 10, 'big', 'small')"); res["qSuccess"] != true {
		t.Fatalf("AddFieldFromExpression: %v", res)
	}
	if _, res := call(t, d, "GetFieldOnTheFlyByName", "size"); res["qName"] != "Size" {
		t.Fatalf("GetFieldOnTheFlyByName: %v", res)
	}
	if _, res := call(t, d, "Evaluate", "Sum(If(Size = 'big', Sales))"); res["qReturn"] != "67" {
		t.Fatalf("Sum over the field on the fly: %v", res)
	}
	r, _ := call(t, d, "CreateSessionObject", map[string]any{
		"qInfo":          map[string]any{"qType": "lb"},
		"qListObjectDef": map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Size"}}, "qInitialDataFetch": []any{map[string]any{"qTop": 0, "qLeft": 0, "qWidth": 1, "qHeight": 10}}},
	})
	lb := r.Result[0].Value.(*GenericObject)
	_, res := call(t, lb, "GetLayout")
	pages := res["qLayout"].(map[string]any)["qListObject"].(map[string]any)["qDataPages"].([]any)
	got := matrixTexts(pages[0].(map[string]any)["qMatrix"])
	if len(got) != 2 || got[0][0] != "big" || got[1][0] != "small" {
		t.Fatalf("list object on the field on the fly: %v", got)
	}

	call(t, d, "DoReload", 0, false, false)
	if _, res := call(t, d, "Evaluate", "Count(Size)"); res["qReturn"] != "12" {
		t.Fatalf("after a reload: %v", res)
	}

	for _, c := range [][2]string{{"Total", "Sum(Sales)"}, {"Nope", "NoSuchField * 2"}, {"Size", "Sales"}, {"Bad", "Sales +"}} {
		if _, res := call(t, d, "AddFieldFromExpression", c[0], c[1]); res["qSuccess"] != false {
			t.Errorf("AddFieldFromExpression(%q, %q): %v", c[0], c[1], res)
		}
	}
	if _, res := call(t, d, "GetFieldOnTheFlyByName", "Total"); res["qName"] != "" {
		t.Errorf("a failed field on the fly is found: %v", res)
	}
}
