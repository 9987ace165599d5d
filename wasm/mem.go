//go:build js && wasm

package main

import (
	"sync/atomic"
	"syscall/js"
	"unsafe"
)

// Bytes cross the JS boundary through the module's linear memory, not as
// js.Values: every js.Value Go makes (a Uint8Array, a string) costs a
// reference slot, a finalizer and a later finalizeRef call, and
// wasm_exec.js copies strings through an extra buffer. JS writes a batch or
// a burst of frames into the inbox and calls Go with numbers; Go calls JS
// with the address and length of its own buffers, which JS reads before the
// call returns (qix-boot.js, GoMemory). Go's heap objects never move, so an
// address stays good while the slice is alive.

// inbox is where JS writes what it hands to Go (main makes it). One buffer
// serves every caller: a JS→Go call copies what it needs out of it before
// it calls any JS (which could call Go again).
var inbox []byte

// growInbox makes the inbox at least n bytes and returns inboxInfo. JS
// calls it (the exported grow) before writing more than the inbox holds.
func growInbox(_ js.Value, args []js.Value) any {
	if n := args[0].Int(); n > len(inbox) {
		inbox = make([]byte, max(n, 2*len(inbox)))
	}
	return inboxInfo()
}

// inboxInfo is the inbox's [address, length] for JS.
func inboxInfo() any {
	return []any{addr(inbox), len(inbox)}
}

// takeInbox copies the first n bytes JS wrote into the inbox.
func takeInbox(n int) []byte {
	if n < 0 || n > len(inbox) {
		n = 0
	}
	return append([]byte(nil), inbox[:n]...)
}

// addr32 is the address of an int32 JS reads in place (its 4 bytes, little
// endian: an atomic.Int32 holds nothing else).
func addr32(p *atomic.Int32) int {
	return int(uintptr(unsafe.Pointer(p)))
}

// addr is b's address in linear memory (0 for an empty slice), for JS to
// read while the call that passes it runs.
func addr(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	return int(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
}
