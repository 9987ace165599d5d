package emulator

// Benchmarks over real WebSockets to the emulator running the real data side
// (engine.Library), so they measure what a client sees: framing, JSON,
// dispatch, per-handle queues and the engine work.
//
//	go test -run '^$' -bench 'SmallRequests|SalesHyperCube50k' ./emulator/
//
// Targets (2-core machine): ≥ 20 000 small requests/s; a 50 000-row
// hypercube computed and paged in ≤ 100 ms.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// benchConn is a raw socket for benchmarks (the test client's per-message
// bookkeeping would dominate the numbers).
type benchConn struct {
	ws *websocket.Conn
}

// dialBench connects to path, reads OnConnected and runs the setup requests
// one by one, failing on any error answer.
func dialBench(b *testing.B, url string, setup ...string) *benchConn {
	b.Helper()
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	ws.SetReadLimit(-1)
	b.Cleanup(func() { ws.CloseNow() })
	if _, _, err := ws.Read(ctx); err != nil { // OnConnected
		b.Fatal(err)
	}
	c := &benchConn{ws: ws}
	for _, req := range setup {
		c.roundTrip(b, req)
	}
	return c
}

// roundTrip sends one request and returns its answer (skipping pushed
// messages without an id).
func (c *benchConn) roundTrip(b *testing.B, req string) []byte {
	ctx := context.Background()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(req)); err != nil {
		b.Fatal(err)
	}
	for {
		_, data, err := c.ws.Read(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if bytes.Contains(data, []byte(`"error"`)) {
			b.Fatalf("%s → %s", req, data)
		}
		if bytes.Contains(data, []byte(`"id"`)) {
			return data
		}
	}
}

// pipeline sends n requests made by mk over c with at most window of them
// unanswered at a time (window 1 = strict round trips) and checks every
// answer is a result.
func (c *benchConn) pipeline(n, window int, mk func(i int) []byte) error {
	ctx := context.Background()
	slots := make(chan struct{}, window)
	errc := make(chan error, 2)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 1; i <= n; i++ {
			slots <- struct{}{}
			if err := c.ws.Write(ctx, websocket.MessageText, mk(i)); err != nil {
				errc <- err
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for got := 0; got < n; {
			_, data, err := c.ws.Read(ctx)
			if err != nil {
				errc <- err
				return
			}
			if !bytes.Contains(data, []byte(`"id"`)) {
				continue // a pushed change list
			}
			if !bytes.Contains(data, []byte(`"result"`)) {
				errc <- fmt.Errorf("bad response %s", data)
				return
			}
			got++
			<-slots
		}
	}()
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// benchServer is an emulator with the real data side on a loopback port.
func benchServer(b *testing.B) string {
	_, hs := testServer(b, Config{Library: defaultLibrary("", NoReloadPace)})
	return wsURL(hs, "")
}

// BenchmarkSmallRequests measures small requests per second over one (or
// four) real WebSockets: Global.EngineVersion, Doc.GetAppLayout and the
// GetLayout of a small chart on the Demo app. "pipelined" keeps up to 64
// requests in flight per socket, as a page loading a dashboard does;
// "roundtrip" waits for each answer (latency bound).
func BenchmarkSmallRequests(b *testing.B) {
	const openDemo = `{"jsonrpc":"2.0","id":1,"handle":-1,"method":"OpenDoc","params":["Demo"]}`
	const chart = `{"jsonrpc":"2.0","id":2,"handle":1,"method":"CreateSessionObject","params":[{"qInfo":{"qType":"chart"},` +
		`"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["Region"]}}],"qMeasures":[{"qDef":{"qDef":"Sum(Sales)"}}],` +
		`"qInitialDataFetch":[{"qWidth":2,"qHeight":10}]}}]}`
	cases := []struct {
		name    string
		sockets int
		window  int
		handle  int
		method  string
	}{
		{"EngineVersion/pipelined", 1, 64, -1, "EngineVersion"},
		{"EngineVersion/pipelined-4sockets", 4, 64, -1, "EngineVersion"},
		{"EngineVersion/roundtrip", 1, 1, -1, "EngineVersion"},
		{"GetAppLayout/pipelined", 1, 64, 1, "GetAppLayout"},
		{"ChartGetLayout/pipelined", 1, 64, 2, "GetLayout"},
		{"ChartGetLayout/roundtrip", 1, 1, 2, "GetLayout"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			url := benchServer(b)
			conns := make([]*benchConn, tc.sockets)
			for i := range conns {
				conns[i] = dialBench(b, fmt.Sprintf("%s/app/identity/bench%d", url, i), openDemo, chart)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			per := (b.N + tc.sockets - 1) / tc.sockets
			var wg sync.WaitGroup
			for _, c := range conns {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := c.pipeline(per, tc.window, func(i int) []byte {
						return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"handle":%d,"method":"%s","params":[]}`, i+10, tc.handle, tc.method)
					})
					if err != nil {
						b.Error(err)
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(per*tc.sockets)/elapsed.Seconds(), "req/s")
		})
	}
}

// BenchmarkSalesHyperCube50k measures a 50 000-row hypercube over a real
// WebSocket on the Sales app: OrderID × Sum(Sales) is created as a session
// object, computed from scratch and read. "first-page" gets the layout
// with a 2 × 5 000 initial page (the engine's 10 000-cell page limit);
// "all-rows" also pages through the other 45 000 rows with
// GetHyperCubeData. Each op destroys its object, so nothing is cached.
func BenchmarkSalesHyperCube50k(b *testing.B) {
	const openSales = `{"jsonrpc":"2.0","id":1,"handle":-1,"method":"OpenDoc","params":["Sales"]}`
	create := func(id int) string {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"handle":1,"method":"CreateSessionObject","params":[{"qInfo":{"qId":"cube%d","qType":"table"},`+
			`"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["OrderID"]}}],"qMeasures":[{"qDef":{"qDef":"Sum(Sales)"}}],`+
			`"qInitialDataFetch":[{"qLeft":0,"qTop":0,"qWidth":2,"qHeight":5000}]}}]}`, id, id)
	}
	for _, allRows := range []bool{false, true} {
		name := "first-page"
		if allRows {
			name = "all-rows"
		}
		b.Run(name, func(b *testing.B) {
			c := dialBench(b, benchServer(b)+"/app/identity/cube", openSales)
			id := 10
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				id++
				var ref struct {
					Result struct {
						QReturn struct {
							QHandle int `json:"qHandle"`
						} `json:"qReturn"`
					} `json:"result"`
				}
				if err := json.Unmarshal(c.roundTrip(b, create(id)), &ref); err != nil {
					b.Fatal(err)
				}
				h := ref.Result.QReturn.QHandle
				objID := id
				id++
				layout := c.roundTrip(b, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"handle":%d,"method":"GetLayout","params":[]}`, id, h))
				if !bytes.Contains(layout, []byte(`"qcy":50000`)) {
					b.Fatalf("not a 50 000-row cube: %.300s", layout)
				}
				if allRows {
					for top := 5000; top < 50000; top += 5000 {
						id++
						page := c.roundTrip(b, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"handle":%d,"method":"GetHyperCubeData","params":["/qHyperCubeDef",[{"qLeft":0,"qTop":%d,"qWidth":2,"qHeight":5000}]]}`, id, h, top))
						if !bytes.Contains(page, []byte(fmt.Sprintf(`"qArea":{"qLeft":0,"qTop":%d,"qWidth":2,"qHeight":5000}`, top))) {
							b.Fatalf("bad page at %d: %.200s", top, page)
						}
					}
				}
				id++
				c.roundTrip(b, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"handle":1,"method":"DestroySessionObject","params":["cube%d"]}`, id, objID))
			}
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(elapsed.Seconds()*1000/float64(b.N), "ms/cube")
		})
	}
}
