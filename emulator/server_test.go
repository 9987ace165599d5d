package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// ---- fake data side -------------------------------------------------------

// fakeLib is a Library of named apps backed by fakeDocs.
type fakeLib struct {
	mu     sync.Mutex
	apps   map[string]bool
	opened []*fakeDoc
}

func newFakeLib(names ...string) *fakeLib {
	l := &fakeLib{apps: map[string]bool{}}
	for _, n := range names {
		l.apps[n] = true
	}
	return l
}

func (l *fakeLib) DocList() any {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, 0, len(l.apps))
	for n := range l.apps {
		names = append(names, n)
	}
	sort.Strings(names)
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, map[string]any{"qDocName": n, "qDocId": n})
	}
	return out
}

func (l *fakeLib) Exists(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.apps[name]
}

func (l *fakeLib) Open(name string) (Doc, error) {
	if !l.Exists(name) {
		return nil, notFound(name)
	}
	d := newFakeDoc(name, false)
	l.mu.Lock()
	l.opened = append(l.opened, d)
	l.mu.Unlock()
	return d, nil
}

func (l *fakeLib) NewSessionApp(id, template string) (Doc, error) {
	if template != "" && !l.Exists(template) {
		return nil, notFound(template)
	}
	d := newFakeDoc(id, true)
	d.template = template
	l.mu.Lock()
	l.opened = append(l.opened, d)
	l.mu.Unlock()
	return d, nil
}

func (l *fakeLib) Create(name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.apps[name] = true
	return nil
}

// fakeDoc is a Doc with a few methods the protocol tests need.
type fakeDoc struct {
	name     string
	session  bool
	template string
	closed   atomic.Bool
	started  chan string // receives the method name when Slow starts

	mu     sync.Mutex
	sel    int
	script string
	objs   map[string]*fakeObj
	seq    int
}

func newFakeDoc(name string, session bool) *fakeDoc {
	return &fakeDoc{name: name, session: session, objs: map[string]*fakeObj{}, started: make(chan string, 16)}
}

func (d *fakeDoc) Type() string        { return "Doc" }
func (d *fakeDoc) GenericType() string { return "" }
func (d *fakeDoc) GenericID() string   { return d.name }
func (d *fakeDoc) Close()              { d.closed.Store(true) }
func (d *fakeDoc) Progress() engine.ProgressInfo {
	return engine.ProgressInfo{Step: 2, Steps: 3, Transient: "T <<< 10 Lines fetched", Persistent: "Started loading data\n"}
}

func str(p engine.Params, i int, name string) string {
	var s string
	_ = json.Unmarshal(p.Get(i, name), &s)
	return s
}

// nanFloat marshals NaN the way the engine side does.
type nanFloat float64

func (f nanFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) {
		return []byte(`"NaN"`), nil
	}
	return json.Marshal(float64(f))
}

func (d *fakeDoc) Call(ctx context.Context, method string, p engine.Params) (*engine.Reply, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch method {
	case "GetAppLayout":
		return reply(kv("qLayout", map[string]any{"qTitle": d.name, "qSel": d.sel, "qHasScript": d.script != ""})), nil
	case "SetScript":
		d.script = str(p, 0, "qScript")
		return reply(), nil
	case "GetScript":
		return reply(kv("qScript", d.script)), nil
	case "DoSave":
		if d.session {
			return nil, &engine.Error{Code: 9009, Parameter: "", Message: "Persistence not supported for session apps"}
		}
		return &engine.Reply{Changed: []engine.Object{d}}, nil
	case "CreateSessionObject":
		var props struct {
			QInfo struct {
				QID   string `json:"qId"`
				QType string `json:"qType"`
			} `json:"qInfo"`
		}
		_ = json.Unmarshal(p.Get(0, "qProp"), &props)
		if props.QInfo.QID == "" {
			d.seq++
			props.QInfo.QID = fmt.Sprintf("obj-%d", d.seq)
		}
		o := &fakeObj{doc: d, id: props.QInfo.QID, typ: props.QInfo.QType}
		d.objs[o.id] = o
		return &engine.Reply{Result: []engine.KV{kv("qReturn", o)}, Changed: []engine.Object{o}}, nil
	case "GetObject":
		if o := d.objs[str(p, 0, "qId")]; o != nil {
			return reply(kv("qReturn", o)), nil
		}
		return reply(kv("qReturn", (*fakeObj)(nil))), nil
	case "DestroySessionObject":
		o := d.objs[str(p, 0, "qId")]
		if o == nil {
			return reply(kv("qSuccess", false)), nil
		}
		delete(d.objs, o.id)
		return &engine.Reply{Result: []engine.KV{kv("qSuccess", true)}, Closed: []engine.Object{o}}, nil
	case "Select":
		d.sel++
		ch := []engine.Object{d}
		for _, o := range d.objs {
			ch = append(ch, o)
		}
		return &engine.Reply{Result: []engine.KV{kv("qReturn", true)}, Changed: ch}, nil
	case "GetNaN":
		return reply(kv("qValue", map[string]any{"qNum": nanFloat(math.NaN()), "qText": "<a&b>"})), nil
	case "Slow", "DoReload":
		d.mu.Unlock()
		defer d.mu.Lock()
		select {
		case d.started <- method:
		default:
		}
		ms := 5000
		if raw := p.Get(0, "qMs"); raw != nil {
			_ = json.Unmarshal(raw, &ms)
		}
		select {
		case <-ctx.Done():
			return nil, engine.ErrAborted
		case <-time.After(time.Duration(ms) * time.Millisecond):
		}
		return reply(kv("qReturn", true)), nil
	}
	return nil, engine.ErrMethodNotFound
}

// fakeObj is a GenericObject whose layout shows the doc's selection count.
type fakeObj struct {
	doc *fakeDoc
	id  string
	typ string
}

func (o *fakeObj) Type() string        { return "GenericObject" }
func (o *fakeObj) GenericType() string { return o.typ }
func (o *fakeObj) GenericID() string   { return o.id }
func (o *fakeObj) Call(ctx context.Context, method string, p engine.Params) (*engine.Reply, error) {
	switch method {
	case "GetLayout":
		o.doc.mu.Lock()
		sel := o.doc.sel
		o.doc.mu.Unlock()
		return reply(kv("qLayout", map[string]any{
			"qInfo":  map[string]string{"qId": o.id, "qType": o.typ},
			"qCount": sel,
			"qRows":  []int{1, 2, 3},
		})), nil
	case "GetNumber":
		return reply(kv("qReturn", 42)), nil
	}
	return nil, engine.ErrMethodNotFound
}

// ---- test client ------------------------------------------------------------

// fakeClock is a Clock whose timers fire only when Advance passes them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Duration
	f       func()
	stopped bool
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now + d, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// count is the number of timers ever started.
func (c *fakeClock) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// Advance moves time on and runs the timers that are due (synchronously).
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now += d
	var due []*fakeTimer
	for _, t := range c.timers {
		if !t.stopped && t.at <= c.now {
			t.stopped = true
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

// testServer starts an emulator on a loopback httptest server.
func testServer(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Library == nil {
		cfg.Library = newFakeLib("Sales", "Demo", "Other")
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := New(cfg)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		hs.Close()
		_ = s.Close()
	})
	return s, hs
}

// msg is one received message, raw and decoded.
type msg struct {
	raw    []byte
	ID     *int64          `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *engine.Error   `json:"error"`
	Change []int           `json:"change"`
	Close  []int           `json:"close"`
	Delta  bool            `json:"delta"`
}

// client is a minimal QIX client for tests: it matches responses by id and
// keeps everything else (notifications, pushed lists) in a queue.
type client struct {
	t      testing.TB
	ws     *websocket.Conn
	id     atomic.Int64
	in     chan msg
	mu     sync.Mutex
	waits  map[int64]chan msg
	other  chan msg
	closed chan struct{}
	err    error
	sent   map[int64]egCall // requests by id, for the schema check
	recv   [][]byte         // responses, for the schema check
}

func wsURL(hs *httptest.Server, path string) string {
	return "ws" + strings.TrimPrefix(hs.URL, "http") + path
}

// dial connects and returns the client and the OnConnected state.
func dial(t testing.TB, hs *httptest.Server, path string, hdr http.Header) (*client, string) {
	t.Helper()
	c, err := tryDial(t, hs, path, hdr)
	if err != nil {
		t.Fatalf("failed to dial %s: %v", path, err)
	}
	m := c.next(2 * time.Second)
	if m.Method != "OnConnected" {
		t.Fatalf("first message = %s, want OnConnected", m.raw)
	}
	var p struct {
		State string `json:"qSessionState"`
	}
	_ = json.Unmarshal(m.Params, &p)
	return c, p.State
}

func tryDial(t testing.TB, hs *httptest.Server, path string, hdr http.Header) (*client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, wsURL(hs, path), &websocket.DialOptions{HTTPHeader: hdr})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(-1)
	c := &client{t: t, ws: ws, waits: map[int64]chan msg{}, other: make(chan msg, 1024), closed: make(chan struct{})}
	c.sent = map[int64]egCall{}
	go c.readLoop()
	t.Cleanup(func() {
		c.ws.CloseNow()
		<-c.closed
		c.mu.Lock()
		defer c.mu.Unlock()
		checkTestReplies(t, c.sent, c.recv)
	})
	return c, nil
}

func (c *client) readLoop() {
	defer close(c.closed)
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var m msg
		if err := json.Unmarshal(data, &m); err != nil {
			m = msg{}
		}
		m.raw = data
		if m.ID != nil && !m.Delta {
			c.mu.Lock()
			c.recv = append(c.recv, data)
			c.mu.Unlock()
		}
		if m.ID != nil && m.Method == "" {
			c.mu.Lock()
			w := c.waits[*m.ID]
			delete(c.waits, *m.ID)
			c.mu.Unlock()
			if w != nil {
				w <- m
				continue
			}
		}
		c.other <- m
	}
}

// next returns the next message that is not a matched response.
func (c *client) next(timeout time.Duration) msg {
	c.t.Helper()
	select {
	case m := <-c.other:
		return m
	case <-time.After(timeout):
		c.t.Fatalf("no message within %v", timeout)
	}
	return msg{}
}

// noMessage checks that nothing arrives for a short while.
func (c *client) noMessage(d time.Duration) {
	c.t.Helper()
	select {
	case m := <-c.other:
		c.t.Fatalf("unexpected message %s", m.raw)
	case <-time.After(d):
	}
}

// send writes a request and returns the channel its response arrives on.
func (c *client) send(handle int, method string, params any, delta bool) (int64, chan msg) {
	c.t.Helper()
	id := c.id.Add(1)
	ch := make(chan msg, 1)
	c.mu.Lock()
	c.waits[id] = ch
	c.mu.Unlock()
	if params == nil {
		params = []any{}
	}
	req := map[string]any{"jsonrpc": "2.0", "id": id, "handle": handle, "method": method, "params": params}
	if delta {
		req["delta"] = true
	}
	b, _ := json.Marshal(req)
	if !delta {
		c.mu.Lock()
		c.sent[id] = egCall{Handle: handle, Method: method}
		c.mu.Unlock()
	}
	if err := c.ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatalf("failed to send %s: %v", method, err)
	}
	return id, ch
}

// wait reads the response from ch.
func (c *client) wait(ch chan msg) msg {
	c.t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(5 * time.Second):
		c.t.Fatalf("no response within 5s")
	}
	return msg{}
}

// call sends a request and waits for its response.
func (c *client) call(handle int, method string, params any) msg {
	c.t.Helper()
	_, ch := c.send(handle, method, params, false)
	return c.wait(ch)
}

// callDelta sends a delta request and waits for its response.
func (c *client) callDelta(handle int, method string, params any) msg {
	c.t.Helper()
	_, ch := c.send(handle, method, params, true)
	return c.wait(ch)
}

// ok fails unless m is a result and returns it decoded.
func (m msg) ok(t testing.TB) map[string]json.RawMessage {
	t.Helper()
	if m.Error != nil || m.Result == nil {
		t.Fatalf("want result, got %s", m.raw)
	}
	var r map[string]json.RawMessage
	if err := json.Unmarshal(m.Result, &r); err != nil {
		t.Fatalf("bad result %s: %v", m.raw, err)
	}
	return r
}

// errCode fails unless m is an error with code and returns it.
func (m msg) errCode(t testing.TB, code int) *engine.Error {
	t.Helper()
	if m.Error == nil || m.Error.Code != code {
		t.Fatalf("want error %d, got %s", code, m.raw)
	}
	return m.Error
}

// handleOf reads qReturn.qHandle.
func handleOf(t testing.TB, r map[string]json.RawMessage) int {
	t.Helper()
	var ref struct {
		Handle int `json:"qHandle"`
	}
	if err := json.Unmarshal(r["qReturn"], &ref); err != nil {
		t.Fatalf("bad qReturn %s", r["qReturn"])
	}
	return ref.Handle
}

// closeStatus waits for the socket to be closed and returns code and reason.
func (c *client) closeStatus(t testing.TB) (websocket.StatusCode, string) {
	t.Helper()
	select {
	case <-c.closed:
	case <-time.After(5 * time.Second):
		t.Fatalf("socket not closed")
	}
	var ce websocket.CloseError
	if errors.As(c.err, &ce) {
		return ce.Code, ce.Reason
	}
	return -1, ""
}

// ---- server tests --------------------------------------------------------------

func TestParseTarget(t *testing.T) {
	cases := []struct {
		in                    string
		prefix, doc, identity string
		ttl                   int
		ok                    bool
	}{
		{"/app/Sales", "", "Sales", "", -99, true},
		{"/app/", "", "", "", -99, true},
		{"/app/engineData", "", "", "", -99, true},
		{"/vp/app/Sales/identity/bob/ttl/30", "vp", "Sales", "bob", 30, true},
		{"/app/%2Fapps%2Fx.qvf/ttl/5", "", "/apps/x.qvf", "", 5, true},
		{"/app/identity/x", "", "", "x", -99, true},
		{"/nothing", "", "", "", -99, false},
	}
	for _, c := range cases {
		u, _ := url.Parse(c.in)
		tg, ok, err := parseTarget(u)
		if err != nil || ok != c.ok {
			t.Fatalf("%s: ok=%v err=%v", c.in, ok, err)
		}
		if !ok {
			continue
		}
		ttl := -99
		if tg.ttl != nil {
			ttl = *tg.ttl
		}
		if tg.prefix != c.prefix || tg.doc != c.doc || tg.identity != c.identity || ttl != c.ttl {
			t.Errorf("%s: got %+v ttl %d", c.in, tg, ttl)
		}
	}
}

func TestOnConnectedFirstAndEngineVersionKeyOrder(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, state := dial(t, hs, "/app/Sales", nil)
	if state != "SESSION_CREATED" {
		t.Fatalf("state %s", state)
	}
	m := c.call(-1, "EngineVersion", nil)
	want := `{"jsonrpc":"2.0","id":1,"result":{"qVersion":{"qComponentVersion":"12.2027.0"}}}`
	if string(m.raw) != want {
		t.Fatalf("got %s want %s", m.raw, want)
	}
}

func TestNotFoundPath(t *testing.T) {
	_, hs := testServer(t, Config{})
	resp, err := http.Get(hs.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestServerCloseDisconnects(t *testing.T) {
	s, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/Sales", nil)
	_ = s.Close()
	code, _ := c.closeStatus(t)
	if code != websocket.StatusGoingAway {
		t.Fatalf("close code %d", code)
	}
	if n := s.SessionCount(); n != 0 {
		t.Fatalf("sessions left: %d", n)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

func TestOnConnectedBeforeAnswerToEarlyRequest(t *testing.T) {
	_, hs := testServer(t, Config{})
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, wsURL(hs, "/app/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	// Sent before OnConnected was read, as enigma-go does.
	_ = ws.Write(ctx, websocket.MessageText, []byte(`{"jsonrpc":"2.0","id":1,"handle":-1,"method":"CreateSessionApp","params":[]}`))
	_, first, err := ws.Read(ctx)
	if err != nil || !strings.Contains(string(first), `"method":"OnConnected"`) {
		t.Fatalf("first %s %v", first, err)
	}
	_, second, err := ws.Read(ctx)
	if err != nil || !strings.Contains(string(second), `"qSessionAppId":"SessionApp_`) {
		t.Fatalf("second %s %v", second, err)
	}
}
