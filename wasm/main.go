//go:build js && wasm

// Command wasm is qix-wasm's WebAssembly module: a small export surface over
// qixcore for the JS bridge (jsbridge/qix.js), in a Web Worker or on the
// page's main thread.
//
// The bridge sets the one-shot global registerName just before it runs the
// module; main calls it once with the export object ({post, grow, inbox,
// inflight})
// and gets back the host ({reply, openSocket, stats}), and the bridge
// deletes the global in that call. Go's main runs synchronously inside the
// bridge's go.run, so no other script sees the global. (A name in argv
// would need package os, whose initialisers cost the start-up: see
// docs/SIZE.md.) All traffic is batched: post takes one JSON array of
// operations, and replies leave as one JSON header plus one buffer holding
// every result body, so a turn costs two crossings whatever the number of
// calls. Bytes cross through linear memory, not as js.Values (mem.go).
package main

import (
	"syscall/js"
)

// registerName is the registration function's global name (qix-boot.js).
const registerName = "__qixwasm_register"

func main() {
	if js.Global().Get(registerName).Type() != js.TypeFunction {
		panic("qix-wasm: the bridge must set globalThis." + registerName + " before it runs the module")
	}
	b := newBackend()
	inbox = make([]byte, 64<<10)
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
	exports.Set("inflight", addr32(&b.inflight))
	host := js.Global().Call(registerName, exports)
	b.reply = host.Get("reply")
	openSocket = host.Get("openSocket")
	hostStats = host.Get("stats")
	go b.flushLoop()
	select {}
}
