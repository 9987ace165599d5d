package qixcore

import (
	"context"
	"errors"
)

// NewDialError turns a failed dial into a *ClientError: ErrTimeout
// (CodeTimeout) when its context's deadline passed, ErrCancelled
// (CodeCancelled) when it was cancelled, else ErrNotConnected (-1). Its
// text goes through RedactError, so URLs quoted by the dialer or the HTTP
// client lose their credentials. Transports other than Dial (the browser
// glue) use it too.
func NewDialError(err error) error {
	if err == nil {
		return nil
	}
	var ce *ClientError
	if errors.As(err, &ce) {
		return RedactError(err)
	}
	kind := ErrNotConnected
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kind = ErrTimeout
	case errors.Is(err, context.Canceled):
		kind = ErrCancelled
	}
	return clientError(kind, RedactError(err))
}
