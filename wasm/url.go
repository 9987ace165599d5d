//go:build js && wasm

package main

import "github.com/qix-wasm/qix-wasm/qixcore"

// buildURL runs qixcore.BuildURL for the page, so the URL a page previews is
// the one the Go builder makes. args is the page's config (camelCase, query
// parameters as [key, value] pairs); the URL comes back as a JSON string.
func buildURL(args []byte) ([]byte, error) {
	return qixcore.BuildURLJSON(args)
}
