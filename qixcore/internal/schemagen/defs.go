package main

// This file turns Qlik's engine API specification (OpenRPC JSON; the
// schema/engine-rpc.json enigma-go ships, see main.go) into the
// definitions table dtsgen types the TypeScript API from. The enigma.js
// schema has no type names, so the definitions come from the
// specification; only names and types are kept (no descriptions), in a
// table that lives in the dtsgen package and so never reaches the wasm
// build.
//
// Definitions table format (one entry per line; read by dtsgen):
//
//	{Name              starts an object definition; members follow
//	.qId:string        a member of the object (every member is optional)
//	+qHyperCube:HyperCube  a member the object may carry besides its own
//	                   (the spec's additionalProperties); such objects also
//	                   take any other member
//	=Name:T            Name is another name for type T
//	~Name:D/NX_LONG,N  Name is a string enum; alternatives are separated
//	                   by "/" (the short title first, then the long name)
//	#Class.Method      starts a method; params and results follow
//	>qName:T           a param, in order; "qName?:T" when not required
//	<qKey:T            a key of the result object
//
// A type T is string, number (an integer), double (a float, which the
// engine sends as "NaN" or "Infinity" when it is not finite), boolean, any,
// object (a free JSON object) or a definition name, followed by one "[]"
// per array level.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"regexp"
	"strings"
)

type specType struct {
	Ref                  string          `json:"$ref"`
	Type                 string          `json:"type"`
	Format               string          `json:"format"`
	Items                *specType       `json:"items"`
	Properties           orderedTypes    `json:"properties"`
	AdditionalProperties json.RawMessage `json:"additionalProperties"`
	OneOf                []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"oneOf"`
}

// orderedTypes keeps the members of a JSON object in document order, so the
// table lists members (and result keys) as the specification does.
type orderedTypes struct {
	names []string
	types map[string]*specType
}

func (o *orderedTypes) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	o.types = map[string]*specType{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var t specType
		if err := dec.Decode(&t); err != nil {
			return err
		}
		if _, dup := o.types[name]; !dup {
			o.names = append(o.names, name)
		}
		o.types[name] = &t
	}
	return nil
}

type specFile struct {
	Info struct {
		Version string `json:"version"`
	} `json:"info"`
	Methods []struct {
		Name   string `json:"name"`
		Params []struct {
			Name     string   `json:"name"`
			Required bool     `json:"required"`
			Schema   specType `json:"schema"`
		} `json:"params"`
		Result struct {
			Schema specType `json:"schema"`
		} `json:"result"`
	} `json:"methods"`
	Components struct {
		Schemas orderedTypes `json:"schemas"`
	} `json:"components"`
}

// enumLong matches enum descriptions that are the value's long name.
var enumLong = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// generateDefs returns the gofmt'ed Go source of dtsgen's definitions table
// for specification bytes raw; name says where the specification came from
// and is recorded in the header.
func generateDefs(raw []byte, name string) ([]byte, error) {
	var s specFile
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("failed to parse specification: %w", err)
	}
	if len(s.Components.Schemas.names) == 0 || len(s.Methods) == 0 {
		return nil, fmt.Errorf("failed to find definitions: specification has no schemas or methods")
	}
	if s.Info.Version == "" {
		return nil, fmt.Errorf("failed to find the specification version")
	}
	var table strings.Builder
	defs := s.Components.Schemas
	sortedNames := sortedKeys(defs.types)
	for _, n := range sortedNames {
		if err := checkName(n); err != nil {
			return nil, err
		}
		d := defs.types[n]
		switch {
		case len(d.OneOf) > 0:
			vals := make([]string, 0, len(d.OneOf))
			for _, v := range d.OneOf {
				alt := v.Title
				if enumLong.MatchString(v.Description) && v.Description != v.Title {
					alt += "/" + v.Description
				}
				if err := checkEnum(alt); err != nil {
					return nil, fmt.Errorf("%s: %w", n, err)
				}
				vals = append(vals, alt)
			}
			table.WriteString("~" + n + ":" + strings.Join(vals, ",") + "\n")
		case d.Type == "object":
			table.WriteString("{" + n + "\n")
			for _, m := range d.Properties.names {
				t, err := typeExpr(d.Properties.types[m], defs)
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", n, m, err)
				}
				if err := checkName(m); err != nil {
					return nil, err
				}
				table.WriteString("." + m + ":" + t + "\n")
			}
			extra, err := extraMembers(d.AdditionalProperties, defs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			for _, e := range extra {
				table.WriteString("+" + e + "\n")
			}
		default:
			t, err := typeExpr(d, defs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n, err)
			}
			table.WriteString("=" + n + ":" + t + "\n")
		}
	}
	methods := map[string]int{}
	for i, m := range s.Methods {
		methods[m.Name] = i
	}
	for _, key := range sortedKeys(methods) {
		m := s.Methods[methods[key]]
		c, mn, ok := strings.Cut(key, ".")
		if !ok || checkName(c) != nil || checkName(mn) != nil {
			return nil, fmt.Errorf("failed to encode method %q: want Class.Method", key)
		}
		table.WriteString("#" + key + "\n")
		for _, p := range m.Params {
			t, err := typeExpr(&p.Schema, defs)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", key, p.Name, err)
			}
			if err := checkName(p.Name); err != nil {
				return nil, err
			}
			opt := "?"
			if p.Required {
				opt = ""
			}
			table.WriteString(">" + p.Name + opt + ":" + t + "\n")
		}
		res := m.Result.Schema.Properties
		for _, k := range res.names {
			t, err := typeExpr(res.types[k], defs)
			if err != nil {
				return nil, fmt.Errorf("%s result %s: %w", key, k, err)
			}
			if err := checkName(k); err != nil {
				return nil, err
			}
			table.WriteString("<" + k + ":" + t + "\n")
		}
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by schemagen from the engine API specification %s (QIX %s); DO NOT EDIT.\n\n", name, s.Info.Version)
	b.WriteString("package main\n\n")
	b.WriteString("// defsVersion is the engine API version the definitions come from.\n")
	fmt.Fprintf(&b, "const defsVersion = %q\n\n", s.Info.Version)
	b.WriteString("// defsSource names the specification the definitions come from.\n")
	fmt.Fprintf(&b, "const defsSource = %q\n\n", name)
	b.WriteString("// defsTable holds every definition and method signature; see internal/schemagen/defs.go for the format.\n")
	b.WriteString("const defsTable = `" + table.String() + "`\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("failed to format definitions: %w", err)
	}
	return src, nil
}

// typeExpr writes t in the table's type syntax, checking that references
// name existing definitions.
func typeExpr(t *specType, defs orderedTypes) (string, error) {
	if t == nil {
		return "any", nil
	}
	if t.Ref != "" {
		name, ok := strings.CutPrefix(t.Ref, "#/components/schemas/")
		if !ok || defs.types[name] == nil {
			return "", fmt.Errorf("failed to resolve reference %q", t.Ref)
		}
		return name, nil
	}
	switch t.Type {
	case "string", "boolean":
		return t.Type, nil
	case "integer":
		return "number", nil
	case "number":
		// Doubles may travel as the strings "NaN", "Infinity" and
		// "-Infinity"; dtsgen types them so.
		return "double", nil
	case "array":
		elem, err := typeExpr(t.Items, defs)
		if err != nil {
			return "", err
		}
		return elem + "[]", nil
	case "object":
		return "object", nil
	case "":
		return "any", nil
	}
	return "", fmt.Errorf("failed to encode type %q", t.Type)
}

// extraMembers reads additionalProperties {anyOf: [{name, schema}]}: the
// members an object may carry besides its own. true or a plain schema
// allows any member, which the table records as an extra "any" member
// named "*".
func extraMembers(raw json.RawMessage, defs orderedTypes) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "false" {
		return nil, nil
	}
	var add struct {
		AnyOf []struct {
			Name   string   `json:"name"`
			Schema specType `json:"schema"`
		} `json:"anyOf"`
	}
	if raw[0] == '{' {
		if err := json.Unmarshal(raw, &add); err != nil {
			return nil, fmt.Errorf("failed to parse additionalProperties: %w", err)
		}
	}
	if len(add.AnyOf) == 0 {
		return []string{"*:any"}, nil
	}
	out := make([]string, 0, len(add.AnyOf))
	for _, a := range add.AnyOf {
		if err := checkName(a.Name); err != nil {
			return nil, err
		}
		t, err := typeExpr(&a.Schema, defs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		out = append(out, a.Name+":"+t)
	}
	return out, nil
}

// checkEnum rejects enum values that would break the table format or a
// TypeScript string literal.
func checkEnum(v string) error {
	if v == "" || strings.ContainsAny(v, "|,:?=\n `'\"\\") {
		return fmt.Errorf("failed to encode enum value %q: empty or contains a separator", v)
	}
	return nil
}
