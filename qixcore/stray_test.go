package qixcore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// strayConn is a Conn over a fake engine whose EventStrayFrame events go
// to a channel.
func strayConn(t *testing.T) (*fakeEngine, *Conn, chan Event) {
	t.Helper()
	fe, tr := newFakeEngine(t)
	events := make(chan Event, 64)
	c := NewConn(tr, ConnOptions{OnEvent: func(e Event) {
		if e.Kind == EventStrayFrame {
			events <- e
		}
	}})
	t.Cleanup(func() { c.Close(1000, "") })
	return fe, c, events
}

func nextStray(t *testing.T, events chan Event) Event {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no stray frame reported")
	}
	return Event{}
}

// noStray checks nothing was reported by the time a call made after the
// frames settles (frames are handled in order).
func noStray(t *testing.T, fe *fakeEngine, c *Conn, events chan Event) {
	t.Helper()
	ch := startCall(c, context.Background(), Request{Handle: -1, Method: "OSName"})
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":"linux"}}`, r.ID)
	if o := wait(t, ch); o.err != nil {
		t.Fatal(o.err)
	}
	select {
	case e := <-events:
		t.Fatalf("unexpected stray report: %v", e.Err)
	default:
	}
}

// TestStrayFramesReported sends one frame of each kind that names no
// call: each is reported with its reason, typed, counted, and the call in
// flight is untouched and still settles.
func TestStrayFramesReported(t *testing.T) {
	fe, c, events := strayConn(t)
	ch := startCall(c, context.Background(), Request{Handle: -1, Method: "EngineVersion"})
	r := fe.next(t)
	cases := []struct{ frame, want string }{
		{`{"jsonrpc":"2.0","id":987654321,"result":{"qReturn":"x"}}`, "unknown id 987654321"},
		{`{"jsonrpc":"2.0","id":"` + strconv.FormatInt(r.ID, 10) + `","result":{"qReturn":"x"}}`, "id of wrong type"},
		{`{"jsonrpc":"2.0","id":1.5,"result":{}}`, "id of wrong type"},
		{`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}`, "no id and no method"},
		{`{"jsonrpc":"2.0","result":{}}`, "no id and no method"},
		{`not json at all qlikTicket=SECRET`, "undecodable"},
		{`[1,2,3]`, "undecodable"},
	}
	for i, tc := range cases {
		fe.send(t, "%s", tc.frame)
		e := nextStray(t, events)
		var ce *ClientError
		if !errors.As(e.Err, &ce) || ce.Code != CodeProtocol || !errors.Is(e.Err, ErrProtocol) {
			t.Fatalf("%s: err = %#v", tc.frame, e.Err)
		}
		if !strings.Contains(e.Err.Error(), "("+tc.want) || strings.Contains(e.Err.Error(), "SECRET") {
			t.Errorf("%s: err = %q, want reason %q and no content", tc.frame, e.Err, tc.want)
		}
		if e.Stray.String() != tc.want[:len(e.Stray.String())] {
			t.Errorf("%s: reason = %q", tc.frame, e.Stray)
		}
		if e.Count != int64(i+1) || c.StrayFrames() != int64(i+1) {
			t.Errorf("%s: count = %d / %d, want %d", tc.frame, e.Count, c.StrayFrames(), i+1)
		}
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qVersion":{}}}`, r.ID)
	if o := wait(t, ch); o.err != nil || string(o.m.Result) != `{"qVersion":{}}` {
		t.Fatalf("call = %+v", o)
	}
}

// TestStrayNotForExpectedFrames: notifications, bare change lists and the
// late replies to cancelled, timed-out and fire-and-forget requests are
// expected and never reported.
func TestStrayNotForExpectedFrames(t *testing.T) {
	fe, c, events := strayConn(t)
	fe.send(t, `{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`)
	fe.send(t, `{"jsonrpc":"2.0","change":[1]}`)

	// Cancelled: the engine answers it with 15 after the CancelRequest.
	ch := startCall(c, context.Background(), Request{Handle: 1, Method: "GetLayout"})
	r := fe.next(t)
	c.Cancel(r.ID)
	if o := wait(t, ch); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancel: %v", o.err)
	}
	cr := fe.next(t) // CancelRequest, sent with Notify
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":15,"message":"Request aborted"}}`, r.ID)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, cr.ID)

	// Timed out.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	ch = startCall(c, ctx, Request{Handle: 1, Method: "GetLayout"})
	r = fe.next(t)
	if o := wait(t, ch); !errors.Is(o.err, ErrTimeout) {
		t.Fatalf("timeout: %v", o.err)
	}
	fe.next(t) // its CancelRequest
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{}}}`, r.ID)
	noStray(t, fe, c, events)

	// A second reply to the same retired id is stray again.
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{}}}`, r.ID)
	if e := nextStray(t, events); !strings.Contains(e.Err.Error(), "unknown id") {
		t.Fatalf("second reply: %v", e.Err)
	}
}

// TestUndecodableReplyRejectsItsCall: a reply that names a pending call
// but cannot be decoded (truncated, an error object with members of the
// wrong type) rejects that call with a protocol error that quotes no part
// of the frame, and is not reported as stray.
func TestUndecodableReplyRejectsItsCall(t *testing.T) {
	fe, c, events := strayConn(t)
	for _, tail := range []string{
		`,"result":{"qReturn":{"qTicket":"SECRET"`,
		`,"error":{"code":"SECRET","message":7}}`,
		`,"result":{"qReturn":1},"change":["SECRET"]}`,
	} {
		ch := startCall(c, context.Background(), Request{Handle: 1, Method: "GetLayout"})
		r := fe.next(t)
		fe.send(t, `{"jsonrpc":"2.0","id":%d%s`, r.ID, tail)
		o := wait(t, ch)
		var ce *ClientError
		if !errors.As(o.err, &ce) || ce.Code != CodeProtocol {
			t.Fatalf("%s: err = %#v", tail, o.err)
		}
		msg := o.err.Error()
		if !strings.Contains(msg, "reply to GetLayout") || strings.Contains(msg, "SECRET") {
			t.Errorf("%s: err = %q", tail, msg)
		}
	}
	noStray(t, fe, c, events)
	if c.Pending() != 0 {
		t.Fatalf("pending = %d", c.Pending())
	}
}

// TestSessionCountsStrayFrames: a Session's count goes on across the
// connections it has had.
func TestSessionCountsStrayFrames(t *testing.T) {
	fe, tr := newFakeEngine(t)
	got := make(chan int64, 4)
	s := NewSession(tr, SessionOptions{Conn: ConnOptions{OnEvent: func(e Event) {
		if e.Kind == EventStrayFrame {
			got <- e.Count
		}
	}}})
	defer s.Close()
	fe.send(t, `{"jsonrpc":"2.0","id":42,"result":{}}`)
	fe.send(t, `garbage`)
	for want := int64(1); want <= 2; want++ {
		select {
		case n := <-got:
			if n != want {
				t.Fatalf("count = %d, want %d", n, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no report")
		}
	}
	if s.StrayFrames() != 2 {
		t.Fatalf("StrayFrames = %d", s.StrayFrames())
	}
}

func TestRetiredIDsBounded(t *testing.T) {
	var r retiredIDs
	for i := int64(0); i < retiredMax+10; i++ {
		r.add(i, "")
	}
	if len(r.set) != retiredMax || len(r.ring) != retiredMax {
		t.Fatalf("size = %d / %d", len(r.set), len(r.ring))
	}
	_, old := r.take(0)
	_, newest := r.take(retiredMax + 9)
	_, again := r.take(retiredMax + 9)
	if old || !newest || again {
		t.Fatal("oldest kept or newest lost")
	}
}

// FuzzFrameID: frameID reads any input without panicking, and agrees with
// DecodeMessage on every frame that decodes with an integer id.
func FuzzFrameID(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":7,"result":{}}`, `{"id":"7"}`, `{"id":null,"error":{}}`, `{"id":7`, `{"jsonrpc":"2.0","id":1.5}`,
		`[1]`, `{}`, `{"result":{"qReturn":1},"id":-3}`, `not json`, `{"id":99999999999999999999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		id, named, reason := frameID(data)
		if named && reason != 0 || !named && reason == 0 {
			t.Fatalf("frameID(%q) = %d %v %v", data, id, named, reason)
		}
		var m Message
		if DecodeMessage(data, &m) == nil && m.HasID && (!named || id != m.ID) {
			t.Fatalf("frameID(%q) = %d %v, DecodeMessage id %d", data, id, named, m.ID)
		}
	})
}
