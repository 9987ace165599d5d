package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGlobalProductAndCatalogue(t *testing.T) {
	_, hs := testServer(t, Config{Library: defaultLibrary("", 0)})
	c, _ := dial(t, hs, "/app/", nil)
	for method, want := range map[string]string{
		"AllowCreateApp":      `{"qReturn":true}`,
		"IsPersonalMode":      `{"qReturn":false}`,
		"QvVersion":           `{"qReturn":"12.2027.0"}`,
		"ReloadExtensionList": `{}`,
		"GetCustomConnectors": `{"qConnectors":[]}`,
		"GetOdbcDsns":         `{"qOdbcDsns":[]}`,
	} {
		if m := c.call(-1, method, nil); string(m.Result) != want {
			t.Errorf("%s: %s", method, m.raw)
		}
	}
	r := c.call(-1, "GetSupportedCodePages", nil).ok(t)
	if !strings.Contains(string(r["qCodePages"]), `"qNumber":65001`) {
		t.Errorf("code pages %s", r["qCodePages"])
	}
	var defs []map[string]any
	r = c.call(-1, "GetBNF", []any{"S"}).ok(t)
	if err := json.Unmarshal(r["qBnfDefs"], &defs); err != nil || len(defs) < 50 {
		t.Fatalf("GetBNF: %v, %d defs", err, len(defs))
	}
	names := map[string]map[string]any{}
	for _, d := range defs {
		names[d["qName"].(string)] = d
	}
	if names["Ord"]["qQvFunc"] != true || names["Sum"]["qAggrFunc"] != true || names["Load"]["qScriptStatement"] != true || names["For"]["qControlStatement"] != true {
		t.Errorf("GetBNF entries: Ord %v Sum %v Load %v For %v", names["Ord"], names["Sum"], names["Load"], names["For"])
	}
	h1 := c.call(-1, "GetBaseBNFHash", []any{"S"}).ok(t)["qBnfHash"]
	h2 := c.call(-1, "GetBaseBNF", []any{"S"}).ok(t)["qBnfHash"]
	if string(h1) != string(h2) || len(h1) < 4 {
		t.Errorf("hashes %s %s", h1, h2)
	}
	r = c.call(-1, "GetFunctions", []any{"STR"}).ok(t)
	if !strings.Contains(string(r["qFunctions"]), `{"qName":"Subfield","qGroup":"STR"`) {
		t.Errorf("GetFunctions STR: %s", r["qFunctions"])
	}
}
