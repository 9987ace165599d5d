// Command qix-emulator runs the offline Qlik QIX engine emulator (package
// emulator) on a loopback address, so tests, pages and benchmarks can talk
// to a QIX engine without a real one.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

// usageText documents endpoints and fault injection for -help.
const usageText = `qix-emulator: an offline Qlik QIX engine (JSON-RPC 2.0 over WebSocket).

Endpoints (an optional virtual-proxy prefix may precede /app):
  ws://ADDR/app/<doc>                 session per doc + user
  ws://ADDR/app/                      session from the X-Qlik-Session header
  ws://ADDR/app/engineData            session without a doc
  ws://ADDR/app/SessionApp_<id>[?from=<app>]   session app created on connect
  .../identity/<x>   separate session      .../ttl/<seconds>   session TTL

Fault injection (off by default; for client error-handling tests):
  Per connection, on the connect URL: ?qix-fault=<action>:<method>[:<args>]
    delay:GetLayout:500   drop:DoReload   close::4003:bye   close:GetLayout:4204:gone
    malformed:GetLayout   unknown-id:EngineVersion   stall:GetLayout   abort:GetLayout
    lag:GetLayout:500 (runs it, holds the reply: a cancel meanwhile stops nothing)
  Server-wide, loopback-only HTTP admin:
    POST   /_emulator/faults  {"match":"<doc|X-Qlik-Session|identity>","method":"GetLayout",
                               "action":"delay|drop|close|malformed|unknown-id|stall|abort|lag",
                               "ms":500,"code":4003,"reason":"bye","count":1}
                              (or an array) -> {"ids":["f1"]}
    GET    /_emulator/faults  list          DELETE /_emulator/faults[?id=f1]  remove
  GET /_emulator/sessions lists live sessions ({"doc","sockets","ttl"}).
  GET /_emulator/schema-violations lists replies that differed from the engine API schema
  (with -check-schema; DELETE starts over).
  "match" scopes a fault to matching connections so parallel tests do not collide;
  a close fault without "method" closes matching sockets at once and on connect.

Apps: "Sales" (generated: Regions, Customers, Products, Calendar, 50 000 Orders) and
"Demo" (small inline script), plus CSV files of -data as lib://data/<file>.csv. A reload
of Sales takes -reload-pace, table by table, so GetProgress can be watched. A named app's
unsaved changes end with its last session; DoSave keeps them (in memory, or with -data in
<data>/apps/<app>.qvf.json, loaded at start). Session apps end with their session.

Browser sign-in (-auth cookie -web-integration-id ID -allowed-origin ORIGIN [-virtual-proxy P]):
  POST /_emulator/login[?user=NAME] (loopback only) sets the session cookie; then
  GET /api/v1/csrf-token (header qlik-web-integration-id, Origin allowed by it) or
  GET /<prefix>/qps/csrftoken returns the token in the qlik-csrf-token header, and
  wss://ADDR/app/<doc>?qlik-web-integration-id=ID&qlik-csrf-token=T connects.
  Upgrades without cookie get 401; without/with a wrong web integration, origin or
  token 403 (a browser sees close code 1006, as with Qlik Cloud).

Limits (like a real server): frames over -max-message-bytes close the socket with 1009;
requests nested deeper than -max-json-depth get error -32600; WebSocket upgrades and
admin requests from a browser Origin that is not loopback, not the server's own and not
given with -allow-origin get HTTP 403. Without -public, Host headers that do not name
loopback are refused (421), so DNS rebinding cannot reach the emulator.

Environment: QIX_FLAVOR=cloud selects the Qlik Cloud flavour (same as -flavor cloud).

Flags:
`

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		log.Fatal(err)
	}
}

// options is what the command line asks for.
type options struct {
	addr   string
	public bool
	cfg    emulator.Config
}

// parseFlags reads the command line into the server's Config.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("qix-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9076", "listen address (loopback only unless -public)")
	public := fs.Bool("public", false, "allow a non-loopback listen address")
	flavor := fs.String("flavor", envOr("QIX_FLAVOR", emulator.FlavorCore), `engine flavour: "core" or "cloud"`)
	secret := fs.String("jwt-secret", "", "enable JWT mode with this HS256 secret (sub claim = user)")
	data := fs.String("data", "", "folder of CSV files reachable from scripts as lib://data/<file>.csv; DoSave writes apps to its apps/ subfolder, loaded at start")
	ttl := fs.Int("session-ttl", 0, "session TTL in seconds (-1 infinite, needs -max-session-ttl -1)")
	maxTTL := fs.Int("max-session-ttl", 1800, "maximum session TTL in seconds (-1 no cap)")
	maxSessions := fs.Int("max-sessions", 0, "cloud flavour: max live sessions, 0 = no limit (4205 beyond)")
	maxApps := fs.Int("max-apps", 0, "cloud flavour: max distinct open apps, 0 = no limit (4230 beyond)")
	pace := fs.Duration("reload-pace", engine.DefaultReloadPace, "how long a reload of the generated Sales app takes, table by table (0 = instant)")
	maxMsg := fs.Int64("max-message-bytes", emulator.DefaultMaxMessageBytes, "largest request frame in bytes; larger ones close the socket with 1009 (-1 = no limit)")
	maxDepth := fs.Int("max-json-depth", emulator.DefaultMaxJSONDepth, "deepest nesting of a request; deeper ones get error -32600 (-1 = no limit)")
	var origins originList
	fs.Var(&origins, "allow-origin", "browser Origin allowed besides loopback and same-origin pages: https://app.example.com, *.example.com or * (repeat or comma-separate)")
	var auth emulator.AuthFlags
	auth.Register(fs)
	var schemaCheck emulator.SchemaFlags
	schemaCheck.Register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if *flavor != emulator.FlavorCore && *flavor != emulator.FlavorCloud {
		return o, fmt.Errorf("failed to start: unknown flavor %q", *flavor)
	}
	if *pace < 0 {
		return o, fmt.Errorf("failed to start: negative -reload-pace %v", *pace)
	}
	if *maxTTL == 0 {
		*maxTTL = emulator.NoSessionTTL // Config reads 0 as "default 1800"
	}
	if *pace == 0 {
		*pace = emulator.NoReloadPace // Config reads 0 as "default 1 s"
	}
	if *maxMsg == 0 || *maxDepth == 0 {
		return o, fmt.Errorf("failed to start: a limit of 0 is meaningless; use -1 for none")
	}
	o.addr, o.public = *addr, *public
	o.cfg = emulator.Config{
		Flavor:        *flavor,
		DataDir:       *data,
		SessionTTL:    *ttl,
		MaxSessionTTL: *maxTTL,
		JWTSecret:     *secret,
		MaxSessions:   *maxSessions,
		MaxApps:       *maxApps,
		ReloadPace:    *pace,

		MaxMessageBytes: *maxMsg,
		MaxJSONDepth:    *maxDepth,
		AllowedOrigins:  origins,
	}
	if err := auth.Apply(&o.cfg); err != nil {
		return o, err
	}
	if err := schemaCheck.Apply(&o.cfg); err != nil {
		return o, err
	}
	return o, nil
}

// run parses flags, serves until SIGINT/SIGTERM and stops gracefully.
func run(args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if !o.public {
		if err := checkLoopback(o.addr); err != nil {
			return err
		}
	}
	flavor := &o.cfg.Flavor
	srv := emulator.New(o.cfg)
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("failed to listen: %w", err)
	}
	var h http.Handler = srv
	if !o.public {
		h = loopbackHostOnly(srv)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Printf("qix-emulator (%s) listening on ws://%s/app/", *flavor, ln.Addr())
	select {
	case err := <-errc:
		return fmt.Errorf("failed to serve: %w", err)
	case <-ctx.Done():
	}
	log.Printf("qix-emulator stopping")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Close() // WebSockets are hijacked: Shutdown does not wait for them
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("failed to shut down: %w", err)
	}
	return nil
}

// checkLoopback refuses listen addresses outside the loopback network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("failed to parse -addr: %w", err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("failed to start: -addr %q is not a loopback address (use -public to allow)", addr)
	}
	return nil
}

// originList is the repeatable, comma-separated -allow-origin flag.
type originList []string

func (l *originList) String() string { return strings.Join(*l, ",") }

func (l *originList) Set(v string) error {
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o != "" {
			*l = append(*l, o)
		}
	}
	return nil
}

// loopbackHostOnly refuses requests whose Host header does not name
// loopback, so a web page cannot reach a loopback-bound emulator through
// DNS rebinding (its Origin would otherwise look same-origin).
func loopbackHostOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
		ip := net.ParseIP(host)
		if host != "localhost" && !strings.HasSuffix(host, ".localhost") && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "qix-emulator answers loopback host names only (use -public)", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// envOr reads an environment variable with a default.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
