//go:build js && wasm

package main

// le32 reads a little-endian uint32 from b[0:4]. It and appendLE32 stand
// in for encoding/binary, whose import links reflect and its initialiser
// into the module (docs/SIZE.md, start-up).
func le32(b []byte) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// appendLE32 appends v to b as a little-endian uint32.
func appendLE32(b []byte, v uint32) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}
