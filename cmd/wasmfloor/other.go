//go:build !(js && wasm)

// Command wasmfloor builds for GOOS=js GOARCH=wasm only (see main.go).
package main

import "os"

func main() {
	os.Stderr.WriteString("wasmfloor is a browser module: build it with GOOS=js GOARCH=wasm\n")
	os.Exit(2)
}
