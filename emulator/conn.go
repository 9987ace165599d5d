package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// conn is one WebSocket of a session. Handles are per connection (Global is
// -1, the first object referenced gets 1), so are the delta caches and the
// in-flight requests.
type conn struct {
	srv    *Server
	sess   *session
	ws     *websocket.Conn
	info   connInfo
	faults []FaultSpec // from ?qix-fault= on the connect URL

	ctx    context.Context
	cancel context.CancelFunc
	out    chan outMsg
	sem    chan struct{}
	wdone  chan struct{}

	hmu     sync.Mutex
	handles map[int]engine.Object
	byObj   map[engine.Object]int
	next    int

	dmu    sync.Mutex
	deltas map[deltaKey][]byte
	// omu keeps the delta patches of concurrent (Global) requests in the
	// order they are written: a patch is computed and queued under it.
	omu sync.Mutex

	cmu    sync.Mutex
	calls  map[string]*call
	queues map[int]*handleQueue

	closeOnce sync.Once
}

// call is one request being run.
type call struct {
	id     json.RawMessage
	idKey  string
	handle int
	method string
	params *params
	delta  bool
	ctx    context.Context
	cancel context.CancelCauseFunc // cause engine.ErrReloadCancelled for CancelReload
}

// handleQueue runs the requests of one handle in arrival order, so replies
// for one object keep their order while different objects run in parallel.
type handleQueue struct {
	items   []*call
	running bool
}

// newConn wraps an accepted socket.
func newConn(s *Server, ws *websocket.Conn, info connInfo, faults []FaultSpec) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	return &conn{
		srv:     s,
		ws:      ws,
		info:    info,
		faults:  faults,
		ctx:     ctx,
		cancel:  cancel,
		out:     make(chan outMsg, 256),
		sem:     make(chan struct{}, s.cfg.MaxInFlight),
		wdone:   make(chan struct{}),
		handles: map[int]engine.Object{},
		byObj:   map[engine.Object]int{},
		next:    1,
		deltas:  map[deltaKey][]byte{},
		calls:   map[string]*call{},
		queues:  map[int]*handleQueue{},
	}
}

// serve sends OnConnected and reads requests until the socket goes away,
// then leaves the session.
func (c *conn) serve(attached bool) {
	go c.writeLoop()
	defer func() {
		c.cancel()
		<-c.wdone
		c.ws.CloseNow()
		c.sess.detach(c)
	}()
	state := "SESSION_CREATED"
	if attached {
		state = "SESSION_ATTACHED"
	}
	c.send([]byte(`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"` + state + `"}}`))
	if f, ok := c.connectFault(); ok {
		c.closeWith(websocket.StatusCode(f.code()), f.Reason)
	}
	for {
		typ, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText && typ != websocket.MessageBinary {
			continue
		}
		if !c.handleMessage(data) {
			return
		}
	}
}

// outMsg is one item for the writer: a message, or a close frame that must
// follow the messages queued before it.
type outMsg struct {
	data   []byte
	code   websocket.StatusCode
	reason string
}

// writeLoop is the only writer of the socket.
func (c *conn) writeLoop() {
	defer close(c.wdone)
	for {
		select {
		case m := <-c.out:
			if m.code != 0 {
				_ = c.ws.Close(m.code, m.reason)
				c.cancel()
				return
			}
			if err := c.ws.Write(c.ctx, websocket.MessageText, m.data); err != nil {
				c.cancel()
				return
			}
		case <-c.ctx.Done():
			return
		}
	}
}

// send queues one message; it is dropped when the connection is gone.
func (c *conn) send(b []byte) {
	select {
	case c.out <- outMsg{data: b}:
	case <-c.ctx.Done():
	}
}

// closeWith closes the socket with a close frame, after the messages
// already queued.
func (c *conn) closeWith(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		select {
		case c.out <- outMsg{code: code, reason: reason}:
		case <-c.ctx.Done():
		}
	})
}

// drop cuts the socket without a close frame.
func (c *conn) drop() {
	c.closeOnce.Do(func() {
		c.ws.CloseNow()
		c.cancel()
	})
}

// handleMessage parses one request and starts it; false stops the reader.
func (c *conn) handleMessage(data []byte) bool {
	cl, reply := decodeRequest(data, jsonDepth(c.srv.cfg.MaxJSONDepth))
	if reply != nil {
		c.send(reply)
	}
	if cl == nil {
		return true
	}
	if cl.handle == -1 && c.control(cl) {
		return true
	}
	select {
	case c.sem <- struct{}{}:
	case <-c.ctx.Done():
		return false
	}
	cl.ctx, cl.cancel = context.WithCancelCause(c.ctx)
	c.cmu.Lock()
	c.calls[cl.idKey] = cl
	if cl.handle == -1 {
		c.cmu.Unlock()
		go c.run(cl)
		return true
	}
	q := c.queues[cl.handle]
	if q == nil {
		q = &handleQueue{}
		c.queues[cl.handle] = q
	}
	q.items = append(q.items, cl)
	start := !q.running
	q.running = true
	c.cmu.Unlock()
	if start {
		go c.drain(cl.handle, q)
	}
	return true
}

// drain runs the queued requests of one handle in order.
func (c *conn) drain(h int, q *handleQueue) {
	for {
		c.cmu.Lock()
		if len(q.items) == 0 {
			q.running = false
			if c.queues[h] == q {
				delete(c.queues, h)
			}
			c.cmu.Unlock()
			return
		}
		cl := q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
		c.cmu.Unlock()
		c.run(cl)
	}
}

// run executes one request and writes its response.
func (c *conn) run(cl *call) {
	defer func() {
		c.cmu.Lock()
		if c.calls[cl.idKey] == cl {
			delete(c.calls, cl.idKey)
		}
		c.cmu.Unlock()
		cl.cancel(nil)
		<-c.sem
	}()
	f, hasFault := c.methodFault(cl.method)
	if hasFault {
		if done := c.applyFault(cl, f); done {
			return
		}
	}
	var reply *engine.Reply
	var err error
	if cl.ctx.Err() == nil {
		reply, err = c.dispatch(cl)
	}
	if c.ctx.Err() != nil {
		return // the socket is gone
	}
	if cl.ctx.Err() != nil && (err != nil || reply == nil || !errors.Is(context.Cause(cl.ctx), engine.ErrReloadCancelled)) {
		// A cancelled request is answered with error 15, whatever it
		// produced; only a reload stopped by CancelReload keeps its own
		// answer (qReturn false).
		reply, err = nil, engine.ErrAborted
	}
	id := cl.id
	if hasFault && f.Action == FaultUnknownID {
		id = json.RawMessage("987654321")
	}
	if err != nil {
		c.send(errorMessage(id, c.toEngineError(cl, err)))
		return
	}
	if cl.delta {
		c.omu.Lock()
		defer c.omu.Unlock()
	}
	msg := c.response(cl, id, reply)
	if hasFault && f.Action == FaultLag {
		c.lag(f)
	}
	c.send(msg)
}

// dispatch routes a request to Global or to the object behind its handle.
func (c *conn) dispatch(cl *call) (*engine.Reply, error) {
	if cl.handle == -1 {
		return c.global(cl)
	}
	obj := c.object(cl.handle)
	if obj == nil {
		return nil, &engine.Error{Code: -32602, Parameter: "Invalid handle", Message: "Invalid Params"}
	}
	return obj.Call(cl.ctx, cl.method, cl.params)
}

// toEngineError turns any error into the error object sent to the client.
func (c *conn) toEngineError(cl *call, err error) *engine.Error {
	var e *engine.Error
	if errors.As(err, &e) {
		if e.Code == engine.ErrMethodNotFound.Code {
			if u := engine.Unsupported(c.qType(cl.handle), cl.method); u != nil {
				return u
			}
			return &engine.Error{Code: e.Code, Parameter: cl.method, Message: e.Message}
		}
		return e
	}
	if errors.Is(err, context.Canceled) {
		return engine.ErrAborted
	}
	c.srv.cfg.Logf("qix-emulator: %s on handle %d failed: %v", cl.method, cl.handle, err)
	return &engine.Error{Code: -32603, Parameter: err.Error(), Message: "Internal error"}
}

// qType is the type of the object behind handle h ("Global" for -1).
func (c *conn) qType(h int) string {
	if h == -1 {
		return "Global"
	}
	if o := c.object(h); o != nil {
		return o.Type()
	}
	return ""
}

// object is the object behind handle h, nil when unknown.
func (c *conn) object(h int) engine.Object {
	c.hmu.Lock()
	defer c.hmu.Unlock()
	return c.handles[h]
}

// handleFor gives o a handle on this connection (the existing one if any).
func (c *conn) handleFor(o engine.Object) int {
	c.hmu.Lock()
	defer c.hmu.Unlock()
	if h, ok := c.byObj[o]; ok {
		return h
	}
	h := c.next
	c.next++
	c.handles[h] = o
	c.byObj[o] = h
	return h
}

// handlesOf maps objects to this connection's handles, skipping objects it
// has no handle for.
func (c *conn) handlesOf(objs []engine.Object) []int {
	if len(objs) == 0 {
		return nil
	}
	c.hmu.Lock()
	defer c.hmu.Unlock()
	var out []int
	seen := map[int]bool{}
	for _, o := range objs {
		if isNilObject(o) {
			continue
		}
		if h, ok := c.byObj[o]; ok && !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// dropHandles forgets the handles of closed objects (and their delta
// caches) and returns them.
func (c *conn) dropHandles(objs []engine.Object) []int {
	if len(objs) == 0 {
		return nil
	}
	c.hmu.Lock()
	var out []int
	for _, o := range objs {
		if isNilObject(o) {
			continue
		}
		if h, ok := c.byObj[o]; ok {
			delete(c.byObj, o)
			delete(c.handles, h)
			out = append(out, h)
		}
	}
	c.hmu.Unlock()
	for _, h := range out {
		c.dropDelta(h)
	}
	return out
}

// isNilObject tells whether o is nil or a typed nil pointer (the "not
// found" object reference).
func isNilObject(o engine.Object) bool {
	if o == nil {
		return true
	}
	v := reflect.ValueOf(o)
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
		return v.IsNil()
	}
	return false
}

// inflight returns the in-flight calls, all of them when key is "".
func (c *conn) inflight(key string) []*call {
	c.cmu.Lock()
	defer c.cmu.Unlock()
	if key != "" {
		if cl := c.calls[key]; cl != nil {
			return []*call{cl}
		}
		return nil
	}
	out := make([]*call, 0, len(c.calls))
	for _, cl := range c.calls {
		out = append(out, cl)
	}
	return out
}
