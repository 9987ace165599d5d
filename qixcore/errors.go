package qixcore

import (
	"strconv"
	"strings"

	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// EngineError is an error response from the engine ({"error":{code,
// parameter, message}}), annotated with the request it answered so logs
// say which call failed. Callers branch on Code (a LocalizedErrorCode or a
// JSON-RPC code).
type EngineError struct {
	Code      int
	Parameter string
	Message   string
	Method    string
	Handle    int
}

// Error renders e.g. "qix: GetObject on handle 1 failed: App not found
// (1003 LOCERR_APP_NOT_FOUND): my-id".
func (e *EngineError) Error() string {
	var b strings.Builder
	b.WriteString("qix: ")
	if e.Method != "" {
		b.WriteString(e.Method)
	} else {
		b.WriteString("request")
	}
	b.WriteString(" on handle ")
	b.WriteString(strconv.Itoa(e.Handle))
	b.WriteString(" failed: ")
	name := e.Name()
	if e.Message != "" {
		b.WriteString(e.Message)
		b.WriteString(" (")
	} else {
		b.WriteString("engine error (")
	}
	b.WriteString(strconv.Itoa(e.Code))
	if name != "" {
		b.WriteByte(' ')
		b.WriteString(name)
	}
	b.WriteByte(')')
	if e.Parameter != "" {
		b.WriteString(": ")
		b.WriteString(e.Parameter)
	}
	return b.String()
}

// Name returns the LocalizedErrorCode name of e.Code from the built-in
// schema (JSON-RPC codes map to the LOCERR_JSON_RPC_* names), or "" when
// the code is not in the schema.
func (e *EngineError) Name() string {
	return ErrorCodeName(e.Code)
}

// Is lets errors.Is match engine errors by code:
// errors.Is(err, &EngineError{Code: 1003}).
func (e *EngineError) Is(target error) bool {
	t, ok := target.(*EngineError)
	return ok && t.Code == e.Code
}

// CloseError is the close frame that ended a connection. Qlik Cloud puts a
// JSON reason {"code":"QEP-104","traceId":"..."} in it; QEPCode and TraceID
// hold those fields so support requests can quote them.
type CloseError struct {
	Code    int
	Reason  string
	QEPCode string
	TraceID string
}

// NewCloseError builds a CloseError from a close code and reason, parsing
// a JSON reason when there is one; other reasons are kept as text only.
func NewCloseError(code int, reason string) *CloseError {
	e := &CloseError{Code: code, Reason: reason}
	r := strings.TrimSpace(reason)
	if len(r) < 2 || r[0] != '{' {
		return e
	}
	var qep, trace string
	l := jsonr.Lexer{Data: []byte(r)}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := strings.ToLower(l.UnsafeFieldName(false))
		l.WantColon()
		switch key {
		case "code":
			qep = jsonText(&l)
		case "traceid":
			trace = jsonText(&l)
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	l.Consumed()
	if l.Error() != nil {
		return e
	}
	e.QEPCode, e.TraceID = qep, trace
	return e
}

// jsonText reads a value and returns a JSON string's value or a number's
// text; "" for anything else.
func jsonText(l *jsonr.Lexer) string {
	raw := l.Raw()
	switch {
	case len(raw) == 0:
		return ""
	case raw[0] == '"':
		s := jsonr.Lexer{Data: raw}
		return s.String()
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return string(raw)
	}
	return ""
}

// closeMeaning explains the close codes engines, proxies and browsers use
// ("" for others). A switch, not a map: the package builds no tables at
// start-up (docs/SIZE.md, start-up).
func closeMeaning(code int) string {
	switch code {
	case 1000:
		return "normal closure"
	case 1001:
		return "going away (server shutting down or page leaving)"
	case 1002:
		return "protocol error"
	case 1003:
		return "unsupported data"
	case 1005:
		return "no status code"
	case 1006:
		return "abnormal closure (connection lost without a close frame)"
	case 1007:
		return "invalid message data"
	case 1008:
		return "policy violation"
	case 1009:
		return "message too big"
	case 1010:
		return "missing extension"
	case 1011:
		return "internal server error"
	case 1012:
		return "service restart"
	case 1013:
		return "try again later"
	case 1015:
		return "TLS handshake failed"
	case 4000:
		return "session suspended by the client"
	case 4001:
		return "session idle timeout"
	case 4002:
		return "license renewal required"
	case 4003:
		return "engine terminating"
	case 4004:
		return "app deleted"
	case 4005:
		return "session limit reached"
	case 4006:
		return "authentication failed"
	case 4007:
		return "app mode changed"
	case 4200:
		return "proxy error"
	case 4201:
		return "client timeout"
	case 4202:
		return "malformed request"
	case 4203:
		return "permission denied"
	case 4204:
		return "not found: the app id is wrong or the app was deleted"
	case 4205:
		return "engine busy, retry later"
	case 4206:
		return "network error"
	case 4210:
		return "dependency failure"
	case 4211:
		return "dependency failure"
	case 4220:
		return "engine error"
	case 4222:
		return "engine reservation missing"
	case 4230:
		return "too many open apps"
	case 4240:
		return "no engines available"
	}
	return ""
}

// Meaning returns a short explanation of the close code, or "" for codes
// this package does not know.
func (e *CloseError) Meaning() string {
	return closeMeaning(e.Code)
}

// Error renders e.g. "qix: connection closed (4204 not found: ...)
// [QEP-104 trace 491a]", followed by the reason when it is plain text.
func (e *CloseError) Error() string {
	var b strings.Builder
	b.WriteString("qix: connection closed (")
	b.WriteString(strconv.Itoa(e.Code))
	if m := e.Meaning(); m != "" {
		b.WriteByte(' ')
		b.WriteString(m)
	}
	b.WriteByte(')')
	switch {
	case e.QEPCode != "" || e.TraceID != "":
		b.WriteString(" [")
		b.WriteString(e.QEPCode)
		if e.TraceID != "" {
			if e.QEPCode != "" {
				b.WriteByte(' ')
			}
			b.WriteString("trace ")
			b.WriteString(e.TraceID)
		}
		b.WriteByte(']')
	case e.Reason != "":
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Retryable reports whether connecting again later may succeed without any
// change on the client side: whether automatic resume tries again after
// this close (the table is AutoResumable's).
func (e *CloseError) Retryable() bool {
	return AutoResumable(e)
}

// ClientErrorKind classifies errors raised by the client itself.
type ClientErrorKind int

// Client error kinds.
const (
	// KindNotConnected means the socket is not open (yet or any more).
	KindNotConnected ClientErrorKind = iota + 1
	// KindClosed means the connection closed while the call was pending
	// or before it was sent.
	KindClosed
	// KindSuspended means the session is suspended (e.g. close code
	// 4000) and calls are refused until it resumes.
	KindSuspended
	// KindTimeout means the call's deadline passed (its context's, or
	// ConnOptions.CallTimeout), or a dial or resume did not finish in time.
	// Its code is CodeTimeout.
	KindTimeout
	// KindCancelled means the caller cancelled the call (or the dial). Its
	// code is CodeCancelled.
	KindCancelled
	// KindNotFound means the object asked for does not exist (qReturn
	// with a null qHandle).
	KindNotFound
	// KindNotAttached means attaching to an existing session was required
	// but the engine created a new one (SESSION_CREATED).
	KindNotAttached
	// KindDelta means a delta response could not be applied.
	KindDelta
	// KindProtocol means the engine (or a proxy) broke the protocol: a
	// reply that cannot be decoded, an object reference with an impossible
	// or reused handle, a frame that names no call. Its code is
	// CodeProtocol.
	KindProtocol
)

var kindText = [...]string{
	KindNotConnected: "not connected",
	KindClosed:       "connection closed",
	KindSuspended:    "session suspended",
	KindTimeout:      "timeout",
	KindCancelled:    "cancelled",
	KindNotFound:     "object not found",
	KindNotAttached:  "session not attached",
	KindDelta:        "bad delta response",
	KindProtocol:     "protocol error",
}

// String returns a short description of the kind.
func (k ClientErrorKind) String() string {
	if k > 0 && int(k) < len(kindText) {
		return kindText[k]
	}
	return "client error " + strconv.Itoa(int(k))
}

// enigma.js error codes (enigma.js/error-codes), so code ported from
// enigma.js can keep comparing err.code.
const (
	CodeNotConnected           = -1
	CodeObjectNotFound         = -2
	CodeExpectedArrayOfPatches = -3
	CodePatchHasNoParent       = -4
	CodeSessionSuspended       = -11
	CodeSessionNotAttached     = -12
)

// qix-wasm's own client error codes, for kinds enigma.js has no code for
// (it rejects timeouts and cancellations with code undefined). They start
// at -100 so they never collide with enigma.js's -1 to -12.
const (
	// CodeTimeout is the code of ErrTimeout: the call (or dial, or resume)
	// did not settle before its deadline; the engine was sent a
	// CancelRequest for a call. Retrying may succeed.
	CodeTimeout = -100
	// CodeCancelled is the code of ErrCancelled: the caller gave up on the
	// call (context cancelled, Conn.Cancel, an AbortSignal in the page);
	// the engine was sent a CancelRequest.
	CodeCancelled = -101
	// CodeProtocol is the code of ErrProtocol: what the engine sent breaks
	// the protocol (see KindProtocol). The call it answered, if any,
	// rejects with it; frames that name no call are reported as events.
	CodeProtocol = -102
)

var kindCodes = [...]int{
	KindNotConnected: CodeNotConnected,
	KindClosed:       CodeNotConnected, // enigma.js rejects with NOT_CONNECTED "Socket closed"
	KindTimeout:      CodeTimeout,
	KindCancelled:    CodeCancelled,
	KindSuspended:    CodeSessionSuspended,
	KindNotFound:     CodeObjectNotFound,
	KindNotAttached:  CodeSessionNotAttached,
	KindDelta:        CodeExpectedArrayOfPatches,
	KindProtocol:     CodeProtocol,
}

// ClientError is an error raised by the client rather than the engine.
// errors.Is matches it against the Err* sentinels by Kind, and Unwrap
// exposes the cause (a *CloseError, context.Canceled, ...).
type ClientError struct {
	// Code is the enigma.js error code for the kind, CodeTimeout or
	// CodeCancelled (0 for unknown kinds).
	Code int
	Kind ClientErrorKind
	// Message overrides the kind's description when set.
	Message string
	// Err is the underlying cause, if any.
	Err error
}

// Sentinels for errors.Is(err, ErrClosed) and friends. Return copies
// (NewClientError, or a copy with Err set) rather than the sentinels
// themselves so a cause never ends up on shared values.
var (
	ErrNotConnected   = &ClientError{Code: CodeNotConnected, Kind: KindNotConnected}
	ErrClosed         = &ClientError{Code: CodeNotConnected, Kind: KindClosed}
	ErrSuspended      = &ClientError{Code: CodeSessionSuspended, Kind: KindSuspended}
	ErrTimeout        = &ClientError{Code: CodeTimeout, Kind: KindTimeout}
	ErrCancelled      = &ClientError{Code: CodeCancelled, Kind: KindCancelled}
	ErrObjectNotFound = &ClientError{Code: CodeObjectNotFound, Kind: KindNotFound}
	ErrNotAttached    = &ClientError{Code: CodeSessionNotAttached, Kind: KindNotAttached}
	ErrBadDelta       = &ClientError{Code: CodeExpectedArrayOfPatches, Kind: KindDelta}
	ErrProtocol       = &ClientError{Code: CodeProtocol, Kind: KindProtocol}
)

// NewClientError returns a ClientError of kind with the enigma.js code for
// that kind, an optional message and cause.
func NewClientError(kind ClientErrorKind, message string, cause error) *ClientError {
	e := &ClientError{Kind: kind, Message: message, Err: cause}
	if kind > 0 && int(kind) < len(kindCodes) {
		e.Code = kindCodes[kind]
	}
	return e
}

// Error renders "qix: <message or kind>: <cause>".
func (e *ClientError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Err != nil {
		return "qix: " + msg + ": " + e.Err.Error()
	}
	return "qix: " + msg
}

// Unwrap returns the cause.
func (e *ClientError) Unwrap() error { return e.Err }

// Is reports whether target is a ClientError of the same Kind, so
// errors.Is(err, ErrClosed) works on copies carrying causes.
func (e *ClientError) Is(target error) bool {
	t, ok := target.(*ClientError)
	return ok && t.Kind == e.Kind
}
