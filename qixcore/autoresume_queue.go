package qixcore

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// waitingCall is a call made while the session reconnects: it is sent
// when the resume succeeds, in the numbering of epoch, or fails.
type waitingCall struct {
	ctx    context.Context
	id     int64
	handle int
	epoch  int
	method string
	args   []byte
	done   func(Result, error)
	timer  *time.Timer
	stop   func() bool
}

// release stops the call's timer and context watch.
func (w *waitingCall) release() {
	w.timer.Stop()
	if w.stop != nil {
		w.stop()
	}
}

// enqueueLocked parks a call until the resume; s.mu held.
func (s *Session) enqueueLocked(ctx context.Context, id int64, handle, epoch int, method string, args []byte, done func(Result, error)) {
	w := &waitingCall{ctx: ctx, id: id, handle: handle, epoch: epoch, method: method, args: append([]byte(nil), args...), done: done}
	wait := s.auto.QueueTimeout
	w.timer = time.AfterFunc(wait, func() {
		e := clientError(ErrTimeout, errors.New("waited "+wait.String()+" for the session to resume")).(*ClientError)
		e.Message = method + " timed out"
		s.dropWaiting(w, e)
	})
	if ctx.Done() != nil {
		w.stop = context.AfterFunc(ctx, func() { s.dropWaiting(w, callCtxError(method, ctx.Err())) })
	}
	s.waiting = append(s.waiting, w)
}

// dropWaiting fails a waiting call unless it has left the queue already.
func (s *Session) dropWaiting(w *waitingCall, err error) bool {
	s.mu.Lock()
	found := false
	for i, x := range s.waiting {
		if x == w {
			s.waiting = append(s.waiting[:i], s.waiting[i+1:]...)
			found = true
			break
		}
	}
	s.mu.Unlock()
	if found {
		w.release()
		w.done(Result{}, err)
	}
	return found
}

// cancelWaiting fails the waiting call with request id as cancelled;
// false when no call with that id waits.
func (s *Session) cancelWaiting(id int64) bool {
	if id == 0 {
		return false
	}
	s.mu.Lock()
	var w *waitingCall
	for _, x := range s.waiting {
		if x.id == id {
			w = x
			break
		}
	}
	s.mu.Unlock()
	return w != nil && s.dropWaiting(w, callCtxError(w.method, context.Canceled))
}

// takeWaitingLocked empties the queue; s.mu held.
func (s *Session) takeWaitingLocked() []*waitingCall {
	out := s.waiting
	s.waiting = nil
	for _, w := range out {
		w.release()
	}
	return out
}

// sendWaiting sends the calls that waited for a resume, their handles
// translated to the new numbering.
func (s *Session) sendWaiting(list []*waitingCall) {
	for _, w := range list {
		s.mu.Lock()
		h, ok := s.epochs.translate(w.epoch, w.handle)
		s.mu.Unlock()
		if !ok {
			w.done(Result{}, clientError(ErrObjectNotFound, errors.New("failed to call "+w.method+": handle "+strconv.Itoa(w.handle)+" did not survive the resume")))
			continue
		}
		if err := w.ctx.Err(); err != nil {
			w.done(Result{}, callCtxError(w.method, err))
			continue
		}
		s.invoke(w.ctx, w.id, h, w.method, w.args, w.done)
	}
}

// failWaiting fails every waiting call with err.
func (s *Session) failWaiting(err error) {
	s.mu.Lock()
	list := s.takeWaitingLocked()
	s.mu.Unlock()
	for _, w := range list {
		w.done(Result{}, err)
	}
}
