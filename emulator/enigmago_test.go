package emulator

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// The enigmago_*_test.go files drive the emulator with enigma-go, Qlik's
// typed Go client, written outside this project: its generated structs
// decode every reply, so a key or JSON type the engine would not send
// fails the call (or leaves a field empty that the test then asserts).
// Every session also checks each reply it received against the engine API
// specification (enigmago_schema_test.go) when the test ends.

// egTraffic records what one enigma-go session sent and received, so the
// replies can be checked against the schema afterwards.
type egTraffic struct {
	mu   sync.Mutex
	sent map[int64]egCall // request id → call
	recv [][]byte
}

// egCall is one request as sent: which handle and method.
type egCall struct {
	Handle int    `json:"handle"`
	Method string `json:"method"`
}

func (l *egTraffic) Opened() {}
func (l *egTraffic) Closed() {}

func (l *egTraffic) Sent(message []byte) {
	var m struct {
		ID *int64 `json:"id"`
		egCall
	}
	if json.Unmarshal(message, &m) != nil || m.ID == nil {
		return
	}
	l.mu.Lock()
	l.sent[*m.ID] = m.egCall
	l.mu.Unlock()
}

func (l *egTraffic) Received(message []byte) {
	l.mu.Lock()
	l.recv = append(l.recv, append([]byte(nil), message...))
	l.mu.Unlock()
}

// egSession starts an emulator on the real data side and connects enigma-go
// to it. When the test ends, every reply the session received is checked
// against the engine API specification.
func egSession(t *testing.T) (context.Context, *enigma.Global) {
	t.Helper()
	_, hs := engineServer(t, Config{})
	return egDial(t, hs)
}

// egDial connects enigma-go to a running emulator, checking its replies
// against the specification when the test ends.
func egDial(t *testing.T, hs *httptest.Server) (context.Context, *enigma.Global) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	rec := &egTraffic{sent: map[int64]egCall{}}
	g, err := enigma.Dialer{TrafficLogger: rec}.Dial(ctx, wsURL(hs, "/app/"), nil)
	if err != nil {
		t.Fatalf("failed to dial with enigma-go: %v", err)
	}
	t.Cleanup(func() {
		g.DisconnectFromServer()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		for _, p := range dedupeProblems(checkRepliesAgainstSchema(t, rec.sent, rec.recv)) {
			t.Errorf("reply differs from the schema: %s", p)
		}
	})
	return ctx, g
}

// egOpen opens a sample app through enigma-go.
func egOpen(t *testing.T, name string) (context.Context, *enigma.Global, *enigma.Doc) {
	t.Helper()
	ctx, g := egSession(t)
	doc, err := g.OpenDoc(ctx, name, "", "", "", false)
	if err != nil {
		t.Fatalf("OpenDoc %s: %v", name, err)
	}
	return ctx, g, doc
}

// must fails the test on err, naming the call.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestEnigmaGoGlobal(t *testing.T) {
	ctx, g := egSession(t)
	v, err := g.EngineVersion(ctx)
	must(t, "EngineVersion", err)
	if v.ComponentVersion == "" {
		t.Errorf("EngineVersion: empty qComponentVersion")
	}
	pv, err := g.ProductVersion(ctx)
	must(t, "ProductVersion", err)
	if pv != v.ComponentVersion {
		t.Errorf("ProductVersion %q, EngineVersion %q", pv, v.ComponentVersion)
	}
	qv, err := g.QvVersion(ctx)
	must(t, "QvVersion", err)
	if qv == "" {
		t.Errorf("QvVersion empty")
	}
	personal, err := g.IsPersonalMode(ctx)
	must(t, "IsPersonalMode", err)
	if personal {
		t.Errorf("IsPersonalMode true on a server engine")
	}
	os, err := g.OSName(ctx)
	must(t, "OSName", err)
	if os == "" {
		t.Errorf("OSName empty")
	}
	id, err := g.GetUniqueID(ctx)
	must(t, "GetUniqueID", err)
	if len(id) != 36 {
		t.Errorf("GetUniqueID %q", id)
	}
	docs, err := g.GetDocList(ctx)
	must(t, "GetDocList", err)
	names := map[string]bool{}
	for _, d := range docs {
		names[d.DocName] = true
		if d.DocId == "" {
			t.Errorf("GetDocList: %q has no qDocId", d.DocName)
		}
	}
	if !names["Sales"] || !names["Demo"] {
		t.Errorf("GetDocList: %v", names)
	}
	if _, err := g.GetActiveDoc(ctx); err == nil {
		t.Errorf("GetActiveDoc before OpenDoc: no error")
	}
	doc, err := g.OpenDoc(ctx, "Demo", "", "", "", false)
	must(t, "OpenDoc", err)
	active, err := g.GetActiveDoc(ctx)
	must(t, "GetActiveDoc", err)
	if active.Handle != doc.Handle || active.Type != "Doc" {
		t.Errorf("GetActiveDoc %d %s, OpenDoc %d", active.Handle, active.Type, doc.Handle)
	}
	if _, err := g.OpenDoc(ctx, "NoSuchApp", "", "", "", false); err == nil {
		t.Errorf("OpenDoc of a missing app: no error")
	}
}

func TestEnigmaGoSessionApp(t *testing.T) {
	ctx, g := egSession(t)
	doc, err := g.CreateSessionApp(ctx)
	must(t, "CreateSessionApp", err)
	must(t, "SetScript", doc.SetScript(ctx, "T: LOAD * INLINE [\nA, B\nx, 1\ny, 2\nz, 4\n];"))
	ok, err := doc.DoReload(ctx, 0, false, false)
	must(t, "DoReload", err)
	if !ok {
		t.Fatalf("DoReload: false")
	}
	s, err := doc.Evaluate(ctx, "Sum(B)")
	must(t, "Evaluate", err)
	if s != "7" {
		t.Errorf("Sum(B) = %q, want 7", s)
	}
	script, err := doc.GetScript(ctx)
	must(t, "GetScript", err)
	if script[:2] != "T:" {
		t.Errorf("GetScript %q", script)
	}
}
