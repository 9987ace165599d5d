package qixcore

import (
	"strconv"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// Message is one decoded message from the engine: a response (HasID), a
// notification (Method set, no id) or a bare pushed change/close list.
//
// Result holds the bytes of the "result" value exactly as received: the
// decoder never scans or validates it when the envelope has the shape real
// engines write (jsonrpc, id, result, then simple lists), because in wasm a
// Go scan runs at ~45 MB/s while the page's JSON.parse runs at ~500 MB/s.
type Message struct {
	ID      int64
	HasID   bool
	Method  string
	Params  []byte
	Result  []byte
	Error   *RPCError
	Change  []int
	Close   []int
	Suspend []int
	Delta   bool
	// Span, instead of Result, locates the result of a response that
	// arrived as an ElidedFrame.
	Span *ResultSpan
}

// RPCError is the JSON-RPC error object of a QIX response.
type RPCError struct {
	Code      int    `json:"code"`
	Parameter string `json:"parameter"`
	Message   string `json:"message"`
}

// DecodeMessage decodes one engine message into m. Result and Params alias
// data; the caller must not modify data while m is in use.
func DecodeMessage(data []byte, m *Message) error {
	*m = Message{}
	l := jsonr.Lexer{Data: data}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		if !l.Ok() {
			break
		}
		switch key {
		case "result":
			if len(data) >= fastPathMin && fastResult(data, l.GetPos(), m) {
				return nil
			}
			m.Result = l.Raw()
		case "id":
			if l.IsNull() {
				l.Skip()
			} else {
				m.ID = l.Int64()
				m.HasID = true
			}
		case "method":
			m.Method = l.String()
		case "params":
			m.Params = l.Raw()
		case "error":
			if l.IsNull() {
				l.Skip()
			} else {
				m.Error = readRPCError(&l)
			}
		case "change":
			m.Change = readInts(&l, m.Change)
		case "close":
			m.Close = readInts(&l, m.Close)
		case "suspend":
			m.Suspend = readInts(&l, m.Suspend)
		case "delta":
			if l.IsNull() {
				l.Skip()
			} else {
				m.Delta = l.Bool()
			}
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	l.Consumed()
	if err := l.Error(); err != nil {
		return errwrap.Wrap("failed to decode message", err)
	}
	return nil
}

// readRPCError reads the error object. It is written out against
// internal/jsonr rather than generated (easyjson's generated code imports
// its root package, which links net/http into qix.wasm).
func readRPCError(l *jsonr.Lexer) *RPCError {
	e := &RPCError{}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		switch {
		case l.IsNull():
			l.Skip()
		case key == "code":
			e.Code = l.Int()
		case key == "parameter":
			e.Parameter = l.String()
		case key == "message":
			e.Message = l.String()
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	return e
}

func readInts(l *jsonr.Lexer, dst []int) []int {
	if l.IsNull() {
		l.Skip()
		return dst
	}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		dst = append(dst, l.Int())
		l.WantComma()
	}
	l.Delim(']')
	return dst
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// fastPathMin is the message size from which the result is sliced out
// rather than scanned. Below it a scan costs little (≈0.35 ms at the 45 MB/s
// easyjson's lexer reached in wasm; internal/jsonr's is no slower natively) and keeps the decoder exact for any member
// order; above it the result is trusted to be followed only by the simple
// members real engines write (change/close/suspend lists, delta, id), and a
// message breaking that rule yields a result the page's JSON.parse rejects,
// never a silently wrong value.
const fastPathMin = 16 << 10

// fastResult slices the result value out of data without scanning it. pos
// is where the lexer stands after the "result" key. It reads the members
// after the result backwards from the end of the message; they must all be
// simple values (int lists, booleans, numbers, null, strings without
// escapes), as real engines write them. It reports false, leaving m's
// tail fields untouched, when the message does not have that shape.
func fastResult(data []byte, pos int, m *Message) bool {
	start := pos
	for start < len(data) && (isSpace(data[start]) || data[start] == ':') {
		start++
	}
	if start >= len(data) || (data[start] != '{' && data[start] != '[') {
		return false
	}
	end := len(data) - 1
	for end > start && isSpace(data[end]) {
		end--
	}
	if end <= start || data[end] != '}' {
		return false
	}
	type member struct{ key, val []byte }
	var tail [8]member
	n := 0
	i := end // data[i] is the character after the member being read
	for {
		j := i - 1
		for j > start && isSpace(data[j]) {
			j--
		}
		if j <= start {
			return false
		}
		c := data[j]
		if c == '}' {
			// data[j] closes the result.
			if data[start] != '{' {
				return false
			}
			m.Result = data[start : j+1]
			break
		}
		if n == len(tail) {
			return false
		}
		vEnd := j + 1
		vStart, ok := simpleValueStart(data, start, j)
		if !ok {
			return false
		}
		k := vStart - 1
		for k > start && isSpace(data[k]) {
			k--
		}
		if k <= start || data[k] != ':' {
			return false
		}
		k--
		for k > start && isSpace(data[k]) {
			k--
		}
		if k <= start || data[k] != '"' {
			return false
		}
		kq := k - 1
		for kq > start && data[kq] != '"' {
			if data[kq] == '\\' {
				return false
			}
			kq--
		}
		if kq <= start {
			return false
		}
		key := data[kq+1 : k]
		k = kq - 1
		for k > start && isSpace(data[k]) {
			k--
		}
		if k <= start || data[k] != ',' {
			return false
		}
		tail[n] = member{key: key, val: data[vStart:vEnd]}
		n++
		i = k
	}
	for t := n - 1; t >= 0; t-- {
		if !applyTailMember(m, tail[t].key, tail[t].val) {
			m.Result = nil
			m.Change, m.Close, m.Suspend = nil, nil, nil
			return false
		}
	}
	return true
}

// simpleValueStart finds where the simple JSON value ending at data[j]
// starts, or reports false for anything that is not simple.
func simpleValueStart(data []byte, lo, j int) (int, bool) {
	switch c := data[j]; {
	case c == ']':
		k := j - 1
		for k > lo && data[k] != '[' {
			d := data[k]
			if !(d >= '0' && d <= '9' || d == '-' || d == ',' || isSpace(d)) {
				return 0, false
			}
			k--
		}
		return k, k > lo
	case c == '"':
		k := j - 1
		for k > lo && data[k] != '"' {
			if data[k] == '\\' {
				return 0, false
			}
			k--
		}
		return k, k > lo
	case c >= '0' && c <= '9':
		k := j
		for k > lo && (data[k] >= '0' && data[k] <= '9' || data[k] == '.' || data[k] == '-' || data[k] == '+' || data[k] == 'e' || data[k] == 'E') {
			k--
		}
		return k + 1, k > lo
	case c == 'e' || c == 'l':
		for _, lit := range []string{"true", "false", "null"} {
			if s := j - len(lit) + 1; s > lo && string(data[s:j+1]) == lit {
				return s, true
			}
		}
	}
	return 0, false
}

func applyTailMember(m *Message, key, val []byte) bool {
	switch string(key) {
	case "change", "close", "suspend":
		var list []int
		if string(val) != "null" {
			l := jsonr.Lexer{Data: val}
			list = readInts(&l, nil)
			if l.Error() != nil {
				return false
			}
		}
		switch string(key) {
		case "change":
			m.Change = list
		case "close":
			m.Close = list
		default:
			m.Suspend = list
		}
	case "delta":
		m.Delta = string(val) == "true"
	case "id":
		if string(val) == "null" {
			return true
		}
		id, err := strconv.ParseInt(string(val), 10, 64)
		if err != nil {
			return false
		}
		m.ID, m.HasID = id, true
	case "result", "error", "params", "method":
		return false
	}
	return true
}

// AppendRequest appends a JSON-RPC request to dst in the key order real
// clients write. params must be valid JSON (an array or object); nil
// means no parameters ([]).
func AppendRequest(dst []byte, id int64, handle int, method string, params []byte, delta bool) []byte {
	dst = append(dst, `{"jsonrpc":"2.0","id":`...)
	dst = strconv.AppendInt(dst, id, 10)
	dst = append(dst, `,"handle":`...)
	dst = strconv.AppendInt(dst, int64(handle), 10)
	dst = append(dst, `,"method":`...)
	dst = appendString(dst, method)
	dst = append(dst, `,"params":`...)
	if len(params) == 0 {
		dst = append(dst, "[]"...)
	} else {
		dst = append(dst, params...)
	}
	if delta {
		dst = append(dst, `,"delta":true`...)
	}
	return append(dst, '}')
}

// appendString appends s as a JSON string. Only the characters JSON
// requires are escaped.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
