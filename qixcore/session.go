package qixcore

import (
	"context"
	"fmt"

	"github.com/mailru/easyjson/jlexer"
)

// SessionOptions configures a Session.
type SessionOptions struct {
	// Delta asks the engine for JSON-Patch results where enigma.js would
	// (methods with a single out key other than qSuccess that do not
	// return an object); the caller applies the patches.
	Delta bool
	// Conn options: events, traffic, timeout.
	Conn ConnOptions
}

// Session is a QIX session on one connection: the multiplexer plus the
// schema rules enigma.js users expect (named parameters, result
// unwrapping, one object per handle).
type Session struct {
	conn  *Conn
	delta bool
}

// NewSession starts a session over t.
func NewSession(t Transport, opts SessionOptions) *Session {
	return &Session{conn: NewConn(t, opts.Conn), delta: opts.Delta}
}

// Open dials url and starts a session on the socket.
func Open(ctx context.Context, url string, dial *DialOptions, opts SessionOptions) (*Session, error) {
	t, err := Dial(ctx, url, dial)
	if err != nil {
		return nil, fmt.Errorf("failed to open session: %w", err)
	}
	return NewSession(t, opts), nil
}

// Conn returns the underlying multiplexer.
func (s *Session) Conn() *Conn { return s.conn }

// Registry returns the session's handle registry.
func (s *Session) Registry() *Registry { return s.conn.reg }

// Close closes the session's socket with a normal close.
func (s *Session) Close() error { return s.conn.Close(1000, "") }

// Result is the outcome of Invoke. Either Object is set (the call returned
// a remote object) or Body holds the raw result, to be parsed by the
// receiver and unwrapped: take Body[OutKey] when OutKey is set. When Delta
// is set each key of Body holds a JSON-Patch array to apply to the value
// cached under CacheKey+"-"+key (the enigma.js delta rule).
type Result struct {
	Object   *RemoteObject
	Body     []byte
	OutKey   string
	Delta    bool
	CacheKey string
}

// Invoke calls method on handle with args, the JSON array of the caller's
// arguments (as a JavaScript caller passed them). It maps named arguments
// to positional ones, decides delta, and unwraps the result as enigma.js
// does, without scanning large results. done runs exactly once, on the
// read goroutine or the caller's, and must not block.
func (s *Session) Invoke(ctx context.Context, handle int, method string, args []byte, done func(Result, error)) {
	obj, ok := s.conn.reg.Get(handle)
	if !ok {
		done(Result{}, clientError(ErrObjectNotFound, fmt.Errorf("handle %d is not open", handle)))
		return
	}
	m, known := LookupMethod(obj.Type, method)
	params := args
	if known {
		p, err := EncodeParams(m, args)
		if err != nil {
			done(Result{}, fmt.Errorf("failed to encode %s params: %w", method, err))
			return
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
	req := Request{Handle: handle, Method: method, Params: params, Delta: delta}
	s.conn.Start(ctx, req, func(msg *Message, err error) {
		if err != nil {
			done(Result{}, err)
			return
		}
		if returnsObject {
			r, err := s.objectResult(msg.Result, outKey)
			if err != nil {
				done(Result{}, fmt.Errorf("failed to read %s result: %w", method, err))
				return
			}
			done(r, nil)
			return
		}
		done(Result{Body: msg.Result, OutKey: outKey, Delta: msg.Delta, CacheKey: fmt.Sprintf("%d-%s", handle, method)}, nil)
	})
}

// objectResult reads a small result that may name a remote object, applying
// enigma.js's data rules: qReturn (or the out key) holding qHandle and
// qType is an object; both null means not found; anything else is a
// plain value.
func (s *Session) objectResult(body []byte, outKey string) (Result, error) {
	var ref objectRef
	var sessionAppID string
	hasReturn := false
	l := jlexer.Lexer{Data: body}
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
	if err := l.Error(); err != nil {
		return Result{}, err
	}
	if hasReturn && ref.isObject() {
		id := ref.id
		if sessionAppID != "" {
			id = sessionAppID
		}
		o, _ := s.conn.reg.Register(ref.handle, ref.qType, ref.genericType, id)
		return Result{Object: o}, nil
	}
	if hasReturn && ref.isNull() {
		return Result{}, clientError(ErrObjectNotFound, fmt.Errorf("object not found"))
	}
	key := outKey
	if hasReturn {
		key = "qReturn"
	}
	return Result{Body: body, OutKey: key}, nil
}

// objectRef is a qReturn object reference as the engine writes it.
type objectRef struct {
	handle                       int
	qType, genericType, id       string
	sawHandle, sawType           bool
	handleNull, typeNull, nonRef bool
}

func (r *objectRef) read(l *jlexer.Lexer) {
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
				r.handle = l.Int()
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
	return r.sawHandle && r.sawType && !r.handleNull && !r.typeNull && r.qType != ""
}

func (r *objectRef) isNull() bool { return r.handleNull && r.typeNull }
