package emulator

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// DefaultMaxMessageBytes is the largest request frame a connection reads
// (Config.MaxMessageBytes 0). Clients really send big frames: SetScript,
// SetProperties/ApplyPatches and session objects carrying data (the
// browser tests send 16 MB of properties in one CreateSessionObject).
// 64 MiB leaves room for those while one hostile frame costs a bounded few
// hundred MB at worst instead of whatever it announces (a 256 MB frame
// used to take 1.1 GB). A larger frame closes the socket with 1009
// (message too big), as RFC 6455 servers do.
const DefaultMaxMessageBytes int64 = 64 << 20

// DefaultMaxJSONDepth is how deeply arrays and objects may nest in one
// request (Config.MaxJSONDepth 0). Real properties nest a few dozen levels
// at most; the bound keeps every recursive reader and writer of the engine
// side (properties, patches, delta diffs, JSON encoding) far from stack
// exhaustion. A deeper request is answered with error -32600 (Invalid
// Request) naming the limit, on the request's id when it can be read.
const DefaultMaxJSONDepth = 256

// NoLimit turns off Config.MaxMessageBytes or Config.MaxJSONDepth (the Go
// JSON decoder's own bound of 10 000 levels still applies to depth).
const NoLimit = -1

// readLimit is the WebSocket read limit for cfg.MaxMessageBytes.
func readLimit(n int64) int64 {
	switch {
	case n == 0:
		return DefaultMaxMessageBytes
	case n < 0:
		return -1
	}
	return n
}

// jsonDepth is the nesting bound for cfg.MaxJSONDepth; 0 means none.
func jsonDepth(n int) int {
	switch {
	case n == 0:
		return DefaultMaxJSONDepth
	case n < 0:
		return 0
	}
	return n
}

// deeperThan reports whether arrays and objects in data nest more than max
// levels. It walks the bytes once without recursion, so any input is safe;
// malformed JSON is left to the decoder.
func deeperThan(data []byte, max int) bool {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			end := stringEnd(data, i)
			if end < 0 {
				return false
			}
			i = end - 1
		case '[', '{':
			depth++
			if depth > max {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}

// stringEnd returns the index just past the JSON string starting at
// data[i] (a quote), or -1 when it is not terminated.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// peekID finds the top-level "id" of a request without decoding the rest,
// so a request refused for its nesting can still be answered on its id.
// It returns nil when there is none or it is not a number or string.
func peekID(data []byte) json.RawMessage {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			end := stringEnd(data, i)
			if end < 0 {
				return nil
			}
			if depth == 1 && string(data[i:end]) == `"id"` {
				j := skipSpace(data, end)
				if j < len(data) && data[j] == ':' {
					return scalarAt(data, skipSpace(data, j+1))
				}
			}
			i = end - 1
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		}
	}
	return nil
}

// skipSpace returns the index of the first non-space byte from i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// scalarAt reads the JSON number or string at data[i], nil for anything
// else.
func scalarAt(data []byte, i int) json.RawMessage {
	if i >= len(data) {
		return nil
	}
	end := i
	if data[i] == '"' {
		end = stringEnd(data, i)
		if end < 0 {
			return nil
		}
	} else {
		for end < len(data) && bytes.IndexByte([]byte("0123456789+-.eE"), data[end]) >= 0 {
			end++
		}
	}
	v := data[i:end]
	if len(v) == 0 || !json.Valid(v) {
		return nil
	}
	return append(json.RawMessage(nil), v...)
}

// tooDeep is the answer to a request nested deeper than max levels.
func tooDeep(data []byte, max int) []byte {
	id := peekID(data)
	if id == nil {
		id = json.RawMessage("null")
	}
	return errorMessage(id, &engine.Error{
		Code:      -32600,
		Parameter: "JSON nested deeper than " + strconv.Itoa(max) + " levels",
		Message:   "Invalid Request",
	})
}
