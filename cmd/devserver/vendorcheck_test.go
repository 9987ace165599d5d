package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestMissingVendor(t *testing.T) {
	dir := t.TempDir()
	if got := missingVendor(dir); len(got) != len(vendorAliases) {
		t.Fatalf("empty node_modules: missing %v, want all %d aliases", got, len(vendorAliases))
	}
	for name, rel := range vendorAliases {
		if name == "enigma.min.js" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := missingVendor(dir), []string{"enigma.min.js"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("missing %v, want %v", got, want)
	}
}
