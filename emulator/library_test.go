package emulator

import (
	"errors"
	"testing"

	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

func TestEmptyLibrary(t *testing.T) {
	var l Library = emptyLibrary{}
	if l.Exists("Sales") {
		t.Fatal("empty library has Sales")
	}
	_, err := l.Open("Sales")
	var e *engine.Error
	if !errors.As(err, &e) || e.Code != 1003 || e.Parameter != "Sales" || e.Message != "App not found" {
		t.Fatalf("open: %v", err)
	}
	if _, err := l.NewSessionApp("SessionApp_x", ""); err == nil {
		t.Fatal("session app from empty library")
	}
}

func TestOrNotFound(t *testing.T) {
	var e *engine.Error
	if err := orNotFound(nil, "x"); !errors.As(err, &e) || e.Code != 1003 {
		t.Fatalf("%v", err)
	}
	boom := errors.New("boom")
	if err := orNotFound(boom, "x"); err != boom {
		t.Fatalf("%v", err)
	}
}

func TestDefaultLibraryIsTheEngine(t *testing.T) {
	lib := defaultLibrary("", NoReloadPace)
	if !lib.Exists("Sales") || !lib.Exists("Demo") {
		t.Fatal("sample apps missing")
	}
	d, err := lib.Open("Demo")
	if err != nil || d.Type() != "Doc" {
		t.Fatalf("open Demo: %v", err)
	}
	d.Close()
	if _, err := lib.Open("nope"); err == nil {
		t.Fatal("unknown app opened")
	}
}
