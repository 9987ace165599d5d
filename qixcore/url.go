package qixcore

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultCorePort is the port Qlik Core and Qlik Sense Desktop engines
// listen on for QIX WebSockets.
const DefaultCorePort = 9076

// QueryParam is one URL query parameter. URLConfig keeps them in a slice
// so the query string has a stable, caller-chosen order.
type QueryParam struct {
	Key, Value string
}

// URLConfig describes a QIX WebSocket URL. All strings are given
// unescaped; BuildURL escapes every path segment and query component.
//
// The path is /Prefix/Subpath/Route/AppID/identity/Identity/ttl/TTL where
// empty parts are left out; Prefix, Subpath and Route may hold several
// segments separated by "/".
type URLConfig struct {
	// Secure selects wss:// instead of ws://.
	Secure bool
	// Host is a host name or IP, optionally with ":port" (IPv6 literals
	// may be given bare or in brackets). Required.
	Host string
	// Port is added to Host when non-zero (0 leaves Host as given, i.e.
	// the scheme's default port unless Host names one).
	Port int
	// Prefix is the virtual proxy prefix (Qlik Sense Enterprise).
	Prefix string
	// Subpath goes between Prefix and Route.
	Subpath string
	// Route is the engine route; "" means "app".
	Route string
	// AppID is the app (document) id. Empty means no app in the URL: the
	// path then ends with the route and a slash ("/app/", as Qlik Core
	// documents for doc-less sessions), or continues with /identity or
	// /ttl when those are set.
	AppID string
	// Identity adds /identity/<Identity>, which forces a session distinct
	// from the user's other sessions on the same app.
	Identity string
	// TTL adds /ttl/<seconds> (session time-to-live after the last socket
	// closes) when non-nil; nil leaves the engine default. 0 is a real
	// value (close at once) and -1 means infinite, hence a pointer:
	// TTL: new(30).
	TTL *int
	// SessionApp connects to a new session app, /app/SessionApp_<id>,
	// with a random UUID (crypto/rand natively, the runtime's ChaCha8 in
	// browsers) unless SessionAppID is set.
	SessionApp bool
	// SessionAppID fixes the session app id (with or without the
	// "SessionApp_" prefix); setting it implies SessionApp.
	SessionAppID string
	// TemplateAppID adds ?from=<id>: the session app starts as a copy of
	// that app. Only valid for session apps.
	TemplateAppID string
	// Params are extra query parameters in order (qlik-web-integration-id,
	// qlik-csrf-token, qlikTicket, reloadUri, ...).
	Params []QueryParam
}

const sessionAppPrefix = "SessionApp_"

// BuildURL returns the WebSocket URL for cfg. It reads cfg only; the
// result is deterministic except for the random session app id when
// SessionApp is set without SessionAppID.
func BuildURL(cfg URLConfig) (string, error) {
	host, err := urlHost(cfg.Host, cfg.Port)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if cfg.Secure {
		b.WriteString("wss://")
	} else {
		b.WriteString("ws://")
	}
	b.WriteString(host)

	if err := writeSegments(&b, "prefix", cfg.Prefix); err != nil {
		return "", err
	}
	if err := writeSegments(&b, "subpath", cfg.Subpath); err != nil {
		return "", err
	}
	route := cfg.Route
	if route == "" {
		route = "app"
	}
	if err := writeSegments(&b, "route", route); err != nil {
		return "", err
	}
	if strings.Trim(route, "/") == "" {
		return "", errors.New("failed to build URL: route has no segments")
	}

	appID := cfg.AppID
	if cfg.SessionApp || cfg.SessionAppID != "" {
		if appID != "" {
			return "", errors.New("failed to build URL: AppID and SessionApp are mutually exclusive")
		}
		id := cfg.SessionAppID
		if id == "" {
			id = newUUID()
		}
		appID = id
		if !strings.HasPrefix(appID, sessionAppPrefix) {
			appID = sessionAppPrefix + appID
		}
		if appID == sessionAppPrefix {
			return "", errors.New("failed to build URL: SessionAppID has no id after the SessionApp_ prefix")
		}
	} else if cfg.TemplateAppID != "" {
		return "", errors.New("failed to build URL: TemplateAppID needs a session app")
	}
	tail := cfg.Identity != "" || cfg.TTL != nil
	switch {
	case appID != "":
		if err := writeSegment(&b, "app id", appID); err != nil {
			return "", err
		}
	case !tail:
		b.WriteByte('/')
	}
	if cfg.Identity != "" {
		b.WriteString("/identity")
		if err := writeSegment(&b, "identity", cfg.Identity); err != nil {
			return "", err
		}
	}
	if cfg.TTL != nil {
		if *cfg.TTL < -1 {
			return "", errors.New("failed to build URL: TTL " + strconv.Itoa(*cfg.TTL) + " is below -1")
		}
		b.WriteString("/ttl/")
		b.WriteString(strconv.Itoa(*cfg.TTL))
	}

	sep := byte('?')
	if cfg.TemplateAppID != "" {
		b.WriteString("?from=")
		b.WriteString(queryEscape(cfg.TemplateAppID))
		sep = '&'
	}
	for i, p := range cfg.Params {
		if p.Key == "" {
			return "", errors.New("failed to build URL: query parameter " + strconv.Itoa(i) + " has an empty key")
		}
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(queryEscape(p.Key))
		b.WriteByte('=')
		b.WriteString(queryEscape(p.Value))
	}
	return b.String(), nil
}

// CoreURL returns ws://host:9076/app/<doc> for a Qlik Core engine; host
// may name its own port, and "" means localhost.
func CoreURL(host, doc string) (string, error) {
	if host == "" {
		host = "localhost"
	}
	cfg := URLConfig{Host: host, AppID: doc}
	if _, _, hasPort, _ := splitHost(host); !hasPort {
		cfg.Port = DefaultCorePort
	}
	return BuildURL(cfg)
}

// CloudURL returns wss://<tenant>/app/<appID> for Qlik Cloud. tenant is the
// tenant host (e.g. "acme.eu.qlikcloud.com"); a pasted https:// prefix or
// trailing slash is tolerated.
func CloudURL(tenant, appID string) (string, error) {
	for _, scheme := range []string{"https://", "wss://", "http://", "ws://"} {
		if len(tenant) >= len(scheme) && strings.EqualFold(tenant[:len(scheme)], scheme) {
			tenant = tenant[len(scheme):]
			break
		}
	}
	tenant = strings.TrimRight(tenant, "/")
	return BuildURL(URLConfig{Secure: true, Host: tenant, AppID: appID})
}

// splitHost splits "name", "name:port", "[v6]", "[v6]:port" or a bare
// IPv6 literal into name and port text; ok is false for malformed brackets.
func splitHost(host string) (name, port string, hasPort, ok bool) {
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", "", false, false
		}
		name, rest := host[1:end], host[end+1:]
		if rest == "" {
			return name, "", false, true
		}
		if rest[0] != ':' {
			return "", "", false, false
		}
		return name, rest[1:], true, true
	}
	if strings.Count(host, ":") == 1 {
		name, port, _ = strings.Cut(host, ":")
		return name, port, true, true
	}
	return host, "", false, true // plain name, or bare IPv6 literal
}

// urlHost validates host and joins it with port.
func urlHost(host string, port int) (string, error) {
	if host == "" {
		return "", errors.New("failed to build URL: host is required")
	}
	if !utf8.ValidString(host) {
		return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " is not valid UTF-8")
	}
	if port < 0 || port > 65535 {
		return "", errors.New("failed to build URL: port " + strconv.Itoa(port) + " out of range")
	}
	name, hostPort, hasPort, ok := splitHost(host)
	if !ok {
		return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " has stray brackets")
	}
	if hasPort {
		n, err := strconv.Atoi(hostPort)
		if err != nil || n < 1 || n > 65535 || hostPort[0] < '0' || hostPort[0] > '9' {
			return "", errors.New("failed to build URL: bad port in host " + strconv.Quote(host))
		}
		if port != 0 {
			return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " already has a port and Port is " + strconv.Itoa(port))
		}
	}
	if name == "" {
		return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " has no name")
	}
	if strings.HasPrefix(host, "[") && !strings.Contains(name, ":") {
		return "", errors.New("failed to build URL: host " + strconv.Quote(host) + ": brackets are only for IPv6 addresses")
	}
	if strings.Contains(name, ":") {
		if !validIPv6(name) {
			return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " is not a valid IPv6 address")
		}
		name = "[" + name + "]"
	} else {
		for _, r := range name {
			if !hostRune(r) {
				return "", errors.New("failed to build URL: host " + strconv.Quote(host) + " contains " + strconv.QuoteRune(r))
			}
		}
	}
	if !hasPort && port != 0 {
		hostPort, hasPort = strconv.Itoa(port), true
	}
	if hasPort {
		return name + ":" + hostPort, nil
	}
	return name, nil
}

// validIPv6 reports whether s is an IPv6 address without zone: eight
// groups of 1-4 hex digits, or fewer around one "::", optionally ending in
// a dotted IPv4 address worth two groups. (A small check instead of
// net/netip keeps ~18 KB out of the wasm binary.)
func validIPv6(s string) bool {
	groups, gap := 0, false
	if strings.HasPrefix(s, "::") {
		gap, s = true, s[2:]
	}
	for s != "" {
		end := strings.IndexByte(s, ':')
		part := s
		if end >= 0 {
			part = s[:end]
		}
		if end < 0 && strings.Contains(part, ".") {
			if !validIPv4(part) {
				return false
			}
			groups += 2
			break
		}
		if len(part) == 0 || len(part) > 4 || strings.Trim(part, "0123456789abcdefABCDEF") != "" {
			return false
		}
		groups++
		if end < 0 {
			break
		}
		s = s[end+1:]
		if strings.HasPrefix(s, ":") {
			if gap {
				return false
			}
			gap, s = true, s[1:]
		} else if s == "" {
			return false // trailing single ':'
		}
	}
	if gap {
		return groups < 8
	}
	return groups == 8
}

// validIPv4 reports whether s is a dotted-quad IPv4 address without
// leading zeros.
func validIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || (len(p) > 1 && p[0] == '0') || p[0] < '0' || p[0] > '9' {
			return false
		}
	}
	return true
}

// hostRune reports whether r may appear in a host name: ASCII letters,
// digits and "-._~", or a non-ASCII letter, digit or mark (IDN hosts,
// which browsers convert to punycode themselves).
func hostRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_', r == '~':
		return true
	case r < utf8.RuneSelf:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// writeSegments writes "/seg" for every non-empty "/"-separated part of p.
func writeSegments(b *strings.Builder, what, p string) error {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" {
			continue
		}
		if err := writeSegment(b, what, seg); err != nil {
			return err
		}
	}
	return nil
}

// writeSegment writes "/" and the escaped segment. Dot segments are
// refused: URL parsers (browsers included) resolve them even when escaped,
// which would silently change the path.
func writeSegment(b *strings.Builder, what, seg string) error {
	if seg == "." || seg == ".." {
		return errors.New("failed to build URL: " + what + " " + strconv.Quote(seg) + " is a dot segment")
	}
	b.WriteByte('/')
	b.WriteString(pathEscape(seg))
	return nil
}
