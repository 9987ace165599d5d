package qixcore

import (
	"errors"
	"strconv"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// A small JSON tree for the properties of session objects (sessionprops.go):
// objects keep their key order and scalars their exact text, and it costs
// the wasm build nothing like encoding/json's reflection would.
type (
	jsonObject []jsonMember
	jsonArray  []any
	jsonRaw    []byte // a scalar as written: number, string, true, false, null
	jsonMember struct {
		key string
		val any
	}
)

// maxTreeDepth bounds the nesting parseTree accepts.
const maxTreeDepth = 200

// parseTree reads one JSON value.
func parseTree(data []byte) (any, error) {
	l := jsonr.Lexer{Data: data}
	v := readTree(&l, 0)
	l.Consumed()
	if err := l.Error(); err != nil {
		return nil, errwrap.Wrap("failed to read JSON", err)
	}
	return v, nil
}

func readTree(l *jsonr.Lexer, depth int) any {
	if depth > maxTreeDepth {
		l.AddError(errors.New("JSON nested deeper than " + strconv.Itoa(maxTreeDepth)))
		return nil
	}
	switch {
	case l.IsDelim('{'):
		l.Delim('{')
		obj := jsonObject{}
		for l.Ok() && !l.IsDelim('}') {
			key := l.String()
			l.WantColon()
			obj = append(obj, jsonMember{key: key, val: readTree(l, depth+1)})
			l.WantComma()
		}
		l.Delim('}')
		return obj
	case l.IsDelim('['):
		l.Delim('[')
		arr := jsonArray{}
		for l.Ok() && !l.IsDelim(']') {
			arr = append(arr, readTree(l, depth+1))
			l.WantComma()
		}
		l.Delim(']')
		return arr
	}
	return jsonRaw(append([]byte(nil), l.Raw()...))
}

// appendTree writes v as JSON.
func appendTree(dst []byte, v any) []byte {
	switch t := v.(type) {
	case jsonObject:
		dst = append(dst, '{')
		for i, m := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(appendString(dst, m.key), ':')
			dst = appendTree(dst, m.val)
		}
		return append(dst, '}')
	case jsonArray:
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendTree(dst, e)
		}
		return append(dst, ']')
	case jsonRaw:
		return append(dst, t...)
	}
	return append(dst, "null"...)
}

// get returns the member key.
func (o jsonObject) get(key string) (any, bool) {
	for _, m := range o {
		if m.key == key {
			return m.val, true
		}
	}
	return nil, false
}

// set replaces member key, or appends it.
func (o jsonObject) set(key string, v any) jsonObject {
	for i, m := range o {
		if m.key == key {
			o[i].val = v
			return o
		}
	}
	return append(o, jsonMember{key: key, val: v})
}

// remove drops member key.
func (o jsonObject) remove(key string) jsonObject {
	for i, m := range o {
		if m.key == key {
			return append(o[:i], o[i+1:]...)
		}
	}
	return o
}

// member returns the raw JSON of a top-level member of the object in data.
func member(data []byte, key string) ([]byte, bool) {
	l := jsonr.Lexer{Data: data}
	if !l.IsDelim('{') {
		return nil, false
	}
	l.Delim('{')
	for l.Ok() && !l.IsDelim('}') {
		k := l.UnsafeFieldName(false)
		l.WantColon()
		if k == key {
			raw := l.Raw()
			return raw, l.Ok()
		}
		l.SkipRecursive()
		l.WantComma()
	}
	return nil, false
}
