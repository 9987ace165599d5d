//go:build !js

package qixcore

import (
	"errors"
	"net/url"
)

// redactURLError redacts, in place, the URL of the first *url.Error in
// err's chain: the native dialer and net/http report failed requests that
// way, URL and all. The js build has its own (redact_js.go) so that
// qix.wasm does not link net/url.
func redactURLError(err error) {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactURL(ue.URL)
	}
}
