package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:9076": true, "localhost:1": true, "[::1]:80": true,
		"0.0.0.0:9076": false, ":9076": false, "192.0.2.1:80": false, "nope": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

func TestHelpDocumentsFaults(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-help"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err %v", err)
	}
	for _, s := range []string{"/_emulator/faults", "qix-fault", "-jwt-secret", "-session-ttl", "-reload-pace", "QIX_FLAVOR"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("help lacks %s", s)
		}
	}
}

func TestRefusesPublicAndBadFlavor(t *testing.T) {
	if err := run([]string{"-addr", "0.0.0.0:0"}, &bytes.Buffer{}); err == nil {
		t.Fatal("non-loopback accepted")
	}
	if err := run([]string{"-flavor", "x", "-addr", "127.0.0.1:0"}, &bytes.Buffer{}); err == nil {
		t.Fatal("bad flavor accepted")
	}
}

func TestServesAndStopsOnSignal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	done := make(chan error, 1)
	go func() { done <- run([]string{"-addr", addr, "-flavor", "core"}, &bytes.Buffer{}) }()
	var ws *websocket.Conn
	for i := 0; i < 100; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ws, _, err = websocket.Dial(ctx, "ws://"+addr+"/app/", nil)
		cancel()
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	_, b, err := ws.Read(context.Background())
	if err != nil || !strings.Contains(string(b), "SESSION_CREATED") {
		t.Fatalf("%s %v", b, err)
	}
	readErr := make(chan error, 1)
	go func() {
		_, _, err := ws.Read(context.Background())
		readErr <- err
	}()
	_ = syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
	if err := <-readErr; websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("socket not closed with 1001: %v", err)
	}
}

func TestReloadPaceFlag(t *testing.T) {
	for args, want := range map[string]time.Duration{
		"":                   engine.DefaultReloadPace,
		"-reload-pace 0":     emulator.NoReloadPace,
		"-reload-pace 250ms": 250 * time.Millisecond,
	} {
		o, err := parseFlags(strings.Fields(args), &bytes.Buffer{})
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if o.cfg.ReloadPace != want {
			t.Errorf("%q: ReloadPace %v, want %v", args, o.cfg.ReloadPace, want)
		}
	}
	if _, err := parseFlags([]string{"-reload-pace", "-1s"}, &bytes.Buffer{}); err == nil {
		t.Fatal("negative pace accepted")
	}
}

func TestLimitAndOriginFlags(t *testing.T) {
	o, err := parseFlags([]string{"-max-message-bytes", "1024", "-max-json-depth", "-1",
		"-allow-origin", "https://a.example, *.b.example", "-allow-origin", "null"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.MaxMessageBytes != 1024 || o.cfg.MaxJSONDepth != emulator.NoLimit {
		t.Fatalf("limits %d %d", o.cfg.MaxMessageBytes, o.cfg.MaxJSONDepth)
	}
	if strings.Join(o.cfg.AllowedOrigins, " ") != "https://a.example *.b.example null" {
		t.Fatalf("origins %q", o.cfg.AllowedOrigins)
	}
	o, err = parseFlags(nil, &bytes.Buffer{})
	if err != nil || o.cfg.MaxMessageBytes != emulator.DefaultMaxMessageBytes || o.cfg.MaxJSONDepth != emulator.DefaultMaxJSONDepth {
		t.Fatalf("defaults %+v %v", o.cfg, err)
	}
	if _, err := parseFlags([]string{"-max-json-depth", "0"}, &bytes.Buffer{}); err == nil {
		t.Fatal("depth 0 accepted")
	}
}

func TestLoopbackHostOnly(t *testing.T) {
	h := loopbackHostOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for host, want := range map[string]int{
		"127.0.0.1:9076": 200, "localhost:9076": 200, "[::1]:9076": 200, "app.localhost": 200, "LOCALHOST.": 200,
		"evil.example:9076": http.StatusMisdirectedRequest, "192.0.2.1": http.StatusMisdirectedRequest,
		"127.0.0.1.evil.example": http.StatusMisdirectedRequest,
	} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/app/", nil)
		r.Host = host
		h.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("Host %s: %d, want %d", host, rec.Code, want)
		}
	}
}

func TestAuthFlagsReachConfig(t *testing.T) {
	o, err := parseFlags([]string{"-flavor", "cloud", "-auth", "cookie", "-web-integration-id", "wi",
		"-allowed-origin", "http://127.0.0.1:8080"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.cfg.Auth != emulator.AuthCookie || strings.Join(o.cfg.WebIntegrations["wi"], " ") != "http://127.0.0.1:8080" {
		t.Fatalf("auth config %+v", o.cfg)
	}
	if _, err := parseFlags([]string{"-auth", "nope"}, &bytes.Buffer{}); err == nil {
		t.Fatal("-auth nope accepted")
	}
}
