package jsonw

import (
	"encoding/json"
	"testing"
)

func TestStringRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "ctl \x00\x01\x1f\n\r\t", "é😀\u2028\u2029", "bad \xff utf8", "<>&"} {
		b := AppendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q → %s: %v", s, b, err)
		}
		want := string([]rune(s)) // invalid bytes become U+FFFD, as in the writer
		if got != want {
			t.Fatalf("%q → %s → %q", s, b, got)
		}
	}
}

func TestWriter(t *testing.T) {
	var w Writer
	w.RawByte('{')
	w.RawString(`"a":`)
	w.Int(-12)
	w.RawString(`,"b":`)
	w.Int64(1 << 40)
	w.RawString(`,"c":`)
	w.String("x\"y")
	w.RawString(`,"d":`)
	w.Bool(true)
	w.RawByte('}')
	if n := w.Len(); n == 0 {
		t.Fatal("Len 0")
	}
	b, err := w.BuildBytes()
	if err != nil || string(b) != `{"a":-12,"b":1099511627776,"c":"x\"y","d":true}` {
		t.Fatalf("%s %v", b, err)
	}
	if w.Len() != 0 {
		t.Fatal("BuildBytes did not reset")
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a\"b\\c\x00é\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(AppendString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got != string([]rune(s)) {
			t.Fatalf("%q → %q", s, got)
		}
	})
}
