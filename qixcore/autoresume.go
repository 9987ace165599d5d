package qixcore

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
)

// AutoResume configures automatic resume: when the socket drops, or the
// engine or a proxy closes it with a code that means "try again", the
// session reconnects by itself (exponential backoff with full jitter, a
// bounded number of attempts) and rebinds every object as Resume does,
// instead of ending. It never reconnects after Close, Suspend, or a close
// code that means "do not retry" (see AutoResumable). The zero value is
// off; DefaultAutoResume is what the browser bridge turns on.
type AutoResume struct {
	Enabled bool
	// MaxAttempts bounds the reconnect attempts of one outage (0: 8).
	MaxAttempts int
	// MinDelay and MaxDelay bound the backoff: attempt n waits a random
	// time in [0, min(MaxDelay, MinDelay·2^(n-1))] (0: 250 ms and 15 s).
	MinDelay, MaxDelay time.Duration
	// FailFast makes calls made while reconnecting fail at once with
	// ErrSuspended (code -11); by default they wait for the resume and are
	// sent then (with their handles remapped), or fail with ErrTimeout
	// after QueueTimeout, or with the session's end when resume gives up.
	FailFast bool
	// QueueTimeout bounds how long a call waits for the resume (0: 30 s).
	QueueTimeout time.Duration
	// AttemptTimeout bounds one attempt: the dial, OnConnected and the
	// rebinding (0: 20 s).
	AttemptTimeout time.Duration
	// Jitter returns a random duration in [0, n]; nil uses math/rand/v2.
	// Tests set it to make the backoff observable.
	Jitter func(n time.Duration) time.Duration
}

// DefaultAutoResume is automatic resume on, with the default bounds.
func DefaultAutoResume() AutoResume {
	return AutoResume{Enabled: true}.withDefaults()
}

func (a AutoResume) withDefaults() AutoResume {
	if a.MaxAttempts <= 0 {
		a.MaxAttempts = 8
	}
	if a.MinDelay <= 0 {
		a.MinDelay = 250 * time.Millisecond
	}
	if a.MaxDelay <= 0 {
		a.MaxDelay = 15 * time.Second
	}
	if a.MaxDelay < a.MinDelay {
		a.MaxDelay = a.MinDelay
	}
	if a.QueueTimeout <= 0 {
		a.QueueTimeout = 30 * time.Second
	}
	if a.AttemptTimeout <= 0 {
		a.AttemptTimeout = 20 * time.Second
	}
	return a
}

// BackoffCap is the upper bound of the wait before attempt n (from 1):
// MinDelay doubled n-1 times, at most MaxDelay.
func (a AutoResume) BackoffCap(n int) time.Duration {
	a = a.withDefaults()
	d := a.MinDelay
	for i := 1; i < n && d < a.MaxDelay; i++ {
		d *= 2
	}
	return min(d, a.MaxDelay)
}

// delay is the wait before attempt n: full jitter below BackoffCap(n), so
// many clients cut off at once do not come back at once.
func (a AutoResume) delay(n int) time.Duration {
	c := a.BackoffCap(n)
	var d time.Duration
	if a.Jitter != nil {
		d = a.Jitter(c)
	} else {
		d = time.Duration(rand.Int64N(int64(c) + 1))
	}
	return max(0, min(d, c))
}

// HandshakeError is a WebSocket upgrade the server refused with an HTTP
// status (401 and 403: authentication; 404: no such app or route).
type HandshakeError struct {
	Status int
	Err    error
}

func (e *HandshakeError) Error() string { return e.Err.Error() }

// Unwrap returns the dialer's error.
func (e *HandshakeError) Unwrap() error { return e.Err }

// sessionRefusedError is an OnConnected whose qSessionState says the
// engine will not serve the session (no license, access denied, ...).
type sessionRefusedError struct{ state string }

func (e *sessionRefusedError) Error() string {
	return "the engine refused the session (" + e.state + ")"
}

// refusedState reports whether an OnConnected state ends the session.
func refusedState(state string) bool {
	return strings.HasPrefix(state, "SESSION_ERROR") || state == "SESSION_ACCESS_CONTROL_SETUP_FAILURE"
}

// AutoResumable reports whether automatic resume tries again after err,
// the end of a socket or a failed attempt. The table (README "Failure
// handling"):
//
//   - the socket failed without a close frame, or a dial failed or timed
//     out: yes (a network loss; browsers report it as 1006);
//   - 1001 going away, 1006, 1011 server error, 1012 restart, 1013 try
//     later, 1014 bad gateway: yes;
//   - 4003 engine terminating, 4004 app unloaded, 4007 app mode changed
//     (what @qlik/api resumes on), 4200 proxy error, 4205 busy, 4206
//     network, 4210/4211 dependency, 4220 engine error, 4222 reservation
//     missing, 4240 no engines: yes;
//   - any other code, notably 1000 and 4000 (a deliberate close), 4001
//     and 4201 (idle timeouts: the server ended an unused session on
//     purpose), 4002 license, 4005 session limit, 4006 auth failed, 4202
//     malformed, 4203 permission, 4204 not found, 4230 too many apps,
//     and the protocol errors 1002, 1003, 1007–1010, 1015: no;
//   - a handshake refused with HTTP 401, 403 or 404, an OnConnected
//     refusing the session, a cancelled attempt: no; other HTTP statuses
//     (429, 5xx): yes.
func AutoResumable(err error) bool {
	if err == nil {
		return false
	}
	var ce *CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 1001, 1006, 1011, 1012, 1013, 1014,
			4003, 4004, 4007, 4200, 4205, 4206, 4210, 4211, 4220, 4222, 4240:
			return true
		}
		return false
	}
	var he *HandshakeError
	if errors.As(err, &he) {
		switch he.Status {
		case 401, 403, 404:
			return false
		}
		return true
	}
	var re *sessionRefusedError
	if errors.As(err, &re) {
		return false
	}
	var cl *ClientError
	if errors.As(err, &cl) {
		switch cl.Kind {
		case KindSuspended, KindCancelled, KindNotAttached:
			return false
		}
	}
	return true
}

// Nudge asks a session that is reconnecting to try now instead of
// waiting out its backoff (the page came back online or into view). It
// does nothing otherwise and never blocks.
func (s *Session) Nudge() {
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

// autoResume runs one outage: attempts until one resumes the session, the
// session is closed or resumed by someone else, an attempt fails for good,
// or the attempts run out; then the session ends with the last cause.
func (s *Session) autoResume(cause error) {
	a := s.auto
	n := 0
	first := cause
	for n < a.MaxAttempts {
		n++
		d := a.delay(n)
		s.emit(Event{Kind: EventReconnecting, Attempt: n, Delay: d, Err: cause})
		if !s.waitAttempt(d) {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), a.AttemptTimeout)
		err := s.resume(ctx, false)
		cancel()
		if err == nil {
			return
		}
		s.mu.Lock()
		st := s.state
		s.mu.Unlock()
		if st == StateClosed || st == StateOpen {
			return // closed, or a manual Resume won
		}
		cause = err
		if !AutoResumable(err) {
			break
		}
	}
	// The close that began the outage stays the error's kind (its code
	// and reason); the text says how the last attempt failed.
	err := errwrap.Wrap("gave up resuming after "+strconv.Itoa(n)+" attempts", first)
	if cause != first {
		err = errwrap.Wrap("gave up resuming after "+strconv.Itoa(n)+" attempts (last: "+RedactText(cause.Error())+")", first)
	}
	s.finishAttempts(clientError(ErrClosed, err), n)
}

// waitAttempt waits d or a nudge; false when the session no longer waits
// for this loop (closed meanwhile).
func (s *Session) waitAttempt(d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-s.nudge:
	case <-s.stopAuto:
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == StateSuspended || s.state == StateResuming
}
