package qixcore

import (
	"strings"
	"unicode/utf8"
)

// The scanners below are RedactText's passes. They were regular
// expressions; they are written out so qix.wasm links neither regexp nor
// net/url, and they keep those expressions' results exactly (checked
// against them by FuzzRedactOracle): each pass masks, left to right, the
// leftmost match that starts after the previous one, and scans the text as
// it was before the pass. The expression each one replaces is in its doc
// comment. In the case-insensitive ones, as in Go's (?i), k also matches
// U+212A (KELVIN SIGN) and s matches U+017F (LONG S); \s is [\t\n\f\r ]
// and \b is an ASCII word boundary.

// redactor builds a pass's output: the text up to each match, then the
// match's replacement. Nothing is copied while no match was found.
type redactor struct {
	src  string
	b    strings.Builder
	last int // src[:last] is in b
}

// replace puts src[r.last:from] and then with in place of src[from:to].
func (r *redactor) replace(from, to int, with string) {
	r.b.WriteString(r.src[r.last:from])
	r.b.WriteString(with)
	r.last = to
}

func (r *redactor) String() string {
	if r.last == 0 {
		return r.src
	}
	r.b.WriteString(r.src[r.last:])
	return r.b.String()
}

// isRESpace is \s: tab, newline, form feed, carriage return and space.
func isRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isWordByte(c byte) bool { return isASCIILetter(c) || isDigit(c) || c == '_' }

// atWordBoundary is \b at s[i]: a word byte on one side only. A byte of a
// multi-byte rune is never a word byte, as such a rune is not.
func atWordBoundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

// isFoldLetter is (?i)[a-z]: an ASCII letter, U+017F or U+212A.
func isFoldLetter(r rune) bool {
	return r < utf8.RuneSelf && isASCIILetter(byte(r)) || r == 0x17F || r == 0x212A
}

// foldEqual reports whether r matches c, a lower-case ASCII letter or
// another ASCII byte, under (?i).
func foldEqual(r rune, c byte) bool {
	switch {
	case r == rune(c):
		return true
	case c < 'a' || c > 'z':
		return false
	case r == rune(c-'a'+'A'):
		return true
	}
	return c == 'k' && r == 0x212A || c == 's' && r == 0x17F
}

// foldPrefix matches lit (lower case) at s[i:] case-insensitively and
// returns where the match ends.
func foldPrefix(s string, i int, lit string) (int, bool) {
	for k := 0; k < len(lit); k++ {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !foldEqual(r, lit[k]) {
			return 0, false
		}
		i += n
	}
	return i, true
}

// skipBytes returns the first index from i on whose byte is not in.
func skipBytes(s string, i int, in func(byte) bool) int {
	for i < len(s) && in(s[i]) {
		i++
	}
	return i
}

// headerNames are the headers whose whole value redactHeaders masks.
var headerNames = [...]string{"authorization", "proxy-authorization", "cookie", "set-cookie", "x-qlik-xrfkey", "x-qlik-session"}

// redactHeaders masks header values:
// (?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-qlik-xrfkey|x-qlik-session)(\s*:\s*)[^\r\n"]+
// becomes ${1}${2}REDACTED.
func redactHeaders(s string) string {
	inValue := func(c byte) bool { return c != '\r' && c != '\n' && c != '"' }
	r := redactor{src: s}
	for i := 0; i < len(s); i++ {
		if !atWordBoundary(s, i) {
			continue
		}
		for _, name := range headerNames {
			end, ok := foldPrefix(s, i, name)
			if !ok {
				continue
			}
			colon := skipBytes(s, end, isRESpace)
			if colon == len(s) || s[colon] != ':' {
				break
			}
			// The second \s* gives back what the value needs to have
			// one character: the last tab, form feed or space before a
			// line end, a quote or the end of the text.
			ws := skipBytes(s, colon+1, isRESpace)
			v := ws
			for v > colon && !(v < len(s) && inValue(s[v])) {
				v--
			}
			if v == colon {
				break
			}
			to := skipBytes(s, v, inValue)
			r.replace(v, to, Redacted)
			i = to - 1
			break
		}
	}
	return r.String()
}

// isCredentialRune is (?i)[A-Za-z0-9._~+/=-].
func isCredentialRune(r rune) bool {
	if r >= utf8.RuneSelf {
		return r == 0x17F || r == 0x212A
	}
	c := byte(r)
	return isASCIILetter(c) || isDigit(c) || strings.IndexByte("._~+/=-", c) >= 0
}

// redactSchemes masks Bearer and Basic credentials:
// (?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{4,} becomes ${1}${2}REDACTED.
func redactSchemes(s string) string {
	r := redactor{src: s}
	for i := 0; i < len(s); i++ {
		if s[i] != 'b' && s[i] != 'B' || !atWordBoundary(s, i) {
			continue
		}
		end, ok := foldPrefix(s, i, "bearer")
		if !ok {
			end, ok = foldPrefix(s, i, "basic")
		}
		if !ok {
			continue
		}
		cred := skipBytes(s, end, isRESpace)
		if cred == end {
			continue
		}
		to, n := cred, 0
		for to < len(s) {
			c, size := utf8.DecodeRuneInString(s[to:])
			if !isCredentialRune(c) {
				break
			}
			to += size
			n++
		}
		if n < 4 {
			continue
		}
		r.replace(cred, to, Redacted)
		i = to - 1
	}
	return r.String()
}

func isBase64URLByte(c byte) bool { return isASCIILetter(c) || isDigit(c) || c == '_' || c == '-' }

// redactJWTs masks JWTs:
// eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]* becomes REDACTED.
func redactJWTs(s string) string {
	// part reads a run of at least two base64url bytes at i and the dot
	// after it, and returns where the dot is.
	part := func(i int) (int, bool) {
		e := skipBytes(s, i, isBase64URLByte)
		return e, e-i >= 2 && e < len(s) && s[e] == '.'
	}
	r := redactor{src: s}
	for i := 0; ; {
		k := strings.Index(s[i:], "eyJ")
		if k < 0 {
			break
		}
		k += i
		dot1, ok := part(k + 3)
		if !ok {
			i = k + 1
			continue
		}
		dot2, ok := part(dot1 + 1)
		if !ok {
			i = k + 1
			continue
		}
		to := skipBytes(s, dot2+1, isBase64URLByte)
		r.replace(k, to, Redacted)
		i = to
	}
	return r.String()
}

// isSchemeRune is (?i)[a-z0-9+.-].
func isSchemeRune(r rune) bool {
	return isFoldLetter(r) || r < utf8.RuneSelf && (isDigit(byte(r)) || r == '+' || r == '.' || r == '-')
}

// redactUserinfo masks passwords in URL userinfo:
// (?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@"]*):[^@\s/"]*@ becomes ${1}:REDACTED@.
func redactUserinfo(s string) string {
	inUser := func(c byte) bool { return c != '/' && c != ':' && c != '@' && c != '"' && !isRESpace(c) }
	inPassword := func(c byte) bool { return c != '@' && c != '/' && c != '"' && !isRESpace(c) }
	r := redactor{src: s}
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if !isFoldLetter(c) || !atWordBoundary(s, i) {
			i += size
			continue
		}
		// Every start in this run of scheme characters ends the scheme
		// at the same place, so if this one does not match, none does.
		end := i + size
		for end < len(s) {
			c, size := utf8.DecodeRuneInString(s[end:])
			if !isSchemeRune(c) {
				break
			}
			end += size
		}
		if !strings.HasPrefix(s[end:], "://") {
			i = end
			continue
		}
		colon := skipBytes(s, end+3, inUser)
		if colon == len(s) || s[colon] != ':' {
			i = end
			continue
		}
		at := skipBytes(s, colon+1, inPassword)
		if at == len(s) || s[at] != '@' {
			i = end
			continue
		}
		r.replace(colon+1, at, Redacted)
		i = at + 1
	}
	return r.String()
}

// redactIdentities masks session identities in QIX paths:
// (/identity/)[^/?#\s"']+ becomes ${1}REDACTED.
func redactIdentities(s string) string {
	const seg = "/identity/"
	inIdentity := func(c byte) bool {
		return c != '/' && c != '?' && c != '#' && c != '"' && c != '\'' && !isRESpace(c)
	}
	r := redactor{src: s}
	for i := 0; ; {
		k := strings.Index(s[i:], seg)
		if k < 0 {
			break
		}
		k += i
		from := k + len(seg)
		to := skipBytes(s, from, inIdentity)
		if to == from {
			i = k + 1
			continue
		}
		r.replace(from, to, Redacted)
		i = to
	}
	return r.String()
}

// redactTextPairs masks the values of secret name=value pairs, matched as
// ([A-Za-z][A-Za-z0-9_.%-]*)=([^&#;?=\s"'<>]*). Punctuation that ends a
// sentence or an error ("…=v: cause") stays outside the mask, and the name
// is compared unescaped (see SecretName).
func redactTextPairs(s string) string {
	inName := func(c byte) bool { return isWordByte(c) || c == '.' || c == '%' || c == '-' }
	inValue := func(c byte) bool { return !isRESpace(c) && strings.IndexByte("&#;?=\"'<>", c) < 0 }
	r := redactor{src: s}
	for i := 0; i < len(s); {
		if !inName(s[i]) {
			i++
			continue
		}
		// A name starts at the first letter of this run of name bytes
		// and must end where the run does, at an '='.
		eq := skipBytes(s, i, inName)
		from := i
		for from < eq && !isASCIILetter(s[from]) {
			from++
		}
		if from == eq || eq == len(s) || s[eq] != '=' {
			i = eq
			continue
		}
		to := skipBytes(s, eq+1, inValue)
		end := to
		for end > eq+1 && strings.IndexByte(":.,)]}", s[end-1]) >= 0 {
			end--
		}
		if end > eq+1 && s[eq+1:end] != Redacted {
			name := s[from:eq]
			if n, ok := queryUnescape(name); ok {
				name = n
			}
			if SecretName(name) {
				r.replace(eq+1, end, Redacted)
			}
		}
		i = to
	}
	return r.String()
}

// redactJSONFields masks the values of secret "name":"value" fields:
// "([A-Za-z][A-Za-z0-9_-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)" when the name is
// secret and the value not empty.
func redactJSONFields(s string) string {
	r := redactor{src: s}
	for i := 0; ; {
		k := strings.IndexByte(s[i:], '"')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		nameEnd, ok := jsonName(s, k+1)
		if !ok {
			continue
		}
		open := skipBytes(s, nameEnd+1, isRESpace)
		if open == len(s) || s[open] != ':' {
			continue
		}
		open = skipBytes(s, open+1, isRESpace)
		if open == len(s) || s[open] != '"' {
			continue
		}
		end, ok := jsonStringBody(s, open+1)
		if !ok {
			continue
		}
		if end > open+1 && SecretName(s[k+1:nameEnd]) {
			r.replace(open+1, end, Redacted)
		}
		i = end + 1
	}
	return r.String()
}

// jsonName reads [A-Za-z][A-Za-z0-9_-]*" at s[i:] and returns where the
// closing quote is.
func jsonName(s string, i int) (int, bool) {
	if i == len(s) || !isASCIILetter(s[i]) {
		return 0, false
	}
	e := skipBytes(s, i+1, isBase64URLByte)
	return e, e < len(s) && s[e] == '"'
}

// jsonStringBody reads (?:[^"\\]|\\.)*" at s[i:]: characters other than
// quotes and backslashes, or a backslash and any character but a newline.
// It returns where the closing quote is.
func jsonStringBody(s string, i int) (int, bool) {
	for i < len(s) {
		switch s[i] {
		case '"':
			return i, true
		case '\\':
			if i+1 == len(s) || s[i+1] == '\n' {
				return 0, false
			}
			i += 2
		default:
			i++
		}
	}
	return 0, false
}

func unhex(c byte) (byte, bool) {
	switch {
	case isDigit(c):
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// queryUnescape decodes a query component as net/url's QueryUnescape
// does: %XX escapes and '+' for a space; false when a '%' is not followed
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
