package engine

import (
	"fmt"
	"testing"
)

// TestFieldAcrossOneToManyLink: a field of a table on the "one" side of a
// link, aggregated per element of a dimension on its "many" side (Region
// per CustomerID: Customers → Regions), reaches every customer, not just
// the first customer of each region; Sum counts each region row once per
// customer. Expected values from the Sales rule: RegionID = (id-1)%5 + 1.
func TestFieldAcrossOneToManyLink(t *testing.T) {
	d, err := NewLibrary("").Open("Sales")
	if err != nil {
		t.Fatal(err)
	}
	_, hc := cubeLayout(t, d, cubeProps([]string{"CustomerID"}, []string{"Only(Region)", "Sum(RegionID)", "Count(Region)"}, 20))
	for _, r := range rowsOf(hc) {
		var id int
		fmt.Sscan(r[0], &id)
		want := SalesRegions[(id-1)%5]
		if r[1] != want || r[2] != fmt.Sprint((id-1)%5+1) || r[3] != "1" {
			t.Errorf("customer %d: %v, want %s, %d, 1", id, r[1:], want, (id-1)%5+1)
		}
	}
	m := d.model
	if m.functional(m.table("Regions"), m.table("Customers")) {
		t.Error("Regions → Customers taken as functional")
	}
	if !m.functional(m.table("Orders"), m.table("Regions")) {
		t.Error("Orders → Regions not taken as functional")
	}
}
