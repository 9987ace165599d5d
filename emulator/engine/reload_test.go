package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// salesProgressLog is the full persistent progress of a Sales reload: one
// "<table> << <source> <rows> Lines fetched" line per table, in load order.
const salesProgressLog = "Regions << AUTOGENERATE(5) 5 Lines fetched\n" +
	"Customers << AUTOGENERATE(500) 500 Lines fetched\n" +
	"Products << AUTOGENERATE(60) 60 Lines fetched\n" +
	"Calendar << AUTOGENERATE(1096) 1,096 Lines fetched\n" +
	"Orders << AUTOGENERATE(50000) 50,000 Lines fetched\n"

// waitProgress polls d's progress until ok accepts it (no fixed sleeps: it
// yields between polls and gives up after a generous bound).
func waitProgress(t *testing.T, d *Doc, ok func(ProgressInfo) bool) ProgressInfo {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p := d.Progress()
		if ok(p) {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress never reached the expected state; last %+v", p)
		}
		time.Sleep(time.Millisecond)
	}
}

// salesWithPace opens Sales from a library with the given reload pace.
func salesWithPace(t *testing.T, pace time.Duration) *Doc {
	t.Helper()
	l := NewLibrary("")
	l.SetReloadPace(pace)
	d, err := l.Open("Sales")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSalesReloadReportsEveryTable(t *testing.T) {
	d := salesWithPace(t, 0)
	_, before := call(t, d, "Evaluate", "Sum(Sales)")
	r, res := call(t, d, "DoReload", 0, false, false)
	if res["qReturn"] != true {
		t.Fatalf("qReturn = %v", res["qReturn"])
	}
	p := d.Progress()
	if p.Persistent != salesProgressLog {
		t.Fatalf("persistent progress:\n%q\nwant\n%q", p.Persistent, salesProgressLog)
	}
	if !p.Finished || p.Step != 5 || p.Steps != 5 || p.Error != "" || p.Transient != "" {
		t.Fatalf("final progress %+v", p)
	}
	// The regenerated data is the same data.
	if _, after := call(t, d, "Evaluate", "Sum(Sales)"); after["qReturn"] != before["qReturn"] {
		t.Fatalf("Sum(Sales) %v after reload, %v before", after["qReturn"], before["qReturn"])
	}
	// The doc is not in the change list (recorded real traffic), its
	// objects are.
	for _, o := range r.Changed {
		if o == Object(d) {
			t.Fatal("DoReload listed the Doc as changed")
		}
	}
	f := ret(t, mustCall(t, d, "GetField", "Region"))
	r, _ = call(t, d, "DoReloadEx", map[string]any{"qMode": 0})
	if len(r.Changed) != 1 || r.Changed[0] != f {
		t.Fatalf("changed after DoReloadEx = %v, want the Region field", r.Changed)
	}
	if got := marshalResult(t, r); dig(got, "qResult", "qSuccess") != true {
		t.Fatalf("DoReloadEx %v", got)
	}
}

func TestReloadPaceDefaultAndShares(t *testing.T) {
	if got := NewLibrary("").ReloadPace(); got != DefaultReloadPace || DefaultReloadPace != time.Second {
		t.Fatalf("default pace %v", got)
	}
	l := NewLibrary("")
	l.SetReloadPace(-5 * time.Second)
	if l.ReloadPace() != 0 {
		t.Fatal("a negative pace must mean instant")
	}
}

func TestSalesReloadPacedProgressThenCancel(t *testing.T) {
	// A pace far longer than the test: the reload can only end by
	// cancellation, so the test never depends on timing.
	d := salesWithPace(t, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := d.Call(ctx, "DoReload", ParamList{0, false, false})
		done <- err
	}()
	p := waitProgress(t, d, func(p ProgressInfo) bool { return p.Transient != "" })
	if !regexp.MustCompile(`^Regions << AUTOGENERATE\(5\) \d Lines fetched$`).MatchString(p.Transient) {
		t.Fatalf("transient %q", p.Transient)
	}
	if p.Step != 0 || p.Steps != 5 || p.Finished || p.Persistent != "" {
		t.Fatalf("progress while loading the first table: %+v", p)
	}
	// Other calls still answer while the reload runs (no app-wide lock).
	if _, res := call(t, d, "Evaluate", "Count(DISTINCT Region)"); res["qReturn"] != "5" {
		t.Fatalf("Evaluate during reload: %v", res["qReturn"])
	}
	cancel()
	if err := <-done; !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
	p = d.Progress()
	if !p.Finished || p.Error != "Request aborted" || p.Persistent != "Execution of script aborted by user.\n" {
		t.Fatalf("progress after abort %+v", p)
	}
}

func TestSalesReloadCancelReloadAnswersFalse(t *testing.T) {
	d := salesWithPace(t, time.Hour)
	for _, method := range []string{"DoReload", "DoReloadEx"} {
		ctx, cancel := context.WithCancelCause(context.Background())
		done := make(chan *Reply, 1)
		go func() {
			r, err := d.Call(ctx, method, ParamList{})
			if err != nil {
				t.Errorf("%s: %v", method, err)
			}
			done <- r
		}()
		waitProgress(t, d, func(p ProgressInfo) bool { return p.Transient != "" })
		cancel(ErrReloadCancelled)
		r := <-done
		if r == nil {
			continue
		}
		got := marshalResult(t, r)
		if method == "DoReload" && got["qReturn"] != false || method == "DoReloadEx" && dig(got, "qResult", "qSuccess") != false {
			t.Fatalf("%s after CancelReload: %v", method, got)
		}
		if len(r.Changed) != 0 {
			t.Fatalf("%s: a cancelled reload changes nothing, got %v", method, r.Changed)
		}
		if p := d.Progress(); !p.Finished || !strings.Contains(p.Persistent, "aborted") {
			t.Fatalf("%s: progress %+v", method, p)
		}
	}
}

func TestSalesReloadPacedWalksThroughTables(t *testing.T) {
	// A short pace: the reload finishes by itself; every table must show up
	// in order, with the completed-step count never going back.
	d := salesWithPace(t, 150*time.Millisecond)
	done := make(chan map[string]any, 1)
	go func() {
		r, err := d.Call(context.Background(), "DoReload", ParamList{})
		if err != nil {
			t.Error(err)
		}
		done <- marshalResult(t, r)
	}()
	last := -1
	for running := true; running; {
		select {
		case res := <-done:
			if res["qReturn"] != true {
				t.Fatalf("qReturn %v", res)
			}
			running = false
		default:
			p := d.Progress()
			if p.Step < last {
				t.Fatalf("qCompleted went back from %d to %d", last, p.Step)
			}
			last = p.Step
			if !strings.HasPrefix(salesProgressLog, p.Persistent) {
				t.Fatalf("persistent %q is not a prefix of the full log", p.Persistent)
			}
			time.Sleep(time.Millisecond)
		}
	}
	if p := d.Progress(); p.Persistent != salesProgressLog || p.Step != 5 || !p.Finished {
		t.Fatalf("final %+v", p)
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 5: "5", 999: "999", 1000: "1,000", 50000: "50,000", 1234567: "1,234,567", -4096: "-4,096"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestScriptReloadProgressLines(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.csv"), []byte("Id,Amount\n1,10\n2,20\n3,30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _ := NewLibrary(dir).NewSessionApp("SessionApp_p", "")
	call(t, d, "SetScript", "SET x = 1;\nA: LOAD * INLINE [\nK\n1\n2\n];\n"+
		"O: LOAD Id as K, Amount FROM [lib://data/orders.csv] (txt, utf8, embedded labels, delimiter is ',');\n"+
		"G: LOAD RecNo() as R AUTOGENERATE 5000;\n")
	if _, res := call(t, d, "DoReload"); res["qReturn"] != true {
		t.Fatalf("reload failed: %+v", d.Progress())
	}
	want := "A << INLINE 2 Lines fetched\nO << orders 3 Lines fetched\nG << AUTOGENERATE(5000) 5,000 Lines fetched\n"
	if p := d.Progress(); p.Persistent != want || p.Step != 4 || p.Steps != 4 || !p.Finished {
		t.Fatalf("progress %+v, want persistent %q", p, want)
	}
}
