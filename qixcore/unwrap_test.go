package qixcore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

func mustMethod(t testing.TB, class, name string) *Method {
	t.Helper()
	m, ok := LookupMethod(class, name)
	if !ok {
		t.Fatalf("%s.%s not in schema", class, name)
	}
	return m
}

func TestOutKey(t *testing.T) {
	tests := []struct{ class, method, want string }{
		{"Doc", "GetObject", "qReturn"},
		{"Doc", "CreateObject", "qReturn"},
		{"Global", "OpenDoc", "qReturn"},
		{"Global", "CreateSessionApp", "qReturn"},
		{"Doc", "Evaluate", "qReturn"},
		{"Field", "Select", "qReturn"},
		{"GenericObject", "GetLayout", "qLayout"},
		{"Doc", "DestroyObject", "qSuccess"},
		{"Global", "GetInteract", "qDef"},
		{"Doc", "StoreTempSelectionState", "qId"},
		{"Doc", "CreateTemporaryBookmark", "qId"},
		{"Doc", "CheckExpression", ""},
		{"Doc", "GetTablesAndKeys", ""},
		{"Doc", "Back", ""},
	}
	for _, tt := range tests {
		if got := mustMethod(t, tt.class, tt.method).OutKey(); got != tt.want {
			t.Errorf("%s.%s OutKey = %q, want %q", tt.class, tt.method, got, tt.want)
		}
	}
	var unknown *Method
	if unknown.OutKey() != "" {
		t.Error("nil Method has an out key")
	}
}

func TestUnwrapRule(t *testing.T) {
	tests := []struct {
		name          string
		class, method string // "" = unknown method (nil)
		result        string
		rule          UnwrapRule
		want          string // "undefined" = nil
	}{
		{"qReturn object", "Doc", "GetObject", `{"qReturn":{"qType":"GenericObject","qHandle":2,"qGenericType":"sheet","qGenericId":"x"}}`,
			UnwrapRule{Object: true}, `{"qType":"GenericObject","qHandle":2,"qGenericType":"sheet","qGenericId":"x"}`},
		{"qReturn object beside qInfo", "Doc", "CreateObject", `{"qInfo":{"qId":"a"},"qReturn":{"qType":"GenericObject","qHandle":3}}`,
			UnwrapRule{Key: "qInfo", Object: true}, `{"qType":"GenericObject","qHandle":3}`},
		{"qReturn not found", "Doc", "GetObject", `{"qReturn":{"qType":null,"qHandle":null}}`,
			UnwrapRule{Object: true}, `{"qType":null,"qHandle":null}`},
		{"qReturn true", "Field", "Select", `{"qReturn":true}`, UnwrapRule{}, `true`},
		{"qReturn false", "Doc", "DoReload", `{"qReturn":false}`, UnwrapRule{}, `false`},
		{"qReturn zero", "Field", "GetCardinal", `{"qReturn":0}`, UnwrapRule{}, `0`},
		{"qReturn empty string", "Doc", "Evaluate", `{"qReturn":""}`, UnwrapRule{}, `""`},
		{"qReturn null", "Doc", "Evaluate", `{"qReturn":null}`, UnwrapRule{}, `null`},
		{"single out", "GenericObject", "GetLayout", `{"qLayout":{"qInfo":{"qId":"a"}}}`, UnwrapRule{Key: "qLayout"}, `{"qInfo":{"qId":"a"}}`},
		{"single out false", "Doc", "DestroyObject", `{"qSuccess":false}`, UnwrapRule{Key: "qSuccess"}, `false`},
		{"single out missing", "GenericObject", "GetLayout", `{}`, UnwrapRule{Key: "qLayout"}, "undefined"},
		{"multiple outs", "Doc", "CheckExpression", `{"qErrorMsg":"","qBadFieldNames":[],"qDangerousFieldNames":[]}`,
			UnwrapRule{}, `{"qErrorMsg":"","qBadFieldNames":[],"qDangerousFieldNames":[]}`},
		{"empty result", "Doc", "Back", `{}`, UnwrapRule{}, `{}`},
		{"empty result with return expected", "Doc", "Evaluate", `{}`, UnwrapRule{}, `{}`},
		{"GetInteract drops qReturn", "Global", "GetInteract", `{"qDef":{"qType":1},"qReturn":true}`,
			UnwrapRule{Key: "qDef", IgnoreReturn: true}, `{"qType":1}`},
		{"StoreTempSelectionState drops qReturn", "Doc", "StoreTempSelectionState", `{"qId":"t1","qReturn":true}`,
			UnwrapRule{Key: "qId", IgnoreReturn: true}, `"t1"`},
		{"session app id", "Global", "CreateSessionApp", `{"qReturn":{"qType":"Doc","qHandle":1},"qSessionAppId":"SessionApp_1"}`,
			UnwrapRule{Key: "qSessionAppId", Object: true, SessionAppID: true}, `{"qGenericId":"SessionApp_1","qHandle":1,"qType":"Doc"}`},
		{"session app id empty", "Global", "CreateSessionAppFromApp", `{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"g"},"qSessionAppId":""}`,
			UnwrapRule{Key: "qSessionAppId", Object: true, SessionAppID: true}, `{"qType":"Doc","qHandle":1,"qGenericId":"g"}`},
		{"unknown method qReturn", "", "", `{"qReturn":5,"x":1}`, UnwrapRule{}, `5`},
		{"unknown method whole", "", "", `{"x":1}`, UnwrapRule{}, `{"x":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m *Method
			if tt.class != "" {
				m = mustMethod(t, tt.class, tt.method)
			}
			rule := m.UnwrapRule()
			if rule != tt.rule {
				t.Errorf("UnwrapRule = %+v, want %+v", rule, tt.rule)
			}
			got, err := rule.Apply([]byte(tt.result))
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if tt.want == "undefined" {
				if got != nil {
					t.Errorf("Apply = %s, want undefined", got)
				}
				return
			}
			if string(got) != tt.want {
				t.Errorf("Apply = %s, want %s", got, tt.want)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `true`, `{"a":`, `null`} {
		if _, err := (UnwrapRule{}).Apply([]byte(bad)); err == nil {
			t.Errorf("Apply(%q): want error", bad)
		}
	}
}

func TestEncodeParams(t *testing.T) {
	tests := []struct {
		name          string
		class, method string // "" = unknown method
		args, want    string
	}{
		{"named all", "Global", "OpenDoc", `[{"qDocName":"a","qUserName":"u","qPassword":"p","qSerial":"s","qNoData":true}]`,
			`["a","u","p","s",true]`},
		{"named out of order", "Global", "OpenDoc", `[{"qNoData":true,"qDocName":"a"}]`, `["a","","","",true]`},
		{"named falsy kept", "Global", "OpenDoc", `[{"qDocName":"","qNoData":false}]`, `["","","","",false]`},
		{"named trailing trimmed", "Global", "OpenDoc", `[{"qDocName":"a"}]`, `["a"]`},
		{"named zero and null", "Doc", "DoReload", `[{"qMode":0,"qDebug":null}]`, `[0,false,null]`},
		{"named gap object and array", "GenericObject", "SelectHyperCubeCells", `[{"qPath":"/qHyperCubeDef","qColIndices":[0],"qSoftLock":false}]`,
			`["/qHyperCubeDef",[],[0],false]`},
		{"named gap object", "Doc", "GetTablesAndKeys", `[{"qCellHeight":0}]`, `[{},{},0]`},
		{"named gap null default", "GenericObject", "DestroyChild", `[{"qId":"c"}]`, `["c"]`},
		{"named object param", "Doc", "CreateSessionObject", `[{"qProp":{"qInfo":{"qType":"x"}}}]`, `[{"qInfo":{"qType":"x"}}]`},
		{"positional object param", "Doc", "CreateSessionObject", `[{"qInfo":{"qType":"x"},"qHyperCubeDef":{}}]`,
			`[{"qInfo":{"qType":"x"},"qHyperCubeDef":{}}]`},
		{"empty object for object param", "Doc", "CreateSessionObject", `[{}]`, `[{}]`},
		{"empty object for scalar params", "Doc", "GetField", `[{}]`, `[]`},
		{"empty object no params", "Doc", "Back", `[{}]`, `[]`},
		{"mixed keys positional", "Global", "OpenDoc", `[{"qDocName":"a","other":1}]`, `[{"qDocName":"a","other":1}]`},
		{"case sensitive keys", "Global", "OpenDoc", `[{"qdocname":"a"}]`, `[{"qdocname":"a"}]`},
		{"positional", "Global", "OpenDoc", `["a","",  "",""  ,false]`, `["a","",  "",""  ,false]`},
		{"positional single string", "Doc", "GetObject", `["id"]`, `["id"]`},
		{"two objects", "GenericObject", "CreateChild", `[{"qProp":1},{"qInfo":{}}]`, `[{"qProp":1},{"qInfo":{}}]`},
		{"array argument", "Doc", "SetFavoriteVariables", `[["a","b"]]`, `[["a","b"]]`},
		{"no args", "Doc", "GetAppLayout", `[]`, `[]`},
		{"empty input", "Doc", "GetAppLayout", ``, `[]`},
		{"whitespace", "Doc", "GetObject", " \n[ {\"qId\" : \"x\"} ]\t", `["x"]`},
		{"escaped key", "Doc", "GetObject", `[{"q\u0049d":"x"}]`, `["x"]`},
		{"duplicate key last wins", "Doc", "GetObject", `[{"qId":"a","qId":"b"}]`, `["b"]`},
		{"string with brackets", "Doc", "GetObject", `[{"qId":"}]\"{["}]`, `["}]\"{["]`},
		{"unknown method passthrough", "", "", `[{"qId":"x"}]`, `[{"qId":"x"}]`},
		{"null args", "Doc", "Back", `null`, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m *Method
			if tt.class != "" {
				m = mustMethod(t, tt.class, tt.method)
			}
			args := []byte(tt.args)
			orig := bytes.Clone(args)
			got, err := EncodeParams(m, args)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("EncodeParams = %s, want error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("EncodeParams: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("EncodeParams = %s, want %s", got, tt.want)
			}
			if !bytes.Equal(args, orig) {
				t.Errorf("args modified: %s", args)
			}
		})
	}
	for _, bad := range []string{`{"qId":1}`, `"x"`, `[1,`, `[{"a":1}`, `[}`, `[1]x`} {
		if got, err := EncodeParams(mustMethod(t, "Doc", "GetObject"), []byte(bad)); err == nil {
			t.Errorf("EncodeParams(%q) = %s, want error", bad, got)
		}
	}
}

func FuzzEncodeParams(f *testing.F) {
	for _, s := range []string{`[]`, `[{"qDocName":"a","qNoData":false}]`, `[{"qId":"x"}]`, `[{}]`, `["a",1,null]`,
		`[{"qProp":{"qInfo":{}}}]`, `[{"qPath":"/","qColIndices":[1]}]`, `[{"a":"\"}"}]`, ` [ { } ] `, `{"x":1}`} {
		f.Add(s, "Global", "OpenDoc")
		f.Add(s, "Doc", "GetObject")
		f.Add(s, "GenericObject", "SelectHyperCubeCells")
		f.Add(s, "Doc", "CreateSessionObject")
		f.Add(s, "", "")
	}
	f.Fuzz(func(t *testing.T, args, class, method string) {
		m, _ := LookupMethod(class, method)
		in := []byte(args)
		orig := bytes.Clone(in)
		out, err := EncodeParams(m, in)
		if !bytes.Equal(in, orig) {
			t.Fatalf("args modified")
		}
		if err != nil {
			if trimmed := bytes.TrimSpace(in); json.Valid(trimmed) && (len(trimmed) == 0 || trimmed[0] == '[') {
				t.Fatalf("EncodeParams(%q) rejected a valid array: %v", args, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("EncodeParams(%q) = %q: invalid JSON", args, out)
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(out, &arr); err != nil {
			t.Fatalf("EncodeParams(%q) = %q: not an array: %v", args, out, err)
		}
		if m != nil && len(arr) > len(m.In) {
			var orig []json.RawMessage
			if json.Unmarshal(in, &orig) != nil || len(orig) != len(arr) {
				t.Fatalf("EncodeParams(%q) = %q: more params than the method has", args, out)
			}
		}
	})
}

func ExampleEncodeParams() {
	openDoc, _ := LookupMethod("Global", "OpenDoc")

	// Named parameters keep falsy values and fill gaps with defaults.
	named, _ := EncodeParams(openDoc, []byte(`[{"qNoData":false,"qDocName":"sales.qvf"}]`))
	fmt.Println(string(named))

	// Positional arguments go through unchanged.
	positional, _ := EncodeParams(openDoc, []byte(`["sales.qvf"]`))
	fmt.Println(string(positional))

	// An object that is not made of parameter names is a positional
	// argument, here CreateSessionObject's qProp.
	create, _ := LookupMethod("Doc", "CreateSessionObject")
	props, _ := EncodeParams(create, []byte(`[{"qInfo":{"qType":"my-list"}}]`))
	fmt.Println(string(props))

	// The unwrap rule says which result key a call resolves with.
	rule := openDoc.UnwrapRule()
	doc, _ := rule.Apply([]byte(`{"qReturn":{"qType":"Doc","qHandle":1}}`))
	fmt.Println(openDoc.OutKey(), rule.Object, string(doc))
	// Output:
	// ["sales.qvf","","","",false]
	// ["sales.qvf"]
	// [{"qInfo":{"qType":"my-list"}}]
	// qReturn true {"qType":"Doc","qHandle":1}
}

func BenchmarkEncodeParamsNamed(b *testing.B) {
	m := mustMethod(b, "GenericObject", "SelectHyperCubeCells")
	args := []byte(`[{"qPath":"/qHyperCubeDef","qRowIndices":[1,2,3],"qColIndices":[0],"qSoftLock":false}]`)
	for b.Loop() {
		if _, err := EncodeParams(m, args); err != nil {
			b.Fatal(err)
		}
	}
}
