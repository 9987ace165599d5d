package qixcore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/qix-wasm/qix-wasm/internal/errwrap"
	"github.com/qix-wasm/qix-wasm/internal/jsonr"
)

// qPatch is one NxPatch of ApplyPatches: qValue holds the value as JSON
// text.
type qPatch struct {
	op, path, value string
}

// readPatches reads ApplyPatches' qPatches.
func readPatches(data []byte) ([]qPatch, error) {
	l := jsonr.Lexer{Data: data}
	var out []qPatch
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var p qPatch
		l.Delim('{')
		for l.Ok() && !l.IsDelim('}') {
			key := l.UnsafeFieldName(false)
			l.WantColon()
			switch key {
			case "qOp":
				p.op = strings.ToLower(l.String())
			case "qPath":
				p.path = l.String()
			case "qValue":
				p.value = l.String()
			default:
				l.SkipRecursive()
			}
			l.WantComma()
		}
		l.Delim('}')
		out = append(out, p)
		l.WantComma()
	}
	l.Delim(']')
	if err := l.Error(); err != nil {
		return nil, errwrap.Wrap("failed to read patches", err)
	}
	return out, nil
}

// applyQPatches applies ApplyPatches' qPatches to props, as the engine
// does to an object's properties, so the session knows them without
// asking (see sessionProps). An error leaves props to be fetched instead.
func applyQPatches(props, patches []byte) ([]byte, error) {
	list, err := readPatches(patches)
	if err != nil {
		return nil, err
	}
	root, err := parseTree(props)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		var val any
		if p.op != "remove" {
			if val, err = parseTree([]byte(p.value)); err != nil {
				return nil, err
			}
		}
		if root, err = patchAt(root, pointer(p.path), p.op, val); err != nil {
			return nil, errwrap.Wrap("failed to apply "+p.op+" "+p.path, err)
		}
	}
	return appendTree(nil, root), nil
}

// pointer splits a JSON Pointer into its unescaped segments.
func pointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return segs
}

// patchAt applies op (add, replace, remove) at path under v and returns
// the new v.
func patchAt(v any, path []string, op string, val any) (any, error) {
	if op != "add" && op != "replace" && op != "remove" {
		return nil, errors.New("unknown op " + strconv.Quote(op))
	}
	if len(path) == 0 {
		if op == "remove" {
			return nil, errors.New("cannot remove the root")
		}
		return val, nil
	}
	key, rest := path[0], path[1:]
	switch c := v.(type) {
	case jsonObject:
		if len(rest) > 0 {
			child, ok := c.get(key)
			if !ok {
				return nil, errors.New("no member " + strconv.Quote(key))
			}
			n, err := patchAt(child, rest, op, val)
			if err != nil {
				return nil, err
			}
			return c.set(key, n), nil
		}
		if op == "remove" {
			return c.remove(key), nil
		}
		return c.set(key, val), nil
	case jsonArray:
		if key == "-" && len(rest) == 0 && op == "add" {
			return append(c, val), nil
		}
		i, err := strconv.Atoi(key)
		if err != nil || i < 0 || i > len(c) || (i == len(c) && (len(rest) > 0 || op != "add")) {
			return nil, errors.New("bad index " + strconv.Quote(key))
		}
		if len(rest) > 0 {
			n, err := patchAt(c[i], rest, op, val)
			if err != nil {
				return nil, err
			}
			c[i] = n
			return c, nil
		}
		switch op {
		case "remove":
			return append(c[:i], c[i+1:]...), nil
		case "add":
			c = append(c, nil)
			copy(c[i+1:], c[i:])
			c[i] = val
			return c, nil
		}
		c[i] = val
		return c, nil
	}
	return nil, errors.New(strconv.Quote(key) + " is not in an object or array")
}
