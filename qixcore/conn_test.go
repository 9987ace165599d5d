package qixcore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// wireReq is a request as the fake engine sees it.
type wireReq struct {
	ID     int64           `json:"id"`
	Handle int             `json:"handle"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Delta  bool            `json:"delta"`
}

// fakeEngine reads requests from the server end of a pipe and hands them to
// handle, which writes whatever replies it wants.
type fakeEngine struct {
	t    Transport
	reqs chan wireReq
}

func newFakeEngine(t *testing.T) (*fakeEngine, Transport) {
	t.Helper()
	client, server := Pipe()
	fe := &fakeEngine{t: server, reqs: make(chan wireReq, 1024)}
	go func() {
		for {
			data, err := server.Read(context.Background())
			if err != nil {
				close(fe.reqs)
				return
			}
			var r wireReq
			if err := json.Unmarshal(data, &r); err != nil {
				panic(fmt.Sprintf("client sent invalid JSON %q: %v", data, err))
			}
			fe.reqs <- r
		}
	}()
	return fe, client
}

func (fe *fakeEngine) next(t *testing.T) wireReq {
	t.Helper()
	select {
	case r, ok := <-fe.reqs:
		if !ok {
			t.Fatal("connection closed while waiting for a request")
		}
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no request arrived")
	}
	return wireReq{}
}

func (fe *fakeEngine) send(t *testing.T, format string, args ...any) {
	t.Helper()
	if err := fe.t.Write(context.Background(), []byte(fmt.Sprintf(format, args...))); err != nil {
		t.Fatal(err)
	}
}

type callOutcome struct {
	m   *Message
	err error
}

func startCall(c *Conn, ctx context.Context, req Request) chan callOutcome {
	ch := make(chan callOutcome, 1)
	c.Start(ctx, req, func(m *Message, err error) { ch <- callOutcome{m, err} })
	return ch
}

func wait(t *testing.T, ch chan callOutcome) callOutcome {
	t.Helper()
	select {
	case o := <-ch:
		return o
	case <-time.After(5 * time.Second):
		t.Fatal("call did not settle")
	}
	return callOutcome{}
}

func TestConnOutOfOrderReplies(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	defer c.Close(1000, "")
	a := startCall(c, context.Background(), Request{Handle: -1, Method: "EngineVersion"})
	b := startCall(c, context.Background(), Request{Handle: -1, Method: "OSName"})
	ra, rb := fe.next(t), fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":"linux"}}`, rb.ID)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qVersion":{"qComponentVersion":"12"}}}`, ra.ID)
	if o := wait(t, b); o.err != nil || string(o.m.Result) != `{"qReturn":"linux"}` {
		t.Fatalf("b = %+v", o)
	}
	if o := wait(t, a); o.err != nil || string(o.m.Result) != `{"qVersion":{"qComponentVersion":"12"}}` {
		t.Fatalf("a = %+v", o)
	}
	if c.Pending() != 0 {
		t.Fatalf("pending = %d", c.Pending())
	}
}

func TestConnEngineError(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	defer c.Close(1000, "")
	ch := startCall(c, context.Background(), Request{Handle: -1, Method: "OpenDoc", Params: []byte(`["nope"]`)})
	r := fe.next(t)
	if string(r.Params) != `["nope"]` || r.Handle != -1 {
		t.Fatalf("request = %+v", r)
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":1003,"parameter":"nope","message":"App not found"}}`, r.ID)
	o := wait(t, ch)
	var ee *EngineError
	if !errors.As(o.err, &ee) || ee.Code != 1003 || ee.Parameter != "nope" || ee.Message != "App not found" || ee.Method != "OpenDoc" || ee.Handle != -1 {
		t.Fatalf("err = %#v", o.err)
	}
}

// TestConnChangeBeforeSettle checks the change/close lists of a response are
// applied and reported before the call completes.
func TestConnChangeBeforeSettle(t *testing.T) {
	fe, tr := newFakeEngine(t)
	var mu sync.Mutex
	var log []string
	reg := NewRegistry()
	reg.Register(3, "GenericObject", "chart", "x")
	c := NewConn(tr, ConnOptions{Registry: reg, OnEvent: func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		log = append(log, fmt.Sprintf("%d%v", e.Kind, e.Handles))
	}})
	defer c.Close(1000, "")
	done := make(chan struct{})
	c.Start(context.Background(), Request{Handle: 1, Method: "ClearAll"}, func(*Message, error) {
		mu.Lock()
		log = append(log, "settled")
		mu.Unlock()
		close(done)
	})
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{},"change":[1,2],"close":[3]}`, r.ID)
	<-done
	mu.Lock()
	defer mu.Unlock()
	want := fmt.Sprintf("[%d[1 2] %d[3] settled]", EventChanged, EventClosed)
	if fmt.Sprint(log) != want {
		t.Fatalf("log = %v, want %v", log, want)
	}
	if _, ok := reg.Get(3); ok {
		t.Fatal("handle 3 still registered after close list")
	}
}

func TestConnNotificationsAndPushedLists(t *testing.T) {
	fe, tr := newFakeEngine(t)
	events := make(chan Event, 10)
	c := NewConn(tr, ConnOptions{OnEvent: func(e Event) { events <- e }})
	defer c.Close(1000, "")
	fe.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`)
	fe.send(t, `{"jsonrpc":"2.0","change":[5]}`)
	e := <-events
	if e.Kind != EventNotification || e.Method != "OnConnected" || string(e.Params) != `{"qSessionState":"SESSION_CREATED"}` {
		t.Fatalf("event = %+v", e)
	}
	e = <-events
	if e.Kind != EventChanged || fmt.Sprint(e.Handles) != "[5]" {
		t.Fatalf("event = %+v", e)
	}
}

// TestConnCloseFailsPending checks one terminal error — the server's close
// code — rejects every pending call and later calls.
func TestConnCloseFailsPending(t *testing.T) {
	fe, tr := newFakeEngine(t)
	events := make(chan Event, 10)
	c := NewConn(tr, ConnOptions{OnEvent: func(e Event) { events <- e }})
	var chs []chan callOutcome
	for i := 0; i < 5; i++ {
		chs = append(chs, startCall(c, context.Background(), Request{Handle: -1, Method: "GetDocList"}))
	}
	for i := 0; i < 5; i++ {
		fe.next(t)
	}
	fe.t.Close(4204, `{"code":"QEP-104","traceId":"abc"}`)
	for _, ch := range chs {
		o := wait(t, ch)
		var ce *CloseError
		if !errors.As(o.err, &ce) || ce.Code != 4204 || ce.QEPCode != "QEP-104" || ce.TraceID != "abc" {
			t.Fatalf("err = %#v", o.err)
		}
	}
	e := <-events
	if e.Kind != EventConnClosed {
		t.Fatalf("event = %+v", e)
	}
	o := wait(t, startCall(c, context.Background(), Request{Handle: -1, Method: "GetDocList"}))
	var ce *CloseError
	if !errors.As(o.err, &ce) || ce.Code != 4204 {
		t.Fatalf("call after close: %v", o.err)
	}
	if c.Pending() != 0 {
		t.Fatal("entries left behind")
	}
}

// failingTransport fails every write.
type failingTransport struct{ Transport }

func (failingTransport) Write(context.Context, []byte) error { return errors.New("boom") }

func TestConnWriteFailureRetires(t *testing.T) {
	_, tr := newFakeEngine(t)
	c := NewConn(failingTransport{tr}, ConnOptions{})
	defer c.Close(1000, "")
	o := wait(t, startCall(c, context.Background(), Request{Handle: -1, Method: "OSName"}))
	if !errors.Is(o.err, ErrNotConnected) {
		t.Fatalf("err = %v", o.err)
	}
	if c.Pending() != 0 {
		t.Fatal("entry left behind after a write failure")
	}
}

func TestConnCancelSendsCancelRequest(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	defer c.Close(1000, "")
	ctx, cancel := context.WithCancel(context.Background())
	ch := startCall(c, ctx, Request{Handle: 1, Method: "DoReload"})
	r := fe.next(t)
	cancel()
	o := wait(t, ch)
	if !errors.Is(o.err, ErrCancelled) || !errors.Is(o.err, context.Canceled) {
		t.Fatalf("err = %v", o.err)
	}
	cr := fe.next(t)
	if cr.Method != "CancelRequest" || cr.Handle != -1 || string(cr.Params) != fmt.Sprintf(`{"qRequestId":%d}`, r.ID) {
		t.Fatalf("cancel request = %+v", cr)
	}
	if c.Pending() != 0 {
		t.Fatal("entry left behind after cancel")
	}
	// The engine's late replies (error 15 for the victim, {} for the
	// CancelRequest) must be dropped quietly.
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":15,"parameter":"","message":"Request aborted"}}`, r.ID)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, cr.ID)
	ok := startCall(c, context.Background(), Request{Handle: -1, Method: "OSName"})
	r2 := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":"x"}}`, r2.ID)
	if o := wait(t, ok); o.err != nil {
		t.Fatal(o.err)
	}
}

func TestConnTimeout(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{CallTimeout: 30 * time.Millisecond})
	defer c.Close(1000, "")
	o := wait(t, startCall(c, context.Background(), Request{Handle: 1, Method: "GetLayout"}))
	var ce *ClientError
	if !errors.Is(o.err, ErrTimeout) || !errors.As(o.err, &ce) || ce.Code != CodeTimeout {
		t.Fatalf("err = %v, want ErrTimeout with code %d", o.err, CodeTimeout)
	}
	if !strings.HasPrefix(o.err.Error(), "qix: GetLayout timed out") {
		t.Errorf("message %q does not name the call", o.err)
	}
	fe.next(t)
	if cr := fe.next(t); cr.Method != "CancelRequest" {
		t.Fatalf("after timeout got %+v", cr)
	}
}

func TestConnCancelledBeforeSend(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	defer c.Close(1000, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := wait(t, startCall(c, ctx, Request{Handle: 1, Method: "GetLayout"}))
	var ce *ClientError
	if !errors.Is(o.err, ErrCancelled) || !errors.As(o.err, &ce) || ce.Code != CodeCancelled {
		t.Fatalf("err = %v, want ErrCancelled with code %d", o.err, CodeCancelled)
	}
	select {
	case r := <-fe.reqs:
		t.Fatalf("sent %+v for a call cancelled before it started", r)
	case <-time.After(20 * time.Millisecond):
	}
}

func TestConnClientClose(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	ch := startCall(c, context.Background(), Request{Handle: -1, Method: "OSName"})
	fe.next(t)
	if err := c.Close(1000, "bye"); err != nil {
		t.Fatal(err)
	}
	if o := wait(t, ch); !errors.Is(o.err, ErrClosed) {
		t.Fatalf("err = %v", o.err)
	}
	if !errors.Is(c.Err(), ErrClosed) {
		t.Fatalf("Err() = %v", c.Err())
	}
}

func TestConnPipelined(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{})
	defer c.Close(1000, "")
	const n = 1000
	var wg sync.WaitGroup
	wg.Add(n)
	var failed sync.Map
	for i := 0; i < n; i++ {
		c.Start(context.Background(), Request{Handle: -1, Method: "GetUniqueID"}, func(m *Message, err error) {
			if err != nil {
				failed.Store(err.Error(), true)
			}
			wg.Done()
		})
	}
	// Answer in reverse order.
	reqs := make([]wireReq, n)
	for i := range reqs {
		reqs[i] = fe.next(t)
	}
	for i := n - 1; i >= 0; i-- {
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qUniqueId":"%d"}}`, reqs[i].ID, i)
	}
	wg.Wait()
	failed.Range(func(k, _ any) bool { t.Error(k); return true })
}

// BenchmarkConnDispatch measures the multiplexer's own cost per call:
// register, encode, write, read, decode, match and settle, over the
// in-memory pipe with an engine that answers at once (64 calls in flight).
func BenchmarkConnDispatch(b *testing.B) {
	client, server := Pipe()
	go func() {
		var m Message
		for {
			data, err := server.Read(context.Background())
			if err != nil {
				return
			}
			var id int64
			if err := DecodeMessage(data, &m); err == nil {
				id = m.ID
			}
			reply := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{"qInfo":{"qId":"x","qType":"kpi"},"v":42}},"change":[2]}`, id)
			if server.Write(context.Background(), reply) != nil {
				return
			}
		}
	}()
	c := NewConn(client, ConnOptions{})
	defer c.Close(1000, "")
	req := Request{Handle: 2, Method: "GetLayout", Params: []byte("[]")}
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sem <- struct{}{}
		wg.Add(1)
		c.Start(context.Background(), req, func(m *Message, err error) {
			if err != nil {
				panic(err)
			}
			<-sem
			wg.Done()
		})
	}
	wg.Wait()
}
