package qixcore

import (
	"bytes"
	"context"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// sessionProps is what recreates a session object or session variable
// when a resume lands in a new engine session (which has none of them):
// the Doc method that made it and its last known properties, with
// qInfo.qId set to its id so it comes back under the same id.
//
// The properties are the CreateSessionObject / CreateSessionVariable
// params, replaced by the params of each successful SetProperties, with
// the qPatches of each successful ApplyPatches applied to them (patches it
// cannot apply make it fetch them again with GetProperties). Other
// mutations (child objects, SetFullPropertyTree) are not tracked: the
// properties stay as last known.
type sessionProps struct {
	method string
	props  []byte
}

// recreateMethod reports the Doc methods whose objects live only as long
// as the engine session.
func recreateMethod(method string) bool {
	return method == "CreateSessionObject" || method == "CreateSessionVariable"
}

// noteResult updates the tracked properties after a successful call:
// params are the encoded params, obj the object it returned (if any).
func (s *Session) noteResult(c *Conn, handle int, method string, params []byte, obj *RemoteObject) {
	switch {
	case recreateMethod(method) && obj != nil:
		props, ok := firstParam(params, "qProp")
		if !ok {
			return
		}
		s.setProps(obj, &sessionProps{method: method, props: withQID(props, obj.ID)})
	case method == "SetProperties":
		o, ok := s.reg.Get(handle)
		if !ok || !s.tracked(o) {
			return
		}
		props, ok := firstParam(params, "qProp")
		if !ok {
			return
		}
		s.updateProps(o, withQID(props, o.ID))
	case method == "ApplyPatches":
		o, ok := s.reg.Get(handle)
		if !ok {
			return
		}
		s.mu.Lock()
		p := s.props[o]
		var last []byte
		if p != nil {
			last = p.props
		}
		s.mu.Unlock()
		if p == nil {
			return
		}
		if patches, ok := firstParam(params, "qPatches"); ok {
			if next, err := applyQPatches(last, patches); err == nil {
				s.updateProps(o, withQID(next, o.ID))
				return
			}
		}
		// Patches this side cannot apply: ask the engine, not on the read
		// goroutine, which must not block.
		go s.refreshProps(c, o, handle)
	}
}

// refreshProps reads an object's properties again after ApplyPatches.
func (s *Session) refreshProps(c *Conn, o *RemoteObject, handle int) {
	m, err := c.Call(context.Background(), Request{Handle: handle, Method: "GetProperties", Params: []byte("[]")})
	if err != nil {
		return // the socket went: the last known properties stay
	}
	if props, ok := member(m.Result, "qProp"); ok {
		s.updateProps(o, withQID(props, o.ID))
	}
}

func (s *Session) tracked(o *RemoteObject) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.props[o] != nil
}

func (s *Session) setProps(o *RemoteObject, p *sessionProps) {
	s.mu.Lock()
	if s.props == nil {
		s.props = map[*RemoteObject]*sessionProps{}
	}
	s.props[o] = p
	s.mu.Unlock()
}

func (s *Session) updateProps(o *RemoteObject, props []byte) {
	s.mu.Lock()
	if p := s.props[o]; p != nil {
		p.props = props
	}
	s.mu.Unlock()
}

// forgetProps drops the tracking of objects that are gone.
func (s *Session) forgetProps(objs []*RemoteObject) {
	s.mu.Lock()
	for _, o := range objs {
		delete(s.props, o)
	}
	s.mu.Unlock()
}

// propsOf returns how to recreate o, nil when it is not a session object.
func (s *Session) propsOf(o *RemoteObject) *sessionProps {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.props[o]
}

// firstParam returns the first positional param, or the named one.
func firstParam(params []byte, name string) ([]byte, bool) {
	params = bytes.TrimSpace(params)
	if len(params) == 0 {
		return nil, false
	}
	if params[0] == '{' {
		return member(params, name)
	}
	l := jsonr.Lexer{Data: params}
	if !l.IsDelim('[') {
		return nil, false
	}
	l.Delim('[')
	if l.IsDelim(']') {
		return nil, false
	}
	raw := l.Raw()
	return raw, l.Ok()
}

// withQID returns props with qInfo.qId set to id (when id is known and
// props is an object), so a recreated object keeps its id.
func withQID(props []byte, id string) []byte {
	tree, err := parseTree(props)
	top, ok := tree.(jsonObject)
	if id == "" || err != nil || !ok {
		return append([]byte(nil), props...)
	}
	info, _ := top.get("qInfo")
	obj, ok := info.(jsonObject)
	if !ok {
		obj = jsonObject{}
	}
	obj = obj.set("qId", jsonRaw(appendString(nil, id)))
	return appendTree(nil, top.set("qInfo", obj))
}

// recreate makes a session object or variable again on doc from its last
// properties; ok is false when the engine would not.
func (s *Session) recreate(ctx context.Context, c *Conn, doc int, p *sessionProps) (h int, ok bool, err error) {
	params := make([]byte, 0, len(p.props)+2)
	params = append(append(append(params, '['), p.props...), ']')
	h, ok, err = s.fetchHandle(ctx, c, doc, p.method, params)
	if err != nil {
		return 0, false, errwrap.Wrap("failed to recreate a session object", err)
	}
	return h, ok, nil
}
