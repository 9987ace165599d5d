package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sort"
)

// pkgSize is the code one package contributes.
type pkgSize struct {
	pkg   string
	bytes int
	gzip  int // its bodies gzipped on their own: a rough compressed share
	funcs int
}

// byPackage sums the code section's bodies per package, largest first (ties
// by name, so output is stable).
func byPackage(m *module, ix *packageIndex, withGzip bool) []pkgSize {
	idx := map[string]int{}
	var out []pkgSize
	var bodies [][]byte
	code := codePayload(m)
	off := ulebLen(uint64(len(m.functions)))
	for _, f := range m.functions {
		p := ix.packageOf(f.name)
		i, ok := idx[p]
		if !ok {
			i = len(out)
			idx[p] = i
			out = append(out, pkgSize{pkg: p})
			bodies = append(bodies, nil)
		}
		out[i].bytes += f.size
		out[i].funcs++
		if withGzip && code != nil {
			bodies[i] = append(bodies[i], code[off:off+f.size]...)
		}
		off += f.size
	}
	if withGzip {
		for i := range out {
			out[i].gzip = gzipSize(bodies[i])
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].bytes != out[j].bytes {
			return out[i].bytes > out[j].bytes
		}
		return out[i].pkg < out[j].pkg
	})
	return out
}

func codePayload(m *module) []byte {
	for _, s := range m.sections {
		if s.id == secCode {
			return s.payload
		}
	}
	return nil
}

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// totals is the whole file's size, raw and compressed.
type totals struct {
	raw, gzip, brotli int
}

// writeReport prints the totals, the sections and the top packages.
func writeReport(w io.Writer, name string, t totals, m *module, pkgs []pkgSize, top int) {
	fmt.Fprintf(w, "%s\n", name)
	fmt.Fprintf(w, "  %-12s %10d\n", "raw", t.raw)
	fmt.Fprintf(w, "  %-12s %10d  %5.1f%%\n", "gzip -9", t.gzip, pct(t.gzip, t.raw))
	if t.brotli > 0 {
		fmt.Fprintf(w, "  %-12s %10d  %5.1f%%\n", "brotli", t.brotli, pct(t.brotli, t.raw))
	}
	fmt.Fprintf(w, "\nsections (bytes, header included)\n")
	for _, s := range m.sections {
		fmt.Fprintf(w, "  %-16s %10d  %5.1f%%\n", s.label(), s.size(), pct(s.size(), t.raw))
	}
	if !m.hasNames {
		fmt.Fprintf(w, "\nno name section: build with -ldflags=-w (not -s) to see code by package\n")
		return
	}
	code := 0
	for _, p := range pkgs {
		code += p.bytes
	}
	fmt.Fprintf(w, "\ncode by package (%d packages, %d functions, %d bytes)\n", len(pkgs), len(m.functions), code)
	fmt.Fprintf(w, "  %10s %6s %9s %6s  %s\n", "bytes", "code%", "gzip", "funcs", "package")
	rest := pkgSize{pkg: "(other packages)"}
	for i, p := range pkgs {
		if top > 0 && i >= top {
			rest.bytes += p.bytes
			rest.gzip += p.gzip
			rest.funcs += p.funcs
			continue
		}
		fmt.Fprintf(w, "  %10d %5.1f%% %9d %6d  %s\n", p.bytes, pct(p.bytes, code), p.gzip, p.funcs, p.pkg)
	}
	if rest.funcs > 0 {
		fmt.Fprintf(w, "  %10d %5.1f%% %9d %6d  %s (%d)\n", rest.bytes, pct(rest.bytes, code), rest.gzip, rest.funcs, rest.pkg, len(pkgs)-top)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
