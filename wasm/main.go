//go:build js && wasm

// Command wasm is qix-wasm's WebAssembly module: a small export surface over
// qixcore for the JS bridge (jsbridge/qix.js), in a Web Worker or on the
// page's main thread.
//
// The bridge starts the module with argv[1] naming a one-shot global
// function; main calls it once with the export object ({post}) and gets
// back the reply function, and the bridge deletes the global before any
// other script runs. All traffic is batched: post takes one JSON array of
// operations, and replies leave as one JSON header plus one buffer holding
// every result body, so a turn costs two crossings whatever the number of
// calls. Bytes cross through linear memory, not as js.Values (mem.go).
package main

import (
	"os"
	"syscall/js"
)

func main() {
	if len(os.Args) < 2 {
		panic("qix-wasm: the bridge must name its registration function in argv[1]")
	}
	b := newBackend()
	// post(n): the batch is the inbox's first n bytes.
	post := funcOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 && args[0].Type() == js.TypeNumber {
			b.post(takeInbox(args[0].Int()))
		}
		return nil
	})
	// post and grow live as long as the module; they are never released.
	exports := js.Global().Get("Object").New()
	exports.Set("post", post)
	exports.Set("grow", funcOf(growInbox))
	exports.Set("inbox", inboxInfo())
	host := js.Global().Call(os.Args[1], exports)
	b.reply = host.Get("reply")
	openSocket = host.Get("openSocket")
	hostStats = host.Get("stats")
	go b.flushLoop()
	select {}
}
