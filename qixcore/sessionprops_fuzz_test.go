package qixcore

import (
	"encoding/json"
	"testing"
)

// FuzzApplyQPatches feeds automatic resume's patch applier (the
// properties of session objects it recreates) arbitrary properties and
// ApplyPatches lists: it never panics, and what it returns is valid JSON
// that the tree reads back to the same text.
func FuzzApplyQPatches(f *testing.F) {
	f.Add([]byte(`{"qInfo":{"qId":"v"},"list":[1,2],"big":12345678901234567890}`),
		[]byte(`[{"qOp":"replace","qPath":"/list/1","qValue":"9"},{"qOp":"add","qPath":"/a~1b","qValue":"{\"x\":true}"}]`))
	f.Add([]byte(`{"a":{"b":[{"c":"d"}]}}`), []byte(`[{"qOp":"remove","qPath":"/a/b/0/c"},{"qOp":"add","qPath":"/a/b/-","qValue":"null"}]`))
	f.Add([]byte(`[]`), []byte(`[{"qOp":"add","qPath":"","qValue":"\"root\""}]`))
	f.Add([]byte(`{"s":"\ud83d\ude00 \u0000"}`), []byte(`[{"qOp":"replace","qPath":"/s","qValue":"\"\\u00e9\""}]`))
	f.Fuzz(func(t *testing.T, props, patches []byte) {
		out, err := applyQPatches(props, patches)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("applyQPatches(%q, %q) = %q: not JSON", props, patches, out)
		}
		v, err := parseTree(out)
		if err != nil {
			t.Fatalf("its own output %q does not read back: %v", out, err)
		}
		if again := appendTree(nil, v); string(again) != string(out) {
			t.Fatalf("round trip changed %q to %q", out, again)
		}
	})
}
