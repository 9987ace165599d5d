package qixcore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestAutoResumableTable(t *testing.T) {
	yes := []int{1001, 1006, 1011, 1012, 1013, 1014, 4003, 4004, 4007, 4200, 4205, 4206, 4210, 4211, 4220, 4222, 4240}
	no := []int{1000, 1002, 1003, 1007, 1008, 1009, 1010, 1015, 4000, 4001, 4002, 4005, 4006, 4201, 4202, 4203, 4204, 4230, 4999}
	for _, c := range yes {
		if !AutoResumable(NewCloseError(c, "")) {
			t.Errorf("close %d: want a retry", c)
		}
	}
	for _, c := range no {
		if AutoResumable(NewCloseError(c, "")) {
			t.Errorf("close %d: want no retry", c)
		}
	}
	cases := []struct {
		err  error
		want bool
	}{
		{clientError(ErrClosed, errors.New("failed to read: EOF")), true},                // socket gone, no close frame
		{clientError(ErrNotConnected, errors.New("failed to dial: refused")), true},      // a failed attempt
		{clientError(ErrTimeout, context.DeadlineExceeded), true},                        // a slow attempt
		{fmt.Errorf("failed to resume: %w", NewCloseError(4204, "")), false},             // wrapped
		{NewDialError(&HandshakeError{Status: 401, Err: errors.New("HTTP 401")}), false}, // auth
		{NewDialError(&HandshakeError{Status: 403, Err: errors.New("HTTP 403")}), false},
		{NewDialError(&HandshakeError{Status: 503, Err: errors.New("HTTP 503")}), true},
		{fmt.Errorf("failed to resume: %w", &sessionRefusedError{state: "SESSION_ERROR_NO_LICENSE"}), false},
		{clientError(ErrSuspended, errors.New("suspended")), false},
		{clientError(ErrCancelled, context.Canceled), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := AutoResumable(c.err); got != c.want {
			t.Errorf("AutoResumable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestBackoffCapDoublesUpToMax(t *testing.T) {
	a := AutoResume{MinDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := a.BackoffCap(i + 1); got != w*time.Millisecond {
			t.Errorf("BackoffCap(%d) = %v, want %v", i+1, got, w*time.Millisecond)
		}
	}
	// Full jitter stays within [0, cap], whatever the source returns.
	for n := 1; n <= 40; n++ {
		if d := a.delay(n); d < 0 || d > a.BackoffCap(n) {
			t.Fatalf("delay(%d) = %v outside [0, %v]", n, d, a.BackoffCap(n))
		}
	}
	a.Jitter = func(c time.Duration) time.Duration { return 10 * c }
	if d := a.delay(3); d != a.BackoffCap(3) {
		t.Fatalf("an out-of-range jitter gave %v", d)
	}
}

// autoSession is a session over a fake engine with automatic resume; dial
// hands out the transports of next, and counts its calls.
func autoSession(t *testing.T, auto AutoResume, next chan Transport) (*Session, *fakeEngine, *eventLog, *atomic.Int32) {
	t.Helper()
	fe, tr := newFakeEngine(t)
	log := newEventLog()
	dials := &atomic.Int32{}
	s := NewSession(tr, SessionOptions{
		Conn:       ConnOptions{OnEvent: log.add},
		AutoResume: auto,
		Dial: func(ctx context.Context) (Transport, error) {
			dials.Add(1)
			select {
			case t := <-next:
				if t != nil {
					return t, nil
				}
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return nil, errors.New("engine unreachable")
		},
	})
	t.Cleanup(func() { _ = s.Close() })
	return s, fe, log, dials
}

func fastAuto() AutoResume {
	return AutoResume{Enabled: true, MaxAttempts: 4, MinDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}
}

func TestAutoResumeNeverOnDoNotRetryCodes(t *testing.T) {
	for _, code := range []int{1000, 4001, 4006, 4203, 4204, 4230} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			next := make(chan Transport, 1)
			s, fe, log, dials := autoSession(t, fastAuto(), next)
			openObjects(t, s, fe)
			_ = fe.t.Close(code, "no")
			ev := log.waitFor(t, EventConnClosed)
			var ce *CloseError
			if !errors.As(ev.Err, &ce) || ce.Code != code || ev.Attempt != 0 {
				t.Fatalf("closed with %v after %d attempts", ev.Err, ev.Attempt)
			}
			if n := dials.Load(); n != 0 || log.count(EventReconnecting) != 0 {
				t.Fatalf("%d dials, %d reconnecting events after close %d", n, log.count(EventReconnecting), code)
			}
		})
	}
}

func TestAutoResumeNotAfterCloseOrSuspend(t *testing.T) {
	next := make(chan Transport, 1)
	s, fe, log, dials := autoSession(t, fastAuto(), next)
	openObjects(t, s, fe)
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventSessionSuspended)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, EventConnClosed)
	if dials.Load() != 0 || log.count(EventReconnecting) != 0 {
		t.Fatal("a suspended or closed session reconnected by itself")
	}
}

func TestAutoResumeGivesUpAfterMaxAttempts(t *testing.T) {
	next := make(chan Transport, 8)
	auto := fastAuto()
	var caps []time.Duration
	auto.Jitter = func(c time.Duration) time.Duration { caps = append(caps, c); return c }
	s, fe, log, dials := autoSession(t, auto, next)
	openObjects(t, s, fe)
	for range 8 {
		next <- nil // every attempt fails to dial
	}
	_ = fe.t.Close(4205, "busy")
	ev := log.waitFor(t, EventConnClosed)
	if ev.Attempt != 4 || dials.Load() != 4 || log.count(EventReconnecting) != 4 {
		t.Fatalf("gave up after %d attempts, %d dials, %d events; want 4", ev.Attempt, dials.Load(), log.count(EventReconnecting))
	}
	var ce *CloseError
	if !errors.Is(ev.Err, ErrClosed) || !errors.As(ev.Err, &ce) || ce.Code != 4205 || len(ev.Objects) != 3 {
		t.Fatalf("closed with %v, %d objects; want the 4205 that began the outage", ev.Err, len(ev.Objects))
	}
	want := []time.Duration{1, 2, 4, 4}
	for i, c := range caps {
		if c != want[i]*time.Millisecond {
			t.Fatalf("backoff caps %v, want 1,2,4,4 ms", caps)
		}
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	n := 0
	for _, e := range log.events {
		if e.Kind == EventReconnecting {
			n++
			if e.Attempt != n || e.Delay != want[n-1]*time.Millisecond || e.Err == nil {
				t.Fatalf("reconnecting event %d = attempt %d delay %v err %v", n, e.Attempt, e.Delay, e.Err)
			}
		}
	}
	if s.State() != StateClosed {
		t.Fatalf("state %v", s.State())
	}
}

func TestAutoResumeStopsOnAuthFailure(t *testing.T) {
	fe, tr := newFakeEngine(t)
	log := newEventLog()
	dials := &atomic.Int32{}
	s := NewSession(tr, SessionOptions{
		Conn:       ConnOptions{OnEvent: log.add},
		AutoResume: fastAuto(),
		Dial: func(ctx context.Context) (Transport, error) {
			dials.Add(1)
			return nil, NewDialError(&HandshakeError{Status: 401, Err: errors.New("failed to dial (HTTP 401)")})
		},
	})
	defer s.Close()
	openObjects(t, s, fe)
	_ = fe.t.Close(1006, "")
	ev := log.waitFor(t, EventConnClosed)
	if dials.Load() != 1 || ev.Attempt != 1 {
		t.Fatalf("%d dials after a 401, want 1 (closed: %v)", dials.Load(), ev.Err)
	}
}

// attach answers a resume on fe2 as an engine that kept the session: the
// Doc comes back on handle 11 and the chart (id "chart") on 12.
func attach(t *testing.T, fe2 *fakeEngine) {
	t.Helper()
	r := fe2.next(t)
	if r.Method != "GetActiveDoc" {
		t.Fatalf("first request %+v", r)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":11,"qGenericId":"Sales"}}}`, r.ID)
	r = fe2.next(t)
	if r.Method != "GetObject" || r.Handle != 11 {
		t.Fatalf("restore request %+v", r)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"GenericObject","qHandle":12,"qGenericType":"barchart","qGenericId":"chart"}}}`, r.ID)
}

func TestAutoResumeQueuesCallsAndRemapsThem(t *testing.T) {
	next := make(chan Transport, 1)
	auto := fastAuto()
	auto.MinDelay = time.Hour // only a Nudge starts the attempt
	auto.MaxDelay = time.Hour
	auto.Jitter = func(c time.Duration) time.Duration { return c }
	s, fe, log, _ := autoSession(t, auto, next)
	openObjects(t, s, fe)
	chart, _ := s.Registry().Get(2)
	_ = fe.t.Close(1006, "")
	log.waitFor(t, EventReconnecting)
	// Made during the outage, on the old handle: it waits.
	queued := invoke(s, 2, "GetLayout", `[]`)
	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_ATTACHED"}}`)
	s.Nudge()
	attach(t, fe2)
	r := fe2.next(t)
	if r.Method != "GetLayout" || r.Handle != 12 {
		t.Fatalf("queued call sent as %+v, want GetLayout on the chart's new handle 12", r)
	}
	fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{"qInfo":{"qId":"chart"}}}}`, r.ID)
	if o := waitInvoke(t, queued); o.err != nil {
		t.Fatal(o.err)
	}
	ev := log.waitFor(t, EventSessionResumed)
	if len(ev.Handles) != 1 || ev.Handles[0] != 3 {
		t.Fatalf("closed on resume %v, want the Field (3)", ev.Handles)
	}
	if chart.Handle != 12 || s.State() != StateOpen {
		t.Fatalf("chart on %d, state %v", chart.Handle, s.State())
	}
}

func TestAutoResumeFailFastAndQueueTimeout(t *testing.T) {
	next := make(chan Transport, 1)
	auto := fastAuto()
	auto.MinDelay, auto.MaxDelay = time.Hour, time.Hour
	auto.FailFast = true
	s, fe, log, _ := autoSession(t, auto, next)
	openObjects(t, s, fe)
	_ = fe.t.Close(1006, "")
	log.waitFor(t, EventReconnecting)
	var ce *ClientError
	if o := waitInvoke(t, invoke(s, 2, "GetLayout", `[]`)); !errors.As(o.err, &ce) || ce.Code != CodeSessionSuspended {
		t.Fatalf("fail-fast call while reconnecting = %v, want code -11", o.err)
	}

	next2 := make(chan Transport, 1)
	auto.FailFast = false
	auto.QueueTimeout = time.Millisecond
	s2, fe2, log2, _ := autoSession(t, auto, next2)
	openObjects(t, s2, fe2)
	_ = fe2.t.Close(1006, "")
	log2.waitFor(t, EventReconnecting)
	if o := waitInvoke(t, invoke(s2, 2, "GetLayout", `[]`)); !errors.As(o.err, &ce) || ce.Code != CodeTimeout {
		t.Fatalf("queued call past QueueTimeout = %v, want code -100", o.err)
	}
	// A waiting call the caller cancels leaves at once.
	s2.mu.Lock()
	s2.auto.QueueTimeout = time.Hour
	s2.mu.Unlock()
	ch := make(chan invokeOutcome, 1)
	s2.InvokeID(context.Background(), 77, 2, "GetLayout", []byte(`[]`), func(r Result, err error) { ch <- invokeOutcome{r, err} })
	s2.Cancel(77)
	if o := waitInvoke(t, ch); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancelled waiting call = %v", o.err)
	}
	// Close while reconnecting: waiting calls fail, the session ends.
	pending := invoke(s2, 2, "GetLayout", `[]`)
	_ = s2.Close()
	if o := waitInvoke(t, pending); !errors.Is(o.err, ErrClosed) {
		t.Fatalf("waiting call after Close = %v", o.err)
	}
}

func TestHandleEpochsTranslateUntilAcked(t *testing.T) {
	fe, tr := newFakeEngine(t)
	log := newEventLog()
	next := make(chan Transport, 1)
	s := NewSession(tr, SessionOptions{
		Conn: ConnOptions{OnEvent: log.add}, HandleEpochs: true, AutoResume: fastAuto(),
		Dial: func(ctx context.Context) (Transport, error) { return <-next, nil },
	})
	defer s.Close()
	openObjects(t, s, fe)
	fe2, tr2 := newFakeEngine(t)
	next <- tr2
	fe2.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_ATTACHED"}}`)
	_ = fe.t.Close(1006, "")
	attach(t, fe2)
	log.waitFor(t, EventSessionResumed)
	// The caller has not seen the resume: handle 2 still names the chart.
	ch := invoke(s, 2, "GetLayout", `[]`)
	if r := fe2.next(t); r.Handle != 12 {
		t.Fatalf("unacked call went to handle %d, want 12", r.Handle)
	} else {
		fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{}}}`, r.ID)
	}
	waitInvoke(t, ch)
	// The Field (3) did not come back.
	if o := waitInvoke(t, invoke(s, 3, "GetCardinal", `[]`)); !errors.Is(o.err, ErrObjectNotFound) {
		t.Fatalf("call on a handle that did not survive = %v", o.err)
	}
	s.AckResume(1)
	ch = invoke(s, 12, "GetLayout", `[]`)
	if r := fe2.next(t); r.Handle != 12 {
		t.Fatalf("acked call went to handle %d, want 12", r.Handle)
	} else {
		fe2.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{}}}`, r.ID)
	}
	waitInvoke(t, ch)
}

func TestHandleEpochsChain(t *testing.T) {
	var h handleEpochs
	h.add([]Rebound{{1, 5}, {2, 6}})
	h.add([]Rebound{{5, 1}})
	if got, ok := h.translate(0, 1); !ok || got != 1 {
		t.Fatalf("1 through two resumes = %d %v", got, ok)
	}
	if _, ok := h.translate(0, 2); ok {
		t.Fatal("2 closed at the second resume but translated")
	}
	if got, ok := h.translate(1, 5); !ok || got != 1 {
		t.Fatalf("5 from epoch 1 = %d %v", got, ok)
	}
	h.prune(1)
	if _, ok := h.translate(0, 1); ok {
		t.Fatal("a pruned epoch still translates")
	}
	if got, _ := h.translate(2, 7); got != 7 {
		t.Fatal("the current numbering is not translated")
	}
}

func TestWithQID(t *testing.T) {
	got := string(withQID([]byte(`{"qInfo":{"qType":"kpi"},"x":1}`), "k1"))
	if got != `{"qInfo":{"qType":"kpi","qId":"k1"},"x":1}` {
		t.Fatalf("withQID = %s", got)
	}
	if got := string(withQID([]byte(`{"x":1}`), "k2")); got != `{"x":1,"qInfo":{"qId":"k2"}}` {
		t.Fatalf("withQID without qInfo = %s", got)
	}
	if p, ok := firstParam([]byte(`{"qProp":{"a":1}}`), "qProp"); !ok || string(p) != `{"a":1}` {
		t.Fatalf("named qProp = %s %v", p, ok)
	}
}

func TestApplyQPatches(t *testing.T) {
	props := []byte(`{"qInfo":{"qId":"v"},"qDefinition":"=1","list":[1,2],"big":12345678901234567890}`)
	patches := []byte(`[{"qOp":"replace","qPath":"/qDefinition","qValue":"\"=2\""},` +
		`{"qOp":"add","qPath":"/list/1","qValue":"9"},{"qOp":"remove","qPath":"/list/0"},` +
		`{"qOp":"add","qPath":"/a~1b","qValue":"{\"x\":true}"}]`)
	got, err := applyQPatches(props, patches)
	if err != nil {
		t.Fatal(err)
	}
	// Key order and number text are kept.
	want := `{"qInfo":{"qId":"v"},"qDefinition":"=2","list":[9,2],"big":12345678901234567890,"a/b":{"x":true}}`
	if string(got) != want {
		t.Fatalf("patched = %s\nwant      %s", got, want)
	}
	for _, bad := range []string{
		`[{"qOp":"replace","qPath":"/nope/x","qValue":"1"}]`,
		`[{"qOp":"move","qPath":"/x","qValue":"1"}]`,
		`[{"qOp":"add","qPath":"/list/7","qValue":"1"}]`,
		`[{"qOp":"add","qPath":"/x","qValue":"{"}]`,
	} {
		if _, err := applyQPatches(props, []byte(bad)); err == nil {
			t.Fatalf("%s applied", bad)
		}
	}
}

func TestParseAutoResume(t *testing.T) {
	a, err := ParseAutoResume([]byte(`{"enabled":true,"maxAttempts":3,"minDelay":100,"maxDelay":2000,"waitForCalls":"fail","queueTimeout":500,"future":[1]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Enabled || a.MaxAttempts != 3 || a.MinDelay != 100*time.Millisecond || a.MaxDelay != 2*time.Second || !a.FailFast || a.QueueTimeout != 500*time.Millisecond {
		t.Fatalf("parsed %+v", a)
	}
	if d, err := ParseAutoResume(nil); err != nil || d.MaxAttempts != DefaultAutoResume().MaxAttempts || !d.Enabled {
		t.Fatalf("default = %+v %v", d, err)
	}
	if off, err := ParseAutoResume([]byte(`{"enabled":false}`)); err != nil || off.Enabled {
		t.Fatalf("off = %+v %v", off, err)
	}
	if _, err := ParseAutoResume([]byte(`{"waitForCalls":"later"}`)); err == nil {
		t.Fatal("a bad waitForCalls parsed")
	}
}

func TestJSONTreeRoundTrip(t *testing.T) {
	in := `{"a":[1,2.50,{"b":null}],"s":"x\"y\u00e9","t":true,"e":{},"l":[]}`
	v, err := parseTree([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(appendTree(nil, v)); got != in {
		t.Fatalf("round trip = %s", got)
	}
	deep := strings.Repeat("[", maxTreeDepth+2) + strings.Repeat("]", maxTreeDepth+2)
	if _, err := parseTree([]byte(deep)); err == nil {
		t.Fatal("a tree deeper than the limit parsed")
	}
	if _, err := parseTree([]byte(`{"a":1} x`)); err == nil {
		t.Fatal("trailing data parsed")
	}
}
