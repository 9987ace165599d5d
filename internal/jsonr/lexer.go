// Package jsonr is the small JSON reader of qixcore and the bridge: a
// token lexer with the interface of easyjson's jlexer that our hand-written
// decoders were written against, a strict validator and a few helpers. It
// exists for the size of qix.wasm: jlexer imports fmt and encoding/json
// (its SkipRecursive calls json.Valid), which kept fmt, reflect and
// encoding/json's scanner in the browser build. This package imports none
// of them; errors are built with strconv.
//
// Unlike jlexer it is strict: numbers, escapes, control characters and
// skipped values are checked against the JSON grammar (RFC 8259) as
// encoding/json checks them. Like jlexer (and json.Valid) it leaves invalid
// UTF-8 inside strings as it is: the page's TextDecoder repairs text.
package jsonr

import (
	"io"
	"strconv"
	"unsafe"
)

// TokenKind is the kind of a token.
type TokenKind byte

// The token kinds.
const (
	TokenUndef  TokenKind = iota // no token
	TokenDelim                   // one of { } [ ]
	TokenString                  // a string literal
	TokenNumber                  // a number literal
	TokenBool                    // true or false
	TokenNull                    // null
)

// LexerError is a syntax or type error, with the offset it was found at
// and a short excerpt of the input there.
type LexerError struct {
	Reason string
	Offset int
	Data   string
}

// Error reads like jlexer's errors, which tests and logs already know.
func (e *LexerError) Error() string {
	return "parse error: " + e.Reason + " near offset " + strconv.Itoa(e.Offset) + " of '" + e.Data + "'"
}

// Lexer reads JSON tokens from Data. The caller drives it in the order it
// expects the document (Delim, IsDelim, WantColon, WantComma, String, ...);
// the first error stops it: Ok turns false and Error returns the error.
// Strings and raw values may alias Data.
type Lexer struct {
	Data []byte

	start int // start of the current token
	pos   int // first byte not read yet

	kind    TokenKind
	delim   byte   // the delimiter when kind == TokenDelim
	boolean bool   // the value when kind == TokenBool
	text    []byte // string contents (escaped) or number text
	escaped bool   // text has backslash escapes

	first   bool // the current array or object has no element yet
	wantSep byte // ',' or ':' must come before the next token

	err error
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isTokenEnd reports whether c may follow a number or a literal.
func isTokenEnd(c byte) bool {
	return isSpace(c) || c == ',' || c == ':' || c == ']' || c == '}' || c == '[' || c == '{'
}

// fetch reads the next token.
func (l *Lexer) fetch() {
	l.kind = TokenUndef
	if l.pos > len(l.Data) {
		l.fail(len(l.Data), "unexpected end of data")
		return
	}
	for l.pos < len(l.Data) {
		c := l.Data[l.pos]
		l.start = l.pos
		switch {
		case isSpace(c):
			l.pos++
			continue
		case c == ',' || c == ':':
			if l.wantSep != c {
				l.fail(l.pos, "syntax error")
				return
			}
			l.wantSep = 0
			l.pos++
			continue
		case c == '}' || c == ']':
			if !l.first && l.wantSep != ',' {
				l.fail(l.pos, "syntax error")
				return
			}
			l.wantSep = 0
			l.kind, l.delim = TokenDelim, c
			l.pos++
			return
		}
		if l.wantSep != 0 {
			l.fail(l.pos, "syntax error")
			return
		}
		switch c {
		case '{', '[':
			l.first = true
			l.kind, l.delim = TokenDelim, c
			l.pos++
		case '"':
			end, esc, reason := scanString(l.Data, l.pos)
			if reason != "" {
				l.fail(end, reason)
				return
			}
			l.kind, l.text, l.escaped = TokenString, l.Data[l.pos+1:end-1], esc
			l.pos = end
		case 't', 'f', 'n':
			end, ok := scanLiteral(l.Data, l.pos)
			if !ok || (end < len(l.Data) && !isTokenEnd(l.Data[end])) {
				l.fail(l.pos, "syntax error")
				return
			}
			if c == 'n' {
				l.kind = TokenNull
			} else {
				l.kind, l.boolean = TokenBool, c == 't'
			}
			l.pos = end
		default:
			end, ok := scanNumber(l.Data, l.pos)
			if !ok || (end < len(l.Data) && !isTokenEnd(l.Data[end])) {
				l.fail(l.pos, "syntax error")
				return
			}
			l.kind, l.text = TokenNumber, l.Data[l.pos:end]
			l.pos = end
		}
		return
	}
	l.start = l.pos
	if l.err == nil {
		l.err = io.EOF
	}
}

// peek makes sure a token is read (unless there was an error).
func (l *Lexer) peek() {
	if l.kind == TokenUndef && l.err == nil {
		l.fetch()
	}
}

// consume drops the current token.
func (l *Lexer) consume() { l.kind, l.delim = TokenUndef, 0 }

const maxExcerpt = 13

func excerpt(b []byte) string {
	if len(b) <= maxExcerpt {
		return string(b)
	}
	return string(b[:maxExcerpt-3]) + "..."
}

// fail records a syntax error at offset off (the first error wins).
func (l *Lexer) fail(off int, reason string) {
	if l.err != nil {
		return
	}
	if off > len(l.Data) {
		off = len(l.Data)
	}
	l.err = &LexerError{Reason: reason, Offset: off, Data: excerpt(l.Data[off:])}
}

// wrongToken records that the current token is not what the caller wants.
func (l *Lexer) wrongToken(want string) {
	if l.err != nil {
		return
	}
	l.err = &LexerError{Reason: "expected " + want, Offset: l.pos, Data: excerpt(l.Data[l.start:l.pos])}
}

// Ok reports whether no error (io.EOF included) has occurred.
func (l *Lexer) Ok() bool { return l.err == nil }

// Error returns the first error, or nil.
func (l *Lexer) Error() error { return l.err }

// AddError records e unless there already is an error.
func (l *Lexer) AddError(e error) {
	if l.err == nil {
		l.err = e
	}
}

// GetPos returns the offset of the first byte not read yet.
func (l *Lexer) GetPos() int { return l.pos }

// CurrentToken returns the kind of the next token, TokenUndef after an error.
func (l *Lexer) CurrentToken() TokenKind {
	l.peek()
	if l.err != nil {
		return TokenUndef
	}
	return l.kind
}

// WantComma requires a comma before the next token (or the end of the
// array or object).
func (l *Lexer) WantComma() { l.wantSep, l.first = ',', false }

// WantColon requires a colon before the next token.
func (l *Lexer) WantColon() { l.wantSep, l.first = ':', false }

// Delim reads the delimiter c ({ } [ ]) or records an error.
func (l *Lexer) Delim(c byte) {
	l.peek()
	if l.err != nil || l.kind != TokenDelim || l.delim != c {
		l.consume()
		l.wrongToken(string(rune(c)))
		return
	}
	l.consume()
}

// IsDelim reports whether the next token is the delimiter c; true after an
// error, so that loops over members end.
func (l *Lexer) IsDelim(c byte) bool {
	l.peek()
	return l.err != nil || (l.kind == TokenDelim && l.delim == c)
}

// IsNull reports whether the next token is null (without reading it).
func (l *Lexer) IsNull() bool {
	l.peek()
	return l.err == nil && l.kind == TokenNull
}

// Null reads null or records an error.
func (l *Lexer) Null() {
	l.peek()
	if l.err != nil || l.kind != TokenNull {
		l.wrongToken("null")
	}
	l.consume()
}

// Skip reads one token, whatever it is.
func (l *Lexer) Skip() {
	l.peek()
	l.consume()
}

// SkipRecursive reads one value: a scalar token, or a whole array or
// object, which must be valid JSON.
func (l *Lexer) SkipRecursive() {
	l.peek()
	if l.err != nil {
		return
	}
	if l.kind != TokenDelim || (l.delim != '{' && l.delim != '[') {
		l.consume()
		return
	}
	l.consume()
	end, reason := scanValue(l.Data, l.start)
	if reason != "" {
		l.fail(end, reason)
		l.pos = len(l.Data)
		return
	}
	l.pos = end
}

// Raw reads one value (as SkipRecursive) and returns its text, nil after
// an error.
func (l *Lexer) Raw() []byte {
	l.SkipRecursive()
	if l.err != nil {
		return nil
	}
	return l.Data[l.start:l.pos]
}

// Consumed records an error when anything but whitespace follows.
func (l *Lexer) Consumed() {
	if l.err != nil || l.pos > len(l.Data) {
		return
	}
	for ; l.pos < len(l.Data); l.pos++ {
		if c := l.Data[l.pos]; !isSpace(c) {
			l.err = &LexerError{
				Reason: "invalid character " + strconv.QuoteRune(rune(c)) + " after top-level value",
				Offset: l.pos,
				Data:   excerpt(l.Data[l.pos:]),
			}
			return
		}
	}
}

// stringToken reads a string token; ok is false (and an error recorded)
// for any other token.
func (l *Lexer) stringToken() (b []byte, ok bool) {
	l.peek()
	if l.err != nil || l.kind != TokenString {
		l.wrongToken("string")
		return nil, false
	}
	b = l.text
	if l.escaped {
		b = unescape(b)
	}
	l.consume()
	return b, true
}

// String reads a string and returns its value, a copy when it had no
// escapes to decode.
func (l *Lexer) String() string {
	l.peek()
	esc := l.escaped
	b, ok := l.stringToken()
	if !ok {
		return ""
	}
	if esc {
		return unsafe.String(unsafe.SliceData(b), len(b)) // b is new
	}
	return string(b)
}

// UnsafeFieldName reads a string (an object key) and returns its value,
// which may alias Data: switch on it or copy it. With raw set, escapes are
// left as they are.
func (l *Lexer) UnsafeFieldName(raw bool) string {
	l.peek()
	if raw && l.err == nil && l.kind == TokenString {
		l.escaped = false
	}
	b, ok := l.stringToken()
	if !ok || len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// number reads a number token's text.
func (l *Lexer) number() []byte {
	l.peek()
	if l.err != nil || l.kind != TokenNumber {
		l.wrongToken("number")
		return nil
	}
	b := l.text
	l.consume()
	return b
}

// Int64 reads an integer; a fraction, an exponent or overflow is an error.
func (l *Lexer) Int64() int64 {
	b := l.number()
	if l.err != nil {
		return 0
	}
	s := unsafe.String(unsafe.SliceData(b), len(b))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		l.err = &LexerError{Reason: err.Error(), Offset: l.start, Data: string(b)}
	}
	return n
}

// Int reads an integer (see Int64).
func (l *Lexer) Int() int { return int(l.Int64()) }

// Bool reads true or false.
func (l *Lexer) Bool() bool {
	l.peek()
	if l.err != nil || l.kind != TokenBool {
		l.wrongToken("bool")
		return false
	}
	l.consume()
	return l.boolean
}
