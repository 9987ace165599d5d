package emulator

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// Fault actions.
const (
	// FaultDelay answers Method after DelayMS milliseconds.
	FaultDelay = "delay"
	// FaultDrop cuts the socket (no close frame) when Method is called.
	FaultDrop = "drop"
	// FaultClose closes the socket with Code and Reason: on connect (and at
	// once for matching open sockets) when Method is "", else when Method
	// is called.
	FaultClose = "close"
	// FaultMalformed answers Method with a frame that is not valid JSON.
	FaultMalformed = "malformed"
	// FaultUnknownID answers Method with an id nobody asked for (987654321).
	FaultUnknownID = "unknown-id"
	// FaultStall never answers Method (until it is cancelled: then error 15).
	FaultStall = "stall"
	// FaultAbort answers Method with error 15 (GENERIC_ABORTED, "Request
	// aborted") without running it, as an engine does when another
	// request or AbortAll cut it off: for clients' retry of aborted calls.
	FaultAbort = "abort"
	// FaultLag runs Method at once but holds its reply DelayMS
	// milliseconds before writing it, as a slow network does: the engine's
	// delta cache has moved, and a CancelRequest in the meantime finds
	// nothing left to cancel. Later delta replies of the connection wait
	// behind it, in the order the engine computed them.
	FaultLag = "lag"
)

// FaultSpec is one injected fault, for tests of clients' error handling.
// Faults are off by default. They are added from Go with Server.AddFault,
// over HTTP with the loopback-only admin endpoint, or per connection with
// ?qix-fault=<flag> on the connect URL (see ParseFaultFlag).
//
// Admin endpoint (only from 127.0.0.0/8 or ::1):
//
//	POST   /_emulator/faults   body: a FaultSpec or an array of them → {"ids":["f1",…]}
//	GET    /_emulator/faults   → the active faults (array)
//	DELETE /_emulator/faults   removes all; ?id=f1 removes one
//
// Example body: {"match":"my-test-doc","method":"GetLayout","action":"delay","ms":500,"count":1}.
// Match scopes a fault so parallel tests do not collide: it applies to
// connections whose URL app, open app, X-Qlik-Session header or
// /identity/<x> equals Match ("" matches every connection).
type FaultSpec struct {
	// ID is set by AddFault.
	ID string `json:"id,omitempty"`
	// Match scopes the fault (see above).
	Match string `json:"match,omitempty"`
	// Method triggers the fault ("" = every method, or on connect for close).
	Method string `json:"method,omitempty"`
	// Action is one of delay, drop, close, malformed, unknown-id, stall,
	// abort, lag.
	Action string `json:"action"`
	// DelayMS is the delay of a delay or lag fault.
	DelayMS int `json:"ms,omitempty"`
	// Code and Reason are the close frame of a close fault (default 4003).
	Code   int    `json:"code,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Count is how many times the fault fires; 0 = every time.
	Count int `json:"count,omitempty"`
}

// code is the close code of a close fault.
func (f FaultSpec) code() int {
	if f.Code == 0 {
		return 4003
	}
	return f.Code
}

// validate checks the action and its arguments.
func (f FaultSpec) validate() error {
	switch f.Action {
	case FaultDelay, FaultLag:
		if f.DelayMS < 0 {
			return fmt.Errorf("failed to add fault: negative delay")
		}
	case FaultClose:
		if c := f.code(); c != 1000 && (c < 3000 || c > 4999) {
			return fmt.Errorf("failed to add fault: close code %d not in 1000, 3000-4999", c)
		}
		if len(f.Reason) > 123 {
			return fmt.Errorf("failed to add fault: close reason longer than 123 bytes")
		}
	case FaultDrop, FaultMalformed, FaultUnknownID, FaultStall, FaultAbort:
	default:
		return fmt.Errorf("failed to add fault: unknown action %q", f.Action)
	}
	return nil
}

// ParseFaultFlag reads a ?qix-fault= value, which applies to that
// connection only: "<action>:<method>[:<args>]":
//
//	delay:GetLayout:500        delay GetLayout by 500 ms
//	drop:DoReload              cut the socket when DoReload is called
//	close::4003:bye            close with 4003 "bye" right after OnConnected
//	close:GetLayout:4204:gone  close at the first GetLayout
//	malformed:GetLayout        answer GetLayout with a broken frame
//	unknown-id:EngineVersion   answer with id 987654321
//	stall:GetLayout            never answer GetLayout
//	abort:GetLayout            answer GetLayout with error 15 (Request aborted)
//	lag:GetLayout:500          run GetLayout, hold its reply 500 ms
func ParseFaultFlag(s string) (FaultSpec, error) {
	parts := strings.SplitN(s, ":", 4)
	f := FaultSpec{Action: parts[0]}
	if len(parts) > 1 {
		f.Method = parts[1]
	}
	switch f.Action {
	case FaultDelay, FaultLag:
		if len(parts) < 3 {
			return f, fmt.Errorf("failed to parse fault %q: %s needs ms", s, f.Action)
		}
		n, err := strconv.Atoi(parts[2])
		if err != nil {
			return f, fmt.Errorf("failed to parse fault %q: %w", s, err)
		}
		f.DelayMS = n
	case FaultClose:
		if len(parts) > 2 && parts[2] != "" {
			n, err := strconv.Atoi(parts[2])
			if err != nil {
				return f, fmt.Errorf("failed to parse fault %q: %w", s, err)
			}
			f.Code = n
		}
		if len(parts) > 3 {
			f.Reason = parts[3]
		}
	}
	if err := f.validate(); err != nil {
		return f, err
	}
	return f, nil
}

// faultEntry is an active server-wide fault.
type faultEntry struct {
	spec FaultSpec
	left int // remaining firings when spec.Count > 0
}

// faultSet holds the server-wide faults.
type faultSet struct {
	mu      sync.Mutex
	seq     int
	entries []*faultEntry
}

func newFaultSet() *faultSet { return &faultSet{} }

// AddFault activates a fault and returns its id. A close fault without a
// method also closes the matching open sockets at once.
func (s *Server) AddFault(f FaultSpec) (string, error) {
	if err := f.validate(); err != nil {
		return "", err
	}
	fs := s.faults
	fs.mu.Lock()
	fs.seq++
	f.ID = "f" + strconv.Itoa(fs.seq)
	e := &faultEntry{spec: f, left: f.Count}
	fs.entries = append(fs.entries, e)
	fs.mu.Unlock()
	if f.Action == FaultClose && f.Method == "" {
		s.mu.Lock()
		conns := make([]*conn, 0, len(s.conns))
		for c := range s.conns {
			conns = append(conns, c)
		}
		s.mu.Unlock()
		for _, c := range conns {
			if c.matches(f.Match) && fs.take(e) {
				c.closeWith(websocket.StatusCode(f.code()), f.Reason)
			}
		}
	}
	return f.ID, nil
}

// RemoveFault deactivates one fault; false when the id is unknown.
func (s *Server) RemoveFault(id string) bool {
	fs := s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, e := range fs.entries {
		if e.spec.ID == id {
			fs.entries = append(fs.entries[:i], fs.entries[i+1:]...)
			return true
		}
	}
	return false
}

// ClearFaults deactivates every server-wide fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.entries = nil
	s.faults.mu.Unlock()
}

// Faults lists the active server-wide faults.
func (s *Server) Faults() []FaultSpec {
	fs := s.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]FaultSpec, 0, len(fs.entries))
	for _, e := range fs.entries {
		out = append(out, e.spec)
	}
	return out
}

// take consumes one firing of e; false when it is used up.
func (fs *faultSet) take(e *faultEntry) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if e.spec.Count == 0 {
		return true
	}
	if e.left <= 0 {
		return false
	}
	e.left--
	if e.left == 0 {
		for i, x := range fs.entries {
			if x == e {
				fs.entries = append(fs.entries[:i], fs.entries[i+1:]...)
				break
			}
		}
	}
	return true
}

// find returns the first server-wide fault that fires for c: on connect
// (close without method) when onConnect, else for method.
func (fs *faultSet) find(c *conn, method string, onConnect bool) (FaultSpec, bool) {
	fs.mu.Lock()
	entries := append([]*faultEntry(nil), fs.entries...)
	fs.mu.Unlock()
	for _, e := range entries {
		f := e.spec
		if onConnect != (f.Action == FaultClose && f.Method == "") {
			continue
		}
		if !onConnect && f.Method != "" && f.Method != method {
			continue
		}
		if !c.matches(f.Match) {
			continue
		}
		if fs.take(e) {
			return f, true
		}
	}
	return FaultSpec{}, false
}

// matches tells whether a fault scoped to m applies to c.
func (c *conn) matches(m string) bool {
	if m == "" {
		return true
	}
	if m == c.info.doc || m == c.info.xsession || m == c.info.identity {
		return true
	}
	if c.sess != nil {
		c.sess.mu.Lock()
		defer c.sess.mu.Unlock()
		return c.sess.docName == m
	}
	return false
}

// connectFault is the close fault to apply right after OnConnected.
func (c *conn) connectFault() (FaultSpec, bool) {
	for _, f := range c.faults {
		if f.Action == FaultClose && f.Method == "" {
			return f, true
		}
	}
	return c.srv.faults.find(c, "", true)
}

// methodFault is the fault to apply to a call of method.
func (c *conn) methodFault(method string) (FaultSpec, bool) {
	for _, f := range c.faults {
		if f.Action == FaultClose && f.Method == "" {
			continue
		}
		if f.Method == "" || f.Method == method {
			return f, true
		}
	}
	return c.srv.faults.find(c, method, false)
}

// lag holds a reply of a lag fault f for its delay, on the server's Clock
// (the socket closing ends the wait).
func (c *conn) lag(f FaultSpec) {
	fired := make(chan struct{})
	tm := c.srv.clock.AfterFunc(time.Duration(f.DelayMS)*time.Millisecond, func() { close(fired) })
	defer tm.Stop()
	select {
	case <-fired:
	case <-c.ctx.Done():
	}
}

// applyFault acts out f for cl; done is true when the call must not run
// (a lag fault acts after the call ran: see lag).
func (c *conn) applyFault(cl *call, f FaultSpec) (done bool) {
	switch f.Action {
	case FaultDelay:
		// On the server's Clock, so tests can release the delay without
		// sleeping.
		fired := make(chan struct{})
		tm := c.srv.clock.AfterFunc(time.Duration(f.DelayMS)*time.Millisecond, func() { close(fired) })
		defer tm.Stop()
		select {
		case <-fired:
		case <-cl.ctx.Done():
		}
		return false
	case FaultDrop:
		c.drop()
		return true
	case FaultClose:
		c.closeWith(websocket.StatusCode(f.code()), f.Reason)
		return true
	case FaultMalformed:
		c.send(append(append([]byte(`{"jsonrpc":"2.0","id":`), cl.id...), `,"result":{"qReturn":`...))
		return true
	case FaultAbort:
		c.send(errorMessage(cl.id, engine.ErrAborted))
		return true
	case FaultStall:
		<-cl.ctx.Done()
		if c.ctx.Err() == nil {
			c.send(errorMessage(cl.id, engine.ErrAborted))
		}
		return true
	}
	return false // unknown-id, lag: run, then answer with a wrong id or late
}

// serveFaultAdmin is the loopback-only HTTP admin of server-wide faults.
func (s *Server) serveFaultAdmin(w http.ResponseWriter, r *http.Request) {
	if !loopback(r.RemoteAddr) {
		http.Error(w, "fault admin is loopback only", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.Method {
	case http.MethodGet:
		_ = json.NewEncoder(w).Encode(s.Faults())
	case http.MethodPost:
		var raw json.RawMessage
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&raw); err != nil {
			http.Error(w, "failed to read faults: "+err.Error(), http.StatusBadRequest)
			return
		}
		var specs []FaultSpec
		if t := strings.TrimSpace(string(raw)); strings.HasPrefix(t, "[") {
			if err := json.Unmarshal(raw, &specs); err != nil {
				http.Error(w, "failed to read faults: "+err.Error(), http.StatusBadRequest)
				return
			}
		} else {
			var f FaultSpec
			if err := json.Unmarshal(raw, &f); err != nil {
				http.Error(w, "failed to read fault: "+err.Error(), http.StatusBadRequest)
				return
			}
			specs = []FaultSpec{f}
		}
		for _, f := range specs {
			if err := f.validate(); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		ids := make([]string, 0, len(specs))
		for _, f := range specs {
			id, _ := s.AddFault(f)
			ids = append(ids, id)
		}
		_ = json.NewEncoder(w).Encode(map[string][]string{"ids": ids})
	case http.MethodDelete:
		if id := r.URL.Query().Get("id"); id != "" {
			if !s.RemoveFault(id) {
				http.Error(w, `{"error":"unknown fault id"}`, http.StatusNotFound)
				return
			}
		} else {
			s.ClearFaults()
		}
		_, _ = w.Write([]byte("{}\n"))
	default:
		w.Header().Set("Allow", "GET, POST, DELETE")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// loopback tells whether a RemoteAddr is on the loopback network.
func loopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
