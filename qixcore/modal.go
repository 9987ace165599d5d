package qixcore

import (
	"context"
	"errors"
)

// ModalRecovery says what a Session does when a call fails because another
// object holds the app's selection mode (engine error 6003,
// LOCERR_HC_MODAL_OBJECT_ERROR): only one object of an app can be in
// selection mode (GenericObject.BeginSelections), and while one is, the
// engine refuses other objects' BeginSelections and selections. Qlik's
// own clients (nebula.js's app selections, Sense) then end the mode with
// Doc.AbortModal and try the call once more; so does a Session with
// recovery on.
type ModalRecovery int

const (
	// ModalRecoveryOff hands the 6003 to the caller (the zero value).
	ModalRecoveryOff ModalRecovery = iota
	// ModalRecoveryCancel ends the mode with AbortModal(qAccept false):
	// the holder's pending selections are dropped, as when a user presses
	// Escape; then the call is sent again, once.
	ModalRecoveryCancel
	// ModalRecoveryAccept ends it with AbortModal(qAccept true): the
	// pending selections are kept; then the call is sent again, once.
	ModalRecoveryAccept
)

// ParseModalRecovery reads the bridge's name of a mode: "cancel",
// "accept", or anything else (e.g. "off") for ModalRecoveryOff.
func ParseModalRecovery(name string) ModalRecovery {
	switch name {
	case "cancel":
		return ModalRecoveryCancel
	case "accept":
		return ModalRecoveryAccept
	}
	return ModalRecoveryOff
}

// codeModalObject is LOCERR_HC_MODAL_OBJECT_ERROR.
const codeModalObject = 6003

// modalRetry is a call between its 6003 and its second sending.
type modalRetry struct {
	method string
	finish func(*Message, error)
}

// isModalError reports whether err is the engine's 6003.
func isModalError(err error) bool {
	var ee *EngineError
	return errors.As(err, &ee) && ee.Code == codeModalObject
}

// withModalRecovery wraps the completion of call id (req on c) so that a
// 6003 ends the selection mode and sends the call again with the same id,
// once; the second outcome, whatever it is, goes to finish. AbortModal
// and EndSelections themselves are never retried, nor calls made while
// no Doc is open. A Cancel of id between the two sendings settles the
// call as cancelled and nothing is sent again.
func (s *Session) withModalRecovery(ctx context.Context, c *Conn, id int64, req Request, finish func(*Message, error)) func(*Message, error) {
	mode := s.opts.ModalRecovery
	if mode == ModalRecoveryOff || req.Method == "AbortModal" || req.Method == "EndSelections" {
		return finish
	}
	return func(m *Message, err error) {
		if !isModalError(err) {
			finish(m, err)
			return
		}
		doc := s.docHandle()
		if doc == 0 || ctx.Err() != nil {
			finish(m, err)
			return
		}
		s.mu.Lock()
		if s.modalRetries == nil {
			s.modalRetries = map[int64]*modalRetry{}
		}
		s.modalRetries[id] = &modalRetry{method: req.Method, finish: finish}
		s.mu.Unlock()
		params := []byte(`[false]`)
		if mode == ModalRecoveryAccept {
			params = []byte(`[true]`)
		}
		// Not on the read goroutine: AbortModal waits for its reply.
		go func() {
			_, aerr := c.Call(context.Background(), Request{Handle: doc, Method: "AbortModal", Params: params})
			if s.takeModalRetry(id) == nil {
				return // cancelled meanwhile, already settled
			}
			if aerr != nil {
				if errors.As(aerr, new(*EngineError)) {
					aerr = err // the engine refused: the caller gets its own call's error
				}
				finish(nil, aerr)
				return
			}
			c.StartID(ctx, id, req, finish)
		}()
	}
}

// takeModalRetry removes and returns the call id waiting for its second
// sending, nil when there is none.
func (s *Session) takeModalRetry(id int64) *modalRetry {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.modalRetries[id]
	delete(s.modalRetries, id)
	return r
}

// cancelModalRetry settles call id as cancelled when it waits between its
// 6003 and its second sending; it reports whether it did.
func (s *Session) cancelModalRetry(id int64) bool {
	r := s.takeModalRetry(id)
	if r == nil {
		return false
	}
	r.finish(nil, callCtxError(r.method, context.Canceled))
	return true
}

// docHandle returns the handle of the open Doc, 0 when none is open.
func (s *Session) docHandle() int {
	for _, o := range s.reg.Live() {
		if o.Type == "Doc" {
			return o.Handle
		}
	}
	return 0
}
