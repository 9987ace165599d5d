//go:build js && wasm

package main

import (
	"runtime"
	"sync/atomic"
	"syscall/js"

	"github.com/qix-wasm/qix-wasm/internal/jsonw"
)

// liveFuncs counts the js.Funcs the module holds (made by funcOf, not yet
// given to releaseFunc): each pins a Go closure and a JS wrapper, so a
// count that grows with sessions opened and closed is a leak.
var liveFuncs atomic.Int64

// funcOf is js.FuncOf, counted in liveFuncs.
func funcOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// releaseFunc is f.Release, counted in liveFuncs.
func releaseFunc(f js.Func) {
	liveFuncs.Add(-1)
	f.Release()
}

// hostStats is the bridge's host.stats() (qix-boot.js): the JS values Go
// holds references to (wasm_exec.js's reference table) and the wasm
// memory's size, which only the JS side can see.
var hostStats js.Value

// stats answers the debug "stats" op: Go's heap (after a collection when
// gc is set, with the finalizers that release js.Values given a turn to
// run), goroutines, sessions, js.Funcs, and the host's figures. It blocks,
// so it runs in a goroutine.
func (b *backend) stats(seq int, gc bool) {
	defer b.recoverTo(seq)
	if gc {
		runtime.GC()
		runtime.Gosched()
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.mu.Lock()
	sessions := len(b.sessions)
	b.mu.Unlock()
	jsValues, wasmMemory := -1, -1
	if hostStats.Type() == js.TypeFunction {
		h := hostStats.Invoke()
		jsValues, wasmMemory = h.Get("jsValues").Int(), h.Get("wasmMemory").Int()
	}
	var w jsonw.Writer
	w.RawString(`{"goHeapAlloc":`)
	w.Int64(int64(ms.HeapAlloc))
	w.RawString(`,"goHeapInuse":`)
	w.Int64(int64(ms.HeapInuse))
	w.RawString(`,"goHeapObjects":`)
	w.Int64(int64(ms.HeapObjects))
	w.RawString(`,"goSys":`)
	w.Int64(int64(ms.Sys))
	w.RawString(`,"numGC":`)
	w.Int64(int64(ms.NumGC))
	w.RawString(`,"goroutines":`)
	w.Int(runtime.NumGoroutine())
	w.RawString(`,"sessions":`)
	w.Int(sessions)
	w.RawString(`,"jsFuncs":`)
	w.Int64(liveFuncs.Load())
	w.RawString(`,"jsValues":`)
	w.Int(jsValues)
	w.RawString(`,"wasmMemory":`)
	w.Int(wasmMemory)
	w.RawByte('}')
	body, _ := w.BuildBytes()
	b.resolveBody(seq, body, "")
}
