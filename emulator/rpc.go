package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// request is one JSON-RPC request as clients send it.
type request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Handle  *int            `json:"handle"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Delta   bool            `json:"delta"`
}

// decodeRequest reads one request frame. It returns the call to run, or
// the error frame to answer at once: -32600 for nesting deeper than
// maxDepth (0 = no bound) or a request without method or handle, -32700
// for JSON it cannot parse, 8 for params that are neither array nor
// object. A notification (no id) yields neither: real engines do not
// answer those.
func decodeRequest(data []byte, maxDepth int) (*call, []byte) {
	if maxDepth > 0 && deeperThan(data, maxDepth) {
		return nil, tooDeep(data, maxDepth)
	}
	var req request
	if err := json.Unmarshal(data, &req); err != nil {
		return nil, errorMessage(json.RawMessage("null"), &engine.Error{Code: -32700, Message: "Parse error"})
	}
	if len(req.ID) == 0 {
		return nil, nil
	}
	if req.Method == "" || req.Handle == nil {
		return nil, errorMessage(req.ID, &engine.Error{Code: -32600, Message: "Invalid Request"})
	}
	p, err := parseParams(req.Params)
	if err != nil {
		return nil, errorMessage(req.ID, invalidParams("params"))
	}
	return &call{id: req.ID, idKey: idKey(req.ID), handle: *req.Handle, method: req.Method, params: p, delta: req.Delta}, nil
}

// params implements engine.Params over positional or named parameters.
type params struct {
	pos   []json.RawMessage
	named map[string]json.RawMessage
}

// parseParams reads "params": absent/null is no parameters, an array is
// positional, an object is named.
func parseParams(raw json.RawMessage) (*params, error) {
	raw = bytes.TrimSpace(raw)
	p := &params{}
	if len(raw) == 0 || string(raw) == "null" {
		return p, nil
	}
	switch raw[0] {
	case '[':
		if err := json.Unmarshal(raw, &p.pos); err != nil {
			return nil, fmt.Errorf("failed to read positional params: %w", err)
		}
	case '{':
		if err := json.Unmarshal(raw, &p.named); err != nil {
			return nil, fmt.Errorf("failed to read named params: %w", err)
		}
	default:
		return nil, fmt.Errorf("failed to read params: neither array nor object")
	}
	return p, nil
}

// Get returns positional parameter i or the named parameter name.
func (p *params) Get(i int, name string) json.RawMessage {
	if p.named != nil {
		if v, ok := p.named[name]; ok && string(v) != "null" {
			return v
		}
		return nil
	}
	if i >= 0 && i < len(p.pos) && string(p.pos[i]) != "null" {
		return p.pos[i]
	}
	return nil
}

// Len is the number of parameters sent.
func (p *params) Len() int {
	if p.named != nil {
		return len(p.named)
	}
	return len(p.pos)
}

var _ engine.Params = (*params)(nil)

// invalidParams is error 8 (INVALID_PARAMETERS) for parameter name.
func invalidParams(name string) *engine.Error {
	return &engine.Error{Code: 8, Parameter: name, Message: "Invalid parameters"}
}

// str reads a string parameter ("" when absent).
func (p *params) str(i int, name string) (string, error) {
	raw := p.Get(i, name)
	if raw == nil {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", invalidParams(name)
	}
	return s, nil
}

// boolean reads a bool parameter (false when absent).
func (p *params) boolean(i int, name string) (bool, error) {
	raw := p.Get(i, name)
	if raw == nil {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, invalidParams(name)
	}
	return b, nil
}

// idKey normalises a request id so CancelRequest's qRequestId finds it.
func idKey(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if _, err := strconv.ParseFloat(s, 64); err == nil {
				return s
			}
			return "s:" + s
		}
	}
	if f, err := strconv.ParseFloat(string(raw), 64); err == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return string(raw)
}

// marshal encodes v like json.Marshal but without HTML escaping, as real
// engines write "<" and ">" verbatim, and in one pass over nested ordered
// objects (engine.AppendJSON). Values' own MarshalJSON (e.g. the engine's
// NaN as "NaN") are honoured.
func marshal(v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if !needsEscape(x) {
			b := make([]byte, 0, len(x)+2)
			b = append(b, '"')
			b = append(b, x...)
			return append(b, '"'), nil
		}
	}
	b, err := engine.AppendJSON(nil, v)
	if err != nil {
		return nil, fmt.Errorf("failed to encode result: %w", err)
	}
	return b, nil
}

// needsEscape tells whether s needs JSON escaping.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return true
		}
	}
	return false
}

// errorMessage is a JSON-RPC error response.
func errorMessage(id json.RawMessage, e *engine.Error) []byte {
	b := make([]byte, 0, 128)
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"error":{"code":`...)
	b = strconv.AppendInt(b, int64(e.Code), 10)
	p, _ := marshal(e.Parameter)
	b = append(b, `,"parameter":`...)
	b = append(b, p...)
	m, _ := marshal(e.Message)
	b = append(b, `,"message":`...)
	b = append(b, m...)
	return append(b, "}}"...)
}

// bareRef is an object reference written without qGenericType/qGenericId,
// as CreateSessionApp's qReturn is.
type bareRef struct{ obj engine.Object }

// encodeValue writes one result value; objects become handle references
// on this connection.
func (c *conn) encodeValue(v any) ([]byte, error) {
	switch x := v.(type) {
	case bareRef:
		h := c.handleFor(x.obj)
		t, _ := marshal(x.obj.Type())
		return fmt.Appendf(nil, `{"qType":%s,"qHandle":%d}`, t, h), nil
	case engine.Object:
		if isNilObject(x) {
			return []byte(`{"qType":null,"qHandle":null}`), nil
		}
		h := c.handleFor(x)
		b := make([]byte, 0, 96)
		t, _ := marshal(x.Type())
		b = append(b, `{"qType":`...)
		b = append(b, t...)
		b = append(b, `,"qHandle":`...)
		b = strconv.AppendInt(b, int64(h), 10)
		if gt := x.GenericType(); gt != "" {
			s, _ := marshal(gt)
			b = append(b, `,"qGenericType":`...)
			b = append(b, s...)
		}
		if id := x.GenericID(); id != "" {
			s, _ := marshal(id)
			b = append(b, `,"qGenericId":`...)
			b = append(b, s...)
		}
		return append(b, '}'), nil
	}
	return marshal(v)
}

// response writes a result message in the real engines' key order:
// jsonrpc, id, result, change, close, delta. It also pushes the change and
// close lists to the session's other connections.
func (c *conn) response(cl *call, id json.RawMessage, r *engine.Reply) []byte {
	if r == nil {
		r = &engine.Reply{}
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"result":{`...)
	var full []byte // the result without delta patches, for the schema check
	if c.srv.schema != nil {
		full = append(full, '{')
	}
	for i, kv := range r.Result {
		v, err := c.encodeValue(kv.Value)
		if err != nil {
			return errorMessage(id, &engine.Error{Code: -32603, Parameter: err.Error(), Message: "Internal error"})
		}
		if full != nil {
			if i > 0 {
				full = append(full, ',')
			}
			k, _ := marshal(kv.Key)
			full = append(append(append(full, k...), ':'), v...)
		}
		if cl.delta {
			v, err = c.deltaPatch(cl.handle, cl.method, kv.Key, v)
			if err != nil {
				return errorMessage(id, &engine.Error{Code: -32603, Parameter: err.Error(), Message: "Internal error"})
			}
		}
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := marshal(kv.Key)
		b = append(b, k...)
		b = append(b, ':')
		b = append(b, v...)
	}
	b = append(b, '}')
	if full != nil {
		c.srv.schema.check(c.qType(cl.handle)+"."+cl.method, append(full, '}'))
	}
	b = appendList(b, "change", c.handlesOf(r.Changed))
	b = appendList(b, "close", c.dropHandles(r.Closed))
	if cl.delta {
		b = append(b, `,"delta":true`...)
	}
	b = append(b, '}')
	if c.sess != nil {
		c.sess.push(c, r.Changed, r.Closed)
	}
	return b
}
