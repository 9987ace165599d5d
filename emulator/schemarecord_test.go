package emulator

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSchemaRecorder runs a server with the schema check on: a right reply
// is counted and not reported, the test double's layout key outside the
// schema is reported once with its count (on the admin endpoint and in the
// report file), delta replies are checked whole, and DELETE starts over.
func TestSchemaRecorder(t *testing.T) {
	sp, err := loadEngineSpec()
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "violations.jsonl")
	s, hs := testServer(t, Config{SchemaCheck: sp, SchemaReport: report})
	c, _ := dial(t, hs, "/app/Sales", nil)
	c.call(-1, "EngineVersion", nil).ok(t)
	doc := handleOf(t, c.call(-1, "OpenDoc", []any{"Sales"}).ok(t))
	c.call(doc, "GetAppLayout", nil).ok(t)
	c.callDelta(doc, "GetAppLayout", nil).ok(t)

	get := func() SchemaReport {
		t.Helper()
		resp, err := http.Get(hs.URL + "/_emulator/schema-violations")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r SchemaReport
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := get()
	if !r.Enabled || r.Checked != 4 || r.Count != 1 {
		t.Fatalf("report %+v, want enabled, 4 checked, 1 violation", r)
	}
	v := r.Violations[0]
	if v.Method != "Doc.GetAppLayout" || v.Path != "Doc.GetAppLayout.qLayout" || v.Problem != `key "qSel" is not in the schema` || v.Count != 2 {
		t.Errorf("violation %+v", v)
	}
	if got := s.SchemaViolations(); got.Count != 1 {
		t.Errorf("SchemaViolations %+v", got)
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	for sc := bufio.NewScanner(f); sc.Scan(); {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 1 || !strings.Contains(lines[0], `"method":"Doc.GetAppLayout"`) {
		t.Errorf("report file %q, want the one violation once", lines)
	}

	req, _ := http.NewRequest(http.MethodDelete, hs.URL+"/_emulator/schema-violations", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if r := get(); r.Checked != 0 || r.Count != 0 || len(r.Violations) != 0 {
		t.Errorf("after DELETE: %+v", r)
	}
}

// TestSchemaRecorderOff answers enabled:false without Config.SchemaCheck.
func TestSchemaRecorderOff(t *testing.T) {
	_, hs := testServer(t, Config{})
	resp, err := http.Get(hs.URL + "/_emulator/schema-violations")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r SchemaReport
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || r.Enabled || r.Count != 0 {
		t.Fatalf("report %+v (%v)", r, err)
	}
}

// TestSchemaAdminForeignOrigin refuses a browser page of another origin.
func TestSchemaAdminForeignOrigin(t *testing.T) {
	_, hs := testServer(t, Config{})
	req, _ := http.NewRequest(http.MethodGet, hs.URL+"/_emulator/schema-violations", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", resp.StatusCode)
	}
}
