package emulator

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestSessionSharedBySameURL(t *testing.T) {
	s, hs := testServer(t, Config{})
	a, st := dial(t, hs, "/app/Sales", nil)
	if st != "SESSION_CREATED" {
		t.Fatalf("a: %s", st)
	}
	if h := handleOf(t, a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)); h != 1 {
		t.Fatalf("doc handle %d", h)
	}
	b, st := dial(t, hs, "/app/Sales", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("b: %s", st)
	}
	if n := s.SessionCount(); n != 1 {
		t.Fatalf("sessions %d", n)
	}
	// b sees the shared doc through its own handle 1.
	m := b.call(-1, "GetActiveDoc", nil)
	if h := handleOf(t, m.ok(t)); h != 1 || m.Change != nil {
		t.Fatalf("GetActiveDoc on b: %s", m.raw)
	}
	// An object created on a has handle 2 there; b gets no handle for it.
	obj := a.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o1", "qType": "t"}}})
	if h := handleOf(t, obj.ok(t)); h != 2 || !reflect.DeepEqual(obj.Change, []int{2}) {
		t.Fatalf("CreateSessionObject: %s", obj.raw)
	}
	// b opens it: handle 2 on b as well (next free), a selection on a pushes
	// b's handles.
	if h := handleOf(t, b.call(1, "GetObject", []any{"o1"}).ok(t)); h != 2 {
		t.Fatalf("GetObject on b: %d", h)
	}
	sel := a.call(1, "Select", nil)
	if !reflect.DeepEqual(sel.Change, []int{1, 2}) {
		t.Fatalf("Select change: %s", sel.raw)
	}
	push := b.next(2 * time.Second)
	if string(push.raw) != `{"jsonrpc":"2.0","change":[1,2]}` {
		t.Fatalf("push: %s", push.raw)
	}
	// Closing the object pushes a close list.
	a.call(1, "DestroySessionObject", []any{"o1"})
	push = b.next(2 * time.Second)
	if string(push.raw) != `{"jsonrpc":"2.0","close":[2]}` {
		t.Fatalf("close push: %s", push.raw)
	}
	if m := b.call(2, "GetLayout", nil); m.Error == nil || m.Error.Code != -32602 {
		t.Fatalf("closed handle: %s", m.raw)
	}
}

func TestSessionDifferentHandlesPerConnection(t *testing.T) {
	_, hs := testServer(t, Config{})
	a, _ := dial(t, hs, "/app/Sales", nil)
	b, _ := dial(t, hs, "/app/Sales", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	// b creates two objects before referencing the doc: the doc gets handle 3.
	a.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "x", "qType": "t"}}})
	a.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "y", "qType": "t"}}})
	bd := handleOf(t, b.call(-1, "GetActiveDoc", nil).ok(t))
	hy := handleOf(t, b.call(bd, "GetObject", []any{"y"}).ok(t))
	if bd != 1 || hy != 2 {
		t.Fatalf("b handles doc=%d y=%d", bd, hy)
	}
	a.call(1, "Select", nil)
	push := b.next(2 * time.Second)
	if !reflect.DeepEqual(push.Change, []int{1, 2}) {
		t.Fatalf("push %s", push.raw)
	}
}

func TestSessionIdentitySeparates(t *testing.T) {
	s, hs := testServer(t, Config{})
	a, _ := dial(t, hs, "/app/Sales/identity/one", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	b, st := dial(t, hs, "/app/Sales/identity/two", nil)
	if st != "SESSION_CREATED" {
		t.Fatalf("b: %s", st)
	}
	b.call(-1, "GetActiveDoc", nil).errCode(t, 1007)
	if n := s.SessionCount(); n != 2 {
		t.Fatalf("sessions %d", n)
	}
	c, st := dial(t, hs, "/app/Sales/identity/one", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("c: %s", st)
	}
	c.call(-1, "GetActiveDoc", nil).ok(t)
}

func TestSessionByHeader(t *testing.T) {
	s, hs := testServer(t, Config{})
	h1 := http.Header{"X-Qlik-Session": {"abc"}}
	a, _ := dial(t, hs, "/app/", h1)
	a.call(-1, "OpenDoc", []any{"Demo"}).ok(t)
	// Same header, other URL: same session.
	b, st := dial(t, hs, "/app/Other", h1)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("b: %s", st)
	}
	b.call(-1, "GetActiveDoc", nil).ok(t)
	// Other header: other session, even on the same URL.
	c, st := dial(t, hs, "/app/", http.Header{"X-Qlik-Session": {"def"}})
	if st != "SESSION_CREATED" {
		t.Fatalf("c: %s", st)
	}
	c.call(-1, "GetActiveDoc", nil).errCode(t, 1007)
	// No header on /app/Sales: yet another session.
	dial(t, hs, "/app/Sales", nil)
	if n := s.SessionCount(); n != 3 {
		t.Fatalf("sessions %d", n)
	}
}

func TestSessionEndsWithLastSocketAndClosesDoc(t *testing.T) {
	lib := newFakeLib("Sales")
	s, hs := testServer(t, Config{Library: lib})
	a, _ := dial(t, hs, "/app/Sales", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	a.ws.CloseNow()
	waitFor(t, func() bool { return s.SessionCount() == 0 })
	if !lib.opened[0].closed.Load() {
		t.Fatal("doc not closed")
	}
}

func TestSessionPushAfterOwnResponse(t *testing.T) {
	// Changes made by one socket do not come back to it as a push.
	_, hs := testServer(t, Config{})
	a, _ := dial(t, hs, "/app/Sales", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	m := a.call(1, "Select", nil)
	var r map[string]json.RawMessage
	_ = json.Unmarshal(m.Result, &r)
	if string(r["qReturn"]) != "true" {
		t.Fatalf("select %s", m.raw)
	}
	a.noMessage(100 * time.Millisecond)
}

// waitFor polls cond for up to 3 seconds.
func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met")
}

func TestCloudUnknownAppCloses4204(t *testing.T) {
	_, hs := testServer(t, Config{Flavor: FlavorCloud})
	c, err := tryDial(t, hs, "/app/NoSuchApp", nil)
	if err != nil {
		t.Fatal(err)
	}
	code, reason := c.closeStatus(t)
	if code != 4204 {
		t.Fatalf("code %d", code)
	}
	checkCloudReason(t, reason, "QEP-104")
}

func TestCloudOpensURLAppOnConnect(t *testing.T) {
	_, hs := testServer(t, Config{Flavor: FlavorCloud})
	c, _ := dial(t, hs, "/app/Sales", nil)
	m := c.call(-1, "GetActiveDoc", nil)
	if h := handleOf(t, m.ok(t)); h != 1 {
		t.Fatalf("%s", m.raw)
	}
	// OpenDoc of the same app returns it; another app is 1002.
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.call(-1, "OpenDoc", []any{"Demo"}).errCode(t, 1002)
}

func TestCoreDoesNotOpenURLApp(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/NoSuchApp", nil)
	c.call(-1, "GetActiveDoc", nil).errCode(t, 1007)
	c.call(-1, "OpenDoc", []any{"NoSuchApp"}).errCode(t, 1003)
}

func TestCloudLimits(t *testing.T) {
	_, hs := testServer(t, Config{Flavor: FlavorCloud, MaxSessions: 2, MaxApps: 1})
	dial(t, hs, "/app/Sales", nil)
	c, err := tryDial(t, hs, "/app/Demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, reason := c.closeStatus(t); code != 4230 {
		t.Fatalf("apps: %d %s", code, reason)
	} else {
		checkCloudReason(t, reason, "QEP-130")
	}
	dial(t, hs, "/app/Sales/identity/x", nil) // same app: allowed, 2 sessions
	c, err = tryDial(t, hs, "/app/Sales/identity/y", nil)
	if err != nil {
		t.Fatal(err)
	}
	code, reason := c.closeStatus(t)
	if code != 4205 {
		t.Fatalf("sessions: %d %s", code, reason)
	}
	checkCloudReason(t, reason, "QEP-105")
}

func TestSessionAppURL(t *testing.T) {
	for _, flavor := range []string{FlavorCore, FlavorCloud} {
		lib := newFakeLib("Sales")
		_, hs := testServer(t, Config{Flavor: flavor, Library: lib})
		c, _ := dial(t, hs, "/app/SessionApp_abc?from=Sales", nil)
		r := c.call(-1, "GetActiveDoc", nil).ok(t)
		if string(r["qReturn"]) != `{"qType":"Doc","qHandle":1,"qGenericId":"SessionApp_abc"}` {
			t.Fatalf("%s: %s", flavor, r["qReturn"])
		}
		if lib.opened[0].template != "Sales" {
			t.Fatalf("template %q", lib.opened[0].template)
		}
		c.call(1, "DoSave", []any{""}).errCode(t, 9009)
	}
}

func TestEngineDataEndpoint(t *testing.T) {
	_, hs := testServer(t, Config{Flavor: FlavorCloud})
	c, _ := dial(t, hs, "/app/engineData", nil)
	c.call(-1, "GetActiveDoc", nil).errCode(t, 1007)
	c.call(-1, "OpenDoc", []any{"Demo"}).ok(t)
}

func TestVirtualProxyPrefix(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/myproxy/app/Sales/identity/me/ttl/10", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
}

func TestSessionsAdmin(t *testing.T) {
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock})
	a, _ := dial(t, hs, "/app/Sales/ttl/20", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	dial(t, hs, "/app/Sales/ttl/20", nil)
	resp, err := http.Get(hs.URL + "/_emulator/sessions")
	if err != nil {
		t.Fatal(err)
	}
	var list []SessionInfo
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if !reflect.DeepEqual(list, []SessionInfo{{Doc: "Sales", Sockets: 2, TTL: 20}}) {
		t.Fatalf("%+v", list)
	}
	if got := s.Sessions(); len(got) != 1 {
		t.Fatalf("%+v", got)
	}
}
