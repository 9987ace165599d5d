package emulator

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// errOriginRefused is wrapped by OriginAllowed's errors.
var errOriginRefused = errors.New("origin not allowed")

// OriginAllowed tells whether a request may open a QIX WebSocket or use the
// admin endpoints, judged by its Origin header, so a page on another site
// cannot drive a local engine (cross-site WebSocket hijacking) or change
// its faults. Allowed are:
//
//   - requests without Origin: programs (Go, Node, curl); browsers always
//     send Origin on WebSocket upgrades and on cross-origin POST/DELETE;
//   - a loopback Origin (localhost, *.localhost, 127.0.0.0/8, [::1]): pages
//     served from the same machine, such as the dev server's;
//   - a same-origin page: the Origin's host and port equal the Host header
//     (behind a proxy that keeps Host);
//   - an Origin matching one of allowed: a full origin
//     ("https://app.example.com", compared without case), a host pattern
//     for path.Match ("*.example.com", "app.example.com:8443"), or "*".
//
// "null" (sandboxed frames, file: pages) is refused unless allowed lists
// "null" or "*". The error says which Origin was refused.
func OriginAllowed(r *http.Request, allowed []string) error {
	vals := r.Header.Values("Origin")
	if len(vals) == 0 {
		return nil
	}
	if len(vals) > 1 {
		return fmt.Errorf("%w: more than one Origin header", errOriginRefused)
	}
	origin := strings.TrimSpace(vals[0])
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(a, origin) {
			return nil
		}
	}
	u, err := url.Parse(origin)
	if origin == "null" || err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%w: %q", errOriginRefused, origin)
	}
	host := strings.ToLower(u.Host)
	if loopbackName(u.Hostname()) || sameHost(host, u.Scheme, strings.ToLower(r.Host)) {
		return nil
	}
	for _, a := range allowed {
		if strings.Contains(a, "://") {
			continue
		}
		if ok, _ := path.Match(strings.ToLower(a), host); ok {
			return nil
		}
		if ok, _ := path.Match(strings.ToLower(a), strings.ToLower(u.Hostname())); ok && u.Port() == "" {
			return nil
		}
	}
	return fmt.Errorf("%w: %q (not loopback, not same-origin and not in the allowed origins)", errOriginRefused, origin)
}

// sameHost compares an Origin's host with a Host header, filling in the
// scheme's default port on either side.
func sameHost(originHost, scheme, host string) bool {
	if host == "" {
		return false
	}
	return withPort(originHost, scheme) == withPort(host, scheme)
}

// withPort adds the scheme's default port to a host without one.
func withPort(h, scheme string) string {
	if _, _, err := net.SplitHostPort(h); err == nil {
		return h
	}
	if scheme == "https" {
		return net.JoinHostPort(strings.Trim(h, "[]"), "443")
	}
	return net.JoinHostPort(strings.Trim(h, "[]"), "80")
}

// loopbackName tells whether a host name (no port, no brackets) names the
// loopback interface.
func loopbackName(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
