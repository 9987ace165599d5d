package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCommittedFileIsCurrent fails when web/lib/secret-params.js is stale:
// run `go generate ./qixcore/`.
func TestCommittedFileIsCurrent(t *testing.T) {
	have, err := os.ReadFile("../../../web/lib/secret-params.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, Generate()) {
		t.Fatal("web/lib/secret-params.js is out of date: run go generate ./qixcore/")
	}
}

func TestGenerateListsOpenDoc(t *testing.T) {
	src := string(Generate())
	for _, want := range []string{"DO NOT EDIT", "  OpenDoc: Object.freeze([2]),\n", "  CreateDocEx: Object.freeze([2]),\n"} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
}
