package qixcore

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"
)

// eventLog records a session's events for assertions.
type eventLog struct {
	mu     sync.Mutex
	events []Event
	signal chan struct{}
}

func newEventLog() *eventLog { return &eventLog{signal: make(chan struct{}, 100)} }

func (l *eventLog) add(e Event) {
	if e.Kind == EventTraffic {
		return
	}
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
	l.signal <- struct{}{}
}

// waitFor returns the first event of kind, waiting for it.
func (l *eventLog) waitFor(t *testing.T, kind EventKind) Event {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		l.mu.Lock()
		for _, e := range l.events {
			if e.Kind == kind {
				l.mu.Unlock()
				return e
			}
		}
		l.mu.Unlock()
		select {
		case <-l.signal:
		case <-deadline:
			t.Fatalf("no event of kind %d", kind)
		}
	}
}

func (l *eventLog) count(kind EventKind) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// resumable starts a session over a fake engine whose Dial hands out the
// engines in next, one per Resume.
func resumable(t *testing.T, opts SessionOptions, next chan Transport) (*Session, *fakeEngine, *eventLog) {
	t.Helper()
	fe, tr := newFakeEngine(t)
	log := newEventLog()
	opts.Conn.OnEvent = log.add
	opts.Dial = func(ctx context.Context) (Transport, error) {
		select {
		case t := <-next:
			if t == nil {
				return nil, errors.New("engine unreachable")
			}
			return t, nil
		default:
			return nil, errors.New("no engine to dial")
		}
	}
	s := NewSession(tr, opts)
	t.Cleanup(func() { _ = s.Close() })
	return s, fe, log
}

// openObjects opens a Doc (handle 1), a GenericObject (2, id "chart") and a
// Field (3) through the fake engine.
func openObjects(t *testing.T, s *Session, fe *fakeEngine) {
	t.Helper()
	ch := invoke(s, -1, "OpenDoc", `["Sales"]`)
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}}`, r.ID)
	if o := waitInvoke(t, ch); o.err != nil {
		t.Fatal(o.err)
	}
	ch = invoke(s, 1, "GetObject", `["chart"]`)
	r = fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"barchart","qGenericId":"chart"}}}`, r.ID)
	if o := waitInvoke(t, ch); o.err != nil {
		t.Fatal(o.err)
	}
	ch = invoke(s, 1, "GetField", `["Region"]`)
	r = fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Field","qHandle":3}}}`, r.ID)
	if o := waitInvoke(t, ch); o.err != nil {
		t.Fatal(o.err)
	}
}

func TestSuspendKeepsObjectsAndRefusesCalls(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)

	pending := invoke(s, 2, "GetLayout", `[]`)
	fe.next(t) // the engine never answers: the suspension must fail it
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	if o := waitInvoke(t, pending); !errors.Is(o.err, ErrSuspended) {
		t.Fatalf("pending call after Suspend = %v, want ErrSuspended", o.err)
	}
	ev := log.waitFor(t, EventSessionSuspended)
	if !errors.Is(ev.Err, ErrSuspended) {
		t.Fatalf("suspended event err = %v", ev.Err)
	}
	if s.State() != StateSuspended {
		t.Fatalf("state = %v", s.State())
	}
	if n := len(s.Registry().Live()); n != 4 {
		t.Fatalf("registry holds %d objects after Suspend, want 4", n)
	}
	if o := waitInvoke(t, invoke(s, 2, "GetLayout", `[]`)); !errors.Is(o.err, ErrSuspended) {
		t.Fatalf("call while suspended = %v", o.err)
	}
	var ce *ClientError
	if o := waitInvoke(t, invoke(s, 2, "GetLayout", `[]`)); !errors.As(o.err, &ce) || ce.Code != CodeSessionSuspended {
		t.Fatalf("suspended code = %v", o.err)
	}
	if log.count(EventConnClosed) != 0 {
		t.Fatal("Suspend reported the session closed")
	}
}

func TestResumeAttachedRebindsHandles(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	doc, _ := s.Registry().Get(1)
	chart, _ := s.Registry().Get(2)
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)

	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_ATTACHED"}}`)
	done := make(chan error, 1)
	go func() { done <- s.Resume(context.Background(), true) }()

	r := fe2.next(t)
	if r.Method != "GetActiveDoc" || r.Handle != -1 {
		t.Fatalf("first resume request = %+v", r)
	}
	// A change list for the new socket's handles must not leak out before
	// the remap.
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":7,"qGenericId":"Sales"}},"change":[7]}`, r.ID)
	r = fe2.next(t)
	if r.Method != "GetObject" || r.Handle != 7 || string(r.Params) != `["chart"]` {
		t.Fatalf("object restore request = %+v %s", r, r.Params)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"GenericObject","qHandle":1,"qGenericType":"barchart","qGenericId":"chart"}}}`, r.ID)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	ev := log.waitFor(t, EventSessionResumed)
	sort.Slice(ev.Remap, func(i, j int) bool { return ev.Remap[i].Old < ev.Remap[j].Old })
	if len(ev.Remap) != 2 || ev.Remap[0] != (Rebound{1, 7}) || ev.Remap[1] != (Rebound{2, 1}) {
		t.Fatalf("remap = %+v", ev.Remap)
	}
	if len(ev.Handles) != 1 || ev.Handles[0] != 3 {
		t.Fatalf("closed on resume = %v (the Field cannot be restored)", ev.Handles)
	}
	if log.count(EventChanged) != 0 {
		t.Fatal("a change list of the resuming socket leaked out")
	}
	// Same objects, new handles: references held by callers stay valid.
	if got, _ := s.Registry().Get(7); got != doc || doc.Handle != 7 {
		t.Fatalf("doc after resume = %+v", got)
	}
	if got, _ := s.Registry().Get(1); got != chart || chart.Handle != 1 {
		t.Fatalf("chart after resume = %+v", got)
	}
	if _, ok := s.Registry().Get(3); ok {
		t.Fatal("the Field survived the resume")
	}
	if s.State() != StateOpen {
		t.Fatalf("state = %v", s.State())
	}

	ch := invoke(s, 1, "GetLayout", `[]`)
	r = fe2.next(t)
	if r.Handle != 1 || r.Method != "GetLayout" {
		t.Fatalf("call after resume = %+v", r)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{"qInfo":{"qId":"chart"}}}}`, r.ID)
	if o := waitInvoke(t, ch); o.err != nil {
		t.Fatal(o.err)
	}
}

func TestResumeNewSessionReopensDoc(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	if err := s.Suspend(4000, "bye"); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)

	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`)
	done := make(chan error, 1)
	go func() { done <- s.Resume(context.Background(), false) }()
	r := fe2.next(t)
	if r.Method != "GetActiveDoc" {
		t.Fatalf("request = %+v", r)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":1007,"parameter":"","message":"App invalid"}}`, r.ID)
	r = fe2.next(t)
	if r.Method != "OpenDoc" || string(r.Params) != `["Sales"]` {
		t.Fatalf("reopen = %+v %s", r, r.Params)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}}`, r.ID)
	r = fe2.next(t)
	if r.Method != "GetObject" {
		t.Fatalf("request = %+v", r)
	}
	// The object is gone in the new session.
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":null,"qHandle":null}}}`, r.ID)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	ev := log.waitFor(t, EventSessionResumed)
	sort.Ints(ev.Handles)
	if len(ev.Remap) != 1 || ev.Remap[0] != (Rebound{1, 1}) || len(ev.Handles) != 2 || ev.Handles[0] != 2 || ev.Handles[1] != 3 {
		t.Fatalf("resumed = remap %+v closed %v", ev.Remap, ev.Handles)
	}
}

func TestResumeOnlyIfAttachedFailsOnNewSession(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)
	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`)
	err := s.Resume(context.Background(), true)
	var ce *ClientError
	if !errors.Is(err, ErrNotAttached) || !errors.As(err, &ce) || ce.Code != CodeSessionNotAttached {
		t.Fatalf("Resume(true) on a new session = %v", err)
	}
	ev := log.waitFor(t, EventConnClosed)
	if !errors.Is(ev.Err, ErrNotAttached) || len(ev.Objects) != 3 {
		t.Fatalf("closed event = %v with %d objects", ev.Err, len(ev.Objects))
	}
	if s.State() != StateClosed {
		t.Fatalf("state = %v", s.State())
	}
}

func TestResumeDialFailureStaysSuspended(t *testing.T) {
	next := make(chan Transport, 2)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)
	next <- nil
	if err := s.Resume(context.Background(), false); err == nil {
		t.Fatal("Resume with an unreachable engine succeeded")
	}
	if s.State() != StateSuspended || len(s.Registry().Live()) != 4 {
		t.Fatalf("after a failed dial: state %v, %d objects", s.State(), len(s.Registry().Live()))
	}
	// A later attempt works.
	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_ATTACHED"}}`)
	done := make(chan error, 1)
	go func() { done <- s.Resume(context.Background(), true) }()
	r := fe2.next(t)
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}}`, r.ID)
	r = fe2.next(t)
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericId":"chart"}}}`, r.ID)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestSuspendOnCloseSuspendsOnServerClose(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{SuspendOnClose: true}, next)
	openObjects(t, s, fe)
	pending := invoke(s, 2, "GetLayout", `[]`)
	fe.next(t)
	_ = fe.t.Close(4205, `{"code":"QEP-1"}`)
	o := waitInvoke(t, pending)
	var ce *CloseError
	if !errors.As(o.err, &ce) || ce.Code != 4205 {
		t.Fatalf("pending call = %v, want the close error", o.err)
	}
	ev := log.waitFor(t, EventSessionSuspended)
	if !errors.As(ev.Err, &ce) || ce.Code != 4205 {
		t.Fatalf("suspended event err = %v", ev.Err)
	}
	if s.State() != StateSuspended || log.count(EventConnClosed) != 0 {
		t.Fatalf("state %v, closed events %d", s.State(), log.count(EventConnClosed))
	}
	// Close while suspended ends it for good.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ev = log.waitFor(t, EventConnClosed)
	if !errors.Is(ev.Err, ErrClosed) || len(ev.Objects) != 3 {
		t.Fatalf("closed = %v, %d objects", ev.Err, len(ev.Objects))
	}
}

func TestServerCloseWithoutSuspendOnCloseEndsSession(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log := resumable(t, SessionOptions{}, next)
	openObjects(t, s, fe)
	_ = fe.t.Close(4204, "")
	ev := log.waitFor(t, EventConnClosed)
	var ce *CloseError
	if !errors.As(ev.Err, &ce) || ce.Code != 4204 || len(ev.Objects) != 3 {
		t.Fatalf("closed = %v, %d objects", ev.Err, len(ev.Objects))
	}
	if err := s.Resume(context.Background(), false); err == nil {
		t.Fatal("Resume of a closed session succeeded")
	}
}

func TestRegistryRemapOverlapping(t *testing.T) {
	r := NewRegistry()
	a, _ := r.Register(1, "Doc", "", "d")
	b, _ := r.Register(2, "GenericObject", "", "x")
	c, _ := r.Register(3, "Field", "", "")
	gone := r.Remap([]Rebound{{1, 2}, {2, 1}}, []int{3})
	if len(gone) != 1 || gone[0] != c {
		t.Fatalf("gone = %+v", gone)
	}
	if o, _ := r.Get(2); o != a || a.Handle != 2 {
		t.Fatalf("handle 2 = %+v", o)
	}
	if o, _ := r.Get(1); o != b || b.Handle != 1 {
		t.Fatalf("handle 1 = %+v", o)
	}
	if _, ok := r.Get(-1); !ok {
		t.Fatal("Global lost")
	}
}
