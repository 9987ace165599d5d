package qixcore

import (
	"context"
	"strconv"
	"time"
)

// progressMethod reports the calls an engine reports progress for through
// Global.GetProgress(qRequestId): opening an app, reloading and saving.
func progressMethod(method string) bool {
	switch method {
	case "OpenDoc", "DoReload", "DoReloadEx", "DoSave":
		return true
	}
	return false
}

// SetProgressInterval changes SessionOptions.ProgressInterval for calls
// made from now on (0 stops reporting progress): a client turns it on
// while someone listens.
func (s *Session) SetProgressInterval(d time.Duration) {
	s.mu.Lock()
	s.progressEvery = d
	s.mu.Unlock()
}

// watchProgress polls Global.GetProgress for request id every interval
// while the call is in flight, and once more after it settles (the last
// poll carries the end of the script log and a failed reload's errors),
// emitting an EventProgress per poll. It polls only while such a call runs:
// a session that never reloads sends no GetProgress. It runs in its own
// goroutine; done closes when the call settles.
func (s *Session) watchProgress(c *Conn, handle int, method string, id int64, interval time.Duration, done <-chan struct{}) {
	params := []byte(`[` + strconv.FormatInt(id, 10) + `]`)
	poll := func(final bool) bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*interval+5*time.Second)
		defer cancel()
		m, err := c.Call(ctx, Request{Handle: -1, Method: "GetProgress", Params: params})
		if err != nil {
			return false // the connection ended or the engine refused: stop quietly
		}
		s.emit(Event{Kind: EventProgress, Method: method, Handles: []int{handle}, RequestID: id, Final: final, Params: m.Result})
		return true
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-done:
			poll(true)
			return
		case <-t.C:
			if !poll(false) {
				return
			}
		}
	}
}
