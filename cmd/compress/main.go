// Command compress writes precompressed copies of build artefacts so the dev
// server can answer Accept-Encoding without compressing on the fly.
//
//	compress [-br] [-gz] [-q 11] FILE...
//
// For every FILE it writes FILE.br (brotli, github.com/andybalholm/brotli, so
// no Debian brotli package is needed) and/or FILE.gz (gzip, best
// compression, no name or time in the header so the output is reproducible).
// With neither -br nor -gz it writes only FILE.br. Each output is written to a
// temporary file and renamed into place, so a server never sees half a file.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
)

func main() {
	br := flag.Bool("br", false, "write FILE.br (brotli)")
	gz := flag.Bool("gz", false, "write FILE.gz (gzip -9)")
	quality := flag.Int("q", brotli.BestCompression, "brotli quality, 0..11")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: compress [-br] [-gz] [-q N] FILE...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if !*br && !*gz {
		*br = true
	}
	if *quality < brotli.BestSpeed || *quality > brotli.BestCompression {
		fmt.Fprintf(os.Stderr, "compress: -q must be between %d and %d\n", brotli.BestSpeed, brotli.BestCompression)
		os.Exit(2)
	}
	for _, name := range flag.Args() {
		if *br {
			if err := compressFile(name, name+".br", func(w io.Writer) io.WriteCloser {
				return newBrotli(w, *quality)
			}); err != nil {
				fmt.Fprintln(os.Stderr, "compress:", err)
				os.Exit(1)
			}
		}
		if *gz {
			if err := compressFile(name, name+".gz", newGzip); err != nil {
				fmt.Fprintln(os.Stderr, "compress:", err)
				os.Exit(1)
			}
		}
	}
}

// newBrotli returns a brotli writer at the given quality with the largest
// window brotli allows by default (24 bits), which suits multi-megabyte wasm.
func newBrotli(w io.Writer, quality int) io.WriteCloser {
	return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: quality, LGWin: 24})
}

func newGzip(w io.Writer) io.WriteCloser {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		panic(err) // only for an invalid level
	}
	return zw
}

// compressFile streams src through the encoder made by enc into dst,
// atomically.
func compressFile(src, dst string, enc func(io.Writer) io.WriteCloser) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	zw := enc(bw)
	if _, err = io.Copy(zw, bufio.NewReaderSize(in, 1<<16)); err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	if err = zw.Close(); err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", dst, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
