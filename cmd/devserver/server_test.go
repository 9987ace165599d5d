package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// fixture lays out a fake repository: web/, jsbridge/, build/ and
// node_modules/ with the vendor files.
type fixture struct {
	root    string
	cfg     Config
	emuHits []string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{root: root}
	files := map[string]string{
		"web/index.html":         "<!doctype html><title>dashboard</title>",
		"web/embed.html":         "<!doctype html><title>embed</title>",
		"web/app.mjs":            "export const x = 1;",
		"web/style.css":          "body{}",
		"web/data.json":          `{"a":1}`,
		"web/logo.svg":           `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"web/sub/index.html":     "<p>sub</p>",
		"web/sub/page.js":        "console.log(1)",
		"web/.secret":            "no",
		"jsbridge/qix.js":        "export function connect() {}",
		"jsbridge/qix.d.ts":      "export declare function connect(): void;",
		"jsbridge/qix-worker.js": "self.onmessage = () => {};",
		"build/wasm_exec.js":     "// wasm_exec",
		"node_modules/picasso.js/dist/picasso.esm.js":             "export default {};",
		"node_modules/picasso.js/dist/picasso.esm.js.map":         "{}",
		"node_modules/picasso-plugin-q/dist/picasso-q.esm.js":     "export default function q() {}",
		"node_modules/picasso-plugin-q/dist/picasso-q.esm.js.map": "{}",
		"node_modules/enigma.js/enigma.js":                        "var enigma;",
		"node_modules/enigma.js/schemas/12.2027.0.json":           "{}",
		"node_modules/@nebula.js/stardust/dist/stardust.js":       "var stardust;",
		"node_modules/@nebula.js/sn-kpi/dist/sn-kpi.js":           "var snKpi;",
		"node_modules/@nebula.js/sn-kpi/dist/sn-kpi.qext":         "{}",
		"go.mod": "module " + modulePath + "\n",
	}
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.writeWasm(t, "raw", "gz", "br")
	f.cfg = Config{
		Web:         filepath.Join(root, "web"),
		Bridge:      filepath.Join(root, "jsbridge"),
		Build:       filepath.Join(root, "build"),
		NodeModules: filepath.Join(root, "node_modules"),
		Emulator: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			f.emuHits = append(f.emuHits, r.URL.Path)
			if isWebSocketUpgrade(r) {
				ws, err := websocket.Accept(w, r, nil)
				if err != nil {
					return
				}
				ws.Write(r.Context(), websocket.MessageText, []byte(`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`))
				ws.Close(websocket.StatusNormalClosure, "")
				return
			}
			io.WriteString(w, "emulator "+r.URL.Path)
		}),
		Logf: t.Logf,
	}
	return f
}

var wasmBytes = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("qix"), 1000)...)

// writeWasm writes the named variants of build/qix.wasm ("raw", "gz", "br").
// The compressed variants hold markers, not real brotli: the server never
// decodes them.
func (f *fixture) writeWasm(t testing.TB, variants ...string) {
	t.Helper()
	for _, v := range variants {
		var name string
		var data []byte
		switch v {
		case "raw":
			name, data = "qix.wasm", wasmBytes
		case "gz":
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(wasmBytes)
			zw.Close()
			name, data = "qix.wasm.gz", b.Bytes()
		case "br":
			name, data = "qix.wasm.br", []byte("BROTLI")
		}
		if err := os.WriteFile(filepath.Join(f.root, "build", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) handler() http.Handler { return NewHandler(f.cfg) }

func do(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:8080"+target, nil)
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestContentTypes(t *testing.T) {
	h := newFixture(t).handler()
	cases := []struct{ path, ctype, body string }{
		{"/", "text/html; charset=utf-8", "dashboard"},
		{"/index.html", "text/html; charset=utf-8", "dashboard"},
		{"/embed.html", "text/html; charset=utf-8", "embed"},
		{"/embed", "text/html; charset=utf-8", "embed"},
		{"/app.mjs", "text/javascript; charset=utf-8", "export"},
		{"/style.css", "text/css; charset=utf-8", "body"},
		{"/data.json", "application/json", `"a"`},
		{"/logo.svg", "image/svg+xml", "<svg"},
		{"/sub/", "text/html; charset=utf-8", "sub"},
		{"/sub/page.js", "text/javascript; charset=utf-8", "console"},
		{"/qix.js", "text/javascript; charset=utf-8", "connect"},
		{"/qix.d.ts", "application/typescript; charset=utf-8", "declare"},
		{"/qix-worker.js", "text/javascript; charset=utf-8", "onmessage"},
		{"/wasm_exec.js", "text/javascript; charset=utf-8", "wasm_exec"},
		{"/vendor/picasso.esm.js", "text/javascript; charset=utf-8", "export default"},
		{"/vendor/picasso.esm.js.map", "application/json", "{}"},
		{"/vendor/picasso-plugin-q.esm.js", "text/javascript; charset=utf-8", "function q"},
		{"/vendor/picasso-q.esm.js", "text/javascript; charset=utf-8", "function q"},
		{"/vendor/picasso-q.esm.js.map", "application/json", "{}"},
		{"/vendor/picasso-plugin-q/picasso-q.esm.js", "text/javascript; charset=utf-8", "function q"},
		{"/vendor/enigma.js", "text/javascript; charset=utf-8", "enigma"},
		{"/vendor/enigma.js/schemas/12.2027.0.json", "application/json", "{}"},
		{"/vendor/stardust.js", "text/javascript; charset=utf-8", "stardust"},
		{"/vendor/sn-kpi.js", "text/javascript; charset=utf-8", "snKpi"},
		{"/vendor/@nebula.js/sn-kpi/sn-kpi.js", "text/javascript; charset=utf-8", "snKpi"},
		{"/vendor/@nebula.js/stardust/stardust.js", "text/javascript; charset=utf-8", "stardust"},
		{BlankPath, "text/html; charset=utf-8", "<title>blank</title>"},
		{BusyWorkerPath, "text/javascript; charset=utf-8", "postMessage(0)"},
		{RawWorkerPath, "text/javascript; charset=utf-8", "new WebSocket(e.data.open)"},
	}
	for _, c := range cases {
		rec := do(t, h, "GET", c.path, nil)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d, body %q", c.path, rec.Code, rec.Body.String())
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		if !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("%s: body %q lacks %q", c.path, rec.Body.String(), c.body)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%s: Cache-Control %q", c.path, got)
		}
		if rec.Header().Get("ETag") == "" && c.path != BlankPath && c.path != BusyWorkerPath && c.path != RawWorkerPath {
			t.Errorf("%s: no ETag", c.path)
		}
	}
}

func TestNotFound(t *testing.T) {
	h := newFixture(t).handler()
	for _, p := range []string{
		"/nope.html", "/nope", "/.secret", "/sub/missing.js", "/../go.mod", "/%2e%2e/go.mod",
		"/vendor/", "/vendor/nope.js", "/vendor/../go.mod", "/vendor/picasso.js/../../go.mod",
		"/qix-missing.js", "/.git/config",
	} {
		rec := do(t, h, "GET", p, nil)
		// ServeMux redirects paths with ".." to their cleaned form, which
		// stays inside the served folders.
		if loc := rec.Header().Get("Location"); rec.Code == http.StatusTemporaryRedirect && !strings.Contains(loc, "..") {
			rec = do(t, h, "GET", loc, nil)
		}
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404 (body %q)", p, rec.Code, rec.Body.String())
		}
	}
}

func TestDirectoryRedirectAndMethods(t *testing.T) {
	h := newFixture(t).handler()
	rec := do(t, h, "GET", "/sub?x=1", nil)
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/sub/?x=1" {
		t.Errorf("dir redirect: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	rec = do(t, h, "POST", "/index.html", nil)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", rec.Code)
	}
	rec = do(t, h, "HEAD", "/qix.js", nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, body %d bytes, length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
}

func TestWasmEncodingNegotiation(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	cases := []struct {
		accept   string
		encoding string // "" = identity
	}{
		{"gzip, deflate, br, zstd", "br"},
		{"br", "br"},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"gzip;q=1, br;q=0.5", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"", ""},
		{"identity", ""},
		{"*", "br"},
		{"*;q=0, identity", ""},
		{"deflate", ""},
	}
	for _, c := range cases {
		hdr := map[string]string{}
		if c.accept != "" {
			hdr["Accept-Encoding"] = c.accept
		}
		rec := do(t, h, "GET", "/qix.wasm", hdr)
		if rec.Code != http.StatusOK {
			t.Errorf("%q: status %d", c.accept, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Encoding"); got != c.encoding {
			t.Errorf("%q: Content-Encoding %q, want %q", c.accept, got, c.encoding)
		}
		if got := rec.Header().Get("Content-Type"); got != "application/wasm" {
			t.Errorf("%q: Content-Type %q", c.accept, got)
		}
		if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("%q: Vary %q", c.accept, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("%q: Cache-Control %q", c.accept, got)
		}
		if c.encoding == "" && !bytes.Equal(rec.Body.Bytes(), wasmBytes) {
			t.Errorf("%q: identity body differs", c.accept)
		}
		if c.encoding == "br" && rec.Body.String() != "BROTLI" {
			t.Errorf("%q: br body %q", c.accept, rec.Body.String())
		}
		if c.encoding == "gzip" {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(zr)
			if !bytes.Equal(got, wasmBytes) {
				t.Errorf("%q: gzip body differs", c.accept)
			}
		}
	}

	// Refusing identity with nothing else acceptable: 406.
	rec := do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "identity;q=0, deflate"})
	if rec.Code != http.StatusNotAcceptable {
		t.Errorf("identity;q=0: status %d, want 406", rec.Code)
	}
}

func TestWasmETags(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	br := do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br"})
	gz := do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "gzip"})
	raw := do(t, h, "GET", "/qix.wasm", nil)
	tags := map[string]bool{}
	for _, rec := range []*httptest.ResponseRecorder{br, gz, raw} {
		tag := rec.Header().Get("ETag")
		if tag == "" || tags[tag] {
			t.Fatalf("ETag %q missing or shared between encodings", tag)
		}
		tags[tag] = true
	}
	rec := do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": br.Header().Get("ETag")})
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", rec.Code)
	}
	rec = do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": gz.Header().Get("ETag")})
	if rec.Code != http.StatusOK {
		t.Errorf("If-None-Match of another encoding: status %d, want 200", rec.Code)
	}
	// A rebuilt file gets a new tag.
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(filepath.Join(f.root, "build", "qix.wasm.br"), []byte("BROTLI2"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec = do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br", "If-None-Match": br.Header().Get("ETag")})
	if rec.Code != http.StatusOK || rec.Body.String() != "BROTLI2" {
		t.Errorf("after rebuild: status %d body %q", rec.Code, rec.Body.String())
	}
}

func TestWasmMissingAndStale(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	// Stale .br (older than qix.wasm) is skipped for .gz.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(f.root, "build", "qix.wasm.br"), old, old); err != nil {
		t.Fatal(err)
	}
	rec := do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br, gzip"})
	if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
		t.Errorf("stale br: Content-Encoding %q, want gzip", got)
	}
	// Only the raw file.
	os.Remove(filepath.Join(f.root, "build", "qix.wasm.br"))
	os.Remove(filepath.Join(f.root, "build", "qix.wasm.gz"))
	rec = do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br, gzip"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), wasmBytes) {
		t.Errorf("raw only: %d %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	// Nothing built.
	os.Remove(filepath.Join(f.root, "build", "qix.wasm"))
	rec = do(t, h, "GET", "/qix.wasm", map[string]string{"Accept-Encoding": "br, gzip"})
	if rec.Code != http.StatusNotFound {
		t.Errorf("no build: status %d, want 404", rec.Code)
	}
	if got := rec.Header().Get("Content-Encoding"); got != "" {
		t.Errorf("404 with Content-Encoding %q", got)
	}
}

func TestEmulatorMount(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	for _, p := range []string{"/app/Demo", "/app/", "/app/engineData", "/_emulator/faults", "/vp/_emulator/faults",
		"/api/v1/csrf-token", "/vp/qps/csrftoken", "/qps/csrftoken", "/tempcontent/Demo/export.csv"} {
		rec := do(t, h, "GET", p, nil)
		if rec.Code != http.StatusOK || rec.Body.String() != "emulator "+p {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Body.String())
		}
	}
	// Without an emulator: 503, not a page.
	cfg := f.cfg
	cfg.Emulator = nil
	rec := do(t, NewHandler(cfg), "GET", "/app/Demo", nil)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("no emulator: status %d", rec.Code)
	}
}

func TestWebSocketThroughServer(t *testing.T) {
	f := newFixture(t)
	f.cfg.AccessLog = true // the access log wrapper must keep Hijack reachable
	srv := httptest.NewServer(f.handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, p := range []string{"/app/Demo", "/vp/app/Demo"} {
		ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+p, nil)
		if err != nil {
			t.Fatalf("%s: dial: %v", p, err)
		}
		_, msg, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("%s: read: %v", p, err)
		}
		if !strings.Contains(string(msg), "OnConnected") {
			t.Errorf("%s: first message %s", p, msg)
		}
		ws.CloseNow()
	}
}

func TestLoopbackHostOnly(t *testing.T) {
	h := newFixture(t).handler()
	for host, want := range map[string]int{
		"127.0.0.1:8080":    200,
		"127.0.0.2":         200,
		"localhost:8080":    200,
		"LOCALHOST.":        200,
		"app.localhost:80":  200,
		"[::1]:8080":        200,
		"example.com":       http.StatusMisdirectedRequest,
		"evil.example:8080": http.StatusMisdirectedRequest,
		"192.168.1.10:8080": http.StatusMisdirectedRequest,
		"10.0.0.1":          http.StatusMisdirectedRequest,
		"":                  http.StatusMisdirectedRequest,
	} {
		rec := do(t, h, "GET", "/qix.js", map[string]string{"Host": host})
		if rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
	}
}

func TestCheckLoopbackAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true,
		"127.0.0.1:0":    true,
		"127.1.2.3:80":   true,
		"[::1]:0":        true,
		"localhost:0":    true,
		":8080":          false,
		"0.0.0.0:8080":   false,
		"[::]:8080":      false,
		"10.1.2.3:80":    false,
		"example.com:80": false,
		"127.0.0.1":      false, // no port
		"127.0.0.1:http": false,
	} {
		err := checkLoopbackAddr(addr)
		if (err == nil) != ok {
			t.Errorf("%q: err %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestRunRefusesNonLoopback(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "127.0.0.1:0", "-flavor", "saas"},
		{"-addr", "127.0.0.1:0", "extra"},
	} {
		if err := run(args); err == nil {
			t.Errorf("%v: run succeeded", args)
		}
	}
}

// TestRunServesAndStops starts the real command on a free port, fetches a
// page and the wasm, then stops it with SIGINT as Ctrl-C would.
func TestRunServesAndStops(t *testing.T) {
	f := newFixture(t)
	urlFile := filepath.Join(t.TempDir(), "url")
	done := make(chan error, 1)
	go func() { done <- run([]string{"-addr", "127.0.0.1:0", "-root", f.root, "-url-file", urlFile}) }()

	var url string
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		if b, err := os.ReadFile(urlFile); err == nil {
			url = strings.TrimSpace(string(b))
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "dashboard") {
		t.Fatalf("GET /: %d %q", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", url+"qix.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "br" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("wasm headers: %v", resp.Header)
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGINT")
	}
	if _, err := os.Stat(urlFile); !os.IsNotExist(err) {
		t.Errorf("url file left behind: %v", err)
	}
}

func TestFindRoot(t *testing.T) {
	f := newFixture(t)
	sub := filepath.Join(f.root, "web", "sub")
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	if err := os.Chdir(sub); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.EvalSymlinks(findRoot())
	want, _ := filepath.EvalSymlinks(f.root)
	if got != want {
		t.Errorf("findRoot = %q, want %q", got, want)
	}
}

// The bench's start-up floor is served like qix.wasm: precompressed by
// Accept-Encoding, application/wasm, 404 naming the file when not built.
func TestServeFloorWasm(t *testing.T) {
	f := newFixture(t)
	h := f.handler()
	if rec := do(t, h, "GET", FloorWasmPath, nil); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "floor.wasm") {
		t.Fatalf("not built: status %d, body %q", rec.Code, rec.Body.String())
	}
	for name, data := range map[string][]byte{"floor.wasm": wasmBytes, "floor.wasm.br": []byte("FLOOR-BROTLI")} {
		if err := os.WriteFile(filepath.Join(f.root, "build", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	later := time.Now().Add(time.Second)
	os.Chtimes(filepath.Join(f.root, "build", "floor.wasm.br"), later, later)
	rec := do(t, h, "GET", FloorWasmPath, map[string]string{"Accept-Encoding": "br"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "br" || rec.Body.String() != "FLOOR-BROTLI" || rec.Header().Get("Content-Type") != "application/wasm" {
		t.Errorf("br: status %d, encoding %q, type %q, body %q", rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Type"), rec.Body.String())
	}
	if rec := do(t, h, "GET", FloorWasmPath, nil); rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), wasmBytes) {
		t.Errorf("identity: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
}
