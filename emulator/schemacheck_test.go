package emulator

import (
	"strings"
	"testing"
)

// TestSchemaClientKeys: keys not named like the engine's (q + upper case)
// are the client's own and pass anywhere; an unknown q-key, a wrong type
// and an enum value outside the schema do not.
func TestSchemaClientKeys(t *testing.T) {
	sp, err := loadEngineSpec()
	if err != nil {
		t.Fatal(err)
	}
	ok := `{"qProp":{"qInfo":{"qId":"a","qType":"b"},"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["A"],"cId":"x","series":{"type":"bar"}}}]}}}`
	if got := sp.CheckResult("GenericObject.GetEffectiveProperties", []byte(ok)); len(got) != 0 {
		t.Errorf("client keys reported: %v", got)
	}
	bad := `{"qProp":{"qInfo":{"qId":"a","qType":"b"},"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":"A","qBogus":1}}],"qMode":"Z"}}}`
	var all []string
	for _, p := range sp.CheckResult("GenericObject.GetEffectiveProperties", []byte(bad)) {
		all = append(all, p.String())
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{
		`qDimensions[0].qDef: key "qBogus" is not in the schema`,
		`qDimensions[0].qDef.qFieldDefs: a string where the schema has an array`,
		`qHyperCubeDef.qMode: "Z" is not one of the schema's values`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if p := sp.CheckResult("Doc.NoSuchMethod", []byte(`{}`)); len(p) != 1 || p[0].Problem != "not a method of the schema" {
		t.Errorf("unknown method: %v", p)
	}
}
