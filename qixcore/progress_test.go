//go:build !js

package qixcore_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

type progressData struct {
	QProgressData struct {
		Finished   bool   `json:"qFinished"`
		Total      int    `json:"qTotal"`
		Persistent string `json:"qPersistentProgress"`
		ErrorData  []struct {
			ErrorString string `json:"qErrorString"`
		} `json:"qErrorData"`
	} `json:"qProgressData"`
}

func progressEvents(ev *events, method string) (during, final []progressData) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for _, e := range ev.list {
		if e.Kind != qixcore.EventProgress || e.Method != method {
			continue
		}
		var p progressData
		if err := json.Unmarshal(e.Params, &p); err != nil {
			continue
		}
		if e.Final {
			final = append(final, p)
		} else {
			during = append(during, p)
		}
	}
	return during, final
}

func TestProgressDuringReload(t *testing.T) {
	emu := emulator.New(emulator.Config{ReloadPace: 400 * time.Millisecond, Logf: func(string, ...any) {}})
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/app/Sales/identity/" + uniq(t)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ev := &events{}
	s, err := qixcore.Open(ctx, url, nil, qixcore.SessionOptions{
		ProgressInterval: 25 * time.Millisecond,
		Conn:             qixcore.ConnOptions{OnEvent: ev.add, Traffic: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := call(ctx, s, -1, "EngineVersion", `[]`, nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range ev.sentMethods() {
		if m == "GetProgress" {
			t.Fatal("GetProgress sent while no progress call was in flight")
		}
	}
	doc, err := call(ctx, s, -1, "OpenDoc", `["Sales"]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if _, err := call(ctx, s, doc.Handle, "DoReload", `[]`, &ok); err != nil || !ok {
		t.Fatalf("DoReload: %v %v", ok, err)
	}
	// The final poll runs in its own goroutine after the call settled.
	deadline := time.Now().Add(5 * time.Second)
	var during, final []progressData
	for time.Now().Before(deadline) {
		if during, final = progressEvents(ev, "DoReload"); len(final) > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(during) < 2 {
		t.Fatalf("%d progress events during a 400 ms reload polled every 25 ms, want several", len(during))
	}
	if len(final) != 1 || !final[0].QProgressData.Finished {
		t.Fatalf("final progress: %+v", final)
	}
	if _, f := progressEvents(ev, "OpenDoc"); len(f) != 1 {
		t.Fatalf("OpenDoc: %d final progress events, want 1", len(f))
	}
	// After the reload no more polls go out.
	n := strings.Count(strings.Join(ev.sentMethods(), " "), "GetProgress")
	time.Sleep(150 * time.Millisecond)
	if m := strings.Count(strings.Join(ev.sentMethods(), " "), "GetProgress"); m != n {
		t.Fatalf("GetProgress still polled after the reload: %d → %d", n, m)
	}
}

func TestProgressOfAFailedReloadCarriesTheError(t *testing.T) {
	_, base := startEmulator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ev := &events{}
	s, err := qixcore.Open(ctx, base+"/app/engineData/identity/"+uniq(t), nil, qixcore.SessionOptions{
		ProgressInterval: 20 * time.Millisecond,
		Conn:             qixcore.ConnOptions{OnEvent: ev.add},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	app, err := call(ctx, s, -1, "CreateSessionApp", `[]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call(ctx, s, app.Handle, "SetScript", `["LOAD nope FROM [lib://data/missing.csv];"]`, nil); err != nil {
		t.Fatal(err)
	}
	var ok bool
	if _, err := call(ctx, s, app.Handle, "DoReload", `[]`, &ok); err != nil || ok {
		t.Fatalf("DoReload of a bad script: %v %v, want false", ok, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, final := progressEvents(ev, "DoReload"); len(final) > 0 {
			if len(final[0].QProgressData.ErrorData) == 0 && final[0].QProgressData.Persistent == "" {
				t.Fatalf("the final progress of a failed reload says nothing: %+v", final[0])
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no final progress event")
}
