package qixcore

import "testing"

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	if g, ok := r.Get(-1); !ok || g.Type != "Global" {
		t.Fatal("no Global")
	}
	a, created := r.Register(1, "Doc", "", "Sales")
	if !created {
		t.Fatal("not created")
	}
	b, created := r.Register(1, "Doc", "", "")
	if created || a != b || b.ID != "Sales" {
		t.Fatal("second registration of a handle must return the same object and keep its id")
	}
	r.Register(3, "GenericObject", "chart", "c1")
	r.Register(2, "GenericObject", "table", "t1")
	live := r.Live()
	if len(live) != 4 || live[0].Handle != -1 || live[1].Handle != 1 || live[3].Handle != 3 {
		t.Fatalf("live = %v", live)
	}
	gone := r.Remove([]int{3, 7, -1})
	if len(gone) != 1 || gone[0].Handle != 3 {
		t.Fatalf("removed = %v", gone)
	}
	if _, ok := r.Get(-1); !ok {
		t.Fatal("Global removed")
	}
	if reset := r.Reset(); len(reset) != 2 {
		t.Fatalf("reset = %v", reset)
	}
	if len(r.Live()) != 1 {
		t.Fatal("reset left objects")
	}
}
