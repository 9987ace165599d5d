package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesTheBundles(t *testing.T) {
	out := t.TempDir()
	if err := run([]string{"-bridge", "../../jsbridge", "-wasm-exec", "../../internal/jsbundle/testdata/wasm_exec.js", "-out", out}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"qix.bundle.js", "qix.bundle.js.map", "qix-worker.bundle.js", "qix-worker.bundle.js.map"} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v (%d B)", name, err, len(b))
		}
	}
	page, _ := os.ReadFile(filepath.Join(out, "qix.bundle.js"))
	if !strings.Contains(string(page), `"./qix-worker.bundle.js"`) {
		t.Error("qix.bundle.js does not load qix-worker.bundle.js")
	}
	m, _ := os.ReadFile(filepath.Join(out, "qix.bundle.js.map"))
	if !strings.Contains(string(m), `"qix-backend.js"`) {
		t.Errorf("qix.bundle.js.map does not name the package's qix-backend.js: %.200s", m)
	}
	if err := run([]string{"-bridge", t.TempDir(), "-wasm-exec", "../../internal/jsbundle/testdata/wasm_exec.js", "-out", out}); err == nil {
		t.Error("an empty bridge folder bundled")
	}
}
