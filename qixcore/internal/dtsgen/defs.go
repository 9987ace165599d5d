package main

import (
	"fmt"
	"strings"
)

// member is one named, typed entry: an object member, a method param or a
// result key. typ is in the table's type syntax (see internal/schemagen).
type member struct {
	name     string
	typ      string
	optional bool
}

// definition is one named type of the engine API specification.
type definition struct {
	name string
	// kind is '{' for objects, '=' for aliases and '~' for string enums.
	kind    byte
	members []member
	// extra lists the members an object may carry besides its own; an
	// object with extra members takes any other member too.
	extra []member
	// alias is the aliased type of a '=' definition.
	alias string
	// values lists an enum's accepted strings.
	values []string
}

// signature is a method's params and result keys as the specification
// types them.
type signature struct {
	params  []member
	results []member
}

// typeOf returns the type of result key k, or "" when the specification
// does not list it.
func (s *signature) typeOf(k string) string {
	for _, r := range s.results {
		if r.name == k {
			return r.typ
		}
	}
	return ""
}

// param returns the param named n, or nil.
func (s *signature) param(n string) *member {
	for i := range s.params {
		if s.params[i].name == n {
			return &s.params[i]
		}
	}
	return nil
}

// defs holds the decoded definitions table.
type defs struct {
	// order lists definition names as the table does (sorted).
	order   []string
	byName  map[string]*definition
	methods map[string]*signature // by "Class.Method"
}

// decodeDefs parses the table format written by internal/schemagen.
func decodeDefs(table string) (*defs, error) {
	d := &defs{byName: map[string]*definition{}, methods: map[string]*signature{}}
	var obj *definition
	var sig *signature
	for i, line := range strings.Split(table, "\n") {
		if line == "" {
			continue
		}
		bad := func() (*defs, error) {
			return nil, fmt.Errorf("failed to decode definitions line %d: %q", i+1, line)
		}
		body := line[1:]
		switch line[0] {
		case '{':
			obj, sig = &definition{name: body, kind: '{'}, nil
			d.add(obj)
		case '=', '~':
			name, rest, ok := strings.Cut(body, ":")
			if !ok {
				return bad()
			}
			obj, sig = nil, nil
			def := &definition{name: name, kind: line[0]}
			if line[0] == '=' {
				def.alias = rest
			} else {
				for v := range strings.SplitSeq(rest, ",") {
					def.values = append(def.values, strings.Split(v, "/")...)
				}
			}
			d.add(def)
		case '.', '+':
			m, ok := parseMember(body)
			if !ok || obj == nil {
				return bad()
			}
			m.optional = true
			if line[0] == '.' {
				obj.members = append(obj.members, m)
			} else {
				obj.extra = append(obj.extra, m)
			}
		case '#':
			obj, sig = nil, &signature{}
			d.methods[body] = sig
		case '>', '<':
			m, ok := parseMember(body)
			if !ok || sig == nil {
				return bad()
			}
			if line[0] == '>' {
				sig.params = append(sig.params, m)
			} else {
				sig.results = append(sig.results, m)
			}
		default:
			return bad()
		}
	}
	return d, nil
}

func (d *defs) add(def *definition) {
	d.order = append(d.order, def.name)
	d.byName[def.name] = def
}

// parseMember reads name:type or name?:type.
func parseMember(s string) (member, bool) {
	name, typ, ok := strings.Cut(s, ":")
	if !ok || name == "" || typ == "" {
		return member{}, false
	}
	m := member{name: name, typ: typ}
	if n, opt := strings.CutSuffix(name, "?"); opt {
		m.name, m.optional = n, true
	}
	return m, true
}
