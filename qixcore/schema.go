package qixcore

//go:generate go run ./internal/schemagen -in ../node_modules/enigma.js/schemas/12.2027.0.json -out schema_gen.go
//go:generate go run ./internal/schemagen -specmod github.com/qlik-oss/enigma-go/v4 -defs internal/dtsgen/defs_gen.go
//go:generate go run ./internal/dtsgen -out ../jsbridge/qix-methods.d.ts
//go:generate go run ./internal/secretgen -out ../web/lib/secret-params.js

// The types in qix-methods.d.ts come from internal/dtsgen/defs_gen.go, a
// table of the engine API's definitions that stays out of this package
// (and so out of the wasm build); internal/schemagen -specmod makes it from
// the engine API specification inside the enigma-go module go.mod requires
// (see its doc).

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Param is one input parameter of a QIX method, in schema order. Its
// position is what a named call (one object of In names) maps onto.
type Param struct {
	// Name is the parameter name, e.g. "qDocName".
	Name string
	// DataType is the JSON kind of the parameter, taken from the schema's
	// DefaultValue because the enigma.js schema has no type names:
	// "string", "number", "boolean", "object", "array", or "" when the
	// schema gives null or nothing.
	DataType string
	// Optional reports whether the engine accepts the call without it.
	Optional bool
	// Default is the schema's default as raw JSON for scalar kinds ("",
	// 0, false, null) and nil for objects and arrays: for those the
	// enigma.js schema holds an example instance of the type (e.g. [0] for
	// qRowIndices), which must not be sent in place of a missing value.
	Default []byte
}

// Method describes one QIX method of a class. Values returned by this
// package are shared: callers must not modify them.
type Method struct {
	// Class is the qType the method belongs to, e.g. "Doc".
	Class string
	// Name is the method name as sent on the wire, e.g. "GetObject".
	Name string
	// In lists the input parameters in positional order.
	In []Param
	// Out lists the keys of the result object. qReturn is included when
	// the engine sends it (the enigma.js schema omits it; schemagen adds
	// it from the engine API specification).
	Out []string
	// ReturnsObject reports whether qReturn is an object reference
	// {qType, qHandle, qGenericId}, i.e. the call yields a remote object.
	ReturnsObject bool
}

type schemaClass struct {
	methods []*Method // sorted by name
	byName  map[string]*Method
}

type schemaIndex struct {
	classes []string // sorted
	byClass map[string]*schemaClass
	errors  map[int]string
	json    []byte
}

var (
	schemaOnce sync.Once
	schemaIdx  *schemaIndex
)

// schema decodes the generated tables on first use; the wasm module pays
// for the decoding only when a call needs the schema.
func schema() *schemaIndex {
	schemaOnce.Do(func() { schemaIdx = decodeSchema(schemaTable, errorCodeTable) })
	return schemaIdx
}

// kindOf maps a schema table's kind letter to Param.DataType and
// Param.Default. It is a switch, not a map, so that the package starts
// without building tables (see docs/SIZE.md, start-up).
func kindOf(k byte) (dataType string, def []byte) {
	switch k {
	case 's':
		return "string", []byte(`""`)
	case 'n':
		return "number", []byte(`0`)
	case 'b':
		return "boolean", []byte(`false`)
	case 'o':
		return "object", nil
	case 'a':
		return "array", nil
	case 'z':
		return "", []byte(`null`)
	}
	return "", nil
}

// decodeSchema parses the table format written by internal/schemagen. The
// tables are generated and checked by tests, so malformed lines panic.
func decodeSchema(table, errTable string) *schemaIndex {
	idx := &schemaIndex{
		byClass: make(map[string]*schemaClass, schemaClassCount),
		errors:  make(map[int]string, errorCodeCount),
	}
	methods := make([]Method, 0, schemaMethodCount)
	params := make([]Param, 0, schemaParamCount)
	outs := make([]string, 0, schemaOutCount)
	blocks := make(map[string]string, schemaClassCount) // class → its method lines
	for table != "" {
		head, rest, _ := strings.Cut(table, "\n")
		if len(head) < 2 || head[0] != '=' {
			panic("qixcore: malformed schema table line " + strconv.Quote(head))
		}
		class, same, shared := strings.Cut(head[1:], "=")
		block := rest
		if strings.HasPrefix(rest, "=") {
			block = ""
		} else if i := strings.Index(rest, "\n="); i >= 0 {
			block, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = ""
		}
		if shared {
			if block != "" || blocks[same] == "" {
				panic("qixcore: malformed schema table line " + strconv.Quote(head))
			}
			block = blocks[same]
		}
		blocks[class] = block
		table = rest
		cur := &schemaClass{byName: map[string]*Method{}}
		idx.byClass[class] = cur
		idx.classes = append(idx.classes, class)
		methods, params, outs = decodeMethods(cur, class, block, methods, params, outs)
	}
	if len(methods) != schemaMethodCount || len(params) != schemaParamCount || len(outs) != schemaOutCount {
		panic("qixcore: schema table counts do not match; regenerate schema_gen.go")
	}
	code := 0
	for line := range strings.SplitSeq(errTable, "\n") {
		if line == "" {
			continue
		}
		name := line
		if c, n, ok := strings.Cut(line, " "); ok {
			var err error
			if code, err = strconv.Atoi(c); err != nil {
				panic("qixcore: malformed error code line " + strconv.Quote(line))
			}
			name = n
		}
		idx.errors[code] = "LOCERR_" + name
		code++
	}
	idx.json = buildSchemaJSON(idx)
	return idx
}

// decodeMethods decodes the method lines of one class into cur, appending
// to the backing arrays methods, params and outs, which it returns.
func decodeMethods(cur *schemaClass, class, block string, methods []Method, params []Param, outs []string) ([]Method, []Param, []string) {
	for line := range strings.SplitSeq(block, "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 4 {
			panic("qixcore: malformed schema table line " + strconv.Quote(line))
		}
		p0 := len(params)
		if f[1] != "" {
			for in := range strings.SplitSeq(f[1], ",") {
				name, k, _ := strings.Cut(in, ":")
				p := Param{Name: name}
				if strings.HasSuffix(k, "?") {
					p.Optional = true
					k = k[:len(k)-1]
				}
				if len(k) != 1 {
					panic("qixcore: malformed schema param " + strconv.Quote(in))
				}
				p.DataType, p.Default = kindOf(k[0])
				params = append(params, p)
			}
		}
		o0 := len(outs)
		if f[2] != "" {
			outs = append(outs, strings.Split(f[2], ",")...)
		}
		methods = append(methods, Method{
			Class:         class,
			Name:          f[0],
			In:            params[p0:len(params):len(params)],
			Out:           outs[o0:len(outs):len(outs)],
			ReturnsObject: f[3] == "o",
		})
		m := &methods[len(methods)-1]
		if p0 == len(params) {
			m.In = nil
		}
		if o0 == len(outs) {
			m.Out = nil
		}
		cur.methods = append(cur.methods, m)
		cur.byName[m.Name] = m
	}
	return methods, params, outs
}

func buildSchemaJSON(idx *schemaIndex) []byte {
	b := make([]byte, 0, 10*1024)
	b = append(b, '{')
	for i, c := range idx.classes {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, c)
		b = append(b, ':', '[')
		for j, m := range idx.byClass[c].methods {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, m.Name)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// LookupMethod returns the schema entry for method on objects of type
// qType (e.g. "Doc", "GenericObject"). ok is false for unknown classes and
// methods, which callers still send as-is (newer engines have more).
func LookupMethod(qType, method string) (*Method, bool) {
	c := schema().byClass[qType]
	if c == nil {
		return nil, false
	}
	m, ok := c.byName[method]
	return m, ok
}

// Classes returns the names of all classes in the built-in schema, sorted.
// The slice is a fresh copy.
func Classes() []string {
	return slices.Clone(schema().classes)
}

// Methods returns the methods of class qType sorted by name, or nil when
// the class is unknown. The slice is a fresh copy; the Methods are shared.
func Methods(qType string) []*Method {
	c := schema().byClass[qType]
	if c == nil {
		return nil
	}
	return slices.Clone(c.methods)
}

// SchemaJSON returns {"Class":["Method",...],...} for every class, so the
// JS bridge can build camelCased methods without shipping its own schema.
// The bytes are a fresh copy.
func SchemaJSON() []byte {
	return slices.Clone(schema().json)
}

// ErrorCodeName returns the LocalizedErrorCode name for an engine error
// code (e.g. 1003 → "LOCERR_APP_NOT_FOUND", -32601 →
// "LOCERR_JSON_RPC_METHOD_NOT_FOUND"), or "" when the schema has none.
func ErrorCodeName(code int) string {
	return schema().errors[code]
}
