//go:build js && wasm

package main

import (
	"errors"
	"runtime"
	"syscall/js"

	"github.com/qix-wasm/qix-wasm/internal/bridge"
	"github.com/qix-wasm/qix-wasm/internal/jsonw"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// queue adds reply items under the lock and wakes the flush loop.
func (b *backend) queue(fn func(r *bridge.Replies)) {
	b.mu.Lock()
	fn(&b.replies)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *backend) resolveBody(seq int, body []byte, outKey string) {
	b.queue(func(r *bridge.Replies) { r.Body(seq, body, outKey) })
}

// resolveResult settles a call with its result: bytes in the body, or the
// result's text cut from a big frame (it stays a JS string).
func (b *backend) resolveResult(seq, sid int, res qixcore.Result) {
	var text js.Value
	if res.Span != nil {
		var ok bool
		if text, ok = takeSpan(res.Span); !ok {
			b.fail(seq, errors.New("qix-wasm: failed to read the result: its frame is gone"))
			return
		}
	}
	b.queue(func(r *bridge.Replies) {
		r.Result(seq, sid, res, res.Span != nil)
		if res.Span != nil {
			b.texts = append(b.texts, text)
		}
	})
}

func (b *backend) resolveObject(seq int, o *qixcore.RemoteObject) {
	b.queue(func(r *bridge.Replies) { r.Object(seq, o) })
}

func (b *backend) fail(seq int, err error) {
	b.queue(func(r *bridge.Replies) { r.Fail(seq, err) })
}

func (b *backend) event(sid int, name string, body []byte, extra func(w *jsonw.Writer)) {
	b.queue(func(r *bridge.Replies) { r.Event(sid, name, body, extra) })
}

// flushLoop asks for a flush whenever replies are queued. The flush itself
// runs in a later JS task (a MessageChannel message), not in the task of
// the WebSocket message that produced the reply: responses that arrive in
// a burst, one task each, then leave in one crossing and one postMessage
// instead of one per response. A MessageChannel task costs microseconds,
// where setTimeout would add a clamped delay.
func (b *backend) flushLoop() {
	ch := js.Global().Get("MessageChannel").New()
	port := ch.Get("port2")
	onTick := funcOf(func(js.Value, []js.Value) any {
		b.flush()
		return nil
	})
	// onTick lives as long as the module; it is never released.
	ch.Get("port1").Set("onmessage", onTick)
	for range b.wake {
		// Nothing else on its way: a lone reply (sequential calls) leaves
		// at once rather than a task later.
		if b.inflight.Load() == 0 {
			b.flush()
			continue
		}
		b.mu.Lock()
		ask := b.replies.Len() > 0 && !b.flushAsked
		if ask {
			b.flushAsked = true
		}
		b.mu.Unlock()
		if ask {
			port.Call("postMessage", js.Null())
		}
	}
}

// flush sends every queued reply in one crossing. It runs inside a js.Func
// callback and never blocks.
func (b *backend) flush() {
	b.mu.Lock()
	b.flushAsked = false
	if b.replies.Len() == 0 {
		b.mu.Unlock()
		return
	}
	hdr, body, _ := b.replies.Take()
	strs := b.texts
	b.texts = nil
	b.mu.Unlock()
	var texts any
	if len(strs) > 0 {
		arr := js.Global().Get("Array").New(len(strs))
		for i, v := range strs {
			arr.SetIndex(i, v)
		}
		texts = arr
	}
	// JS reads (and copies) both buffers before Invoke returns.
	b.reply.Invoke(addr(hdr), len(hdr), addr(body), len(body), texts)
	runtime.KeepAlive(hdr)
	runtime.KeepAlive(body)
}
