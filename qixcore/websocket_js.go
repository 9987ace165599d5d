//go:build js

package qixcore

import (
	"context"
	"fmt"

	"github.com/coder/websocket"
)

// dialWebSocket dials through the browser's WebSocket. Headers cannot be set
// there; Header, BearerToken and SessionID are ignored.
func dialWebSocket(ctx context.Context, url string, opts *DialOptions) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		return nil, fmt.Errorf("failed to dial %s: %w", RedactURL(url), err)
	}
	return c, nil
}
