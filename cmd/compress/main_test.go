package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

func testInput() []byte {
	r := rand.New(rand.NewSource(1))
	var b bytes.Buffer
	words := []string{"qix", "wasm", "engine", "hypercube", "\x00\x01\x02", "select"}
	for b.Len() < 20_000 {
		b.WriteString(words[r.Intn(len(words))])
		b.WriteByte(byte(r.Intn(256)))
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "x.wasm")
	data := testInput()
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := compressFile(src, src+".br", func(w io.Writer) io.WriteCloser { return newBrotli(w, 3) }); err != nil {
		t.Fatal(err)
	}
	if err := compressFile(src, src+".gz", newGzip); err != nil {
		t.Fatal(err)
	}

	brData, err := os.ReadFile(src + ".br")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(brData)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("brotli round trip differs")
	}
	if len(brData) >= len(data) {
		t.Errorf("brotli output not smaller: %d >= %d", len(brData), len(data))
	}

	gzData, err := os.ReadFile(src + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gzData))
	if err != nil {
		t.Fatal(err)
	}
	got, err = io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("gzip round trip differs")
	}

	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("unexpected files: %v", names)
	}
}

func TestMissingInput(t *testing.T) {
	dir := t.TempDir()
	err := compressFile(filepath.Join(dir, "nope"), filepath.Join(dir, "nope.br"), newGzip)
	if err == nil {
		t.Fatal("expected an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.br")); !os.IsNotExist(err) {
		t.Errorf("output exists after failure: %v", err)
	}
}
