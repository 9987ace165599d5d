package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// obj is a JSON object that keeps its key order. Properties are stored this
// way so GetProperties and GetLayout write keys in the order clients sent
// them, as real engines do.
type obj []member

// member is one key of an obj.
type member struct {
	K string
	V any
}

// get returns the value of key k.
func (o obj) get(k string) (any, bool) {
	for _, m := range o {
		if m.K == k {
			return m.V, true
		}
	}
	return nil, false
}

// set replaces or appends key k.
func (o *obj) set(k string, v any) {
	for i := range *o {
		if (*o)[i].K == k {
			(*o)[i].V = v
			return
		}
	}
	*o = append(*o, member{k, v})
}

// del removes key k.
func (o *obj) del(k string) {
	for i := range *o {
		if (*o)[i].K == k {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

// MarshalJSON writes the members in order (see appendJSON).
func (o obj) MarshalJSON() ([]byte, error) {
	return appendJSON(make([]byte, 0, 256), o)
}

// parseOrdered decodes JSON into obj/[]any/json.Number/string/bool/nil.
func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := t.(type) {
	case json.Delim:
		switch x {
		case '{':
			o := obj{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", x)
	default:
		return t, nil
	}
}

// parseObj decodes a JSON object (null → empty object).
func parseObj(data []byte) (obj, error) {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return obj{}, nil
	}
	v, err := parseOrdered(data)
	if err != nil {
		return nil, err
	}
	o, ok := v.(obj)
	if !ok {
		return nil, errors.New("expected a JSON object")
	}
	return o, nil
}

// deepCopy copies an ordered JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case obj:
		c := make(obj, len(x))
		for i, m := range x {
			c[i] = member{m.K, deepCopy(m.V)}
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = deepCopy(e)
		}
		return c
	}
	return v
}

// decodeInto converts an ordered value into a Go struct via JSON.
func decodeInto(v any, out any) error {
	b, err := appendJSON(nil, v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// getPath returns the value at a JSON pointer-like path ("/qHyperCubeDef").
func getPath(v any, path string) (any, bool) {
	if path == "" || path == "/" {
		return v, true
	}
	for _, part := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case obj:
			nv, ok := x.get(part)
			if !ok {
				return nil, false
			}
			v = nv
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
