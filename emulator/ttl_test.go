package emulator

import (
	"testing"
	"time"
)

func TestEffectiveTTL(t *testing.T) {
	n := func(v int) *int { return &v }
	cases := []struct {
		ttl, max int
		url      *int
		want     int
	}{
		{0, 0, nil, 0},
		{0, 0, n(60), 60},
		{0, 0, n(5000), 1800},
		{-1, 0, nil, 1800}, // infinite needs MaxSessionTTL=-1
		{-1, -1, nil, -1},
		{10, -1, n(99999), 99999},
		{10, 30, nil, 10},
		{10, 30, n(-1), 30},
		{10, NoSessionTTL, n(60), 0},
	}
	for _, c := range cases {
		s := New(Config{SessionTTL: c.ttl, MaxSessionTTL: c.max, Library: newFakeLib()})
		if got := s.effectiveTTL(c.url); got != c.want {
			t.Errorf("ttl=%d max=%d url=%v: got %d want %d", c.ttl, c.max, c.url, got, c.want)
		}
	}
}

func TestTTLReattach(t *testing.T) {
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock})
	a, _ := dial(t, hs, "/app/Sales/ttl/30", nil)
	a.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	a.call(1, "Select", nil).ok(t)
	a.ws.CloseNow()
	waitFor(t, func() bool { return clock.count() == 1 })
	clock.Advance(29 * time.Second)
	if s.SessionCount() != 1 {
		t.Fatal("session ended before its TTL")
	}
	b, st := dial(t, hs, "/app/Sales/ttl/30", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("state %s", st)
	}
	m := b.call(-1, "GetActiveDoc", nil)
	if h := handleOf(t, m.ok(t)); h != 1 || m.Change != nil {
		t.Fatalf("GetActiveDoc: %s", m.raw)
	}
	// The selection state survived.
	r := b.call(1, "GetAppLayout", nil).ok(t)
	if string(r["qLayout"]) != `{"qHasScript":false,"qSel":1,"qTitle":"Sales"}` {
		t.Fatalf("layout %s", r["qLayout"])
	}
	// The stale timer must not end the reattached session.
	clock.Advance(10 * time.Second)
	if s.SessionCount() != 1 {
		t.Fatal("stale timer ended the session")
	}
	b.ws.CloseNow()
	waitFor(t, func() bool { return clock.count() == 2 })
	clock.Advance(31 * time.Second)
	waitFor(t, func() bool { return s.SessionCount() == 0 })
	c, st := dial(t, hs, "/app/Sales/ttl/30", nil)
	if st != "SESSION_CREATED" {
		t.Fatalf("after TTL: %s", st)
	}
	c.call(-1, "GetActiveDoc", nil).errCode(t, 1007)
}

func TestTTLZeroEndsAtOnce(t *testing.T) {
	s, hs := testServer(t, Config{Clock: &fakeClock{}})
	a, _ := dial(t, hs, "/app/Sales", nil)
	a.ws.CloseNow()
	waitFor(t, func() bool { return s.SessionCount() == 0 })
}

func TestTTLLatestWinsAndCap(t *testing.T) {
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock, MaxSessionTTL: 100})
	a, _ := dial(t, hs, "/app/Sales/ttl/50", nil)
	b, _ := dial(t, hs, "/app/Sales/ttl/5000", nil) // capped to 100, latest wins
	a.ws.CloseNow()
	b.ws.CloseNow()
	waitFor(t, func() bool { return clock.count() == 1 })
	clock.mu.Lock()
	at := clock.timers[0].at
	clock.mu.Unlock()
	if at != 100*time.Second {
		t.Fatalf("timer at %v", at)
	}
	clock.Advance(100 * time.Second)
	waitFor(t, func() bool { return s.SessionCount() == 0 })
}

func TestTTLInfinite(t *testing.T) {
	clock := &fakeClock{}
	s, hs := testServer(t, Config{Clock: clock, SessionTTL: -1, MaxSessionTTL: -1})
	a, _ := dial(t, hs, "/app/Sales", nil)
	a.ws.CloseNow()
	waitFor(t, func() bool { ss := s.Sessions(); return len(ss) == 1 && ss[0].Sockets == 0 })
	if clock.count() != 0 {
		t.Fatal("an infinite TTL must not start a timer")
	}
	clock.Advance(1000 * time.Hour)
	if s.SessionCount() != 1 {
		t.Fatal("infinite session ended")
	}
	_, st := dial(t, hs, "/app/Sales", nil)
	if st != "SESSION_ATTACHED" {
		t.Fatalf("state %s", st)
	}
}
