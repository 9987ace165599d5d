// Package jsonw is the small JSON writer of the bridge's reply headers and
// the URL config reader's output. It does what easyjson's jwriter did for
// us, without its buffer package, which imports net (and with it
// internal/poll, unique and net/netip) into the browser build for one
// net.Buffers method we never call.
package jsonw

import (
	"strconv"
	"unicode/utf8"
)

// Writer appends JSON to a byte slice. The zero value is ready to use.
type Writer struct {
	buf []byte
}

// RawByte appends c as is.
func (w *Writer) RawByte(c byte) { w.buf = append(w.buf, c) }

// RawString appends s as is (already JSON).
func (w *Writer) RawString(s string) { w.buf = append(w.buf, s...) }

// Int appends n.
func (w *Writer) Int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// Int64 appends n.
func (w *Writer) Int64(n int64) { w.buf = strconv.AppendInt(w.buf, n, 10) }

// Bool appends true or false.
func (w *Writer) Bool(b bool) { w.buf = strconv.AppendBool(w.buf, b) }

// String appends s as a JSON string: quotes, backslashes and control
// characters escaped, U+2028 and U+2029 too (JavaScript line terminators),
// invalid UTF-8 as U+FFFD.
func (w *Writer) String(s string) { w.buf = AppendString(w.buf, s) }

// Len is the number of bytes written.
func (w *Writer) Len() int { return len(w.buf) }

// BuildBytes returns what was written and resets w. The error is always
// nil; it is there for the callers written against easyjson's jwriter.
func (w *Writer) BuildBytes() ([]byte, error) {
	b := w.buf
	w.buf = nil
	return b, nil
}

const hex = "0123456789abcdef"

// AppendString appends s to dst as a JSON string (see Writer.String).
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
