package jsbundle

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Cache keeps the last build and builds again when one of its inputs (or
// wasm_exec.js, or a file of the bridge folder) changed, so an edit under
// jsbridge/ shows on the next reload. Safe for concurrent use; one build
// at a time.
type Cache struct {
	opts Options

	mu     sync.Mutex
	res    *Result
	err    error
	stamps map[string]stamp
	builds int
}

type stamp struct {
	size int64
	mod  time.Time
}

// NewCache returns a cache that builds with o on first use.
func NewCache(o Options) *Cache {
	if abs, err := filepath.Abs(o.Bridge); err == nil {
		o.Bridge = abs
	}
	if abs, err := filepath.Abs(o.WasmExec); err == nil {
		o.WasmExec = abs
	}
	return &Cache{opts: o}
}

// Get returns the current build, building first when nothing is cached
// or a watched file changed. A failed build is cached as well (until a
// file changes), so a syntax error is reported once per edit, not bundled
// again on every request.
func (c *Cache) Get() (*Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stamps != nil && !c.changed() {
		return c.res, c.err
	}
	// Stamp before building: an edit made during the build shows as a
	// change on the next Get.
	stamps := c.stampAll(c.watched())
	res, err := Build(c.opts)
	c.builds++
	if err != nil {
		c.res, c.err = nil, err
	} else {
		c.res, c.err = &res, nil
		// The inputs esbuild reports; a file added to the bridge folder
		// is caught by the folder listing below.
		for p, s := range c.stampAll(res.Inputs) {
			if _, ok := stamps[p]; !ok {
				stamps[p] = s
			}
		}
	}
	c.stamps = stamps
	return c.res, c.err
}

// Builds says how many builds Get has run (for tests).
func (c *Cache) Builds() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.builds
}

// watched lists the files whose change means a new build: the bridge
// folder's .js files (a failed build reports no inputs) and wasm_exec.js.
func (c *Cache) watched() []string {
	paths := []string{c.opts.WasmExec, c.opts.Bridge}
	if ents, err := os.ReadDir(c.opts.Bridge); err == nil {
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".js") {
				paths = append(paths, filepath.Join(c.opts.Bridge, e.Name()))
			}
		}
	}
	return paths
}

func (c *Cache) stampAll(paths []string) map[string]stamp {
	m := make(map[string]stamp, len(paths))
	for _, p := range paths {
		m[p] = statStamp(p)
	}
	return m
}

// statStamp is a file's size and modification time; a missing file gets
// the zero stamp (so its appearance is a change too).
func statStamp(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{size: -1}
	}
	return stamp{size: fi.Size(), mod: fi.ModTime()}
}

func (c *Cache) changed() bool {
	for p, s := range c.stamps {
		if statStamp(p) != s {
			return true
		}
	}
	return false
}
