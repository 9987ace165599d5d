package main

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/jsbundle"
)

// bundleFixture is the fake repository with a page module that imports
// another and Config.Bundle on.
func bundleFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.cfg.Bundle = true
	for name, content := range map[string]string{
		"jsbridge/qix.js":        "import { boot } from './qix-boot.js';\nexport function connect() { return boot(new URL('./qix-worker.js', import.meta.url)); }\n",
		"jsbridge/qix-boot.js":   "export async function boot(u) { if (!globalThis.Go) await import('./wasm_exec.js'); return 'booted ' + u; }\n",
		"jsbridge/qix-worker.js": "import { boot } from './qix-boot.js';\nself.onmessage = () => boot('worker');\n",
		"jsbridge/qix-auth.js":   "export const auth = 'separate';\n",
		"build/wasm_exec.js":     "globalThis.Go = class { marker() { return 'go-runtime'; } };\n",
	} {
		if err := os.WriteFile(filepath.Join(f.root, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestBundlesServed(t *testing.T) {
	f := bundleFixture(t)
	h := f.handler()

	page := do(t, h, "GET", "/qix.js", nil)
	body := page.Body.String()
	if page.Code != 200 || page.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("/qix.js: %d %s", page.Code, page.Header().Get("Content-Type"))
	}
	if strings.Contains(body, "./qix-boot.js") || !strings.Contains(body, "booted") || !strings.HasSuffix(strings.TrimSpace(body), "//# sourceMappingURL=qix.js.map") {
		t.Errorf("/qix.js is not the bundle: %s", body)
	}
	if !strings.Contains(body, `import("./wasm_exec.js")`) {
		t.Errorf("/qix.js should leave wasm_exec.js to main-thread mode's import: %s", body)
	}
	if cc := page.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	if page.Header().Get("Content-Security-Policy") == "" {
		t.Error("the bundle lacks the security headers")
	}

	worker := do(t, h, "GET", "/qix-worker.js", nil).Body.String()
	if strings.Contains(worker, "import") || !strings.Contains(worker, "go-runtime") {
		t.Errorf("/qix-worker.js is not one file holding wasm_exec.js: %s", worker)
	}

	m := do(t, h, "GET", "/qix.js.map", nil)
	var sm struct {
		Sources []string `json:"sources"`
	}
	if m.Code != 200 || m.Header().Get("Content-Type") != "application/json" || json.Unmarshal(m.Body.Bytes(), &sm) != nil {
		t.Fatalf("/qix.js.map: %d %s %.80s", m.Code, m.Header().Get("Content-Type"), m.Body.String())
	}
	if strings.Join(sm.Sources, " ") != "../qix-boot.js ../qix.js" {
		t.Errorf("/qix.js.map sources %v", sm.Sources)
	}
	if do(t, h, "GET", "/qix-worker.js.map", nil).Code != 200 {
		t.Error("/qix-worker.js.map is not served")
	}

	// The other modules are served as they are.
	for path, want := range map[string]string{"/qix-auth.js": "export const auth = 'separate';", "/qix-boot.js": "export async function boot"} {
		if got := do(t, h, "GET", path, nil).Body.String(); !strings.HasPrefix(got, want) {
			t.Errorf("%s: %q, want the module as it is", path, got)
		}
	}

	// Revalidation: the same bundle answers 304.
	rec := do(t, h, "GET", "/qix.js", map[string]string{"If-None-Match": page.Header().Get("ETag")})
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match of the current bundle: %d, want 304", rec.Code)
	}
	if rec := do(t, h, "HEAD", "/qix.js", nil); rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD /qix.js: %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
}

func TestBundleRebuiltAfterAnEdit(t *testing.T) {
	f := bundleFixture(t)
	h := f.handler()
	before := do(t, h, "GET", "/qix-worker.js", nil)
	name := filepath.Join(f.root, "jsbridge", "qix-boot.js")
	if err := os.WriteFile(name, []byte("export async function boot(u) { return 'edited ' + u; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(name, later, later)
	after := do(t, h, "GET", "/qix-worker.js", map[string]string{"If-None-Match": before.Header().Get("ETag")})
	if after.Code != 200 || !strings.Contains(after.Body.String(), "edited") {
		t.Errorf("after editing qix-boot.js: %d %s", after.Code, after.Body.String())
	}
	if !strings.Contains(do(t, h, "GET", "/qix.js", nil).Body.String(), "edited") {
		t.Error("the page bundle missed the edit")
	}
}

func TestBundleErrorAndNoBundle(t *testing.T) {
	f := bundleFixture(t)
	if err := os.WriteFile(filepath.Join(f.root, "jsbridge", "qix-boot.js"), []byte("export const = ;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := do(t, f.handler(), "GET", "/qix.js", nil)
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "qix-boot.js") {
		t.Errorf("a broken module: %d %s, want 500 naming it", rec.Code, rec.Body.String())
	}

	f.cfg.Bundle = false
	h := f.handler()
	if got := do(t, h, "GET", "/qix.js", nil).Body.String(); !strings.HasPrefix(got, "import { boot } from './qix-boot.js';") {
		t.Errorf("without Bundle /qix.js is %q, want the module as it is", got)
	}
	if rec := do(t, h, "GET", "/qix.js.map", nil); rec.Code != http.StatusNotFound {
		t.Errorf("without Bundle /qix.js.map: %d, want 404", rec.Code)
	}
}

// TestPagesImportNoModuleOfTheBundle guards against two copies of one
// module's state: /qix.js is a bundle holding its own copy of qix-errors.js,
// qix-patch.js and the rest, so a page that imported one of them besides
// /qix.js would get another copy (errors that fail instanceof, a second
// delta cache). Pages and browser tests import /qix.js, and /qix-auth.js,
// which shares no module with it.
func TestPagesImportNoModuleOfTheBundle(t *testing.T) {
	res, err := jsbundle.Build(jsbundle.Options{Bridge: "../../jsbridge", WasmExec: "../../internal/jsbundle/testdata/wasm_exec.js"})
	if err != nil {
		t.Fatal(err)
	}
	inBundle := map[string]bool{}
	for _, in := range res.Inputs {
		inBundle[filepath.Base(in)] = true
	}
	if !inBundle["qix-errors.js"] || inBundle["qix-auth.js"] || inBundle["qix-redact.js"] {
		t.Fatalf("unexpected bundle inputs %v", res.Inputs)
	}
	ref := regexp.MustCompile(`['"\x60]/(qix[\w-]*\.js)['"\x60]`)
	checked := 0
	for _, dir := range []string{"../../web", "../../playwright"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".html")) {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			checked++
			for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
				if name := m[1]; inBundle[name] && name != "qix.js" {
					t.Errorf("%s loads /%s, which /qix.js bundles: import it from /qix.js (or export it there)", p, name)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}
