package main

import (
	"reflect"
	"strings"
	"testing"

	enigma "github.com/qlik-oss/enigma-go/v4"
)

// TestDefsMatchEnigmaGo checks defs_gen.go against the Go client enigma-go
// generates from the same specification, at the version go.mod requires:
// when go.mod moves to a newer enigma-go without `go generate`, the members
// and methods differ and this fails.
func TestDefsMatchEnigmaGo(t *testing.T) {
	d := mustDefs(t)
	for _, v := range []any{
		enigma.NxInfo{}, enigma.NxMeta{}, enigma.HyperCubeDef{}, enigma.HyperCube{},
		enigma.NxDimension{}, enigma.NxMeasure{}, enigma.NxPage{}, enigma.NxCell{},
		enigma.ListObjectDef{}, enigma.NxCurrentSelectionItem{}, enigma.DoReloadExResult{},
		enigma.BookmarkFieldItem{}, enigma.GenericVariableProperties{}, enigma.NxDimensionInfo{},
	} {
		typ := reflect.TypeOf(v)
		def := d.byName[typ.Name()]
		if def == nil || def.kind != '{' {
			t.Errorf("%s: no object definition in the table", typ.Name())
			continue
		}
		want := jsonNames(typ)
		got := make([]string, 0, len(def.members))
		for _, m := range def.members {
			got = append(got, m.name)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s members:\n table    %v\n enigma-go %v", typ.Name(), got, want)
		}
	}
	for class, v := range map[string]any{
		"Global": &enigma.Global{}, "Doc": &enigma.Doc{}, "GenericObject": &enigma.GenericObject{},
		"Field": &enigma.Field{}, "GenericBookmark": &enigma.GenericBookmark{}, "GenericVariable": &enigma.GenericVariable{},
	} {
		typ := reflect.TypeOf(v)
		n := 0
		for key := range d.methods {
			c, m, _ := strings.Cut(key, ".")
			if c != class {
				continue
			}
			n++
			if _, ok := typ.MethodByName(m); !ok {
				t.Errorf("%s: in the table, not in enigma-go", key)
			}
		}
		if n == 0 {
			t.Errorf("%s: no methods in the table", class)
		}
	}
}

// jsonNames lists the JSON member names of struct type typ in field order.
func jsonNames(typ reflect.Type) []string {
	var names []string
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}
