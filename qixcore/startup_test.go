//go:build !js

package qixcore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoStartupTables keeps the js build's packages of ours free of work
// at package initialisation (docs/SIZE.md, start-up): a package-level
// variable must not be a map literal, a make, or the result of a function
// literal called at start-up. Such tables are built by code before main
// runs, on every page load; use a switch, data written out (like
// redact_class.go) or a sync.Once on first use instead.
func TestNoStartupTables(t *testing.T) {
	dirs := []string{".", "../wasm", "../internal/bridge", "../internal/errwrap", "../internal/jsonr", "../internal/jsonw"}
	checked := 0
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, spec := range g.Specs {
					for _, v := range spec.(*ast.ValueSpec).Values {
						if why := startupWork(v); why != "" {
							t.Errorf("%s: package-level %s runs at start-up", fset.Position(v.Pos()), why)
						}
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d files", checked)
	}
}

// startupWork names the start-up work in a package-level initialiser: a
// map literal, a make, or a called function literal ("" when none).
func startupWork(e ast.Expr) string {
	why := ""
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its body runs later, when called
		case *ast.CompositeLit:
			if _, ok := n.Type.(*ast.MapType); ok {
				why = "map literal"
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "make" {
				why = "make"
			}
			if _, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				why = "function literal call"
			}
		}
		return why == ""
	})
	return why
}
