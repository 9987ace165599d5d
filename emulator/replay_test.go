package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// exchange is one recorded message: sent by the client or received from
// the engine.
type exchange struct {
	sent bool
	raw  json.RawMessage
}

// trafficDir is where the recorded real-engine traffic lives (outside the
// repo, see /work/shared/traffic/README.md).
const trafficDir = "../../shared/traffic"

// loadTraffic reads a recording: enigma-go's JSON array of {"Sent"}/
// {"Received"} or corectl's "-->"/"<--" lines. It skips the test when the
// file is absent.
func loadTraffic(t *testing.T, name string) []exchange {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(trafficDir, name))
	if err != nil {
		t.Skipf("recorded traffic not available: %v", err)
	}
	var out []exchange
	if strings.HasSuffix(name, ".socket.traffic") {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatalf("failed to read %s: %v", name, err)
		}
		for _, it := range items {
			if v, ok := it["Sent"]; ok {
				out = append(out, exchange{sent: true, raw: v})
			} else if v, ok := it["Received"]; ok {
				out = append(out, exchange{raw: v})
			}
		}
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "--> "):
			out = append(out, exchange{sent: true, raw: json.RawMessage(line[4:])})
		case strings.HasPrefix(line, "<-- "):
			out = append(out, exchange{raw: json.RawMessage(line[4:])})
		}
	}
	return out
}

// shapeOpts tunes shape comparison.
type shapeOpts struct {
	// deep compares inside result values; else only the envelope, the
	// top-level result keys and object references.
	deep bool
}

// exactKeys are compared by value, not only by type.
var exactKeys = map[string]bool{"qType": true, "qHandle": true, "qGenericType": true, "jsonrpc": true, "code": true}

// shapeDiff lists the differences between two JSON values' shapes: keys,
// value types (a "NaN"/"Infinity" string matches a number), the values of
// exactKeys, and change/close lists exactly. GUIDs and data values are
// ignored.
func shapeDiff(path string, want, got any, opts shapeOpts, depth int, diffs *[]string) {
	key := path[strings.LastIndex(path, "/")+1:]
	if key == "change" || key == "close" || exactKeys[key] {
		if !reflect.DeepEqual(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
		return
	}
	if !opts.deep && depth > 3 && !strings.Contains(path, "/qReturn") {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: want object, got %T", path, got))
			return
		}
		for _, k := range sortedMapKeys(w) {
			gv, ok := g[k]
			if !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s/%s: missing", path, k))
				continue
			}
			shapeDiff(path+"/"+k, w[k], gv, opts, depth+1, diffs)
		}
		for _, k := range sortedMapKeys(g) {
			if _, ok := w[k]; !ok {
				*diffs = append(*diffs, fmt.Sprintf("%s/%s: unexpected", path, k))
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: want array, got %T", path, got))
			return
		}
		for i := 0; i < len(w) && i < len(g); i++ {
			shapeDiff(fmt.Sprintf("%s/%d", path, i), w[i], g[i], opts, depth+1, diffs)
		}
		if (len(w) == 0) != (len(g) == 0) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %d items, got %d", path, len(w), len(g)))
		}
	default:
		if kindOf(want) != kindOf(got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %T %v, got %T %v", path, want, want, got, got))
		}
	}
}

// kindOf classifies a JSON leaf; the engines' special float strings count
// as numbers.
func kindOf(v any) string {
	switch x := v.(type) {
	case float64:
		return "number"
	case string:
		if x == "NaN" || x == "Infinity" || x == "-Infinity" {
			return "number"
		}
		return "string"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func sortedMapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// topKeys lists an object's keys in wire order.
func topKeys(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// replay sends the recording's requests to a fresh connection on path and
// compares every response (and OnConnected) with the recorded one.
func replay(t *testing.T, c *client, onConnected msg, ex []exchange, opts shapeOpts) []string {
	t.Helper()
	var diffs []string
	received := map[int64]json.RawMessage{}
	var notifications []json.RawMessage
	for _, e := range ex {
		if e.sent {
			continue
		}
		var m struct {
			ID *int64 `json:"id"`
		}
		_ = json.Unmarshal(e.raw, &m)
		if m.ID != nil {
			received[*m.ID] = e.raw
		} else {
			notifications = append(notifications, e.raw)
		}
	}
	if len(notifications) > 0 {
		compareMessage(t, "OnConnected", notifications[0], onConnected.raw, opts, &diffs)
	}
	for _, e := range ex {
		if !e.sent {
			continue
		}
		var req struct {
			ID     int64  `json:"id"`
			Method string `json:"method"`
		}
		if err := json.Unmarshal(e.raw, &req); err != nil {
			t.Fatalf("bad recorded request %s", e.raw)
		}
		ch := make(chan msg, 1)
		c.mu.Lock()
		c.waits[req.ID] = ch
		c.mu.Unlock()
		c.raw(string(e.raw))
		var got msg
		select {
		case got = <-ch:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no response", req.Method)
		}
		want, ok := received[req.ID]
		if !ok {
			continue
		}
		compareMessage(t, fmt.Sprintf("%s#%d", req.Method, req.ID), want, got.raw, opts, &diffs)
	}
	return diffs
}

// compareMessage compares one recorded message with ours: envelope key
// order (of the keys both have) and shapes.
func compareMessage(t *testing.T, name string, want, got []byte, opts shapeOpts, diffs *[]string) {
	t.Helper()
	wk, gk := topKeys(want), topKeys(got)
	if !reflect.DeepEqual(common(wk, gk), common(gk, wk)) {
		*diffs = append(*diffs, fmt.Sprintf("%s: envelope order %v, got %v (%s)", name, wk, gk, got))
		return
	}
	var w, g any
	_ = json.Unmarshal(want, &w)
	if err := json.Unmarshal(got, &g); err != nil {
		*diffs = append(*diffs, fmt.Sprintf("%s: envelope order: invalid JSON %s", name, got))
		return
	}
	shapeDiff(name, w, g, opts, 0, diffs)
}

// common keeps the items of a that b has too, in a's order.
func common(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if in[x] {
			out = append(out, x)
		}
	}
	return out
}

// protocolDiff tells whether a difference is the protocol side's: the
// connect notification, envelope order, object references, errors, the
// top-level result keys. The rest (change lists a method reports, values
// inside results) comes from the data side.
var protocolDiff = regexp.MustCompile(`^OnConnected|envelope order|/qReturn|/error|^[A-Za-z]+#\d+(/result/[^/]+)?: |^[A-Za-z]+#\d+/(jsonrpc|id)`)

// splitDiffs separates protocol-side from data-side differences.
func splitDiffs(diffs []string) (protocol, data []string) {
	for _, d := range diffs {
		if protocolDiff.MatchString(d) && !strings.Contains(d, "/change") && !strings.Contains(d, "/close") {
			protocol = append(protocol, d)
		} else {
			data = append(data, d)
		}
	}
	return protocol, data
}

func TestShapeDiff(t *testing.T) {
	var d []string
	shapeDiff("m", map[string]any{"qNum": "NaN", "qType": "Doc", "a": []any{1.0}, "change": []any{1.0}},
		map[string]any{"qNum": 2.5, "qType": "Doc", "a": []any{7.0, 8.0}, "change": []any{1.0}}, shapeOpts{deep: true}, 0, &d)
	if len(d) != 0 {
		t.Fatalf("%v", d)
	}
	shapeDiff("m", map[string]any{"qType": "Doc", "x": "s", "change": []any{1.0}},
		map[string]any{"qType": "GenericObject", "x": 1.0, "y": true, "change": []any{1.0, 2.0}}, shapeOpts{deep: true}, 0, &d)
	if len(d) != 4 {
		t.Fatalf("%v", d)
	}
}

// ownTraffic is our own recording of the protocol-level flows the real
// traffic shows (session app, script, save, active-doc error), written in
// the corectl format and replayed against the fake data side.
const ownTraffic = `
<-- {"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}
--> {"jsonrpc":"2.0","delta":false,"method":"GetActiveDoc","handle":-1,"id":1,"params":[]}
<-- {"jsonrpc":"2.0","id":1,"error":{"code":1007,"parameter":"No active document","message":"App invalid"}}
--> {"jsonrpc":"2.0","delta":false,"method":"OpenDoc","handle":-1,"id":2,"params":["Sales","","","",false]}
<-- {"jsonrpc":"2.0","id":2,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Sales"}},"change":[1]}
--> {"jsonrpc":"2.0","delta":false,"method":"SetScript","handle":1,"id":3,"params":["T: LOAD 1 AS A AUTOGENERATE 1;"]}
<-- {"jsonrpc":"2.0","id":3,"result":{}}
--> {"jsonrpc":"2.0","delta":false,"method":"DoSave","handle":1,"id":4,"params":[""]}
<-- {"jsonrpc":"2.0","id":4,"result":{},"change":[1]}
--> {"jsonrpc":"2.0","delta":false,"method":"CreateSessionObject","handle":1,"id":5,"params":[{"qInfo":{"qType":"my-cube"}}]}
<-- {"jsonrpc":"2.0","id":5,"result":{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"my-cube","qGenericId":"0b4a5d2c"}},"change":[2]}
--> {"jsonrpc":"2.0","delta":false,"method":"Select","handle":1,"id":6,"params":[]}
<-- {"jsonrpc":"2.0","id":6,"result":{"qReturn":true},"change":[1,2]}
--> {"jsonrpc":"2.0","delta":false,"method":"CreateSessionApp","handle":-1,"id":7,"params":[]}
<-- {"jsonrpc":"2.0","id":7,"error":{"code":1002,"parameter":"Sales","message":"App already open"}}
`

func TestReplayOwnTraffic(t *testing.T) {
	var ex []exchange
	for _, line := range strings.Split(ownTraffic, "\n") {
		switch {
		case strings.HasPrefix(line, "--> "):
			ex = append(ex, exchange{sent: true, raw: json.RawMessage(line[4:])})
		case strings.HasPrefix(line, "<-- "):
			ex = append(ex, exchange{raw: json.RawMessage(line[4:])})
		}
	}
	_, hs := testServer(t, Config{})
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	if diffs := replay(t, c, onConnected, ex, shapeOpts{deep: true}); len(diffs) > 0 {
		t.Fatalf("shape differences:\n%s", strings.Join(diffs, "\n"))
	}
}

func TestReplayOwnSessionAppTraffic(t *testing.T) {
	ex := []exchange{
		{raw: json.RawMessage(`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`)},
		{sent: true, raw: json.RawMessage(`{"jsonrpc":"2.0","delta":false,"method":"CreateSessionApp","handle":-1,"id":1,"params":[]}`)},
		{raw: json.RawMessage(`{"jsonrpc":"2.0","id":1,"result":{"qReturn":{"qType":"Doc","qHandle":1},"qSessionAppId":"SessionApp_00000000-0000-4000-8000-000000000000"},"change":[1]}`)},
		{sent: true, raw: json.RawMessage(`{"jsonrpc":"2.0","delta":false,"method":"DoSave","handle":1,"id":2,"params":[""]}`)},
		{raw: json.RawMessage(`{"jsonrpc":"2.0","id":2,"error":{"code":9009,"parameter":"","message":"Persistence not supported for session apps"}}`)},
	}
	_, hs := testServer(t, Config{})
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	if diffs := replay(t, c, onConnected, ex, shapeOpts{deep: true}); len(diffs) > 0 {
		t.Fatalf("shape differences:\n%s", strings.Join(diffs, "\n"))
	}
}

// dialRaw dials and returns the OnConnected message itself.
func dialRaw(t *testing.T, hs *httptest.Server, path string) (*client, msg) {
	t.Helper()
	c, err := tryDial(t, hs, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, c.next(2 * time.Second)
}

// engineServer starts an emulator on the real data side, skipping the test
// while it is not built in.
func engineServer(t *testing.T, cfg Config) (Library, *httptest.Server) {
	t.Helper()
	lib := defaultLibrary("")
	if _, ok := lib.(emptyLibrary); ok {
		t.Skip("data side not built in")
	}
	cfg.Library = lib
	_, hs := testServer(t, cfg)
	return lib, hs
}

// strictReplay makes recorded-traffic replays compare inside result values
// too (QIX_REPLAY_STRICT=1); by default deep differences, which belong to
// the data side, are logged rather than failed.
var strictReplay = os.Getenv("QIX_REPLAY_STRICT") == "1"

// checkReplay fails on protocol-side differences and logs the data-side
// ones (or fails on them too with QIX_REPLAY_STRICT=1).
func checkReplay(t *testing.T, c *client, onConnected msg, ex []exchange) {
	t.Helper()
	protocol, data := splitDiffs(replay(t, c, onConnected, ex, shapeOpts{deep: true}))
	if len(protocol) > 0 {
		t.Errorf("protocol shape differences:\n%s", strings.Join(protocol, "\n"))
	}
	if len(data) > 0 {
		report := t.Logf
		if strictReplay {
			report = t.Errorf
		}
		report("data-side shape differences (%d):\n%s", len(data), strings.Join(data, "\n"))
	}
}

func TestReplayEnigmaGoMockMode(t *testing.T) {
	ex := loadTraffic(t, "enigma-go-mock-mode.socket.traffic")
	_, hs := engineServer(t, Config{})
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	checkReplay(t, c, onConnected, ex)
}

func TestReplayCorectlScriptSet(t *testing.T) {
	ex := loadTraffic(t, "corectl-script-set.traffic")
	lib, hs := engineServer(t, Config{})
	if err := lib.Create("/apps/corectl_test_app.qvf"); err != nil {
		t.Fatalf("failed to create the app: %v", err)
	}
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	checkReplay(t, c, onConnected, ex)
}
