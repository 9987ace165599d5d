//go:build js && wasm

// Command wasm is qix-wasm's WebAssembly module: a small export surface over
// qixcore for the JS bridge (jsbridge/qix.js), in a Web Worker or on the
// page's main thread.
//
// The bridge starts the module with argv[1] naming a one-shot global
// function; main calls it once with the export object ({post}) and gets
// back the reply function, and the bridge deletes the global before any
// other script runs. All traffic is batched: post takes one JSON array of
// operations, and replies leave as one JSON header plus one Uint8Array
// holding every result body, so a turn costs two crossings whatever the
// number of calls.
package main

import (
	"syscall/js"
)

func main() {
	args := runtimeArgs()
	if len(args) < 2 {
		panic("qix-wasm: the bridge must name its registration function in argv[1]")
	}
	b := newBackend()
	post := funcOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeString {
			b.post(args[0].String())
		}
		return nil
	})
	// post lives as long as the module; it is never released.
	exports := js.Global().Get("Object").New()
	exports.Set("post", post)
	host := js.Global().Call(args[1], exports)
	b.reply = host.Get("reply")
	openSocket = host.Get("openSocket")
	hostStats = host.Get("stats")
	go b.flushLoop()
	select {}
}
