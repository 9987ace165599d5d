//go:build js

package qixcore

// redactURLError does nothing in the browser build: only net/url makes a
// *url.Error (the native dialer, redact_native.go), and qix.wasm does not
// link net/url; the browser's WebSocket reports failures as close events.
func redactURLError(error) {}
