// Package emulator is the protocol side of an offline Qlik QIX engine: it
// speaks JSON-RPC 2.0 over WebSocket like a real engine (sessions, handles,
// TTL, Qlik Core and Qlik Cloud flavours, JWT, delta, cancellation, Global
// methods) and routes object calls to the data side (package
// emulator/engine) through engine/contract.go, so tests, pages and
// benchmarks run without a real engine.
//
// Endpoints (an optional virtual-proxy prefix may precede /app):
//
//	/app/<doc>                    session per doc + user (core: doc not opened; cloud: opened on connect)
//	/app/                         session from the X-Qlik-Session header
//	/app/engineData               session without a doc
//	/app/SessionApp_<id>[?from=T] session app created on connect (copy of T)
//	.../identity/<x>              forces a distinct session
//	.../ttl/<seconds>             session TTL for this connection (capped)
//	/_emulator/faults             fault injection admin (loopback only), see FaultSpec
//	/_emulator/sessions           GET: live sessions as JSON (loopback only)
//	/_emulator/schema-violations  GET/DELETE: replies that differed from the schema (Config.SchemaCheck)
//	/_emulator/login, /logout     sign-in cookie (Config.Auth = AuthCookie, loopback only)
//	/api/v1/csrf-token            Qlik Cloud's CSRF token endpoint (AuthCookie)
//	/<prefix>/qps/csrftoken       Qlik Sense Enterprise's CSRF token endpoint (AuthCookie)
//
// Like a real server it bounds what one client can send: frames over
// Config.MaxMessageBytes close the socket with 1009, requests nested
// deeper than Config.MaxJSONDepth get error -32600, and WebSocket upgrades
// and admin requests from a browser Origin that is neither loopback, the
// server's own nor listed in Config.AllowedOrigins get HTTP 403.
//
// Fault injection (off by default) is described on FaultSpec, AddFault and
// ParseFaultFlag.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Flavours of engine the server can imitate.
const (
	FlavorCore  = "core"
	FlavorCloud = "cloud"
)

// Config sets up a Server. The zero value is a Qlik Core-like engine with
// the default library, SessionTTL 0 and MaxSessionTTL 1800.
type Config struct {
	// Flavor is "core" (default) or "cloud": cloud opens the URL's app on
	// connect and reports failures as close codes 42xx with JSON reasons.
	Flavor string
	// Library provides the apps; nil uses the engine package's library
	// built from DataDir.
	Library Library
	// DataDir is the CSV folder handed to the default library; with it,
	// DoSave also writes apps to DataDir/apps, read back at start (see
	// engine.Library.Persist). Without it saved apps live in memory.
	DataDir string
	// ReloadPace is how long a reload of the generated "Sales" app takes in
	// the default library, spread over its tables so GetProgress shows each
	// one and a progress bar moves (CancelRequest/CancelReload stop it
	// between and during tables). 0 means the default, 1 s
	// (engine.DefaultReloadPace); NoReloadPace makes reloads instant.
	// Scripts always run as fast as they can.
	ReloadPace time.Duration
	// SessionTTL is the default session time-to-live in seconds once its
	// last socket closes (0 = end at once, -1 = forever, which requires
	// MaxSessionTTL = -1).
	SessionTTL int
	// MaxSessionTTL caps every TTL in seconds; 0 means the default 1800,
	// -1 allows infinite TTL, NoSessionTTL caps every TTL to zero.
	MaxSessionTTL int
	// JWTSecret turns on JWT mode (HS256, sub claim = user) when set.
	JWTSecret string
	// MaxSessions limits live sessions (cloud flavour: 4205 beyond); 0 = no limit.
	MaxSessions int
	// MaxApps limits distinct open apps (cloud flavour: 4230 beyond); 0 = no limit.
	MaxApps int
	// MaxInFlight bounds the requests one connection runs at once
	// (default 1024); the reader waits when it is reached.
	MaxInFlight int
	// MaxMessageBytes bounds one request frame: 0 means
	// DefaultMaxMessageBytes (64 MiB), NoLimit none. A larger frame closes
	// the socket with 1009 (message too big).
	MaxMessageBytes int64
	// MaxJSONDepth bounds the nesting of one request: 0 means
	// DefaultMaxJSONDepth (256), NoLimit none. A deeper request is
	// answered with error -32600.
	MaxJSONDepth int
	// AllowedOrigins lists the browser Origins allowed to open WebSockets
	// and use the admin endpoints besides loopback and same-origin pages
	// (see OriginAllowed): "https://app.example.com", "*.example.com" or
	// "*" for any.
	AllowedOrigins []string
	// Auth is "" (no sign-in; JWT mode when JWTSecret is set) or
	// AuthCookie: browser sign-in with a session cookie, CSRF tokens and
	// web integrations as Qlik Cloud and Qlik Sense Enterprise do it.
	Auth string
	// WebIntegrations maps the web integration ids AuthCookie mode knows
	// to the page Origins each allows ("https://app.example.com" or "*").
	WebIntegrations map[string][]string
	// VirtualProxies lists the virtual proxy prefixes AuthCookie mode's
	// Enterprise-style endpoints answer; empty means any.
	VirtualProxies []string
	// EngineVersion is qComponentVersion (default "12.2027.0").
	EngineVersion string
	// Clock runs the TTL timers; nil uses the real clock. Tests inject a
	// fake one so TTL expiry needs no sleeping.
	Clock Clock
	// Logf receives diagnostics; nil uses log.Printf, use a no-op to silence.
	Logf func(format string, args ...any)
	// SchemaCheck, when set, checks every reply against the engine API
	// specification and records where one differs (GET
	// /_emulator/schema-violations); see LoadEngineSpec.
	SchemaCheck *EngineSpec
	// SchemaReport, with SchemaCheck, is a file each new violation is
	// appended to as a JSON line.
	SchemaReport string
}

// NoReloadPace is the Config.ReloadPace that makes reloads of generated
// apps instant (0 itself means "default 1 s").
const NoReloadPace time.Duration = -1

// Server is the emulator: an http.Handler serving QIX WebSockets and the
// fault admin endpoint. Create it with New.
type Server struct {
	cfg    Config
	lib    Library
	clock  Clock
	faults *faultSet
	auth   *cookieAuth     // nil unless Config.Auth is AuthCookie
	schema *schemaRecorder // nil unless Config.SchemaCheck is set

	mu       sync.Mutex
	sessions map[string]*session
	conns    map[*conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

// New builds a Server from cfg, filling defaults.
func New(cfg Config) *Server {
	if cfg.Flavor == "" {
		cfg.Flavor = FlavorCore
	}
	if cfg.MaxSessionTTL == 0 {
		cfg.MaxSessionTTL = 1800
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 1024
	}
	if cfg.EngineVersion == "" {
		cfg.EngineVersion = "12.2027.0"
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	lib := cfg.Library
	if lib == nil {
		el := defaultLibrary(cfg.DataDir, cfg.ReloadPace)
		if cfg.DataDir != "" {
			// DoSave writes apps under DataDir/apps; those saved before load now.
			if err := el.l.Persist(cfg.DataDir); err != nil {
				cfg.Logf("qix-emulator: %v", err)
			}
		}
		lib = el
	}
	clock := cfg.Clock
	if clock == nil {
		clock = realClock{}
	}
	return &Server{
		cfg:      cfg,
		lib:      lib,
		clock:    clock,
		faults:   newFaultSet(),
		auth:     newCookieAuth(cfg),
		schema:   newSchemaRecorder(cfg),
		sessions: map[string]*session{},
		conns:    map[*conn]struct{}{},
	}
}

// cloud tells whether the server imitates Qlik Cloud.
func (s *Server) cloud() bool { return s.cfg.Flavor == FlavorCloud }

// target is what a connect URL asks for.
type target struct {
	prefix   string // virtual proxy prefix before /app
	doc      string // "" for /app/ and engineData
	rawDoc   string // doc segment as sent
	identity string
	ttl      *int
	from     string // ?from= template for session apps
	faults   []FaultSpec
}

// parseTarget reads the connect URL; ok is false when it has no /app segment.
func parseTarget(u *url.URL) (target, bool, error) {
	var t target
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	appAt := -1
	for i, sg := range segs {
		if sg == "app" {
			appAt = i
			break
		}
	}
	if appAt < 0 {
		return t, false, nil
	}
	t.prefix = strings.Join(segs[:appAt], "/")
	rest := segs[appAt+1:]
	if len(rest) > 0 {
		d, err := url.PathUnescape(rest[0])
		if err != nil {
			return t, true, err
		}
		if d != "identity" && d != "ttl" {
			t.rawDoc = d
			rest = rest[1:]
		}
	}
	all := append(append([]string{}, segs[:appAt]...), rest...)
	for i := 0; i+1 < len(all); i++ {
		switch all[i] {
		case "identity":
			v, err := url.PathUnescape(all[i+1])
			if err != nil {
				return t, true, err
			}
			t.identity = v
			i++
		case "ttl":
			n, err := strconv.Atoi(all[i+1])
			if err != nil {
				return t, true, err
			}
			t.ttl = &n
			i++
		}
	}
	if t.rawDoc != "engineData" {
		t.doc = t.rawDoc
	}
	q := u.Query()
	t.from = q.Get("from")
	for _, f := range q["qix-fault"] {
		spec, err := ParseFaultFlag(f)
		if err != nil {
			return t, true, err
		}
		t.faults = append(t.faults, spec)
	}
	return t, true, nil
}

// ServeHTTP serves QIX WebSockets under .../app/ and the fault admin under
// .../_emulator/faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	if strings.HasSuffix(p, "/_emulator/faults") || strings.HasSuffix(p, "/_emulator/sessions") || strings.HasSuffix(p, "/_emulator/schema-violations") {
		if err := OriginAllowed(r, s.cfg.AllowedOrigins); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
	}
	switch {
	case strings.HasSuffix(p, "/_emulator/faults"):
		s.serveFaultAdmin(w, r)
		return
	case strings.HasSuffix(p, "/_emulator/sessions"):
		s.serveSessionsAdmin(w, r)
		return
	case strings.HasSuffix(p, "/_emulator/schema-violations"):
		s.serveSchemaAdmin(w, r)
		return
	}
	if s.serveAuthEndpoints(w, r, p) || s.serveTempContent(w, r) {
		return
	}
	t, ok, err := parseTarget(r.URL)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "bad QIX URL: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := OriginAllowed(r, s.cfg.AllowedOrigins); err != nil &&
		(s.auth == nil || !s.auth.anyIntegrationAllows(r.Header.Get("Origin"))) {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	var signedIn string
	if s.auth != nil {
		u, aerr := s.auth.checkUpgrade(r, t)
		if aerr != nil {
			s.cfg.Logf("qix-emulator: refused upgrade of %q: %v", t.rawDoc, aerr)
			writeAuthError(w, aerr)
			return
		}
		signedIn = u
	}
	user, authErr := s.authenticate(r)
	if user == "" {
		user = signedIn
	}
	if authErr != nil && !s.cloud() {
		w.Header().Set("WWW-Authenticate", `Bearer realm="qix-emulator"`)
		http.Error(w, "unauthorized: "+authErr.Error(), http.StatusUnauthorized)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept already answered the HTTP request
	}
	ws.SetReadLimit(readLimit(s.cfg.MaxMessageBytes))
	if authErr != nil {
		closeJSON(ws, 4203, "QEP-103")
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close(websocket.StatusGoingAway, "server closing")
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	info := connInfo{
		doc:      t.doc,
		xsession: r.Header.Get("X-Qlik-Session"),
		identity: t.identity,
		user:     user,
	}
	c := newConn(s, ws, info, t.faults)
	_, attached, code, err := s.attach(t, c)
	if err != nil {
		s.cfg.Logf("qix-emulator: %v", err)
		if qep, ok := cloudCodes[code]; ok {
			closeJSON(ws, code, qep)
		} else if code != 0 {
			ws.Close(code, "server closing")
		} else {
			ws.Close(websocket.StatusInternalError, truncate(err.Error(), 120))
		}
		return
	}
	c.serve(attached)
}

// cloudCodes maps close codes to the QEP codes sent in their JSON reasons.
var cloudCodes = map[websocket.StatusCode]string{
	4202: "QEP-102",
	4203: "QEP-103",
	4204: "QEP-104",
	4205: "QEP-105",
	4230: "QEP-130",
}

// closeJSON closes a socket the way Qlik Cloud does: a 42xx code and a JSON
// reason with the QEP code and a trace id.
func closeJSON(ws *websocket.Conn, code websocket.StatusCode, qep string) {
	ws.Close(code, `{"code":"`+qep+`","traceId":"`+traceID()+`"}`)
}

// truncate keeps close reasons within the 123 bytes a close frame allows.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// traceID is 32 random hex digits, like Qlik Cloud's trace ids.
func traceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newUUID returns a random RFC 4122 version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Close disconnects every socket, ends every session and waits for the
// connection goroutines, so a command can stop gracefully.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.closeWith(websocket.StatusGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		// Peers that do not answer the close handshake are cut.
		for _, c := range conns {
			c.ws.CloseNow()
		}
		select {
		case <-done:
		case <-time.After(2 * time.Second):
		}
	}
	s.mu.Lock()
	sessions := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		sessions = append(sessions, ss)
	}
	s.mu.Unlock()
	for _, ss := range sessions {
		ss.end()
	}
	return nil
}

// SessionCount is the number of live sessions (with sockets or within TTL).
func (s *Server) SessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}
