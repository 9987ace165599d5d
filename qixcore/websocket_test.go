//go:build !js

package qixcore

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// TestWebSocketTransport runs the transport against a real socket: headers
// reach the server, a large message passes the lifted read limit, and the
// server's close code and reason come back as a *CloseError.
func TestWebSocketTransport(t *testing.T) {
	big := strings.Repeat("x", 4<<20)
	headers := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers <- r.Header.Clone()
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		c.SetReadLimit(-1)
		ctx := context.Background()
		_, p, err := c.Read(ctx)
		if err != nil {
			return
		}
		_ = c.Write(ctx, websocket.MessageText, p)
		_ = c.Write(ctx, websocket.MessageText, []byte(big))
		c.Close(4204, `{"code":"QEP-104","traceId":"t1"}`)
	}))
	defer srv.Close()

	ctx := context.Background()
	tr, err := Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/app/x", &DialOptions{BearerToken: "tok", SessionID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	h := <-headers
	if h.Get("Authorization") != "Bearer tok" || h.Get("X-Qlik-Session") != "s1" {
		t.Fatalf("headers = %v", h)
	}
	if err := tr.Write(ctx, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if p, err := tr.Read(ctx); err != nil || string(p) != `{"a":1}` {
		t.Fatalf("echo = %q %v", p, err)
	}
	if p, err := tr.Read(ctx); err != nil || len(p) != len(big) {
		t.Fatalf("big message: %d bytes, %v", len(p), err)
	}
	_, err = tr.Read(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 4204 || ce.QEPCode != "QEP-104" || ce.TraceID != "t1" {
		t.Fatalf("close: %v", err)
	}
}
