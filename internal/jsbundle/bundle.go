// Package jsbundle bundles the JavaScript bridge (jsbridge/) into two
// files: the page's module (qix.js and everything it imports) and the
// worker's script (qix-worker.js, its imports and Go's wasm_exec.js). A cold
// page then fetches two files instead of a waterfall of ~20 ES modules, and
// the worker needs no further fetch before it can start Go.
//
// It uses esbuild's Go API: a well-kept bundler that minifies and writes
// source maps beats a bundler of our own. The dev server bundles on request
// (Cache, rebuilt when a source changes) and `./build.sh build` writes the
// bundles into build/ and the npm package (cmd/jsbundle).
package jsbundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Options say where the sources are and how the outputs are named.
type Options struct {
	Bridge   string // the jsbridge/ folder (qix.js, qix-worker.js, ...)
	WasmExec string // Go's wasm_exec.js (build/wasm_exec.js)

	// PageName and WorkerName are the output file names: the page bundle
	// loads its worker as new URL('./'+WorkerName, import.meta.url). Empty
	// means qix.js and qix-worker.js (the sources' own names, as the dev
	// server serves the bundles).
	PageName, WorkerName string

	// PageWasmExec includes wasm_exec.js in the page bundle (main-thread
	// mode needs it). Without it the page bundle keeps qix-boot.js's
	// import('./wasm_exec.js'), which only main-thread mode runs: the
	// default worker mode then parses ~15 KB less on the page.
	PageWasmExec bool
}

// File is one output: a bundle or its source map.
type File struct {
	Name     string // base name: qix.js, qix.js.map, ...
	Contents []byte
}

// Result is one build: its files and the source files it read (absolute
// paths), so a cache knows what to watch.
type Result struct {
	Files  []File
	Inputs []string
}

// File returns the output named name, or nil.
func (r *Result) File(name string) *File {
	for i := range r.Files {
		if r.Files[i].Name == name {
			return &r.Files[i]
		}
	}
	return nil
}

const (
	pageEntry   = "qix.js"
	workerEntry = "qix-worker.js"
	wasmExec    = "./wasm_exec.js"
)

func (o Options) names() (page, worker string) {
	page, worker = o.PageName, o.WorkerName
	if page == "" {
		page = pageEntry
	}
	if worker == "" {
		worker = workerEntry
	}
	return page, worker
}

// Build bundles the page module and the worker script, minified, each with
// a linked source map.
func Build(o Options) (Result, error) {
	bridge, err := filepath.Abs(o.Bridge)
	if err != nil {
		return Result{}, fmt.Errorf("failed to find the bridge folder: %w", err)
	}
	exec, err := filepath.Abs(o.WasmExec)
	if err != nil {
		return Result{}, fmt.Errorf("failed to find wasm_exec.js: %w", err)
	}
	if _, err := os.Stat(exec); err != nil {
		return Result{}, fmt.Errorf("failed to find wasm_exec.js (run ./build.sh build): %w", err)
	}
	page, worker := o.names()
	var res Result
	seen := map[string]bool{}
	for _, b := range []struct {
		entry, out string
		inline     bool
	}{
		{pageEntry, page, o.PageWasmExec},
		{workerEntry, worker, true},
	} {
		files, inputs, err := build(bridge, exec, b.entry, b.out, worker, b.inline)
		if err != nil {
			return Result{}, err
		}
		res.Files = append(res.Files, files...)
		for _, in := range inputs {
			if !seen[in] {
				seen[in] = true
				res.Inputs = append(res.Inputs, in)
			}
		}
	}
	sort.Strings(res.Inputs)
	return res, nil
}

// build runs esbuild for one entry. The output is placed (never written)
// beside the sources when its name differs from theirs (the package's
// qix.bundle.js: its map names qix.js, qix-boot.js, files of the same
// package folder), else in a folder below them (the dev server's qix.js:
// its map names ../qix.js, ../qix-boot.js, which the dev server serves as
// they are).
func build(bridge, exec, entry, out, workerName string, inlineExec bool) ([]File, []string, error) {
	outfile := filepath.Join(bridge, out)
	if out == entry || fileExists(outfile) {
		outfile = filepath.Join(bridge, ".bundle", out)
	}
	r := api.Build(api.BuildOptions{
		EntryPoints:       []string{filepath.Join(bridge, entry)},
		AbsWorkingDir:     bridge,
		Outfile:           outfile,
		Bundle:            true,
		Write:             false,
		Format:            api.FormatESModule,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Sourcemap:         api.SourceMapLinked,
		SourcesContent:    api.SourcesContentInclude,
		LegalComments:     api.LegalCommentsNone,
		Metafile:          true,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{bridgePlugin(exec, workerName, inlineExec)},
	})
	if len(r.Errors) > 0 {
		msgs := api.FormatMessages(r.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
		return nil, nil, fmt.Errorf("failed to bundle %s: %s", entry, strings.TrimSpace(strings.Join(msgs, "\n")))
	}
	var files []File
	for _, f := range r.OutputFiles {
		files = append(files, File{Name: filepath.Base(f.Path), Contents: f.Contents})
	}
	inputs, err := metaInputs(bridge, r.Metafile)
	if err != nil {
		return nil, nil, err
	}
	return files, inputs, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// bridgePlugin resolves ./wasm_exec.js to Go's copy (it is not in
// jsbridge/), or leaves it external for the page bundle, and points
// qix-backend.js's worker URL at the worker bundle's name.
func bridgePlugin(exec, workerName string, inlineExec bool) api.Plugin {
	return api.Plugin{
		Name: "qix-bridge",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^\./wasm_exec\.js$`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if !inlineExec {
					return api.OnResolveResult{Path: wasmExec, External: true}, nil
				}
				return api.OnResolveResult{Path: exec}, nil
			})
			if workerName == workerEntry {
				return
			}
			b.OnLoad(api.OnLoadOptions{Filter: `[\\/]qix-backend\.js$`}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				src, err := os.ReadFile(a.Path)
				if err != nil {
					return api.OnLoadResult{}, fmt.Errorf("failed to read %s: %w", a.Path, err)
				}
				s, n := rewriteWorkerURL(string(src), workerName)
				if n != 1 {
					return api.OnLoadResult{}, fmt.Errorf("failed to point the worker at %s: %d new URL('./%s', import.meta.url) in qix-backend.js, want 1", workerName, n, workerEntry)
				}
				return api.OnLoadResult{Contents: &s, Loader: api.LoaderJS}, nil
			})
		},
	}
}

var workerURL = regexp.MustCompile(`new URL\((['"])\./qix-worker\.js['"], import\.meta\.url\)`)

// rewriteWorkerURL renames the worker in new URL('./qix-worker.js',
// import.meta.url) and says how many it found.
func rewriteWorkerURL(src, workerName string) (string, int) {
	n := 0
	out := workerURL.ReplaceAllStringFunc(src, func(m string) string {
		n++
		q := m[len("new URL(")]
		return "new URL(" + string(q) + "./" + workerName + string(q) + ", import.meta.url)"
	})
	return out, n
}

// metaInputs lists the absolute paths of the sources esbuild read, from
// its metafile (paths relative to the working directory).
func metaInputs(dir, metafile string) ([]string, error) {
	var m struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(metafile), &m); err != nil {
		return nil, fmt.Errorf("failed to read esbuild's metafile: %w", err)
	}
	if len(m.Inputs) == 0 {
		return nil, errors.New("failed to read esbuild's metafile: no inputs")
	}
	var in []string
	for p := range m.Inputs {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		in = append(in, p)
	}
	return in, nil
}
