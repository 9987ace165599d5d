package jsonr

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, c := range append(append([]string{}, validCases...), invalidCases...) {
		if got, want := Valid([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("Valid(%q) = %v, encoding/json says %v", c, got, want)
		}
	}
	deep := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if !Valid([]byte(deep)) {
		t.Error("nesting at the limit refused")
	}
	if Valid([]byte("[" + deep + "]")) {
		t.Error("nesting past the limit accepted")
	}
}

func TestAppendCompact(t *testing.T) {
	got := AppendCompact([]byte("x"), []byte(" { \"a b\" : [ 1 ,\n 2 ] , \"c\":\" \\\" \" } "))
	if want := `x{"a b":[1,2],"c":" \" "}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
