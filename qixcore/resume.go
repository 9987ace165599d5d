package qixcore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// SuspendCode is the close code Suspend sends by default: the one enigma.js
// uses, so engines and proxies see the same thing from both clients.
const SuspendCode = 4000

// onConnectedWait bounds how long Resume waits for OnConnected before it
// takes the session as new (engines behind some proxies never send it).
var onConnectedWait = 5 * time.Second

// Suspend closes the socket but keeps every object, so Resume can rebind
// them on a new socket. Pending calls fail with ErrSuspended, and so do
// calls made while suspended. code 0 means SuspendCode.
func (s *Session) Suspend(code int, reason string) error {
	if code == 0 {
		code = SuspendCode
	}
	s.mu.Lock()
	if s.state != StateOpen {
		st := s.state
		s.mu.Unlock()
		return clientError(ErrNotConnected, errors.New("failed to suspend: session is "+st.String()))
	}
	if s.opts.Dial == nil {
		s.mu.Unlock()
		return clientError(ErrNotConnected, errors.New("failed to suspend: the session has no Dial to resume with"))
	}
	s.suspending = true
	c := s.conn
	s.mu.Unlock()
	cause := clientError(ErrSuspended, errors.New("session suspended ("+strconv.Itoa(code)+" "+reason+")"))
	// A failed close leaves the socket gone all the same: the session is
	// suspended either way.
	_ = c.closeWith(code, reason, cause)
	return nil
}

// Resume dials again and restores the session: it waits for OnConnected,
// rebinds the Doc (GetActiveDoc, else OpenDoc with the last OpenDoc's
// params) and every object it can find again by id on that Doc, then
// reports EventSessionResumed with the new handles; objects it cannot
// restore are closed. With onlyIfAttached a new engine session
// (SESSION_CREATED) fails with ErrNotAttached and ends the session, as in
// enigma.js. A failed dial or restore leaves the session suspended, so
// Resume can be tried again.
func (s *Session) Resume(ctx context.Context, onlyIfAttached bool) error {
	return s.resume(ctx, onlyIfAttached)
}

// AckResume tells the session that its caller now names objects by the
// handles of the first epoch resumes (see SessionOptions.HandleEpochs).
func (s *Session) AckResume(epoch int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if epoch <= s.epochs.acked || epoch > s.epochs.current {
		return
	}
	s.epochs.acked = epoch
	s.pruneEpochsLocked()
}

// pruneEpochsLocked drops the moves no caller or waiting call needs.
func (s *Session) pruneEpochsLocked() {
	keep := s.epochs.acked
	if !s.opts.HandleEpochs {
		keep = s.epochs.current
	}
	for _, w := range s.waiting {
		keep = min(keep, w.epoch)
	}
	s.epochs.prune(keep)
}

// resume is Resume; automatic resume calls it for each attempt.
func (s *Session) resume(ctx context.Context, onlyIfAttached bool) error {
	s.mu.Lock()
	if s.state != StateSuspended {
		st := s.state
		s.mu.Unlock()
		return clientError(ErrNotConnected, errors.New("failed to resume: session is "+st.String()))
	}
	s.state = StateResuming
	s.mu.Unlock()

	t, err := s.opts.Dial(ctx)
	if err != nil {
		s.setState(StateSuspended)
		// opts.Dial may be the caller's own: its error can quote the URL.
		return errwrap.Wrap("failed to resume", RedactError(err))
	}
	connected := make(chan string, 1)
	s.mu.Lock()
	s.onConnected = connected
	s.closing = false
	c := s.newConn(t)
	s.conn = c
	s.mu.Unlock()

	state, err := waitConnected(ctx, c, connected)
	s.mu.Lock()
	s.onConnected = nil
	s.mu.Unlock()
	if err != nil {
		s.abortResume(c)
		return errwrap.Wrap("failed to resume", err)
	}
	if refusedState(state) {
		s.abortResume(c)
		return errwrap.Wrap("failed to resume", &sessionRefusedError{state: state})
	}
	if state == "SESSION_CREATED" && onlyIfAttached {
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		_ = c.Close(1000, "")
		err := clientError(ErrNotAttached, errors.New("failed to resume: the engine created a new session"))
		s.finish(err)
		return err
	}
	moves, closed, err := s.restore(ctx, c)
	if err != nil {
		s.abortResume(c)
		return errwrap.Wrap("failed to resume", err)
	}
	gone := s.reg.Remap(moves, closed)
	s.forgetProps(gone)
	handles := make([]int, len(gone))
	for i, o := range gone {
		handles[i] = o.Handle
	}
	s.mu.Lock()
	if s.state != StateResuming || s.conn != c {
		s.mu.Unlock()
		return clientError(ErrClosed, errors.New("failed to resume: session closed meanwhile"))
	}
	s.state = StateOpen
	s.reconnecting = false
	s.epochs.add(moves)
	waiting := s.takeWaitingLocked()
	s.mu.Unlock()
	// The new handles first, then the calls that waited for them.
	s.emit(Event{Kind: EventSessionResumed, Remap: moves, Handles: handles, Objects: gone})
	s.sendWaiting(waiting)
	s.mu.Lock()
	s.pruneEpochsLocked()
	s.mu.Unlock()
	return nil
}

func (s *Session) setState(st SessionState) {
	s.mu.Lock()
	s.state = st
	s.mu.Unlock()
}

// abortResume drops the half-restored socket and goes back to suspended.
func (s *Session) abortResume(c *Conn) {
	s.mu.Lock()
	s.gen++ // the conn's closing events are not the session's
	s.mu.Unlock()
	_ = c.Close(1000, "")
	s.mu.Lock()
	if s.state == StateResuming {
		s.state = StateSuspended
	}
	s.mu.Unlock()
}

// waitConnected returns the qSessionState of OnConnected, or
// SESSION_CREATED when none comes in time.
func waitConnected(ctx context.Context, c *Conn, connected <-chan string) (string, error) {
	timer := time.NewTimer(onConnectedWait)
	defer timer.Stop()
	select {
	case st := <-connected:
		return st, nil
	case <-timer.C:
		return "SESSION_CREATED", nil
	case <-c.Done():
		return "", c.Err()
	case <-ctx.Done():
		return "", ctxError(ctx.Err())
	}
}

// sessionState reads qSessionState from OnConnected params.
func sessionState(params []byte) string {
	l := jsonr.Lexer{Data: params}
	state := ""
	if !l.IsDelim('{') {
		return ""
	}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		if key == "qSessionState" {
			state = l.String()
		} else {
			l.SkipRecursive()
		}
		l.WantComma()
	}
	return state
}

// restore finds every live object again on connection c: the Doc first,
// then the objects on it, all at once. It returns the moves and the
// handles that could not be restored; an error means the socket failed.
func (s *Session) restore(ctx context.Context, c *Conn) (moves []Rebound, closed []int, err error) {
	live := s.reg.Live()
	var doc *RemoteObject
	for _, o := range live {
		if o.Type == "Doc" {
			doc = o // the last Doc: an engine session has one active doc
		}
	}
	newDoc := 0
	if doc != nil {
		h, ok, err := s.fetchHandle(ctx, c, -1, "GetActiveDoc", []byte("[]"))
		if err != nil {
			return nil, nil, err
		}
		s.mu.Lock()
		openDoc := s.openDoc
		s.mu.Unlock()
		if !ok && openDoc != nil {
			if h, ok, err = s.fetchHandle(ctx, c, -1, "OpenDoc", openDoc); err != nil {
				return nil, nil, err
			}
		}
		if ok {
			newDoc = h
			moves = append(moves, Rebound{Old: doc.Handle, New: h})
		}
	}

	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	for _, o := range live {
		if o.Handle == -1 || o == doc {
			continue
		}
		method := restoreMethod(o.Type)
		if o.Type == "Doc" || newDoc == 0 || method == "" || o.ID == "" {
			mu.Lock()
			closed = append(closed, o.Handle)
			mu.Unlock()
			continue
		}
		wg.Add(1)
		params := appendStringArray(nil, o.ID)
		go func(o *RemoteObject) {
			defer wg.Done()
			h, ok, err := s.fetchHandle(ctx, c, newDoc, method, params)
			if err == nil && !ok {
				// Not in this engine session: a session object or
				// variable is made again from its last properties.
				if p := s.propsOf(o); p != nil {
					h, ok, err = s.recreate(ctx, c, newDoc, p)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				if firstErr == nil {
					firstErr = err
				}
			case ok:
				moves = append(moves, Rebound{Old: o.Handle, New: h})
			default:
				closed = append(closed, o.Handle)
			}
		}(o)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, nil, firstErr
	}
	if doc != nil && newDoc == 0 {
		closed = append(closed, doc.Handle)
	}
	return moves, closed, nil
}

// fetchHandle calls a method that returns an object and gives its handle;
// ok is false when the engine answered with an error or no object. err is
// set only when the connection failed.
func (s *Session) fetchHandle(ctx context.Context, c *Conn, handle int, method string, params []byte) (h int, ok bool, err error) {
	m, err := c.Call(ctx, Request{Handle: handle, Method: method, Params: params})
	if err != nil {
		var ee *EngineError
		if errors.As(err, &ee) {
			return 0, false, nil
		}
		return 0, false, err
	}
	ref, _, _, err := readReturn(m.Result, "")
	if err != nil || !ref.isObject() {
		return 0, false, nil
	}
	return ref.handle, true, nil
}

// restoreMethod names the Doc method that finds an object of type again by
// its id, as enigma.js does; "" when there is none (Field, Variable and
// anything not Generic*).
func restoreMethod(qType string) string {
	switch {
	case qType == "GenericVariable":
		return "GetVariableById"
	case strings.HasPrefix(qType, "Generic"):
		return "Get" + strings.TrimPrefix(qType, "Generic")
	}
	return ""
}

// appendStringArray appends a JSON array of strings (positional params).
func appendStringArray(dst []byte, args ...string) []byte {
	dst = append(dst, '[')
	for i, a := range args {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, a)
	}
	return append(dst, ']')
}
