// Package errwrap wraps errors the way fmt.Errorf("...: %w", err) does,
// without fmt: fmt, with the reflect it calls, is about 85 KB of qix.wasm
// (brotli) and the browser build uses it for nothing else.
package errwrap

// wrapped is an error with its own text that unwraps to err.
type wrapped struct {
	text string
	err  error
}

func (e *wrapped) Error() string { return e.text }
func (e *wrapped) Unwrap() error { return e.err }

// Wrap returns an error reading prefix + ": " + err.Error() that unwraps
// to err, as fmt.Errorf(prefix+": %w", err) does (a nil err reads
// "<nil>" and unwraps to nil).
func Wrap(prefix string, err error) error {
	return &wrapped{text: prefix + ": " + Text(err), err: err}
}

// WithText returns an error reading text that unwraps to err, for the
// messages that place the wrapped error elsewhere than at the end.
func WithText(text string, err error) error {
	return &wrapped{text: text, err: err}
}

// Text is err.Error(), or "<nil>" for a nil err.
func Text(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
