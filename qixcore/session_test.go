package qixcore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

type invokeOutcome struct {
	r   Result
	err error
}

func invoke(s *Session, handle int, method, args string) chan invokeOutcome {
	ch := make(chan invokeOutcome, 1)
	s.Invoke(context.Background(), handle, method, []byte(args), func(r Result, err error) { ch <- invokeOutcome{r, err} })
	return ch
}

func waitInvoke(t *testing.T, ch chan invokeOutcome) invokeOutcome {
	t.Helper()
	select {
	case o := <-ch:
		return o
	case <-time.After(5 * time.Second):
		t.Fatal("invoke did not settle")
	}
	return invokeOutcome{}
}

func TestSessionObjectsAndUnwrapping(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{Delta: true})
	defer s.Close()

	// OpenDoc: named params become positional; qReturn names an object.
	ch := invoke(s, -1, "OpenDoc", `[{"qDocName":"Sales","qNoData":false}]`)
	r := fe.next(t)
	if string(r.Params) != `["Sales","","","",false]` || r.Delta {
		t.Fatalf("OpenDoc request = %+v params %s", r, r.Params)
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}},"change":[1]}`, r.ID)
	o := waitInvoke(t, ch)
	if o.err != nil || o.r.Object == nil || o.r.Object.Handle != 1 || o.r.Object.Type != "Doc" || o.r.Object.ID != "Sales" {
		t.Fatalf("OpenDoc = %+v %v", o.r, o.err)
	}
	doc := o.r.Object

	// GetLayout: delta requested, body handed on with the out key.
	ch = invoke(s, 1, "GetAppLayout", `[]`)
	r = fe.next(t)
	if !r.Delta {
		t.Fatal("GetAppLayout without delta")
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qLayout":[{"op":"add","path":"/","value":{"qTitle":"Sales"}}]},"delta":true}`, r.ID)
	o = waitInvoke(t, ch)
	if o.err != nil || o.r.OutKey != "qLayout" || !o.r.Delta || o.r.CacheKey != "1-GetAppLayout" || string(o.r.Body) != `{"qLayout":[{"op":"add","path":"/","value":{"qTitle":"Sales"}}]}` {
		t.Fatalf("GetAppLayout = %+v %v", o.r, o.err)
	}

	// DoReload: qReturn primitive, no delta (enigma.js's out list is empty).
	ch = invoke(s, 1, "DoReload", `[]`)
	r = fe.next(t)
	if r.Delta {
		t.Fatal("DoReload asked for delta")
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":true}}`, r.ID)
	o = waitInvoke(t, ch)
	if o.err != nil || o.r.OutKey != "qReturn" {
		t.Fatalf("DoReload = %+v %v", o.r, o.err)
	}

	// GetObject of a missing id: not found.
	ch = invoke(s, 1, "GetObject", `["missing"]`)
	r = fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":null,"qHandle":null}}}`, r.ID)
	o = waitInvoke(t, ch)
	if !errors.Is(o.err, ErrObjectNotFound) {
		t.Fatalf("GetObject missing = %v", o.err)
	}

	// A second reference to the same handle is the same object.
	ch = invoke(s, -1, "GetActiveDoc", `[]`)
	r = fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}}`, r.ID)
	if o = waitInvoke(t, ch); o.r.Object != doc {
		t.Fatal("GetActiveDoc gave a second object for handle 1")
	}

	// Calls on unknown handles fail without touching the wire.
	if o = waitInvoke(t, invoke(s, 99, "GetLayout", `[]`)); !errors.Is(o.err, ErrObjectNotFound) {
		t.Fatalf("unknown handle = %v", o.err)
	}
}

func TestSessionAppID(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()
	ch := invoke(s, -1, "CreateSessionApp", `[]`)
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"Doc","qHandle":1},"qSessionAppId":"SessionApp_8c68"},"change":[1]}`, r.ID)
	o := waitInvoke(t, ch)
	if o.err != nil || o.r.Object == nil || o.r.Object.ID != "SessionApp_8c68" {
		t.Fatalf("CreateSessionApp = %+v %v", o.r, o.err)
	}
}

func TestSessionCreateObjectGenericType(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()
	s.Registry().Register(1, "Doc", "", "Sales")
	ch := invoke(s, 1, "CreateSessionObject", `[{"qInfo":{"qType":"chart"}}]`)
	r := fe.next(t)
	if string(r.Params) != `[{"qInfo":{"qType":"chart"}}]` {
		t.Fatalf("params = %s", r.Params)
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"chart","qGenericId":"abc"},"qInfo":{"qId":"abc","qType":"chart"}},"change":[2]}`, r.ID)
	o := waitInvoke(t, ch)
	if o.err != nil || o.r.Object == nil || o.r.Object.GenericType != "chart" || o.r.Object.ID != "abc" || o.r.Object.Handle != 2 {
		t.Fatalf("CreateSessionObject = %+v %v", o.r, o.err)
	}
}

func TestSessionCancelByID(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()
	ch := make(chan invokeOutcome, 1)
	id := s.Invoke(context.Background(), -1, "GetDocList", []byte(`[]`), func(r Result, err error) { ch <- invokeOutcome{r, err} })
	r := fe.next(t)
	if id != r.ID {
		t.Fatalf("Invoke returned id %d, the request went out as %d", id, r.ID)
	}
	s.Cancel(id)
	if o := waitInvoke(t, ch); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancelled call = %v", o.err)
	}
	cr := fe.next(t)
	if cr.Method != "CancelRequest" || string(cr.Params) != fmt.Sprintf(`{"qRequestId":%d}`, id) {
		t.Fatalf("cancel request = %+v %s", cr, cr.Params)
	}
	if s.Conn().Pending() != 0 {
		t.Fatal("entry left behind")
	}
	s.Cancel(id) // settled: ignored
	s.Cancel(987654)
	// A call refused before sending has no id.
	if got := s.Invoke(context.Background(), 42, "GetLayout", []byte(`[]`), func(Result, error) {}); got != 0 {
		t.Fatalf("Invoke on an unknown handle returned id %d", got)
	}
}
