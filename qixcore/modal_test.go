package qixcore

import (
	"context"
	"errors"
	"testing"
)

// modalSession is a Session with recovery mode over a fake engine, with
// the Doc (handle 1) and a chart (handle 2) open.
func modalSession(t *testing.T, mode ModalRecovery) (*fakeEngine, *Session) {
	t.Helper()
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{ModalRecovery: mode})
	t.Cleanup(func() { s.Close() })
	s.Registry().Register(1, "Doc", "", "Sales")
	s.Registry().Register(2, "GenericObject", "barchart", "chart-1")
	return fe, s
}

const modalError = `{"jsonrpc":"2.0","id":%d,"error":{"code":6003,"parameter":"","message":"Another object is in selection mode"}}`

func TestModalRecoveryRetriesOnce(t *testing.T) {
	for _, tc := range []struct {
		mode   ModalRecovery
		accept string
	}{{ModalRecoveryCancel, `[false]`}, {ModalRecoveryAccept, `[true]`}} {
		fe, s := modalSession(t, tc.mode)
		ch := make(chan invokeOutcome, 1)
		id := s.InvokeID(context.Background(), 7, 2, "BeginSelections", []byte(`[["/qHyperCubeDef"]]`), func(r Result, err error) { ch <- invokeOutcome{r, err} })
		r := fe.next(t)
		fe.send(t, modalError, r.ID)
		a := fe.next(t)
		if a.Method != "AbortModal" || a.Handle != 1 || string(a.Params) != tc.accept {
			t.Fatalf("after 6003: %+v %s", a, a.Params)
		}
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, a.ID)
		again := fe.next(t)
		if again.ID != id || again.ID != 7 || again.Method != "BeginSelections" || again.Handle != 2 || string(again.Params) != `[["/qHyperCubeDef"]]` {
			t.Fatalf("second sending: %+v", again)
		}
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, again.ID)
		if o := waitInvoke(t, ch); o.err != nil {
			t.Fatalf("mode %d: %v", tc.mode, o.err)
		}
	}
}

func TestModalRecoveryGivesUp(t *testing.T) {
	is6003 := func(err error) bool { return errors.Is(err, &EngineError{Code: 6003}) }

	// A second 6003: the caller gets it, no third sending.
	fe, s := modalSession(t, ModalRecoveryCancel)
	ch := invoke(s, 2, "SelectHyperCubeValues", `["/qHyperCubeDef",0,[0],false]`)
	fe.send(t, modalError, fe.next(t).ID)
	a := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, a.ID)
	fe.send(t, modalError, fe.next(t).ID)
	if o := waitInvoke(t, ch); !is6003(o.err) {
		t.Fatalf("second 6003: %v", o.err)
	}

	// AbortModal refused: the call's own 6003.
	ch = invoke(s, 2, "BeginSelections", `[["/qHyperCubeDef"]]`)
	fe.send(t, modalError, fe.next(t).ID)
	a = fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"error":{"code":5,"message":"Access denied"}}`, a.ID)
	if o := waitInvoke(t, ch); !is6003(o.err) {
		t.Fatalf("AbortModal refused: %v", o.err)
	}

	// Cancelled while AbortModal is out: settles as cancelled, never resent.
	ch2 := make(chan invokeOutcome, 1)
	id := s.InvokeID(context.Background(), 40, 2, "BeginSelections", []byte(`[["/qHyperCubeDef"]]`), func(r Result, err error) { ch2 <- invokeOutcome{r, err} })
	fe.send(t, modalError, fe.next(t).ID)
	a = fe.next(t)
	s.Cancel(id)
	if o := waitInvoke(t, ch2); !errors.Is(o.err, ErrCancelled) {
		t.Fatalf("cancelled: %v", o.err)
	}
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{}}`, a.ID)
	ch = invoke(s, -1, "OSName", `[]`)
	if r := fe.next(t); r.Method != "OSName" {
		t.Fatalf("resent after cancel: %+v", r)
	} else {
		fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":"linux"}}`, r.ID)
	}
	waitInvoke(t, ch)

	// Off: the 6003 as it came.
	fe, s = modalSession(t, ModalRecoveryOff)
	ch = invoke(s, 2, "BeginSelections", `[["/qHyperCubeDef"]]`)
	fe.send(t, modalError, fe.next(t).ID)
	if o := waitInvoke(t, ch); !is6003(o.err) {
		t.Fatalf("off: %v", o.err)
	}

	// EndSelections is never retried.
	fe, s = modalSession(t, ModalRecoveryCancel)
	ch = invoke(s, 2, "EndSelections", `[true]`)
	fe.send(t, modalError, fe.next(t).ID)
	if o := waitInvoke(t, ch); !is6003(o.err) {
		t.Fatalf("EndSelections: %v", o.err)
	}
}
