package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

func TestDeltaLayout(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o", "qType": "t"}}}).ok(t)

	m := c.callDelta(2, "GetLayout", nil)
	want := `{"jsonrpc":"2.0","id":3,"result":{"qLayout":[{"op":"add","path":"/","value":{"qCount":0,"qInfo":{"qId":"o","qType":"t"},"qRows":[1,2,3]}}]},"delta":true}`
	if string(m.raw) != want {
		t.Fatalf("first:\n%s\nwant\n%s", m.raw, want)
	}
	m = c.callDelta(2, "GetLayout", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":4,"result":{"qLayout":[]},"delta":true}` {
		t.Fatalf("unchanged: %s", m.raw)
	}
	c.call(1, "Select", nil).ok(t)
	m = c.callDelta(2, "GetLayout", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":6,"result":{"qLayout":[{"op":"replace","path":"/qCount","value":1}]},"delta":true}` {
		t.Fatalf("changed: %s", m.raw)
	}
	// Without delta the full value comes and the cache is untouched.
	m = c.call(2, "GetLayout", nil)
	if string(m.raw) != `{"jsonrpc":"2.0","id":7,"result":{"qLayout":{"qCount":1,"qInfo":{"qId":"o","qType":"t"},"qRows":[1,2,3]}}}` {
		t.Fatalf("plain: %s", m.raw)
	}
	// Primitive roots: always a whole add at "/".
	c.callDelta(2, "GetNumber", nil)
	if m := c.callDelta(2, "GetNumber", nil); string(m.Result) != `{"qReturn":[]}` {
		t.Fatalf("primitive unchanged: %s", m.raw)
	}
}

func TestDeltaCacheDroppedWithHandle(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o", "qType": "t"}}}).ok(t)
	c.callDelta(2, "GetLayout", nil)
	c.call(1, "DestroySessionObject", []any{"o"}).ok(t)
	c.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o", "qType": "t"}}}).ok(t)
	m := c.callDelta(3, "GetLayout", nil)
	if string(m.Result[:25]) != `{"qLayout":[{"op":"add","` {
		t.Fatalf("%s", m.raw)
	}
}

func TestDeltaPatchOps(t *testing.T) {
	c := &conn{deltas: map[deltaKey][]byte{}}
	steps := []struct{ in, want string }{
		{`{"a":1,"b":[1,2]}`, `[{"op":"add","path":"/","value":{"a":1,"b":[1,2]}}]`},
		{`{"a":1,"b":[1,2]}`, `[]`},
		{`{"a":2,"b":[1,2],"c":"<x>"}`, ``},
		{`{"b":[1]}`, ``},
		{`[1]`, `[{"op":"add","path":"/","value":[1]}]`},
		{`"NaN"`, `[{"op":"add","path":"/","value":"NaN"}]`},
	}
	prev := ""
	for _, s := range steps {
		got, err := c.deltaPatch(1, "M", "k", []byte(s.in))
		if err != nil {
			t.Fatal(err)
		}
		if s.want != "" && string(got) != s.want {
			t.Fatalf("%s: got %s want %s", s.in, got, s.want)
		}
		if s.want == "" {
			// Applying the patch to the previous value gives the new one.
			out, err := applyPatch(prev, string(got))
			if err != nil || !jsonEqual(out, s.in) {
				t.Fatalf("%s -> %s via %s: %s (%v)", prev, s.in, got, out, err)
			}
		}
		prev = s.in
	}
}

// applyPatch applies add/remove/replace ops (enough for the tests).
func applyPatch(doc, patch string) (string, error) {
	var root any
	if err := json.Unmarshal([]byte(doc), &root); err != nil {
		return "", err
	}
	var ops []struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(patch), &ops); err != nil {
		return "", err
	}
	for _, op := range ops {
		var v any
		if op.Value != nil {
			_ = json.Unmarshal(op.Value, &v)
		}
		if op.Path == "/" || op.Path == "" {
			root = v
			continue
		}
		toks := strings.Split(op.Path[1:], "/")
		var set func(cur any, toks []string) (any, error)
		set = func(cur any, toks []string) (any, error) {
			tok := strings.ReplaceAll(strings.ReplaceAll(toks[0], "~1", "/"), "~0", "~")
			last := len(toks) == 1
			switch x := cur.(type) {
			case map[string]any:
				if last {
					if op.Op == "remove" {
						delete(x, tok)
					} else {
						x[tok] = v
					}
					return x, nil
				}
				n, err := set(x[tok], toks[1:])
				x[tok] = n
				return x, err
			case []any:
				i := len(x)
				if tok != "-" {
					var err error
					if i, err = strconv.Atoi(tok); err != nil {
						return nil, err
					}
				}
				if last {
					switch op.Op {
					case "remove":
						return append(x[:i:i], x[i+1:]...), nil
					case "add":
						x = append(x[:i:i], append([]any{v}, x[i:]...)...)
						return x, nil
					default:
						x[i] = v
						return x, nil
					}
				}
				n, err := set(x[i], toks[1:])
				x[i] = n
				return x, err
			}
			return nil, fmt.Errorf("bad path %s", op.Path)
		}
		var err error
		if root, err = set(root, toks); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(root)
	return string(b), err
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestDeltaConcurrentGlobalStaysConsistent(t *testing.T) {
	// Pipelined delta requests on Global run concurrently; in arrival order
	// the first answer must be the whole add and the rest [] (unchanged).
	_, hs := testServer(t, Config{})
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, wsURL(hs, "/app/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if _, _, err := ws.Read(ctx); err != nil { // OnConnected
		t.Fatal(err)
	}
	const n = 100
	for i := 1; i <= n; i++ {
		req := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"handle":-1,"method":"GetDocList","params":[],"delta":true}`, i)
		if err := ws.Write(ctx, websocket.MessageText, []byte(req)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		_, b, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first := strings.Contains(string(b), `"qDocList":[{"op":"add","path":"/"`)
		unchanged := strings.Contains(string(b), `"qDocList":[]`)
		if (i == 0 && !first) || (i > 0 && !unchanged) {
			t.Fatalf("answer %d out of order: %s", i, b)
		}
	}
}
