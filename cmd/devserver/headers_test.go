package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	f := newFixture(t)
	f.writeWasm(t, "raw")
	h := f.handler()
	for _, c := range []struct {
		method, target string
		hdr            map[string]string
		status         int
	}{
		{"GET", "/", nil, 200},
		{"GET", "/embed", nil, 200},
		{"GET", "/app.mjs", nil, 200},
		{"GET", "/qix.js", nil, 200},
		{"GET", "/qix-worker.js", nil, 200},
		{"GET", "/wasm_exec.js", nil, 200},
		{"GET", "/qix.wasm", nil, 200},
		{"GET", "/vendor/enigma.js", nil, 200},
		{"GET", BlankPath, nil, 200},
		{"HEAD", "/", nil, 200},
		{"GET", "/sub", nil, http.StatusMovedPermanently},
		{"GET", "/nope.js", nil, 404},
		{"GET", "/.secret", nil, 404},
		{"POST", "/", nil, 405},
		{"GET", "/app/Demo", nil, 200}, // the fixture's emulator
		{"GET", "/", map[string]string{"Host": "evil.example"}, http.StatusMisdirectedRequest},
	} {
		rec := do(t, h, c.method, c.target, c.hdr)
		if rec.Code != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.target, rec.Code, c.status)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("%s %s: CSP %q", c.method, c.target, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options %q", c.method, c.target, got)
		}
		if got := rec.Header().Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("%s %s: Referrer-Policy %q", c.method, c.target, got)
		}
	}
}

// directives parses a CSP into directive -> sources.
func directives(csp string) map[string][]string {
	out := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		if len(f) > 0 {
			out[f[0]] = f[1:]
		}
	}
	return out
}

func TestPolicyKeepsThePagesWorking(t *testing.T) {
	d := directives(ContentSecurityPolicy)
	if got := strings.Join(d["script-src"], " "); got != "'self' 'wasm-unsafe-eval'" {
		t.Errorf("script-src %q: the pages' own meta policy is 'self' 'wasm-unsafe-eval'", got)
	}
	for _, want := range []string{"'self'", "ws:", "wss:", "https:"} {
		if !strings.Contains(" "+strings.Join(d["connect-src"], " ")+" ", " "+want+" ") {
			t.Errorf("connect-src lacks %s (fetch of the wasm, WebSockets to the emulator and to engines, CSRF tokens of real engines)", want)
		}
	}
	if !strings.Contains(strings.Join(d["worker-src"], " "), "'self'") {
		t.Error("worker-src must allow the module worker qix-worker.js")
	}
	if !strings.Contains(strings.Join(d["style-src"], " "), "'unsafe-inline'") {
		t.Error("style-src must allow style attributes set by the charts")
	}
	for _, bad := range []string{"'unsafe-eval'", "'unsafe-inline'"} {
		if strings.Contains(strings.Join(d["script-src"], " "), bad) {
			t.Errorf("script-src allows %s", bad)
		}
	}
}

// TestRealPagesFitThePolicy reads the repository's pages and scripts for
// what script-src 'self' would block: inline scripts, inline event
// handlers, javascript: URLs, scripts from other origins, eval.
func TestRealPagesFitThePolicy(t *testing.T) {
	root := findRoot()
	pages, _ := filepath.Glob(filepath.Join(root, "web", "*.html"))
	if len(pages) == 0 {
		t.Fatalf("no pages under %s/web", root)
	}
	scriptTag := regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	handler := regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
	meta := regexp.MustCompile(`(?i)http-equiv="Content-Security-Policy"\s+content="([^"]*)"`)
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
			attrs, body := m[1], strings.TrimSpace(m[2])
			if !strings.Contains(attrs, "src=") {
				if body != "" {
					t.Errorf("%s: inline <script> is blocked by script-src 'self'", filepath.Base(p))
				}
				continue
			}
			if strings.Contains(attrs, "//") {
				t.Errorf("%s: script from another origin: %s", filepath.Base(p), attrs)
			}
		}
		if handler.MatchString(html) || strings.Contains(strings.ToLower(html), "javascript:") {
			t.Errorf("%s: inline event handler or javascript: URL is blocked by script-src 'self'", filepath.Base(p))
		}
		if m := meta.FindStringSubmatch(html); m != nil {
			if got := strings.Join(directives(m[1])["script-src"], " "); got != strings.Join(directives(ContentSecurityPolicy)["script-src"], " ") {
				t.Errorf("%s: meta script-src %q differs from the header's", filepath.Base(p), got)
			}
		}
	}
	var scripts []string
	for _, g := range []string{"web/*.js", "web/lib/*.js", "jsbridge/*.js"} {
		m, _ := filepath.Glob(filepath.Join(root, g))
		scripts = append(scripts, m...)
	}
	evalish := regexp.MustCompile(`\beval\(|new Function\(|setTimeout\(\s*['"]`)
	for _, p := range scripts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if loc := evalish.FindIndex(b); loc != nil {
			t.Errorf("%s: %q needs 'unsafe-eval'", p, b[loc[0]:loc[1]])
		}
	}
}

func TestEmulatorOriginChecksThroughDevServer(t *testing.T) {
	f := newFixture(t)
	emu := emulator.New(emulator.Config{AllowedOrigins: []string{"https://app.example.com"}, Logf: t.Logf})
	t.Cleanup(func() { emu.Close() })
	f.cfg.Emulator = emu
	hs := httptest.NewServer(f.handler())
	t.Cleanup(hs.Close)
	ws := "ws" + strings.TrimPrefix(hs.URL, "http") + "/app/engineData"
	for origin, ok := range map[string]bool{
		hs.URL:                    true, // the dev server's own pages
		"https://app.example.com": true, // -allow-origin
		"https://evil.example":    false,
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, resp, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}})
		cancel()
		if ok != (err == nil) {
			t.Errorf("Origin %s: err %v", origin, err)
		}
		if resp != nil && resp.Header.Get("Content-Security-Policy") != ContentSecurityPolicy {
			t.Errorf("Origin %s: %d response without the CSP", origin, resp.StatusCode)
		}
		if err == nil {
			c.CloseNow()
		} else if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("Origin %s: want 403, got %v", origin, resp)
		}
	}
	// The fault admin refuses a cross-site POST.
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/_emulator/faults", strings.NewReader(`{"action":"drop"}`))
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(emu.Faults()) != 0 {
		t.Fatalf("cross-site admin POST: %d, faults %v", resp.StatusCode, emu.Faults())
	}
}

func TestAllowOriginFlag(t *testing.T) {
	var l originList
	_ = l.Set("https://a.example, *.b.example")
	_ = l.Set("null")
	if l.String() != "https://a.example,*.b.example,null" {
		t.Fatalf("%q", l.String())
	}
}
