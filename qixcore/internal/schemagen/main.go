// Command schemagen turns an enigma.js QIX schema (JSON) into qixcore's
// schema_gen.go: compact string tables that qixcore decodes once, lazily, so
// the wasm binary carries a few tens of kilobytes of names instead of the
// 200 KB schema file or a large set of composite literals.
//
// Usage (see the go:generate line in qixcore/schema.go):
//
//	go run ./internal/schemagen -in ../node_modules/enigma.js/schemas/12.2027.0.json -out schema_gen.go
//
// With -specmod it also writes dtsgen's definitions table (see defs.go) from
// Qlik's engine API specification (OpenRPC JSON). The project does not ship
// that file: it comes from schema/engine-rpc.json inside the Go module
// github.com/qlik-oss/enigma-go/v4, at the version go.mod requires, which
// schemagen finds through `go mod download -json` (so the file is the one
// the module proxy serves and go.sum verifies). `go generate ./qixcore/...`
// runs it; moving to a newer engine version is `go get` of a newer
// enigma-go followed by go generate:
//
//	go run ./internal/schemagen -specmod github.com/qlik-oss/enigma-go/v4 -defs internal/dtsgen/defs_gen.go
//
// -spec FILE reads the specification from a file instead (for trying an
// unreleased version; never commit its output).
//
// Table format (one entry per line; read by qixcore's decoder):
//
//	=Class                  starts a class
//	=Class=Other            a class whose methods are those of the earlier class Other
//	Method|in,in|out,out|o  a method; the last field is "o" when qReturn is an object
//
// An in entry is Name:K with an optional trailing "?" for optional params.
// K is the JSON kind of the schema's DefaultValue: s string, n number,
// b boolean, o object, a array, z null, x absent.
//
// The error code table has one LocalizedErrorCode a line, sorted by code,
// without the LOCERR_ prefix: "code NAME", or just "NAME" when the code is
// one more than the line before's (most codes are consecutive).
//
// The enigma.js schema lists out params without qReturn, so the generator
// adds it from two hand-kept lists below (facts from Qlik's published engine
// OpenRPC specification): methods whose qReturn is an ObjectInterface and
// methods whose qReturn is a plain value.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// returnsObject lists Class.Method whose result holds qReturn as an
// ObjectInterface {qType, qHandle, qGenericId}.
var returnsObject = []string{
	"Global.OpenDoc", "Global.GetActiveDoc", "Global.CreateDocEx",
	"Global.CreateSessionApp", "Global.CreateSessionAppFromApp",
	"Doc.GetField", "Doc.GetVariable", "Doc.GetObject", "Doc.CreateObject",
	"Doc.CreateSessionObject", "Doc.GetDimension", "Doc.CreateDimension",
	"Doc.GetMeasure", "Doc.CreateMeasure", "Doc.GetMeasureWithLabel",
	"Doc.CreateSessionVariable", "Doc.CreateVariableEx", "Doc.GetVariableById",
	"Doc.GetVariableByName", "Doc.GetBookmark", "Doc.CreateBookmark",
	"Doc.CreateBookmarkEx", "Doc.ReplaceBookmark",
	"GenericObject.GetChild", "GenericObject.GetParent",
	"GenericObject.CreateChild", "GenericObject.GetSnapshotObject",
}

// returnsValue lists Class.Method whose result holds qReturn as a plain value
// (boolean, number, string or struct).
var returnsValue = []string{
	"Field.GetCardinal", "Field.GetAndMode", "Field.SelectValues", "Field.Select",
	"Field.ToggleSelect", "Field.ClearAllButThis", "Field.SelectPossible",
	"Field.SelectExcluded", "Field.SelectAll", "Field.Lock", "Field.Unlock",
	"Field.SelectAlternative", "Field.LowLevelSelect", "Field.Clear",
	"Variable.GetRawContent", "Variable.SetContent",
	"GenericDimension.GetActiveField", "GenericVariable.GetRawContent",
	"Doc.GetFieldDescription", "Doc.SetLooselyCoupledVector", "Doc.Evaluate",
	"Doc.CreateVariable", "Doc.RemoveVariable", "Doc.GetLocaleInfo",
	"Doc.GetViewDlgSaveInfo", "Doc.GetEmptyScript", "Doc.DoReload",
	"Doc.GetMediaList", "Doc.BackCount", "Doc.ForwardCount",
	"Doc.StoreTempSelectionState", "Doc.RestoreTempSelectionState",
	"Doc.CreateTemporaryBookmark", "Doc.ApplyTemporaryBookmark",
	"Global.QvVersion", "Global.OSVersion", "Global.OSName", "Global.QTProduct",
	"Global.GetInteract", "Global.GetAuthenticatedUser", "Global.AllowCreateApp",
	"Global.IsDesktopMode", "Global.IsPersonalMode", "Global.ProductVersion",
	"Global.IsValidConnectionString",
}

type param struct {
	Name         string          `json:"Name"`
	DefaultValue json.RawMessage `json:"DefaultValue"`
	Optional     bool            `json:"Optional"`
}

type method struct {
	In  []param `json:"In"`
	Out []struct {
		Name string `json:"Name"`
	} `json:"Out"`
}

type schemaFile struct {
	Structs map[string]map[string]method `json:"structs"`
	Enums   map[string]map[string]int    `json:"enums"`
}

func main() {
	in := flag.String("in", "", "enigma.js schema JSON file")
	out := flag.String("out", "schema_gen.go", "Go file to write")
	spec := flag.String("spec", "", "engine API specification file (OpenRPC JSON) for the definitions table")
	specMod := flag.String("specmod", "", "Go module whose "+specPath+" is the engine API specification")
	defs := flag.String("defs", "internal/dtsgen/defs_gen.go", "definitions table file to write with -spec or -specmod")
	flag.Parse()
	if *in == "" && *spec == "" && *specMod == "" {
		fmt.Fprintln(os.Stderr, "schemagen: failed to start: -in, -spec or -specmod is required")
		os.Exit(2)
	}
	if *spec != "" && *specMod != "" {
		fmt.Fprintln(os.Stderr, "schemagen: failed to start: -spec and -specmod exclude each other")
		os.Exit(2)
	}
	if *in != "" {
		if err := run(*in, *out); err != nil {
			fmt.Fprintln(os.Stderr, "schemagen:", err)
			os.Exit(1)
		}
	}
	source := filepath.Base(*spec)
	if *specMod != "" {
		file, mod, err := locateSpec(*specMod)
		if err != nil {
			fmt.Fprintln(os.Stderr, "schemagen:", err)
			os.Exit(1)
		}
		spec, source = &file, specPath+" in "+mod
	}
	if *spec != "" {
		if err := runDefs(*spec, source, *defs); err != nil {
			fmt.Fprintln(os.Stderr, "schemagen:", err)
			os.Exit(1)
		}
	}
}

// runDefs writes the definitions table made from specification file in;
// source names where the file came from in the generated header.
func runDefs(in, source, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("failed to read specification: %w", err)
	}
	src, err := generateDefs(raw, source)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return fmt.Errorf("failed to write %s: %w", out, err)
	}
	return nil
}

func run(in, out string) error {
	if in == "" {
		return fmt.Errorf("failed to start: -in is required")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("failed to read schema: %w", err)
	}
	src, err := generate(raw, filepath.Base(in))
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return fmt.Errorf("failed to write %s: %w", out, err)
	}
	return nil
}

// generate returns the gofmt'ed Go source for schema bytes raw; name is the
// schema file name recorded in the header.
func generate(raw []byte, name string) ([]byte, error) {
	var s schemaFile
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("failed to parse schema: %w", err)
	}
	if len(s.Structs) == 0 {
		return nil, fmt.Errorf("failed to find classes: schema has no structs")
	}
	objSet, err := overlay(s, returnsObject)
	if err != nil {
		return nil, err
	}
	valSet, err := overlay(s, returnsValue)
	if err != nil {
		return nil, err
	}

	var table strings.Builder
	classes := sortedKeys(s.Structs)
	nMethods, nParams, nOuts := 0, 0, 0
	firstWith := map[string]string{} // method block → first class with it
	for _, c := range classes {
		if err := checkName(c); err != nil {
			return nil, err
		}
		var block strings.Builder
		methods := s.Structs[c]
		for _, mn := range sortedKeys(methods) {
			if err := checkName(mn); err != nil {
				return nil, err
			}
			m := methods[mn]
			key := c + "." + mn
			block.WriteString(mn)
			block.WriteByte('|')
			for i, p := range m.In {
				if err := checkName(p.Name); err != nil {
					return nil, fmt.Errorf("%s: %w", key, err)
				}
				k, err := kind(p.DefaultValue)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", key, p.Name, err)
				}
				if i > 0 {
					block.WriteByte(',')
				}
				block.WriteString(p.Name + ":" + k)
				if p.Optional {
					block.WriteByte('?')
				}
			}
			block.WriteByte('|')
			outs := make([]string, 0, len(m.Out)+1)
			for _, o := range m.Out {
				if err := checkName(o.Name); err != nil {
					return nil, fmt.Errorf("%s: %w", key, err)
				}
				outs = append(outs, o.Name)
			}
			if (objSet[key] || valSet[key]) && !contains(outs, "qReturn") {
				outs = append(outs, "qReturn")
			}
			block.WriteString(strings.Join(outs, ","))
			block.WriteByte('|')
			if objSet[key] {
				block.WriteByte('o')
			}
			block.WriteByte('\n')
			nMethods++
			nParams += len(m.In)
			nOuts += len(outs)
		}
		if same, ok := firstWith[block.String()]; ok && block.Len() > 0 {
			table.WriteString("=" + c + "=" + same + "\n")
			continue
		}
		firstWith[block.String()] = c
		table.WriteString("=" + c + "\n" + block.String())
	}

	codes := s.Enums["LocalizedErrorCode"]
	if len(codes) == 0 {
		return nil, fmt.Errorf("failed to find enum LocalizedErrorCode")
	}
	type codeName struct {
		code int
		name string
	}
	list := make([]codeName, 0, len(codes))
	seen := map[int]string{}
	for n, c := range codes {
		if prev, dup := seen[c]; dup {
			return nil, fmt.Errorf("failed to index LocalizedErrorCode: %s and %s share code %d", prev, n, c)
		}
		seen[c] = n
		if !strings.HasPrefix(n, "LOCERR_") {
			return nil, fmt.Errorf("failed to index LocalizedErrorCode: %s lacks the LOCERR_ prefix", n)
		}
		if err := checkName(n); err != nil {
			return nil, err
		}
		list = append(list, codeName{c, n})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].code < list[j].code })
	var errTable strings.Builder
	for i, cn := range list {
		if i == 0 || cn.code != list[i-1].code+1 {
			errTable.WriteString(strconv.Itoa(cn.code) + " ")
		}
		errTable.WriteString(strings.TrimPrefix(cn.name, "LOCERR_") + "\n")
	}

	version := strings.TrimSuffix(name, ".json")
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by schemagen from enigma.js %s; DO NOT EDIT.\n\n", name)
	b.WriteString("package qixcore\n\n")
	fmt.Fprintf(&b, "// SchemaVersion is the QIX schema version the built-in tables come from.\n")
	fmt.Fprintf(&b, "const SchemaVersion = %q\n\n", version)
	fmt.Fprintf(&b, "const (\n\tschemaClassCount = %d\n\tschemaMethodCount = %d\n\tschemaParamCount = %d\n\tschemaOutCount = %d\n\terrorCodeCount = %d\n)\n\n",
		len(classes), nMethods, nParams, nOuts, len(list))
	b.WriteString("// schemaTable holds every class and method; see internal/schemagen for the format.\n")
	b.WriteString("const schemaTable = `" + table.String() + "`\n\n")
	b.WriteString("// errorCodeTable maps LocalizedErrorCode values to names; see internal/schemagen for the format.\n")
	b.WriteString("const errorCodeTable = `" + errTable.String() + "`\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("failed to format output: %w", err)
	}
	return src, nil
}

// overlay checks that every Class.Method in list exists in s and returns
// the list as a set.
func overlay(s schemaFile, list []string) (map[string]bool, error) {
	set := make(map[string]bool, len(list))
	for _, key := range list {
		c, m, ok := strings.Cut(key, ".")
		if _, found := s.Structs[c][m]; !ok || !found {
			return nil, fmt.Errorf("failed to apply qReturn list: %s is not in the schema", key)
		}
		set[key] = true
	}
	return set, nil
}

// kind classifies a DefaultValue by its JSON kind. Scalar defaults must be
// the zero value of their kind: the table stores kinds, not values.
func kind(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "x", nil
	}
	switch v[0] {
	case '"':
		if string(v) != `""` {
			return "", fmt.Errorf("failed to encode default %s: only \"\" is supported for strings", v)
		}
		return "s", nil
	case 't', 'f':
		if string(v) != "false" {
			return "", fmt.Errorf("failed to encode default %s: only false is supported for booleans", v)
		}
		return "b", nil
	case 'n':
		return "z", nil
	case '{':
		return "o", nil
	case '[':
		return "a", nil
	default:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f != 0 {
			return "", fmt.Errorf("failed to encode default %s: only 0 is supported for numbers", v)
		}
		return "n", nil
	}
}

// checkName rejects names that would break the table format.
func checkName(n string) error {
	if n == "" || strings.ContainsAny(n, "|,:?=\n `") {
		return fmt.Errorf("failed to encode name %q: empty or contains a separator", n)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
