//go:build js && wasm

package main

import (
	"github.com/qix-wasm/qix-wasm/internal/bridge"
	"github.com/qix-wasm/qix-wasm/internal/jsonw"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// eventName is the bridge's name of a handle-list event (a switch, not a
// map: nothing to build at start-up).
func eventName(k qixcore.EventKind) string {
	switch k {
	case qixcore.EventChanged:
		return "changed"
	case qixcore.EventClosed:
		return "closed"
	case qixcore.EventSuspended:
		return "suspended"
	}
	return ""
}

// onEvent turns a session's events into reply items. It runs on the
// session's read goroutine.
func (b *backend) onEvent(s *session, e qixcore.Event) {
	switch e.Kind {
	case qixcore.EventChanged, qixcore.EventClosed, qixcore.EventSuspended:
		b.event(s.sid, eventName(e.Kind), nil, func(w *jsonw.Writer) { bridge.Ints(w, "h", e.Handles) })
	case qixcore.EventNotification:
		b.event(s.sid, "notification", e.Params, func(w *jsonw.Writer) {
			w.RawString(`,"m":`)
			w.String(e.Method)
		})
	case qixcore.EventTraffic:
		if s.traffic.Load() {
			data := e.Data
			if data == nil && e.Frame != nil {
				data = e.Frame.Full() // someone listens: worth the copy
			}
			b.event(s.sid, "traffic", data, func(w *jsonw.Writer) {
				if e.Sent {
					w.RawString(`,"dir":"sent"`)
				} else {
					w.RawString(`,"dir":"received"`)
				}
			})
		}
	case qixcore.EventProgress:
		b.event(s.sid, "progress", e.Params, func(w *jsonw.Writer) {
			w.RawString(`,"m":`)
			w.String(e.Method)
			w.RawString(`,"rid":`)
			w.Int64(e.RequestID)
			w.RawString(`,"h":`)
			w.Int(e.Handles[0])
			if e.Final {
				w.RawString(`,"final":true`)
			}
		})
	case qixcore.EventSessionSuspended:
		b.event(s.sid, "sessionsuspended", nil, func(w *jsonw.Writer) {
			w.RawString(`,"err":`)
			bridge.WriteError(w, e.Err)
		})
	case qixcore.EventSessionResumed:
		b.event(s.sid, "sessionresumed", nil, func(w *jsonw.Writer) {
			w.RawString(`,"remap":[`)
			for i, m := range e.Remap {
				if i > 0 {
					w.RawByte(',')
				}
				w.RawByte('[')
				w.Int(m.Old)
				w.RawByte(',')
				w.Int(m.New)
				w.RawByte(']')
			}
			w.RawByte(']')
			bridge.Ints(w, "h", e.Handles)
		})
	case qixcore.EventReconnecting:
		b.event(s.sid, "reconnecting", nil, func(w *jsonw.Writer) {
			w.RawString(`,"attempt":`)
			w.Int(e.Attempt)
			w.RawString(`,"delay":`)
			w.Int64(e.Delay.Milliseconds())
			w.RawString(`,"err":`)
			bridge.WriteError(w, e.Err)
		})
	case qixcore.EventStrayFrame:
		// A frame that named no call: typed (CodeProtocol), redacted by
		// construction (reason, id and size only), counted by the session.
		b.event(s.sid, "stray", nil, func(w *jsonw.Writer) {
			w.RawString(`,"err":`)
			bridge.WriteError(w, e.Err)
			w.RawString(`,"reason":`)
			w.String(e.Stray.String())
			w.RawString(`,"count":`)
			w.Int64(e.Count)
		})
	case qixcore.EventLateDelta:
		// The reply to a call the page gave up on: no page call waits
		// for seq 0, but the item's "d"/"c"/"sid" reach the worker's delta
		// cache (qix-delta.js) and the page's (session._absorbDelta), so
		// both follow the engine's.
		b.resolveResult(0, s.sid, *e.Result)
	case qixcore.EventConnClosed:
		b.mu.Lock()
		delete(b.sessions, s.sid)
		b.mu.Unlock()
		b.event(s.sid, "sessionclosed", nil, func(w *jsonw.Writer) {
			w.RawString(`,"err":`)
			bridge.WriteError(w, e.Err)
			if e.Attempt > 0 {
				w.RawString(`,"attempts":`)
				w.Int(e.Attempt)
			}
		})
	}
}
