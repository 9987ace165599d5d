package emulator

import "testing"

// TestEnigmaGoFieldOnTheFly: enigma-go adds a field on the fly, finds it by
// name and computes over it; Resume answers as the engine does.
func TestEnigmaGoFieldOnTheFly(t *testing.T) {
	ctx, _, doc := egOpen(t, "Demo")
	ok, err := doc.AddFieldFromExpression(ctx, "Size", "If(Sales > 10, 'big', 'small')")
	must(t, "AddFieldFromExpression", err)
	if !ok {
		t.Fatalf("AddFieldFromExpression: qSuccess false")
	}
	name, err := doc.GetFieldOnTheFlyByName(ctx, "Size")
	must(t, "GetFieldOnTheFlyByName", err)
	if name != "Size" {
		t.Errorf("GetFieldOnTheFlyByName: %q", name)
	}
	v, err := doc.Evaluate(ctx, "Sum(If(Size = 'big', Sales))")
	must(t, "Evaluate", err)
	if v != "67" {
		t.Errorf("Evaluate over the field on the fly: %q", v)
	}
	ok, err = doc.AddFieldFromExpression(ctx, "Total", "Sum(Sales)")
	must(t, "AddFieldFromExpression of an aggregation", err)
	if ok {
		t.Errorf("AddFieldFromExpression of an aggregation: qSuccess true")
	}
	must(t, "Resume", doc.Resume(ctx))
}
