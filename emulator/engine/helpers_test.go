package engine

import (
	"context"
	"encoding/json"
	"math"
	"testing"
)

// marshalResult writes a Reply's result the way the protocol side does
// (Objects as {"qType","qGenericId"} markers, without handles).
func marshalResult(t *testing.T, r *Reply) map[string]any {
	t.Helper()
	o := obj{}
	for _, kv := range r.Result {
		v := kv.Value
		if ob, ok := v.(Object); ok {
			if ob == nil || isNilObject(ob) {
				v = obj{{"qType", nil}, {"qHandle", nil}}
			} else {
				v = obj{{"qType", ob.Type()}, {"qGenericType", ob.GenericType()}, {"qGenericId", ob.GenericID()}}
			}
		}
		o = append(o, member{kv.Key, v})
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return m
}

func isNilObject(o Object) bool {
	switch x := o.(type) {
	case *Doc:
		return x == nil
	case *GenericObject:
		return x == nil
	case *Field:
		return x == nil
	case *Variable:
		return x == nil
	}
	return false
}

// call runs a method and fails the test on error.
func call(t *testing.T, o Object, method string, params ...any) (*Reply, map[string]any) {
	t.Helper()
	r, err := o.Call(context.Background(), method, ParamList(params))
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return r, marshalResult(t, r)
}

// ret returns qReturn of a reply as an Object.
func ret(t testing.TB, r *Reply) Object {
	t.Helper()
	for _, kv := range r.Result {
		if kv.Key == "qReturn" {
			o, _ := kv.Value.(Object)
			return o
		}
	}
	t.Fatalf("no qReturn")
	return nil
}

// dig walks a decoded JSON value by keys and indices.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		if x == "NaN" {
			return math.NaN()
		}
	}
	return math.NaN()
}

// openDemo opens the Demo app.
func openDemo(t *testing.T) *Doc {
	t.Helper()
	d, err := NewLibrary("").Open("Demo")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sessionWithScript makes a session app and reloads script into it.
func sessionWithScript(t *testing.T, script string) *Doc {
	t.Helper()
	d, err := NewLibrary(t.TempDir()).NewSessionApp("SessionApp_test", "")
	if err != nil {
		t.Fatal(err)
	}
	call(t, d, "SetScript", script)
	_, res := call(t, d, "DoReload", 0, false, false)
	if res["qReturn"] != true {
		t.Fatalf("reload failed: %+v", d.Progress())
	}
	return d
}

// matrix extracts [][]string texts of the first data page.
func matrixTexts(v any) [][]string {
	var out [][]string
	rows, _ := v.([]any)
	for _, r := range rows {
		var row []string
		for _, c := range r.([]any) {
			row = append(row, c.(map[string]any)["qText"].(string))
		}
		out = append(out, row)
	}
	return out
}
