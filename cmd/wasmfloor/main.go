//go:build js && wasm

// Command wasmfloor is the smallest Go module worth starting in a browser:
// it calls the page's globalThis.__wasmFloor() once its runtime runs, and
// waits. The benchmark's start-up rows load it as qix-wasm loads qix.wasm
// (fetch, streaming compile, Go's runtime start) to show the floor no Go
// client goes below, beside qix-wasm's and enigma.js's starts
// (playwright/bench/cases/start.js). It imports syscall/js alone.
package main

import "syscall/js"

func main() {
	js.Global().Call("__wasmFloor")
	select {}
}
