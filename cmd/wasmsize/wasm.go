package main

import (
	"bytes"
	"errors"
	"fmt"
)

// WebAssembly section ids (core spec, binary format).
const (
	secCustom = 0
	secImport = 2
	secCode   = 10
)

// sectionNames labels the standard sections in reports.
var sectionNames = map[byte]string{
	0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
	6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount",
}

// section is one section of a module: its id, its custom name (custom
// sections only) and its payload.
type section struct {
	id      byte
	name    string
	payload []byte
}

// size is what the section takes in the file, header included, so that the
// sections of a module add up to its size minus the 8-byte preamble.
func (s section) size() int {
	return 1 + ulebLen(uint64(len(s.payload))) + len(s.payload)
}

// label names the section for reports: "code", "data", "custom:name".
func (s section) label() string {
	if s.id == secCustom {
		return "custom:" + s.name
	}
	if n, ok := sectionNames[s.id]; ok {
		return n
	}
	return fmt.Sprintf("section-%d", s.id)
}

// function is one function body of the code section with the name the name
// section gives it ("" when there is none).
type function struct {
	name string
	size int // body size in bytes, its length prefix included
}

// module is what the report needs from a wasm file.
type module struct {
	sections  []section
	functions []function // defined functions, in code-section order
	hasNames  bool
}

// reader decodes the binary format's primitives from a byte slice.
type reader struct {
	b   []byte
	off int
}

var errShort = errors.New("unexpected end of data")

func (r *reader) byte() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errShort
	}
	c := r.b[r.off]
	r.off++
	return c, nil
}

func (r *reader) uleb() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("uleb128 overflows 64 bits")
}

func (r *reader) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(r.b)-r.off) {
		return nil, errShort
	}
	p := r.b[r.off : r.off+int(n)]
	r.off += int(n)
	return p, nil
}

func (r *reader) name() (string, error) {
	n, err := r.uleb()
	if err != nil {
		return "", err
	}
	p, err := r.bytes(n)
	return string(p), err
}

func ulebLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

var wasmMagic = []byte{0, 'a', 's', 'm', 1, 0, 0, 0}

// parseModule splits a wasm binary into sections and names the bodies of its
// code section from the "name" custom section (the Go linker writes one
// unless -ldflags=-s strips it).
func parseModule(b []byte) (*module, error) {
	if !bytes.HasPrefix(b, wasmMagic) {
		return nil, errors.New("failed to parse: not a wasm 1.0 module")
	}
	r := &reader{b: b, off: len(wasmMagic)}
	m := &module{}
	var imports, code, names []byte
	for r.off < len(b) {
		id, err := r.byte()
		if err != nil {
			return nil, fmt.Errorf("failed to read section id: %w", err)
		}
		n, err := r.uleb()
		if err != nil {
			return nil, fmt.Errorf("failed to read section size: %w", err)
		}
		p, err := r.bytes(n)
		if err != nil {
			return nil, fmt.Errorf("failed to read section %d: %w", id, err)
		}
		s := section{id: id, payload: p}
		if id == secCustom {
			pr := &reader{b: p}
			if s.name, err = pr.name(); err != nil {
				return nil, fmt.Errorf("failed to read custom section name: %w", err)
			}
			if s.name == "name" {
				names = p[pr.off:]
			}
		}
		switch id {
		case secImport:
			imports = p
		case secCode:
			code = p
		}
		m.sections = append(m.sections, s)
	}
	sizes, err := bodySizes(code)
	if err != nil {
		return nil, fmt.Errorf("failed to read code section: %w", err)
	}
	nImported, err := importedFuncs(imports)
	if err != nil {
		return nil, fmt.Errorf("failed to read import section: %w", err)
	}
	byIndex, err := funcNames(names)
	if err != nil {
		return nil, fmt.Errorf("failed to read name section: %w", err)
	}
	m.hasNames = names != nil
	m.functions = make([]function, len(sizes))
	for i, sz := range sizes {
		m.functions[i] = function{name: byIndex[uint64(nImported+i)], size: sz}
	}
	return m, nil
}

// bodySizes returns the size of every body in a code section payload.
func bodySizes(p []byte) ([]int, error) {
	if p == nil {
		return nil, nil
	}
	r := &reader{b: p}
	n, err := r.uleb()
	if err != nil {
		return nil, err
	}
	sizes := make([]int, 0, n)
	for i := uint64(0); i < n; i++ {
		start := r.off
		sz, err := r.uleb()
		if err != nil {
			return nil, err
		}
		if _, err := r.bytes(sz); err != nil {
			return nil, err
		}
		sizes = append(sizes, r.off-start)
	}
	return sizes, nil
}

// importedFuncs counts the function imports, which come first in the
// function index space.
func importedFuncs(p []byte) (int, error) {
	if p == nil {
		return 0, nil
	}
	r := &reader{b: p}
	n, err := r.uleb()
	if err != nil {
		return 0, err
	}
	funcs := 0
	for i := uint64(0); i < n; i++ {
		if _, err := r.name(); err != nil { // module
			return 0, err
		}
		if _, err := r.name(); err != nil { // field
			return 0, err
		}
		kind, err := r.byte()
		if err != nil {
			return 0, err
		}
		if err := skipImportDesc(r, kind); err != nil {
			return 0, err
		}
		if kind == 0 {
			funcs++
		}
	}
	return funcs, nil
}

// skipImportDesc steps over an import descriptor of the given kind.
func skipImportDesc(r *reader, kind byte) error {
	skipLimits := func() error {
		flags, err := r.byte()
		if err != nil {
			return err
		}
		if _, err := r.uleb(); err != nil {
			return err
		}
		if flags&1 != 0 {
			_, err = r.uleb()
		}
		return err
	}
	switch kind {
	case 0: // func: type index
		_, err := r.uleb()
		return err
	case 1: // table: reftype, limits
		if _, err := r.byte(); err != nil {
			return err
		}
		return skipLimits()
	case 2: // memory: limits
		return skipLimits()
	case 3: // global: valtype, mutability
		_, err := r.bytes(2)
		return err
	}
	return fmt.Errorf("unknown import kind %d", kind)
}

// funcNames reads the function-names subsection (id 1) of a name section
// payload (after its "name" label).
func funcNames(p []byte) (map[uint64]string, error) {
	out := map[uint64]string{}
	r := &reader{b: p}
	for r.off < len(p) {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		n, err := r.uleb()
		if err != nil {
			return nil, err
		}
		sub, err := r.bytes(n)
		if err != nil {
			return nil, err
		}
		if id != 1 {
			continue
		}
		sr := &reader{b: sub}
		count, err := sr.uleb()
		if err != nil {
			return nil, err
		}
		for i := uint64(0); i < count; i++ {
			idx, err := sr.uleb()
			if err != nil {
				return nil, err
			}
			if out[idx], err = sr.name(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
