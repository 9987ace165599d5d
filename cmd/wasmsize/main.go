// Command wasmsize reports where a Go wasm binary's bytes go: raw, gzip and
// brotli totals, the size of every section, and the code section's bytes per
// Go package (named from the name section), so size work aims at what is
// actually big.
//
//	wasmsize [-top 40] [-q 11] [-pkgs ./wasm] [-budget wasm-size-budget.json] FILE
//
// The Go linker drops the name section with -ldflags=-s; build a copy with
// -ldflags=-w (DWARF off, names kept) to profile: its code section is the
// same as the stripped build's. Data (rodata, type data, pclntab) is one
// blob per segment in a Go wasm and is reported as a section total only.
// The linker spells names with '_' for '/', '-', '*', '(' and ')'; -pkgs
// gives the package list (go list -deps) that maps them back exactly.
//
// With -budget, wasmsize also reads {"brotli": N} from the file and exits 1
// when FILE's brotli size passes N: ./build.sh test uses it on the release
// build (profile output is printed either way).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/andybalholm/brotli"
)

func main() {
	top := flag.Int("top", 40, "packages to list (0: all)")
	quality := flag.Int("q", brotli.BestCompression, "brotli quality (0..11); -1 skips brotli")
	budget := flag.String("budget", "", `JSON file {"brotli": N}: fail when FILE's brotli size passes N`)
	pkgGzip := flag.Bool("pkg-gzip", true, "gzip each package's code on its own for a rough compressed share")
	inits := flag.Bool("inits", false, "list the package initialisers (pkg.init, pkg.init.N, pkg.map.init.N) by size; needs the name section")
	list := flag.String("pkgs", "", "package pattern whose GOOS=js GOARCH=wasm go list -deps names the packages exactly (e.g. ./wasm)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: wasmsize [flags] FILE\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if *budget != "" && *quality != brotli.BestCompression {
		fmt.Fprintln(os.Stderr, "wasmsize: -budget is measured at -q 11")
		os.Exit(2)
	}
	var ix *packageIndex
	if *list != "" {
		paths, err := goListDeps(*list)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wasmsize:", err)
			os.Exit(1)
		}
		ix = newPackageIndex(paths)
	}
	if err := run(os.Stdout, flag.Arg(0), ix, *top, *quality, *budget, *pkgGzip, *inits); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, file string, ix *packageIndex, top, quality int, budgetFile string, pkgGzip, inits bool) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("failed to read wasm: %w", err)
	}
	m, err := parseModule(b)
	if err != nil {
		return err
	}
	t := totals{raw: len(b), gzip: gzipSize(b)}
	if quality >= 0 {
		t.brotli = brotliSize(b, quality)
	}
	writeReport(w, file, t, m, byPackage(m, ix, pkgGzip), top)
	if inits {
		writeInits(w, m, ix)
	}
	if budgetFile == "" {
		return nil
	}
	limit, err := readBudget(budgetFile)
	if err != nil {
		return err
	}
	if t.brotli > limit {
		return fmt.Errorf("failed the size budget: %s is %d B brotli, budget %d B (%s)", file, t.brotli, limit, budgetFile)
	}
	fmt.Fprintf(w, "\nsize budget: %d B brotli <= %d B (%s): OK\n", t.brotli, limit, budgetFile)
	return nil
}

// brotliSize compresses b as cmd/compress does (same quality, 24-bit window).
func brotliSize(b []byte, quality int) int {
	var buf bytes.Buffer
	zw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: 24})
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// goListDeps lists the packages a js/wasm build of pattern links.
func goListDeps(pattern string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", pattern)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("failed to list packages of %s: %w", pattern, err)
	}
	return strings.Split(string(out), "\n"), nil
}

// budget is the size budget file's shape.
type budget struct {
	Brotli int `json:"brotli"`
}

func readBudget(file string) (int, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return 0, fmt.Errorf("failed to read budget: %w", err)
	}
	var bd budget
	if err := json.Unmarshal(raw, &bd); err != nil {
		return 0, fmt.Errorf("failed to parse budget %s: %w", file, err)
	}
	if bd.Brotli <= 0 {
		return 0, fmt.Errorf("failed to parse budget %s: no positive \"brotli\" limit", file)
	}
	return bd.Brotli, nil
}
