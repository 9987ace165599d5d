package emulator

// Replay of recorded QIX traffic: every request of a recording is sent to the
// emulator and every answer is compared with the recorded one — envelope,
// keys (both ways), key order, value types, and the values themselves except
// where a recording's values cannot be reproduced (random data, GUIDs, the
// recording engine's locale). Two sources:
//
//   - real engines' traffic in /work/shared/traffic (outside the repo, see its
//     README): TestReplayRecordedTraffic, the only test allowed to skip, when
//     that folder is absent. It fails when a file there has no replay.
//   - the project's own equivalent cases in testdata/replay, written in the
//     same two formats with deterministic data, compared value for value:
//     TestReplayCommittedTraffic. TestReplayRecordedTraffic also checks that
//     they keep the real recordings' shapes, so they stay equivalent.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// trafficDir is where the recorded real-engine traffic lives.
const trafficDir = "../../shared/traffic"

// committedDir holds the project's own replay cases.
const committedDir = "testdata/replay"

// ---- recordings ---------------------------------------------------------------

// exchange is one recorded message: sent by the client or received from
// the engine.
type exchange struct {
	sent bool
	raw  json.RawMessage
}

// parseTraffic reads a recording: enigma-go's JSON array of {"Sent"} /
// {"Received"} items, or corectl's "-->" / "<--" lines.
func parseTraffic(b []byte) ([]exchange, error) {
	var out []exchange
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(t, &items); err != nil {
			return nil, err
		}
		for _, it := range items {
			if v, ok := it["Sent"]; ok {
				out = append(out, exchange{sent: true, raw: v})
			} else if v, ok := it["Received"]; ok {
				out = append(out, exchange{raw: v})
			} else {
				return nil, fmt.Errorf("item without Sent/Received: %v", it)
			}
		}
		return out, nil
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
	return out, sc.Err()
}

func readTraffic(t *testing.T, path string) []exchange {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := parseTraffic(b)
	if err != nil || len(ex) == 0 {
		t.Fatalf("failed to read %s: %v", path, err)
	}
	return ex
}

// ---- ordered JSON ---------------------------------------------------------------

// jv is a decoded JSON value that keeps object key order.
type jv struct {
	kind  byte // '{', '[', 's', 'n', 'b', 'z' (null)
	keys  []string
	items []*jv // object values (parallel to keys) or array items
	s     string
	n     float64
	b     bool
}

func decodeOrdered(b []byte) (*jv, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (*jv, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case json.Delim:
		v := &jv{kind: byte(x)}
		for dec.More() {
			if x == '{' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k.(string))
			}
			item, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, item)
		}
		if _, err := dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
		return v, nil
	case string:
		return &jv{kind: 's', s: x}, nil
	case json.Number:
		f, err := x.Float64()
		return &jv{kind: 'n', n: f}, err
	case bool:
		return &jv{kind: 'b', b: x}, nil
	case nil:
		return &jv{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// field returns the value of key k of an object, nil if absent.
func (v *jv) field(k string) *jv {
	if v == nil || v.kind != '{' {
		return nil
	}
	for i, key := range v.keys {
		if key == k {
			return v.items[i]
		}
	}
	return nil
}

// kindName classifies a value; real engines' "NaN"/"Infinity" strings are
// numbers.
func (v *jv) kindName() string {
	switch v.kind {
	case '{':
		return "object"
	case '[':
		return "array"
	case 'n':
		return "number"
	case 'b':
		return "bool"
	case 'z':
		return "null"
	}
	if v.s == "NaN" || v.s == "Infinity" || v.s == "-Infinity" {
		return "number"
	}
	return "string"
}

func (v *jv) String() string {
	switch v.kind {
	case 's':
		return strconv.Quote(v.s)
	case 'n':
		return strconv.FormatFloat(v.n, 'g', -1, 64)
	case 'b':
		return strconv.FormatBool(v.b)
	case 'z':
		return "null"
	case '[':
		return fmt.Sprintf("array(%d)", len(v.items))
	}
	return fmt.Sprintf("object%v", v.keys)
}

// ---- comparison -------------------------------------------------------------------

// newerEngineKeys are keys this emulator writes (as the engine version it
// claims, 12.2027) that the older engine of a recording did not: the newer
// recording (corectl-hypercube-layout.json) has them. They may be missing
// from a recording, never from ours when a recording has them.
var newerEngineKeys = map[string]bool{"qCardinalities": true, "qTrendLines": true}

// compareOpts tunes a comparison.
type compareOpts struct {
	// loose tells which leaves are compared by type only.
	loose []*regexp.Regexp
	// shapesOnly compares no leaf values at all (the cross-check of our
	// own cases against real recordings with other data).
	shapesOnly bool
}

func (o compareOpts) isLoose(path string) bool {
	if o.shapesOnly {
		return true
	}
	for _, re := range o.loose {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// alwaysLoose are values no replay can reproduce: generated ids.
var alwaysLoose = []*regexp.Regexp{
	regexp.MustCompile(`/(qId|qGenericId)$`), // checked as GUIDs where recorded as GUIDs, see diffJSON
	regexp.MustCompile(`/qSessionAppId$`),
}

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// diffJSON lists how got differs from want.
func diffJSON(path string, want, got *jv, o compareOpts, diffs *[]string) {
	wk, gk := want.kindName(), got.kindName()
	if wk != gk {
		*diffs = append(*diffs, fmt.Sprintf("%s: want %s %v, got %s %v", path, wk, want, gk, got))
		return
	}
	switch want.kind {
	case '{':
		var wantOrder, gotOrder []string
		for i, k := range want.keys {
			g := got.field(k)
			if g == nil {
				*diffs = append(*diffs, fmt.Sprintf("%s/%s: missing", path, k))
				continue
			}
			wantOrder = append(wantOrder, k)
			diffJSON(path+"/"+k, want.items[i], g, o, diffs)
		}
		for _, k := range got.keys {
			if want.field(k) == nil {
				if !newerEngineKeys[k] {
					*diffs = append(*diffs, fmt.Sprintf("%s/%s: unexpected", path, k))
				}
				continue
			}
			gotOrder = append(gotOrder, k)
		}
		if fmt.Sprint(wantOrder) != fmt.Sprint(gotOrder) {
			*diffs = append(*diffs, fmt.Sprintf("%s: key order %v, want %v", path, gotOrder, wantOrder))
		}
	case '[':
		if len(want.items) != len(got.items) && !(o.shapesOnly && len(want.items) > 0 && len(got.items) > 0) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %d items, want %d", path, len(got.items), len(want.items)))
		}
		for i := 0; i < len(want.items) && i < len(got.items); i++ {
			diffJSON(fmt.Sprintf("%s/%d", path, i), want.items[i], got.items[i], o, diffs)
		}
	default:
		key := path[strings.LastIndex(path, "/")+1:]
		if (key == "qId" || key == "qGenericId") && want.kind == 's' && guidRE.MatchString(want.s) {
			if !guidRE.MatchString(got.s) {
				*diffs = append(*diffs, fmt.Sprintf("%s: %v is not a GUID", path, got))
			}
			return
		}
		if key == "qSessionAppId" || key == "qGenericId" && strings.HasPrefix(want.s, "SessionApp_") {
			if !strings.HasPrefix(got.s, "SessionApp_") || !guidRE.MatchString(strings.TrimPrefix(got.s, "SessionApp_")) {
				*diffs = append(*diffs, fmt.Sprintf("%s: %v is not SessionApp_<GUID>", path, got))
			}
			return
		}
		if o.isLoose(path) {
			return
		}
		if !sameLeaf(want, got) {
			*diffs = append(*diffs, fmt.Sprintf("%s: got %v, want %v", path, got, want))
		}
	}
}

// sameLeaf compares two scalars; numbers within a relative 1e-12.
func sameLeaf(a, b *jv) bool {
	if a.kind == 'n' && b.kind == 'n' {
		return a.n == b.n || math.Abs(a.n-b.n) <= 1e-12*math.Max(math.Abs(a.n), math.Abs(b.n))
	}
	return a.kind == b.kind && a.s == b.s && a.b == b.b
}

func TestDiffJSON(t *testing.T) {
	parse := func(s string) *jv {
		v, err := decodeOrdered([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		want, got string
		o         compareOpts
		n         int
	}{
		{`{"a":1,"b":"x","c":[1,2]}`, `{"a":1,"b":"x","c":[1,2]}`, compareOpts{}, 0},
		{`{"a":1,"b":"x"}`, `{"b":"x","a":1}`, compareOpts{}, 1},                               // key order
		{`{"a":1}`, `{"a":1,"z":2}`, compareOpts{}, 1},                                         // unexpected key
		{`{"a":1}`, `{"a":1,"qCardinalities":{}}`, compareOpts{}, 0},                           // newer engine key
		{`{"a":1,"b":2}`, `{"a":1}`, compareOpts{}, 1},                                         // missing
		{`{"a":"NaN"}`, `{"a":2}`, compareOpts{}, 1},                                           // value
		{`{"a":"NaN"}`, `{"a":2}`, compareOpts{shapesOnly: true}, 0},                           // NaN is a number
		{`{"a":"s"}`, `{"a":2}`, compareOpts{shapesOnly: true}, 1},                             // type
		{`[1,2,3]`, `[1,2]`, compareOpts{}, 1},                                                 // length
		{`{"qId":"8c6857ed-4a13-4a09-a999-0ffaef7e82b0"}`, `{"qId":"nope"}`, compareOpts{}, 1}, // GUID kept a GUID
		{`{"x":{"qMin":1}}`, `{"x":{"qMin":7}}`, compareOpts{loose: []*regexp.Regexp{regexp.MustCompile(`/qMin$`)}}, 0},
	}
	for _, c := range cases {
		var d []string
		diffJSON("m", parse(c.want), parse(c.got), c.o, &d)
		if len(d) != c.n {
			t.Errorf("%s vs %s: %d diffs %v, want %d", c.want, c.got, len(d), d, c.n)
		}
	}
}

// ---- replay ---------------------------------------------------------------------

// replay sends the recording's requests one by one on c and compares every
// answer and the OnConnected notification with the recorded ones. It
// returns the differences and our answers by request id.
func replay(t *testing.T, c *client, onConnected msg, ex []exchange, o compareOpts) ([]string, map[int64]json.RawMessage) {
	t.Helper()
	var diffs []string
	recorded := map[int64]json.RawMessage{}
	var notifications []json.RawMessage
	for _, e := range ex {
		if e.sent {
			continue
		}
		var m struct {
			ID *int64 `json:"id"`
		}
		if err := json.Unmarshal(e.raw, &m); err != nil {
			t.Fatalf("bad recorded message %s", e.raw)
		}
		if m.ID != nil {
			recorded[*m.ID] = e.raw
		} else {
			notifications = append(notifications, e.raw)
		}
	}
	if len(notifications) > 0 {
		compareMessage(t, "OnConnected", notifications[0], onConnected.raw, o, &diffs)
	}
	ours := map[int64]json.RawMessage{}
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
		ours[req.ID] = got.raw
		want, ok := recorded[req.ID]
		if !ok {
			t.Fatalf("recording has no answer to %s#%d", req.Method, req.ID)
		}
		compareMessage(t, fmt.Sprintf("%s#%d", req.Method, req.ID), want, got.raw, o, &diffs)
	}
	return diffs, ours
}

// compareMessage compares one recorded message with ours.
func compareMessage(t *testing.T, name string, want, got []byte, o compareOpts, diffs *[]string) {
	t.Helper()
	w, err := decodeOrdered(want)
	if err != nil {
		t.Fatalf("%s: bad recorded JSON %s", name, want)
	}
	g, err := decodeOrdered(got)
	if err != nil {
		*diffs = append(*diffs, fmt.Sprintf("%s: invalid JSON %s", name, got))
		return
	}
	diffJSON(name, w, g, o, diffs)
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

// engineServer starts an emulator on the real data side (instant reloads
// unless cfg says otherwise).
func engineServer(t *testing.T, cfg Config) (Library, *httptest.Server) {
	t.Helper()
	if cfg.ReloadPace == 0 {
		cfg.ReloadPace = NoReloadPace
	}
	lib := defaultLibrary("", cfg.ReloadPace)
	cfg.Library = lib
	_, hs := testServer(t, cfg)
	return lib, hs
}

func failDiffs(t *testing.T, diffs []string) {
	t.Helper()
	if len(diffs) > 0 {
		t.Errorf("%d differences from the recording:\n%s", len(diffs), strings.Join(diffs, "\n"))
	}
}

// ---- the replays ------------------------------------------------------------------

// randomMeasure loosens the values the enigma-go recording computed from
// Rand() (measure column, its min/max/glyph count, the grand total) and the
// recording engine's locale (decimal/thousand separators).
var randomMeasure = []*regexp.Regexp{
	regexp.MustCompile(`/qMeasureInfo/\d+/(qMin|qMax|qApprMaxGlyphCount)$`),
	regexp.MustCompile(`/qGrandTotalRow/\d+/(qText|qNum)$`),
	regexp.MustCompile(`/qMatrix/\d+/1/(qText|qNum)$`),
	regexp.MustCompile(`/qNumFormat/(qDec|qThou)$`),
}

// replaySessionAppHypercube replays an enigma-go style session: session app,
// script, reload, hypercube object, cell selection, layouts.
func replaySessionAppHypercube(t *testing.T, ex []exchange, o compareOpts) map[int64]json.RawMessage {
	_, hs := engineServer(t, Config{})
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	diffs, ours := replay(t, c, onConnected, ex, compareOpts{loose: append(append([]*regexp.Regexp{}, alwaysLoose...), o.loose...), shapesOnly: o.shapesOnly})
	failDiffs(t, diffs)
	return ours
}

// replayScriptSet replays a corectl style session on a persisted app.
func replayScriptSet(t *testing.T, ex []exchange, app string) {
	lib, hs := engineServer(t, Config{})
	if err := lib.Create(app); err != nil {
		t.Fatalf("failed to create the app: %v", err)
	}
	c, onConnected := dialRaw(t, hs, "/app/engineData")
	diffs, _ := replay(t, c, onConnected, ex, compareOpts{loose: alwaysLoose})
	failDiffs(t, diffs)
}

// recordedLayoutScript loads the data behind corectl-hypercube-layout.json
// (recorded from a test connector): xyz values x, y, z with 1, 3 and 1 rows.
const recordedLayoutScript = "T: LOAD * INLINE [\nxyz, numbers\nx, 1\ny, 2\ny, 3\ny, 4\nz, 5\n];"

// layoutProps are the properties of corectl's recorded object, with our
// own id, field and sort direction for the committed case.
func layoutProps(id, field string, freqSort int) map[string]any {
	return map[string]any{
		"qInfo": map[string]any{"qId": id, "qType": "my-hypercube"},
		"qHyperCubeDef": map[string]any{
			"qDimensions": []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []string{field}}}},
			"qMeasures": []any{map[string]any{"qDef": map[string]any{"qDef": "count(numbers)"},
				"qSortBy": map[string]any{"qSortByFrequency": freqSort}}},
			"qInitialDataFetch": []any{map[string]any{"qWidth": 50, "qHeight": 20}},
		},
	}
}

// committedLayoutScript is the committed case's data: abc values a, b, c, d
// with 1, 2, 3 and 1 rows (count(numbers) 1, 2, 3, 1; total 7).
const committedLayoutScript = "T: LOAD * INLINE [\nabc, numbers\na, 1\nb, 2\nb, 3\nc, 4\nc, 5\nc, 6\nd, 7\n];"

// inlineLayout builds an object like corectl's over a socket, persisted in
// a persisted app as corectl's build does (so it carries qMeta), and
// returns our GetLayout qLayout.
func inlineLayout(t *testing.T, script string, props map[string]any) []byte {
	lib, hs := engineServer(t, Config{})
	if err := lib.Create("layout-test-app"); err != nil {
		t.Fatal(err)
	}
	c, _ := dial(t, hs, "/app/layout-test-app", nil)
	c.call(-1, "OpenDoc", []any{"layout-test-app"}).ok(t)
	c.call(1, "SetScript", []any{script}).ok(t)
	if r := c.call(1, "DoReload", []any{0, false, false}).ok(t); string(r["qReturn"]) != "true" {
		t.Fatalf("reload: %s", r["qReturn"])
	}
	h := handleOf(t, c.call(1, "CreateObject", []any{props}).ok(t))
	return c.call(h, "GetLayout", nil).ok(t)["qLayout"]
}

func compareLayout(t *testing.T, want, got []byte, o compareOpts) {
	t.Helper()
	var diffs []string
	compareMessage(t, "qLayout", want, got, o, &diffs)
	failDiffs(t, diffs)
}

// TestReplayRecordedTraffic replays every file of the real engines'
// recordings (the one test that skips when they are absent) and checks that
// the committed cases keep their shapes.
func TestReplayRecordedTraffic(t *testing.T) {
	entries, err := os.ReadDir(trafficDir)
	if err != nil {
		t.Skipf("recorded traffic not available: %v", err)
	}
	replays := map[string]func(t *testing.T, path string){
		"enigma-go-mock-mode.socket.traffic": func(t *testing.T, path string) {
			replaySessionAppHypercube(t, readTraffic(t, path), compareOpts{loose: randomMeasure})
		},
		"corectl-script-set.traffic": func(t *testing.T, path string) {
			replayScriptSet(t, readTraffic(t, path), "/apps/corectl_test_app.qvf")
		},
		"corectl-hypercube-layout.json": func(t *testing.T, path string) {
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			compareLayout(t, want, inlineLayout(t, recordedLayoutScript, layoutProps("object-using-inline", "xyz", 1)), compareOpts{})
		},
	}
	seen := 0
	for _, e := range entries {
		name := e.Name()
		if name == "README.md" || e.IsDir() {
			continue
		}
		seen++
		run := replays[name]
		if run == nil {
			t.Errorf("recorded traffic %s has no replay: add one here", name)
			continue
		}
		t.Run(name, func(t *testing.T) { run(t, filepath.Join(trafficDir, name)) })
	}
	if seen < len(replays) {
		t.Errorf("only %d of the %d known recordings found in %s", seen, len(replays), trafficDir)
	}
	// Our committed cases must answer in the real recordings' shapes (their
	// data differ, so only keys, order and types are compared).
	t.Run("committed cases keep the recorded shapes", func(t *testing.T) {
		for real, ours := range map[string]string{
			"enigma-go-mock-mode.socket.traffic": "session-app-hypercube.traffic",
			"corectl-script-set.traffic":         "script-set.traffic",
			"corectl-hypercube-layout.json":      "hypercube-layout.json",
		} {
			rb, err := os.ReadFile(filepath.Join(trafficDir, real))
			if err != nil {
				t.Fatal(err)
			}
			ob, err := os.ReadFile(filepath.Join(committedDir, ours))
			if err != nil {
				t.Fatal(err)
			}
			var diffs []string
			if strings.HasSuffix(real, ".json") {
				compareMessage(t, ours, rb, ob, compareOpts{shapesOnly: true}, &diffs)
			} else {
				rex, err1 := parseTraffic(rb)
				oex, err2 := parseTraffic(ob)
				if err1 != nil || err2 != nil {
					t.Fatalf("%v %v", err1, err2)
				}
				rr, or := received(rex), received(oex)
				for id, w := range rr {
					g, ok := or[id]
					if !ok {
						diffs = append(diffs, fmt.Sprintf("%s: no answer #%d", ours, id))
						continue
					}
					compareMessage(t, fmt.Sprintf("%s#%d", ours, id), w, g, compareOpts{shapesOnly: true}, &diffs)
				}
			}
			failDiffs(t, diffs)
		}
	})
}

// received maps a recording's answers by id (-1 for the first notification).
func received(ex []exchange) map[int64]json.RawMessage {
	out := map[int64]json.RawMessage{}
	for _, e := range ex {
		if e.sent {
			continue
		}
		var m struct {
			ID *int64 `json:"id"`
		}
		_ = json.Unmarshal(e.raw, &m)
		if m.ID != nil {
			out[*m.ID] = e.raw
		} else if _, ok := out[-1]; !ok {
			out[-1] = e.raw
		}
	}
	return out
}

// TestReplayCommittedTraffic replays the project's own cases value for value.
func TestReplayCommittedTraffic(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"session-app-hypercube.traffic": func(t *testing.T, path string) {
			replaySessionAppHypercube(t, readTraffic(t, path), compareOpts{})
		},
		"script-set.traffic": func(t *testing.T, path string) {
			replayScriptSet(t, readTraffic(t, path), "/apps/replay_test_app.qvf")
		},
		"hypercube-layout.json": func(t *testing.T, path string) {
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			compareLayout(t, want, inlineLayout(t, committedLayoutScript, layoutProps("committed-inline-object", "abc", -1)), compareOpts{})
		},
		"protocol-flows.traffic": func(t *testing.T, path string) {
			// Protocol-side flows on the fake data side.
			_, hs := testServer(t, Config{})
			c, onConnected := dialRaw(t, hs, "/app/engineData")
			diffs, _ := replay(t, c, onConnected, readTraffic(t, path), compareOpts{loose: alwaysLoose})
			failDiffs(t, diffs)
		},
		"session-app-errors.traffic": func(t *testing.T, path string) {
			_, hs := engineServer(t, Config{})
			c, onConnected := dialRaw(t, hs, "/app/engineData")
			diffs, _ := replay(t, c, onConnected, readTraffic(t, path), compareOpts{loose: alwaysLoose})
			failDiffs(t, diffs)
		},
	}
	entries, err := os.ReadDir(committedDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		run := cases[name]
		if run == nil {
			t.Errorf("committed case %s has no replay", name)
			continue
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) { run(t, filepath.Join(committedDir, name)) })
	}
	for name := range cases {
		if !seen[name] {
			t.Errorf("committed case %s is missing", name)
		}
	}
}
