package emulator

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestDeeperThan(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want bool
	}{
		{`{"a":[1,2,{"b":3}]}`, 3, false},
		{`{"a":[1,2,{"b":3}]}`, 2, true},
		{`{"a":"[[[[[[[[[["}`, 1, false},    // brackets inside strings do not count
		{`{"a":"\"[[[[","b":[]}`, 2, false}, // nor after an escaped quote
		{`{"a":"\\","b":[[[]]]}`, 3, true},  // an escaped backslash ends before the quote
		{strings.Repeat("[", 1_000_000), 256, true},
		{`"unterminated [[[[`, 1, false},
		{``, 1, false},
	} {
		if got := deeperThan([]byte(c.in), c.max); got != c.want {
			t.Errorf("deeperThan(%.40q, %d) = %v", c.in, c.max, got)
		}
	}
}

func TestPeekID(t *testing.T) {
	for in, want := range map[string]string{
		`{"jsonrpc":"2.0","id":7,"params":[[[[]]]]}`:          `7`,
		`{"params":[{"id":1}],"id" : "abc"}`:                  `"abc"`, // nested ids are not the request's
		`{"method":"id","id":-2.5e3}`:                         `-2.5e3`,
		`{"params":"\"id\":5","id":9}`:                        `9`,
		`{"id":{"x":1}}`:                                      ``,
		`{"id":tru}`:                                          ``,
		`[{"id":1}]`:                                          ``,
		`{"a":[[[[[` + strings.Repeat("[", 10000) + `"id":1}`: ``,
	} {
		if got := string(peekID([]byte(in))); got != want {
			t.Errorf("peekID(%.50s) = %q, want %q", in, got, want)
		}
	}
}

func TestDeepRequestAnsweredWithEngineError(t *testing.T) {
	_, hs := testServer(t, Config{MaxJSONDepth: 8})
	c, _ := dial(t, hs, "/app/", nil)
	deep := strings.Repeat("[", 9) + strings.Repeat("]", 9)
	c.raw(`{"jsonrpc":"2.0","id":41,"handle":-1,"method":"EngineVersion","params":` + deep + `}`)
	m := c.next(2 * time.Second)
	want := `{"jsonrpc":"2.0","id":41,"error":{"code":-32600,"parameter":"JSON nested deeper than 8 levels","message":"Invalid Request"}}`
	if string(m.raw) != want {
		t.Fatalf("got %s", m.raw)
	}
	// Within the bound the same shape runs.
	ok := strings.Repeat("[", 6) + strings.Repeat("]", 6)
	c.raw(`{"jsonrpc":"2.0","id":42,"handle":-1,"method":"EngineVersion","params":` + ok + `}`)
	if m := c.next(2 * time.Second); m.Error != nil || m.ID == nil || *m.ID != 42 {
		t.Fatalf("within bound: %s", m.raw)
	}
	c.call(-1, "EngineVersion", nil).ok(t)
}

func TestMillionBracketsDoNotKillTheServer(t *testing.T) {
	// Deeper than the Go decoder's own limit and than the default bound:
	// answered, the session survives.
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.raw(`{"id":3,"handle":-1,"method":"Evaluate","params":` + strings.Repeat("[", 1_000_000) + `}`)
	m := c.next(5 * time.Second)
	if m.Error == nil || m.Error.Code != -32600 || m.ID == nil || *m.ID != 3 {
		t.Fatalf("got %.200s", m.raw)
	}
	c.call(-1, "EngineVersion", nil).ok(t)
}

func TestFrameOverLimitClosesWith1009(t *testing.T) {
	_, hs := testServer(t, Config{MaxMessageBytes: 4096})
	c, _ := dial(t, hs, "/app/", nil)
	// At the limit: served.
	pad := strings.Repeat("x", 4096-len(`{"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion","params":{"pad":""}}`))
	c.raw(`{"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion","params":{"pad":"` + pad + `"}}`)
	if m := c.next(2 * time.Second); m.Error != nil {
		t.Fatalf("at limit: %s", m.raw)
	}
	// One byte over: closed with 1009, nothing else is read.
	if err := c.ws.Write(context.Background(), websocket.MessageText, []byte(`{"jsonrpc":"2.0","id":2,"handle":-1,"method":"EngineVersion","params":{"pad":"`+pad+`x"}}`)); err != nil {
		t.Fatal(err)
	}
	if code, _ := c.closeStatus(t); code != websocket.StatusMessageTooBig {
		t.Fatalf("close code %d, want 1009", code)
	}
	// Other connections are unaffected.
	c2, _ := dial(t, hs, "/app/", nil)
	c2.call(-1, "EngineVersion", nil).ok(t)
}

func TestLimitDefaults(t *testing.T) {
	if readLimit(0) != DefaultMaxMessageBytes || readLimit(NoLimit) != -1 || readLimit(10) != 10 {
		t.Fatal("readLimit")
	}
	if jsonDepth(0) != DefaultMaxJSONDepth || jsonDepth(NoLimit) != 0 || jsonDepth(3) != 3 {
		t.Fatal("jsonDepth")
	}
}
