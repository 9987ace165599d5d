//go:build js && wasm

package main

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/bridge"
	"github.com/qix-wasm/qix-wasm/internal/jsonw"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// backend owns every session of one page (or worker) and the reply queue.
type backend struct {
	reply js.Value // func(headerAddr, headerLen, bodyAddr, bodyLen, texts string[]|null)

	mu       sync.Mutex
	sessions map[int]*session
	replies  bridge.Replies // the items of the next crossing (under mu)
	texts    []js.Value     // their result texts, in the order replies counts them
	wake     chan struct{}

	flushAsked bool // a MessageChannel tick is on its way
	// inflight: calls sent and not settled, all sessions. JS reads it in
	// place (qix-socket.js: a frame that is the only reply awaited crosses
	// at once).
	inflight atomic.Int32
}

type session struct {
	sid int
	qs  *qixcore.Session
	// traffic: the page listens to the traffic log (the inspector). Conn
	// asks it before each message (TrafficGate), so a session nobody
	// inspects copies no frame and emits no event for it.
	traffic atomic.Bool
}

func newBackend() *backend {
	b := &backend{
		sessions: map[int]*session{},
		wake:     make(chan struct{}, 1),
	}
	return b
}

// post runs inside a js.Func callback: it must never block. Dialing and
// anything else that waits runs in goroutines.
func (b *backend) post(batch []byte) {
	if err := bridge.DecodeBatch(batch, b.run); err != nil {
		b.queue(func(r *bridge.Replies) {
			r.Event(0, "error", nil, func(w *jsonw.Writer) {
				w.RawString(`,"message":`)
				w.String("qix-wasm: " + err.Error())
			})
		})
	}
}

// run executes one op; a panic becomes a rejection of that op, never a dead
// module.
func (b *backend) run(o *bridge.Op) {
	defer func() {
		if r := recover(); r != nil {
			b.fail(o.Seq, errors.New("qix-wasm: internal error in "+o.Op+": "+panicText(r)+"\n"+string(stack())))
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
	case "stats":
		go b.stats(o.Seq, o.GC) // debugStats(): runtime.GC blocks
	case "progress":
		if s := b.session(o.Sid); s != nil {
			s.qs.SetProgressInterval(time.Duration(o.Progress) * time.Millisecond)
		}
	case "traffic":
		if s := b.session(o.Sid); s != nil {
			s.traffic.Store(o.Traffic)
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
	case "nudge":
		// The page came back online or into view: a reconnecting session
		// tries at once (the decision stays in Go).
		if s := b.session(o.Sid); s != nil {
			s.qs.Nudge()
		}
	case "ack":
		// The page has applied o.ID resumes' handle moves.
		if s := b.session(o.Sid); s != nil {
			s.qs.AckResume(int(o.ID))
		}
	case "resume":
		s := b.session(o.Sid)
		if s == nil {
			b.fail(o.Seq, qixcore.ErrNotConnected)
			return
		}
		// The resumed event (new handles) is queued before this reply.
		b.async(o.Seq, func() error { return s.qs.Resume(context.Background(), o.Attach) })
	default:
		b.fail(o.Seq, errors.New("qix-wasm: unknown operation "+strconv.Quote(o.Op)))
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
		b.fail(seq, errors.New("qix-wasm: internal error: "+panicText(r)))
	}
}

// panicText is what %v printed for the values panics carry here (runtime
// errors, errors, strings); it keeps fmt, and the reflection fmt needs,
// out of qix.wasm.
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	case int:
		return strconv.Itoa(v)
	}
	return "a panic value of an unprintable type"
}

func (b *backend) session(sid int) *session {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessions[sid]
}

func (b *backend) open(o bridge.Op) {
	defer b.recoverTo(o.Seq)
	ctx := context.Background()
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(o.Timeout)*time.Millisecond)
		defer cancel()
	}
	auto, err := qixcore.ParseAutoResume(o.Args)
	if err != nil {
		b.fail(o.Seq, err)
		return
	}
	t, err := dialSocket(ctx, o.URL, o.Sock)
	if err != nil {
		b.fail(o.Seq, err)
		return
	}
	s := &session{sid: o.Sid}
	s.traffic.Store(o.Traffic)
	url, sock := o.URL, o.Sock
	s.qs = qixcore.NewSession(t, qixcore.SessionOptions{
		Delta: o.Delta,
		Conn: qixcore.ConnOptions{
			OnEvent:     func(e qixcore.Event) { b.onEvent(s, e) },
			Traffic:     true,
			TrafficGate: s.traffic.Load,
			CallTimeout: time.Duration(o.Timeout) * time.Millisecond,
			ExternalIDs: true,
		},
		Dial:             func(ctx context.Context) (qixcore.Transport, error) { return dialSocket(ctx, url, sock) },
		SuspendOnClose:   o.Suspend,
		ProgressInterval: time.Duration(o.Progress) * time.Millisecond,
		AutoResume:       auto,
		// The page learns a resume's new handles a turn later (ack).
		HandleEpochs:  true,
		ModalRecovery: qixcore.ParseModalRecovery(o.Modal),
	})
	b.mu.Lock()
	b.sessions[o.Sid] = s
	b.mu.Unlock()
	b.resolveBody(o.Seq, nil, "")
}

func (b *backend) call(o *bridge.Op) {
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
		b.resolveResult(seq, s.sid, r)
	})
}
