package qixcore

import (
	"errors"
	"strings"
	"testing"
)

// TestHandleRule drives a Session whose fake engine answers object calls
// with reused and impossible handles: each is a protocol error (-102) for
// that call, the registry keeps the objects it had, and the live objects
// still serve calls. Naming a live handle for the same object is allowed.
func TestHandleRule(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()

	answer := func(handle int, method, args, reply string) invokeOutcome {
		t.Helper()
		ch := invoke(s, handle, method, args)
		r := fe.next(t)
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":%s}`, r.ID, reply)
		return waitInvoke(t, ch)
	}
	o := answer(-1, "OpenDoc", `["Sales"]`, `{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}`)
	if o.err != nil {
		t.Fatal(o.err)
	}
	doc := o.r.Object
	o = answer(1, "GetObject", `["chart-1"]`, `{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"barchart","qGenericId":"chart-1"}}`)
	if o.err != nil {
		t.Fatal(o.err)
	}
	chart := o.r.Object

	bad := []struct{ name, method, args, reply, want string }{
		{"the Doc's handle as an object", "GetObject", `["x"]`, `{"qReturn":{"qType":"GenericObject","qHandle":1,"qGenericId":"x"}}`, "handle 1 is the Doc Sales"},
		{"the Global's handle", "GetObject", `["x"]`, `{"qReturn":{"qType":"GenericObject","qHandle":-1,"qGenericId":"x"}}`, "impossible handle (-1)"},
		{"the Global's handle as a Doc", "GetActiveDoc", `[]`, `{"qReturn":{"qType":"Global","qHandle":-1}}`, "impossible handle (-1)"},
		{"handle 0", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":0}}`, "impossible handle (0)"},
		{"a negative handle", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":-7}}`, "impossible handle (-7)"},
		{"beyond int32", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":4294967297}}`, "not an integer"},
		{"a fraction", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":2.5}}`, "not an integer"},
		{"an exponent", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":1e1}}`, "not an integer"},
		{"a string", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":"3"}}`, "not an integer"},
		{"another object's handle", "GetObject", `["chart-2"]`, `{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"barchart","qGenericId":"chart-2"}}`, "handle 2 is the GenericObject chart-1"},
		{"another type on a live handle", "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":2}}`, "not a Field"},
	}
	for _, tc := range bad {
		o := answer(1, tc.method, tc.args, tc.reply)
		var ce *ClientError
		if !errors.As(o.err, &ce) || ce.Code != CodeProtocol || o.r.Object != nil {
			t.Errorf("%s: %+v %v", tc.name, o.r, o.err)
			continue
		}
		if !strings.Contains(o.err.Error(), tc.want) || !strings.Contains(o.err.Error(), tc.method) {
			t.Errorf("%s: err = %q, want %q", tc.name, o.err, tc.want)
		}
	}
	live := s.Registry().Live()
	if len(live) != 3 || live[1] != doc || live[2] != chart || doc.Type != "Doc" || chart.ID != "chart-1" {
		t.Fatalf("registry changed: %+v", live)
	}

	// The same object again keeps its identity.
	o = answer(-1, "GetActiveDoc", `[]`, `{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}}`)
	if o.err != nil || o.r.Object != doc {
		t.Fatalf("GetActiveDoc = %+v %v", o.r, o.err)
	}
	o = answer(1, "GetObject", `["chart-1"]`, `{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"barchart","qGenericId":"chart-1"}}`)
	if o.err != nil || o.r.Object != chart {
		t.Fatalf("GetObject again = %+v %v", o.r, o.err)
	}
	// A closed handle may be given out again, to anything.
	fe.send(t, `{"jsonrpc":"2.0","close":[2]}`)
	o = answer(1, "GetField", `["Region"]`, `{"qReturn":{"qType":"Field","qHandle":2}}`)
	if o.err != nil || o.r.Object == chart || o.r.Object.Type != "Field" {
		t.Fatalf("GetField on a closed handle = %+v %v", o.r, o.err)
	}
}

func TestBindRule(t *testing.T) {
	r := NewRegistry()
	if _, err := r.Bind(1, "Doc", "", "Sales"); err != nil {
		t.Fatal(err)
	}
	// A session app's Doc comes back under the app's id.
	if _, err := r.Bind(1, "Doc", "", "other-id"); err != nil {
		t.Fatalf("Doc by another id: %v", err)
	}
	for _, tc := range []struct {
		h        int
		ty, g, i string
		want     error
	}{
		{-1, "Global", "", "Global", errHandleImpossible},
		{0, "Field", "", "", errHandleImpossible},
		{1, "GenericObject", "", "", errHandleReused},
	} {
		if _, err := r.Bind(tc.h, tc.ty, tc.g, tc.i); !errors.Is(err, tc.want) {
			t.Errorf("Bind(%d, %s) = %v, want %v", tc.h, tc.ty, err, tc.want)
		}
	}
	if _, err := r.Bind(5, "GenericObject", "table", "t"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Bind(5, "GenericObject", "barchart", "t"); !errors.Is(err, errHandleReused) {
		t.Errorf("another generic type: %v", err)
	}
	if o, err := r.Bind(5, "GenericObject", "", ""); err != nil || o.GenericType != "table" {
		t.Errorf("same object without details: %+v %v", o, err)
	}
}

// TestReplyWithoutResult: a reply that names its call but has neither a
// result nor an error, or an object result that is not JSON, rejects with
// -102 and quotes nothing of it.
func TestReplyWithoutResult(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()
	s.Registry().Register(1, "Doc", "", "Sales")
	for _, tc := range []struct{ method, args, tail string }{
		{"GetAppLayout", `[]`, `}`},
		{"GetObject", `["x"]`, `}`},
		{"GetObject", `["x"]`, `,"result":["SECRET"]}`},
	} {
		ch := invoke(s, 1, tc.method, tc.args)
		r := fe.next(t)
		fe.send(t, `{"jsonrpc":"2.0","id":%d%s`, r.ID, tc.tail)
		o := waitInvoke(t, ch)
		var ce *ClientError
		if !errors.As(o.err, &ce) || ce.Code != CodeProtocol || strings.Contains(o.err.Error(), "SECRET") {
			t.Errorf("%s %s: %v", tc.method, tc.tail, o.err)
		}
	}
}
