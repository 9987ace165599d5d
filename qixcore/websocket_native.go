//go:build !js

package qixcore

import (
	"context"
	"fmt"
	"net/http"

	"github.com/coder/websocket"
)

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
			return nil, fmt.Errorf("failed to dial %s (HTTP %d): %w", RedactURL(url), resp.StatusCode, err)
		}
		return nil, fmt.Errorf("failed to dial %s: %w", RedactURL(url), err)
	}
	return c, nil
}
