package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// The engine API specification (engine-rpc.json: OpenRPC with JSON Schema
// components) ships inside the enigma-go module go.mod requires. It is
// read at run time, never embedded or committed: the Go tests locate it
// with `go list` (EngineSpecPath), the emulator binaries take its path
// with -check-schema (./build.sh test passes it).

// EngineSpecModule is the module whose schema/engine-rpc.json is the spec.
const EngineSpecModule = "github.com/qlik-oss/enigma-go/v4"

// EngineSpecPath locates engine-rpc.json in the enigma-go module directory
// of the Go module cache, through `go list` (so it needs the go command).
func EngineSpecPath() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", EngineSpecModule).Output()
	if err != nil {
		return "", fmt.Errorf("failed to locate the enigma-go module: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("failed to locate the enigma-go module: not downloaded (go mod download %s)", EngineSpecModule)
	}
	return filepath.Join(dir, "schema", "engine-rpc.json"), nil
}

// EngineSpec is the part of engine-rpc.json the reply check needs: each
// method's result schema and the shared definitions.
type EngineSpec struct {
	methods map[string]map[string]any // "Class.Method" → result schema
	schemas map[string]map[string]any // components/schemas
}

// LoadEngineSpec reads engine-rpc.json from path ("auto" locates it with
// EngineSpecPath).
func LoadEngineSpec(path string) (*EngineSpec, error) {
	if path == "auto" {
		p, err := EngineSpecPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read the engine API specification: %w", err)
	}
	var raw struct {
		Methods []struct {
			Name   string `json:"name"`
			Result struct {
				Schema map[string]any `json:"schema"`
			} `json:"result"`
		} `json:"methods"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("failed to decode the engine API specification: %w", err)
	}
	if len(raw.Methods) == 0 {
		return nil, fmt.Errorf("failed to decode the engine API specification: %s lists no methods", path)
	}
	sp := &EngineSpec{methods: map[string]map[string]any{}, schemas: raw.Components.Schemas}
	for _, m := range raw.Methods {
		sp.methods[m.Name] = m.Result.Schema
	}
	return sp, nil
}

// SchemaProblem is one place where a reply differs from the spec.
type SchemaProblem struct {
	// Path is where: "Class.Method" then the keys and [indices] into the
	// result, e.g. Doc.GetTablesAndKeys.qk[0].
	Path string `json:"path"`
	// Problem says what differs: an unknown key, a JSON type, an enum value.
	Problem string `json:"problem"`
}

// String is "path: problem".
func (p SchemaProblem) String() string { return p.Path + ": " + p.Problem }

// HasMethod tells whether "Class.Method" is a method of the spec.
func (sp *EngineSpec) HasMethod(name string) bool {
	_, ok := sp.methods[name]
	return ok
}

// CheckResult checks the result object of one reply (raw JSON) of method
// name ("Class.Method"). A method outside the spec is one problem.
func (sp *EngineSpec) CheckResult(name string, raw []byte) []SchemaProblem {
	sch, ok := sp.methods[name]
	if !ok {
		return []SchemaProblem{{Path: name, Problem: "not a method of the schema"}}
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return []SchemaProblem{{Path: name, Problem: "result is not JSON: " + err.Error()}}
	}
	return sp.check(name, v, sch)
}

// CheckDecoded is CheckResult over a result decoded with UseNumber.
func (sp *EngineSpec) CheckDecoded(name string, v any) []SchemaProblem {
	sch, ok := sp.methods[name]
	if !ok {
		return []SchemaProblem{{Path: name, Problem: "not a method of the schema"}}
	}
	return sp.check(name, v, sch)
}

// openSchemas are the types whose objects real engines fill with more keys
// than the schema lists: qMeta carries privileges, dates and the like
// (../shared/traffic/corectl-hypercube-layout.json has qMeta.privileges).
var openSchemas = map[string]bool{"NxMeta": true}

// nullKeys are keys real engines send as null where the schema has an
// object: GetFullPropertyTree's qEmbeddedSnapshotRef when nothing is
// embedded (client fixtures captured from engines show it).
var nullKeys = map[string]bool{"qEmbeddedSnapshotRef": true}

// ref resolves a schema's $ref (keeping nothing else: a $ref names the
// whole type).
func (sp *EngineSpec) ref(sch map[string]any) map[string]any {
	for depth := 0; depth < 8; depth++ {
		r, ok := sch["$ref"].(string)
		if !ok {
			return sch
		}
		name := strings.TrimPrefix(r, "#/components/schemas/")
		if openSchemas[name] {
			return map[string]any{"type": "object"}
		}
		sch = sp.schemas[name]
		if sch == nil {
			return map[string]any{}
		}
	}
	return sch
}

// check returns where v differs from sch: unknown keys of objects with
// listed properties, JSON types, and enum strings.
func (sp *EngineSpec) check(path string, v any, sch map[string]any) []SchemaProblem {
	sch = sp.ref(sch)
	typ, _ := sch["type"].(string)
	bad := func(want string) []SchemaProblem {
		return []SchemaProblem{{path, fmt.Sprintf("%s where the schema has %s", jsonKind(v), want)}}
	}
	switch typ {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("an object")
		}
		if obj["qHandle"] == nil && obj["qType"] == nil && sch["properties"] != nil && isObjectInterface(sch) {
			return nil // the engine's "not found": {"qType":null,"qHandle":null} (qix-wire.md)
		}
		props, hasProps := sch["properties"].(map[string]any)
		if !hasProps {
			return nil // free-form (JsonObject, properties of any shape)
		}
		var out []SchemaProblem
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if obj[k] == nil && nullKeys[k] {
				continue
			}
			if ps, ok := props[k].(map[string]any); ok {
				out = append(out, sp.check(path+"."+k, obj[k], ps)...)
				continue
			}
			if add, ok := sch["additionalProperties"].(map[string]any); ok {
				out = append(out, sp.checkAdditional(path+"."+k, k, obj[k], add)...)
				continue
			}
			if !engineKey(k) {
				continue // a client's own key, kept as sent
			}
			out = append(out, SchemaProblem{path, fmt.Sprintf("key %q is not in the schema", k)})
		}
		return out
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return bad("an array")
		}
		items, _ := sch["items"].(map[string]any)
		if items == nil {
			return nil
		}
		var out []SchemaProblem
		for i, x := range arr {
			out = append(out, sp.check(fmt.Sprintf("%s[%d]", path, i), x, items)...)
		}
		return out
	case "string":
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		if enum, ok := sch["oneOf"].([]any); ok {
			for _, e := range enum {
				if title, _ := e.(map[string]any)["title"].(string); title == s {
					return nil
				}
			}
			return []SchemaProblem{{path, fmt.Sprintf("%q is not one of the schema's values", s)}}
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return bad("an integer")
		}
		if _, err := n.Int64(); err != nil {
			return bad("an integer")
		}
	case "number":
		// The engine writes NaN and infinities as strings.
		if s, ok := v.(string); ok && (s == "NaN" || s == "Infinity" || s == "-Infinity") {
			return nil
		}
		if _, ok := v.(json.Number); !ok {
			return bad("a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad("a boolean")
		}
	}
	return nil
}

// engineKey tells whether k is named like the engine's own keys (q then an
// upper-case letter). Any other key in a reply is one a client put in
// properties: engines keep those wherever the client wrote them, also
// inside typed structures (nebula.js's qDef.cId and qDef.series come back
// in GetProperties and qDimensionInfo), so they are the client's, not the
// schema's, to check.
func engineKey(k string) bool {
	return len(k) >= 2 && k[0] == 'q' && k[1] >= 'A' && k[1] <= 'Z'
}

// isObjectInterface reports whether sch is ObjectInterface, the
// {qType, qHandle, qGenericType, qGenericId} of a returned object.
func isObjectInterface(sch map[string]any) bool {
	props, _ := sch["properties"].(map[string]any)
	_, t := props["qType"]
	_, h := props["qHandle"]
	_, g := props["qGenericId"]
	return t && h && g && len(props) == 4
}

// checkAdditional checks a key that is not a listed property: layouts and
// properties may hold named structures (qHyperCube, qListObjectDef, …)
// and free keys of the client's own.
func (sp *EngineSpec) checkAdditional(path, key string, v any, add map[string]any) []SchemaProblem {
	anyOf, ok := add["anyOf"].([]any)
	if !ok {
		return sp.check(path, v, add)
	}
	for _, a := range anyOf {
		am, _ := a.(map[string]any)
		if am["name"] == key {
			if s, ok := am["schema"].(map[string]any); ok {
				return sp.check(path, v, s)
			}
		}
	}
	return nil
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}
