package engine

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLibraryDelete: a deleted app leaves the doc list and its file; an
// open app is refused with 1002 and an unknown one with 1003.
func TestLibraryDelete(t *testing.T) {
	dir := t.TempDir()
	l := NewLibrary("")
	if err := l.Persist(dir); err != nil {
		t.Fatal(err)
	}
	if err := l.Create("Scratch"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "apps", "Scratch.qvf.json")
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("CreateApp wrote no file: %v", err)
	}

	d, err := l.Open("scratch")
	if err != nil {
		t.Fatal(err)
	}
	var e *Error
	if err := l.Delete("Scratch"); !errors.As(err, &e) || e.Code != 1002 {
		t.Fatalf("deleting an open app: %v", err)
	}
	d.Close()
	if err := l.Delete("Scratch"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if l.Exists("Scratch") {
		t.Errorf("the deleted app still exists")
	}
	for _, e := range l.DocList() {
		if e.DocName == "Scratch" {
			t.Errorf("the deleted app is still in the doc list")
		}
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the app's file is still there: %v", err)
	}
	if _, err := l.Open("Scratch"); !errors.As(err, &e) || e.Code != 1003 {
		t.Errorf("opening the deleted app: %v", err)
	}
	if err := l.Delete("Scratch"); !errors.As(err, &e) || e.Code != 1003 {
		t.Errorf("deleting it again: %v", err)
	}
	if err := l.Create("Scratch"); err != nil {
		t.Errorf("the name is not free again: %v", err)
	}
}
