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
