package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzServePath sends arbitrary request paths through the dev server: it
// must never panic or fail with 5xx, never serve a file outside web/,
// jsbridge/, build/ or node_modules/ nor a hidden one, and always send its
// security headers. cleanRel, the path cleaner every file lookup starts
// from, must return a relative path without dot or hidden segments.
// Seeds: testdata/fuzz/FuzzServePath.
//
//	go test ./cmd/devserver -run '^$' -fuzz FuzzServePath -fuzztime 30s
func FuzzServePath(f *testing.F) {
	fx := newFixture(f)
	fx.cfg.Logf = func(string, ...any) {}
	for name, content := range map[string]string{
		"secret.txt":           "OUTSIDE-SECRET",
		"web/sub/.env":         "HIDDEN-ENV",
		"node_modules/.bin/x":  "HIDDEN-BIN",
		"jsbridge/.hidden.js":  "HIDDEN-BRIDGE",
		"node_modules/leak.js": "NODE-MODULES-ROOT",
	} {
		p := filepath.Join(fx.root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	h := fx.handler()
	f.Fuzz(func(t *testing.T, target string) {
		if rel, ok := cleanRel(target); ok {
			if strings.HasPrefix(rel, "/") || path.Clean("/"+rel) != "/"+rel && rel != "" {
				t.Fatalf("cleanRel(%q) = %q: not clean", target, rel)
			}
			for _, seg := range strings.Split(rel, "/") {
				if seg == ".." || strings.HasPrefix(seg, ".") {
					t.Fatalf("cleanRel(%q) = %q keeps segment %q", target, rel, seg)
				}
			}
		}
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Host != "" || u.Scheme != "" {
			return // net/http refuses such request lines itself
		}
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080/", nil)
		req.URL, req.RequestURI = u, target
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %q: %d %s", target, rec.Code, rec.Body.String())
		}
		body := rec.Body.String()
		for _, s := range []string{"OUTSIDE-SECRET", "HIDDEN-ENV", "HIDDEN-BIN", "HIDDEN-BRIDGE", "NODE-MODULES-ROOT"} {
			// Redirects and the emulator echo the path: a path naming the
			// marker proves nothing.
			if strings.Contains(body, s) && !strings.Contains(u.Path+target, s) {
				t.Fatalf("GET %q served %s", target, s)
			}
		}
		if rec.Header().Get("Content-Security-Policy") != ContentSecurityPolicy || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("GET %q: security headers missing", target)
		}
	})
}
