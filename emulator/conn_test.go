package emulator

import (
	"sync"
	"testing"
)

// openSales dials and opens Sales, returning the client and its doc.
func openSales(t *testing.T, lib *fakeLib) (*client, *fakeDoc) {
	t.Helper()
	_, hs := testServer(t, Config{Library: lib})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	lib.mu.Lock()
	d := lib.opened[len(lib.opened)-1]
	lib.mu.Unlock()
	return c, d
}

func TestCancelRequest(t *testing.T) {
	for _, method := range []string{"CancelRequest", "AbortRequest"} {
		t.Run(method, func(t *testing.T) {
			c, d := openSales(t, newFakeLib("Sales"))
			id, victim := c.send(1, "Slow", []any{5000}, false)
			<-d.started
			for _, p := range []any{[]any{id}, map[string]any{"qRequestId": id}} {
				m := c.call(-1, method, p)
				if string(m.Result) != `{}` {
					t.Fatalf("%s: %s", method, m.raw)
				}
			}
			m := c.wait(victim)
			if m.Error == nil || m.Error.Code != 15 || m.Error.Message != "Request aborted" {
				t.Fatalf("victim: %s", m.raw)
			}
			// Unknown ids are fine too.
			if m := c.call(-1, method, []any{12345}); string(m.Result) != `{}` {
				t.Fatalf("%s", m.raw)
			}
		})
	}
}

func TestAbortAllAndCancelReload(t *testing.T) {
	c, d := openSales(t, newFakeLib("Sales"))
	_, v1 := c.send(1, "Slow", []any{5000}, false)
	<-d.started
	c.call(-1, "AbortAll", nil).ok(t)
	c.wait(v1).errCode(t, 15)

	_, v2 := c.send(1, "DoReload", []any{5000}, false)
	<-d.started
	c.call(-1, "CancelReload", nil).ok(t)
	c.wait(v2).errCode(t, 15)
}

func TestQueuedRequestCancelledBeforeItRuns(t *testing.T) {
	c, d := openSales(t, newFakeLib("Sales"))
	_, first := c.send(1, "Slow", []any{300}, false)
	<-d.started
	id2, second := c.send(1, "GetAppLayout", nil, false) // queued behind Slow on handle 1
	c.call(-1, "CancelRequest", []any{id2}).ok(t)
	c.wait(first).ok(t)
	c.wait(second).errCode(t, 15)
}

func TestPerHandleOrderAndGlobalConcurrency(t *testing.T) {
	c, d := openSales(t, newFakeLib("Sales"))
	slowID, slow := c.send(1, "Slow", []any{60000}, false) // ends only when cancelled
	<-d.started
	// Global requests are not blocked by a slow doc method.
	c.call(-1, "EngineVersion", nil).ok(t)
	// Requests on the same handle wait behind it and answer in order.
	_, a := c.send(1, "SetScript", []any{"X"}, false)
	_, b := c.send(1, "GetScript", nil, false)
	c.call(-1, "OSName", nil).ok(t)
	select {
	case m := <-a:
		t.Fatalf("SetScript overtook the slow call on its handle: %s", m.raw)
	default:
	}
	c.call(-1, "CancelRequest", []any{slowID}).ok(t)
	c.wait(slow).errCode(t, 15)
	c.wait(a).ok(t)
	if r := c.wait(b).ok(t); string(r["qScript"]) != `"X"` {
		t.Fatalf("order: %s", r["qScript"])
	}
}

func TestConnectionCloseCancelsCalls(t *testing.T) {
	lib := newFakeLib("Sales")
	s, hs := testServer(t, Config{Library: lib})
	c, _ := dial(t, hs, "/app/", nil)
	c.call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	c.send(1, "Slow", []any{60000}, false)
	<-lib.opened[0].started
	c.ws.CloseNow()
	waitFor(t, func() bool { return s.SessionCount() == 0 })
}

func TestConcurrentSocketsStress(t *testing.T) {
	_, hs := testServer(t, Config{})
	var clients []*client
	for i := 0; i < 4; i++ {
		c, _ := dial(t, hs, "/app/Sales", nil)
		clients = append(clients, c)
	}
	clients[0].call(-1, "OpenDoc", []any{"Sales"}).ok(t)
	clients[0].call(1, "CreateSessionObject", []any{map[string]any{"qInfo": map[string]string{"qId": "s", "qType": "t"}}}).ok(t)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc := handleOf(t, c.call(-1, "GetActiveDoc", nil).ok(t))
			obj := handleOf(t, c.call(doc, "GetObject", []any{"s"}).ok(t))
			var chans []chan msg
			for j := 0; j < 150; j++ {
				var ch chan msg
				switch j % 3 {
				case 0:
					_, ch = c.send(doc, "Select", nil, false)
				case 1:
					_, ch = c.send(obj, "GetLayout", nil, i%2 == 0)
				default:
					_, ch = c.send(-1, "EngineVersion", nil, true)
				}
				chans = append(chans, ch)
			}
			for _, ch := range chans {
				if m := c.wait(ch); m.Error != nil {
					t.Errorf("error %s", m.raw)
				}
			}
		}()
	}
	wg.Wait()
}
