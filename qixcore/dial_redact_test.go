//go:build !js

package qixcore

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestDialRefusedHasNoSecrets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = Dial(context.Background(), secretURL("ws://"+addr), &DialOptions{BearerToken: testJWT})
	if err == nil {
		t.Fatal("dial of a closed port succeeded")
	}
	noSecrets(t, "dial error", err.Error())
	var ce *ClientError
	if !errors.As(err, &ce) || ce.Kind != KindNotConnected || ce.Code != CodeNotConnected {
		t.Fatalf("dial error %T %v, want ErrNotConnected", err, err)
	}
	if !strings.Contains(err.Error(), "/app/Sales") || !strings.Contains(err.Error(), addr) {
		t.Errorf("dial error no longer says where it went: %v", err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		noSecrets(t, "url.Error in the chain", ue.URL)
	}
}

func TestDialHTTPRefusalHasNoSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "forbidden", http.StatusForbidden)
	}))
	defer srv.Close()
	_, err := Dial(context.Background(), secretURL("ws"+strings.TrimPrefix(srv.URL, "http")), nil)
	if err == nil {
		t.Fatal("dial succeeded")
	}
	noSecrets(t, "dial error", err.Error())
	if !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("status lost: %v", err)
	}
}

func TestDialTimeoutHasTimeoutCode(t *testing.T) {
	// A server that accepts TCP but never answers the upgrade.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = Dial(ctx, secretURL("ws://"+ln.Addr().String()), nil)
	var ce *ClientError
	if !errors.As(err, &ce) || ce.Code != CodeTimeout || !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("dial past its deadline: %T %v, want ErrTimeout with code %d", err, err, CodeTimeout)
	}
	noSecrets(t, "timeout error", err.Error())

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = Dial(ctx, secretURL("ws://"+ln.Addr().String()), nil)
	if !errors.As(err, &ce) || ce.Code != CodeCancelled || !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancelled dial: %v, want ErrCancelled with code %d", err, CodeCancelled)
	}
}

func TestOpenErrorHasNoSecrets(t *testing.T) {
	_, err := Open(context.Background(), secretURL("ws://127.0.0.1:1"), nil, SessionOptions{})
	if err == nil {
		t.Fatal("open of port 1 succeeded")
	}
	noSecrets(t, "open error", err.Error())
}
