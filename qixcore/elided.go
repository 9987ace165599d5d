package qixcore

import (
	"context"
	"unicode/utf8"

	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// ElidedFrame is a large frame that its transport kept outside Go. The
// browser transport keeps big frames as JavaScript strings: copying them
// into Go means a UTF-8 encode, two copies across the wasm boundary and a
// decode on the page, while all Go needs is the envelope around the result,
// which sits in the frame's first and last bytes. The page then parses the
// result straight from the frame's text.
//
// Head and Tail are the frame's first and last characters, UTF-8 encoded;
// Units is the frame's length in the transport's units (UTF-16 code units
// in browsers), the unit a ResultSpan is given in. Full returns the whole
// frame, for the rare message whose envelope head and tail do not hold.
// Ref is the transport's own handle for the frame.
type ElidedFrame struct {
	Head, Tail []byte
	Units      int
	Ref        any
	Full       func() []byte
}

// ResultSpan is where a response's result lies inside an elided frame, in
// the frame's units: the characters [Start, End) are the result's JSON.
type ResultSpan struct {
	Frame      *ElidedFrame
	Start, End int
}

// Whole decodes the span's frame in full, for callers that read
// Message.Result (small results that happened to arrive in a big frame).
func (sp *ResultSpan) Whole() (*Message, error) {
	var m Message
	if err := DecodeMessage(sp.Frame.Full(), &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// FrameTransport is a Transport that may elide large frames. Conn reads
// through ReadFrame when its transport has it: data is the whole frame, or
// nil when elided is set.
type FrameTransport interface {
	Transport
	ReadFrame(ctx context.Context) (data []byte, elided *ElidedFrame, err error)
}

// DecodeElided decodes the envelope of an elided response from its head and
// tail into m, setting m.Span to the result's place instead of m.Result. It
// reports false, with m unusable, when the frame is not a response whose
// members before the result (jsonrpc, id, delta) are in Head and whose
// members after it are the simple lists real engines write, all in Tail;
// the caller then decodes Full() with DecodeMessage.
func DecodeElided(f *ElidedFrame, m *Message) bool {
	*m = Message{}
	head := f.Head
	l := jsonr.Lexer{Data: head}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		if !l.Ok() {
			return false
		}
		switch key {
		case "result":
			return elidedResult(f, l.GetPos(), m)
		case "id":
			if l.IsNull() {
				l.Skip()
			} else {
				m.ID = l.Int64()
				m.HasID = true
			}
		case "delta":
			m.Delta = l.Bool()
		case "jsonrpc":
			l.Skip()
		default:
			// An error, a notification or a list before the result: rare
			// enough to take the whole frame.
			return false
		}
		l.WantComma()
	}
	return false
}

// elidedResult finds the result's end in the tail. The result's first
// character is joined to the tail, so fastResult, which reads the members
// after the result backwards from the end, runs unchanged on the join.
func elidedResult(f *ElidedFrame, pos int, m *Message) bool {
	head := f.Head
	start := pos
	for start < len(head) && (isSpace(head[start]) || head[start] == ':') {
		start++
	}
	if start >= len(head) || head[start] != '{' {
		return false
	}
	join := make([]byte, 0, start+1+len(f.Tail))
	join = append(join, head[:start+1]...)
	join = append(join, f.Tail...)
	if !fastResult(join, pos, m) {
		return false
	}
	end := start + len(m.Result) // just past the result's closing brace
	m.Result = nil
	if end <= start+1 {
		// The brace closing the result would be its opening one: the tail
		// does not reach back to the result's end.
		m.Change, m.Close, m.Suspend = nil, nil, nil
		return false
	}
	m.Span = &ResultSpan{
		Frame: f,
		Start: utf16Len(head[:start]),
		End:   f.Units - utf16Len(join[end:]),
	}
	return true
}

// utf16Len is the length of UTF-8 text b in UTF-16 code units, the unit of
// JavaScript string indices.
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}
