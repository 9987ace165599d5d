package emulator

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// saveServer starts an emulator on the real data side with a -data folder.
func saveServer(t *testing.T, dir string) (*Server, *httptest.Server) {
	t.Helper()
	s := New(Config{DataDir: dir, ReloadPace: NoReloadPace, Logf: func(string, ...any) {}})
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		_ = s.Close()
	})
	return s, hs
}

// demoScript opens Demo in a new session, runs do on it and closes the
// session, waiting until the server ended it. It returns the script the
// session saw when it opened the app.
func demoSession(t *testing.T, s *Server, hs *httptest.Server, do func(c *client, doc int)) string {
	t.Helper()
	c, _ := dial(t, hs, "/app/Demo", nil)
	doc := handleOf(t, c.call(-1, "OpenDoc", []any{"Demo"}).ok(t))
	var script string
	_ = json.Unmarshal(c.call(doc, "GetScript", nil).ok(t)["qScript"], &script)
	do(c, doc)
	c.ws.CloseNow()
	waitFor(t, func() bool { return s.SessionCount() == 0 })
	return script
}

// TestNamedAppSaving: over the wire, a named app's unsaved script ends with
// its last session, DoSave keeps it, and with a data folder it is on disk
// for the next emulator; a session app's DoSave is 9009.
func TestNamedAppSaving(t *testing.T) {
	dir := t.TempDir()
	s, hs := saveServer(t, dir)
	original := demoSession(t, s, hs, func(c *client, doc int) {
		c.call(doc, "SetScript", []any{"unsaved"}).ok(t)
	})
	if got := demoSession(t, s, hs, func(c *client, doc int) {
		c.call(doc, "SetScript", []any{"saved"}).ok(t)
		c.call(doc, "DoSave", []any{""}).ok(t)
	}); got != original {
		t.Fatalf("the unsaved script outlived its session: %q", got)
	}
	if got := demoSession(t, s, hs, func(*client, int) {}); got != "saved" {
		t.Fatalf("after DoSave the script is %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "apps", "Demo.qvf.json")); err != nil {
		t.Fatalf("DoSave wrote no file: %v", err)
	}

	s2, hs2 := saveServer(t, dir)
	if got := demoSession(t, s2, hs2, func(*client, int) {}); got != "saved" {
		t.Fatalf("a new emulator on the data folder has script %q", got)
	}

	c, _ := dial(t, hs2, "/app/SessionApp_save", nil)
	doc := handleOf(t, c.call(-1, "GetActiveDoc", nil).ok(t))
	c.call(doc, "DoSave", []any{""}).errCode(t, 9009)
}
