package engine

import (
	"reflect"
	"testing"
)

func TestModelLinksAndProjections(t *testing.T) {
	m := newModel()
	m.addTable("Dim", []string{"K", "Name"}, [][]Val{{numVal(1), strVal("a")}, {numVal(2), strVal("b")}})
	m.addTable("Fact", []string{"K", "V"}, [][]Val{{numVal(2), numVal(10)}, {numVal(1), numVal(20)}, {numVal(3), numVal(30)}, {nullVal, numVal(40)}})
	k := m.Fields[m.field("K")]
	if len(k.Values) != 3 || !reflect.DeepEqual(k.Tables, []int{0, 1}) {
		t.Fatalf("shared field K: %d values, tables %v", len(k.Values), k.Tables)
	}
	// Fact row → Name through K: b, a, none, none.
	p := m.proj(1, m.field("Name"))
	if !reflect.DeepEqual(p, []int32{1, 0, -1, -1}) {
		t.Fatalf("proj %v", p)
	}
	if rm := m.rowMap(1, 0); !reflect.DeepEqual(rm, []int32{1, 0, -1, -1}) {
		t.Fatalf("rowMap %v", rm)
	}
	if m.table("fact") != 1 || m.table("nope") != -1 {
		t.Fatal("table lookup")
	}
}

func TestFieldTags(t *testing.T) {
	m := newModel()
	m.addTable("T", []string{"I", "R", "S", "D"}, [][]Val{
		{numVal(1), numVal(1.5), strVal("x"), parseLoaded("2024-01-02")},
		{numVal(2), numVal(2), strVal("y"), parseLoaded("2024-01-03")},
	})
	for f, want := range map[string][]string{
		"I": {"$numeric", "$integer"}, "R": {"$numeric"}, "S": {"$ascii", "$text"},
		"D": {"$numeric", "$integer", "$timestamp", "$date"},
	} {
		if got := m.Fields[m.field(f)].Tags(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s tags %v, want %v", f, got, want)
		}
	}
	if m.Fields[m.field("S")].maxLen != 1 {
		t.Error("maxLen")
	}
}
