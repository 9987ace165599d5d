package jsonr

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

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
