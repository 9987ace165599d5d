package qixcore

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestLookupMethod(t *testing.T) {
	type in struct {
		name, typ string
		opt       bool
		def       string
	}
	tests := []struct {
		class, method string
		in            []in
		out           []string
		obj           bool
	}{
		{"Global", "OpenDoc", []in{
			{"qDocName", "string", false, `""`}, {"qUserName", "string", true, `""`},
			{"qPassword", "string", true, `""`}, {"qSerial", "string", true, `""`},
			{"qNoData", "boolean", true, "false"},
		}, []string{"qReturn"}, true},
		{"Global", "GetActiveDoc", nil, []string{"qReturn"}, true},
		{"Global", "CreateSessionApp", nil, []string{"qSessionAppId", "qReturn"}, true},
		{"Global", "EngineVersion", nil, []string{"qVersion"}, false},
		{"Global", "GetInteract", []in{{"qRequestId", "number", false, "0"}}, []string{"qDef", "qReturn"}, false},
		{"Doc", "GetObject", []in{{"qId", "string", false, `""`}}, []string{"qReturn"}, true},
		{"Doc", "CreateSessionObject", []in{{"qProp", "object", false, ""}}, []string{"qReturn"}, true},
		{"Doc", "CreateObject", []in{{"qProp", "object", false, ""}}, []string{"qInfo", "qReturn"}, true},
		{"Doc", "GetField", []in{{"qFieldName", "string", false, `""`}, {"qStateName", "string", true, `""`}}, []string{"qReturn"}, true},
		{"Doc", "Evaluate", []in{{"qExpression", "string", false, `""`}}, []string{"qReturn"}, false},
		{"Doc", "GetAppLayout", nil, []string{"qLayout"}, false},
		{"Doc", "CheckExpression", []in{{"qExpr", "string", false, `""`}, {"qLabels", "array", true, ""}},
			[]string{"qErrorMsg", "qBadFieldNames", "qDangerousFieldNames"}, false},
		{"Doc", "DoReload", []in{{"qMode", "number", true, "0"}, {"qPartial", "boolean", true, "false"}, {"qDebug", "boolean", true, "false"}},
			[]string{"qReturn"}, false},
		{"Doc", "SelectAssociations", []in{{"qOptions", "object", false, ""}, {"qTerms", "array", false, ""},
			{"qMatchIx", "number", false, "0"}, {"qSoftLock", "", true, "null"}}, nil, false},
		{"GenericObject", "GetLayout", nil, []string{"qLayout"}, false},
		{"GenericObject", "GetHyperCubeData", []in{{"qPath", "string", false, `""`}, {"qPages", "array", false, ""}}, []string{"qDataPages"}, false},
		{"GenericObject", "CreateChild", []in{{"qProp", "object", false, ""}, {"qPropForThis", "", true, "null"}}, []string{"qInfo", "qReturn"}, true},
		{"GenericObject", "GetChild", []in{{"qId", "string", false, `""`}}, []string{"qReturn"}, true},
		{"Field", "Select", []in{{"qMatch", "string", false, `""`}, {"qSoftLock", "boolean", true, "false"}, {"qExcludedValuesMode", "number", true, "0"}},
			[]string{"qReturn"}, false},
		{"GenericVariable", "GetLayout", nil, []string{"qLayout"}, false},
		{"GenericBookmark", "Apply", nil, []string{"qSuccess"}, false},
		{"GenericMeasure", "GetMeasure", nil, []string{"qMeasure"}, false},
		{"GenericDimension", "GetDimension", nil, []string{"qDim"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.class+"."+tt.method, func(t *testing.T) {
			m, ok := LookupMethod(tt.class, tt.method)
			if !ok {
				t.Fatal("not found")
			}
			if m.Class != tt.class || m.Name != tt.method {
				t.Errorf("Class/Name = %s.%s", m.Class, m.Name)
			}
			var got []in
			for _, p := range m.In {
				got = append(got, in{p.Name, p.DataType, p.Optional, string(p.Default)})
			}
			if !reflect.DeepEqual(got, tt.in) {
				t.Errorf("In = %v, want %v", got, tt.in)
			}
			if !reflect.DeepEqual(m.Out, tt.out) {
				t.Errorf("Out = %v, want %v", m.Out, tt.out)
			}
			if m.ReturnsObject != tt.obj {
				t.Errorf("ReturnsObject = %v", m.ReturnsObject)
			}
		})
	}
	for _, miss := range [][2]string{{"Doc", "NoSuchMethod"}, {"NoSuchClass", "GetLayout"}, {"", ""}, {"doc", "GetObject"}} {
		if m, ok := LookupMethod(miss[0], miss[1]); ok || m != nil {
			t.Errorf("LookupMethod(%q, %q) = %v, %v", miss[0], miss[1], m, ok)
		}
	}
}

func TestSchemaCounts(t *testing.T) {
	classes := Classes()
	if len(classes) != 29 || !slices.IsSorted(classes) {
		t.Fatalf("Classes() = %d %v", len(classes), classes)
	}
	for _, c := range []string{"Global", "Doc", "GenericObject", "Field", "GenericVariable", "GenericBookmark", "GenericMeasure", "GenericDimension", "Variable"} {
		if !slices.Contains(classes, c) {
			t.Errorf("class %s missing", c)
		}
	}
	want := map[string]int{"Global": 55, "Doc": 157, "GenericObject": 61, "Field": 17, "GenericVariable": 9,
		"GenericBookmark": 12, "GenericMeasure": 11, "GenericDimension": 14}
	total, objects := 0, 0
	for _, c := range classes {
		ms := Methods(c)
		if n, ok := want[c]; ok && len(ms) != n {
			t.Errorf("Methods(%s) has %d, want %d", c, len(ms), n)
		}
		if !slices.IsSortedFunc(ms, func(a, b *Method) int { return strings.Compare(a.Name, b.Name) }) {
			t.Errorf("Methods(%s) not sorted", c)
		}
		for _, m := range ms {
			if m.Class != c {
				t.Errorf("%s.%s has Class %s", c, m.Name, m.Class)
			}
			if got, _ := LookupMethod(c, m.Name); got != m {
				t.Errorf("LookupMethod(%s, %s) differs from Methods", c, m.Name)
			}
			if m.ReturnsObject {
				objects++
				if !slices.Contains(m.Out, "qReturn") {
					t.Errorf("%s.%s returns an object but has no qReturn", c, m.Name)
				}
			}
		}
		total += len(ms)
	}
	if total != 486 || objects != 27 {
		t.Errorf("%d methods, %d returning objects; want 486, 27", total, objects)
	}
	if Methods("Nope") != nil {
		t.Error("Methods of an unknown class")
	}
	// Fresh copies: callers may modify them.
	Classes()[0] = "x"
	Methods("Doc")[0] = nil
	if Classes()[0] == "x" || Methods("Doc")[0] == nil {
		t.Error("Classes/Methods return shared slices")
	}
	if ErrorCodeName(1003) != "LOCERR_APP_NOT_FOUND" || ErrorCodeName(-128) != "LOCERR_INTERNAL_ERROR" || ErrorCodeName(424242) != "" {
		t.Error("ErrorCodeName")
	}
	if n := len(schema().errors); n != 325 {
		t.Errorf("%d error codes, want 325", n)
	}
	if SchemaVersion != "12.2027.0" {
		t.Errorf("SchemaVersion = %q", SchemaVersion)
	}
}

func TestSchemaJSON(t *testing.T) {
	var got map[string][]string
	b := SchemaJSON()
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("SchemaJSON is not JSON: %v", err)
	}
	if len(got) != 29 {
		t.Fatalf("%d classes", len(got))
	}
	for c, names := range got {
		ms := Methods(c)
		if len(ms) != len(names) {
			t.Fatalf("%s: %d names, %d methods", c, len(names), len(ms))
		}
		for i, m := range ms {
			if names[i] != m.Name {
				t.Fatalf("%s[%d] = %s, want %s", c, i, names[i], m.Name)
			}
		}
	}
	b[0] = 'x'
	if SchemaJSON()[0] != '{' {
		t.Fatal("SchemaJSON returns a shared slice")
	}
}

// TestSchemaMatchesEnigma checks the tables against the schema file itself
// (In/Out names, Optional, scalar defaults) when node_modules is present.
func TestSchemaMatchesEnigma(t *testing.T) {
	raw, err := os.ReadFile(schemaSource)
	if err != nil {
		t.Skipf("schema not installed: %v", err)
	}
	var s struct {
		Structs map[string]map[string]struct {
			In []struct {
				Name         string
				DefaultValue json.RawMessage
				Optional     bool
			}
			Out []struct{ Name string }
		}
		Enums map[string]map[string]int
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	n := 0
	for c, methods := range s.Structs {
		for name, sm := range methods {
			n++
			m, ok := LookupMethod(c, name)
			if !ok {
				t.Fatalf("%s.%s missing", c, name)
			}
			if len(m.In) != len(sm.In) {
				t.Fatalf("%s.%s: %d params, schema %d", c, name, len(m.In), len(sm.In))
			}
			for i, p := range sm.In {
				got := m.In[i]
				if got.Name != p.Name || got.Optional != p.Optional {
					t.Errorf("%s.%s param %d = %+v, schema %+v", c, name, i, got, p)
				}
				if got.Default != nil && !bytes.Equal(got.Default, p.DefaultValue) {
					var a, b any
					_ = json.Unmarshal(got.Default, &a)
					_ = json.Unmarshal(p.DefaultValue, &b)
					if !reflect.DeepEqual(a, b) {
						t.Errorf("%s.%s.%s default %s, schema %s", c, name, p.Name, got.Default, p.DefaultValue)
					}
				}
			}
			var outs []string
			for _, o := range sm.Out {
				outs = append(outs, o.Name)
			}
			trimmed := slices.DeleteFunc(slices.Clone(m.Out), func(o string) bool { return o == "qReturn" && !slices.Contains(outs, "qReturn") })
			if !slices.Equal(trimmed, outs) {
				t.Errorf("%s.%s Out %v, schema %v", c, name, m.Out, outs)
			}
		}
	}
	if n != 486 {
		t.Errorf("schema has %d methods", n)
	}
	for name, code := range s.Enums["LocalizedErrorCode"] {
		if ErrorCodeName(code) != name {
			t.Errorf("ErrorCodeName(%d) = %q, want %q", code, ErrorCodeName(code), name)
		}
	}
}

const schemaSource = "../node_modules/enigma.js/schemas/12.2027.0.json"

// TestSchemaGenUpToDate runs the generator and compares its output with
// the committed schema_gen.go.
func TestSchemaGenUpToDate(t *testing.T) {
	if _, err := os.Stat(schemaSource); err != nil {
		t.Skipf("schema not installed: %v", err)
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out := filepath.Join(t.TempDir(), "schema_gen.go")
	cmd := exec.Command(goTool, "run", "./internal/schemagen", "-in", schemaSource, "-out", out)
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("schemagen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("schema_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("schema_gen.go is stale: run go generate ./qixcore")
	}
}

func TestDecodeSchemaPanicsOnBadTable(t *testing.T) {
	for _, table := range []string{"=C\nbroken line\n", "M|||\n", "=C\nM|p:long||\n", "=C=Unknown\n", "=C\nM|||\n=D=C\nN|||\n"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("decodeSchema(%q) did not panic", table)
				}
			}()
			decodeSchema(table, "")
		}()
	}
}

// TestDecodeSchemaSharedBlocks checks the compact forms of the generated
// tables: a class written as "=X=Y" has Y's methods as its own values
// (Class X), and error codes written without a number count up from the
// line before.
func TestDecodeSchemaSharedBlocks(t *testing.T) {
	shared := 0
	for line := range strings.SplitSeq(schemaTable, "\n") {
		x, y, ok := strings.Cut(strings.TrimPrefix(line, "="), "=")
		if !ok || !strings.HasPrefix(line, "=") {
			continue
		}
		shared++
		mx, my := Methods(x), Methods(y)
		if len(mx) == 0 || len(mx) != len(my) {
			t.Fatalf("%s has %d methods, %s %d", x, len(mx), y, len(my))
		}
		for i := range mx {
			if mx[i].Class != x || mx[i].Name != my[i].Name || !reflect.DeepEqual(mx[i].In, my[i].In) ||
				!reflect.DeepEqual(mx[i].Out, my[i].Out) || mx[i].ReturnsObject != my[i].ReturnsObject {
				t.Fatalf("%s.%s = %+v, %s's = %+v", x, mx[i].Name, mx[i], y, my[i])
			}
		}
	}
	if shared == 0 {
		t.Fatal("no shared class in the generated table")
	}
	implicit := 0
	for line := range strings.SplitSeq(errorCodeTable, "\n") {
		if line != "" && !strings.Contains(line, " ") {
			implicit++
		}
	}
	if implicit == 0 || len(schema().errors) != errorCodeCount {
		t.Fatalf("%d implicit codes, %d codes decoded", implicit, len(schema().errors))
	}
	for code, name := range map[int]string{-32601: "LOCERR_JSON_RPC_METHOD_NOT_FOUND", -1: "LOCERR_GENERIC_UNKNOWN", 0: "LOCERR_GENERIC_OK", 20: "LOCERR_GENERIC_NOT_IMPLEMENTED", 1003: "LOCERR_APP_NOT_FOUND"} {
		if got := ErrorCodeName(code); got != name {
			t.Errorf("ErrorCodeName(%d) = %q, want %q", code, got, name)
		}
	}
}

func BenchmarkLookupMethod(b *testing.B) {
	schema()
	for b.Loop() {
		if _, ok := LookupMethod("GenericObject", "GetLayout"); !ok {
			b.Fatal("missing")
		}
	}
}
