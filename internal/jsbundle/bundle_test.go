package jsbundle

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const fakeExec = "testdata/wasm_exec.js"

func buildBridge(t *testing.T, o Options) Result {
	t.Helper()
	if o.Bridge == "" {
		o.Bridge = "../../jsbridge"
	}
	if o.WasmExec == "" {
		o.WasmExec = fakeExec
	}
	res, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// staticImport finds an import or export-from statement: what a bundle
// must not hold (import(…) and import.meta are expressions, not fetches
// of their own unless named below).
var staticImport = regexp.MustCompile(`\bimport\s*[{*"'\x60]|\bimport\s+[\w$]+\s*(,|from)|\bfrom\s*["']\.`)

func file(t *testing.T, res Result, name string) string {
	t.Helper()
	f := res.File(name)
	if f == nil {
		t.Fatalf("no %s in the build; have %v", name, names(res))
	}
	return string(f.Contents)
}

func names(res Result) []string {
	var n []string
	for _, f := range res.Files {
		n = append(n, f.Name)
	}
	return n
}

func TestBuildBridgeIsTwoFilesWithMaps(t *testing.T) {
	res := buildBridge(t, Options{})
	if got := len(res.Files); got != 4 {
		t.Fatalf("files %v, want qix.js, qix-worker.js and their maps", names(res))
	}
	page, worker := file(t, res, "qix.js"), file(t, res, "qix-worker.js")
	for name, src := range map[string]string{"qix.js": page, "qix-worker.js": worker} {
		if m := staticImport.FindString(src); m != "" {
			t.Errorf("%s still imports: %q", name, m)
		}
		if !strings.HasSuffix(strings.TrimSpace(src), "//# sourceMappingURL="+name+".map") {
			t.Errorf("%s does not link its source map; ends %q", name, src[max(0, len(src)-80):])
		}
		if strings.Count(src, "\n") > 5 {
			t.Errorf("%s is not minified: %d lines", name, strings.Count(src, "\n"))
		}
	}
	// The page exports the module's API and loads the worker bundle.
	for _, want := range []string{`new URL("./qix-worker.js",import.meta.url)`, `new URL("./qix.wasm",import.meta.url)`, " as create", " as errorCodes"} {
		if !strings.Contains(page, want) {
			t.Errorf("qix.js lacks %q", want)
		}
	}
	// The worker holds wasm_exec.js: no fetch before Go starts.
	if strings.Contains(worker, "import(") {
		t.Error("qix-worker.js still imports something dynamically")
	}
	if !strings.Contains(worker, "fake-wasm-exec") {
		t.Error("qix-worker.js does not include wasm_exec.js")
	}
	if regexp.MustCompile(`\bexport\s*\{`).MatchString(worker) {
		t.Error("qix-worker.js exports something")
	}
	// The page leaves wasm_exec.js to main-thread mode's dynamic import.
	if got := strings.Count(page, `import("./wasm_exec.js")`); got != 1 {
		t.Errorf(`qix.js has %d import("./wasm_exec.js"), want 1`, got)
	}
	if strings.Contains(page, "fake-wasm-exec") {
		t.Error("qix.js includes wasm_exec.js without PageWasmExec")
	}

	var m struct {
		Version        int      `json:"version"`
		Sources        []string `json:"sources"`
		SourcesContent []string `json:"sourcesContent"`
	}
	if err := json.Unmarshal([]byte(file(t, res, "qix.js.map")), &m); err != nil {
		t.Fatalf("qix.js.map: %v", err)
	}
	if m.Version != 3 || len(m.SourcesContent) != len(m.Sources) {
		t.Errorf("qix.js.map: version %d, %d sources, %d contents", m.Version, len(m.Sources), len(m.SourcesContent))
	}
	for _, want := range []string{"../qix.js", "../qix-backend.js", "../qix-boot.js", "../qix-errors.js"} {
		if !contains(m.Sources, want) {
			t.Errorf("qix.js.map sources %v lack %s", m.Sources, want)
		}
	}
	if err := json.Unmarshal([]byte(file(t, res, "qix-worker.js.map")), &m); err != nil {
		t.Fatalf("qix-worker.js.map: %v", err)
	}
	if !contains(m.Sources, "../qix-worker.js") || !contains(m.Sources, "../qix-socket.js") {
		t.Errorf("qix-worker.js.map sources %v", m.Sources)
	}

	// Inputs: every module of both graphs and wasm_exec.js, absolute.
	exec, _ := filepath.Abs(fakeExec)
	bridge, _ := filepath.Abs("../../jsbridge")
	for _, want := range []string{exec, filepath.Join(bridge, "qix.js"), filepath.Join(bridge, "qix-worker.js"), filepath.Join(bridge, "qix-patch.js")} {
		if !contains(res.Inputs, want) {
			t.Errorf("inputs %v lack %s", res.Inputs, want)
		}
	}
	if contains(res.Inputs, filepath.Join(bridge, "qix-auth.js")) {
		t.Error("qix-auth.js is bundled: pages import it on its own")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestBuildNamesThePackageBundles(t *testing.T) {
	res := buildBridge(t, Options{PageName: "qix.bundle.js", WorkerName: "qix-worker.bundle.js"})
	page := file(t, res, "qix.bundle.js")
	if !strings.Contains(page, `new URL("./qix-worker.bundle.js",import.meta.url)`) {
		t.Error("the page bundle does not load the worker bundle")
	}
	if !strings.HasSuffix(strings.TrimSpace(page), "sourceMappingURL=qix.bundle.js.map") {
		t.Error("the page bundle does not link qix.bundle.js.map")
	}
	file(t, res, "qix-worker.bundle.js")
	file(t, res, "qix-worker.bundle.js.map")
}

func TestBuildPageWasmExec(t *testing.T) {
	res := buildBridge(t, Options{PageWasmExec: true})
	page := file(t, res, "qix.js")
	if strings.Contains(page, "import(") || !strings.Contains(page, "fake-wasm-exec") {
		t.Error("with PageWasmExec the page bundle must hold wasm_exec.js and import nothing")
	}
}

func TestBuildErrors(t *testing.T) {
	dir := copyBridge(t)
	write(t, filepath.Join(dir, "qix-url.js"), "export const buildUrl = (;\n")
	_, err := Build(Options{Bridge: dir, WasmExec: fakeExec})
	if err == nil || !strings.Contains(err.Error(), "qix-url.js") {
		t.Errorf("a syntax error: err %v, want one naming qix-url.js", err)
	}
	_, err = Build(Options{Bridge: "../../jsbridge", WasmExec: filepath.Join(t.TempDir(), "wasm_exec.js")})
	if err == nil || !strings.Contains(err.Error(), "wasm_exec.js") {
		t.Errorf("no wasm_exec.js: err %v", err)
	}
}

func TestRewriteWorkerURL(t *testing.T) {
	src := "a(new URL('./qix-worker.js', import.meta.url)); b(new URL(\"./qix-worker.js\", import.meta.url)); new URL('./qix.wasm', import.meta.url)"
	out, n := rewriteWorkerURL(src, "w.js")
	if n != 2 || strings.Contains(out, "qix-worker.js") || !strings.Contains(out, "new URL('./w.js', import.meta.url)") || !strings.Contains(out, `new URL("./w.js", import.meta.url)`) {
		t.Errorf("rewrite: %d, %s", n, out)
	}
}

// copyBridge copies jsbridge/'s .js files into a temporary folder.
func copyBridge(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir("../../jsbridge")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".js") {
			b, err := os.ReadFile(filepath.Join("../../jsbridge", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			write(t, filepath.Join(dir, e.Name()), string(b))
		}
	}
	return dir
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
