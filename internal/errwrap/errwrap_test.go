package errwrap

import (
	"errors"
	"fmt"
	"testing"
)

func TestWrapMatchesErrorf(t *testing.T) {
	base := errors.New("boom")
	got := Wrap("failed to send GetLayout", base)
	want := fmt.Errorf("failed to send GetLayout: %w", base)
	if got.Error() != want.Error() {
		t.Errorf("Wrap = %q, fmt.Errorf = %q", got, want)
	}
	if !errors.Is(got, base) || errors.Unwrap(got) != base {
		t.Error("Wrap does not unwrap to its error")
	}
	nested := Wrap("outer", got)
	if nested.Error() != "outer: failed to send GetLayout: boom" || !errors.Is(nested, base) {
		t.Errorf("nested: %q", nested)
	}
	if n := Wrap("x", nil); n.Error() != "x: <nil>" || errors.Unwrap(n) != nil {
		t.Errorf("nil: %q", n)
	}
}

func TestWithText(t *testing.T) {
	base := errors.New("handle reused")
	e := WithText(base.Error()+": handle 3 is the Doc, not a GenericObject", base)
	if e.Error() != "handle reused: handle 3 is the Doc, not a GenericObject" || !errors.Is(e, base) {
		t.Errorf("WithText = %q", e)
	}
}
