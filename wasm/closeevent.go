//go:build js && wasm

package main

import (
	"context"
	"sync"
	"syscall/js"

	"github.com/qix-wasm/qix-wasm/qixcore"
)

// closeWatch holds the CloseEvent of one socket. coder/websocket on js
// drops the close code and reason (its Read returns net.ErrClosed), so we
// observe the event ourselves and hand it to qixcore through
// DialOptions.CloseStatus.
type closeWatch struct {
	mu     sync.Mutex
	code   int
	reason string
	ok     bool
}

func (w *closeWatch) set(code int, reason string) {
	w.mu.Lock()
	w.code, w.reason, w.ok = code, reason, true
	w.mu.Unlock()
}

func (w *closeWatch) get() (int, string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.code, w.reason, w.ok
}

// dialWatched dials url through coder/websocket and captures our own
// socket's CloseEvent without copying coder/websocket and without a global
// change page code could observe.
//
// coder/websocket constructs the browser socket with
// `new globalThis.WebSocket(url, protocols)` synchronously inside Dial,
// before Dial first blocks. We put a wrapper constructor in place just
// before Dial; its first act is to put the original back, then it builds
// the real socket with the original constructor and adds our "close"
// listener (ahead of coder/websocket's own). JavaScript is single threaded
// and Go does not yield between the swap and the construction, so no other
// script runs while the wrapper is installed; the original is restored
// again after Dial in case the constructor was never reached.
func dialWatched(ctx context.Context, url string) (qixcore.Transport, error) {
	w := &closeWatch{}
	global := js.Global()
	orig := global.Get("WebSocket")
	restored := false
	restore := func() {
		if !restored {
			global.Set("WebSocket", orig)
			restored = true
		}
	}
	wrapper := js.FuncOf(func(this js.Value, args []js.Value) any {
		restore()
		a := make([]any, len(args))
		for i, v := range args {
			a[i] = v
		}
		ws := orig.New(a...)
		var onClose js.Func
		onClose = js.FuncOf(func(_ js.Value, ev []js.Value) any {
			e := ev[0]
			w.set(e.Get("code").Int(), e.Get("reason").String())
			ws.Call("removeEventListener", "close", onClose)
			onClose.Release()
			return nil
		})
		ws.Call("addEventListener", "close", onClose)
		return ws
	})
	global.Set("WebSocket", wrapper)
	t, err := qixcore.Dial(ctx, url, &qixcore.DialOptions{CloseStatus: w.get})
	restore()
	wrapper.Release()
	if err != nil {
		if code, reason, ok := w.get(); ok {
			return nil, qixcore.NewCloseError(code, reason)
		}
		return nil, err
	}
	return t, nil
}
