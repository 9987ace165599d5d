//go:build !js

// The coder/websocket transport is for native Go only: in browsers the
// socket lives in JS (wasm/socket.go), and linking coder/websocket there
// would bring net/http and crypto/tls into qix.wasm for nothing.

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
	// Header is sent with the upgrade request.
	Header http.Header
	// BearerToken, when set, is sent as "Authorization: Bearer <token>".
	BearerToken string
	// SessionID, when set, is sent as the X-Qlik-Session header:
	// connections with the same id share one engine session.
	SessionID string
	// HTTPClient is used for the upgrade request.
	HTTPClient *http.Client
	// ReadLimit caps one message; 0 means DefaultReadLimit.
	ReadLimit int64
}

// wsTransport is a Transport over a coder/websocket connection.
type wsTransport struct {
	c *websocket.Conn
}

// Open dials url and starts a session on the socket. The session can
// resume: it dials url again with the same options.
func Open(ctx context.Context, url string, dial *DialOptions, opts SessionOptions) (*Session, error) {
	t, err := Dial(ctx, url, dial)
	if err != nil {
		return nil, fmt.Errorf("failed to open session: %w", RedactError(err))
	}
	if opts.Dial == nil {
		opts.Dial = func(ctx context.Context) (Transport, error) { return Dial(ctx, url, dial) }
	}
	return NewSession(t, opts), nil
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
	return &wsTransport{c: c}, nil
}

func (t *wsTransport) Read(ctx context.Context) ([]byte, error) {
	_, p, err := t.c.Read(ctx)
	if err != nil {
		return nil, t.readError(err)
	}
	return p, nil
}

// readError turns a read failure into a *CloseError when the close code is
// known.
func (t *wsTransport) readError(err error) error {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return NewCloseError(int(ce.Code), ce.Reason)
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

// dialWebSocket dials with the options' headers and HTTP client.
func dialWebSocket(ctx context.Context, url string, opts *DialOptions) (*websocket.Conn, error) {
	h := http.Header{}
	for k, v := range opts.Header {
		h[k] = append([]string(nil), v...)
	}
	if opts.BearerToken != "" {
		h.Set("Authorization", "Bearer "+opts.BearerToken)
	}
	if opts.SessionID != "" {
		h.Set("X-Qlik-Session", opts.SessionID)
	}
	c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: h, HTTPClient: opts.HTTPClient})
	if err != nil {
		if resp != nil {
			// Typed, so automatic resume stops on 401, 403 and 404.
			return nil, &HandshakeError{Status: resp.StatusCode, Err: fmt.Errorf("failed to dial %s (HTTP %d): %w", RedactURL(url), resp.StatusCode, err)}
		}
		return nil, fmt.Errorf("failed to dial %s: %w", RedactURL(url), err)
	}
	return c, nil
}
