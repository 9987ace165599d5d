package engine

import "testing"

func TestLooselyCoupledTables(t *testing.T) {
	d, err := NewLibrary("").NewSessionApp("loose", "")
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, d, "SetScript", `T1: LOAD * INLINE [
B, A
1, x
2, y
3, z
];
T2: LOAD * INLINE [
A, C
x, 6
y, 7
z, 8
];
T3: LOAD * INLINE [
C, D
6, a
7, b
8, c
];`)
	if _, res := call(t, d, "DoReload"); res["qReturn"] != true {
		t.Fatalf("reload %v", res)
	}
	count := func(field string) float64 {
		v, _ := d.evalExprLocked(t, "Count(DISTINCT "+field+")")
		return v.Num
	}
	if _, res := call(t, d, "GetLooselyCoupledVector"); len(res["qv"].([]any)) != 6 || dig(res, "qv", 1) != 0.0 {
		t.Fatalf("GetLooselyCoupledVector %v", res)
	}
	call(t, ret(t, mustCall(t, d, "GetField", "B")), "Select", "2")
	if count("A") != 1 || count("C") != 1 || count("D") != 1 {
		t.Fatalf("coupled: A %v C %v D %v", count("A"), count("C"), count("D"))
	}
	if _, res := call(t, d, "SetLooselyCoupledVector", []int{0, 1, 0, 0, 0, 0}); res["qReturn"] != true {
		t.Fatalf("SetLooselyCoupledVector %v", res)
	}
	if _, res := call(t, d, "GetLooselyCoupledVector"); dig(res, "qv", 1) != 1.0 {
		t.Fatalf("after Set: %v", res)
	}
	// B = 2 still gives A = y through T1, but T2 no longer carries it to C.
	call(t, ret(t, mustCall(t, d, "GetField", "B")), "Select", "2")
	if count("A") != 1 || count("C") != 3 || count("D") != 3 {
		t.Fatalf("T2 loosely coupled: A %v C %v D %v", count("A"), count("C"), count("D"))
	}
	possible := func(field, value string) string {
		fi := d.model.field(field)
		for e, v := range d.model.Fields[fi].Values {
			if v.Text() == value {
				return d.assoc().state(fi, int32(e))
			}
		}
		return ""
	}
	if possible("A", "x") != stExcluded || possible("C", "6") != stOption {
		t.Fatalf("states: A=x %s, C=6 %s", possible("A", "x"), possible("C", "6"))
	}
	// Typed clients send the byte vector as base64 ([0, 0, 0] here).
	if _, res := call(t, d, "SetLooselyCoupledVector", "AAAA"); res["qReturn"] != true {
		t.Fatalf("base64 vector: %v", res)
	}
	if _, res := call(t, d, "GetLooselyCoupledVector"); dig(res, "qv", 1) != 0.0 {
		t.Fatalf("after the base64 vector: %v", res)
	}
}
