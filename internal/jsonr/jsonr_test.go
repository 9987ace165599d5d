package jsonr

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestMain fails the run when tests leave goroutines behind (not when
// fuzzing, nor under js/wasm: the fuzzing engine and the js runtime's
// event loop keep goroutines of their own).
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	if f := flag.Lookup("test.fuzz"); code == 0 && runtime.GOOS != "js" && (f == nil || f.Value.String() == "") {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			fmt.Fprintf(os.Stderr, "jsonr: %d goroutines leaked\n", n-before)
			code = 1
		}
	}
	os.Exit(code)
}

// validCases are inputs for Valid, the fuzz seeds and the tree tests.
var validCases = []string{
	`{}`, `[]`, `0`, `-0`, `1.5e+3`, `-12.25E-2`, `true`, `false`, `null`, `""`,
	` {"a" : [1, 2, {"b":null}], "c":"d"} `,
	`"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`,
	`"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`,
	`[[[[[]]]],{"":{"":[]}}]`,
	`{"a":1,"a":2}`,
	"\"\xff\xfe\"", // invalid UTF-8 is left alone, as json.Valid does
	"[1,\n\t2\r]",
}

var invalidCases = []string{
	``, ` `, `{`, `}`, `[`, `[1,]`, `{"a":1,}`, `{,}`, `[,1]`, `{"a"}`, `{"a" 1}`, `{1:2}`,
	`01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `0x1`, `tru`, `truex`, `nul`, `NaN`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\x01\"", `'a'`, `[1 2]`, `{"a":1 "b":2}`,
	`{} {}`, `[1]]`, `[}`, `{]`, `"\`,
}

func TestValid(t *testing.T) {
	for _, c := range append(append([]string{}, validCases...), invalidCases...) {
		if got, want := Valid([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("Valid(%q) = %v, encoding/json says %v", c, got, want)
		}
	}
	deep := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if !Valid([]byte(deep)) {
		t.Error("nesting at the limit refused")
	}
	if Valid([]byte("[" + deep + "]")) {
		t.Error("nesting past the limit accepted")
	}
}

// readAny reads one value with the Lexer into the shapes encoding/json
// gives with UseNumber.
func readAny(l *Lexer) any {
	switch l.CurrentToken() {
	case TokenDelim:
		if l.IsDelim('{') {
			l.Delim('{')
			m := map[string]any{}
			for l.Ok() && !l.IsDelim('}') {
				k := l.String()
				l.WantColon()
				m[k] = readAny(l)
				l.WantComma()
			}
			l.Delim('}')
			return m
		}
		l.Delim('[')
		a := []any{}
		for l.Ok() && !l.IsDelim(']') {
			a = append(a, readAny(l))
			l.WantComma()
		}
		l.Delim(']')
		return a
	case TokenString:
		return l.String()
	case TokenNumber:
		return json.Number(l.Raw())
	case TokenBool:
		return l.Bool()
	case TokenNull:
		l.Null()
		return nil
	}
	l.Skip()
	return nil
}

func refAny(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return v, nil
}

// checkAgainstReference compares the Lexer, Valid, Object and
// AppendCompact with encoding/json on data.
func checkAgainstReference(t *testing.T, data []byte) {
	t.Helper()
	ok := json.Valid(data)
	if Valid(data) != ok {
		t.Fatalf("Valid(%q) = %v, encoding/json %v", data, !ok, ok)
	}
	l := Lexer{Data: data}
	got := readAny(&l)
	l.Consumed()
	if (l.Error() == nil) != ok {
		t.Fatalf("Lexer on %q: error %v, encoding/json valid %v", data, l.Error(), ok)
	}
	// encoding/json replaces invalid UTF-8 in strings with U+FFFD; the
	// lexer keeps the bytes (as jlexer did).
	if !ok || !utf8.Valid(data) {
		return
	}
	want, err := refAny(data)
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %#v\nwant %#v", data, got, want)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		t.Fatal(err)
	}
	if c := AppendCompact(nil, data); !bytes.Equal(c, buf.Bytes()) {
		t.Fatalf("AppendCompact(%q) = %q, want %q", data, c, buf.Bytes())
	}
	var refObj map[string]json.RawMessage
	refErr := json.Unmarshal(data, &refObj)
	obj, err := Object(data)
	if (err == nil) != (refErr == nil) {
		t.Fatalf("Object(%q): %v, encoding/json %v", data, err, refErr)
	}
	if err == nil {
		if len(obj) != len(refObj) || (obj == nil) != (refObj == nil) {
			t.Fatalf("Object(%q) = %q, want %q", data, obj, refObj)
		}
		for k, v := range refObj {
			if !bytes.Equal(obj[k], v) {
				t.Fatalf("Object(%q)[%q] = %q, want %q", data, k, obj[k], v)
			}
		}
	}
}

func TestAgainstEncodingJSON(t *testing.T) {
	for _, c := range append(append([]string{}, validCases...), invalidCases...) {
		checkAgainstReference(t, []byte(c))
	}
}

func FuzzAgainstEncodingJSON(f *testing.F) {
	for _, c := range append(append([]string{}, validCases...), invalidCases...) {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstReference(t, data)
	})
}

func TestStrings(t *testing.T) {
	for _, c := range []string{
		`""`, `"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`,
		`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\ud800\udc00"`, `"a\ud83dz"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(c), &want); err != nil {
			t.Fatal(err)
		}
		l := Lexer{Data: []byte(c)}
		if got := l.String(); got != want || !l.Ok() {
			t.Errorf("String(%s) = %q (%v), want %q", c, got, l.Error(), want)
		}
		l = Lexer{Data: []byte(c)}
		if got := l.UnsafeFieldName(false); got != want {
			t.Errorf("UnsafeFieldName(%s) = %q, want %q", c, got, want)
		}
	}
	l := Lexer{Data: []byte(`"a\nb"`)}
	if got := l.UnsafeFieldName(true); got != `a\nb` {
		t.Errorf("UnsafeFieldName(true) = %q, want the escapes kept", got)
	}
	l = Lexer{Data: []byte("\"\xff\xfe\"")}
	if got := l.String(); got != "\xff\xfe" {
		t.Errorf("invalid UTF-8 = %q, want the bytes as they are", got)
	}
	// String copies: changing the input later does not change it.
	data := []byte(`"abc"`)
	l = Lexer{Data: data}
	s := l.String()
	data[1] = 'x'
	if s != "abc" {
		t.Errorf("String aliases its input: %q", s)
	}
}

func TestNumbers(t *testing.T) {
	l := Lexer{Data: []byte(`[1,-9223372036854775808,9223372036854775808,1.5,1e3,"2",true]`)}
	l.Delim('[')
	if n := l.Int(); n != 1 {
		t.Errorf("Int = %d", n)
	}
	l.WantComma()
	if n := l.Int64(); n != -9223372036854775808 {
		t.Errorf("Int64 = %d", n)
	}
	l.WantComma()
	_ = l.Int64()
	var le *LexerError
	if !errors.As(l.Error(), &le) || !strings.Contains(le.Reason, "out of range") || le.Data != "9223372036854775808" {
		t.Fatalf("overflow: %v", l.Error())
	}
	for _, c := range []string{`1.5`, `1e3`, `"2"`, `true`, `null`} {
		l := Lexer{Data: []byte(c)}
		if l.Int(); l.Ok() {
			t.Errorf("Int(%s) accepted", c)
		}
	}
}

func TestBoolsAndNull(t *testing.T) {
	l := Lexer{Data: []byte(`[true,false,null]`)}
	l.Delim('[')
	a := l.Bool()
	l.WantComma()
	b := l.Bool()
	l.WantComma()
	isNull := l.IsNull()
	l.Null()
	l.WantComma()
	l.Delim(']')
	l.Consumed()
	if !a || b || !isNull || !l.Ok() {
		t.Fatalf("got %v %v %v %v", a, b, isNull, l.Error())
	}
	l = Lexer{Data: []byte(`1`)}
	if l.Bool(); l.Ok() {
		t.Error("Bool(1) accepted")
	}
	l = Lexer{Data: []byte(`1`)}
	if l.Null(); l.Ok() {
		t.Error("Null(1) accepted")
	}
}

func TestStructureErrors(t *testing.T) {
	obj := func(data string) error {
		l := Lexer{Data: []byte(data)}
		l.Delim('{')
		for l.Ok() && !l.IsDelim('}') {
			_ = l.UnsafeFieldName(false)
			l.WantColon()
			l.SkipRecursive()
			l.WantComma()
		}
		l.Delim('}')
		l.Consumed()
		return l.Error()
	}
	for _, c := range []string{`{"a":1}`, ` { } `, `{"a":{"b":[1,{"c":"}"}]},"d":"]"}`} {
		if err := obj(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, c := range []string{`{"a":1,}`, `{"a" 1}`, `{"a":1 "b":2}`, `{"a":[1,]}`, `{"a":{"b" 1}}`,
		`{"a":[1 2]}`, `{"a":1}x`, `{"a":1`, `[1]`, `{"a":01}`, `{"a":"\q"}`, `{"a":[`} {
		if err := obj(c); err == nil {
			t.Errorf("%s accepted", c)
		}
	}
	l := Lexer{Data: []byte(`  `)}
	if l.Delim('{'); l.Error() != io.EOF {
		t.Errorf("empty input: %v, want io.EOF", l.Error())
	}
	l = Lexer{Data: []byte(`{"a":1} x`)}
	l.SkipRecursive()
	l.Consumed()
	if err := l.Error(); err == nil || !strings.Contains(err.Error(), "after top-level value") {
		t.Errorf("Consumed: %v", err)
	}
	l = Lexer{Data: []byte(`[1]`)}
	l.Delim('{')
	if err := l.Error(); err == nil || err.Error() != "parse error: expected { near offset 1 of '['" {
		t.Errorf("Delim error: %v", err)
	}
	l = Lexer{Data: []byte(`{}`)}
	l.AddError(errors.New("first"))
	l.AddError(errors.New("second"))
	if l.Ok() || l.Error().Error() != "first" || !l.IsDelim('}') {
		t.Errorf("AddError: %v", l.Error())
	}
}

func TestRawAndPos(t *testing.T) {
	data := []byte(`{"a" : [1, {"b":"c"}] , "n": -1.5e2, "s":"x\"y"}`)
	l := Lexer{Data: data}
	l.Delim('{')
	var raws []string
	for l.Ok() && !l.IsDelim('}') {
		k := l.UnsafeFieldName(false)
		l.WantColon()
		if k == "a" && data[l.GetPos()] != ' ' {
			t.Errorf("GetPos after the key = %d", l.GetPos())
		}
		raws = append(raws, string(l.Raw()))
		l.WantComma()
	}
	l.Delim('}')
	want := []string{`[1, {"b":"c"}]`, `-1.5e2`, `"x\"y"`}
	if !reflect.DeepEqual(raws, want) || !l.Ok() {
		t.Fatalf("Raw = %q (%v), want %q", raws, l.Error(), want)
	}
	l = Lexer{Data: []byte(`[tru]`)}
	l.Delim('[')
	if l.Raw() != nil || l.Ok() {
		t.Error("Raw of a broken literal")
	}
	l = Lexer{Data: []byte(`{"a":[1,2}`)}
	l.Delim('{')
	l.UnsafeFieldName(false)
	l.WantColon()
	if l.Raw() != nil || l.Ok() {
		t.Error("Raw of a broken array")
	}
}

func TestObject(t *testing.T) {
	m, err := Object([]byte(` {"a":1,"b":{"c":[2]},"a":"x","\u0041":true} `))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": `"x"`, "b": `{"c":[2]}`, "A": `true`}
	if len(m) != len(want) {
		t.Fatalf("got %q", m)
	}
	for k, v := range want {
		if string(m[k]) != v {
			t.Errorf("%s = %s, want %s", k, m[k], v)
		}
	}
	if m, err := Object([]byte(`null`)); m != nil || err != nil {
		t.Errorf("null: %v %v", m, err)
	}
	for _, c := range []string{``, `[]`, `1`, `{"a":1}x`, `{"a":}`} {
		if _, err := Object([]byte(c)); err == nil {
			t.Errorf("Object(%q) accepted", c)
		}
	}
}

func TestAppendCompact(t *testing.T) {
	got := AppendCompact([]byte("x"), []byte(" { \"a b\" : [ 1 ,\n 2 ] , \"c\":\" \\\" \" } "))
	if want := `x{"a b":[1,2],"c":" \" "}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func BenchmarkLexerObject(b *testing.B) {
	data := []byte(`{"jsonrpc":"2.0","id":12,"delta":true,"result":{"qLayout":[{"op":"replace","path":"/qHyperCube/qDataPages/0","value":[{"qMatrix":[[{"qText":"A","qNum":"NaN","qElemNumber":0,"qState":"O"}]]}]}]},"change":[3,4]}`)
	for b.Loop() {
		l := Lexer{Data: data}
		l.Delim('{')
		for l.Ok() && !l.IsDelim('}') {
			_ = l.UnsafeFieldName(false)
			l.WantColon()
			l.SkipRecursive()
			l.WantComma()
		}
		l.Delim('}')
		if !l.Ok() {
			b.Fatal(l.Error())
		}
	}
}
