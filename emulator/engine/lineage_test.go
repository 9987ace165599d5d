package engine

import (
	"strings"
	"testing"
)

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

func TestGetAssociationScores(t *testing.T) {
	d, err := NewLibrary("").NewSessionApp("scores", "")
	if err != nil {
		t.Fatal(err)
	}
	mustCall(t, d, "SetScript", `A: LOAD * INLINE [
Id, Name
1, x
2, y
3, z
4, w
];
B: LOAD * INLINE [
Ref, Amount
1, 10
1, 20
2, 30
9, 40
];`)
	call(t, d, "DoReload")
	_, res := call(t, d, "GetAssociationScores", "A", "B")
	scores := res["qScore"].([]any)
	if len(scores) != 4 || dig(scores[0], "qFieldPairName") != "Id/Ref" {
		t.Fatalf("scores %v", scores)
	}
	s := scores[0]
	// Id: 4 distinct of 4 rows, 2 of them (1, 2) in Ref. Ref: 3 distinct
	// of 4 rows; 2 distinct and 3 rows match Id.
	want := map[string]float64{"qField1Scores/qCardinalRatio": 1, "qField1Scores/qSymbolScore": 0.5, "qField1Scores/qRowScore": 0.5,
		"qField2Scores/qCardinalRatio": 0.75, "qField2Scores/qSymbolScore": 2.0 / 3, "qField2Scores/qRowScore": 0.75}
	for k, w := range want {
		part, key, _ := strings.Cut(k, "/")
		if got := dig(s, part, key).(float64); got != w {
			t.Errorf("%s = %v, want %v", k, got, w)
		}
	}
	if dig(s, "qScoreSummary") != 0.0 {
		t.Errorf("Id/Ref summary %v", dig(s, "qScoreSummary"))
	}
	// Name (text) against Amount (numbers): different types, flag -1.
	if dig(scores[3], "qFieldPairName") != "Name/Amount" || dig(scores[3], "qScoreSummary") != -1.0 {
		t.Errorf("Name/Amount %v", scores[3])
	}
}
