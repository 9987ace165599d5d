package engine

import "testing"

func TestLibrary(t *testing.T) {
	l := NewLibrary("")
	list := l.DocList()
	if len(list) != 2 || list[0].DocName != "Sales" || list[1].DocID != "Demo" {
		t.Fatalf("doc list %+v", list)
	}
	if !l.Exists("Demo") || !l.Exists("/apps/demo.qvf") || l.Exists("Nope") {
		t.Fatal("Exists")
	}
	if _, err := l.Open("Nope"); err == nil || err.(*Error).Code != 1003 {
		t.Fatalf("Open unknown: %v", err)
	}
	if err := l.Create("New"); err != nil {
		t.Fatal(err)
	}
	if err := l.Create("New"); err == nil {
		t.Fatal("duplicate Create")
	}
	d, err := l.Open("New")
	if err != nil {
		t.Fatal(err)
	}
	if d.Type() != "Doc" || d.GenericID() != "New" || d.GenericType() != "" {
		t.Fatal("identity")
	}
	call(t, d, "SetScript", "T: LOAD * INLINE [\nA\n1\n];")
	if _, res := call(t, d, "DoReload"); res["qReturn"] != true {
		t.Fatal("reload")
	}
	if len(l.DocList()) != 3 {
		t.Fatal("created app not listed")
	}
}
