//go:build !js

package qixcore_test

// The multiplexer rules again, this time over a real WebSocket to the
// engine emulator: what the in-memory pipe tests show must also hold when
// coder/websocket, the emulator's concurrency and its faults are in the way.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

// startEmulator serves a core-flavour emulator on a loopback port.
func startEmulator(t *testing.T) (*emulator.Server, string) {
	t.Helper()
	emu := emulator.New(emulator.Config{SessionTTL: 0, MaxSessionTTL: 60, Logf: func(string, ...any) {}})
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Close()
	})
	return emu, "ws" + strings.TrimPrefix(srv.URL, "http")
}

var idSeq atomic.Int64

// uniq is an identity that keeps each test's engine session (and faults) apart.
func uniq(t *testing.T) string {
	return fmt.Sprintf("%s-%d", strings.ReplaceAll(t.Name(), "/", "_"), idSeq.Add(1))
}

// call invokes synchronously and unwraps the result into out (when non-nil).
func call(ctx context.Context, s *qixcore.Session, handle int, method, args string, out any) (*qixcore.RemoteObject, error) {
	type outcome struct {
		r   qixcore.Result
		err error
	}
	ch := make(chan outcome, 1)
	s.Invoke(ctx, handle, method, []byte(args), func(r qixcore.Result, err error) {
		if err == nil && r.Body != nil {
			r.Body = append([]byte(nil), r.Body...)
		}
		ch <- outcome{r, err}
	})
	o := <-ch
	if o.err != nil {
		return nil, o.err
	}
	if o.r.Object != nil || out == nil {
		return o.r.Object, nil
	}
	body, err := o.r.Unwrap()
	if err != nil {
		return nil, err
	}
	return nil, json.Unmarshal(body, out)
}

type events struct {
	mu   sync.Mutex
	list []qixcore.Event
}

func (e *events) add(ev qixcore.Event) {
	if ev.Kind == qixcore.EventTraffic {
		ev.Data = append([]byte(nil), ev.Data...)
	}
	e.mu.Lock()
	e.list = append(e.list, ev)
	e.mu.Unlock()
}

func (e *events) sentMethods() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, ev := range e.list {
		if ev.Kind == qixcore.EventTraffic && ev.Sent {
			var m struct {
				Method string `json:"method"`
			}
			_ = json.Unmarshal(ev.Data, &m)
			out = append(out, m.Method)
		}
	}
	return out
}

func (e *events) has(kind qixcore.EventKind) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.list {
		if ev.Kind == kind {
			return true
		}
	}
	return false
}

func openDemo(t *testing.T, url string, opts qixcore.SessionOptions) (*qixcore.Session, *qixcore.RemoteObject, *events) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ev := &events{}
	opts.Conn.OnEvent = ev.add
	opts.Conn.Traffic = true
	s, err := qixcore.Open(ctx, url, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	doc, err := call(ctx, s, -1, "OpenDoc", `["Demo"]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, doc, ev
}

func TestEmulatorPipelinedOutOfOrder(t *testing.T) {
	_, base := startEmulator(t)
	s, doc, _ := openDemo(t, base+"/app/Demo/identity/"+uniq(t), qixcore.SessionOptions{})
	ctx := context.Background()
	obj, err := call(ctx, s, doc.Handle, "CreateSessionObject",
		`[{"qInfo":{"qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)"}}]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Hundreds of calls in flight on one socket, several methods mixed so
	// the emulator runs them concurrently and may answer out of order.
	const n = 300
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				var layout struct {
					Total float64 `json:"total"`
				}
				if _, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, &layout); err != nil {
					errs <- err
				} else if layout.Total != 114 {
					errs <- fmt.Errorf("Sum(Sales) = %v, want 114", layout.Total)
				}
			case 1:
				var str string
				if _, err := call(ctx, s, doc.Handle, "Evaluate", fmt.Sprintf(`["%d+1"]`, i), &str); err != nil {
					errs <- err
				} else if str != fmt.Sprint(i+1) {
					errs <- fmt.Errorf("Evaluate(%d+1) = %q", i, str)
				}
			default:
				var ver struct {
					QComponentVersion string `json:"qComponentVersion"`
				}
				if _, err := call(ctx, s, -1, "EngineVersion", `[]`, &ver); err != nil {
					errs <- err
				} else if ver.QComponentVersion == "" {
					errs <- errors.New("EngineVersion without qComponentVersion")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if p := s.Conn().Pending(); p != 0 {
		t.Fatalf("%d calls left pending", p)
	}
}

func TestEmulatorEngineErrorAndNotFound(t *testing.T) {
	_, base := startEmulator(t)
	s, doc, _ := openDemo(t, base+"/app/Demo/identity/"+uniq(t), qixcore.SessionOptions{})
	ctx := context.Background()
	_, err := call(ctx, s, -1, "OpenDoc", `["NoSuchApp"]`, nil)
	var ee *qixcore.EngineError
	if !errors.As(err, &ee) || ee.Code != 1002 && ee.Code != 1003 || ee.Method != "OpenDoc" {
		t.Fatalf("OpenDoc NoSuchApp = %v", err)
	}
	_, err = call(ctx, s, doc.Handle, "GetObject", `["missing"]`, nil)
	if !errors.Is(err, qixcore.ErrObjectNotFound) {
		t.Fatalf("GetObject missing = %v", err)
	}
	_, err = call(ctx, s, doc.Handle, "NoSuchMethod", `[]`, nil)
	if !errors.As(err, &ee) || ee.Code != -32601 {
		t.Fatalf("unknown method = %v", err)
	}
}

func TestEmulatorCloseFailsEveryPendingCall(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	s, doc, ev := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{})
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultStall}); err != nil {
		t.Fatal(err)
	}
	const n = 5
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := call(context.Background(), s, doc.Handle, "GetAppLayout", `[]`, nil)
			errs <- err
		}()
	}
	waitPending(t, s, n)
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Action: emulator.FaultClose, Code: 4204, Reason: `{"code":"QEP-104","traceId":"abc"}`}); err != nil {
		t.Fatal(err)
	}
	for range n {
		err := <-errs
		var ce *qixcore.CloseError
		if !errors.As(err, &ce) || ce.Code != 4204 || ce.QEPCode != "QEP-104" || ce.TraceID != "abc" {
			t.Fatalf("pending call = %v, want close 4204 QEP-104", err)
		}
	}
	<-s.Conn().Done()
	if !ev.has(qixcore.EventConnClosed) {
		t.Fatal("no EventConnClosed")
	}
	// After the close, calls fail at once with the same terminal error.
	_, err := call(context.Background(), s, doc.Handle, "GetAppLayout", `[]`, nil)
	var ce *qixcore.CloseError
	if err == nil || !errors.As(err, &ce) && !errors.Is(err, qixcore.ErrObjectNotFound) {
		t.Fatalf("call after close = %v", err)
	}
}

func waitPending(t *testing.T, s *qixcore.Session, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.Conn().Pending() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d calls pending", s.Conn().Pending(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestEmulatorCancelSendsCancelRequest(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	s, doc, ev := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{})
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultStall, Count: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := call(ctx, s, doc.Handle, "GetAppLayout", `[]`, nil)
		errc <- err
	}()
	waitPending(t, s, 1)
	cancel()
	if err := <-errc; !errors.Is(err, qixcore.ErrCancelled) {
		t.Fatalf("cancelled call = %v", err)
	}
	if p := s.Conn().Pending(); p != 0 {
		t.Fatalf("%d entries left after cancel", p)
	}
	// The engine got a CancelRequest and the socket still works.
	var title struct {
		QTitle string `json:"qTitle"`
	}
	if _, err := call(context.Background(), s, doc.Handle, "GetAppLayout", `[]`, &title); err != nil || title.QTitle != "Demo" {
		t.Fatalf("call after cancel = %+v %v", title, err)
	}
	sent := strings.Join(ev.sentMethods(), ",")
	if !strings.Contains(sent, "GetAppLayout,CancelRequest") {
		t.Fatalf("sent %s, want a CancelRequest after the stalled call", sent)
	}
}

func TestEmulatorCallTimeout(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	s, doc, _ := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{Conn: qixcore.ConnOptions{CallTimeout: 100 * time.Millisecond}})
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultStall, Count: 1}); err != nil {
		t.Fatal(err)
	}
	_, err := call(context.Background(), s, doc.Handle, "GetAppLayout", `[]`, nil)
	if !errors.Is(err, qixcore.ErrTimeout) {
		t.Fatalf("stalled call = %v, want ErrTimeout", err)
	}
	if p := s.Conn().Pending(); p != 0 {
		t.Fatalf("%d entries left after timeout", p)
	}
}

func TestEmulatorDroppedSocketRetiresCalls(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	s, doc, _ := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{})
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultDrop}); err != nil {
		t.Fatal(err)
	}
	_, err := call(context.Background(), s, doc.Handle, "GetAppLayout", `[]`, nil)
	if err == nil {
		t.Fatal("call on a dropped socket succeeded")
	}
	<-s.Conn().Done()
	// Writing to the dead socket fails and leaves nothing behind.
	_, err = call(context.Background(), s, -1, "EngineVersion", `[]`, nil)
	if err == nil {
		t.Fatal("call after the drop succeeded")
	}
	if p := s.Conn().Pending(); p != 0 {
		t.Fatalf("%d entries left", p)
	}
}

func TestEmulatorSuspendResumeReattaches(t *testing.T) {
	_, base := startEmulator(t)
	// /ttl/30 keeps the engine session alive after the socket closes.
	s, doc, _ := openDemo(t, base+"/app/Demo/identity/"+uniq(t)+"/ttl/30", qixcore.SessionOptions{})
	ctx := context.Background()
	obj, err := call(ctx, s, doc.Handle, "CreateSessionObject",
		`[{"qInfo":{"qId":"kpi1","qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)"}}]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, nil); !errors.Is(err, qixcore.ErrSuspended) {
		t.Fatalf("call while suspended = %v", err)
	}
	if err := s.Resume(ctx, true); err != nil {
		t.Fatal(err)
	}
	var layout struct {
		Total float64 `json:"total"`
		QInfo struct {
			QID string `json:"qId"`
		} `json:"qInfo"`
	}
	// The same RemoteObject, possibly on a new handle, still answers.
	if _, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, &layout); err != nil || layout.Total != 114 || layout.QInfo.QID != "kpi1" {
		t.Fatalf("layout after resume = %+v %v", layout, err)
	}
	if got, ok := s.Registry().Get(obj.Handle); !ok || got != obj {
		t.Fatal("the object lost its identity across the resume")
	}
}

func TestEmulatorResumeOnlyIfAttachedAfterTTL(t *testing.T) {
	emu, base := startEmulator(t)
	// No TTL: the engine session ends with the socket.
	s, _, _ := openDemo(t, base+"/app/Demo/identity/"+uniq(t), qixcore.SessionOptions{})
	if err := s.Suspend(0, ""); err != nil {
		t.Fatal(err)
	}
	// The emulator ends the session once it has seen the close.
	deadline := time.Now().Add(5 * time.Second)
	for emu.SessionCount() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the emulator kept the session")
		}
		time.Sleep(5 * time.Millisecond)
	}
	err := s.Resume(context.Background(), true)
	if !errors.Is(err, qixcore.ErrNotAttached) {
		t.Fatalf("Resume(true) after the session ended = %v", err)
	}
	if s.State() != qixcore.StateClosed {
		t.Fatalf("state = %v", s.State())
	}
}

// Example opens a session from native Go, opens a doc and reads a value
// expression, against an in-process engine emulator. Against a real
// engine, pass its URL and, for Qlik Cloud, DialOptions{BearerToken: …}.
func Example() {
	emu := emulator.New(emulator.Config{Logf: func(string, ...any) {}})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	// ws://127.0.0.1:<port>/app/Demo
	url, err := qixcore.CoreURL(strings.TrimPrefix(srv.URL, "http://"), "Demo")
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	s, err := qixcore.Open(ctx, url, nil, qixcore.SessionOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	// Arguments are a JSON array, as a JavaScript caller passes them; a
	// single object of In names is a named call.
	doc, err := call(ctx, s, -1, "OpenDoc", `[{"qDocName":"Demo"}]`, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	obj, err := call(ctx, s, doc.Handle, "CreateSessionObject",
		`[{"qInfo":{"qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)"}}]`, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	var layout struct {
		Total float64 `json:"total"`
	}
	if _, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, &layout); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Type, doc.ID, obj.Type, layout.Total)
	// Output: Doc Demo GenericObject 114
}
