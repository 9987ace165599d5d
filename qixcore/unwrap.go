package qixcore

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
	"github.com/qix-wasm/qix-wasm/internal/jsonw"
)

// returnKey is the result key the engine uses for a method's return value.
const returnKey = "qReturn"

// ignoresReturn lists methods whose qReturn enigma.js discards (it is a
// status flag; the value users want is the other out param). enigma.js
// matches them by method name alone, and so does this package.
func ignoresReturn(method string) bool {
	switch method {
	case "GetInteract", "StoreTempSelectionState", "CreateTemporaryBookmark":
		return true
	}
	return false
}

// OutKey returns the result key a call of m resolves with: the single out
// param when there is one, qReturn when the method returns it (except for
// the few methods where enigma.js drops qReturn in favour of the other out
// param), and "" when the whole result object is the value. A nil Method
// (unknown to the schema) has no out key.
func (m *Method) OutKey() string {
	if m == nil {
		return ""
	}
	if ignoresReturn(m.Name) {
		return m.schemaOutKey()
	}
	if len(m.Out) == 1 {
		return m.Out[0]
	}
	for _, o := range m.Out {
		if o == returnKey {
			return returnKey
		}
	}
	return ""
}

// schemaOutKey is enigma.js's outKey: the single out param of the schema,
// whose out lists never mention qReturn.
func (m *Method) schemaOutKey() string {
	key, n := "", 0
	for _, o := range m.Out {
		if o != returnKey {
			key = o
			n++
		}
	}
	if n == 1 {
		return key
	}
	return ""
}

// UnwrapRule says how to turn a result object into the value a call
// resolves with, following enigma.js: take result.qReturn when present
// (unless IgnoreReturn), else result[Key] when Key is set (missing →
// undefined), else the whole result. Go computes it from the schema so the
// page can apply it right after JSON.parse without Go scanning the result.
type UnwrapRule struct {
	// Key is enigma.js's out key: the method's single out param besides
	// qReturn, or "" when it has none or several.
	Key string
	// IgnoreReturn is set for methods whose qReturn is only a status flag
	// (GetInteract, StoreTempSelectionState, CreateTemporaryBookmark).
	IgnoreReturn bool
	// Object is set when the value is an object reference {qType, qHandle,
	// qGenericId, qGenericType}, i.e. the call yields a remote object.
	Object bool
	// SessionAppID is set for CreateSessionApp and CreateSessionAppFromApp:
	// the value's qGenericId is replaced by result.qSessionAppId, which is
	// the id needed to reconnect to the session app.
	SessionAppID bool
}

// UnwrapRule returns the rule for results of m. A nil Method (unknown to
// the schema) gets the zero rule: qReturn when present, else the result.
func (m *Method) UnwrapRule() UnwrapRule {
	if m == nil {
		return UnwrapRule{}
	}
	return UnwrapRule{
		Key:          m.schemaOutKey(),
		IgnoreReturn: ignoresReturn(m.Name),
		Object:       m.ReturnsObject,
		SessionAppID: m.Name == "CreateSessionApp" || m.Name == "CreateSessionAppFromApp",
	}
}

// errNotObject is returned by Apply for results that are not JSON objects.
var errNotObject = errors.New("result is not a JSON object")

// Apply picks the value out of result, the JSON "result" member of a
// response. It returns nil (JavaScript's undefined) when Key names a
// missing member. It is the Go twin of the page-side unwrapping, for
// native callers and tests.
func (r UnwrapRule) Apply(result []byte) ([]byte, error) {
	result = bytes.TrimSpace(result)
	if len(result) == 0 || result[0] != '{' {
		return nil, errwrap.Wrap("failed to unwrap result", errNotObject)
	}
	fields, err := jsonr.Object(result)
	if err != nil {
		return nil, errwrap.Wrap("failed to unwrap result", err)
	}
	if v, ok := fields[returnKey]; ok && !r.IgnoreReturn {
		if r.SessionAppID {
			return withSessionAppID(v, fields["qSessionAppId"])
		}
		return bytes.Clone(v), nil
	}
	if r.Key != "" {
		return bytes.Clone(fields[r.Key]), nil
	}
	return result, nil
}

// withSessionAppID sets ref.qGenericId to id when id is a non-empty string
// (enigma.js uses qSessionAppId when it is truthy) and ref is an object.
// The object comes back compact with its keys sorted (and a repeated key
// once), as encoding/json marshalled it before, but without its escaping
// of <, > and & (JSON.stringify does not escape them either).
func withSessionAppID(ref, id []byte) ([]byte, error) {
	l := jsonr.Lexer{Data: id}
	if s := l.String(); !l.Ok() || s == "" {
		return bytes.Clone(ref), nil
	}
	obj, err := jsonr.Object(ref)
	if err != nil || obj == nil {
		return bytes.Clone(ref), nil
	}
	obj["qGenericId"] = id
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(jsonw.AppendString(out, k), ':')
		out = jsonr.AppendCompact(out, obj[k])
	}
	return append(out, '}'), nil
}

// EncodeParams turns the JSON array of a JS call's arguments into the
// params array sent to the engine. Like enigma.js, a call with exactly one
// argument that is a plain object whose keys are all In names of m is a
// named call: the values go to their positions in In order. Unlike
// enigma.js, falsy values (false, 0, "", null) are kept, gaps before the
// last given param get the schema default (or {} / [] for object and array
// params, whose schema "defaults" are example instances), and params after
// the last given one are left out so the engine applies its own defaults.
// An empty object is a named call with no params, except when m's first
// param is an object: then it is that param. Anything else, and every
// method unknown to the schema (m == nil), is sent as given. The result
// may share memory with args; args is never modified.
func EncodeParams(m *Method, args []byte) ([]byte, error) {
	args = bytes.TrimSpace(args)
	if len(args) == 0 {
		return []byte("[]"), nil
	}
	if args[0] != '[' {
		return nil, errors.New("failed to encode params: arguments are not a JSON array")
	}
	if !jsonr.Valid(args) {
		return nil, errors.New("failed to encode params: arguments are not valid JSON")
	}
	if m == nil {
		return args, nil
	}
	// Find a sole object element without decoding the whole array.
	i := skipSpace(args, 1)
	if i >= len(args) || args[i] != '{' {
		return args, nil
	}
	end := valueEnd(args, i)
	if j := skipSpace(args, end); j >= len(args) || args[j] != ']' {
		return args, nil // more than one argument
	}
	obj := args[i:end]
	// Read the top-level members in place (no map, no copies). A key that
	// is not a param name makes the object a positional argument.
	vals := make([][]byte, len(m.In))
	nKeys := 0
	l := jsonr.Lexer{Data: obj}
	l.Delim('{')
	for !l.IsDelim('}') && l.Ok() {
		key := l.UnsafeFieldName(false)
		l.WantColon()
		val := l.Raw()
		l.WantComma()
		k := paramIndex(m, key)
		if k < 0 {
			return args, nil
		}
		vals[k] = val // a repeated key: the last one wins, as in JSON.parse
		nKeys++
	}
	l.Delim('}')
	if err := l.Error(); err != nil {
		return nil, errwrap.Wrap("failed to decode named params", err)
	}
	if nKeys == 0 && len(m.In) > 0 && m.In[0].DataType == "object" {
		return args, nil
	}
	last := -1
	for k, v := range vals {
		if v != nil {
			last = k
		}
	}
	size := 2
	for _, v := range vals {
		size += len(v) + 8
	}
	out := make([]byte, 0, size)
	out = append(out, '[')
	for k := 0; k <= last; k++ {
		if k > 0 {
			out = append(out, ',')
		}
		if vals[k] != nil {
			out = append(out, vals[k]...)
		} else {
			out = append(out, gapValue(m.In[k])...)
		}
	}
	return append(out, ']'), nil
}

// paramIndex returns the position of the In param called name, or -1.
func paramIndex(m *Method, name string) int {
	for k := range m.In {
		if m.In[k].Name == name {
			return k
		}
	}
	return -1
}

// gapValue is what EncodeParams sends for a param missing before the last
// given one.
func gapValue(p Param) []byte {
	switch {
	case p.Default != nil:
		return p.Default
	case p.DataType == "object":
		return []byte("{}")
	case p.DataType == "array":
		return []byte("[]")
	}
	return []byte("null")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just past the object or array starting at
// b[i]; b must be valid JSON.
func valueEnd(b []byte, i int) int {
	depth, inString := 0, false
	for ; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(b)
}

// Unwrap returns the value a call resolves with, from a Result with a Body
// (not a Span): qReturn when r.Return is set and the body has it, else
// Body[OutKey] (nil, JavaScript's undefined, when missing), else the whole
// body. It is the Go twin of the bridge's page-side unwrapping.
func (r Result) Unwrap() ([]byte, error) {
	if !r.Return && r.OutKey == "" {
		return r.Body, nil
	}
	fields, err := jsonr.Object(r.Body)
	if err != nil {
		return nil, errwrap.Wrap("failed to unwrap result", err)
	}
	if v, ok := fields[returnKey]; ok && r.Return {
		return bytes.Clone(v), nil
	}
	if r.OutKey == "" {
		return r.Body, nil
	}
	return bytes.Clone(fields[r.OutKey]), nil
}

// The handle rule: an object reference in a reply names a handle the
// engine gave out, and engines number handles from 1 per connection (the
// Global is -1 and is never returned). A reply that names handle 0, a
// negative handle (the Global's included), a number beyond int32 or
// anything that is not an integer breaks the protocol, and so does one
// that names a live handle for a different object: taking it would make
// the call resolve with the Doc or the Global itself (or another object)
// and unwrap the wrong results. Naming a live handle for the same object
// is fine: GetActiveDoc after OpenDoc returns the Doc's handle again.
var (
	errHandleNotInteger = errors.New("the engine named an object by a qHandle that is not an integer")
	errHandleImpossible = errors.New("the engine named an object by an impossible handle")
	errHandleReused     = errors.New("the engine named a different object by a live handle")
)

// maxHandle is the largest handle an engine gives out (handles are int32).
const maxHandle = 1<<31 - 1

// readHandle reads a qHandle value; bad is set when it is not an integer
// in JSON's plain form (1.5, 1e3, "1", true are all refused).
func readHandle(l *jsonr.Lexer) (h int, bad bool) {
	raw := l.Raw()
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, true
	}
	if n < math.MinInt32 || n > maxHandle {
		return 0, true
	}
	return int(n), false
}

// checkNewHandle applies the first half of the handle rule: a returned
// object's handle is a positive int32.
func checkNewHandle(h int) error {
	if h <= 0 || h > maxHandle {
		return errwrap.WithText(errHandleImpossible.Error()+" ("+strconv.Itoa(h)+")", errHandleImpossible)
	}
	return nil
}

// sameObject applies the second half: the live object o may be named
// again only as itself, with the same qType, qGenericType and qGenericId
// where both sides have them. A Doc's id is not compared: a session app's
// Doc is registered under its qSessionAppId, and GetActiveDoc names it by
// the app's id.
func sameObject(o *RemoteObject, qType, genericType, id string) bool {
	if o.Handle == -1 || o.Type != qType {
		return false
	}
	if genericType != "" && o.GenericType != "" && genericType != o.GenericType {
		return false
	}
	if qType != "Doc" && id != "" && o.ID != "" && id != o.ID {
		return false
	}
	return true
}
