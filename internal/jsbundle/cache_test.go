package jsbundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appendTo appends to a file and moves its modification time on, so the
// change shows even on a file system with coarse timestamps.
func appendTo(t *testing.T, name, text string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	write(t, name, string(b)+text)
	later := time.Now().Add(2 * time.Second)
	if err := os.Chtimes(name, later, later); err != nil {
		t.Fatal(err)
	}
}

func TestCacheBuildsOnceAndAgainAfterAChange(t *testing.T) {
	dir := copyBridge(t)
	exec := filepath.Join(t.TempDir(), "wasm_exec.js")
	b, err := os.ReadFile(fakeExec)
	if err != nil {
		t.Fatal(err)
	}
	write(t, exec, string(b))
	c := NewCache(Options{Bridge: dir, WasmExec: exec})

	get := func(name string) string {
		t.Helper()
		res, err := c.Get()
		if err != nil {
			t.Fatal(err)
		}
		return file(t, *res, name)
	}
	first := get("qix.js")
	get("qix-worker.js")
	if n := c.Builds(); n != 1 {
		t.Fatalf("two gets without a change built %d times", n)
	}

	// A module of the page's graph.
	appendTo(t, filepath.Join(dir, "qix-url.js"), "\nconsole.info('edited-url-module');\n")
	if page := get("qix.js"); page == first || !strings.Contains(page, "edited-url-module") {
		t.Error("an edit of qix-url.js did not show in the page bundle")
	}
	if n := c.Builds(); n != 2 {
		t.Errorf("builds %d after one edit, want 2", n)
	}
	// A module only the worker imports.
	appendTo(t, filepath.Join(dir, "qix-relay.js"), "\nconsole.info('edited-relay-module');\n")
	if !strings.Contains(get("qix-worker.js"), "edited-relay-module") {
		t.Error("an edit of qix-relay.js did not show in the worker bundle")
	}
	// wasm_exec.js (a new Go version).
	appendTo(t, exec, "\nconsole.info('new-go-version');\n")
	if !strings.Contains(get("qix-worker.js"), "new-go-version") {
		t.Error("a new wasm_exec.js did not show in the worker bundle")
	}

	// A syntax error is reported (once per edit), then a fix recovers.
	appendTo(t, filepath.Join(dir, "qix-url.js"), "\nexport const broken = (;\n")
	builds := c.Builds()
	for i := 0; i < 2; i++ {
		if _, err := c.Get(); err == nil || !strings.Contains(err.Error(), "qix-url.js") {
			t.Fatalf("a broken module: err %v", err)
		}
	}
	if n := c.Builds(); n != builds+1 {
		t.Errorf("a broken module was bundled %d times, want once", n-builds)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "qix-url.js"))
	write(t, filepath.Join(dir, "qix-url.js"), strings.Replace(string(src), "export const broken = (;", "", 1))
	later := time.Now().Add(4 * time.Second)
	os.Chtimes(filepath.Join(dir, "qix-url.js"), later, later)
	if _, err := c.Get(); err != nil {
		t.Errorf("after the fix: %v", err)
	}
}
