package engine

import (
	"encoding/json"
	"fmt"
	"strings"
)

// arg decodes parameter (i, name) into out, leaving out unchanged when the
// parameter is absent; a wrong type is error 8 (INVALID_PARAMETERS) naming
// the parameter, as for any other bad parameter.
func arg[T any](p Params, i int, name string, out *T) error {
	if p == nil {
		return nil
	}
	raw := p.Get(i, name)
	if raw == nil || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return invalid(name)
	}
	return nil
}

// args decodes several parameters in order; the first failure wins.
func args(p Params, specs ...any) error {
	for i := 0; i+1 < len(specs); i += 2 {
		name := specs[i].(string)
		var err error
		switch out := specs[i+1].(type) {
		case *string:
			err = arg(p, i/2, name, out)
		case *bool:
			err = arg(p, i/2, name, out)
		case *int:
			err = arg(p, i/2, name, out)
		case *float64:
			err = arg(p, i/2, name, out)
		case *[]int:
			err = arg(p, i/2, name, out)
		case *[]string:
			err = arg(p, i/2, name, out)
		case *json.RawMessage:
			if p != nil {
				if raw := p.Get(i/2, name); raw != nil {
					*out = raw
				}
			}
		default:
			if p != nil {
				if raw := p.Get(i/2, name); raw != nil && string(raw) != "null" {
					if e := json.Unmarshal(raw, out); e != nil {
						err = invalid(name)
					}
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ParamList is a ready-made Params over positional values, for tests and
// for callers that build requests in Go.
type ParamList []any

// Get returns parameter i marshalled to JSON.
func (l ParamList) Get(i int, name string) json.RawMessage {
	if i < 0 || i >= len(l) {
		return nil
	}
	if raw, ok := l[i].(json.RawMessage); ok {
		return raw
	}
	b, err := json.Marshal(l[i])
	if err != nil {
		return nil
	}
	return b
}

// Len is the number of parameters.
func (l ParamList) Len() int { return len(l) }

// ParamMap is a ready-made Params over named values.
type ParamMap map[string]any

// Get returns the parameter called name marshalled to JSON.
func (m ParamMap) Get(i int, name string) json.RawMessage {
	v, ok := m[name]
	if !ok {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

// Len is the number of parameters.
func (m ParamMap) Len() int { return len(m) }

// result builds a Reply from alternating keys and values.
func result(kv ...any) *Reply {
	r := &Reply{Result: []KV{}}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Result = append(r.Result, KV{Key: kv[i].(string), Value: kv[i+1]})
	}
	return r
}

// propsArg reads the qProp param as a properties object: error 8 when it
// is not one, as real engines answer.
func propsArg(p Params) (obj, error) {
	var raw json.RawMessage
	if err := args(p, "qProp", &raw); err != nil {
		return nil, err
	}
	o, err := parseObj(raw)
	if err != nil {
		return nil, invalid("qProp")
	}
	return o, nil
}

// invalid is the engine's invalid-parameters error.
func invalid(param string) error {
	return &Error{Code: 8, Parameter: param, Message: "Invalid parameters"}
}

func eqFold(a, b string) bool { return strings.EqualFold(a, b) }

// notFound is the qReturn of a lookup that found nothing: a typed nil
// Object, which the protocol side writes as {"qType":null,"qHandle":null}.
var notFound Object = (*GenericObject)(nil)

// recoverInternal turns a panic inside a method into the engine's internal
// error, so a bug in one request never takes the emulator down.
func recoverInternal(err *error) {
	if r := recover(); r != nil {
		*err = &Error{Code: -32603, Parameter: fmt.Sprint(r), Message: "Internal error"}
	}
}
