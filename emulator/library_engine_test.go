package emulator

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

const inlineScript = "T:\nLOAD * INLINE [\nDim, Val\na, 1\nb, 2\nc, 3\n];\n"

var cubeProps = map[string]any{
	"qInfo": map[string]string{"qType": "my-cube"},
	"qHyperCubeDef": map[string]any{
		"qDimensions":       []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []string{"Dim"}}}},
		"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": "=Sum(Val)"}}},
		"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 10}},
	},
}

// cubeRows reads qHyperCube.qDataPages[0].qMatrix row count and qSize.qcy.
func cubeRows(t *testing.T, layout json.RawMessage) (int, int) {
	t.Helper()
	var l struct {
		HC struct {
			Size struct {
				Cy int `json:"qcy"`
			} `json:"qSize"`
			Pages []struct {
				Matrix [][]map[string]any `json:"qMatrix"`
			} `json:"qDataPages"`
		} `json:"qHyperCube"`
	}
	if err := json.Unmarshal(layout, &l); err != nil {
		t.Fatalf("bad layout %s", layout)
	}
	n := 0
	if len(l.HC.Pages) > 0 {
		n = len(l.HC.Pages[0].Matrix)
	}
	return l.HC.Size.Cy, n
}

func TestEngineSessionAppFlowSharedAcrossSockets(t *testing.T) {
	_, hs := engineServer(t, Config{})
	a, _ := dial(t, hs, "/app/SessionApp_it1", nil)
	if h := handleOf(t, a.call(-1, "GetActiveDoc", nil).ok(t)); h != 1 {
		t.Fatalf("doc handle %d", h)
	}
	a.call(1, "SetScript", []any{inlineScript}).ok(t)
	if r := a.call(1, "DoReload", []any{0, false, false}).ok(t); string(r["qReturn"]) != "true" {
		t.Fatalf("reload %s", r["qReturn"])
	}
	if pd := progressOf(t, a); !pd.Finished || pd.Persistent != "T << INLINE 3 Lines fetched\n" || len(pd.ErrorData) != 0 {
		t.Fatalf("progress after reload: %+v", pd)
	}
	obj := a.call(1, "CreateSessionObject", []any{cubeProps})
	oh := handleOf(t, obj.ok(t))
	if oh != 2 || !reflect.DeepEqual(obj.Change, []int{2}) {
		t.Fatalf("create: %s", obj.raw)
	}
	// Delta layout: first add at "/".
	m := a.callDelta(oh, "GetLayout", nil)
	var patch []struct {
		Op    string          `json:"op"`
		Path  string          `json:"path"`
		Value json.RawMessage `json:"value"`
	}
	_ = json.Unmarshal(m.ok(t)["qLayout"], &patch)
	if !m.Delta || len(patch) != 1 || patch[0].Op != "add" || patch[0].Path != "/" {
		t.Fatalf("first delta %s", m.raw)
	}
	if cy, n := cubeRows(t, patch[0].Value); cy != 3 || n != 3 {
		t.Fatalf("rows cy=%d n=%d: %s", cy, n, patch[0].Value)
	}
	if m := a.callDelta(oh, "GetLayout", nil); string(m.ok(t)["qLayout"]) != "[]" {
		t.Fatalf("unchanged delta %s", m.raw)
	}
	// A second socket of the same session sees the doc and the object.
	b, st := dial(t, hs, "/app/SessionApp_it1", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("b: %s", st)
	}
	bd := handleOf(t, b.call(-1, "GetActiveDoc", nil).ok(t))
	var info struct {
		ID string `json:"qId"`
	}
	_ = json.Unmarshal(a.call(oh, "GetInfo", nil).ok(t)["qInfo"], &info)
	bo := handleOf(t, b.call(bd, "GetObject", []any{info.ID}).ok(t))
	// Selecting on a: a's response lists its handles, b gets a push.
	fh := handleOf(t, a.call(1, "GetField", []any{"Dim"}).ok(t))
	sel := a.call(fh, "SelectValues", []any{[]any{map[string]any{"qText": "b"}}, false, false})
	sel.ok(t)
	if len(sel.Change) == 0 {
		t.Fatalf("selection without change list: %s", sel.raw)
	}
	push := b.next(3 * time.Second)
	if push.Change == nil || !contains(push.Change, bo) {
		t.Fatalf("push to b %s (b object handle %d)", push.raw, bo)
	}
	// Delta after the change: ops, not a whole add.
	m = a.callDelta(oh, "GetLayout", nil)
	s := string(m.ok(t)["qLayout"])
	if s == "[]" || strings.Contains(s, `"path":"/"`) {
		t.Fatalf("delta after selection %s", s)
	}
	var full map[string]json.RawMessage
	_ = json.Unmarshal(b.call(bo, "GetLayout", nil).ok(t)["qLayout"], &full)
	if cy, _ := cubeRows(t, mustJSON(full)); cy != 1 {
		t.Fatalf("b sees %d rows after selection", cy)
	}
	// DoSave on a session app: 9009.
	a.call(1, "DoSave", []any{""}).errCode(t, 9009)
}

func TestEngineOpenSalesAndDocList(t *testing.T) {
	_, hs := engineServer(t, Config{})
	c, _ := dial(t, hs, "/app/Sales", nil)
	var list []map[string]any
	_ = json.Unmarshal(c.call(-1, "GetDocList", nil).ok(t)["qDocList"], &list)
	names := map[string]bool{}
	for _, d := range list {
		names[d["qDocName"].(string)] = true
	}
	if !names["Sales"] || !names["Demo"] {
		t.Fatalf("doc list %v", list)
	}
	m := c.call(-1, "OpenDoc", []any{"Sales"})
	if !strings.HasPrefix(string(m.raw), `{"jsonrpc":"2.0","id":2,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"`) || !reflect.DeepEqual(m.Change, []int{1}) {
		t.Fatalf("OpenDoc %s", m.raw)
	}
	c.call(1, "GetAppLayout", nil).ok(t)
	if m := c.call(1, "GetObject", []any{"no-such-object"}); string(m.Result) != `{"qReturn":{"qType":null,"qHandle":null}}` {
		t.Fatalf("missing object: %s", m.raw)
	}
	c.call(1, "NoSuchDocMethod", nil).errCode(t, -32601)
	c.call(-1, "OpenDoc", []any{"Demo"}).errCode(t, 1002)
}

func TestEngineCloudOpensOnConnect(t *testing.T) {
	_, hs := engineServer(t, Config{Flavor: FlavorCloud})
	c, _ := dial(t, hs, "/app/Demo", nil)
	if h := handleOf(t, c.call(-1, "GetActiveDoc", nil).ok(t)); h != 1 {
		t.Fatal("no active doc")
	}
	bad, err := tryDial(t, hs, "/app/NotThere", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := bad.closeStatus(t); code != 4204 {
		t.Fatalf("code %d", code)
	}
}

func TestEngineSessionAppFromTemplate(t *testing.T) {
	_, hs := engineServer(t, Config{})
	c, _ := dial(t, hs, "/app/SessionApp_tpl?from=Demo", nil)
	c.call(-1, "GetActiveDoc", nil).ok(t)
	r := c.call(1, "GetScript", nil).ok(t)
	if string(r["qScript"]) == `""` {
		t.Fatal("template script not copied")
	}
}

func TestEngineTTLReattach(t *testing.T) {
	clock := &fakeClock{}
	_, hs := engineServer(t, Config{Clock: clock})
	a, _ := dial(t, hs, "/app/Demo/ttl/60", nil)
	a.call(-1, "OpenDoc", []any{"Demo"}).ok(t)
	a.ws.CloseNow()
	waitFor(t, func() bool { return clock.count() == 1 })
	b, st := dial(t, hs, "/app/Demo/ttl/60", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("state %s", st)
	}
	m := b.call(-1, "GetActiveDoc", nil)
	if handleOf(t, m.ok(t)) != 1 || m.Change != nil {
		t.Fatalf("%s", m.raw)
	}
}

func contains(hs []int, h int) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
