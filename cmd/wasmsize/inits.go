package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// isInit reports whether a name-section name is a package initialiser:
// pkg.init, pkg.init.N (init functions) or pkg.map.init.N (map literals
// the compiler outlined). They run before main on every start, and in
// Chromium each is compiled on that first call (docs/SIZE.md, start-up).
// Methods named init (runtime.(*mheap).init) and closures made by
// initialisers (pkg.init.func1, many of which only run later) are not.
func isInit(ix *packageIndex, name string) bool {
	pkg := sanitize(ix.packageOf(name))
	if !strings.HasPrefix(name, pkg+".") {
		return false
	}
	rest := strings.TrimPrefix(name[len(pkg)+1:], "map.")
	if rest == "init" {
		return true
	}
	n, ok := strings.CutPrefix(rest, "init.")
	if !ok || n == "" {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// writeInits lists the package initialisers by body size, largest first,
// with their total.
func writeInits(w io.Writer, m *module, ix *packageIndex) {
	var fs []function
	total := 0
	for _, f := range m.functions {
		if isInit(ix, f.name) {
			fs = append(fs, f)
			total += f.size
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].size > fs[j].size })
	fmt.Fprintf(w, "\npackage initialisers (%d functions, %d bytes; run before main)\n", len(fs), total)
	for _, f := range fs {
		fmt.Fprintf(w, "%10d  %s\n", f.size, f.name)
	}
}
