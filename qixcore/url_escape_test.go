package qixcore

import (
	"net/url"
	"strings"
	"testing"
)

// TestEscapeMatchesNetURL checks the hand-written escapers against net/url
// for every byte value and a few mixed strings.
func TestEscapeMatchesNetURL(t *testing.T) {
	inputs := []string{"", "plain", "a b+c/d?e#f&g=h;i,j:k@l$m!n*o'p(q)r~s", "Sälj 📈", "%41", "\x00\x7f\xff"}
	for c := 0; c < 256; c++ {
		inputs = append(inputs, string([]byte{byte(c)}))
	}
	for _, s := range inputs {
		if got, want := pathEscape(s), url.PathEscape(s); got != want {
			t.Errorf("pathEscape(%q) = %q, want %q", s, got, want)
		}
		if got, want := queryEscape(s), strings.ReplaceAll(url.QueryEscape(s), "+", "%20"); got != want {
			t.Errorf("queryEscape(%q) = %q, want %q", s, got, want)
		}
	}
}
