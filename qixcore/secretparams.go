package qixcore

import (
	"slices"
	"sync"

	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// SecretParam is a method parameter of the built-in schema whose name says
// it carries a credential (SecretName), e.g. Global.OpenDoc's qPassword at
// position 2. Named params are caught by their name wherever redaction
// looks at keys; positional ones only by their place, which is why the
// places are listed: a traffic log, an export or an error must mask
// ["Sales","","hunter2"] as well as {"qPassword":"hunter2"}.
type SecretParam struct {
	Class, Method string
	Index         int
	Name          string
}

var (
	secretParamsOnce sync.Once
	secretParams     []SecretParam
)

// SecretParams lists every secret parameter of the built-in schema, by
// class, method and position.
func SecretParams() []SecretParam {
	secretParamsOnce.Do(func() {
		for _, c := range Classes() {
			for _, m := range Methods(c) {
				for i, p := range m.In {
					if SecretName(p.Name) {
						secretParams = append(secretParams, SecretParam{Class: c, Method: m.Name, Index: i, Name: p.Name})
					}
				}
			}
		}
	})
	return slices.Clone(secretParams)
}

// secretIndexes returns the positions of method's secret params in any
// class: a frame names its method but not always its class, so a method
// name that has a secret at position i in one class is masked there in all.
func secretIndexes(method string) []int {
	var out []int
	for _, sp := range SecretParams() {
		if sp.Method == method && !slices.Contains(out, sp.Index) {
			out = append(out, sp.Index)
		}
	}
	return out
}

// RedactParams returns positional params (a JSON array) of method with the
// non-empty strings at secret positions replaced by "REDACTED" (RedactText
// then covers secrets by name). Anything that is not an array, and the
// params of a method without secret params, are returned as they are.
func RedactParams(method string, params []byte) []byte {
	idx := secretIndexes(method)
	if len(idx) == 0 || len(params) == 0 {
		return params
	}
	l := jsonr.Lexer{Data: params}
	if !l.IsDelim('[') {
		return params
	}
	out := make([]byte, 0, len(params))
	l.Delim('[')
	out = append(out, '[')
	for i := 0; l.Ok() && !l.IsDelim(']'); i++ {
		if i > 0 {
			out = append(out, ',')
		}
		raw := l.Raw()
		if slices.Contains(idx, i) && len(raw) > 2 && raw[0] == '"' {
			raw = []byte(`"` + Redacted + `"`)
		}
		out = append(out, raw...)
		l.WantComma()
	}
	l.Delim(']')
	if l.Error() != nil {
		return []byte(`"` + Redacted + `"`) // unreadable: show nothing of it
	}
	return append(out, ']')
}
