package main

import (
	"strings"
	"testing"

	"github.com/qix-wasm/qix-wasm/qixcore"
)

func mustDefs(t *testing.T) *defs {
	t.Helper()
	d, err := decodeDefs(defsTable)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDefsReferencesResolve checks that every type the table names is a
// definition or a primitive, so the .d.ts has no dangling names.
func TestDefsReferencesResolve(t *testing.T) {
	d := mustDefs(t)
	if len(d.order) < 300 || len(d.methods) < 300 {
		t.Fatalf("table too small: %d definitions, %d methods", len(d.order), len(d.methods))
	}
	check := func(where, typ string) {
		base := strings.TrimRight(typ, "[]")
		switch base {
		case "string", "number", "double", "boolean", "any", "object":
			return
		}
		if d.byName[base] == nil {
			t.Errorf("%s: type %q names no definition", where, typ)
		}
	}
	for _, n := range d.order {
		def := d.byName[n]
		if def.kind == '=' {
			check(n, def.alias)
		}
		for _, m := range append(append([]member{}, def.members...), def.extra...) {
			if m.name != "*" {
				check(n+"."+m.name, m.typ)
			}
		}
	}
	for k, s := range d.methods {
		for _, m := range append(append([]member{}, s.params...), s.results...) {
			check(k+" "+m.name, m.typ)
		}
	}
}

// TestDefsAgreeWithSchema checks the specification's signatures against
// qixcore's schema, which drives the runtime: same params in the same order
// with the same optionality, qReturn where qixcore unwraps it, and an
// object reference exactly where qixcore makes a remote object.
func TestDefsAgreeWithSchema(t *testing.T) {
	d := mustDefs(t)
	matched := 0
	for _, class := range qixcore.Classes() {
		for _, m := range qixcore.Methods(class) {
			sig := d.methods[class+"."+m.Name]
			if sig == nil {
				continue
			}
			matched++
			key := class + "." + m.Name
			if len(sig.params) != len(m.In) {
				t.Errorf("%s: %d params in the specification, %d in the schema", key, len(sig.params), len(m.In))
				continue
			}
			for i, p := range m.In {
				if sig.params[i].name != p.Name || sig.params[i].optional != p.Optional {
					t.Errorf("%s param %d: specification %+v, schema %s optional=%v", key, i, sig.params[i], p.Name, p.Optional)
				}
			}
			hasReturn := sig.typeOf("qReturn") != ""
			if hasReturn != contains(m.Out, "qReturn") {
				t.Errorf("%s: qReturn in specification %v, in schema %v", key, hasReturn, !hasReturn)
			}
			if isRef := sig.typeOf("qReturn") == "ObjectInterface"; isRef != m.ReturnsObject {
				t.Errorf("%s: object reference in specification %v, in schema %v", key, isRef, m.ReturnsObject)
			}
			for _, o := range m.Out {
				if sig.typeOf(o) == "" {
					t.Errorf("%s: out key %s has no type", key, o)
				}
			}
		}
	}
	if matched < 300 {
		t.Errorf("only %d schema methods have a specification signature", matched)
	}
}

func TestDecodeDefs(t *testing.T) {
	d, err := decodeDefs("{A\n.x:string\n+y:B[]\n=B:number\n~C:X/LONG_X,Y\n#K.M\n>p:A\n>q?:boolean\n<qReturn:C\n")
	if err != nil {
		t.Fatal(err)
	}
	a := d.byName["A"]
	if a.kind != '{' || len(a.members) != 1 || a.members[0] != (member{"x", "string", true}) || a.extra[0].typ != "B[]" {
		t.Errorf("A = %+v", a)
	}
	if d.byName["B"].alias != "number" {
		t.Errorf("B = %+v", d.byName["B"])
	}
	if got := strings.Join(d.byName["C"].values, " "); got != "X LONG_X Y" {
		t.Errorf("C values = %q", got)
	}
	s := d.methods["K.M"]
	if s.param("q") == nil || !s.param("q").optional || s.param("p").optional || s.typeOf("qReturn") != "C" {
		t.Errorf("K.M = %+v", s)
	}
	for _, bad := range []string{".x:string\n", "{A\n.x\n", ">p:A\n", "=B\n", "?what\n"} {
		if _, err := decodeDefs(bad); err == nil {
			t.Errorf("decodeDefs(%q): want error", bad)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
