//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/mailru/easyjson/jlexer"
	"github.com/mailru/easyjson/jwriter"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// backend owns every session of one page (or worker) and the reply queue.
type backend struct {
	reply js.Value // func(header string, body Uint8Array|null)

	mu       sync.Mutex
	sessions map[int]*session
	out      jwriter.Writer // pending reply header items (without brackets)
	outN     int
	body     []byte
	strs     []js.Value // result texts taken from big frames, sent with the body
	wake     chan struct{}
	u8       js.Value

	flushAsked bool         // a MessageChannel tick is on its way
	inflight   atomic.Int64 // calls sent and not settled, all sessions
}

type session struct {
	sid     int
	qs      *qixcore.Session
	mu      sync.Mutex
	traffic bool
}

func newBackend() *backend {
	b := &backend{
		sessions: map[int]*session{},
		wake:     make(chan struct{}, 1),
		u8:       js.Global().Get("Uint8Array"),
	}
	b.out.RawByte('[')
	return b
}

// op is one operation from the bridge.
type op struct {
	Op       string
	Sid      int
	Seq      int
	Handle   int
	Method   string
	Args     []byte
	URL      string
	Delta    bool
	Traffic  bool
	Progress int // ms between GetProgress polls; 0: off
	Timeout  int
	Code     int
	Reason   string
	Suspend  bool   // open: suspendOnClose
	Attach   bool   // resume: onlyIfAttached
	ID       int64  // call, cancel: the JSON-RPC request id the page chose
	Sock     string // open: the page's socket factory (createSocket), by token
	Type     string // register: qType, qGenericType and qGenericId
	GType    string
	ObjID    string
}

func (o *op) read(l *jlexer.Lexer) {
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch key {
		case "op":
			o.Op = l.String()
		case "sid":
			o.Sid = l.Int()
		case "seq":
			o.Seq = l.Int()
		case "h":
			o.Handle = l.Int()
		case "m":
			o.Method = l.String()
		case "a":
			o.Args = l.Raw()
		case "url":
			o.URL = l.String()
		case "delta":
			o.Delta = l.Bool()
		case "traffic":
			o.Traffic = l.Bool()
		case "progress":
			o.Progress = l.Int()
		case "timeout":
			o.Timeout = l.Int()
		case "code":
			o.Code = l.Int()
		case "reason":
			o.Reason = l.String()
		case "suspendOnClose":
			o.Suspend = l.Bool()
		case "onlyIfAttached":
			o.Attach = l.Bool()
		case "id":
			o.ID = l.Int64()
		case "sock":
			o.Sock = l.String()
		case "ty":
			o.Type = l.String()
		case "gt":
			o.GType = l.String()
		case "oid":
			o.ObjID = l.String()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
}

// post runs inside a js.Func callback: it must never block. Dialing and
// anything else that waits runs in goroutines.
func (b *backend) post(batch string) {
	l := jlexer.Lexer{Data: []byte(batch)}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var o op
		o.read(&l)
		l.WantComma()
		if l.Ok() {
			b.run(&o)
		}
	}
	if err := l.Error(); err != nil {
		b.event(0, "error", func(w *jwriter.Writer) {
			w.RawString(`,"message":`)
			w.String("qix-wasm: bad batch from the bridge: " + err.Error())
		})
	}
}

// run executes one op; a panic becomes a rejection of that op, never a dead
// module.
func (b *backend) run(o *op) {
	defer func() {
		if r := recover(); r != nil {
			b.fail(o.Seq, fmt.Errorf("qix-wasm: internal error in %s: %v\n%s", o.Op, r, debug.Stack()))
		}
	}()
	switch o.Op {
	case "schema":
		b.resolveBody(o.Seq, qixcore.SchemaJSON(), "")
	case "url":
		u, err := buildURL(o.Args)
		if err != nil {
			b.fail(o.Seq, err)
			return
		}
		b.resolveBody(o.Seq, u, "")
	case "open":
		go b.open(*o)
	case "call":
		b.call(o)
	case "cancel":
		if s := b.session(o.Sid); s != nil && o.ID > 0 {
			s.qs.Cancel(o.ID)
		}
	case "register":
		// session.getObjectApi: the page names a handle it learned itself
		// (e.g. through session.send), so calls on it can be encoded.
		s := b.session(o.Sid)
		if s == nil {
			b.fail(o.Seq, qixcore.ErrNotConnected)
			return
		}
		s.qs.Registry().Register(o.Handle, o.Type, o.GType, o.ObjID)
		b.resolveBody(o.Seq, nil, "")
	case "progress":
		if s := b.session(o.Sid); s != nil {
			s.qs.SetProgressInterval(time.Duration(o.Progress) * time.Millisecond)
		}
	case "traffic":
		if s := b.session(o.Sid); s != nil {
			s.mu.Lock()
			s.traffic = o.Traffic
			s.mu.Unlock()
		}
	case "close":
		s := b.session(o.Sid)
		if s == nil {
			b.resolveBody(o.Seq, nil, "")
			return
		}
		code := o.Code
		if code == 0 {
			code = 1000
		}
		// A close that fails leaves the socket gone all the same.
		b.async(o.Seq, func() error { _ = s.qs.CloseWith(code, o.Reason); return nil })
	case "suspend":
		s := b.session(o.Sid)
		if s == nil {
			b.fail(o.Seq, qixcore.ErrNotConnected)
			return
		}
		b.async(o.Seq, func() error { return s.qs.Suspend(o.Code, o.Reason) })
	case "resume":
		s := b.session(o.Sid)
		if s == nil {
			b.fail(o.Seq, qixcore.ErrNotConnected)
			return
		}
		// The resumed event (new handles) is queued before this reply.
		b.async(o.Seq, func() error { return s.qs.Resume(context.Background(), o.Attach) })
	default:
		b.fail(o.Seq, fmt.Errorf("qix-wasm: unknown operation %q", o.Op))
	}
}

// async runs fn in a goroutine (it blocks, which a callback must not) and
// settles op seq with its outcome.
func (b *backend) async(seq int, fn func() error) {
	go func() {
		defer b.recoverTo(seq)
		if err := fn(); err != nil {
			b.fail(seq, err)
			return
		}
		b.resolveBody(seq, nil, "")
	}()
}

func (b *backend) recoverTo(seq int) {
	if r := recover(); r != nil {
		b.fail(seq, fmt.Errorf("qix-wasm: internal error: %v", r))
	}
}

func (b *backend) session(sid int) *session {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions[sid]
}

func (b *backend) open(o op) {
	defer b.recoverTo(o.Seq)
	ctx := context.Background()
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(o.Timeout)*time.Millisecond)
		defer cancel()
	}
	t, err := dialSocket(ctx, o.URL, o.Sock)
	if err != nil {
		b.fail(o.Seq, err)
		return
	}
	s := &session{sid: o.Sid, traffic: o.Traffic}
	url, sock := o.URL, o.Sock
	s.qs = qixcore.NewSession(t, qixcore.SessionOptions{
		Delta: o.Delta,
		Conn: qixcore.ConnOptions{
			OnEvent:     func(e qixcore.Event) { b.onEvent(s, e) },
			Traffic:     true,
			CallTimeout: time.Duration(o.Timeout) * time.Millisecond,
			ExternalIDs: true,
		},
		Dial:             func(ctx context.Context) (qixcore.Transport, error) { return dialSocket(ctx, url, sock) },
		SuspendOnClose:   o.Suspend,
		ProgressInterval: time.Duration(o.Progress) * time.Millisecond,
	})
	b.mu.Lock()
	b.sessions[o.Sid] = s
	b.mu.Unlock()
	b.resolveBody(o.Seq, nil, "")
}

func (b *backend) call(o *op) {
	s := b.session(o.Sid)
	if s == nil {
		b.fail(o.Seq, qixcore.ErrNotConnected)
		return
	}
	// No context per call: a cancel op finds the call by its request id
	// (the page chose it), which spares two allocations and a timer
	// registration per call.
	seq := o.Seq
	b.inflight.Add(1)
	s.qs.InvokeID(context.Background(), o.ID, o.Handle, o.Method, o.Args, func(r qixcore.Result, err error) {
		b.inflight.Add(-1)
		if err != nil {
			b.fail(seq, err)
			return
		}
		if r.Object != nil {
			b.resolveObject(seq, r.Object)
			return
		}
		b.resolveResult(seq, r)
	})
}

func (b *backend) onEvent(s *session, e qixcore.Event) {
	switch e.Kind {
	case qixcore.EventChanged, qixcore.EventClosed, qixcore.EventSuspended:
		name := map[qixcore.EventKind]string{qixcore.EventChanged: "changed", qixcore.EventClosed: "closed", qixcore.EventSuspended: "suspended"}[e.Kind]
		b.event(s.sid, name, func(w *jwriter.Writer) {
			w.RawString(`,"h":[`)
			for i, h := range e.Handles {
				if i > 0 {
					w.RawByte(',')
				}
				w.Int(h)
			}
			w.RawByte(']')
		})
	case qixcore.EventNotification:
		b.eventBody(s.sid, "notification", e.Params, func(w *jwriter.Writer) {
			w.RawString(`,"m":`)
			w.String(e.Method)
		})
	case qixcore.EventTraffic:
		s.mu.Lock()
		on := s.traffic
		s.mu.Unlock()
		if on {
			data := e.Data
			if data == nil && e.Frame != nil {
				data = e.Frame.Full() // someone listens: worth the copy
			}
			b.eventBody(s.sid, "traffic", data, func(w *jwriter.Writer) {
				if e.Sent {
					w.RawString(`,"dir":"sent"`)
				} else {
					w.RawString(`,"dir":"received"`)
				}
			})
		}
	case qixcore.EventProgress:
		b.eventBody(s.sid, "progress", e.Params, func(w *jwriter.Writer) {
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
		b.event(s.sid, "sessionsuspended", func(w *jwriter.Writer) {
			w.RawString(`,"err":`)
			writeError(w, e.Err)
		})
	case qixcore.EventSessionResumed:
		b.event(s.sid, "sessionresumed", func(w *jwriter.Writer) {
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
			w.RawString(`],"h":[`)
			for i, h := range e.Handles {
				if i > 0 {
					w.RawByte(',')
				}
				w.Int(h)
			}
			w.RawByte(']')
		})
	case qixcore.EventConnClosed:
		b.mu.Lock()
		delete(b.sessions, s.sid)
		b.mu.Unlock()
		b.event(s.sid, "sessionclosed", func(w *jwriter.Writer) {
			w.RawString(`,"err":`)
			writeError(w, e.Err)
		})
	}
}

// --- reply queue -------------------------------------------------------

func (b *backend) item(fn func(w *jwriter.Writer)) {
	b.mu.Lock()
	if b.outN > 0 {
		b.out.RawByte(',')
	}
	b.outN++
	fn(&b.out)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// addBody appends p to the pending body buffer and writes its place.
// Call with b.mu held.
func (b *backend) addBody(w *jwriter.Writer, p []byte) {
	w.RawString(`,"o":`)
	w.Int(len(b.body))
	w.RawString(`,"n":`)
	w.Int(len(p))
	b.body = append(b.body, p...)
}

func (b *backend) resolveBody(seq int, body []byte, outKey string) {
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"r","seq":`)
		w.Int(seq)
		if body != nil {
			b.addBody(w, body)
		}
		if outKey != "" {
			w.RawString(`,"k":`)
			w.String(outKey)
		}
		w.RawByte('}')
	})
}

func (b *backend) resolveResult(seq int, r qixcore.Result) {
	var text js.Value
	if r.Span != nil {
		var ok bool
		if text, ok = takeSpan(r.Span); !ok {
			b.fail(seq, errors.New("qix-wasm: failed to read the result: its frame is gone"))
			return
		}
	}
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"r","seq":`)
		w.Int(seq)
		if r.Span != nil {
			// The result's text crosses as a string beside the body.
			w.RawString(`,"s":`)
			w.Int(len(b.strs))
			b.strs = append(b.strs, text)
		} else {
			b.addBody(w, r.Body)
		}
		if r.OutKey != "" {
			w.RawString(`,"k":`)
			w.String(r.OutKey)
		}
		if r.Return {
			w.RawString(`,"q":1`)
		}
		if r.Delta {
			w.RawString(`,"d":1,"c":`)
			w.String(r.CacheKey)
		}
		w.RawByte('}')
	})
}

func (b *backend) resolveObject(seq int, o *qixcore.RemoteObject) {
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"r","seq":`)
		w.Int(seq)
		w.RawString(`,"obj":{"h":`)
		w.Int(o.Handle)
		w.RawString(`,"ty":`)
		w.String(o.Type)
		w.RawString(`,"gt":`)
		w.String(o.GenericType)
		w.RawString(`,"id":`)
		w.String(o.ID)
		w.RawString(`}}`)
	})
}

func (b *backend) fail(seq int, err error) {
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"e","seq":`)
		w.Int(seq)
		w.RawString(`,"err":`)
		writeError(w, err)
		w.RawByte('}')
	})
}

func (b *backend) event(sid int, name string, extra func(w *jwriter.Writer)) {
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"ev","sid":`)
		w.Int(sid)
		w.RawString(`,"ev":`)
		w.String(name)
		extra(w)
		w.RawByte('}')
	})
}

func (b *backend) eventBody(sid int, name string, body []byte, extra func(w *jwriter.Writer)) {
	b.item(func(w *jwriter.Writer) {
		w.RawString(`{"t":"ev","sid":`)
		w.Int(sid)
		w.RawString(`,"ev":`)
		w.String(name)
		if body != nil {
			b.addBody(w, body)
		}
		extra(w)
		w.RawByte('}')
	})
}

// writeError writes err as the bridge's error object: kind plus the fields
// of the typed error, so the page builds an Error like enigma.js's.
func writeError(w *jwriter.Writer, err error) {
	var ee *qixcore.EngineError
	var ce *qixcore.CloseError
	var cl *qixcore.ClientError
	w.RawByte('{')
	switch {
	case errors.As(err, &ee):
		w.RawString(`"kind":"engine","code":`)
		w.Int(ee.Code)
		w.RawString(`,"parameter":`)
		w.String(ee.Parameter)
		w.RawString(`,"message":`)
		w.String(ee.Message)
		w.RawString(`,"name":`)
		w.String(ee.Name())
		w.RawString(`,"method":`)
		w.String(ee.Method)
		w.RawString(`,"handle":`)
		w.Int(ee.Handle)
	case errors.As(err, &ce):
		w.RawString(`"kind":"close","code":`)
		w.Int(ce.Code)
		w.RawString(`,"reason":`)
		w.String(ce.Reason)
		w.RawString(`,"qepCode":`)
		w.String(ce.QEPCode)
		w.RawString(`,"traceId":`)
		w.String(ce.TraceID)
	case errors.As(err, &cl):
		w.RawString(`"kind":"client","code":`)
		w.Int(cl.Code)
	default:
		w.RawString(`"kind":"client","code":-1`)
	}
	w.RawString(`,"text":`)
	w.String(err.Error())
	w.RawByte('}')
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
	onTick := js.FuncOf(func(js.Value, []js.Value) any {
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
		ask := b.outN > 0 && !b.flushAsked
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
	if b.outN == 0 {
		b.mu.Unlock()
		return
	}
	b.out.RawByte(']')
	hdr, _ := b.out.BuildBytes()
	body, strs := b.body, b.strs
	b.out = jwriter.Writer{}
	b.out.RawByte('[')
	b.outN = 0
	b.body, b.strs = nil, nil
	b.mu.Unlock()
	var u8, texts any
	if len(body) > 0 {
		arr := b.u8.New(len(body))
		js.CopyBytesToJS(arr, body)
		u8 = arr
	}
	if len(strs) > 0 {
		arr := js.Global().Get("Array").New(len(strs))
		for i, v := range strs {
			arr.SetIndex(i, v)
		}
		texts = arr
	}
	b.reply.Invoke(string(hdr), u8, texts)
}
