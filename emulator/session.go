package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// connInfo is who a connection is and what it asked for; faults are matched
// against it.
type connInfo struct {
	doc      string // app in the URL ("" for /app/ and engineData)
	xsession string // X-Qlik-Session header
	identity string // /identity/<x>
	user     string // JWT sub ("" without JWT)
}

// session is the state shared by the connections of one engine session:
// the open doc (with its selections and session objects), settings and TTL.
// Handles stay per connection.
type session struct {
	srv *Server
	key string

	mu             sync.Mutex
	doc            Doc
	docName        string
	conns          map[*conn]struct{}
	ttl            int // effective TTL in seconds, latest connection wins
	gen            int // bumped on every attach so stale TTL timers do nothing
	timer          Timer
	ended          bool
	settings       json.RawMessage
	lastPersistent string
}

// sessionKey says which connections share a session: the same
// X-Qlik-Session (plus the same user in JWT mode), or else the same URL
// (prefix + doc) and user; /identity/<x> always separates.
func sessionKey(t target, info connInfo, jwtMode bool) string {
	if info.xsession != "" {
		k := "x\x00" + info.xsession + "\x00" + t.identity
		if jwtMode {
			k += "\x00" + info.user
		}
		return k
	}
	return "u\x00" + t.prefix + "\x00" + t.rawDoc + "\x00" + info.user + "\x00" + t.identity
}

// attach joins c to its session, creating the session (and opening the URL's
// app when the flavour says so) if needed. attached is true when the session
// already existed. On failure code is the close code to send (0 for a plain
// internal error).
func (s *Server) attach(t target, c *conn) (sess *session, attached bool, code websocket.StatusCode, err error) {
	key := sessionKey(t, c.info, s.cfg.JWTSecret != "")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false, websocket.StatusGoingAway, fmt.Errorf("failed to attach: server closed")
	}
	sess = s.sessions[key]
	if sess != nil {
		sess.mu.Lock()
		if sess.ended {
			sess.mu.Unlock()
			sess = nil
		} else {
			attached = true
		}
	}
	if sess == nil {
		if s.cloud() && s.cfg.MaxSessions > 0 && len(s.sessions) >= s.cfg.MaxSessions {
			return nil, false, 4205, fmt.Errorf("failed to attach: too many sessions")
		}
		doc, code, err := s.openOnConnect(t)
		if err != nil {
			return nil, false, code, err
		}
		sess = &session{srv: s, key: key, conns: map[*conn]struct{}{}, doc: doc}
		if doc != nil {
			sess.docName = t.doc
		}
		s.sessions[key] = sess
		sess.mu.Lock()
	}
	defer sess.mu.Unlock()
	if sess.timer != nil {
		sess.timer.Stop()
		sess.timer = nil
	}
	sess.gen++
	sess.ttl = s.effectiveTTL(t.ttl)
	sess.conns[c] = struct{}{}
	c.sess = sess
	s.conns[c] = struct{}{}
	return sess, attached, 0, nil
}

// openOnConnect opens the app a new session starts with: session apps in
// both flavours, any URL app in the cloud flavour. Called with s.mu held.
func (s *Server) openOnConnect(t target) (Doc, websocket.StatusCode, error) {
	switch {
	case strings.HasPrefix(t.doc, "SessionApp_"):
		d, err := s.lib.NewSessionApp(t.doc, t.from)
		if err != nil {
			return nil, 4204, fmt.Errorf("failed to create session app: %w", err)
		}
		return d, 0, nil
	case s.cloud() && t.doc != "":
		if !s.lib.Exists(t.doc) {
			return nil, 4204, fmt.Errorf("failed to open app: %w", notFound(t.doc))
		}
		if s.cfg.MaxApps > 0 && !s.appOpenLocked(t.doc) && s.openAppsLocked() >= s.cfg.MaxApps {
			return nil, 4230, fmt.Errorf("failed to open app: too many open apps")
		}
		d, err := s.lib.Open(t.doc)
		if err != nil {
			return nil, 4204, fmt.Errorf("failed to open app: %w", err)
		}
		return d, 0, nil
	}
	return nil, 0, nil
}

// openAppsLocked counts distinct open apps; s.mu must be held.
func (s *Server) openAppsLocked() int {
	names := map[string]bool{}
	for _, ss := range s.sessions {
		ss.mu.Lock()
		if ss.doc != nil {
			names[ss.docName] = true
		}
		ss.mu.Unlock()
	}
	return len(names)
}

// appOpenLocked tells whether some session has name open; s.mu must be held.
func (s *Server) appOpenLocked(name string) bool {
	for _, ss := range s.sessions {
		ss.mu.Lock()
		open := ss.doc != nil && ss.docName == name
		ss.mu.Unlock()
		if open {
			return true
		}
	}
	return false
}

// detach removes c from its session; the session then ends at once or after
// its TTL when c was its last connection.
func (ss *session) detach(c *conn) {
	s := ss.srv
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	ss.mu.Lock()
	delete(ss.conns, c)
	if len(ss.conns) > 0 || ss.ended {
		ss.mu.Unlock()
		return
	}
	ttl, gen := ss.ttl, ss.gen
	switch {
	case ttl < 0:
		ss.mu.Unlock()
	case ttl == 0:
		ss.mu.Unlock()
		ss.endIf(gen)
	default:
		ss.timer = s.clock.AfterFunc(seconds(ttl), func() { ss.endIf(gen) })
		ss.mu.Unlock()
	}
}

// endIf ends the session when nobody attached since generation gen.
func (ss *session) endIf(gen int) {
	ss.srv.mu.Lock()
	ss.mu.Lock()
	if ss.gen != gen || len(ss.conns) > 0 || ss.ended {
		ss.mu.Unlock()
		ss.srv.mu.Unlock()
		return
	}
	ss.mu.Unlock()
	ss.srv.mu.Unlock()
	ss.end()
}

// end releases the session: it leaves the server's table and its doc is
// closed.
func (ss *session) end() {
	s := ss.srv
	s.mu.Lock()
	if s.sessions[ss.key] == ss {
		delete(s.sessions, ss.key)
	}
	ss.mu.Lock()
	if ss.ended {
		ss.mu.Unlock()
		s.mu.Unlock()
		return
	}
	ss.ended = true
	doc := ss.doc
	if ss.timer != nil {
		ss.timer.Stop()
		ss.timer = nil
	}
	ss.mu.Unlock()
	s.mu.Unlock()
	if doc != nil {
		doc.Close()
	}
}

// activeDoc is the session's open doc, nil when none.
func (ss *session) activeDoc() Doc {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.doc
}

// openDoc makes name the session's doc, opening it with open unless it is
// already the open one; another open app fails with 1002.
func (ss *session) openDoc(name string, open func() (Doc, error)) (Doc, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.doc != nil {
		if ss.docName == name {
			return ss.doc, nil
		}
		return nil, &engine.Error{Code: 1002, Parameter: ss.docName, Message: "App already open"}
	}
	d, err := open()
	if err != nil {
		return nil, err
	}
	ss.doc, ss.docName = d, name
	return d, nil
}

// others lists the session's connections except c.
func (ss *session) others(c *conn) []*conn {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	out := make([]*conn, 0, len(ss.conns))
	for o := range ss.conns {
		if o != c {
			out = append(out, o)
		}
	}
	return out
}

// push tells the other connections of the session which of their handles
// changed or closed, as {"jsonrpc":"2.0","change":[…],"close":[…]}.
func (ss *session) push(from *conn, changed, closed []engine.Object) {
	if len(changed) == 0 && len(closed) == 0 {
		return
	}
	for _, o := range ss.others(from) {
		ch := o.handlesOf(changed)
		cl := o.dropHandles(closed)
		if len(ch) == 0 && len(cl) == 0 {
			continue
		}
		var b []byte
		b = append(b, `{"jsonrpc":"2.0"`...)
		b = appendList(b, "change", ch)
		b = appendList(b, "close", cl)
		b = append(b, '}')
		o.send(b)
	}
}

// appendList writes ,"name":[h,…] when hs is not empty, sorted ascending.
func appendList(b []byte, name string, hs []int) []byte {
	if len(hs) == 0 {
		return b
	}
	sort.Ints(hs)
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, h := range hs {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", h)
	}
	return append(b, ']')
}

// SessionInfo describes a live session for tests and the admin endpoint
// (GET /_emulator/sessions).
type SessionInfo struct {
	// Doc is the open app ("" when none).
	Doc string `json:"doc"`
	// Sockets is the number of connections attached.
	Sockets int `json:"sockets"`
	// TTL is the effective TTL in seconds (-1 = forever).
	TTL int `json:"ttl"`
}

// Sessions lists the live sessions (with sockets or within their TTL).
func (s *Server) Sessions() []SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SessionInfo, 0, len(s.sessions))
	for _, ss := range s.sessions {
		ss.mu.Lock()
		out = append(out, SessionInfo{Doc: ss.docName, Sockets: len(ss.conns), TTL: ss.ttl})
		ss.mu.Unlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Doc < out[j].Doc })
	return out
}

// serveSessionsAdmin answers GET /_emulator/sessions (loopback only).
func (s *Server) serveSessionsAdmin(w http.ResponseWriter, r *http.Request) {
	if !loopback(r.RemoteAddr) {
		http.Error(w, "admin is loopback only", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.Sessions())
}
