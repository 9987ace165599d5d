package jsonr

import (
	"testing"
)

func TestObject(t *testing.T) {
	m, err := Object([]byte(` {"a":1,"b":{"c":[2]},"a":"x","\u0041":true} `))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": `"x"`, "b": `{"c":[2]}`, "A": `true`}
	if len(m) != len(want) {
		t.Fatalf("got %q", m)
	}
	for k, v := range want {
		if string(m[k]) != v {
			t.Errorf("%s = %s, want %s", k, m[k], v)
		}
	}
	if m, err := Object([]byte(`null`)); m != nil || err != nil {
		t.Errorf("null: %v %v", m, err)
	}
	for _, c := range []string{``, `[]`, `1`, `{"a":1}x`, `{"a":}`} {
		if _, err := Object([]byte(c)); err == nil {
			t.Errorf("Object(%q) accepted", c)
		}
	}
}
