// Command jsbundle writes the bridge's bundles (internal/jsbundle): the
// page module and the worker script, minified, each with its source map.
// ./build.sh build writes them into build/ as qix.bundle.js and
// qix-worker.bundle.js, and ./build.sh pack puts them in the npm package
// beside the unbundled modules (which bundler users import).
//
//	jsbundle [-bridge jsbridge] [-wasm-exec build/wasm_exec.js] [-out build]
//	         [-page qix.bundle.js] [-worker qix-worker.bundle.js] [-page-wasm-exec]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qix-wasm/qix-wasm/internal/jsbundle"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "jsbundle:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("jsbundle", flag.ContinueOnError)
	var o jsbundle.Options
	fl.StringVar(&o.Bridge, "bridge", "jsbridge", "the bridge's sources")
	fl.StringVar(&o.WasmExec, "wasm-exec", "build/wasm_exec.js", "Go's wasm_exec.js, bundled into the worker")
	fl.StringVar(&o.PageName, "page", "qix.bundle.js", "file name of the page module")
	fl.StringVar(&o.WorkerName, "worker", "qix-worker.bundle.js", "file name of the worker script (the page module loads it from its own folder)")
	fl.BoolVar(&o.PageWasmExec, "page-wasm-exec", false, "bundle wasm_exec.js into the page module too (else main-thread mode imports ./wasm_exec.js)")
	out := fl.String("out", "build", "output folder")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fl.Args())
	}
	res, err := jsbundle.Build(o)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("failed to make %s: %w", *out, err)
	}
	for _, f := range res.Files {
		p := filepath.Join(*out, f.Name)
		if err := os.WriteFile(p+".tmp", f.Contents, 0o644); err != nil {
			return fmt.Errorf("failed to write %s: %w", p, err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			return fmt.Errorf("failed to write %s: %w", p, err)
		}
		fmt.Printf("%s %d B\n", p, len(f.Contents))
	}
	return nil
}
