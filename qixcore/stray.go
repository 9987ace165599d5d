package qixcore

import (
	"errors"
	"strconv"
	"sync"

	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// StrayReason says why a received frame named no call.
type StrayReason int

// Why a frame named no call.
const (
	// StrayUnknownID: a numeric id no call of this connection has (nor
	// had: late replies to cancelled or timed-out calls are expected and
	// not counted).
	StrayUnknownID StrayReason = iota + 1
	// StrayBadID: an id that is not an integer (a string, a boolean …);
	// the client only sends integer ids.
	StrayBadID
	// StrayNoID: neither an id nor a method nor a change/close/suspend
	// list, e.g. a JSON-RPC error with "id": null.
	StrayNoID
	// StrayUndecodable: not a JSON-RPC message at all (not JSON, an
	// envelope member of the wrong type) and no call's id could be read.
	StrayUndecodable
)

var strayText = [...]string{
	StrayUnknownID:   "unknown id",
	StrayBadID:       "id of wrong type",
	StrayNoID:        "no id and no method",
	StrayUndecodable: "undecodable",
}

// String returns the short reason: "unknown id", "id of wrong type",
// "no id and no method" or "undecodable".
func (r StrayReason) String() string {
	if r > 0 && int(r) < len(strayText) {
		return strayText[r]
	}
	return "stray frame"
}

// strayError is the error of an EventStrayFrame: a ClientError of kind
// KindProtocol naming the reason, the id when it was a number and the
// frame's size, never its content (a frame may carry secrets).
func strayError(reason StrayReason, id int64, hasID bool, size int) error {
	msg := "a frame named no call (" + reason.String()
	if hasID {
		msg += " " + strconv.FormatInt(id, 10)
	}
	msg += ", " + strconv.Itoa(size) + " bytes)"
	return NewClientError(KindProtocol, msg, nil)
}

// undecodableReply is the error a call rejects with when its reply names
// it but cannot be decoded. The cause keeps the decoder's reason and
// offset but not the excerpt of the frame a jsonr error quotes.
func undecodableReply(method string, id int64, size int, err error) error {
	if method == "" {
		method = "request"
	}
	return NewClientError(KindProtocol,
		"the reply to "+method+" (id "+strconv.FormatInt(id, 10)+", "+strconv.Itoa(size)+" bytes) cannot be decoded",
		safeDecodeError(err))
}

// safeDecodeError strips the quoted input from a jsonr error.
func safeDecodeError(err error) error {
	var le *jsonr.LexerError
	if errors.As(err, &le) {
		return errors.New(le.Reason + " at offset " + strconv.Itoa(le.Offset))
	}
	return errors.New("malformed JSON")
}

// frameID reads the top-level "id" of a frame that failed to decode, as
// far as the frame is readable: named is set for an integer id, reason
// says what else was found (StrayBadID, StrayNoID, StrayUndecodable).
func frameID(data []byte) (id int64, named bool, reason StrayReason) {
	l := jsonr.Lexer{Data: data}
	l.Delim('{')
	reason = StrayUndecodable
	sawKey := false
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		if !l.Ok() {
			break
		}
		sawKey = true
		if key != "id" {
			l.SkipRecursive()
			l.WantComma()
			continue
		}
		switch c := l.CurrentToken(); {
		case l.IsNull():
			return 0, false, StrayNoID
		case c == jsonr.TokenNumber:
			id = l.Int64()
			if l.Ok() {
				return id, true, 0
			}
			return 0, false, StrayBadID
		default:
			return 0, false, StrayBadID
		}
	}
	if sawKey && l.Ok() {
		return 0, false, StrayNoID
	}
	return 0, false, reason
}

// retiredIDs remembers the ids of calls the client gave up on (cancelled,
// timed out) and of requests sent without waiting (Notify), so their late
// replies are dropped quietly instead of being reported as stray. With
// each id it keeps the delta cache key of a delta call ("" otherwise): the
// engine moved its cache when it answered such a call, so a late delta
// result is reported (EventLateDelta) for the client's caches to follow.
// It is bounded: the oldest ids are forgotten first.
type retiredIDs struct {
	mu   sync.Mutex
	set  map[int64]string
	ring []int64
	next int
}

// retiredMax bounds retiredIDs; an engine that never answers thousands of
// cancelled calls costs at most this many entries.
const retiredMax = 4096

// add retires id; key is its delta cache key, "" for a call without delta.
func (r *retiredIDs) add(id int64, key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set == nil {
		r.set = make(map[int64]string)
	}
	if len(r.ring) < retiredMax {
		r.ring = append(r.ring, id)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % retiredMax
	}
	r.set[id] = key
}

// take reports whether id was retired, with its delta cache key,
// forgetting it (one reply per id).
func (r *retiredIDs) take(id int64) (key string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if key, ok = r.set[id]; ok {
		delete(r.set, id)
	}
	return key, ok
}

// deltaCacheKey is the key the delta results of method on handle are
// cached under ("handle-method"; each out key adds "-key"): Session.invoke's
// Result.CacheKey rule, which a late result must follow to the letter.
func deltaCacheKey(handle int, method string) string {
	return strconv.Itoa(handle) + "-" + method
}

// retiredKey is the delta cache key to retire req's id with.
func retiredKey(req Request) string {
	if !req.Delta {
		return ""
	}
	return deltaCacheKey(req.Handle, req.Method)
}

// late handles a reply to retired call id: a delta result moved the
// engine's cache, so it is reported (EventLateDelta) for the client's to
// follow; an error or a plain result is dropped.
func (c *Conn) late(m *Message, key string) {
	if key == "" || !m.Delta || m.Error != nil || (m.Result == nil && m.Span == nil) {
		return
	}
	c.emit(Event{Kind: EventLateDelta, RequestID: m.ID, Result: &Result{Body: m.Result, Span: m.Span, Delta: true, CacheKey: key}})
}
