package engine

import "testing"

func TestGetLineage(t *testing.T) {
	d, err := NewLibrary("").NewSessionApp("lin", "")
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, d, "SetScript", `T: LOAD * INLINE [
A
1
];
Orders: LOAD Id, Amount FROM [lib://data/orders.csv] (txt, utf8, embedded labels, delimiter is ',');
R: LOAD A RESIDENT T;
STORE Orders INTO 'lib://data/out.qvd' (qvd);
SQL SELECT * FROM dbo.Customers;`)
	_, res := call(t, d, "GetLineage")
	got := res["qLineage"].([]any)
	want := []string{"lib://data/orders.csv", "lib://data/out.qvd", "dbo.Customers"}
	if len(got) != len(want) {
		t.Fatalf("GetLineage %v", got)
	}
	for i, w := range want {
		if dig(got[i], "qDiscriminator") != w {
			t.Errorf("lineage %d: %v, want %s", i, got[i], w)
		}
	}
	if s, _ := dig(got[0], "qStatement").(string); s == "" || s[len(s)-1] != ';' {
		t.Errorf("qStatement %q", s)
	}
}

func TestGetFieldAndColumnSamples(t *testing.T) {
	d := openDemo(t)
	_, res := call(t, d, "GetFieldAndColumnSamples", []map[string]any{{"qFieldName": "Reg*"}, {"qFieldName": "Region", "qTableName": "Regions"}}, 2, 7)
	rs := res["qResult"].([]any)
	// Reg* matches Region and RegionID; the column adds Regions.Region.
	if len(rs) != 3 {
		t.Fatalf("samples %v", rs)
	}
	for _, r := range rs {
		if n := len(dig(r, "qValues").([]any)); n != 2 {
			t.Errorf("%v: %d values, want 2", dig(r, "qFieldOrColumn"), n)
		}
	}
	if dig(rs[2], "qFieldOrColumn", "qTableName") != "Regions" {
		t.Errorf("column sample %v", rs[2])
	}
	// The same seed picks the same values.
	_, again := call(t, d, "GetFieldAndColumnSamples", []map[string]any{{"qFieldName": "Reg*"}, {"qFieldName": "Region", "qTableName": "Regions"}}, 2, 7)
	if dig(again, "qResult", 0, "qValues", 0, "qText") != dig(rs[0], "qValues", 0, "qText") {
		t.Errorf("seeded samples differ")
	}
}
