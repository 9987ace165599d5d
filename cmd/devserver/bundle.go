package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path/filepath"
	"time"

	"github.com/qix-wasm/qix-wasm/internal/jsbundle"
)

// bundled are the names served from the bundle cache when Config.Bundle is
// set: the page module and the worker script, each one file, with their
// source maps. The other bridge modules (qix-auth.js, and qix-patch.js and
// the rest for tests) are still served as they are.
var bundled = map[string]bool{
	"qix.js": true, "qix.js.map": true,
	"qix-worker.js": true, "qix-worker.js.map": true,
}

// newBundles returns the cache behind /qix.js and /qix-worker.js, or nil
// when cfg does not ask for bundles.
func newBundles(cfg Config) *jsbundle.Cache {
	if !cfg.Bundle || cfg.Bridge == "" {
		return nil
	}
	c := jsbundle.NewCache(jsbundle.Options{
		Bridge:   cfg.Bridge,
		WasmExec: filepath.Join(cfg.Build, "wasm_exec.js"),
	})
	// Bundle now, so the first page (or a benchmark's first cold start)
	// does not wait for esbuild; a failure is reported when requested.
	go c.Get()
	return c
}

// serveBundle serves name from the bundle cache, building it when a source
// changed (so an edit under jsbridge/ shows on reload). A failed build
// answers 500 with esbuild's message; it reports false when name is no
// bundle output.
func (s *server) serveBundle(w http.ResponseWriter, r *http.Request, name string) bool {
	if s.bundles == nil || !bundled[name] {
		return false
	}
	res, err := s.bundles.Get()
	if err != nil {
		s.warnOnce(err.Error(), "%v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return true
	}
	f := res.File(name)
	if f == nil {
		http.NotFound(w, r)
		return true
	}
	sum := sha256.Sum256(f.Contents)
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.Contents))
	return true
}
