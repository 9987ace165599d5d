package qixcore

import "strings"

// pathEscape escapes a path segment as net/url's PathEscape does: RFC 3986
// unreserved characters and the sub-delimiters a segment may hold
// ($ & + : = @) stay, everything else is percent-encoded byte by byte.
// Written out so qix.wasm does not link net/url and net/netip.
func pathEscape(s string) string { return percentEncode(s, "$&+:=@") }

// queryEscape escapes a query component with %20 for spaces, as
// encodeURIComponent does, so every server decodes it the same way.
// Otherwise it matches net/url's QueryEscape.
func queryEscape(s string) string { return percentEncode(s, "") }

// percentEncode percent-encodes (upper-case hex) every byte of s that is
// neither unreserved (A-Z a-z 0-9 - . _ ~) nor in keep.
func percentEncode(s, keep string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !keepByte(s[i], keep) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keepByte(c, keep) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&0x0f])
	}
	return string(b)
}

func keepByte(c byte, keep string) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '-' || c == '.' || c == '_' || c == '~':
		return true
	}
	for i := 0; i < len(keep); i++ {
		if keep[i] == c {
			return true
		}
	}
	return false
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// queryUnescape decodes a query component as net/url's QueryUnescape
// does (RedactURL and RedactText compare names unescaped): %XX escapes and '+' for a space; false when a '%' is not followed
// by two hex digits.
func queryUnescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			b = append(b, hi<<4|lo)
			i += 2
		case '+':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}
