// Command devserver is the qix-wasm development server: one HTTP server on
// loopback that serves the pages (web/), the bridge (jsbridge/), the
// precompressed wasm and wasm_exec.js (build/), picasso.js and enigma.js
// from node_modules at /vendor/, and the engine emulator at /app/ (and on
// any WebSocket upgrade, so virtual-proxy prefixes work) with its admin
// endpoint at /_emulator/. /qix.js and /qix-worker.js are bundles of
// jsbridge/ (internal/jsbundle; -no-bundle serves the modules as they are).
// /_dev/blank.html is an empty same-origin page for tests and benchmarks.
// Every response carries a Content-Security-Policy and
// X-Content-Type-Options: nosniff (headers.go); the emulator refuses
// WebSockets and admin requests from foreign Origins (-allow-origin adds
// some).
//
//	devserver [-addr 127.0.0.1:8080] [-flavor core|cloud] [-root DIR]
//	          [-web DIR] [-bridge DIR] [-build DIR] [-node-modules DIR]
//	          [-allow-origin ORIGIN] [-url-file FILE] [-no-bundle] [-v]
//	          [-check-schema PATH|auto [-schema-report FILE]]
//	          [-auth cookie -web-integration-id ID -allowed-origin ORIGIN [-virtual-proxy PREFIX]]
//
// -auth cookie runs the emulator in its browser sign-in mode (see
// emulator.AuthCookie): POST /_emulator/login sets the session cookie,
// /api/v1/csrf-token and /<prefix>/qps/csrftoken hand out CSRF tokens, and
// WebSocket upgrades without them are refused as Qlik Cloud and Qlik Sense
// Enterprise refuse them.
//
// -addr 127.0.0.1:0 picks a free port; the URL is printed on stdout
// ("devserver: serving http://127.0.0.1:PORT/") and, with -url-file, written
// to FILE once the server accepts connections. SIGINT/SIGTERM stop it
// gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/qix-wasm/qix-wasm/emulator"
	"github.com/qix-wasm/qix-wasm/emulator/engine"
)

const modulePath = "github.com/qix-wasm/qix-wasm"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "devserver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("devserver", flag.ContinueOnError)
	addr := fl.String("addr", "127.0.0.1:8080", "listen address; loopback only (127.0.0.1:0 picks a free port)")
	root := fl.String("root", "", "repository root (default: found from the working directory or the binary)")
	web := fl.String("web", "", "pages folder (default ROOT/web)")
	bridge := fl.String("bridge", "", "bridge folder (default ROOT/jsbridge)")
	build := fl.String("build", "", "build output folder (default ROOT/build)")
	nodeModules := fl.String("node-modules", "", "node_modules folder for /vendor/ (default ROOT/node_modules)")
	flavor := fl.String("flavor", os.Getenv("QIX_FLAVOR"), "emulator flavour: core or cloud (default $QIX_FLAVOR, else core)")
	dataDir := fl.String("data", "", "CSV folder for the emulator's library (default: its built-in apps); DoSave writes apps to its apps/ subfolder, loaded at start")
	jwtSecret := fl.String("jwt-secret", os.Getenv("QIX_JWT_SECRET"), "turn on the emulator's JWT mode with this HS256 secret (default $QIX_JWT_SECRET)")
	reloadPace := fl.Duration("reload-pace", engine.DefaultReloadPace, "how long a reload of the emulator's generated Sales app takes, table by table (0 = instant)")
	var origins originList
	fl.Var(&origins, "allow-origin", "browser Origin allowed to reach the emulator besides loopback pages: https://app.example.com, *.example.com or * (repeat or comma-separate)")
	var auth emulator.AuthFlags
	auth.Register(fl)
	var schemaCheck emulator.SchemaFlags
	schemaCheck.Register(fl)
	noBundle := fl.Bool("no-bundle", false, "serve /qix.js and /qix-worker.js as the unbundled modules (by default each is one bundle of jsbridge/, rebuilt when a source changes)")
	urlFile := fl.String("url-file", "", "write the server URL to this file once listening")
	verbose := fl.Bool("v", false, "log every request")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fl.Args(), " "))
	}
	if err := checkLoopbackAddr(*addr); err != nil {
		return fmt.Errorf("-addr %s: %w", *addr, err)
	}
	switch *flavor {
	case "", emulator.FlavorCore, emulator.FlavorCloud:
	default:
		return fmt.Errorf("-flavor %q: want %q or %q", *flavor, emulator.FlavorCore, emulator.FlavorCloud)
	}

	if *root == "" {
		*root = findRoot()
	}
	orDefault := func(v *string, name string) {
		if *v == "" {
			*v = filepath.Join(*root, name)
		}
	}
	orDefault(web, "web")
	orDefault(bridge, "jsbridge")
	orDefault(build, "build")
	orDefault(nodeModules, "node_modules")

	logger := log.New(os.Stderr, "devserver: ", log.LstdFlags)
	if missing := missingVendor(*nodeModules); len(missing) > 0 {
		logger.Printf("warning: %s lacks %s: the pages' charts and the console's method list will not load; %s",
			*nodeModules, strings.Join(missing, ", "), vendorFix)
	}
	emuCfg := emulator.Config{
		Flavor:         *flavor,
		DataDir:        *dataDir,
		JWTSecret:      *jwtSecret,
		ReloadPace:     pace(*reloadPace),
		AllowedOrigins: origins,
		Logf:           func(f string, a ...any) { logger.Printf("emulator: "+f, a...) },
	}
	if err := auth.Apply(&emuCfg); err != nil {
		return err
	}
	if err := schemaCheck.Apply(&emuCfg); err != nil {
		return err
	}
	emu := emulator.New(emuCfg)
	handler := NewHandler(Config{
		Web:         *web,
		Bridge:      *bridge,
		Build:       *build,
		NodeModules: *nodeModules,
		Emulator:    emu,
		Logf:        logger.Printf,
		AccessLog:   *verbose,
		Bundle:      !*noBundle,
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// A name such as localhost could still resolve elsewhere: check what we
	// actually bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return fmt.Errorf("-addr %s bound %s: %w", *addr, ln.Addr(), errNotLoopback)
	}
	url := "http://" + ln.Addr().String() + "/"
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	flv := *flavor
	if flv == "" {
		flv = emulator.FlavorCore
	}
	fmt.Printf("devserver: serving %s (emulator flavour %s, web %s)\n", url, flv, *web)
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, url+"\n"); err != nil {
			srv.Close()
			return err
		}
	}

	select {
	case err := <-errc:
		emu.Close()
		return err
	case <-ctx.Done():
	}
	stop() // a second Ctrl-C kills at once
	logger.Printf("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// WebSockets are hijacked connections that Shutdown does not track:
	// close the emulator's sessions first, then drain plain HTTP.
	done := make(chan struct{})
	go func() { emu.Close(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		logger.Printf("emulator did not close in time")
	}
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if *urlFile != "" {
		os.Remove(*urlFile)
	}
	return nil
}

// findRoot returns the repository root: the nearest folder holding this
// module's go.mod, from the working directory up, then from the binary's
// folder up (build/bin/devserver), else the working directory.
func findRoot() string {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			starts = append(starts, filepath.Dir(exe))
		}
	}
	for _, dir := range starts {
		for d := dir; ; {
			if isModuleRoot(d) {
				return d
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	if len(starts) > 0 {
		return starts[0]
	}
	return "."
}

func isModuleRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == modulePath {
			return true
		}
	}
	return false
}

func writeFileAtomic(name, content string) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
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

// pace maps the -reload-pace flag to emulator.Config.ReloadPace, which
// reads 0 as "the default".
func pace(d time.Duration) time.Duration {
	if d <= 0 {
		return emulator.NoReloadPace
	}
	return d
}
