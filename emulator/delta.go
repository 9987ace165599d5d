package emulator

import (
	"bytes"
	"fmt"

	"github.com/wI2L/jsondiff"
)

// deltaKey names one cached value of the delta protocol: the same handle,
// method and result key on one connection.
type deltaKey struct {
	handle int
	method string
	key    string
}

// deltaPatch turns val (the encoded value of one result key) into the
// RFC 6902 patch against the previous value of the same handle + method +
// key, and remembers val. The first patch is an "add" at "/"; an unchanged
// value gives []; a value whose root is not an object or array (or changes
// kind) is sent again whole as an "add" at "/", as real engines do.
func (c *conn) deltaPatch(handle int, method, key string, val []byte) ([]byte, error) {
	k := deltaKey{handle, method, key}
	c.dmu.Lock()
	prev, ok := c.deltas[k]
	c.deltas[k] = val
	c.dmu.Unlock()
	if !ok {
		return rootAdd(val), nil
	}
	if bytes.Equal(prev, val) {
		return []byte("[]"), nil
	}
	pk, vk := rootKind(prev), rootKind(val)
	if pk != vk || (pk != '{' && pk != '[') {
		return rootAdd(val), nil
	}
	patch, err := jsondiff.CompareJSON(prev, val)
	if err != nil {
		return nil, fmt.Errorf("failed to diff %s.%s: %w", method, key, err)
	}
	return encodePatch(patch)
}

// rootAdd is [{"op":"add","path":"/","value":val}].
func rootAdd(val []byte) []byte {
	b := make([]byte, 0, len(val)+40)
	b = append(b, `[{"op":"add","path":"/","value":`...)
	b = append(b, val...)
	return append(b, "}]"...)
}

// rootKind is the first byte of a JSON value ('{', '[', '"', 'n', digits...).
func rootKind(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	switch c := b[0]; c {
	case '{', '[', '"', 't', 'f', 'n':
		if c == 'f' {
			return 't'
		}
		return c
	}
	return '0'
}

// encodePatch writes ops as {"op","path","value"} (the order real engines
// use), without HTML escaping.
func encodePatch(p jsondiff.Patch) ([]byte, error) {
	b := make([]byte, 0, 64*len(p)+2)
	b = append(b, '[')
	for i, op := range p {
		if i > 0 {
			b = append(b, ',')
		}
		t, _ := marshal(op.Type)
		path := op.Path
		if path == "" {
			path = "/"
		}
		pa, _ := marshal(path)
		b = append(b, `{"op":`...)
		b = append(b, t...)
		if op.From != "" {
			f, _ := marshal(op.From)
			b = append(b, `,"from":`...)
			b = append(b, f...)
		}
		b = append(b, `,"path":`...)
		b = append(b, pa...)
		if op.Type == jsondiff.OperationAdd || op.Type == jsondiff.OperationReplace || op.Type == jsondiff.OperationTest {
			v, err := marshal(op.Value)
			if err != nil {
				return nil, fmt.Errorf("failed to encode patch value: %w", err)
			}
			b = append(b, `,"value":`...)
			b = append(b, v...)
		}
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// dropDelta forgets the cached values of a closed handle.
func (c *conn) dropDelta(handle int) {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	for k := range c.deltas {
		if k.handle == handle {
			delete(c.deltas, k)
		}
	}
}
