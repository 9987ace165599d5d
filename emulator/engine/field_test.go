package engine

import (
	"context"
	"testing"
)

func TestFieldOps(t *testing.T) {
	d := openDemo(t)
	region := fieldOf(t, d, "Region")
	cust := fieldOf(t, d, "Customer")

	if _, res := call(t, region, "GetCardinal"); res["qReturn"] != 3.0 {
		t.Fatalf("GetCardinal = %v", res["qReturn"])
	}
	r, res := call(t, region, "Select", "north") // case-insensitive exact match
	if res["qReturn"] != true || len(r.Changed) == 0 || r.Changed[0] != Object(d) {
		t.Fatalf("Select: %v changed %v", res, r.Changed)
	}
	// Every handed-out object is in the change list, the doc included.
	found := false
	for _, o := range r.Changed {
		if o == region {
			found = true
		}
	}
	if !found {
		t.Fatal("field not in change list")
	}
	expectStates(t, d, "Region", map[string]string{"North": "S"})

	call(t, region, "ToggleSelect", "East")
	expectStates(t, d, "Region", map[string]string{"North": "S", "East": "S", "South": "A"})
	call(t, region, "ToggleSelect", "North")
	expectStates(t, d, "Region", map[string]string{"North": "A", "East": "S"})

	call(t, region, "Select", "*th")
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "S", "East": "A"})

	call(t, region, "SelectValues", []map[string]any{{"qText": "East"}}, true, false)
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "S", "East": "S"})

	call(t, region, "LowLevelSelect", []int{2}, false, false)
	expectStates(t, d, "Region", map[string]string{"East": "S", "North": "A"})

	call(t, region, "SelectAlternative")
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "S", "East": "A"})

	call(t, region, "SelectExcluded")
	expectStates(t, d, "Region", map[string]string{"East": "S", "North": "A", "South": "A"})

	call(t, cust, "SelectPossible") // Dave, Erin
	expectStates(t, d, "Customer", map[string]string{"Dave": "S", "Erin": "S", "Alice": "X"})

	call(t, cust, "ClearAllButThis")
	expectStates(t, d, "Region", map[string]string{"East": "O", "North": "X"})
	expectStates(t, d, "Customer", map[string]string{"Dave": "S"})

	call(t, region, "SelectAll")
	expectStates(t, d, "Region", map[string]string{"East": "S", "North": "XS"})

	call(t, region, "Clear")
	expectStates(t, d, "Region", map[string]string{"East": "O", "North": "X"})

	// Lock / Unlock.
	call(t, region, "Select", "East")
	if _, res := call(t, region, "Lock"); res["qReturn"] != true {
		t.Fatal("Lock")
	}
	if _, res := call(t, region, "Select", "North"); res["qReturn"] != false {
		t.Fatal("Select on a locked field must fail")
	}
	if _, res := call(t, region, "Select", "North", true); res["qReturn"] != true {
		t.Fatal("soft lock select must succeed")
	}
	expectStates(t, d, "Region", map[string]string{"North": "S"})
	call(t, region, "Lock")
	if _, res := call(t, region, "Clear"); res["qReturn"] != false {
		t.Fatal("Clear on a locked field must fail")
	}
	call(t, d, "ClearAll", false)
	expectStates(t, d, "Region", map[string]string{"North": "L"})
	call(t, d, "UnlockAll")
	expectStates(t, d, "Region", map[string]string{"North": "S"})
	call(t, d, "LockAll")
	expectStates(t, d, "Region", map[string]string{"North": "L"})
	call(t, d, "ClearAll", true)
	expectStates(t, d, "Region", map[string]string{"North": "O"})
	call(t, region, "Select", "North")
	call(t, region, "Lock")
	call(t, region, "Unlock")
	expectStates(t, d, "Region", map[string]string{"North": "S"})

	if _, res := call(t, region, "Select", "Atlantis"); res["qReturn"] != false {
		t.Fatal("Select without matches must answer false")
	}
	expectStates(t, d, "Region", map[string]string{"North": "S"})

	// Numeric search strings.
	qty := fieldOf(t, d, "Quantity")
	call(t, d, "ClearAll")
	call(t, qty, "Select", ">=8")
	expectStates(t, d, "Quantity", map[string]string{"8": "S", "9": "S", "10": "S", "7": "A"})

	if _, res := call(t, qty, "GetNxProperties"); dig(res, "qProperties", "qOneAndOnlyOne") != false {
		t.Fatal("GetNxProperties")
	}
	if _, err := qty.Call(context.Background(), "NoSuchMethod", nil); err != ErrMethodNotFound {
		t.Fatalf("err = %v", err)
	}
	if _, res := call(t, d, "GetField", "NoSuchField"); dig(res, "qReturn", "qType") != nil {
		t.Fatalf("GetField of a missing field: %v", res)
	}
}

func TestBackForward(t *testing.T) {
	d := openDemo(t)
	region := fieldOf(t, d, "Region")
	call(t, region, "Select", "North")
	call(t, region, "Select", "South")
	call(t, d, "Back")
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "A"})
	call(t, d, "Back")
	expectStates(t, d, "Region", map[string]string{"North": "O", "South": "O"})
	call(t, d, "Back") // nothing further back
	call(t, d, "Forward")
	call(t, d, "Forward")
	expectStates(t, d, "Region", map[string]string{"South": "S"})
	call(t, d, "Back")
	call(t, region, "Select", "East") // drops the forward history
	call(t, d, "Forward")
	expectStates(t, d, "Region", map[string]string{"East": "S", "South": "A"})
}
