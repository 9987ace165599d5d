package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseFaultFlag(t *testing.T) {
	good := map[string]FaultSpec{
		"delay:GetLayout:500":      {Action: "delay", Method: "GetLayout", DelayMS: 500},
		"drop:DoReload":            {Action: "drop", Method: "DoReload"},
		"close::4003:bye":          {Action: "close", Code: 4003, Reason: "bye"},
		"close:GetLayout:4204:a:b": {Action: "close", Method: "GetLayout", Code: 4204, Reason: "a:b"},
		"malformed:GetLayout":      {Action: "malformed", Method: "GetLayout"},
		"unknown-id:EngineVersion": {Action: "unknown-id", Method: "EngineVersion"},
		"stall:GetLayout":          {Action: "stall", Method: "GetLayout"},
		"abort:GetLayout":          {Action: "abort", Method: "GetLayout"},
		"lag:GetLayout:300":        {Action: "lag", Method: "GetLayout", DelayMS: 300},
	}
	for in, want := range good {
		got, err := ParseFaultFlag(in)
		if err != nil || got != want {
			t.Errorf("%s: %+v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "explode:X", "delay:X", "delay:X:y", "close::99", "lag:X"} {
		if _, err := ParseFaultFlag(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// delayed sends method on c and checks that it is held back by a delay
// fault of d on clock: other calls answer meanwhile, and it answers once
// the clock has moved d on.
func delayed(t *testing.T, c *client, clock *fakeClock, method string, d time.Duration) {
	t.Helper()
	before := clock.count()
	_, ch := c.send(-1, method, nil, false)
	waitFor(t, func() bool { return clock.count() == before+1 }) // the delay timer is set
	c.call(-1, "OSName", nil).ok(t)
	select {
	case m := <-ch:
		t.Fatalf("%s answered before its delay: %s", method, m.raw)
	default:
	}
	clock.mu.Lock()
	at := clock.timers[len(clock.timers)-1].at - clock.now
	clock.mu.Unlock()
	if at != d {
		t.Fatalf("delay %v, want %v", at, d)
	}
	clock.Advance(d)
	c.wait(ch).ok(t)
}

func TestFaultURLFlags(t *testing.T) {
	clock := &fakeClock{}
	_, hs := testServer(t, Config{Clock: clock})
	// delay
	c, _ := dial(t, hs, "/app/?qix-fault=delay:EngineVersion:150", nil)
	delayed(t, c, clock, "EngineVersion", 150*time.Millisecond)
	c.call(-1, "ProductVersion", nil).ok(t) // other methods are not delayed
	// unknown id
	c, _ = dial(t, hs, "/app/?qix-fault=unknown-id:EngineVersion", nil)
	c.send(-1, "EngineVersion", nil, false)
	if m := c.next(2 * time.Second); m.ID == nil || *m.ID != 987654321 || m.Result == nil {
		t.Fatalf("unknown id: %s", m.raw)
	}
	// malformed
	c, _ = dial(t, hs, "/app/?qix-fault=malformed:EngineVersion", nil)
	c.send(-1, "EngineVersion", nil, false)
	if m := c.next(2 * time.Second); json.Valid(m.raw) {
		t.Fatalf("valid frame: %s", m.raw)
	}
	// stall, then cancel
	c, _ = dial(t, hs, "/app/?qix-fault=stall:EngineVersion", nil)
	id, ch := c.send(-1, "EngineVersion", nil, false)
	c.call(-1, "ProductVersion", nil).ok(t)
	select {
	case m := <-ch:
		t.Fatalf("stalled call answered: %s", m.raw)
	default:
	}
	c.call(-1, "CancelRequest", []any{id}).ok(t)
	c.wait(ch).errCode(t, 15)
	// close on connect
	c, _ = dial(t, hs, "/app/?qix-fault=close::4003:bye", nil)
	if code, reason := c.closeStatus(t); code != 4003 || reason != "bye" {
		t.Fatalf("close: %d %q", code, reason)
	}
	// close at a method
	c, _ = dial(t, hs, "/app/?qix-fault="+url.QueryEscape("close:ProductVersion:4205:busy"), nil)
	c.call(-1, "EngineVersion", nil).ok(t)
	c.send(-1, "ProductVersion", nil, false)
	if code, reason := c.closeStatus(t); code != 4205 || reason != "busy" {
		t.Fatalf("close at method: %d %q", code, reason)
	}
	// drop
	c, _ = dial(t, hs, "/app/?qix-fault=drop:EngineVersion", nil)
	c.send(-1, "EngineVersion", nil, false)
	if code, _ := c.closeStatus(t); code != -1 {
		t.Fatalf("drop gave close code %d", code)
	}
}

func TestFaultGoAPIScopedByMatch(t *testing.T) {
	// The fake clock never moves by itself: a delayed call would hang, so a
	// call that answers was not delayed.
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock})
	id, err := s.AddFault(FaultSpec{Match: "victim", Method: "EngineVersion", Action: FaultDelay, DelayMS: 500, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := dial(t, hs, "/app/", nil)
	other.call(-1, "EngineVersion", nil).ok(t) // not matched: not delayed
	v, _ := dial(t, hs, "/app/", http.Header{"X-Qlik-Session": {"victim"}})
	delayed(t, v, clock, "EngineVersion", 500*time.Millisecond)
	// Count 1: used up.
	if s.RemoveFault(id) {
		t.Fatal("used-up fault still listed")
	}
	v.call(-1, "EngineVersion", nil).ok(t) // would hang if it fired twice
	if _, err := s.AddFault(FaultSpec{Action: "nope"}); err == nil {
		t.Fatal("bad action accepted")
	}
}

func TestFaultCloseImmediately(t *testing.T) {
	s, hs := testServer(t, Config{})
	a, _ := dial(t, hs, "/app/Demo", nil)
	a.call(-1, "OpenDoc", []any{"Demo"}).ok(t)
	b, _ := dial(t, hs, "/app/Sales", nil)
	if _, err := s.AddFault(FaultSpec{Match: "Demo", Action: FaultClose, Code: 4003, Reason: "terminating"}); err != nil {
		t.Fatal(err)
	}
	if code, reason := a.closeStatus(t); code != 4003 || reason != "terminating" {
		t.Fatalf("%d %q", code, reason)
	}
	b.call(-1, "EngineVersion", nil).ok(t)
	// New matching connections are closed after OnConnected too.
	c, _ := dial(t, hs, "/app/Demo/identity/z", nil)
	if code, _ := c.closeStatus(t); code != 4003 {
		t.Fatalf("new conn %d", code)
	}
	s.ClearFaults()
	dial(t, hs, "/app/Demo/identity/z", nil)
}

func TestFaultAdminHTTP(t *testing.T) {
	s, hs := testServer(t, Config{})
	post := func(body string) (int, string) {
		resp, err := http.Post(hs.URL+"/_emulator/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 1024)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		return resp.StatusCode, b.String()
	}
	code, body := post(`{"match":"m1","method":"GetLayout","action":"stall"}`)
	if code != 200 || !strings.Contains(body, `"ids":["f1"]`) {
		t.Fatalf("%d %s", code, body)
	}
	code, body = post(`[{"action":"delay","ms":5},{"action":"drop","method":"X"}]`)
	if code != 200 || !strings.Contains(body, `"ids":["f2","f3"]`) {
		t.Fatalf("%d %s", code, body)
	}
	if code, _ := post(`{"action":"bogus"}`); code != 400 {
		t.Fatalf("bad action: %d", code)
	}
	if len(s.Faults()) != 3 {
		t.Fatalf("faults %v", s.Faults())
	}
	resp, _ := http.Get(hs.URL + "/_emulator/faults")
	var list []FaultSpec
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list) != 3 || list[0].Match != "m1" {
		t.Fatalf("list %v", list)
	}
	req, _ := http.NewRequest(http.MethodDelete, hs.URL+"/_emulator/faults?id=f2", nil)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if len(s.Faults()) != 2 {
		t.Fatal("delete one failed")
	}
	req, _ = http.NewRequest(http.MethodDelete, hs.URL+"/vp/_emulator/faults", nil)
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if len(s.Faults()) != 0 {
		t.Fatal("delete all failed")
	}
	// Not from loopback: refused.
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/_emulator/faults", strings.NewReader(`{"action":"drop"}`))
	r.RemoteAddr = "192.0.2.1:1234"
	s.ServeHTTP(rec, r)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("remote admin: %d", rec.Code)
	}
}

// TestFaultAbort checks that an abort fault answers its method with error
// 15 for Count calls, leaves other methods alone, and then lets the method
// run again (what a client retrying aborted calls sees).
func TestFaultAbort(t *testing.T) {
	s, hs := testServer(t, Config{})
	if _, err := s.AddFault(FaultSpec{Match: "aborted", Method: "EngineVersion", Action: FaultAbort, Count: 2}); err != nil {
		t.Fatal(err)
	}
	c, _ := dial(t, hs, "/app/", http.Header{"X-Qlik-Session": {"aborted"}})
	c.call(-1, "EngineVersion", nil).errCode(t, 15)
	c.call(-1, "ProductVersion", nil).ok(t)
	c.call(-1, "EngineVersion", nil).errCode(t, 15)
	c.call(-1, "EngineVersion", nil).ok(t)
	// Per connection, through the URL flag: every call.
	c, _ = dial(t, hs, "/app/?qix-fault=abort:EngineVersion", nil)
	for i := 0; i < 3; i++ {
		c.call(-1, "EngineVersion", nil).errCode(t, 15)
	}
	c.call(-1, "OSName", nil).ok(t)
}

// TestFaultLag: a lag fault runs the call and holds its reply: a
// CancelRequest meanwhile answers but stops nothing, the held reply is the
// call's result (a delta patch, not error 15), and the delta cache moved
// when it was computed.
func TestFaultLag(t *testing.T) {
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "o", "qType": "t"}}}).ok(t)
	c.callDelta(2, "GetLayout", nil).ok(t)
	c.call(1, "Select", nil).ok(t)
	if _, err := s.AddFault(FaultSpec{Method: "GetLayout", Action: FaultLag, DelayMS: 300, Count: 1}); err != nil {
		t.Fatal(err)
	}
	before := clock.count()
	id, ch := c.send(2, "GetLayout", nil, true)
	waitFor(t, func() bool { return clock.count() == before+1 }) // computed, held
	c.call(-1, "CancelRequest", []any{id}).ok(t)
	select {
	case m := <-ch:
		t.Fatalf("held reply answered early: %s", m.raw)
	default:
	}
	clock.Advance(300 * time.Millisecond)
	if m := c.wait(ch); string(m.Result) != `{"qLayout":[{"op":"replace","path":"/qCount","value":1}]}` || !m.Delta {
		t.Fatalf("held reply: %s", m.raw)
	}
	if m := c.callDelta(2, "GetLayout", nil); string(m.Result) != `{"qLayout":[]}` {
		t.Fatalf("next reply: %s", m.raw)
	}
}
