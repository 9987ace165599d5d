package emulator

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestOriginAllowed(t *testing.T) {
	allowed := []string{"https://app.example.com", "*.corp.example", "tools.example.org:8443"}
	for _, c := range []struct {
		origin string // "" = no header
		host   string
		list   []string
		ok     bool
	}{
		{"", "127.0.0.1:9076", nil, true},
		{"http://127.0.0.1:8080", "127.0.0.1:9076", nil, true}, // another loopback page
		{"http://localhost:5173", "127.0.0.1:9076", nil, true},
		{"http://dev.localhost", "127.0.0.1:9076", nil, true},
		{"http://[::1]:3000", "127.0.0.1:9076", nil, true},
		{"https://qix.example.net", "qix.example.net", nil, true},     // same origin, default port
		{"https://qix.example.net", "qix.example.net:443", nil, true}, // same origin, explicit port
		{"http://qix.example.net:8080", "qix.example.net", nil, false},
		{"https://evil.example", "127.0.0.1:9076", nil, false},
		{"https://evil.example", "127.0.0.1:9076", allowed, false},
		{"https://app.example.com", "127.0.0.1:9076", allowed, true},
		{"HTTPS://APP.EXAMPLE.COM", "127.0.0.1:9076", allowed, true},
		{"http://app.example.com", "127.0.0.1:9076", allowed, false}, // scheme differs
		{"https://bi.corp.example", "127.0.0.1:9076", allowed, true},
		{"https://bi.corp.example:444", "127.0.0.1:9076", allowed, false},
		{"https://tools.example.org:8443", "127.0.0.1:9076", allowed, true},
		{"https://tools.example.org", "127.0.0.1:9076", allowed, false},
		{"null", "127.0.0.1:9076", allowed, false},
		{"null", "127.0.0.1:9076", []string{"null"}, true},
		{"https://evil.example", "127.0.0.1:9076", []string{"*"}, true},
		{"file://", "127.0.0.1:9076", nil, false},
		{"chrome-extension://abc", "127.0.0.1:9076", nil, false},
		{"http://127.0.0.1.evil.example", "127.0.0.1:9076", nil, false},
		{"http://localhost.evil.example", "127.0.0.1:9076", nil, false},
		{"%%%", "127.0.0.1:9076", nil, false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/app/", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		err := OriginAllowed(r, c.list)
		if (err == nil) != c.ok {
			t.Errorf("origin %q host %q list %v: err %v, want ok=%v", c.origin, c.host, c.list, err, c.ok)
		}
		if err != nil && !errors.Is(err, errOriginRefused) {
			t.Errorf("%q: error %v does not wrap errOriginRefused", c.origin, err)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/app/", nil)
	r.Header.Add("Origin", "http://127.0.0.1")
	r.Header.Add("Origin", "https://evil.example")
	if OriginAllowed(r, nil) == nil {
		t.Error("two Origin headers accepted")
	}
}

func TestWebSocketUpgradeFromForeignOriginRefused(t *testing.T) {
	_, hs := testServer(t, Config{AllowedOrigins: []string{"https://app.example.com"}})
	for origin, want := range map[string]bool{
		"https://evil.example":    false,
		"https://app.example.com": true,
		"http://localhost:8080":   true,
	} {
		c, err := tryDial(t, hs, "/app/", http.Header{"Origin": {origin}})
		if !want {
			if err == nil || !strings.Contains(err.Error(), "403") {
				t.Errorf("%s: dial err %v, want HTTP 403", origin, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", origin, err)
			continue
		}
		if m := c.next(2 * time.Second); m.Method != "OnConnected" {
			t.Errorf("%s: %s", origin, m.raw)
		}
	}
}

func TestAdminFromForeignOriginRefused(t *testing.T) {
	s, hs := testServer(t, Config{})
	for _, path := range []string{"/_emulator/faults", "/vp/_emulator/faults", "/_emulator/sessions"} {
		method := http.MethodPost
		if strings.HasSuffix(path, "sessions") {
			method = http.MethodGet
		}
		req, _ := http.NewRequest(method, hs.URL+path, strings.NewReader(`{"action":"drop"}`))
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Content-Type", "text/plain") // a "simple" cross-site request: no preflight
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s from evil.example: %d", method, path, resp.StatusCode)
		}
	}
	if len(s.Faults()) != 0 {
		t.Fatalf("a foreign page added faults: %v", s.Faults())
	}
	// The same request from a loopback page works.
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/_emulator/faults", strings.NewReader(`{"action":"drop","method":"X"}`))
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(s.Faults()) != 1 {
		t.Fatalf("loopback page: %d, faults %v", resp.StatusCode, s.Faults())
	}
}
