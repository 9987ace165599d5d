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
	src, out string
	last     int // src[:last] is in out
}

// replace puts src[r.last:from] and then with in place of src[from:to].
func (r *redactor) replace(from, to int, with string) {
	r.out += r.src[r.last:from] + with
	r.last = to
}

func (r *redactor) String() string {
	if r.last == 0 {
		return r.src
	}
	return r.out + r.src[r.last:]
}

// Byte classes of the patterns, as bits of charClass (redact_class.go). The positive ones
// (cSpace to cPairName) hold the bytes their pattern's class matches; the
// stop ones (cHeaderStop to cTrim) the bytes that end a negated class
// [^...] or, for cTrim, the punctuation redactTextPairs leaves outside the
// mask.
const (
	cSpace        = 1 << iota // \s: [\t\n\f\r ]
	cLetter                   // [A-Za-z]
	cWord                     // [0-9A-Za-z_], for \b
	cBase64URL                // [A-Za-z0-9_-]
	cCred                     // [A-Za-z0-9._~+/=-]
	cScheme                   // [A-Za-z0-9+.-]
	cPairName                 // [A-Za-z0-9_.%-]
	cHeaderStop               // [\r\n"]
	cUserStop                 // [/\s:@"]
	cPasswordStop             // [@\s/"]
	cIdentityStop             // [/?#\s"']
	cPairStop                 // [&#;?=\s"'<>]
	cTrim                     // [:.,)\]}]
)

// is reports whether s[i] is a byte of class; false outside s.
func is(s string, i int, class uint16) bool {
	return uint(i) < uint(len(s)) && charClass[s[i]]&class != 0
}

// byteIs reports whether s[i] is c; false past the end.
func byteIs(s string, i int, c byte) bool { return i < len(s) && s[i] == c }

// skipIn returns the first index from i on whose byte is not of class.
func skipIn(s string, i int, class uint16) int {
	for is(s, i, class) {
		i++
	}
	return i
}

// skipOut returns the first index from i on whose byte is of class, or
// len(s): the end of a run of [^...].
func skipOut(s string, i int, class uint16) int {
	for i < len(s) && !is(s, i, class) {
		i++
	}
	return i
}

// atWordBoundary is \b at s[i]: a word byte on one side only. A byte of a
// multi-byte rune is never a word byte, as such a rune is not.
func atWordBoundary(s string, i int) bool {
	return is(s, i-1, cWord) != is(s, i, cWord)
}

// foldRune reports whether r is U+017F (LONG S) or U+212A (KELVIN SIGN),
// the two runes outside ASCII that (?i) folds to an ASCII letter.
func foldRune(r rune) bool { return r == 0x17F || r == 0x212A }

// runeIs reports whether r is a rune of class (an ASCII one) or, when
// class holds the letters, U+017F or U+212A: class under (?i).
func runeIs(r rune, class uint16) bool {
	if r < utf8.RuneSelf {
		return charClass[r]&class != 0
	}
	return foldRune(r)
}

// foldPrefix matches lit (lower-case letters and '-') at s[i:] as (?i)
// does and returns where the match ends.
func foldPrefix(s string, i int, lit string) (int, bool) {
	for k := 0; k < len(lit); k++ {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		c := rune(lit[k])
		if r != c && (c == '-' || r != c-'a'+'A') && !(c == 'k' && r == 0x212A || c == 's' && r == 0x17F) {
			return 0, false
		}
		i += n
	}
	return i, true
}

// headerNames are the headers whose whole value redactHeaders masks.
var headerNames = [...]string{"authorization", "proxy-authorization", "cookie", "set-cookie", "x-qlik-xrfkey", "x-qlik-session"}

// redactHeaders masks header values:
// (?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-qlik-xrfkey|x-qlik-session)(\s*:\s*)[^\r\n"]+
// becomes ${1}${2}REDACTED.
func redactHeaders(s string) string {
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
			colon := skipIn(s, end, cSpace)
			if !byteIs(s, colon, ':') {
				break
			}
			// The second \s* gives back what the value needs to have
			// one character: the last tab, form feed or space before a
			// line end, a quote or the end of the text.
			v := skipIn(s, colon+1, cSpace)
			for v > colon && (v == len(s) || is(s, v, cHeaderStop)) {
				v--
			}
			if v == colon {
				break
			}
			to := skipOut(s, v, cHeaderStop)
			r.replace(v, to, Redacted)
			i = to - 1
			break
		}
	}
	return r.String()
}

// redactSchemes masks Bearer and Basic credentials:
// (?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{4,} becomes ${1}${2}REDACTED.
func redactSchemes(s string) string {
	r := redactor{src: s}
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 != 'b' || !atWordBoundary(s, i) {
			continue
		}
		end, ok := foldPrefix(s, i, "bearer")
		if !ok {
			end, ok = foldPrefix(s, i, "basic")
		}
		if !ok {
			continue
		}
		cred := skipIn(s, end, cSpace)
		if cred == end {
			continue
		}
		to, n := cred, 0
		for to < len(s) {
			c, size := utf8.DecodeRuneInString(s[to:])
			if !runeIs(c, cCred) {
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

// redactJWTs masks JWTs:
// eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]* becomes REDACTED.
func redactJWTs(s string) string {
	r := redactor{src: s}
	for i := 0; ; {
		k := strings.Index(s[i:], "eyJ")
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		dot1 := skipIn(s, k+3, cBase64URL)
		if dot1-(k+3) < 2 || !byteIs(s, dot1, '.') {
			continue
		}
		dot2 := skipIn(s, dot1+1, cBase64URL)
		if dot2-(dot1+1) < 2 || !byteIs(s, dot2, '.') {
			continue
		}
		i = skipIn(s, dot2+1, cBase64URL)
		r.replace(k, i, Redacted)
	}
	return r.String()
}

// redactUserinfo masks passwords in URL userinfo:
// (?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@"]*):[^@\s/"]*@ becomes ${1}:REDACTED@.
func redactUserinfo(s string) string {
	r := redactor{src: s}
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if !runeIs(c, cLetter) || !atWordBoundary(s, i) {
			i += size
			continue
		}
		// Every start in this run of scheme characters ends the scheme
		// at the same place, so if this one does not match, none does.
		end := i + size
		for end < len(s) {
			c, size := utf8.DecodeRuneInString(s[end:])
			if !runeIs(c, cScheme) {
				break
			}
			end += size
		}
		i = end
		if !strings.HasPrefix(s[end:], "://") {
			continue
		}
		colon := skipOut(s, end+3, cUserStop)
		if !byteIs(s, colon, ':') {
			continue
		}
		at := skipOut(s, colon+1, cPasswordStop)
		if !byteIs(s, at, '@') {
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
	r := redactor{src: s}
	for i := 0; ; {
		k := strings.Index(s[i:], seg)
		if k < 0 {
			break
		}
		from := i + k + len(seg)
		i = skipOut(s, from, cIdentityStop)
		if i == from {
			i = from - len(seg) + 1
			continue
		}
		r.replace(from, i, Redacted)
	}
	return r.String()
}

// redactTextPairs masks the values of secret name=value pairs, matched as
// ([A-Za-z][A-Za-z0-9_.%-]*)=([^&#;?=\s"'<>]*). Punctuation that ends a
// sentence or an error ("…=v: cause") stays outside the mask, and the name
// is compared unescaped (see SecretName).
func redactTextPairs(s string) string {
	r := redactor{src: s}
	for i := 0; i < len(s); {
		if !is(s, i, cPairName) {
			i++
			continue
		}
		// A name starts at the first letter of this run of name bytes
		// and must end where the run does, at an '='.
		eq := skipIn(s, i, cPairName)
		from := i
		for from < eq && !is(s, from, cLetter) {
			from++
		}
		i = eq
		if from == eq || !byteIs(s, eq, '=') {
			continue
		}
		i = skipOut(s, eq+1, cPairStop)
		end := i
		for end > eq+1 && is(s, end-1, cTrim) {
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
		open := skipIn(s, nameEnd+1, cSpace)
		if !byteIs(s, open, ':') {
			continue
		}
		open = skipIn(s, open+1, cSpace)
		if !byteIs(s, open, '"') {
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
	if !is(s, i, cLetter) {
		return 0, false
	}
	e := skipIn(s, i+1, cBase64URL)
	return e, byteIs(s, e, '"')
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
