package qixcore

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// testDeltaCache is the client's delta cache as the bridges keep it
// (jsbridge/qix-delta.js), for results whose patches only touch the root
// or its members.
type testDeltaCache map[string]any

// apply applies a delta Result to the cache and returns the value of
// outKey afterwards.
func (dc testDeltaCache) apply(t *testing.T, r Result, outKey string) any {
	t.Helper()
	if !r.Delta || r.CacheKey == "" {
		t.Fatalf("not a delta result: %+v", r)
	}
	var body map[string][]struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("delta body %s: %v", r.Body, err)
	}
	for key, patches := range body {
		ck := r.CacheKey + "-" + key
		for _, p := range patches {
			var v any
			if p.Op != "remove" {
				if err := json.Unmarshal(p.Value, &v); err != nil {
					t.Fatal(err)
				}
			}
			if p.Path == "/" || p.Path == "" {
				dc[ck] = v
				continue
			}
			obj, ok := dc[ck].(map[string]any)
			if !ok || strings.Count(p.Path, "/") != 1 {
				t.Fatalf("patch %s %s does not apply to %v", p.Op, p.Path, dc[ck])
			}
			next := make(map[string]any, len(obj))
			for k, x := range obj {
				next[k] = x
			}
			if p.Op == "remove" {
				delete(next, p.Path[1:])
			} else {
				next[p.Path[1:]] = v
			}
			dc[ck] = next
		}
	}
	return dc[r.CacheKey+"-"+outKey]
}

// lateSession is a delta Session over a fake engine with a GenericObject
// on handle 2; its EventLateDelta results (bodies copied) go to a channel.
func lateSession(t *testing.T, opts SessionOptions) (*fakeEngine, *Session, chan Event) {
	t.Helper()
	fe, tr := newFakeEngine(t)
	late := make(chan Event, 8)
	opts.Delta = true
	opts.Conn.OnEvent = func(e Event) {
		if e.Kind == EventLateDelta {
			r := *e.Result
			r.Body = append([]byte(nil), r.Body...) // it aliases the frame
			e.Result = &r
			late <- e
		}
	}
	s := NewSession(tr, opts)
	t.Cleanup(func() { s.Close() })
	s.Registry().Register(2, "GenericObject", "chart", "c1")
	return fe, s, late
}

func nextLate(t *testing.T, late chan Event) Event {
	t.Helper()
	select {
	case e := <-late:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("the late delta result was not reported")
	}
	return Event{}
}

// layout calls GetLayout on handle 2, answers it with patches and returns
// the layout the client's cache then holds.
func layout(t *testing.T, fe *fakeEngine, s *Session, dc testDeltaCache, patches string) any {
	t.Helper()
	ch := invoke(s, 2, "GetLayout", `[]`)
	r := fe.next(t)
	if !r.Delta {
		t.Fatal("GetLayout sent without delta")
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"delta":true,"result":{"qLayout":%s}}`, r.ID, patches)
	o := waitInvoke(t, ch)
	if o.err != nil {
		t.Fatal(o.err)
	}
	return dc.apply(t, o.r, "qLayout")
}

func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLateDeltaReported: the engine answers a delta GetLayout the client
// cancelled with a patch (it had computed it before the CancelRequest
// arrived), so its cache moved. The late result is reported with the
// call's cache key, and once the client's cache has applied it the next
// call's patch ([]: nothing changed since) gives the fresh layout, not the
// one before the cancelled call.
func TestLateDeltaReported(t *testing.T) {
	fe, s, late := lateSession(t, SessionOptions{})
	dc := testDeltaCache{}
	l0 := `{"qSelected":0,"rows":["A","B","C"]}`
	if got := layout(t, fe, s, dc, `[{"op":"add","path":"/","value":`+l0+`}]`); !reflect.DeepEqual(got, jsonValue(t, l0)) {
		t.Fatalf("first layout = %v", got)
	}

	ch := invoke(s, 2, "GetLayout", `[]`)
	r := fe.next(t)
	s.Cancel(r.ID)
	if o := waitInvoke(t, ch); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancelled call = %v", o.err)
	}
	if cr := fe.next(t); cr.Method != "CancelRequest" {
		t.Fatalf("sent %s, want CancelRequest", cr.Method)
	}
	patch := `{"qLayout":[{"op":"replace","path":"/qSelected","value":1},{"op":"replace","path":"/rows","value":["A"]}]}`
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"delta":true,"result":%s}`, r.ID, patch)
	e := nextLate(t, late)
	if e.RequestID != r.ID || e.Result.CacheKey != "2-GetLayout" || !e.Result.Delta || string(e.Result.Body) != patch {
		t.Fatalf("late result = id %d %+v %s", e.RequestID, *e.Result, e.Result.Body)
	}
	dc.apply(t, *e.Result, "qLayout")

	l1 := jsonValue(t, `{"qSelected":1,"rows":["A"]}`)
	if got := layout(t, fe, s, dc, `[]`); !reflect.DeepEqual(got, l1) {
		t.Fatalf("layout after the late result = %v, want %v", got, l1)
	}
	l2 := jsonValue(t, `{"qSelected":1,"rows":["B"]}`)
	if got := layout(t, fe, s, dc, `[{"op":"replace","path":"/rows","value":["B"]}]`); !reflect.DeepEqual(got, l2) {
		t.Fatalf("layout after a later patch = %v, want %v", got, l2)
	}
	if s.StrayFrames() != 0 {
		t.Fatalf("stray frames = %d", s.StrayFrames())
	}
}

// TestLateDeltaTimedOut: a call that timed out (CallTimeout) is given up
// on the same way; its late delta result is reported too.
func TestLateDeltaTimedOut(t *testing.T) {
	fe, s, late := lateSession(t, SessionOptions{Conn: ConnOptions{CallTimeout: 20 * time.Millisecond}})
	ch := invoke(s, 2, "GetLayout", `[]`)
	if o := waitInvoke(t, ch); !errors.Is(o.err, ErrTimeout) {
		t.Fatalf("timed-out call = %v", o.err)
	}
	// The call and its CancelRequest, in either order: the timer may beat
	// the write.
	r := fe.next(t)
	if r.Method != "GetLayout" {
		r = fe.next(t)
	} else {
		fe.next(t)
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"delta":true,"result":{"qLayout":[{"op":"add","path":"/","value":{}}]}}`, r.ID)
	if e := nextLate(t, late); e.Result.CacheKey != "2-GetLayout" {
		t.Fatalf("late result = %+v", *e.Result)
	}
}

// TestLateRepliesDropped: late errors (15 for a cancelled call), late
// plain results, the late reply of a call sent without delta and the
// reply to a CancelRequest are dropped as before: not reported, not
// stray.
func TestLateRepliesDropped(t *testing.T) {
	fe, s, late := lateSession(t, SessionOptions{})
	cancelled := func(method, args string) int64 {
		ch := invoke(s, 2, method, args)
		r := fe.next(t)
		s.Cancel(r.ID)
		if o := waitInvoke(t, ch); !errors.Is(o.err, ErrCancelled) {
			t.Fatalf("cancelled %s = %v", method, o.err)
		}
		cr := fe.next(t)
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, cr.ID)
		return r.ID
	}
	id := cancelled("GetLayout", `[]`)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":15,"parameter":"","message":"Request aborted"}}`, id)
	id = cancelled("GetLayout", `[]`)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":{}}}`, id) // no "delta": true
	id = cancelled("SetProperties", `[{}]`)                             // sent without delta
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"delta":true,"result":{}}`, id)
	// Frames are handled in order: a call settling now follows them all.
	if o := waitInvoke(t, invokeAnswered(t, fe, s)); o.err != nil {
		t.Fatal(o.err)
	}
	select {
	case e := <-late:
		t.Fatalf("dropped reply reported: %+v", *e.Result)
	default:
	}
	if s.StrayFrames() != 0 {
		t.Fatalf("stray frames = %d", s.StrayFrames())
	}
}

// invokeAnswered makes a call on Global and answers it.
func invokeAnswered(t *testing.T, fe *fakeEngine, s *Session) chan invokeOutcome {
	t.Helper()
	ch := invoke(s, -1, "EngineVersion", `[]`)
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qVersion":{"qComponentVersion":"x"}}}`, r.ID)
	return ch
}

// TestLateDeltaInElidedFrame: a big late delta result comes as a Span
// into its frame (no Body), readable while the event is handled.
func TestLateDeltaInElidedFrame(t *testing.T) {
	a, engine := Pipe()
	texts := make(chan string, 1)
	s := NewSession(&elidingPipe{Transport: a, limit: 4096}, SessionOptions{Delta: true, Conn: ConnOptions{OnEvent: func(e Event) {
		if e.Kind == EventLateDelta {
			if e.Result.Body != nil || e.Result.Span == nil || e.Result.CacheKey != "2-GetLayout" {
				t.Errorf("late result = %+v", *e.Result)
			}
			u := utf16.Encode([]rune(string(e.Result.Span.Frame.Full())))
			texts <- string(utf16.Decode(u[e.Result.Span.Start:e.Result.Span.End]))
		}
	}}})
	defer s.Close()
	s.Registry().Register(2, "GenericObject", "chart", "c1")
	ctx := context.Background()
	ch := invoke(s, 2, "GetLayout", `[]`)
	req, err := engine.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := readIDMethod(t, req)
	s.Cancel(id)
	if o := waitInvoke(t, ch); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancelled call = %v", o.err)
	}
	if _, err := engine.Read(ctx); err != nil { // its CancelRequest
		t.Fatal(err)
	}
	patch := `{"qLayout":[{"op":"replace","path":"/text","value":"` + strings.Repeat("ü😀 ", 3000) + `"}]}`
	if err := engine.Write(ctx, []byte(`{"jsonrpc":"2.0","id":`+itoa(id)+`,"delta":true,"result":`+patch+`}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-texts:
		if got != patch {
			t.Fatalf("span text %.40q…, want %.40q…", got, patch)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the late delta result was not reported")
	}
}
