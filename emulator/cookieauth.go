package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// AuthCookie is the Config.Auth value that turns on browser sign-in: a
// session cookie, CSRF tokens and web integrations, the way browsers reach
// Qlik Cloud and Qlik Sense Enterprise (they cannot set headers on a
// WebSocket, so a cookie plus URL parameters is all they have).
//
// In this mode:
//
//   - POST /_emulator/login[?user=NAME] (loopback only) signs in: it sets
//     the SessionCookie (HttpOnly, SameSite=Lax, Path=/) and mints the
//     session's CSRF token; POST /_emulator/logout ends it. They stand in
//     for the identity provider's login pages.
//   - GET /api/v1/csrf-token (Qlik Cloud) answers 200 with the token in the
//     qlik-csrf-token response header for a signed-in request whose
//     qlik-web-integration-id header names a configured web integration
//     that allows the request's Origin; 401 when not signed in, 403 for a
//     missing or unknown web integration id or an Origin it does not allow.
//     Cross-origin callers get CORS headers (credentials allowed,
//     qlik-csrf-token exposed) only for allowed Origins, so a browser on
//     another origin sees a network error otherwise, as with Qlik Cloud.
//   - GET /<prefix>/qps/csrftoken (Qlik Sense Enterprise, since the
//     November 2024 release) answers 200 with the qlik-csrf-token header
//     for a signed-in request, 401 otherwise, 404 for a prefix not in
//     Config.VirtualProxies (when that lists any).
//   - /_emulator/web-integrations (loopback only) lists (GET) and adds
//     (POST {"id","validOrigins"}) web integrations at run time, so a test
//     can allow the origin of a server it started on a free port.
//   - A WebSocket upgrade is checked before it is accepted. Without a
//     virtual proxy prefix (Qlik Cloud): the cookie (else 401), the
//     qlik-web-integration-id URL parameter naming a configured web
//     integration (else 403), the Origin allowed by it (else 403) and the
//     qlik-csrf-token URL parameter equal to the session's token (else
//     403). With a prefix (Qlik Sense Enterprise): the prefix (else 404),
//     the cookie (else 401) and the CSRF token (else 403). The user
//     signed in is the engine user (sessions are per user).
//
// Refusals are HTTP answers to the upgrade request, not close frames:
// Qlik Cloud's edge checks the sign-in before the engine sees the socket,
// which is why a browser page sees only close code 1006 (the status is
// hidden from page script) and clients must explain the failure from what
// they know (see jsbridge/qix-auth.js). The body is JSON in the shape of
// Qlik Cloud's REST errors, {"errors":[{"title","code","status"}],
// "traceId"}, for non-browser clients; the codes are the emulator's own.
//
// A request without an Origin header is not from a page: its origin is not
// checked, except that a browser's same-origin fetch (Sec-Fetch-Site:
// same-origin, which carries no Origin on GET) counts as coming from the
// server's own origin.
const AuthCookie = "cookie"

// SessionCookie is the sign-in cookie of AuthCookie mode.
const SessionCookie = "_session"

// signIn is one signed-in browser session.
type signIn struct {
	user string
	csrf string
}

// cookieAuth holds the sign-ins of AuthCookie mode.
type cookieAuth struct {
	proxies []string // virtual proxy prefixes; empty = any

	mu           sync.Mutex
	integrations map[string][]string // web integration id -> allowed Origins
	signIns      map[string]signIn   // cookie value -> sign-in
}

// newCookieAuth returns the sign-in state of cfg, or nil outside AuthCookie mode.
func newCookieAuth(cfg Config) *cookieAuth {
	if cfg.Auth != AuthCookie {
		return nil
	}
	integ := map[string][]string{}
	for id, origins := range cfg.WebIntegrations {
		integ[id] = append([]string(nil), origins...)
	}
	proxies := make([]string, 0, len(cfg.VirtualProxies))
	for _, p := range cfg.VirtualProxies {
		proxies = append(proxies, strings.Trim(p, "/"))
	}
	return &cookieAuth{integrations: integ, proxies: proxies, signIns: map[string]signIn{}}
}

// authError is a refusal with its HTTP status and a short code.
type authError struct {
	status int
	code   string
	title  string
}

func (e *authError) Error() string { return e.title }

var (
	errNotSignedIn    = &authError{http.StatusUnauthorized, "EMU-AUTH-NOT-SIGNED-IN", "not signed in: no valid session cookie"}
	errNoIntegration  = &authError{http.StatusForbidden, "EMU-AUTH-NO-WEB-INTEGRATION", "missing qlik-web-integration-id"}
	errBadIntegration = &authError{http.StatusForbidden, "EMU-AUTH-UNKNOWN-WEB-INTEGRATION", "unknown web integration id"}
	errOriginNotInWI  = &authError{http.StatusForbidden, "EMU-AUTH-ORIGIN-NOT-ALLOWED", "origin not allowed for this web integration"}
	errNoCSRF         = &authError{http.StatusForbidden, "EMU-AUTH-NO-CSRF-TOKEN", "missing qlik-csrf-token"}
	errBadCSRF        = &authError{http.StatusForbidden, "EMU-AUTH-BAD-CSRF-TOKEN", "qlik-csrf-token does not match the session"}
	errUnknownProxy   = &authError{http.StatusNotFound, "EMU-AUTH-UNKNOWN-VIRTUAL-PROXY", "unknown virtual proxy prefix"}
)

// writeAuthError answers a refused request with a Qlik Cloud-style JSON error.
func writeAuthError(w http.ResponseWriter, e *authError) {
	body, _ := json.Marshal(map[string]any{
		"errors":  []map[string]string{{"title": e.title, "code": e.code, "status": http.StatusText(e.status)}},
		"traceId": traceID(),
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.status)
	_, _ = w.Write(append(body, '\n'))
}

// randomToken is 32 random hex digits.
func randomToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// session returns the sign-in of a request's cookie.
func (a *cookieAuth) session(r *http.Request) (signIn, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return signIn{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	si, ok := a.signIns[c.Value]
	return si, ok
}

// requestOrigin is the browser origin a request comes from: its Origin
// header, else the server's own origin for a same-origin fetch (browsers
// leave Origin out of same-origin GETs), else "" (not a page).
func requestOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" {
		return o
	}
	if r.Header.Get("Sec-Fetch-Site") == "same-origin" && r.Host != "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + r.Host
	}
	return ""
}

// checkIntegration validates a web integration id against a request's origin.
func (a *cookieAuth) checkIntegration(id, origin string) *authError {
	if id == "" {
		return errNoIntegration
	}
	origins, ok := a.integration(id)
	if !ok {
		return errBadIntegration
	}
	if origin == "" {
		return nil // not a page: nothing to check against
	}
	if !originListed(origin, origins) {
		return errOriginNotInWI
	}
	return nil
}

// integration returns the allowed Origins of a web integration.
func (a *cookieAuth) integration(id string) ([]string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	o, ok := a.integrations[id]
	return o, ok
}

// originListed reports whether origin is one of origins (compared without
// case and without a trailing slash) or origins holds "*".
func originListed(origin string, origins []string) bool {
	origin = strings.TrimSuffix(origin, "/")
	for _, o := range origins {
		if o == "*" || strings.EqualFold(strings.TrimSuffix(o, "/"), origin) {
			return true
		}
	}
	return false
}

// anyIntegrationAllows reports whether some web integration allows origin,
// for CORS preflights, which carry no header values to tell which one.
func (a *cookieAuth) anyIntegrationAllows(origin string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, origins := range a.integrations {
		if originListed(origin, origins) {
			return true
		}
	}
	return false
}

// knownProxy reports whether prefix is a configured virtual proxy.
func (a *cookieAuth) knownProxy(prefix string) bool {
	if len(a.proxies) == 0 {
		return true
	}
	for _, p := range a.proxies {
		if p == prefix {
			return true
		}
	}
	return false
}

// checkUpgrade returns the user of a WebSocket upgrade to target t, or why
// it is refused (see AuthCookie).
func (a *cookieAuth) checkUpgrade(r *http.Request, t target) (string, *authError) {
	if t.prefix != "" && !a.knownProxy(t.prefix) {
		return "", errUnknownProxy
	}
	si, ok := a.session(r)
	if !ok {
		return "", errNotSignedIn
	}
	q := r.URL.Query()
	if t.prefix == "" {
		if e := a.checkIntegration(q.Get("qlik-web-integration-id"), r.Header.Get("Origin")); e != nil {
			return "", e
		}
	}
	switch tok := q.Get("qlik-csrf-token"); {
	case tok == "":
		return "", errNoCSRF
	case tok != si.csrf:
		return "", errBadCSRF
	}
	return si.user, nil
}

// serveCloudCSRF answers GET /api/v1/csrf-token like Qlik Cloud.
func (a *cookieAuth) serveCloudCSRF(w http.ResponseWriter, r *http.Request) {
	origin := requestOrigin(r)
	cross := r.Header.Get("Origin") != "" && r.Header.Get("Sec-Fetch-Site") != "same-origin" &&
		!sameOrigin(r.Header.Get("Origin"), r)
	if r.Method == http.MethodOptions {
		if cross && a.anyIntegrationAllows(origin) {
			setCORS(w, origin)
			w.Header().Set("Access-Control-Allow-Methods", "GET")
			w.Header().Set("Access-Control-Allow-Headers", "qlik-web-integration-id, qlik-csrf-token, content-type")
			w.Header().Set("Access-Control-Max-Age", "600")
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id := r.Header.Get("qlik-web-integration-id")
	if cross {
		// The web integration is Qlik Cloud's CORS list: other origins get
		// no CORS headers and see a network error.
		if ids, ok := a.integration(id); ok && originListed(origin, ids) {
			setCORS(w, origin)
		}
	}
	si, ok := a.session(r)
	if !ok {
		writeAuthError(w, errNotSignedIn)
		return
	}
	if e := a.checkIntegration(id, origin); e != nil {
		writeAuthError(w, e)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("qlik-csrf-token", si.csrf)
	w.WriteHeader(http.StatusOK)
}

// serveQPSCSRF answers GET /<prefix>/qps/csrftoken like Qlik Sense
// Enterprise's proxy.
func (a *cookieAuth) serveQPSCSRF(w http.ResponseWriter, r *http.Request, prefix string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !a.knownProxy(prefix) {
		writeAuthError(w, errUnknownProxy)
		return
	}
	si, ok := a.session(r)
	if !ok {
		writeAuthError(w, errNotSignedIn)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("qlik-csrf-token", si.csrf)
	w.WriteHeader(http.StatusOK)
}

// setCORS allows a credentialed cross-origin read that exposes the token.
func setCORS(w http.ResponseWriter, origin string) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Set("Access-Control-Expose-Headers", "qlik-csrf-token")
	h.Add("Vary", "Origin")
}

// sameOrigin reports whether an Origin names the host a request was sent to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// serveLogin signs a loopback client in (POST /_emulator/login?user=NAME)
// or out (POST /_emulator/logout).
func (a *cookieAuth) serveLogin(w http.ResponseWriter, r *http.Request, logout bool) {
	if !loopback(r.RemoteAddr) {
		http.Error(w, "login is loopback only", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if logout {
		if c, err := r.Cookie(SessionCookie); err == nil {
			a.mu.Lock()
			delete(a.signIns, c.Value)
			a.mu.Unlock()
		}
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		w.WriteHeader(http.StatusNoContent)
		return
	}
	user := r.URL.Query().Get("user")
	if user == "" {
		user = "emulator-user"
	}
	sid := randomToken()
	a.mu.Lock()
	a.signIns[sid] = signIn{user: user, csrf: randomToken()}
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"user": user})
}

// serveAuthEndpoints answers the AuthCookie endpoints; false when p is
// none of them. Outside AuthCookie mode they are 404.
func (s *Server) serveAuthEndpoints(w http.ResponseWriter, r *http.Request, p string) bool {
	var serve func()
	switch {
	case strings.HasSuffix(p, "/_emulator/login"), strings.HasSuffix(p, "/_emulator/logout"):
		serve = func() { s.auth.serveLogin(w, r, strings.HasSuffix(p, "/logout")) }
	case strings.HasSuffix(p, "/_emulator/web-integrations"):
		serve = func() { s.auth.serveIntegrationAdmin(w, r) }
	case p == "/api/v1/csrf-token":
		serve = func() { s.auth.serveCloudCSRF(w, r) }
	case strings.HasSuffix(p, "/qps/csrftoken"):
		prefix := strings.Trim(strings.TrimSuffix(p, "/qps/csrftoken"), "/")
		serve = func() { s.auth.serveQPSCSRF(w, r, prefix) }
	default:
		return false
	}
	if s.auth == nil {
		http.Error(w, "sign-in endpoints need the emulator's cookie auth mode (-auth cookie)", http.StatusNotFound)
		return true
	}
	if strings.Contains(p, "/_emulator/") {
		if err := OriginAllowed(r, s.cfg.AllowedOrigins); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return true
		}
	}
	serve()
	return true
}
