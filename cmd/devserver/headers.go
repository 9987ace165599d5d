package main

import "net/http"

// ContentSecurityPolicy is sent on every dev-server response. The pages
// already carry `script-src 'self' 'wasm-unsafe-eval'` in a meta tag; the
// header adds what a meta tag cannot (frame-ancestors) and covers module
// workers, whose policy comes from their own response: scripts only from
// this origin plus wasm compilation, no plugins, no foreign base or form
// targets, no framing by other sites. connect-src allows any ws:/wss: URL
// because pages connect to engines the user names (Qlik Cloud tenants,
// Qlik Sense servers) as well as to this server's emulator, and https:
// because signing in to them takes a credentialed fetch of their CSRF
// token (jsbridge/qix-auth.js: /api/v1/csrf-token, <prefix>/qps/csrftoken);
// plain http: stays on this origin. Inline styles stay allowed: charts set style attributes.
const ContentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self' data:; " +
	"connect-src 'self' ws: wss: https:; " +
	"worker-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'self'"

// securityHeaders sets the CSP, X-Content-Type-Options: nosniff (no
// response is ever sniffed into script or HTML) and Referrer-Policy:
// same-origin (page URLs may carry engine URLs with tickets in ?url=, which
// must not leak to other sites) on every response, errors and WebSocket
// upgrades included, before the handler writes anything.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
