package qixcore

import (
	"context"
	"errors"
	"math"
	"testing"
)

// TestConnExternalIDs: calls numbered by the caller go out with that id,
// the connection's own requests count down from MaxInt32, and a reused
// id fails only the newcomer.
func TestConnExternalIDs(t *testing.T) {
	fe, tr := newFakeEngine(t)
	c := NewConn(tr, ConnOptions{ExternalIDs: true})
	defer c.Close(1000, "")
	first := make(chan callOutcome, 1)
	c.StartID(context.Background(), 7, Request{Handle: -1, Method: "OSName"}, func(m *Message, err error) { first <- callOutcome{m, err} })
	if r := fe.next(t); r.ID != 7 {
		t.Fatalf("sent id %d, want 7", r.ID)
	}
	dup := make(chan callOutcome, 1)
	c.StartID(context.Background(), 7, Request{Handle: -1, Method: "OSVersion"}, func(m *Message, err error) { dup <- callOutcome{m, err} })
	if o := wait(t, dup); !errors.Is(o.err, ErrNotConnected) {
		t.Fatalf("duplicate id: err = %v", o.err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	victim := make(chan callOutcome, 1)
	c.StartID(ctx, 8, Request{Handle: -1, Method: "DoReload"}, func(m *Message, err error) { victim <- callOutcome{m, err} })
	fe.next(t)
	cancel()
	wait(t, victim)
	cr := fe.next(t)
	if cr.Method != "CancelRequest" || cr.ID != math.MaxInt32 || string(cr.Params) != `{"qRequestId":8}` {
		t.Fatalf("cancel request = %+v", cr)
	}
	if id := c.Start(context.Background(), Request{Handle: -1, Method: "OSName"}, func(*Message, error) {}); id != math.MaxInt32-1 {
		t.Fatalf("own id = %d", id)
	}
	fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":7,"result":{"qReturn":"linux"}}`)
	if o := wait(t, first); o.err != nil || string(o.m.Result) != `{"qReturn":"linux"}` {
		t.Fatalf("first call = %v %v", o.m, o.err)
	}
}

// TestResultUnwrapPrefersReturn: enigma.js's rule, qReturn whenever the
// reply has it (SelectHyperCubeValues's schema out is qSuccess, engines
// send qReturn), else the out key, except for status-flag methods.
func TestResultUnwrapPrefersReturn(t *testing.T) {
	cases := []struct {
		r    Result
		want string
	}{
		{Result{Body: []byte(`{"qReturn":true}`), OutKey: "qSuccess", Return: true}, `true`},
		{Result{Body: []byte(`{"qSuccess":false}`), OutKey: "qSuccess", Return: true}, `false`},
		{Result{Body: []byte(`{"qReturn":true,"qId":"x"}`), OutKey: "qId", Return: false}, `"x"`},
		{Result{Body: []byte(`{"qA":1,"qB":2}`), Return: true}, `{"qA":1,"qB":2}`},
		{Result{Body: []byte(`{"qA":1}`), OutKey: "qB", Return: true}, ``},
	}
	for _, c := range cases {
		got, err := c.r.Unwrap()
		if err != nil || string(got) != c.want {
			t.Errorf("%s (out %q, return %v) = %s, %v; want %s", c.r.Body, c.r.OutKey, c.r.Return, got, err, c.want)
		}
	}
}
