package emulator

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
)

func TestGlobalSimpleMethods(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	cases := map[string]string{
		"ProductVersion":        `{"qReturn":"12.2027.0"}`,
		"IsDesktopMode":         `{"qReturn":false}`,
		"GetInteract":           `{"qReturn":false}`,
		"QTProduct":             `{"qReturn":"Qlik Core"}`,
		"GetAuthenticatedUser":  `{"qReturn":"UserDirectory=; UserId="}`,
		"ConfigureReload":       `{}`,
		"GetClientsideSettings": `{"qReturn":{}}`,
	}
	for method, want := range cases {
		m := c.call(-1, method, nil)
		if string(m.Result) != want {
			t.Errorf("%s: %s", method, m.raw)
		}
	}
	for _, method := range []string{"OSName", "OSVersion", "GetConfiguration", "GetDocList"} {
		c.call(-1, method, nil).ok(t)
	}
	r := c.call(-1, "GetUniqueID", nil).ok(t)
	if !regexp.MustCompile(`^"[0-9a-f-]{36}"$`).Match(r["qUniqueID"]) {
		t.Fatalf("unique id %s", r["qUniqueID"])
	}
	c.call(-1, "SetClientsideSettings", []any{map[string]any{"a": 1}}).ok(t)
	if m := c.call(-1, "GetClientsideSettings", nil); string(m.Result) != `{"qReturn":{"a":1}}` {
		t.Fatalf("%s", m.raw)
	}
	c.call(-1, "ConfigureReload", []any{"x"}).errCode(t, 8)
}

func TestCreateSessionAppShape(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	m := c.call(-1, "CreateSessionApp", nil)
	re := regexp.MustCompile(`^\{"jsonrpc":"2.0","id":1,"result":\{"qReturn":\{"qType":"Doc","qHandle":1\},"qSessionAppId":"SessionApp_[0-9a-f-]{36}"\},"change":\[1\]\}$`)
	if !re.Match(m.raw) {
		t.Fatalf("%s", m.raw)
	}
	// A second app in the session is refused.
	c.call(-1, "CreateSessionApp", nil).errCode(t, 1002)
	c.call(1, "DoSave", []any{""}).errCode(t, 9009)
}

func TestCreateSessionAppFromApp(t *testing.T) {
	lib := newFakeLib("Sales")
	_, hs := testServer(t, Config{Library: lib})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "CreateSessionAppFromApp", []any{"Nope"}).errCode(t, 1003)
	r := c.call(-1, "CreateSessionAppFromApp", map[string]any{"qSrcAppId": "Sales"}).ok(t)
	if handleOf(t, r) != 1 || lib.opened[0].template != "Sales" {
		t.Fatalf("%v", r)
	}
}

func TestCreateAppThenOpen(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	m := c.call(-1, "CreateApp", []any{"New.qvf"})
	if string(m.Result) != `{"qSuccess":true,"qAppId":"New.qvf"}` {
		t.Fatalf("%s", m.raw)
	}
	c.call(-1, "OpenDoc", []any{"New.qvf"}).ok(t)
	c.call(-1, "CreateApp", []any{""}).errCode(t, 8)
}

func TestGetProgress(t *testing.T) {
	_, hs := testServer(t, Config{})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	r := c.call(-1, "GetProgress", []any{0}).ok(t)
	var keys []string
	dec := json.NewDecoder(bytesReader(r["qProgressData"]))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	want := []string{"qStarted", "qFinished", "qCompleted", "qTotal", "qKB", "qMillisecs", "qUserInteractionWanted",
		"qPersistentProgress", "qTransientProgress", "qErrorData", "qPersistentProgressMessages", "qTransientProgressMessage"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %v", keys)
	}
	var pd progressData
	_ = json.Unmarshal(r["qProgressData"], &pd)
	if !pd.Started || pd.Completed != 2 || pd.Total != 3 || pd.Persistent != "Started loading data\n" || pd.Transient != "T <<< 10 Lines fetched" {
		t.Fatalf("%+v", pd)
	}
	// The persistent log is only sent once.
	r = c.call(-1, "GetProgress", []any{0}).ok(t)
	_ = json.Unmarshal(r["qProgressData"], &pd)
	if pd.Persistent != "" {
		t.Fatalf("persistent again: %q", pd.Persistent)
	}
}
