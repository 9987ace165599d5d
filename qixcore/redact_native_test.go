//go:build !js

package qixcore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
)

// TestRedactErrorKeepsTheChain is native only: a *url.Error comes from
// the native dialer (net/url is not in the browser build).
func TestRedactErrorKeepsTheChain(t *testing.T) {
	ue := &url.Error{Op: "Get", URL: "http://h/app/A?qlikTicket=" + testTicket, Err: context.DeadlineExceeded}
	err := RedactError(fmt.Errorf("failed to dial: %w", ue))
	noSecrets(t, "RedactError", err.Error())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("errors.Is lost the cause")
	}
	var got *url.Error
	if !errors.As(err, &got) {
		t.Fatal("errors.As lost the *url.Error")
	}
	noSecrets(t, "url.Error.URL", got.URL)
	plain := errors.New("nothing secret")
	if RedactError(plain) != plain || RedactError(nil) != nil {
		t.Error("RedactError changed an error with nothing to mask")
	}
}
