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

// TestFieldOnTheFlySaved: DoSave keeps a field on the fly's expression, in
// the app file too, and the app computes it again when it loads; without
// DoSave it ends with the last session.
func TestFieldOnTheFlySaved(t *testing.T) {
	dir := t.TempDir()
	l := NewLibrary("")
	if err := l.Persist(dir); err != nil {
		t.Fatal(err)
	}
	d, err := l.Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	call(t, d, "AddFieldFromExpression", "Unsaved", "Sales * 2")
	d.Close()
	d, _ = l.Open("Demo")
	if _, res := call(t, d, "GetFieldOnTheFlyByName", "Unsaved"); res["qName"] != "" {
		t.Fatalf("an unsaved field on the fly outlived its session: %v", res)
	}
	call(t, d, "AddFieldFromExpression", "Double", "Sales * 2")
	call(t, d, "DoSave", "")
	d.Close()

	l2 := NewLibrary("")
	if err := l2.Persist(dir); err != nil {
		t.Fatal(err)
	}
	d2, err := l2.Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, res := call(t, d2, "GetFieldOnTheFlyByName", "Double"); res["qName"] != "Double" {
		t.Fatalf("the saved field on the fly is gone: %v", res)
	}
	if _, res := call(t, d2, "Evaluate", "Sum(Double)"); res["qReturn"] != "228" {
		t.Fatalf("Sum(Double) after loading: %v", res)
	}
}
