package engine

import "testing"

func TestCarrySelKeepsValuesTheNewDataHas(t *testing.T) {
	row := func(vs ...string) []Val {
		out := make([]Val, len(vs))
		for i, v := range vs {
			out[i] = strVal(v)
		}
		return out
	}
	from := newModel()
	from.addTable("T", []string{"Region", "City"}, [][]Val{row("North", "Oslo"), row("South", "Rome"), row("East", "Kyiv")})
	// The reload dropped East, added West and reordered the symbols.
	to := newModel()
	to.addTable("T", []string{"City", "Region"}, [][]Val{row("Lima", "West"), row("Rome", "South"), row("Oslo", "North")})

	sel := func(m *Model, field string, vals ...string) bitset {
		fd := m.Fields[m.field(field)]
		b := newBitset(len(fd.Values))
		for _, v := range vals {
			b.set(fd.index[strVal(v).key()])
		}
		return b
	}
	s := newSelState()
	s.setSel(from.field("Region"), sel(from, "Region", "South", "East"))
	s.setSel(from.field("City"), sel(from, "City", "Kyiv"))
	s.locked[from.field("Region")] = true

	got := carrySel(from, to, s)
	ri := to.field("Region")
	if b := got.sel[ri]; b == nil || !b.equal(sel(to, "Region", "South")) {
		t.Fatalf("Region carried as %v, want South only", b)
	}
	if !got.locked[ri] {
		t.Fatal("the lock on Region was lost")
	}
	if _, ok := got.sel[to.field("City")]; ok || len(got.order) != 1 {
		t.Fatalf("City (only Kyiv, gone) still selected: %v", got.order)
	}
	if e := carrySel(nil, to, s); len(e.sel) != 0 {
		t.Fatal("no previous model: selections carried")
	}
}

func TestCarryHistKeepsEveryStep(t *testing.T) {
	from := newModel()
	from.addTable("T", []string{"Region"}, [][]Val{{strVal("North")}, {strVal("South")}})
	to := newModel()
	to.addTable("T", []string{"Region"}, [][]Val{{strVal("South")}, {strVal("North")}})
	step := func(m *Model, v string) *selState {
		s := newSelState()
		fd := m.Fields[m.field("Region")]
		b := newBitset(len(fd.Values))
		b.set(fd.index[strVal(v).key()])
		s.setSel(m.field("Region"), b)
		return s
	}
	hist := []*selState{newSelState(), step(from, "North"), step(from, "South")}
	got, pos := carryHist(from, to, hist, 1, hist[1])
	if pos != 1 || len(got) != 3 || len(got[0].sel) != 0 || !got[1].equal(step(to, "North")) || !got[2].equal(step(to, "South")) {
		t.Fatalf("history carried as %d steps at %d", len(got), pos)
	}
	if got, pos := carryHist(nil, to, hist, 1, hist[1]); len(got) != 1 || pos != 0 {
		t.Fatal("no previous model: the history did not start over")
	}
}
