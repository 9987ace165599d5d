package main

import (
	"regexp"
	"sort"
	"strings"
)

// The Go linker writes function names into the wasm name section with every
// character outside [A-Za-z0-9_.] replaced by '_' (cmd/link/internal/wasm),
// so "github.com/coder/websocket.(*Conn).Read" arrives as
// "github.com_coder_websocket.__Conn_.Read" and the package path cannot be
// cut from the name alone. A packages list (go list -deps of the main
// package, same GOOS/GOARCH) makes the cut exact.
var unsafeChars = regexp.MustCompile(`[^\w.]`)

// sanitize spells an import path as the linker spells it in the name section.
func sanitize(path string) string { return unsafeChars.ReplaceAllString(path, "_") }

// packageIndex maps sanitized name prefixes back to import paths.
type packageIndex struct {
	prefixes []string          // sanitized paths, longest first
	paths    map[string]string // sanitized → import path
}

func newPackageIndex(paths []string) *packageIndex {
	ix := &packageIndex{paths: map[string]string{}}
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		s := sanitize(p)
		if _, dup := ix.paths[s]; !dup {
			ix.prefixes = append(ix.prefixes, s)
		}
		ix.paths[s] = p
	}
	sort.Slice(ix.prefixes, func(i, j int) bool {
		if len(ix.prefixes[i]) != len(ix.prefixes[j]) {
			return len(ix.prefixes[i]) > len(ix.prefixes[j])
		}
		return ix.prefixes[i] < ix.prefixes[j]
	})
	return ix
}

// domainPrefix matches a sanitized import path that starts with a host name
// ("github.com_", "golang.org_"), whose first dot is not the package's.
var domainPrefix = regexp.MustCompile(`^(vendor_)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|in|dev)_`)

// packageOf returns the Go package a name-section symbol belongs to.
// Compiler-generated type functions ("type:.eq.T", spelled "type_.eq.T")
// go to "type:"; names without a package (the linker's assembly helpers
// such as "wasm_pc_f_loop") to "(linker)". With an index the longest known
// package wins; without one (or for a name it does not know) the cut is
// guessed: the first dot, past a leading host name.
func (ix *packageIndex) packageOf(sym string) string {
	switch {
	case sym == "":
		return "(unnamed)"
	case strings.HasPrefix(sym, "type_.") || strings.HasPrefix(sym, "type:"):
		return "type:"
	}
	if ix != nil {
		for _, p := range ix.prefixes {
			if strings.HasPrefix(sym, p) && len(sym) > len(p) && sym[len(p)] == '.' {
				return ix.paths[p]
			}
		}
	}
	if strings.HasPrefix(sym, "go_") { // "go:struct {…}" and other linker-made names
		return "go:"
	}
	start := 0
	if m := domainPrefix.FindStringIndex(sym); m != nil {
		start = m[1]
	}
	dot := strings.IndexByte(sym[start:], '.')
	if dot < 0 {
		return "(linker)"
	}
	return sym[:start+dot]
}
