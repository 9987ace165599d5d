//go:build js && wasm

package main

import (
	"runtime"
	_ "unsafe" // for go:linkname
)

// runtimeArgs returns the program's arguments, as os.Args would. It is the
// runtime's own os.runtime_args (pushed to package os by a go:linkname in
// runtime/runtime.go), so the module starts without linking os and what
// its initialisers pull in (os, io/fs, internal/poll, Stdin/Stdout/Stderr
// set up through syscall's fs shim): see docs/SIZE.md, start-up.
//
//go:linkname runtimeArgs os.runtime_args
func runtimeArgs() []string

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
