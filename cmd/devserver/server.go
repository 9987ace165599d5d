package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/jsbundle"
)

// Config says where the dev server finds what it serves.
type Config struct {
	Web         string       // pages: web/
	Bridge      string       // ES module bridge: jsbridge/
	Build       string       // build outputs: build/ (qix.wasm[.br|.gz], wasm_exec.js)
	NodeModules string       // node_modules/, for /vendor/
	Emulator    http.Handler // mounted at /app/ and /_emulator/; nil answers 503
	Logf        func(format string, args ...any)
	AccessLog   bool // log every request through Logf
	// Bundle serves /qix.js and /qix-worker.js as bundles of jsbridge/
	// (bundle.go): two files instead of a waterfall of modules.
	Bundle bool
}

// vendorAliases maps flat /vendor/ names to files under node_modules, so a
// page can `import picasso from '/vendor/picasso.esm.js'` without a bundler.
// Names not listed here are looked up in vendorDirs (source maps, the UMD
// builds, enigma's schemas).
var vendorAliases = map[string]string{
	"picasso.esm.js":          "picasso.js/dist/picasso.esm.js",
	"picasso.js":              "picasso.js/dist/picasso.js",
	"picasso-plugin-q.esm.js": "picasso-plugin-q/dist/picasso-q.esm.js",
	"picasso-plugin-q.js":     "picasso-plugin-q/dist/picasso-q.js",
	"enigma.js":               "enigma.js/enigma.js",
	"enigma.min.js":           "enigma.js/enigma.min.js",
	// nebula.js: stardust and Qlik's sn-* charts as UMD builds (classic
	// scripts: stardust sets window.stardust, each chart reads it and sets
	// window["sn-…"]). Their ESM builds import bare specifiers ("react",
	// "@nebula.js/stardust"), which would need an inline import map the
	// pages' CSP forbids.
	"stardust.js":        "@nebula.js/stardust/dist/stardust.js",
	"stardust.dev.js":    "@nebula.js/stardust/dist/stardust.dev.js",
	"sn-bar-chart.js":    "@nebula.js/sn-bar-chart/dist/sn-bar-chart.js",
	"sn-line-chart.js":   "@nebula.js/sn-line-chart/dist/sn-line-chart.js",
	"sn-pie-chart.js":    "@nebula.js/sn-pie-chart/dist/sn-pie-chart.js",
	"sn-combo-chart.js":  "@nebula.js/sn-combo-chart/dist/sn-combo-chart.js",
	"sn-kpi.js":          "@nebula.js/sn-kpi/dist/sn-kpi.js",
	"sn-table.js":        "@nebula.js/sn-table/dist/sn-table.js",
	"sn-pivot-table.js":  "@nebula.js/sn-pivot-table/dist/sn-pivot-table.js",
	"sn-scatter-plot.js": "@nebula.js/sn-scatter-plot/dist/sn-scatter-plot.js",
	"sn-filter-pane.js":  "@nebula.js/sn-filter-pane/dist/sn-filter-pane.js",
}

// vendorDirs are searched, in order, for /vendor/NAME when NAME is no alias,
// and are mounted whole at /vendor/<package>/.
var vendorDirs = []struct{ pkg, dir string }{
	{"picasso.js", "picasso.js/dist"},
	{"picasso-plugin-q", "picasso-plugin-q/dist"},
	{"enigma.js", "enigma.js"},
	{"@nebula.js/stardust", "@nebula.js/stardust/dist"},
	{"@nebula.js/sn-bar-chart", "@nebula.js/sn-bar-chart/dist"},
	{"@nebula.js/sn-line-chart", "@nebula.js/sn-line-chart/dist"},
	{"@nebula.js/sn-pie-chart", "@nebula.js/sn-pie-chart/dist"},
	{"@nebula.js/sn-combo-chart", "@nebula.js/sn-combo-chart/dist"},
	{"@nebula.js/sn-kpi", "@nebula.js/sn-kpi/dist"},
	{"@nebula.js/sn-table", "@nebula.js/sn-table/dist"},
	{"@nebula.js/sn-pivot-table", "@nebula.js/sn-pivot-table/dist"},
	{"@nebula.js/sn-scatter-plot", "@nebula.js/sn-scatter-plot/dist"},
	{"@nebula.js/sn-filter-pane", "@nebula.js/sn-filter-pane/dist"},
}

// mimeTypes is fixed rather than read from /etc/mime.types, which differs
// between machines (and maps .ts to video/mp2t on Debian).
var mimeTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".cjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".d.ts":  "application/typescript; charset=utf-8",
	".ts":    "application/typescript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".wasm":  "application/wasm",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/markdown; charset=utf-8",
	".qvs":   "text/plain; charset=utf-8",
	".csv":   "text/csv; charset=utf-8",
	".woff":  "font/woff",
	".woff2": "font/woff2",
}

// contentType returns the MIME type for a file name.
func contentType(name string) string {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".d.ts") {
		return mimeTypes[".d.ts"]
	}
	ext := path.Ext(lower)
	if t, ok := mimeTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

type server struct {
	cfg     Config
	mux     *http.ServeMux
	tags    etagCache
	bundles *jsbundle.Cache

	warnMu sync.Mutex
	warned map[string]bool
}

// NewHandler returns the dev server's handler.
func NewHandler(cfg Config) http.Handler {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &server{cfg: cfg, mux: http.NewServeMux(), warned: map[string]bool{}, bundles: newBundles(cfg)}
	emu := cfg.Emulator
	if emu == nil {
		emu = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "engine emulator not available", http.StatusServiceUnavailable)
		})
	}
	s.mux.Handle("/app/", emu)
	s.mux.Handle("/app", emu)
	s.mux.Handle("/_emulator/", emu)
	s.mux.Handle("/_emulator", emu)
	s.mux.Handle("/tempcontent/", emu) // files GenericObject.ExportData wrote
	s.mux.HandleFunc("/qix.wasm", s.serveWasm)
	s.mux.HandleFunc(FloorWasmPath, func(w http.ResponseWriter, r *http.Request) { s.serveWasmFile(w, r, "floor.wasm") })
	s.mux.HandleFunc("/wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		s.serveFile(w, r, filepath.Join(cfg.Build, "wasm_exec.js"))
	})
	s.mux.HandleFunc("/vendor/", s.serveVendor)
	s.mux.HandleFunc(BlankPath, serveConst("text/html; charset=utf-8", blankHTML))
	s.mux.HandleFunc(BusyWorkerPath, serveConst("text/javascript; charset=utf-8", busyWorkerJS))
	s.mux.HandleFunc(RawWorkerPath, serveConst("text/javascript; charset=utf-8", rawWorkerJS))
	s.mux.HandleFunc("/", s.serveStatic)

	// WebSocket upgrades go to the emulator whatever the path, so
	// virtual-proxy prefixes (/vp/app/Demo) work; so do the fault admin
	// and the CSRF token endpoints behind such a prefix.
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) || strings.Contains(r.URL.Path, "/_emulator/") || strings.HasSuffix(r.URL.Path, "/_emulator") ||
			isCSRFEndpoint(r.URL.Path) {
			emu.ServeHTTP(w, r)
			return
		}
		s.mux.ServeHTTP(w, r)
	})
	h = securityHeaders(loopbackHostOnly(h))
	if cfg.AccessLog {
		h = accessLog(h, cfg.Logf)
	}
	return h
}

// BlankPath is an empty HTML document on the server's origin, for tests
// and benchmarks that need a same-origin page without app code (a page
// fulfilled by the test runner instead would be refused loopback WebSockets
// by Chromium's local network access checks).
const BlankPath = "/_dev/blank.html"

const blankHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>blank</title><link rel="icon" href="data:,"></head><body></body></html>
`

// serveConst serves body as a never-cached file of contentType (GET and
// HEAD only): the dev pages the tests and benchmarks need beside the app.
func serveConst(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allowGetHead(w, r) {
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method == http.MethodGet {
			io.WriteString(w, body)
		}
	}
}

// BusyWorkerPath is a worker script that spins 100 ms per message: the
// benchmark's self-check that a worker's busy time counts as renderer CPU
// and not as the page's main-thread time. It is served, not made from a
// blob: URL, because the pages' CSP (worker-src 'self') refuses those.
const BusyWorkerPath = "/_dev/busy-worker.js"

const busyWorkerJS = "onmessage = () => { const t = performance.now(); while (performance.now() - t < 100); postMessage(0); };\n"

// FloorWasmPath serves build/floor.wasm (cmd/wasmfloor): a Go module that
// only starts and registers, the floor of any Go client's start-up for the
// benchmark's cold and warm start rows.
const FloorWasmPath = "/_dev/floor.wasm"

// RawWorkerPath is the benchmark's raw client's socket in a worker: it
// opens the WebSocket it is told to and relays text both ways, nothing
// else, so it measures the floor of any client that keeps the socket off
// the page (playwright/bench/page-clients.js).
const RawWorkerPath = "/_dev/raw-worker.js"

const rawWorkerJS = `let ws;
onmessage = (e) => {
  if (typeof e.data === 'string') ws.send(e.data);
  else if (e.data.open) {
    ws = new WebSocket(e.data.open);
    ws.onmessage = (m) => postMessage(m.data);
    ws.onclose = (c) => postMessage({ closed: c.code, reason: c.reason });
  } else ws.close(e.data.close);
};
`

// isCSRFEndpoint reports whether p is one of the CSRF token endpoints the
// emulator answers in its cookie sign-in mode: Qlik Cloud's
// /api/v1/csrf-token and Qlik Sense Enterprise's /<prefix>/qps/csrftoken.
func isCSRFEndpoint(p string) bool {
	p = strings.TrimSuffix(p, "/")
	return p == "/api/v1/csrf-token" || strings.HasSuffix(p, "/qps/csrftoken")
}

func isWebSocketUpgrade(r *http.Request) bool {
	for _, v := range r.Header.Values("Upgrade") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "websocket") {
				return true
			}
		}
	}
	return false
}

// loopbackHostOnly refuses requests whose Host is not a loopback name, so a
// page on another site cannot reach the dev server through DNS rebinding.
func loopbackHostOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopbackHost(r.Host) {
			http.Error(w, "dev server answers loopback host names only", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isLoopbackHost reports whether host (a Host header, with or without a
// port) names the loopback interface.
func isLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Hijack/Flush for WebSockets.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func accessLog(next http.Handler, logf func(string, ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusSwitchingProtocols // hijacked
		}
		logf("%s %s %d %s", r.Method, r.URL.RequestURI(), status, time.Since(start).Round(time.Microsecond))
	})
}

func allowGetHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// cleanRel turns a URL path into a slash-separated relative path, or ""
// when it names a hidden file or folder (".git", ".env", ...).
func cleanRel(urlPath string) (string, bool) {
	p := path.Clean("/" + urlPath)
	rel := strings.TrimPrefix(p, "/")
	if rel == "" {
		return "", true
	}
	for _, seg := range strings.Split(rel, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", false
		}
	}
	return rel, true
}

// bridgeFile reports whether a top-level name is served from jsbridge/.
func bridgeFile(name string) bool {
	if strings.Contains(name, "/") {
		return false
	}
	for _, ext := range []string{".js", ".mjs", ".d.ts", ".js.map", ".mjs.map"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) {
	if !allowGetHead(w, r) {
		return
	}
	rel, ok := cleanRel(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	// The bridge (qix.js, qix.d.ts, qix-worker.js, ...) lives at the root.
	if s.serveBundle(w, r, rel) {
		return
	}
	if bridgeFile(rel) && s.cfg.Bridge != "" {
		if fi, err := os.Stat(filepath.Join(s.cfg.Bridge, rel)); err == nil && fi.Mode().IsRegular() {
			s.serveFile(w, r, filepath.Join(s.cfg.Bridge, rel))
			return
		}
	}
	root, err := os.OpenRoot(s.cfg.Web)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer root.Close()

	name := rel
	if name == "" {
		name = "."
	}
	fi, err := root.Stat(name)
	switch {
	case err == nil && fi.IsDir():
		if !strings.HasSuffix(r.URL.Path, "/") {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
	case err != nil && path.Ext(name) == "":
		// /embed -> embed.html
		name += ".html"
	case err != nil:
		http.NotFound(w, r)
		return
	}
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	s.serveOpen(w, r, f, filepath.Join(s.cfg.Web, name), contentType(name))
}

func (s *server) serveVendor(w http.ResponseWriter, r *http.Request) {
	if !allowGetHead(w, r) {
		return
	}
	rel, ok := cleanRel(strings.TrimPrefix(r.URL.Path, "/vendor/"))
	if !ok || rel == "" || s.cfg.NodeModules == "" {
		http.NotFound(w, r)
		return
	}
	var candidates []string
	if a, ok := vendorAliases[rel]; ok {
		candidates = append(candidates, a)
	}
	for _, d := range vendorDirs {
		if sub, ok := strings.CutPrefix(rel, d.pkg+"/"); ok {
			candidates = append(candidates, path.Join(d.dir, sub))
		} else if !strings.Contains(rel, "/") || strings.HasPrefix(rel, "schemas/") {
			candidates = append(candidates, path.Join(d.dir, rel))
		}
	}
	root, err := os.OpenRoot(s.cfg.NodeModules)
	if err != nil {
		http.Error(w, "node_modules is missing: "+vendorFix, http.StatusNotFound)
		return
	}
	defer root.Close()
	for _, c := range candidates {
		fi, err := root.Stat(c)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		f, err := root.Open(c)
		if err != nil {
			continue
		}
		defer f.Close()
		s.serveOpen(w, r, f, filepath.Join(s.cfg.NodeModules, c), contentType(c))
		return
	}
	http.Error(w, "/vendor/"+rel+" is not in node_modules: "+vendorFix, http.StatusNotFound)
}

// serveFile serves one file from disk with dev caching headers.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	if !allowGetHead(w, r) {
		return
	}
	f, err := os.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	s.serveOpen(w, r, f, name, contentType(name))
}

// serveOpen serves an open file: Content-Type, a content ETag and
// Cache-Control: no-cache, so the browser revalidates on every load and gets
// 304 while the file is unchanged. http.ServeContent handles conditional
// requests, ranges and HEAD.
func (s *server) serveOpen(w http.ResponseWriter, r *http.Request, f fs.File, name, ctype string) {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "file not seekable", http.StatusInternalServerError)
		return
	}
	tag, err := s.tags.get(name, fi, rs)
	if err != nil {
		http.Error(w, "read error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", tag)
	http.ServeContent(w, r, path.Base(name), fi.ModTime(), rs)
}

// wasmVariant is one stored encoding of build/qix.wasm.
type wasmVariant struct {
	coding string // "br", "gzip" or "identity"
	suffix string
}

var wasmVariants = []wasmVariant{{"br", ".br"}, {"gzip", ".gz"}, {"identity", ""}}

// serveWasm serves build/qix.wasm precompressed, picking .br or .gz by
// Accept-Encoding. A precompressed file older than qix.wasm is stale and is
// not used.
func (s *server) serveWasm(w http.ResponseWriter, r *http.Request) {
	s.serveWasmFile(w, r, "qix.wasm")
}

// serveWasmFile serves build/<name> as serveWasm serves qix.wasm.
func (s *server) serveWasmFile(w http.ResponseWriter, r *http.Request, name string) {
	if !allowGetHead(w, r) {
		return
	}
	w.Header().Add("Vary", "Accept-Encoding")
	base := filepath.Join(s.cfg.Build, name)
	rawInfo, rawErr := os.Stat(base)

	accepted := parseAcceptEncoding(r.Header.Values("Accept-Encoding"))
	best, bestQ := -1, 0.0
	for i, v := range wasmVariants {
		q := accepted.q(v.coding)
		if q <= 0 || q <= bestQ {
			continue
		}
		fi, err := os.Stat(base + v.suffix)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if v.suffix != "" && rawErr == nil && fi.ModTime().Before(rawInfo.ModTime()) {
			s.warnOnce(base+v.suffix, "%s is older than %s; not serving it (run ./build.sh build)", base+v.suffix, name)
			continue
		}
		best, bestQ = i, q
	}
	if best < 0 {
		if rawErr != nil {
			http.Error(w, "build/"+name+" not found: run ./build.sh build", http.StatusNotFound)
			return
		}
		http.Error(w, "no acceptable encoding of "+name, http.StatusNotAcceptable)
		return
	}
	v := wasmVariants[best]
	f, err := os.Open(base + v.suffix)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	if v.coding != "identity" {
		w.Header().Set("Content-Encoding", v.coding)
	}
	s.serveOpen(w, r, f, base+v.suffix, "application/wasm")
}

func (s *server) warnOnce(key, format string, args ...any) {
	s.warnMu.Lock()
	defer s.warnMu.Unlock()
	if s.warned[key] {
		return
	}
	s.warned[key] = true
	s.cfg.Logf(format, args...)
}

// acceptEncoding is a parsed Accept-Encoding header: coding -> q value.
type acceptEncoding struct {
	present bool
	codings map[string]float64
}

func parseAcceptEncoding(values []string) acceptEncoding {
	ae := acceptEncoding{codings: map[string]float64{}}
	for _, v := range values {
		ae.present = true
		for _, part := range strings.Split(v, ",") {
			fields := strings.Split(part, ";")
			coding := strings.ToLower(strings.TrimSpace(fields[0]))
			if coding == "" {
				continue
			}
			q := 1.0
			for _, p := range fields[1:] {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil && f >= 0 && f <= 1 {
						q = f
					} else {
						q = 0
					}
				}
			}
			if coding == "x-gzip" {
				coding = "gzip"
			}
			ae.codings[coding] = q
		}
	}
	return ae
}

// q returns the preference for a content coding (RFC 9110 §12.5.3).
func (ae acceptEncoding) q(coding string) float64 {
	if q, ok := ae.codings[coding]; ok {
		return q
	}
	if q, ok := ae.codings["*"]; ok {
		return q
	}
	if coding == "identity" {
		return 0.001 // always acceptable unless refused, but least preferred
	}
	return 0
}

// etagCache remembers content hashes by file name, size and modification
// time, so a large wasm is hashed once per build.
type etagCache struct {
	mu sync.Mutex
	m  map[string]etagEntry
}

type etagEntry struct {
	size int64
	mod  time.Time
	tag  string
}

func (c *etagCache) get(name string, fi fs.FileInfo, rs io.ReadSeeker) (string, error) {
	c.mu.Lock()
	e, ok := c.m[name]
	c.mu.Unlock()
	if ok && e.size == fi.Size() && e.mod.Equal(fi.ModTime()) {
		return e.tag, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]etagEntry{}
	}
	c.m[name] = etagEntry{size: fi.Size(), mod: fi.ModTime(), tag: tag}
	c.mu.Unlock()
	return tag, nil
}

// errNotLoopback is returned by checkLoopbackAddr.
var errNotLoopback = errors.New("dev server listens on loopback only (127.0.0.1, ::1 or localhost)")

// checkLoopbackAddr refuses a listen address that is not on loopback. An
// empty host (":8080") means every interface and is refused too.
func checkLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return errors.New("bad port " + strconv.Quote(port))
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return errNotLoopback
	}
	return nil
}
