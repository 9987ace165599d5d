package emulator

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// salesReloadLog is GetProgress's qPersistentProgress after a full reload
// of the generated Sales app: one line per table, like real engines write.
const salesReloadLog = "Regions << AUTOGENERATE(5) 5 Lines fetched\n" +
	"Customers << AUTOGENERATE(500) 500 Lines fetched\n" +
	"Products << AUTOGENERATE(60) 60 Lines fetched\n" +
	"Calendar << AUTOGENERATE(1096) 1,096 Lines fetched\n" +
	"Orders << AUTOGENERATE(50000) 50,000 Lines fetched\n"

// progressOf calls Global.GetProgress and decodes qProgressData.
func progressOf(t *testing.T, c *client) progressData {
	t.Helper()
	var pd progressData
	if err := json.Unmarshal(c.call(-1, "GetProgress", []any{0}).ok(t)["qProgressData"], &pd); err != nil {
		t.Fatal(err)
	}
	return pd
}

// pollProgress calls GetProgress until ok accepts the answer.
func pollProgress(t *testing.T, c *client, ok func(progressData) bool) progressData {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		pd := progressOf(t, c)
		if ok(pd) {
			return pd
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress never reached the expected state; last %+v", pd)
		}
	}
}

func TestReloadPaceConfig(t *testing.T) {
	for _, c := range []struct {
		in   time.Duration
		want time.Duration
	}{{0, time.Second}, {NoReloadPace, 0}, {250 * time.Millisecond, 250 * time.Millisecond}} {
		s := New(Config{ReloadPace: c.in, Logf: func(string, ...any) {}})
		if got := s.lib.(engineLibrary).l.ReloadPace(); got != c.want {
			t.Errorf("ReloadPace %v: library pace %v, want %v", c.in, got, c.want)
		}
	}
}

func TestEngineSalesReloadProgress(t *testing.T) {
	_, hs := engineServer(t, Config{ReloadPace: NoReloadPace})
	c, _ := dial(t, hs, "/app/Sales", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	oh := handleOf(t, c.call(1, "CreateSessionObject", []any{cubeOn("Region", "Sum(Sales)")}).ok(t))
	m := c.call(1, "DoReload", []any{0, false, false})
	if string(m.ok(t)["qReturn"]) != "true" || !reflect.DeepEqual(m.Change, []int{oh}) {
		t.Fatalf("DoReload %s (want change [%d], not the doc)", m.raw, oh)
	}
	pd := progressOf(t, c)
	if !pd.Started || !pd.Finished || pd.Completed != 5 || pd.Total != 5 || pd.Persistent != salesReloadLog ||
		pd.Transient != "" || len(pd.ErrorData) != 0 {
		t.Fatalf("progress after reload %+v", pd)
	}
	// The persistent log is handed out once.
	if pd := progressOf(t, c); pd.Persistent != "" || !pd.Finished {
		t.Fatalf("second GetProgress %+v", pd)
	}
}

func TestEngineSalesReloadCancelled(t *testing.T) {
	_, hs := engineServer(t, Config{ReloadPace: time.Hour}) // ends only by cancellation
	c, _ := dial(t, hs, "/app/Sales", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	for _, how := range []string{"CancelRequest", "AbortRequest", "AbortAll", "CancelReload"} {
		t.Run(how, func(t *testing.T) {
			id, ch := c.send(1, "DoReload", []any{0, false, false}, false)
			pd := pollProgress(t, c, func(pd progressData) bool { return pd.Transient != "" })
			if !pd.Started || pd.Finished || pd.Total != 5 || !strings.HasPrefix(pd.Transient, "Regions << AUTOGENERATE(5) ") {
				t.Fatalf("progress while reloading %+v", pd)
			}
			switch how {
			case "CancelRequest", "AbortRequest":
				c.call(-1, how, []any{id}).ok(t)
			default:
				c.call(-1, how, nil).ok(t)
			}
			m := c.wait(ch)
			if how == "CancelReload" {
				if r := m.ok(t); string(r["qReturn"]) != "false" || m.Change != nil {
					t.Fatalf("DoReload after CancelReload %s", m.raw)
				}
			} else if e := m.errCode(t, 15); e.Message != "Request aborted" {
				t.Fatalf("%s", m.raw)
			}
			pd = progressOf(t, c)
			if !pd.Finished || !strings.HasSuffix(pd.Persistent, "Execution of script aborted by user.\n") ||
				len(pd.ErrorData) != 1 || pd.ErrorData[0].ErrorString != "Request aborted" || pd.ErrorData[0].ErrorCode != "EDC_ERROR" {
				t.Fatalf("progress after %s %+v", how, pd)
			}
		})
	}
}

// cubeOn is a one-dimension, one-measure hypercube definition.
func cubeOn(dim, measure string) map[string]any {
	return map[string]any{
		"qInfo": map[string]string{"qType": "table"},
		"qHyperCubeDef": map[string]any{
			"qDimensions":       []any{map[string]any{"qDef": map[string]any{"qFieldDefs": []string{dim}}}},
			"qMeasures":         []any{map[string]any{"qDef": map[string]any{"qDef": measure}}},
			"qInitialDataFetch": []any{map[string]any{"qWidth": 2, "qHeight": 100}},
		},
	}
}
