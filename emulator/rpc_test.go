package emulator

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// raw sends a raw frame.
func (c *client) raw(s string) {
	c.t.Helper()
	if err := c.ws.Write(context.Background(), websocket.MessageText, []byte(s)); err != nil {
		c.t.Fatal(err)
	}
}

func TestParseError(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.raw(`{"jsonrpc":"2.0","id":1,`)
	m := c.next(2 * time.Second)
	if string(m.raw) != `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"parameter":"","message":"Parse error"}}` {
		t.Fatalf("%s", m.raw)
	}
	// The connection survives.
	c.call(-1, "EngineVersion", nil).ok(t)
}

func TestErrorPaths(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	m := c.call(-1, "NoSuchMethod", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"parameter":"NoSuchMethod","message":"Method not found"}}` {
		t.Fatalf("global unknown: %s", m.raw)
	}
	m = c.call(7, "GetLayout", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"parameter":"Invalid handle","message":"Invalid Params"}}` {
		t.Fatalf("bad handle: %s", m.raw)
	}
	m = c.call(-1, "GetActiveDoc", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":3,"error":{"code":1007,"parameter":"No active document","message":"App invalid"}}` {
		t.Fatalf("no doc: %s", m.raw)
	}
	e := c.call(-1, "OpenDoc", []any{"Nope"}).errCode(t, 1003)
	if e.Parameter != "Nope" || e.Message != "App not found" {
		t.Fatalf("1003: %+v", e)
	}
	c.call(-1, "OpenDoc", []any{42}).errCode(t, 8)
	c.call(-1, "OpenDoc", map[string]any{"qDocName": true}).errCode(t, 8)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.call(-1, "OpenDoc", []any{"Demo"}).errCode(t, 1002)
	// Object-level unknown method: -32601 with the method name.
	e = c.call(1, "Frobnicate", nil).errCode(t, -32601)
	if e.Parameter != "Frobnicate" {
		t.Fatalf("param %q", e.Parameter)
	}
	// Invalid request (no handle).
	c.raw(`{"jsonrpc":"2.0","id":99,"method":"EngineVersion"}`)
	m = c.next(2 * time.Second)
	if m.Error == nil || m.Error.Code != -32600 {
		t.Fatalf("invalid request: %s", m.raw)
	}
	// Notifications (no id) are not answered.
	c.raw(`{"jsonrpc":"2.0","handle":-1,"method":"EngineVersion","params":[]}`)
	c.noMessage(100 * time.Millisecond)
}

func TestNamedAndPositionalParams(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	m := c.call(-1, "OpenDoc", map[string]any{"qDocName": "Sales", "qNoData": false})
	if string(m.raw) != `{"jsonrpc":"2.0","id":1,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}},"change":[1]}` {
		t.Fatalf("%s", m.raw)
	}
	c.call(1, "SetScript", map[string]any{"qScript": "A"}).ok(t)
	r := c.call(1, "GetScript", []any{}).ok(t)
	if string(r["qScript"]) != `"A"` {
		t.Fatalf("%s", r["qScript"])
	}
}

func TestNaNAndNoHTMLEscape(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	m := c.call(1, "GetNaN", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":2,"result":{"qValue":{"qNum":"NaN","qText":"<a&b>"}}}` {
		t.Fatalf("%s", m.raw)
	}
}

func TestNotFoundObjectReference(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	m := c.call(1, "GetObject", []any{"missing"})
	if string(m.raw) != `{"jsonrpc":"2.0","id":2,"result":{"qReturn":{"qType":null,"qHandle":null}}}` {
		t.Fatalf("%s", m.raw)
	}
}

func TestKeyOrderWithChangeCloseDelta(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	m := c.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o", "qType": "chart"}}})
	if string(m.raw) != `{"jsonrpc":"2.0","id":2,"result":{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"chart","qGenericId":"o"}},"change":[2]}` {
		t.Fatalf("%s", m.raw)
	}
	m = c.callDelta(1, "DestroySessionObject", []any{"o"})
	if string(m.raw) != `{"jsonrpc":"2.0","id":3,"result":{"qSuccess":[{"op":"add","path":"/","value":true}]},"close":[2],"delta":true}` {
		t.Fatalf("%s", m.raw)
	}
	m = c.callDelta(1, "Select", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":4,"result":{"qReturn":[{"op":"add","path":"/","value":true}]},"change":[1],"delta":true}` {
		t.Fatalf("%s", m.raw)
	}
}

func TestIDKey(t *testing.T) {
	for in, want := range map[string]string{`5`: "5", `5.0`: "5", `"5"`: "5", `"x"`: "s:x"} {
		if got := idKey(json.RawMessage(in)); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}

func TestLargeMessage(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	big := strings.Repeat("LOAD 1 AS A AUTOGENERATE 1;\n", 20000) // ~580 KB, over the 32 KB default limit
	c.call(1, "SetScript", []any{big}).ok(t)
	r := c.call(1, "GetScript", nil).ok(t)
	if len(r["qScript"]) != len(big)+len(`""`)+20000 { // each \n is escaped as two bytes
		t.Fatalf("script length %d", len(r["qScript"]))
	}
}
