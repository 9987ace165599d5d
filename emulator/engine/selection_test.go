package engine

import (
	"testing"
)

// states returns text → qState of every value of a field.
func states(d *Doc, field string) map[string]string {
	defer d.lock()()
	a := d.assoc()
	fi := d.model.field(field)
	out := map[string]string{}
	for e, v := range d.model.Fields[fi].Values {
		out[v.Text()] = a.state(fi, int32(e))
	}
	return out
}

func expectStates(t *testing.T, d *Doc, field string, want map[string]string) {
	t.Helper()
	got := states(d, field)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s=%s: state %q, want %q (all: %v)", field, k, got[k], w, got)
		}
	}
}

func fieldOf(t *testing.T, d *Doc, name string) Object {
	t.Helper()
	return ret(t, mustCall(t, d, "GetField", name))
}

func TestSelectionAcrossLinkedTables(t *testing.T) {
	d := openDemo(t)
	expectStates(t, d, "Region", map[string]string{"North": "O", "South": "O", "East": "O"})
	// Bakery has no orders but nothing is selected: everything is possible.
	expectStates(t, d, "Category", map[string]string{"Bakery": "O"})

	call(t, fieldOf(t, d, "Region"), "Select", "North")
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "A", "East": "A"})
	expectStates(t, d, "Customer", map[string]string{"Alice": "O", "Bob": "O", "Carol": "X", "Dave": "X", "Erin": "X", "Frank": "X"})
	expectStates(t, d, "Category", map[string]string{"Fruit": "O", "Vegetable": "O", "Bakery": "X"})
	expectStates(t, d, "Year", map[string]string{"2023": "O", "2024": "O"})

	call(t, fieldOf(t, d, "Category"), "Select", "Vegetable")
	expectStates(t, d, "Region", map[string]string{"North": "S", "South": "A", "East": "A"})
	expectStates(t, d, "Category", map[string]string{"Vegetable": "S", "Fruit": "A", "Bakery": "X"})
	expectStates(t, d, "OrderID", map[string]string{"3": "O", "10": "O", "1": "X", "5": "X"})

	// Selected values the other selections exclude become XS.
	d2 := openDemo(t)
	call(t, fieldOf(t, d2, "Customer"), "SelectValues", []map[string]any{{"qText": "Alice"}, {"qText": "Erin"}}, false, false)
	call(t, fieldOf(t, d2, "Year"), "Select", "2023")
	expectStates(t, d2, "Customer", map[string]string{"Alice": "S", "Erin": "XS", "Bob": "A", "Frank": "X"})

	// Locked values show L, and XL when excluded.
	call(t, fieldOf(t, d2, "Customer"), "Lock")
	expectStates(t, d2, "Customer", map[string]string{"Alice": "L", "Erin": "XL"})
}

func TestSelectingExcludedValueClearsOthers(t *testing.T) {
	d := openDemo(t)
	call(t, fieldOf(t, d, "Region"), "Select", "North")
	call(t, fieldOf(t, d, "Customer"), "Select", "Erin") // Erin is in East: excluded
	expectStates(t, d, "Region", map[string]string{"East": "O", "North": "X"})
	expectStates(t, d, "Customer", map[string]string{"Erin": "S"})
}

func TestStateCounts(t *testing.T) {
	d := openDemo(t)
	call(t, fieldOf(t, d, "Region"), "Select", "South")
	d.app.mu.Lock()
	c := d.assoc().counts(d.model.field("Customer"))
	d.app.mu.Unlock()
	if c.QOption != 2 || c.QExcluded != 4 || c.QSelected != 0 {
		t.Fatalf("counts %+v", c)
	}
}

func TestBitset(t *testing.T) {
	b := fullBitset(70)
	if b.count() != 70 || !b.has(69) || b.has(70) || b.has(-1) {
		t.Fatal("fullBitset")
	}
	b.unset(3)
	var got []int32
	b.each(func(i int32) {
		if i < 5 {
			got = append(got, i)
		}
	})
	if len(got) != 4 || got[3] != 4 {
		t.Fatalf("each: %v", got)
	}
}
