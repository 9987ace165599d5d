package qixcore

import (
	"context"
	"errors"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
)

// EventKind tells what an Event reports.
type EventKind int

const (
	// EventNotification is a message with a method and no id
	// (OnConnected, OnAuthenticationInformation, proxy notifications).
	EventNotification EventKind = iota + 1
	// EventChanged lists handles whose layout may have changed.
	EventChanged
	// EventClosed lists handles that no longer exist; Objects holds the
	// registry entries that were removed.
	EventClosed
	// EventSuspended lists handles the engine suspended.
	EventSuspended
	// EventTraffic is one raw message, sent or received (only when
	// ConnOptions.Traffic is set).
	EventTraffic
	// EventConnClosed is the last event: the connection is gone; Err is
	// the terminal error and Objects the handles that went with it.
	EventConnClosed
	// EventSessionSuspended reports that a Session's socket closed while
	// its objects were kept for Resume; Err says why (ErrSuspended for
	// Suspend, the CloseError with SuspendOnClose).
	EventSessionSuspended
	// EventSessionResumed reports a successful Resume: Remap lists the
	// objects that survived with their new handles, Handles and Objects
	// the ones that could not be restored (now closed).
	EventSessionResumed
	// EventProgress is one Global.GetProgress poll for a call in flight
	// (OpenDoc, DoReload, DoReloadEx, DoSave; see
	// SessionOptions.ProgressInterval): Method and RequestID name the
	// call, Handles[0] its object, Params holds the raw result
	// ({"qProgressData":…}) and Final marks the poll after it settled.
	EventProgress
	// EventReconnecting reports that automatic resume (see AutoResume)
	// will try to reconnect: Attempt counts from 1, Delay is the wait
	// before this attempt and Err why the previous socket or attempt
	// failed. The attempt ends in EventSessionResumed, another
	// EventReconnecting, or EventConnClosed when resume gives up.
	EventReconnecting
	// EventStrayFrame reports a received frame that named no call (see
	// StrayReason): Err is a ClientError of kind KindProtocol saying why,
	// without the frame's content, and Count the number of such frames
	// so far (per connection; a Session counts across its connections).
	// Nothing waits on such a frame, so it is dropped after the report.
	EventStrayFrame
	// EventLateDelta reports a delta result that arrived after the client
	// gave up on its call (cancelled, timed out): the engine diffs each
	// result against the previous one it sent for the same handle and
	// method, so the client's delta cache must apply this one too or every
	// later patch lands on the wrong base. Result holds it (Delta,
	// CacheKey, Body or Span; valid during the OnEvent call only) and
	// RequestID names the call. Late errors and plain results are dropped.
	EventLateDelta
)

// Event is something the connection observed. Events are delivered in the
// order messages arrived; the change/close lists of a response are
// delivered before that response's call completes.
type Event struct {
	Kind    EventKind
	Method  string // EventNotification
	Params  []byte // EventNotification: raw JSON params
	Handles []int  // EventChanged, EventClosed, EventSuspended
	Objects []*RemoteObject
	Sent    bool         // EventTraffic: direction
	Data    []byte       // EventTraffic: the raw message (nil when Frame is set)
	Frame   *ElidedFrame // EventTraffic: a received message kept outside Go
	Err     error        // EventConnClosed, EventSessionSuspended
	Remap   []Rebound    // EventSessionResumed
	// EventProgress: the call polled for, and whether it had settled;
	// EventLateDelta: the call the late result answers.
	RequestID int64
	Final     bool
	// EventReconnecting: the attempt and the wait before it;
	// EventConnClosed: how many automatic attempts failed before the
	// session gave up (0 when none was made).
	Attempt int
	Delay   time.Duration
	// EventStrayFrame: why the frame named no call, and how many frames
	// did so far.
	Stray StrayReason
	Count int64
	// EventLateDelta: the late delta result.
	Result *Result
}

// ConnOptions configures a Conn.
type ConnOptions struct {
	// OnEvent receives events on the connection's read goroutine. It must
	// not block.
	OnEvent func(Event)
	// Traffic enables EventTraffic for every message in both directions.
	Traffic bool
	// TrafficGate, when set, is asked before each EventTraffic: a client
	// that turns traffic on and off at run time spares the copies while
	// nobody listens.
	TrafficGate func() bool
	// Registry receives the change/close lists; nil creates one.
	Registry *Registry
	// CallTimeout bounds every call whose context has no deadline; 0
	// means no bound.
	CallTimeout time.Duration
	// KeepRegistry leaves the registry as it is when the connection ends,
	// so a Session can keep its objects across a suspension; the
	// EventConnClosed then carries no Objects.
	KeepRegistry bool
	// ExternalIDs says the caller numbers its calls itself (StartID, with
	// ids counting up from 1, as the page-side bridge does so that a
	// promise knows its request id synchronously). The connection's own
	// requests (CancelRequest, Start) then count down from
	// math.MaxInt32, so the two never meet and ids stay int32.
	ExternalIDs bool
}

// Request is one JSON-RPC call.
type Request struct {
	Handle int
	Method string
	Params []byte // JSON array or object; nil sends []
	Delta  bool
}

// Conn is a JSON-RPC 2.0 multiplexer over one Transport: it numbers
// requests, matches responses by id in any order, applies change/close
// lists to the handle registry and turns the server's close into one
// terminal error for every pending call.
type Conn struct {
	t      Transport
	opts   ConnOptions
	reg    *Registry
	nextID atomic.Int64

	mu          sync.Mutex
	pending     map[int64]*pendingCall
	closeErr    error // terminal error, set once
	closing     error // error to report when we closed it ourselves
	closingCode int   // the close code we sent
	done        chan struct{}

	retired retiredIDs   // ids whose late replies are expected
	strays  atomic.Int64 // frames that named no call
}

type pendingCall struct {
	req    Request
	done   func(*Message, error)
	stop   func() bool // stops the context.AfterFunc
	cancel context.CancelFunc
}

// NewConn starts a multiplexer over t. It owns t from now on.
func NewConn(t Transport, opts ConnOptions) *Conn {
	reg := opts.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	c := &Conn{t: t, opts: opts, reg: reg, pending: map[int64]*pendingCall{}, done: make(chan struct{})}
	if opts.ExternalIDs {
		c.nextID.Store(math.MaxInt32 + 1)
	}
	go c.readLoop()
	return c
}

// Registry returns the connection's handle registry.
func (c *Conn) Registry() *Registry { return c.reg }

// Done is closed once the connection has failed or been closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns the terminal error once Done is closed.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closeErr
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// Start sends req and calls done exactly once, with the response or an
// error: an *EngineError for an engine error, a *CloseError or ErrClosed
// when the connection ends first, ErrCancelled or ErrTimeout when ctx ends
// first (a CancelRequest is then sent and no entry is left behind). done
// runs on the read goroutine, or on the caller's goroutine when the call
// fails before it is sent, and must not block. Start returns the request
// id.
func (c *Conn) Start(ctx context.Context, req Request, done func(*Message, error)) int64 {
	id := c.newID()
	c.StartID(ctx, id, req, done)
	return id
}

// newID returns the id of the connection's own next request.
func (c *Conn) newID() int64 {
	if c.opts.ExternalIDs {
		return c.nextID.Add(-1)
	}
	return c.nextID.Add(1)
}

// StartID is Start with the request id chosen by the caller (see
// ConnOptions.ExternalIDs). An id that is already pending fails the new
// call (the first one stays), so a reply can never settle the wrong call.
func (c *Conn) StartID(ctx context.Context, id int64, req Request, done func(*Message, error)) {
	pc := &pendingCall{req: req, done: done}
	if c.opts.CallTimeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			ctx, pc.cancel = context.WithTimeout(ctx, c.opts.CallTimeout)
		}
	}
	if err := ctx.Err(); err != nil {
		pc.finish(nil, callCtxError(req.Method, err))
		return
	}

	// Register before write, so a reply can never beat its entry.
	c.mu.Lock()
	if c.closeErr != nil {
		err := c.closeErr
		c.mu.Unlock()
		pc.finish(nil, err)
		return
	}
	if _, dup := c.pending[id]; dup {
		c.mu.Unlock()
		pc.finish(nil, clientError(ErrNotConnected, errors.New("failed to send "+req.Method+": request id "+strconv.FormatInt(id, 10)+" is already in flight")))
		return
	}
	c.pending[id] = pc
	c.mu.Unlock()
	if ctx.Done() != nil {
		pc.stop = context.AfterFunc(ctx, func() { c.abandon(id, ctx.Err()) })
	}

	bp := bufPool.Get().(*[]byte)
	msg := AppendRequest((*bp)[:0], id, req.Handle, req.Method, req.Params, req.Delta)
	if c.traffic() {
		c.emit(Event{Kind: EventTraffic, Sent: true, Data: append([]byte(nil), msg...)})
	}
	err := c.t.Write(context.Background(), msg)
	*bp = msg
	bufPool.Put(bp)
	if err != nil {
		// Retire on write failure.
		if pc := c.take(id); pc != nil {
			pc.finish(nil, clientError(ErrNotConnected, errwrap.Wrap("failed to send "+req.Method, err)))
		}
	}
}

// Call sends req and waits for its response.
func (c *Conn) Call(ctx context.Context, req Request) (*Message, error) {
	type outcome struct {
		m   *Message
		err error
	}
	ch := make(chan outcome, 1)
	c.Start(ctx, req, func(m *Message, err error) { ch <- outcome{m, err} })
	o := <-ch
	if o.err == nil && o.m.Span != nil {
		// Call's callers read Result: fetch an elided frame whole.
		full, err := o.m.Span.Whole()
		if err != nil {
			return nil, errwrap.Wrap("failed to decode "+req.Method+" result", err)
		}
		return full, nil
	}
	return o.m, o.err
}

// Notify sends a request whose reply nobody waits for (its id is never
// registered, so the reply is dropped on arrival).
func (c *Conn) Notify(req Request) error {
	id := c.newID()
	c.retired.add(id, "")
	msg := AppendRequest(nil, id, req.Handle, req.Method, req.Params, req.Delta)
	if c.traffic() {
		c.emit(Event{Kind: EventTraffic, Sent: true, Data: msg})
	}
	if err := c.t.Write(context.Background(), msg); err != nil {
		return errwrap.Wrap("failed to send "+req.Method, err)
	}
	return nil
}

// Cancel gives up on the pending call with id: done gets ErrCancelled, the
// engine a CancelRequest, and no entry is left behind. Unknown or settled
// ids are ignored.
func (c *Conn) Cancel(id int64) {
	c.abandon(id, context.Canceled)
}

// abandon retires a call whose context ended and asks the engine to stop
// working on it.
func (c *Conn) abandon(id int64, cause error) {
	c.mu.Lock()
	pc := c.pending[id]
	if pc != nil {
		delete(c.pending, id)
		// The engine still answers it (usually with 15); retired in the
		// same step, so that answer is never taken for a stray frame; a
		// delta result computed before the cancel still reaches the
		// client's caches (EventLateDelta).
		c.retired.add(id, retiredKey(pc.req))
	}
	open := c.closeErr == nil
	c.mu.Unlock()
	if pc == nil {
		return
	}
	if open {
		_ = c.Notify(Request{Handle: -1, Method: "CancelRequest", Params: []byte(`{"qRequestId":` + strconv.FormatInt(id, 10) + `}`)})
	}
	pc.finish(nil, callCtxError(pc.req.Method, cause))
}

// callCtxError is ctxError naming the call: "qix: GetLayout timed out:
// context deadline exceeded" (code CodeTimeout) or "qix: GetLayout
// cancelled: context canceled" (CodeCancelled).
func callCtxError(method string, err error) error {
	e := ctxError(err).(*ClientError)
	if method != "" {
		if e.Kind == KindTimeout {
			e.Message = method + " timed out"
		} else {
			e.Message = method + " cancelled"
		}
	}
	return e
}

func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return clientError(ErrTimeout, err)
	}
	return clientError(ErrCancelled, err)
}

// clientError returns a copy of a ClientError sentinel carrying cause.
func clientError(sentinel *ClientError, cause error) error {
	e := *sentinel
	e.Err = cause
	return &e
}

func (c *Conn) take(id int64) *pendingCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	pc := c.pending[id]
	delete(c.pending, id)
	return pc
}

func (pc *pendingCall) finish(m *Message, err error) {
	if pc.stop != nil {
		pc.stop()
	}
	if pc.cancel != nil {
		pc.cancel()
	}
	pc.done(m, err)
}

// Pending reports how many calls wait for a reply.
func (c *Conn) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

// Close closes the connection with a close code and reason; pending calls
// fail with ErrClosed.
func (c *Conn) Close(code int, reason string) error {
	return c.closeWith(code, reason, clientError(ErrClosed, errors.New("closed by client ("+strconv.Itoa(code)+" "+reason+")")))
}

// closeWith closes the connection; pending calls fail with err.
func (c *Conn) closeWith(code int, reason string, err error) error {
	c.mu.Lock()
	if c.closing == nil && c.closeErr == nil {
		c.closing = err
		c.closingCode = code
	}
	c.mu.Unlock()
	cerr := c.t.Close(code, reason)
	<-c.done
	return cerr
}

func (c *Conn) emit(e Event) {
	if c.opts.OnEvent != nil {
		c.opts.OnEvent(e)
	}
}

// read reads the next frame, elided when the transport can elide it.
func (c *Conn) read() ([]byte, *ElidedFrame, error) {
	if ft, ok := c.t.(FrameTransport); ok {
		return ft.ReadFrame(context.Background())
	}
	data, err := c.t.Read(context.Background())
	return data, nil, err
}

// traffic reports whether EventTraffic is wanted now.
func (c *Conn) traffic() bool {
	return c.opts.Traffic && (c.opts.TrafficGate == nil || c.opts.TrafficGate())
}

func (c *Conn) readLoop() {
	var m Message
	for {
		data, elided, err := c.read()
		if err != nil {
			c.fail(err)
			return
		}
		if c.traffic() {
			c.emit(Event{Kind: EventTraffic, Data: data, Frame: elided})
		}
		if elided != nil && DecodeElided(elided, &m) {
			c.dispatch(&m, elided.Units)
			continue
		}
		if elided != nil {
			data = elided.Full()
		}
		if err := DecodeMessage(data, &m); err != nil {
			// A malformed frame is not fatal: it fails the call it names,
			// if one can be read, and is reported otherwise.
			c.undecodable(data, err)
			continue
		}
		c.dispatch(&m, len(data))
	}
}

// dispatch settles the call m answers; size is the frame's length, for
// reports (UTF-16 units for a frame kept outside Go).
func (c *Conn) dispatch(m *Message, size int) {
	var pc *pendingCall
	if m.HasID {
		pc = c.take(m.ID)
	}
	if len(m.Change) > 0 {
		c.emit(Event{Kind: EventChanged, Handles: m.Change})
	}
	if len(m.Close) > 0 {
		objs := c.reg.Remove(m.Close)
		c.emit(Event{Kind: EventClosed, Handles: m.Close, Objects: objs})
	}
	if len(m.Suspend) > 0 {
		c.emit(Event{Kind: EventSuspended, Handles: m.Suspend})
	}
	if !m.HasID && m.Method != "" {
		c.emit(Event{Kind: EventNotification, Method: m.Method, Params: m.Params})
	}
	if pc == nil {
		switch {
		case m.HasID:
			if key, ok := c.retired.take(m.ID); ok {
				c.late(m, key)
			} else {
				c.stray(StrayUnknownID, m.ID, true, size)
			}
		case !m.HasID && m.Method == "" && len(m.Change)+len(m.Close)+len(m.Suspend) == 0:
			c.stray(StrayNoID, 0, false, size)
		}
		return
	}
	if m.Error != nil {
		pc.finish(nil, &EngineError{Code: m.Error.Code, Parameter: m.Error.Parameter, Message: m.Error.Message, Method: pc.req.Method, Handle: pc.req.Handle})
		return
	}
	out := *m
	pc.finish(&out, nil)
}

// undecodable handles a frame DecodeMessage refused: the call whose id it
// names fails with a protocol error, any other frame is reported as
// stray.
func (c *Conn) undecodable(data []byte, err error) {
	id, named, reason := frameID(data)
	if named {
		if pc := c.take(id); pc != nil {
			pc.finish(nil, undecodableReply(pc.req.Method, id, len(data), err))
			return
		}
		if _, ok := c.retired.take(id); ok {
			return
		}
		reason = StrayUnknownID
	}
	c.stray(reason, id, named, len(data))
}

// stray counts and reports a frame that named no call.
func (c *Conn) stray(reason StrayReason, id int64, hasID bool, size int) {
	n := c.strays.Add(1)
	c.emit(Event{Kind: EventStrayFrame, Err: strayError(reason, id, hasID, size), Stray: reason, Count: n})
}

// StrayFrames returns how many received frames named no call.
func (c *Conn) StrayFrames() int64 { return c.strays.Load() }

// fail makes err the terminal error, fails every pending call with it and
// reports EventConnClosed.
func (c *Conn) fail(err error) {
	c.mu.Lock()
	if c.closing != nil {
		var ce *CloseError
		// The echo of our own close frame (or none) is our close.
		if !errors.As(err, &ce) || ce.Code == 1000 || ce.Code == 1005 || ce.Code == c.closingCode {
			err = c.closing
		}
	} else {
		var ce *CloseError
		if !errors.As(err, &ce) {
			err = clientError(ErrClosed, err)
		}
	}
	c.closeErr = err
	pending := c.pending
	c.pending = map[int64]*pendingCall{}
	c.mu.Unlock()
	for _, pc := range pending {
		pc.finish(nil, err)
	}
	var objs []*RemoteObject
	if !c.opts.KeepRegistry {
		objs = c.reg.Reset()
	}
	c.emit(Event{Kind: EventConnClosed, Err: err, Objects: objs})
	close(c.done)
}
