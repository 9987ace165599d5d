package emulator

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
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
	_, slow := c.send(1, "Slow", []any{1000}, false)
	<-d.started
	// Global requests are not blocked by a slow doc method.
	start := time.Now()
	c.call(-1, "EngineVersion", nil).ok(t)
	if time.Since(start) > 700*time.Millisecond {
		t.Fatal("global call waited for the doc")
	}
	// Requests on the same handle answer in order.
	_, a := c.send(1, "SetScript", []any{"X"}, false)
	_, b := c.send(1, "GetScript", nil, false)
	c.wait(slow).ok(t)
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

// benchPipelined sends b.N requests over sockets connections without
// waiting for answers and reads all responses; it reports requests/s.
func benchPipelined(b *testing.B, lib Library, sockets, handle int, method string, open bool) {
	_, hs := testServer(b, Config{Library: lib})
	var socks []*websocket.Conn
	for i := 0; i < sockets; i++ {
		ctx := context.Background()
		ws, _, err := websocket.Dial(ctx, wsURL(hs, fmt.Sprintf("/app/identity/b%d", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		ws.SetReadLimit(-1)
		defer ws.CloseNow()
		if _, _, err := ws.Read(ctx); err != nil { // OnConnected
			b.Fatal(err)
		}
		if open {
			_ = ws.Write(ctx, websocket.MessageText, []byte(`{"jsonrpc":"2.0","id":0,"handle":-1,"method":"OpenDoc","params":["Sales"]}`))
			if _, _, err := ws.Read(ctx); err != nil {
				b.Fatal(err)
			}
		}
		socks = append(socks, ws)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := (b.N + sockets - 1) / sockets
	for _, ws := range socks {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 1; i <= per; i++ {
				req := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"handle":%d,"method":"%s","params":[]}`, i, handle, method)
				if err := ws.Write(context.Background(), websocket.MessageText, req); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < per; i++ {
				_, data, err := ws.Read(context.Background())
				if err != nil {
					b.Error(err)
					return
				}
				if !bytes.Contains(data, []byte(`"result"`)) {
					b.Errorf("bad response %s", data)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(per*sockets)/time.Since(start).Seconds(), "req/s")
}

func BenchmarkPipelinedEngineVersion1Socket(b *testing.B) {
	benchPipelined(b, nil, 1, -1, "EngineVersion", false)
}

func BenchmarkPipelinedEngineVersion4Sockets(b *testing.B) {
	benchPipelined(b, nil, 4, -1, "EngineVersion", false)
}

func BenchmarkPipelinedGetAppLayout1Socket(b *testing.B) {
	benchPipelined(b, nil, 1, 1, "GetAppLayout", true)
}

func BenchmarkPipelinedEngineGetAppLayout(b *testing.B) {
	lib := defaultLibrary("")
	if _, ok := lib.(emptyLibrary); ok {
		b.Skip("data side not built in")
	}
	benchPipelined(b, lib, 2, 1, "GetAppLayout", true)
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
