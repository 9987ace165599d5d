package qixcore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/coder/websocket"
)

// DefaultReadLimit is the largest message the WebSocket transport accepts.
// coder/websocket defaults to 32 KiB; QIX layouts and hypercube pages are
// megabytes, so the limit is lifted far above anything an engine sends.
const DefaultReadLimit = 1 << 30

// DialOptions configures Dial.
type DialOptions struct {
	// Header is sent with the upgrade request (native Go only: browsers
	// cannot set WebSocket headers; use URL parameters or cookies there).
	Header http.Header
	// BearerToken, when set, is sent as "Authorization: Bearer <token>"
	// (native only).
	BearerToken string
	// SessionID, when set, is sent as the X-Qlik-Session header (native
	// only): connections with the same id share one engine session.
	SessionID string
	// HTTPClient is used for the upgrade request (native only).
	HTTPClient *http.Client
	// ReadLimit caps one message; 0 means DefaultReadLimit.
	ReadLimit int64
	// CloseStatus reports the close code and reason of the underlying
	// socket once it has closed. coder/websocket on GOOS=js drops them
	// (Read returns net.ErrClosed), so the browser glue observes the
	// socket's CloseEvent itself and hands it in here.
	CloseStatus func() (code int, reason string, ok bool)
}

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

// wsTransport is a Transport over a coder/websocket connection.
type wsTransport struct {
	c           *websocket.Conn
	closeStatus func() (int, string, bool)
}

// Dial opens a WebSocket to a QIX engine and returns it as a Transport.
// A failure is a *ClientError (see NewDialError) whose text never holds
// the URL's tickets, tokens or identity.
func Dial(ctx context.Context, url string, opts *DialOptions) (Transport, error) {
	if opts == nil {
		opts = &DialOptions{}
	}
	c, err := dialWebSocket(ctx, url, opts)
	if err != nil {
		return nil, NewDialError(err)
	}
	limit := opts.ReadLimit
	if limit == 0 {
		limit = DefaultReadLimit
	}
	c.SetReadLimit(limit)
	return &wsTransport{c: c, closeStatus: opts.CloseStatus}, nil
}

func (t *wsTransport) Read(ctx context.Context) ([]byte, error) {
	_, p, err := t.c.Read(ctx)
	if err != nil {
		return nil, t.readError(err)
	}
	return p, nil
}

// readError turns a read failure into a *CloseError when the close code is
// known, from the library (native) or from CloseStatus (browser).
func (t *wsTransport) readError(err error) error {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return NewCloseError(int(ce.Code), ce.Reason)
	}
	if t.closeStatus != nil && errors.Is(err, net.ErrClosed) {
		if code, reason, ok := t.closeStatus(); ok {
			return NewCloseError(code, reason)
		}
	}
	return fmt.Errorf("failed to read: %w", err)
}

func (t *wsTransport) Write(ctx context.Context, msg []byte) error {
	if err := t.c.Write(ctx, websocket.MessageText, msg); err != nil {
		return fmt.Errorf("failed to write: %w", err)
	}
	return nil
}

func (t *wsTransport) Close(code int, reason string) error {
	err := t.c.Close(websocket.StatusCode(code), reason)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("failed to close: %w", err)
	}
	return nil
}
