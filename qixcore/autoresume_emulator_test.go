//go:build !js

package qixcore_test

// Automatic resume against the engine emulator: its drop fault cuts the
// socket without a close frame, as a network loss does.

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

type kpiLayout struct {
	Total float64 `json:"total"`
	QInfo struct {
		QID string `json:"qId"`
	} `json:"qInfo"`
}

func TestEmulatorAutoResumeAfterDropRebindsObjects(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	// /ttl/30: the engine keeps the session, so the resume attaches.
	s, doc, ev := openDemo(t, base+"/app/Demo/identity/"+id+"/ttl/30", qixcore.SessionOptions{
		AutoResume: qixcore.AutoResume{Enabled: true, MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond},
	})
	ctx := context.Background()
	obj, err := call(ctx, s, doc.Handle, "CreateSessionObject",
		`[{"qInfo":{"qId":"kpi1","qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)"}}]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	field, err := call(ctx, s, doc.Handle, "GetField", `["Region"]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	// The call in flight when the socket drops fails: the engine may or
	// may not have run it.
	if _, err := call(ctx, s, doc.Handle, "GetAppLayout", `[]`, nil); err == nil {
		t.Fatal("the call cut off by the drop succeeded")
	}
	// Calls made from now on work without anyone calling Resume: they
	// wait for the automatic resume or go out after it.
	for range 3 {
		var layout kpiLayout
		if _, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, &layout); err != nil || layout.Total != 114 || layout.QInfo.QID != "kpi1" {
			t.Fatalf("layout after the drop = %+v %v", layout, err)
		}
	}
	if !ev.has(qixcore.EventReconnecting) || !ev.has(qixcore.EventSessionResumed) || ev.has(qixcore.EventConnClosed) {
		t.Fatal("want reconnecting and resumed events, and no close")
	}
	if got, ok := s.Registry().Get(obj.Handle); !ok || got != obj {
		t.Fatal("the session object lost its identity")
	}
	// Fields cannot be found again by id: the Field was closed.
	for _, o := range s.Registry().Live() {
		if o == field {
			t.Fatal("the Field survived the resume")
		}
	}
	if s.State() != qixcore.StateOpen {
		t.Fatalf("state %v", s.State())
	}
}

func TestEmulatorAutoResumeRecreatesSessionObjectsInNewSession(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	// No TTL: the engine session ends with the socket. The backoff waits
	// an hour so the test decides when to try (Nudge), after the end.
	s, doc, ev := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{
		AutoResume: qixcore.AutoResume{Enabled: true, MinDelay: time.Hour, MaxDelay: time.Hour},
	})
	ctx := context.Background()
	obj, err := call(ctx, s, doc.Handle, "CreateSessionObject",
		`[{"qInfo":{"qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)"}}]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	objID := obj.ID
	if _, err := call(ctx, s, obj.Handle, "SetProperties",
		`[{"qInfo":{"qId":"`+objID+`","qType":"kpi"},"total":{"qValueExpression":"=Sum(Sales)*2"}}]`, nil); err != nil {
		t.Fatal(err)
	}
	v, err := call(ctx, s, doc.Handle, "CreateSessionVariable", `[{"qInfo":{"qType":"variable"},"qName":"vSess","qDefinition":"=1+1"}]`, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call(ctx, s, v.Handle, "ApplyPatches", `[[{"qOp":"replace","qPath":"/qDefinition","qValue":"\"=40+2\""}]]`, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Method: "GetAppLayout", Action: emulator.FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	_, _ = call(ctx, s, doc.Handle, "GetAppLayout", `[]`, nil)
	deadline := time.Now().Add(5 * time.Second)
	for emu.SessionCount() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the emulator kept the session")
		}
		time.Sleep(5 * time.Millisecond)
	}
	type outcome struct {
		layout kpiLayout
		err    error
	}
	for !ev.has(qixcore.EventReconnecting) {
		time.Sleep(5 * time.Millisecond)
	}
	// Made during the outage: it waits for the resume.
	queued := make(chan outcome, 1)
	go func() {
		var l kpiLayout
		_, err := call(ctx, s, obj.Handle, "GetLayout", `[]`, &l)
		queued <- outcome{l, err}
	}()
	s.Nudge()
	o := <-queued
	if o.err != nil || o.layout.Total != 228 || o.layout.QInfo.QID != objID {
		t.Fatalf("recreated object layout = %+v %v (want 228 under id %s)", o.layout, o.err, objID)
	}
	var props struct {
		QDefinition string `json:"qDefinition"`
		QName       string `json:"qName"`
	}
	if _, err := call(ctx, s, v.Handle, "GetProperties", `[]`, &props); err != nil || props.QDefinition != "=40+2" || props.QName != "vSess" {
		t.Fatalf("recreated variable = %+v %v", props, err)
	}
	if got, ok := s.Registry().Get(obj.Handle); !ok || got != obj {
		t.Fatal("the session object lost its identity")
	}
}

func TestEmulatorAutoResumeNotOnDoNotRetryClose(t *testing.T) {
	emu, base := startEmulator(t)
	id := uniq(t)
	s, _, ev := openDemo(t, base+"/app/Demo/identity/"+id, qixcore.SessionOptions{
		AutoResume: qixcore.AutoResume{Enabled: true, MinDelay: time.Millisecond, MaxDelay: time.Millisecond},
	})
	if _, err := emu.AddFault(emulator.FaultSpec{Match: id, Action: emulator.FaultClose, Code: 4203, Reason: "no"}); err != nil {
		t.Fatal(err)
	}
	<-s.Conn().Done()
	deadline := time.Now().Add(5 * time.Second)
	for s.State() != qixcore.StateClosed {
		if time.Now().After(deadline) {
			t.Fatalf("state %v after close 4203", s.State())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if ev.has(qixcore.EventReconnecting) {
		t.Fatal("reconnected after 4203")
	}
	_, err := call(context.Background(), s, -1, "EngineVersion", `[]`, nil)
	var ce *qixcore.CloseError
	if err == nil || (!errors.As(err, &ce) && !errors.Is(err, qixcore.ErrClosed)) {
		t.Fatalf("call after the close = %v", err)
	}
}
