package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// doReload is Doc.DoReload / DoReloadEx. It runs without holding the app
// lock (other calls keep answering from the current data while the reload
// is under way, as on real engines) but one reload of an app at a time. The
// new data replaces the old only when the reload succeeds.
//
//   - script error: qReturn false, the error in GetProgress (qErrorData);
//   - CancelRequest / AbortRequest / AbortAll: error 15;
//   - Global.CancelReload (context cause ErrReloadCancelled): qReturn false;
//
// and in both cancelled cases GetProgress shows the abort.
func (d *Doc) doReload(ctx context.Context, method string, p Params) (*Reply, error) {
	if method == "DoReload" {
		var mode int
		var partial, debug bool
		if err := args(p, "qMode", &mode, "qPartial", &partial, "qDebug", &debug); err != nil {
			return nil, err
		}
	} else {
		var opts struct {
			QMode    int  `json:"qMode"`
			QPartial bool `json:"qPartial"`
			QDebug   bool `json:"qDebug"`
		}
		if err := args(p, "qParams", &opts); err != nil {
			return nil, err
		}
	}
	a := d.app
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()

	a.mu.Lock()
	if d.closed {
		a.mu.Unlock()
		return nil, &Error{Code: 1007, Parameter: "No active document", Message: "App invalid"}
	}
	script := a.script
	var tables []genTable
	if a.generator != nil && a.script == a.genScript {
		tables = a.generator()
	}
	a.mu.Unlock()

	d.startProgress()
	var m *Model
	var vars []scriptVar
	var err error
	if tables != nil {
		m, err = d.loadGenerated(ctx, tables, d.lib.ReloadPace())
	} else {
		m, vars, err = runScript(ctx, script, a.dataDir, d.Report)
	}
	ok := err == nil
	switch {
	case ok:
	case ctx.Err() != nil || errors.Is(err, ErrAborted):
		p := d.Progress()
		d.Report(ProgressInfo{Step: p.Step, Steps: p.Steps, Error: "Request aborted",
			Persistent: "Execution of script aborted by user.\n", Finished: true})
		if !errors.Is(context.Cause(ctx), ErrReloadCancelled) {
			return nil, ErrAborted
		}
	default:
		p := d.Progress()
		pi := ProgressInfo{Step: p.Step, Steps: p.Steps, Error: err.Error(),
			Persistent: "Error: " + strings.TrimRight(err.Error(), "\n") + "\n", Finished: true}
		var fs *failedStmt
		if errors.As(err, &fs) {
			pi.Error, pi.ErrorLine = fs.err.Error(), fs.st.text
		}
		d.Report(pi)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	if d.closed {
		return nil, &Error{Code: 1007, Parameter: "No active document", Message: "App invalid"}
	}
	r := &Reply{}
	if ok {
		a.model = a.applyFieldsOnTheFly(m)
		a.loaded = true
		if tables == nil {
			a.setScriptVars(vars)
		}
		a.lastReload = time.Now().UTC()
		a.modified = a.lastReload
		d.sync()
		p := d.Progress()
		d.Report(ProgressInfo{Step: p.Steps, Steps: p.Steps, Finished: true})
		// Every object this session holds may show new data. The Doc itself
		// is not listed: recorded real traffic answers DoReload without it.
		r.Changed = d.allObjects()[1:]
	}
	if method == "DoReload" {
		r.Result = []KV{{"qReturn", ok}}
	} else {
		r.Result = []KV{{"qResult", obj{{"qSuccess", ok}, {"qScriptLogFile", ""}, {"qEndedWithMemoryConstraint", false}}}}
	}
	return r, nil
}

// startProgress clears the progress for a new reload.
func (d *Doc) startProgress() {
	d.progMu.Lock()
	defer d.progMu.Unlock()
	d.prog = ProgressInfo{}
	d.progStart = time.Now()
}

// loadGenerated reloads a generated app table by table, taking pace in
// total: half of it spread evenly over the tables, half by row count, so a
// progress bar moves at every table and the big one takes longest. While a
// table "fetches", GetProgress shows its rows coming in; each finished table
// adds a persistent line. The context is checked throughout.
func (d *Doc) loadGenerated(ctx context.Context, tables []genTable, pace time.Duration) (*Model, error) {
	total := 0
	for _, t := range tables {
		total += t.rows
	}
	n := len(tables)
	m := newModel()
	for i, t := range tables {
		var share time.Duration
		if pace > 0 {
			share = pace/time.Duration(2*n) + time.Duration(float64(pace/2)*float64(t.rows)/float64(max(total, 1)))
		}
		// A transient report every ~40 ms, like an engine fetching rows.
		slices := max(1, int(share/(40*time.Millisecond)))
		for s := 1; s <= slices; s++ {
			if err := sleepCtx(ctx, share/time.Duration(slices)); err != nil {
				return nil, ErrAborted
			}
			rows := t.rows * s / slices
			d.Report(ProgressInfo{Step: i, Steps: n, Rows: rows, Transient: linesFetched(t.name, t.source, rows)})
		}
		if ctx.Err() != nil {
			return nil, ErrAborted
		}
		m.addTable(t.name, t.cols, t.rowsOf())
		d.Report(ProgressInfo{Step: i + 1, Steps: n, Rows: t.rows, Persistent: linesFetched(t.name, t.source, t.rows) + "\n"})
	}
	return m, nil
}

// sleepCtx waits d or until ctx is done (then it returns ctx's error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// linesFetched is the progress line real engines write for a LOAD:
// "<table> << <source> <rows> Lines fetched", rows with thousand separators.
func linesFetched(table, source string, rows int) string {
	return table + " << " + source + " " + groupThousands(rows) + " Lines fetched"
}

// groupThousands writes n with "," between groups of three digits.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
