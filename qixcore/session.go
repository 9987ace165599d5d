package qixcore

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// SessionOptions configures a Session.
type SessionOptions struct {
	// Delta asks the engine for JSON-Patch results where enigma.js would
	// (methods with a single out key other than qSuccess that do not
	// return an object); the caller applies the patches.
	Delta bool
	// Conn options: events, traffic, timeout. OnEvent receives the
	// connection's events and the session's own (EventSessionSuspended,
	// EventSessionResumed); EventConnClosed comes once, when the session
	// is over for good.
	Conn ConnOptions
	// Dial opens a new socket to the same place, for Resume. Without it
	// the session cannot resume (and SuspendOnClose has no effect).
	Dial func(ctx context.Context) (Transport, error)
	// SuspendOnClose suspends the session instead of closing it when the
	// socket closes without the client asking, so Resume can bring every
	// object back.
	SuspendOnClose bool
	// ProgressInterval, when positive, polls Global.GetProgress at this
	// interval while an OpenDoc, DoReload, DoReloadEx or DoSave call is in
	// flight and reports each poll as an EventProgress.
	ProgressInterval time.Duration
	// AutoResume reconnects by itself after a network loss or a close
	// code that means "try again" (needs Dial; see AutoResume). It takes
	// precedence over SuspendOnClose, which still applies to the closes
	// automatic resume does not retry.
	AutoResume AutoResume
	// HandleEpochs says the caller names objects by the handles it knew
	// when it last called AckResume, not by RemoteObject.Handle: the
	// browser bridge, whose page learns of a resume's new handles a turn
	// later. Calls in the meantime reach the right objects.
	HandleEpochs bool
	// ModalRecovery, when not ModalRecoveryOff, ends another object's
	// selection mode with Doc.AbortModal when a call fails with 6003 and
	// sends the call again, once (see modal.go).
	ModalRecovery ModalRecovery
}

// SessionState is where a Session is in its life.
type SessionState int

// Session states.
const (
	// StateOpen: calls go to the engine.
	StateOpen SessionState = iota + 1
	// StateSuspended: the socket is gone, the objects are kept; calls fail
	// with ErrSuspended until Resume succeeds.
	StateSuspended
	// StateResuming: Resume is restoring the objects on a new socket.
	StateResuming
	// StateClosed: the session is over.
	StateClosed
)

func (st SessionState) String() string {
	switch st {
	case StateOpen:
		return "open"
	case StateSuspended:
		return "suspended"
	case StateResuming:
		return "resuming"
	case StateClosed:
		return "closed"
	}
	return "SessionState(" + strconv.Itoa(int(st)) + ")"
}

// Session is a QIX session: the multiplexer plus the schema rules enigma.js
// users expect (named parameters, result unwrapping, one object per
// handle). It outlives its socket when suspended: Resume dials again and
// rebinds every object it can to its new handle.
type Session struct {
	opts  SessionOptions
	reg   *Registry
	delta bool
	// progressEvery is SessionOptions.ProgressInterval.
	progressEvery time.Duration

	mu          sync.Mutex
	conn        *Conn
	gen         int // which conn events count: older ones are ignored
	state       SessionState
	closing     bool        // Close was called: the end is not a suspension
	suspending  bool        // Suspend was called
	openDoc     []byte      // params of the last OpenDoc, to reopen after a new session
	onConnected chan string // qSessionState of the conn being resumed

	auto         AutoResume    // with defaults filled in
	reconnecting bool          // an automatic resume is under way
	nudge        chan struct{} // try now (Nudge)
	stopAuto     chan struct{} // closed when the session ends
	waiting      []*waitingCall
	epochs       handleEpochs
	props        map[*RemoteObject]*sessionProps // session objects to recreate
	strays       atomic.Int64                    // frames that named no call, all connections

	modalRetries map[int64]*modalRetry // calls between a 6003 and their second sending
}

// NewSession starts a session over t.
func NewSession(t Transport, opts SessionOptions) *Session {
	reg := opts.Conn.Registry
	if reg == nil {
		reg = NewRegistry()
	}
	s := &Session{opts: opts, reg: reg, delta: opts.Delta, progressEvery: opts.ProgressInterval, state: StateOpen,
		nudge: make(chan struct{}, 1), stopAuto: make(chan struct{})}
	if opts.AutoResume.Enabled && opts.Dial != nil {
		s.auto = opts.AutoResume.withDefaults()
	}
	s.mu.Lock()
	s.conn = s.newConn(t)
	s.mu.Unlock()
	return s
}

// newConn starts a connection whose events the session filters. s.mu held.
func (s *Session) newConn(t Transport) *Conn {
	s.gen++
	gen := s.gen
	co := s.opts.Conn
	co.Registry = s.reg
	co.KeepRegistry = true
	co.OnEvent = func(e Event) { s.connEvent(gen, e) }
	return NewConn(t, co)
}

// Conn returns the current connection.
func (s *Session) Conn() *Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

// Cancel gives up on the call with request id (from Invoke): its done
// gets ErrCancelled and the engine a CancelRequest. Cheaper than a
// cancellable context per call when calls are many.
func (s *Session) Cancel(id int64) {
	if s.cancelWaiting(id) || s.cancelModalRetry(id) {
		return
	}
	s.Conn().Cancel(id)
}

// StrayFrames returns how many received frames named no call, over every
// connection the session had (see EventStrayFrame).
func (s *Session) StrayFrames() int64 { return s.strays.Load() }

// Registry returns the session's handle registry.
func (s *Session) Registry() *Registry { return s.reg }

// State returns the session's state.
func (s *Session) State() SessionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// Close closes the session's socket with a normal close.
func (s *Session) Close() error { return s.CloseWith(1000, "") }

// CloseWith ends the session with a close code and reason. Pending calls
// fail with ErrClosed and every object is dropped, suspended or not.
func (s *Session) CloseWith(code int, reason string) error {
	s.mu.Lock()
	s.closing = true
	c, st := s.conn, s.state
	s.mu.Unlock()
	switch st {
	case StateSuspended:
		s.finish(clientError(ErrClosed, errors.New("closed by client ("+strconv.Itoa(code)+" "+reason+")")))
		return nil
	case StateResuming:
		// The resume under way sees its socket go and gives up.
		err := c.Close(code, reason)
		s.finish(clientError(ErrClosed, errors.New("closed by client ("+strconv.Itoa(code)+" "+reason+")")))
		return err
	}
	return c.Close(code, reason)
}

// emit passes a session-level event on.
func (s *Session) emit(e Event) {
	if s.opts.Conn.OnEvent != nil {
		s.opts.Conn.OnEvent(e)
	}
}

// connEvent filters the events of connection gen: a stale connection's
// are dropped, handle lists wait while a resume renumbers the objects, and
// the end of the socket becomes a suspension or the end of the session.
func (s *Session) connEvent(gen int, e Event) {
	s.mu.Lock()
	if gen != s.gen {
		s.mu.Unlock()
		return
	}
	st := s.state
	if e.Kind == EventNotification && e.Method == "OnConnected" && s.onConnected != nil {
		select {
		case s.onConnected <- sessionState(e.Params):
		default:
		}
	}
	if e.Kind != EventConnClosed {
		s.mu.Unlock()
		if e.Kind == EventStrayFrame {
			e.Count = s.strays.Add(1)
		}
		if st == StateResuming && (e.Kind == EventChanged || e.Kind == EventClosed || e.Kind == EventSuspended) {
			return // handles of the new socket; the resume reports them
		}
		if e.Kind == EventClosed && len(e.Objects) > 0 {
			s.forgetProps(e.Objects)
		}
		s.emit(e)
		return
	}
	switch {
	case st == StateResuming:
		// Resume sees the failure through its calls and decides.
		s.mu.Unlock()
	case st == StateOpen && !s.closing && !s.suspending && s.auto.Enabled && AutoResumable(e.Err):
		s.state = StateSuspended
		s.reconnecting = true
		s.mu.Unlock()
		go s.autoResume(e.Err)
	case s.suspending || (st == StateOpen && !s.closing && s.opts.SuspendOnClose && s.opts.Dial != nil):
		s.suspending = false
		s.state = StateSuspended
		s.mu.Unlock()
		s.emit(Event{Kind: EventSessionSuspended, Err: e.Err})
	default:
		s.mu.Unlock()
		s.finish(e.Err)
	}
}

// finish ends the session: every object goes, EventConnClosed reports err.
func (s *Session) finish(err error) { s.finishAttempts(err, 0) }

// finishAttempts is finish after attempts failed automatic resumes: the
// calls waiting for the resume fail with err too.
func (s *Session) finishAttempts(err error, attempts int) {
	s.mu.Lock()
	if s.state == StateClosed {
		s.mu.Unlock()
		return
	}
	s.state = StateClosed
	s.gen++ // nothing more from any socket
	s.reconnecting = false
	s.props = nil
	close(s.stopAuto)
	waiting := s.takeWaitingLocked()
	s.mu.Unlock()
	for _, w := range waiting {
		w.done(Result{}, err)
	}
	objs := s.reg.Reset()
	s.emit(Event{Kind: EventConnClosed, Err: err, Objects: objs, Attempt: attempts})
}

// Result is the outcome of Invoke. Either Object is set (the call returned
// a remote object) or Body holds the raw result, to be parsed by the
// receiver and unwrapped: take Body[OutKey] when OutKey is set. When Delta
// is set each key of Body holds a JSON-Patch array to apply to the value
// cached under CacheKey+"-"+key (the enigma.js delta rule).
type Result struct {
	Object *RemoteObject
	Body   []byte
	// Span, instead of Body, locates the result inside a large frame that
	// the transport kept outside Go (see ElidedFrame).
	Span   *ResultSpan
	OutKey string
	// Return says that a qReturn member, when the reply has one, is the
	// value instead of OutKey (enigma.js's rule: qReturn whenever the
	// reply has it, except for the methods whose qReturn is a status
	// flag). The receiver checks for it after parsing, so Go never scans
	// a large result.
	Return   bool
	Delta    bool
	CacheKey string
}

// Invoke calls method on handle with args, the JSON array of the caller's
// arguments (as a JavaScript caller passed them). It maps named arguments
// to positional ones, decides delta, and unwraps the result as enigma.js
// does, without scanning large results. done runs exactly once, on the
// read goroutine or the caller's, and must not block.
//
// Invoke returns the request id (0 when the call failed before it was
// sent), for Cancel.
func (s *Session) Invoke(ctx context.Context, handle int, method string, args []byte, done func(Result, error)) int64 {
	return s.InvokeID(ctx, 0, handle, method, args, done)
}

// InvokeID is Invoke with the request id chosen by the caller (id > 0,
// with ConnOptions.ExternalIDs); id 0 lets the connection choose. It
// returns the id used, 0 when the call failed before it was sent.
//
// While automatic resume reconnects, the call waits for it (see
// AutoResume.FailFast and QueueTimeout); it is then sent on the new
// socket, with its handle remapped.
func (s *Session) InvokeID(ctx context.Context, id int64, handle int, method string, args []byte, done func(Result, error)) int64 {
	s.mu.Lock()
	st := s.state
	from := s.epochs.current
	if s.opts.HandleEpochs {
		from = s.epochs.acked
	}
	if st == StateSuspended || st == StateResuming {
		if s.reconnecting && !s.auto.FailFast {
			s.enqueueLocked(ctx, id, handle, from, method, args, done)
			s.mu.Unlock()
			return id
		}
		s.mu.Unlock()
		done(Result{}, clientError(ErrSuspended, errors.New("failed to call "+method+": session suspended")))
		return 0
	}
	if s.auto.Enabled && !s.auto.FailFast && !s.closing && !s.suspending {
		if err := s.conn.Err(); err != nil && AutoResumable(err) {
			// The socket is gone and the session is about to reconnect:
			// the call waits like the ones made once it has begun.
			s.enqueueLocked(ctx, id, handle, from, method, args, done)
			s.mu.Unlock()
			return id
		}
	}
	h, ok := s.epochs.translate(from, handle)
	s.mu.Unlock()
	if !ok {
		done(Result{}, clientError(ErrObjectNotFound, errors.New("failed to call "+method+": handle "+strconv.Itoa(handle)+" did not survive the resume")))
		return 0
	}
	return s.invoke(ctx, id, h, method, args, done)
}

// invoke is InvokeID once the handle is in the current numbering.
func (s *Session) invoke(ctx context.Context, id int64, handle int, method string, args []byte, done func(Result, error)) int64 {
	s.mu.Lock()
	c := s.conn
	s.mu.Unlock()
	obj, ok := s.reg.Get(handle)
	if !ok {
		done(Result{}, clientError(ErrObjectNotFound, errors.New("handle "+strconv.Itoa(handle)+" is not open")))
		return 0
	}
	m, known := LookupMethod(obj.Type, method)
	params := args
	if known {
		p, err := EncodeParams(m, args)
		if err != nil {
			done(Result{}, errwrap.Wrap("failed to encode "+method+" params", err))
			return 0
		}
		params = p
	}
	outKey := ""
	returnsObject := !known
	if known {
		outKey = m.OutKey()
		returnsObject = m.ReturnsObject
	}
	// enigma.js's rule, on its own out list (which never names qReturn).
	delta := false
	if s.delta && known && !returnsObject {
		k := m.schemaOutKey()
		delta = k != "" && k != "qSuccess"
	}
	if handle == -1 && method == "OpenDoc" {
		s.mu.Lock()
		s.openDoc = append([]byte(nil), params...)
		s.mu.Unlock()
	}
	req := Request{Handle: handle, Method: method, Params: params, Delta: delta}
	// Session objects and variables come back in a new engine session
	// from their last properties.
	track := s.opts.Dial != nil && (recreateMethod(method) || method == "SetProperties" || method == "ApplyPatches")
	finish := func(msg *Message, err error) {
		if err != nil {
			done(Result{}, err)
			return
		}
		if msg.Result == nil && msg.Span == nil {
			done(Result{}, clientError(ErrProtocol, errors.New("the reply to "+method+" has neither a result nor an error")))
			return
		}
		if track && !returnsObject {
			s.noteResult(c, handle, method, params, nil)
		}
		if msg.Span != nil && returnsObject {
			// Object references are small: a large one is read whole.
			full, err := msg.Span.Whole()
			if err != nil {
				done(Result{}, readError(method, err))
				return
			}
			msg = full
		}
		if returnsObject {
			r, err := s.objectResult(msg.Result, outKey, method, params)
			if err != nil {
				done(Result{}, readError(method, err))
				return
			}
			if track && r.Object != nil {
				s.noteResult(c, handle, method, params, r.Object)
			}
			done(r, nil)
			return
		}
		r := Result{Body: msg.Result, Span: msg.Span, OutKey: outKey, Return: !ignoresReturn(method), Delta: msg.Delta}
		if msg.Delta {
			r.CacheKey = strconv.Itoa(handle) + "-" + method
		}
		done(r, nil)
	}
	s.mu.Lock()
	every := s.progressEvery
	s.mu.Unlock()
	if every > 0 && progressMethod(method) {
		settled := make(chan struct{})
		inner := finish
		finish = func(msg *Message, err error) {
			close(settled)
			inner(msg, err)
		}
		defer func() {
			if id != 0 {
				go s.watchProgress(c, handle, method, id, every, settled)
			}
		}()
	}
	if id == 0 {
		id = c.newID()
	}
	c.StartID(ctx, id, req, s.withModalRecovery(ctx, c, id, req, finish))
	return id
}

// readError is the error of a result that cannot be read: a typed error
// objectResult made (not found, the handle rule) as it is, anything else
// (a result that is not JSON) a protocol error.
func readError(method string, err error) error {
	var ce *ClientError
	if errors.As(err, &ce) {
		return errwrap.Wrap("failed to read "+method+" result", err)
	}
	return clientError(ErrProtocol, errwrap.Wrap("failed to read "+method+" result", safeDecodeError(err)))
}

// objectResult reads a small result that may name a remote object, applying
// enigma.js's data rules: qReturn (or the out key) holding qHandle and
// qType is an object; both null means not found; anything else is a
// plain value.
func (s *Session) objectResult(body []byte, outKey, method string, params []byte) (Result, error) {
	ref, hasReturn, sessionAppID, err := readReturn(body, outKey)
	if err != nil {
		return Result{}, err
	}
	if hasReturn && ref.isObject() {
		id := ref.id
		if sessionAppID != "" {
			id = sessionAppID
		}
		o, err := s.reg.Bind(ref.handle, ref.qType, ref.genericType, id)
		if err != nil {
			return Result{}, clientError(ErrProtocol, errwrap.Wrap(method, err))
		}
		return Result{Object: o}, nil
	}
	if hasReturn && ref.badHandle {
		return Result{}, clientError(ErrProtocol, errwrap.Wrap(method, errHandleNotInteger))
	}
	if hasReturn && ref.isNull() {
		// Name what was asked for: "GetObject ["chart-1"]: the engine has no such object".
		p := string(RedactParams(method, params))
		if len(p) > 120 {
			p = p[:117] + "..."
		}
		return Result{}, clientError(ErrObjectNotFound, errors.New(method+" "+RedactText(p)+": the engine has no such object"))
	}
	key := outKey
	if hasReturn {
		key = "qReturn"
	}
	return Result{Body: body, OutKey: key}, nil
}

// readReturn reads the object reference under qReturn (or outKey) of a
// small result, and qSessionAppId when present.
func readReturn(body []byte, outKey string) (ref objectRef, hasReturn bool, sessionAppID string, err error) {
	l := jsonr.Lexer{Data: body}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch {
		case key == "qReturn" || (outKey != "" && key == outKey):
			hasReturn = true
			if l.IsDelim('{') {
				ref.read(&l)
			} else {
				l.SkipRecursive()
			}
		case key == "qSessionAppId":
			sessionAppID = l.String()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	return ref, hasReturn, sessionAppID, l.Error()
}

// objectRef is a qReturn object reference as the engine writes it.
type objectRef struct {
	handle                       int
	qType, genericType, id       string
	sawHandle, sawType           bool
	handleNull, typeNull, nonRef bool
	badHandle                    bool // qHandle is not an integer (see readHandle)
}

func (r *objectRef) read(l *jsonr.Lexer) {
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch key {
		case "qHandle":
			r.sawHandle = true
			if l.IsNull() {
				l.Skip()
				r.handleNull = true
			} else {
				r.handle, r.badHandle = readHandle(l)
			}
		case "qType":
			r.sawType = true
			if l.IsNull() {
				l.Skip()
				r.typeNull = true
			} else {
				r.qType = l.String()
			}
		case "qGenericType":
			if l.IsNull() {
				l.Skip()
			} else {
				r.genericType = l.String()
			}
		case "qGenericId":
			if l.IsNull() {
				l.Skip()
			} else {
				r.id = l.String()
			}
		default:
			r.nonRef = true
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
}

func (r *objectRef) isObject() bool {
	return r.sawHandle && r.sawType && !r.handleNull && !r.typeNull && !r.badHandle && r.qType != ""
}

func (r *objectRef) isNull() bool { return r.handleNull && r.typeNull }
