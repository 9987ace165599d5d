//go:build js && wasm

package main

import "runtime"

// stack is runtime/debug.Stack without linking runtime/debug (which
// imports os and fmt): the calling goroutine's stack trace.
func stack() []byte {
	buf := make([]byte, 2048)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}
