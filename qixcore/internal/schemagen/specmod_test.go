package main

import (
	"os"
	"strings"
	"testing"
)

// specModule is the module go:generate in qixcore/schema.go names.
const specModule = "github.com/qlik-oss/enigma-go/v4"

func TestParseModuleInfo(t *testing.T) {
	info, err := parseModuleInfo([]byte(`{"Path": "example.com/m", "Version": "v1.2.0", "Dir": "/cache/example.com/m@v1.2.0"}`))
	if err != nil {
		t.Fatal(err)
	}
	if info.Path != "example.com/m" || info.Version != "v1.2.0" || info.Dir != "/cache/example.com/m@v1.2.0" {
		t.Errorf("got %+v", info)
	}
	if _, err := parseModuleInfo([]byte("go: not a module")); err == nil {
		t.Error("want error for non-JSON output")
	}
}

// TestLocateSpec finds the specification in the module go.mod requires;
// the module is in the cache once `go mod download` (or any build of the
// tests that import it) has run.
func TestLocateSpec(t *testing.T) {
	file, source, err := locateSpec(specModule)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(source, specModule+"@v") {
		t.Errorf("source = %q, want %s@version", source, specModule)
	}
	if _, err := os.Stat(file); err != nil {
		t.Errorf("spec file: %v", err)
	}
	if _, _, err := locateSpec("example.com/not-required"); err == nil {
		t.Error("want error for a module go.mod does not require")
	}
}
