package engine

import (
	"context"
	"testing"
)

func TestScramble(t *testing.T) {
	lib := NewLibrary("")
	d, _ := lib.Open("Demo")
	other, _ := lib.Open("Demo")
	call(t, ret(t, mustCall(t, other, "GetField", "Region")), "Select", "North")
	before := map[string]bool{}
	for _, v := range d.model.Fields[d.model.field("Customer")].Values {
		before[v.Text()] = true
	}
	r, _ := call(t, d, "Scramble", "Customer")
	if len(r.Changed) == 0 {
		t.Fatal("Scramble: no change list")
	}
	f := d.model.Fields[d.model.field("Customer")]
	seen := map[string]bool{}
	for _, v := range f.Values {
		if before[v.Text()] {
			t.Errorf("value %q still readable", v.Text())
		}
		seen[v.Text()] = true
	}
	if len(seen) != 6 {
		t.Fatalf("scrambled values %v, want 6 distinct", seen)
	}
	// The data's shape stays: totals per (scrambled) customer are the same.
	if v, _ := d.evalExpr("Sum(Sales)"); v.Num != 114 {
		t.Fatalf("Sum(Sales) after Scramble = %v", v.Num)
	}
	if v, _ := d.evalExpr("Count(DISTINCT Customer)"); v.Num != 6 {
		t.Fatalf("Count(DISTINCT Customer) = %v", v.Num)
	}
	// Another session sees the scrambled data and keeps its selection of
	// a field Scramble left alone (Region North: 60 of 114).
	if v, _ := other.evalExprLocked(t, "Sum(Sales)"); v.Num != 60 {
		t.Fatalf("other session after Scramble: Sum(Sales) = %v, want 60 (Region=North kept)", v.Num)
	}
	if _, err := d.Call(context.Background(), "Scramble", ParamList{"Nope"}); err == nil {
		t.Fatal("Scramble of an unknown field: no error")
	}
}

// evalExprLocked evaluates as a method call does: under the app lock,
// after catching up with the app's data.
func (d *Doc) evalExprLocked(t *testing.T, expr string) (Val, error) {
	t.Helper()
	defer d.lock()()
	return d.evalExpr(expr)
}

func TestBreakpointsViewInfoAndBNF(t *testing.T) {
	lib := NewLibrary("")
	d, _ := lib.Open("Demo")
	if _, res := call(t, d, "GetScriptBreakpoints"); len(res["qBreakpoints"].([]any)) != 0 {
		t.Fatalf("fresh breakpoints %v", res)
	}
	call(t, d, "SetScriptBreakpoints", []map[string]any{{"qbufferName": "Main", "qlineIx": 3, "qEnabled": true}})
	d2, _ := lib.Open("Demo")
	if _, res := call(t, d2, "GetScriptBreakpoints"); dig(res, "qBreakpoints", 0, "qlineIx") != 3.0 || dig(res, "qBreakpoints", 0, "qbufferName") != "Main" {
		t.Fatalf("breakpoints %v", res)
	}
	if _, res := call(t, d, "GetViewDlgSaveInfo"); dig(res, "qReturn", "qCtlInfo", "qInternalView", "qZoomFactor") != 1.0 {
		t.Fatalf("default view info %v", res)
	}
	call(t, d, "SetViewDlgSaveInfo", map[string]any{"qPos": map[string]any{"qLeft": 5}, "qMode": 1})
	if _, res := call(t, d2, "GetViewDlgSaveInfo"); dig(res, "qReturn", "qMode") != 1.0 || dig(res, "qReturn", "qPos", "qLeft") != 5.0 {
		t.Fatalf("stored view info %v", res)
	}
	_, res := call(t, d, "GetExpressionBNF")
	_, h := call(t, d, "GetExpressionBNFHash")
	if len(res["qBnfDefs"].([]any)) == 0 || res["qBnfHash"] == "" || h["qBnfHash"] != res["qBnfHash"] {
		t.Fatalf("GetExpressionBNF %v / %v", len(res["qBnfDefs"].([]any)), h)
	}
}
