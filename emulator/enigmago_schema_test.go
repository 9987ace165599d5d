package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The engine API specification (OpenRPC with JSON Schema components) ships
// inside the enigma-go module go.mod requires; it is read at test time so
// nothing fetched is committed and the build does not depend on it.

var (
	specOnce sync.Once
	spec     *engineSpec
	specErr  error
)

// engineSpec is the part of engine-rpc.json the reply check needs.
type engineSpec struct {
	methods map[string]map[string]any // "Class.Method" → result schema
	schemas map[string]map[string]any // components/schemas
}

// loadEngineSpec finds engine-rpc.json in the enigma-go module directory.
func loadEngineSpec() (*engineSpec, error) {
	specOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/qlik-oss/enigma-go/v4").Output()
		if err != nil {
			specErr = fmt.Errorf("failed to locate the enigma-go module: %w", err)
			return
		}
		data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "schema", "engine-rpc.json"))
		if err != nil {
			specErr = fmt.Errorf("failed to read the engine API specification: %w", err)
			return
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
			specErr = fmt.Errorf("failed to decode the engine API specification: %w", err)
			return
		}
		spec = &engineSpec{methods: map[string]map[string]any{}, schemas: raw.Components.Schemas}
		for _, m := range raw.Methods {
			spec.methods[m.Name] = m.Result.Schema
		}
	})
	return spec, specErr
}

// checkRepliesAgainstSchema checks every result in recv against the
// schema of the method its request called (sent, by request id). Handles
// map to classes through the object references the replies themselves
// return, as a client learns them.
func checkRepliesAgainstSchema(t testing.TB, sent map[int64]egCall, recv [][]byte) []string {
	t.Helper()
	sp, err := loadEngineSpec()
	if err != nil {
		t.Fatal(err)
	}
	classes := map[int]string{-1: "Global"}
	var problems []string
	for _, raw := range recv {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var m struct {
			ID     *int64 `json:"id"`
			Result any    `json:"result"`
		}
		if d.Decode(&m) != nil || m.ID == nil || m.Result == nil {
			continue
		}
		learnHandles(m.Result, classes)
		call, ok := sent[*m.ID]
		if !ok {
			continue
		}
		name := classes[call.Handle] + "." + call.Method
		sch, ok := sp.methods[name]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: not a method of the schema", name))
			continue
		}
		problems = append(problems, sp.check(name, m.Result, sch)...)
	}
	return problems
}

// dedupeProblems folds array indices ([3] → [*]) so a wrong key repeated
// over many rows is reported once, with its count.
func dedupeProblems(problems []string) []string {
	idx := regexp.MustCompile(`\[\d+\]`)
	count := map[string]int{}
	var order []string
	for _, p := range problems {
		k := idx.ReplaceAllString(p, "[*]")
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for i, k := range order {
		if count[k] > 1 {
			order[i] = fmt.Sprintf("%s (%d times)", k, count[k])
		}
	}
	return order
}

// testDoubleKeys are reply keys of the test doubles in server_test.go
// (fakeDoc), not of the emulator.
var testDoubleKeys = []string{`Doc.GetAppLayout.qLayout: key "qSel" is not in the schema`}

// checkTestReplies checks the replies a test client received (every
// emulator test that dials): methods outside the schema (emulator extras
// such as GetConfiguration, the test doubles' own methods) are left out.
func checkTestReplies(t testing.TB, sent map[int64]egCall, recv [][]byte) {
	t.Helper()
	var kept []string
	for _, p := range checkRepliesAgainstSchema(t, sent, recv) {
		if strings.HasSuffix(p, "not a method of the schema") || slices.ContainsFunc(testDoubleKeys, func(k string) bool { return strings.HasPrefix(p, k) }) {
			continue
		}
		kept = append(kept, p)
	}
	for _, p := range dedupeProblems(kept) {
		t.Errorf("reply differs from the schema: %s", p)
	}
}

// learnHandles records the class of every object reference in v.
func learnHandles(v any, classes map[int]string) {
	switch v := v.(type) {
	case map[string]any:
		if typ, ok := v["qType"].(string); ok {
			if h, ok := v["qHandle"].(json.Number); ok {
				if n, err := h.Int64(); err == nil {
					classes[int(n)] = typ
				}
			}
		}
		for _, x := range v {
			learnHandles(x, classes)
		}
	case []any:
		for _, x := range v {
			learnHandles(x, classes)
		}
	}
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
func (sp *engineSpec) ref(sch map[string]any) map[string]any {
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
func (sp *engineSpec) check(path string, v any, sch map[string]any) []string {
	sch = sp.ref(sch)
	typ, _ := sch["type"].(string)
	bad := func(want string) []string {
		return []string{fmt.Sprintf("%s: %s where the schema has %s", path, jsonKind(v), want)}
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
		var out []string
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
			out = append(out, fmt.Sprintf("%s: key %q is not in the schema", path, k))
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
		var out []string
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
			return []string{fmt.Sprintf("%s: %q is not one of the schema's values", path, s)}
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
func (sp *engineSpec) checkAdditional(path, key string, v any, add map[string]any) []string {
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

// TestEnigmaGoSchemaCheck shows the reply check catches a wrong key, a
// wrong JSON type and a value outside an enum, and passes a right reply.
func TestEnigmaGoSchemaCheck(t *testing.T) {
	sent := map[int64]egCall{
		1: {Handle: -1, Method: "OpenDoc"},
		2: {Handle: 1, Method: "GetTablesAndKeys"},
		3: {Handle: -1, Method: "GetProgress"},
		4: {Handle: 1, Method: "Evaluate"},
		5: {Handle: 1, Method: "NoSuchMethod"},
		6: {Handle: 1, Method: "GetObject"},
		7: {Handle: 1, Method: "GetField"},
	}
	recv := [][]byte{
		[]byte(`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`),
		[]byte(`{"jsonrpc":"2.0","id":1,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"Demo"}}}`),
		[]byte(`{"jsonrpc":"2.0","id":2,"result":{"qtr":[],"qk":[{"qTables":["A"],"qFields":["F"],"qKeyType":"ANY_KEY"}]}}`),
		[]byte(`{"jsonrpc":"2.0","id":3,"result":{"qProgressData":{"qErrorData":[{"qErrorString":"x","qLineEnd":"","qLine":"","qErrorDataCode":0}]}}}`),
		[]byte(`{"jsonrpc":"2.0","id":4,"result":{"qReturn":"7"}}`),
		[]byte(`{"jsonrpc":"2.0","id":5,"result":{}}`),
		[]byte(`{"jsonrpc":"2.0","id":6,"result":{"qReturn":{"qType":null,"qHandle":null}}}`),
		[]byte(`{"jsonrpc":"2.0","id":7,"result":{"qReturn":{"qType":"Field","qHandle":"2"}}}`),
	}
	got := strings.Join(checkRepliesAgainstSchema(t, sent, recv), "\n")
	for _, want := range []string{
		`Doc.GetTablesAndKeys.qk[0]: key "qFields" is not in the schema`,
		`Global.GetProgress.qProgressData.qErrorData[0].qErrorDataCode: a number where the schema has a string`,
		`Doc.NoSuchMethod: not a method of the schema`,
		`Doc.GetField.qReturn.qHandle: a string where the schema has an integer`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Evaluate") || strings.Contains(got, "OpenDoc") || strings.Contains(got, "GetObject") {
		t.Errorf("a right reply was reported:\n%s", got)
	}
	bad := [][]byte{[]byte(`{"jsonrpc":"2.0","id":3,"result":{"qProgressData":{"qErrorData":[{"qErrorDataCode":"EDC_OOPS"}]}}}`)}
	if got := checkRepliesAgainstSchema(t, sent, bad); len(got) != 1 || !strings.Contains(got[0], `"EDC_OOPS" is not one of`) {
		t.Errorf("enum: %v", got)
	}
}
