//go:build !js

package qixcore

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBrowserBuildImports keeps what docs/SIZE.md removed out of qix.wasm:
// no package of ours in the GOOS=js build imports fmt (with the reflect it
// calls), encoding/json or easyjson (whose jlexer imports both); and only
// wasm/ imports syscall/js (qixcore and internal/ stay pure Go: on js the
// standard library's time and syscall reach it, nothing of ours).
func TestBrowserBuildImports(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the js build's packages")
	}
	cmd := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("failed to list the js build's packages: %v", err)
	}
	const ours = "github.com/qix-wasm/qix-wasm/"
	ourPkgs := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(pkg, ours) {
			continue
		}
		ourPkgs++
		for _, imp := range strings.Fields(imports) {
			if imp == "fmt" || imp == "reflect" || imp == "encoding/json" || strings.HasPrefix(imp, "github.com/mailru/easyjson") {
				t.Errorf("%s imports %s in the js build", pkg, imp)
			}
			if imp == "syscall/js" && pkg != ours+"wasm" {
				t.Errorf("%s imports syscall/js: browser glue belongs in wasm/", pkg)
			}
		}
	}
	if ourPkgs < 4 {
		t.Fatalf("listed only %d of our packages:\n%s", ourPkgs, out)
	}
}

// TestBrowserBuildStartupDeps keeps packages whose initialisers only cost
// start-up out of qix.wasm (docs/SIZE.md, start-up): os (Stdin/Stdout/
// Stderr set up through syscall's fs shim, io/fs, internal/poll), with
// runtime/debug and fmt that import it, and reflect (encoding/binary
// imports it). wasm/ takes no argv (its registration global has a fixed
// name) and writes stacks with runtime.Stack instead.
func TestBrowserBuildStartupDeps(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the js build's packages")
	}
	cmd := exec.Command(goCmd, "list", "-deps", "../wasm")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("failed to list the js build's packages: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("listed only %d packages:\n%s", len(deps), out)
	}
	for _, pkg := range deps {
		switch pkg {
		case "os", "runtime/debug", "fmt", "reflect", "encoding/binary", "io/fs", "internal/poll":
			t.Errorf("the js build links %s", pkg)
		}
	}
}
