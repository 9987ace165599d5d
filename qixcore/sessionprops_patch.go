package qixcore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// qPatch is one NxPatch of ApplyPatches: qValue holds the value as JSON
// text.
type qPatch struct {
	Op    string `json:"qOp"`
	Path  string `json:"qPath"`
	Value string `json:"qValue"`
}

// applyQPatches applies ApplyPatches' qPatches to props, as the engine
// does to an object's properties, so the session knows them without
// asking (see sessionProps). An error leaves props to be fetched instead.
func applyQPatches(props, patches []byte) ([]byte, error) {
	var list []qPatch
	if err := json.Unmarshal(patches, &list); err != nil {
		return nil, fmt.Errorf("failed to read patches: %w", err)
	}
	root, err := decodeAny(props)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		var val any
		if p.Op != "remove" {
			if val, err = decodeAny([]byte(p.Value)); err != nil {
				return nil, err
			}
		}
		if root, err = patchAt(root, pointer(p.Path), strings.ToLower(p.Op), val); err != nil {
			return nil, fmt.Errorf("failed to apply %s %s: %w", p.Op, p.Path, err)
		}
	}
	return json.Marshal(root)
}

func decodeAny(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("failed to read JSON: %w", err)
	}
	return v, nil
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

// patchAt applies op at path under v and returns the new v.
func patchAt(v any, path []string, op string, val any) (any, error) {
	if len(path) == 0 {
		if op == "remove" {
			return nil, errors.New("cannot remove the root")
		}
		return val, nil
	}
	key, rest := path[0], path[1:]
	switch c := v.(type) {
	case map[string]any:
		if len(rest) > 0 {
			child, ok := c[key]
			if !ok {
				return nil, fmt.Errorf("no member %q", key)
			}
			n, err := patchAt(child, rest, op, val)
			if err != nil {
				return nil, err
			}
			c[key] = n
			return c, nil
		}
		if op == "remove" {
			delete(c, key)
		} else {
			c[key] = val
		}
		return c, nil
	case []any:
		i, err := strconv.Atoi(key)
		if key == "-" && len(rest) == 0 && op == "add" {
			return append(c, val), nil
		}
		if err != nil || i < 0 || i > len(c) || (i == len(c) && (len(rest) > 0 || op != "add")) {
			return nil, fmt.Errorf("bad index %q", key)
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
	return nil, fmt.Errorf("%q is not in an object or array", key)
}
