#!/usr/bin/env bash
# qix-wasm build, serve, test and bench plumbing.
#
#   ./build.sh build   wasm + wasm_exec.js + .gz/.br + JS bundles + Go commands into build/
#   ./build.sh release build with brotli 11 (what a host should ship)
#   ./build.sh pack    build, then npm pack jsbridge/ + qix.wasm + wasm_exec.js
#                      + the bundles into build/qix-wasm-<version>.tgz (an
#                      installable ESM package)
#   ./build.sh serve   npm deps the pages import (when missing or stale),
#                      build, then the dev server on 127.0.0.1:${PORT:-8080}
#                      (QIX_FLAVOR=cloud for the cloud emulator; extra
#                      arguments go to the dev server, e.g. ./build.sh serve -v)
#   ./build.sh test    everything CI runs; installs Debian's chromium (if
#                      /usr/bin/chromium is missing) and runs npm ci; the
#                      node and Playwright stages check every emulator reply
#                      against the engine API schema (fail on any violation)
#   ./build.sh fuzz    every Go fuzz target for FUZZTIME (2m) each
#   ./build.sh bench   Go benchmarks + browser benchmark; JSON to
#                      ${BENCH_OUT:-bench-results.json}
#
# Knobs (environment): PORT, QIX_FLAVOR, BROTLI_QUALITY (5 for build and
# serve, 11 for bench and release), BENCHTIME (1s),
# BENCH_OUT, PW_WORKERS (2), PW_TRACE (off), NODE_TEST_TIMEOUT (600 s),
# SKIP_NPM_CI=1 (test: keep node_modules as is), CHROMIUM_PATH
# (/usr/bin/chromium), SOAK_CYCLES (200: the memory soak's object cycles
# per mode in playwright/soak.spec.js; e.g. SOAK_CYCLES=10000 ./build.sh
# test, or SOAK_CYCLES=10000 npx playwright test playwright/soak.spec.js).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
BUILD=$ROOT/build
BIN=$BUILD/bin
GOROOT_DIR=$(go env GOROOT)
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
export CHROMIUM_PATH=$CHROMIUM
# Playwright must never download a browser: we drive Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Keep npm quiet and off the network for anything but the packages.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }

human() { # bytes -> "1234567 (1.18 MiB)"
	awk -v b="$1" 'BEGIN { printf "%d (%.2f MiB)", b, b / 1048576 }'
}

# ---------------------------------------------------------------- build

# BROTLI_QUALITY: 5 compresses the 6 MB wasm in well under a second, 11
# takes over a minute for ~8 % less; dev builds use 5, release and bench 11.
BROTLI_QUALITY=${BROTLI_QUALITY:-5}

# build_compress builds the compressor first: the wasm step needs it.
build_compress() {
	mkdir -p "$BIN"
	go build -o "$BIN/compress" ./cmd/compress
}

build_wasm() {
	mkdir -p "$BUILD"
	log "wasm: GOOS=js GOARCH=wasm go build ./wasm"
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$BUILD/qix.wasm" ./wasm
	cp "$GOROOT_DIR/lib/wasm/wasm_exec.js" "$BUILD/wasm_exec.js"
	compress_wasm qix.wasm
	# The bench's start-up floor: a Go module that only starts (cmd/wasmfloor).
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$BUILD/floor.wasm" ./cmd/wasmfloor
	compress_wasm floor.wasm
}

# compress_wasm NAME writes build/NAME.gz and .br, only when NAME changed
# (go build may rewrite an identical file); either way the compressed files
# end up newer than NAME, which the dev server requires before it serves them.
compress_wasm() {
	local f=$BUILD/$1 sum old=""
	# The stamp holds the brotli quality too: a release build after a dev
	# build must recompress.
	sum="$(sha256sum "$f" | cut -d' ' -f1) q$BROTLI_QUALITY"
	[[ -f $f.sha256 ]] && old=$(<"$f.sha256")
	if [[ $sum == "$old" && -s $f.gz && -s $f.br ]]; then
		echo "$1 unchanged: keeping $1.gz and $1.br"
		touch "$f.gz" "$f.br"
		return
	fi
	rm -f "$f.sha256"
	local t0
	t0=$(now_ms)
	gzip -9 -n -c "$f" >"$f.gz.tmp"
	mv -f "$f.gz.tmp" "$f.gz"
	echo "$1: gzip -9: $(($(now_ms) - t0)) ms"
	t0=$(now_ms)
	# Brotli through our Go program (github.com/andybalholm/brotli), so no
	# Debian package is needed; Debian's brotli is only a fallback.
	if ! "$BIN/compress" -br -q "$BROTLI_QUALITY" "$f"; then
		command -v brotli >/dev/null || die "brotli compression failed"
		brotli -f -q "$BROTLI_QUALITY" -o "$f.br" "$f"
	fi
	echo "$1: brotli -q $BROTLI_QUALITY: $(($(now_ms) - t0)) ms"
	echo "$sum" >"$f.sha256"
}

# build_bundles writes the bridge as two files (cmd/jsbundle, esbuild):
# build/qix.bundle.js (the page module) and build/qix-worker.bundle.js (the
# worker with wasm_exec.js), each with its .map. The dev server bundles on
# request instead; these are what the npm package ships beside the modules.
build_bundles() {
	log "bundles: jsbridge -> build/qix.bundle.js, build/qix-worker.bundle.js"
	go build -o "$BIN/jsbundle" ./cmd/jsbundle
	"$BIN/jsbundle" -bridge jsbridge -wasm-exec "$BUILD/wasm_exec.js" -out "$BUILD"
}

build_commands() {
	log "Go commands -> build/bin/"
	mkdir -p "$BIN"
	go build -o "$BIN/" ./cmd/...
	ls "$BIN"
}

print_sizes() {
	local raw gz br
	raw=$(stat -c %s "$BUILD/qix.wasm")
	gz=$(stat -c %s "$BUILD/qix.wasm.gz")
	br=$(stat -c %s "$BUILD/qix.wasm.br")
	log "qix.wasm sizes"
	printf '  %-8s %s\n' raw "$(human "$raw")"
	printf '  %-8s %s  %s%%\n' gzip "$(human "$gz")" "$((gz * 100 / raw))"
	printf '  %-8s %s  %s%%\n' brotli "$(human "$br")" "$((br * 100 / raw))"
}

cmd_build() {
	build_compress
	build_wasm
	build_bundles
	build_commands
	print_sizes
}

# cmd_pack makes the npm package: jsbridge/ (its package.json, the module,
# worker, socket, patch code and .d.ts files), the build outputs it loads
# relative to its own URL (qix.wasm, wasm_exec.js) and the bundles
# (qix.bundle.js, qix-worker.bundle.js and their maps) staged side by side in a
# temporary folder, packed to build/qix-wasm-<version>.tgz.
cmd_pack() {
	build_compress
	build_wasm
	build_bundles
	local dir tgz
	dir=$(mktemp -d)
	cp jsbridge/package.json jsbridge/*.js jsbridge/*.d.ts README.md "$dir/"
	cp "$BUILD/qix.wasm" "$BUILD/wasm_exec.js" "$dir/"
	cp "$BUILD"/qix.bundle.js{,.map} "$BUILD"/qix-worker.bundle.js{,.map} "$dir/"
	tgz=$(cd "$dir" && npm pack --silent --pack-destination "$BUILD" </dev/null | tail -n 1)
	rm -rf "$dir"
	[[ -s $BUILD/$tgz ]] || die "npm pack made no tarball"
	PACK_TGZ=$tgz
	log "package: build/$tgz ($(human "$(stat -c %s "$BUILD/$tgz")"))"
	tar -tzf "$BUILD/$tgz" | sed 's/^/  /'
}

# ---------------------------------------------------------------- servers

SERVER_PIDS=()
SERVER_TMP=""

stop_servers() {
	local pid
	for pid in "${SERVER_PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null || true
		fi
		wait "$pid" 2>/dev/null || true
	done
	SERVER_PIDS=()
	if [[ -n $SERVER_TMP ]]; then rm -rf "$SERVER_TMP"; SERVER_TMP=""; fi
}

# start_server LOGFILE [devserver args...]: starts build/bin/devserver on a
# free loopback port and sets SERVER_URL (no trailing slash).
start_server() {
	local logfile=$1
	shift
	[[ -n $SERVER_TMP ]] || SERVER_TMP=$(mktemp -d)
	local urlfile=$SERVER_TMP/url.$RANDOM
	"$BIN/devserver" -addr 127.0.0.1:0 -url-file "$urlfile" "$@" >"$logfile" 2>&1 &
	local pid=$!
	SERVER_PIDS+=("$pid")
	for _ in $(seq 300); do
		if [[ -s $urlfile ]]; then
			SERVER_URL=$(<"$urlfile")
			SERVER_URL=${SERVER_URL%/}
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$logfile" >&2
			die "dev server exited before listening"
		fi
		sleep 0.1
	done
	cat "$logfile" >&2
	die "dev server did not start within 30 s"
}

# npm_deps installs the npm packages the pages import at run time (picasso.js,
# picasso-plugin-q, enigma.js's schema) when node_modules is missing or older
# than package-lock.json, so a fresh clone's `serve` works. It uses the
# lockfile as is (npm ci), never resolving versions anew.
npm_deps() {
	local stamp=node_modules/.package-lock.json
	if [[ -f $stamp && ! package-lock.json -nt $stamp ]]; then
		return 0
	fi
	command -v npm >/dev/null || die "npm is missing: install Node.js 20 and npm (the pages import picasso.js from node_modules)"
	log "npm ci (node_modules is missing or older than package-lock.json)"
	npm ci --no-audit --no-fund </dev/null
}

cmd_serve() {
	local t0
	t0=$(now_ms)
	npm_deps
	cmd_build
	echo "ready in $(($(now_ms) - t0)) ms"
	local port=${PORT:-8080}
	log "dev server on http://127.0.0.1:$port/ (flavour ${QIX_FLAVOR:-core}); Ctrl-C stops it"
	# exec: Ctrl-C and SIGTERM reach the server, which shuts down gracefully.
	exec "$BIN/devserver" -addr "127.0.0.1:$port" "$@"
}

# ---------------------------------------------------------------- test

ensure_chromium() {
	if [[ -x $CHROMIUM ]]; then
		return 0
	fi
	[[ $CHROMIUM == /usr/bin/chromium ]] || die "CHROMIUM_PATH=$CHROMIUM does not exist"
	log "installing Debian's chromium (apt-get)"
	local sudo=()
	[[ $(id -u) == 0 ]] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -q chromium </dev/null
	[[ -x $CHROMIUM ]] || die "chromium did not install at $CHROMIUM"
}

npm_install() {
	if [[ ${SKIP_NPM_CI:-} == 1 && -d node_modules/@playwright/test ]]; then
		echo "SKIP_NPM_CI=1: keeping node_modules"
		return 0
	fi
	npm ci --no-audit --no-fund </dev/null
}

go_files() {
	find . \( -name node_modules -o -path ./build -o -path ./.git -o -path ./test-results \) -prune \
		-o -name '*.go' -type f -print
}

check_gofmt() {
	local bad
	bad=$(go_files | xargs -r gofmt -l)
	if [[ -n $bad ]]; then
		echo "gofmt needed (run gofmt -w on these):"
		echo "$bad"
		return 1
	fi
	echo "gofmt: $(go_files | wc -l) files OK"
}

vet_native() { go vet ./...; echo "go vet ./...: OK"; }

vet_js() {
	GOOS=js GOARCH=wasm go vet ./qixcore/... ./wasm/...
	echo "GOOS=js go vet ./qixcore/... ./wasm/...: OK"
}

test_native() { go test -race ./...; }

test_js() {
	# The generators under qixcore/internal run go itself: native only.
	local pkgs
	mapfile -t pkgs < <(go list ./qixcore/... | grep -v '/internal/')
	# wasm/ tests too, once it has any.
	if compgen -G 'wasm/*_test.go' >/dev/null; then pkgs+=(./wasm/...); fi
	PATH="$GOROOT_DIR/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test "${pkgs[@]}"
}

have_node_tests() {
	[[ -d test/node ]] && [[ -n $(find test/node -type f \( -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) -print -quit) ]]
}

# The bridge's .d.ts, checked by compiling a usage file that also expects
# errors where the types must refuse code.
test_types() { node_modules/.bin/tsc -p test/types; echo "tsc -p test/types: OK"; }

# schema_check_on STAGE: emulators started from here on (the dev server
# and those the tests start themselves) check every reply against the engine
# API schema (emulator/schemacheck.go) and append violations to
# build/schema-STAGE.jsonl (emptied first).
schema_check_on() {
	local dir
	dir=$(go list -m -f '{{.Dir}}' github.com/qlik-oss/enigma-go/v4 2>/dev/null || true)
	if [[ -z $dir ]]; then
		go mod download github.com/qlik-oss/enigma-go/v4
		dir=$(go list -m -f '{{.Dir}}' github.com/qlik-oss/enigma-go/v4)
	fi
	export QIX_CHECK_SCHEMA=$dir/schema/engine-rpc.json
	export QIX_SCHEMA_REPORT=$BUILD/schema-$1.jsonl
	mkdir -p "$BUILD"
	: >"$QIX_SCHEMA_REPORT"
}

# schema_check_result [URL]: fails when a reply differed from the schema,
# listing the violations: those of the emulator at URL (its
# /_emulator/schema-violations) and those in $QIX_SCHEMA_REPORT.
schema_check_result() {
	local rc=0
	if [[ -n ${1:-} ]]; then
		node -e '
			fetch(process.argv[1] + "/_emulator/schema-violations").then((r) => r.json()).then((r) => {
				if (!r.enabled) { console.error("schema check: the emulator did not check replies"); process.exit(1); }
				console.log(`schema check: ${r.checked} replies checked, ${r.count} violation(s)`);
				for (const v of r.violations) console.log(`  ${v.path}: ${v.problem} (${v.count}x)`);
				process.exit(r.count ? 1 : 0);
			}, (e) => { console.error("schema check:", e.message); process.exit(1); });' "$1" || rc=1
	fi
	if [[ -s $QIX_SCHEMA_REPORT ]]; then
		echo "schema check: replies differed from the schema (${QIX_SCHEMA_REPORT#"$ROOT"/}):"
		cat "$QIX_SCHEMA_REPORT"
		rc=1
	fi
	return "$rc"
}

# A hung node test must not eat CI's 90 minutes.
test_node() {
	schema_check_on node
	local rc=0
	timeout --kill-after=15 "${NODE_TEST_TIMEOUT:-600}" node --test test/node/ || rc=$?
	schema_check_result || rc=1
	return "$rc"
}

test_playwright() {
	# Stages run in subshells: this one needs its own traps to stop its server.
	trap stop_servers EXIT
	trap 'stop_servers; exit 130' INT TERM
	local logfile=$BUILD/devserver-playwright.log
	schema_check_on playwright
	start_server "$logfile"
	echo "dev server: $SERVER_URL (log: ${logfile#"$ROOT"/})"
	local rc=0
	BASE_URL=$SERVER_URL node_modules/.bin/playwright test || rc=$?
	schema_check_result "$SERVER_URL" || rc=1
	stop_servers
	if [[ $rc != 0 ]]; then
		echo "--- last lines of the dev server log ---"
		tail -n 40 "$logfile" || true
	fi
	return "$rc"
}

# test_fresh_clone copies the repository's files as a clone would have them
# (tracked and new files; no node_modules, no build/) into a temporary
# folder, runs `./build.sh serve` there as a new user would, and loads every
# page (playwright/pages-clean.spec.js): zero console errors, zero failed
# requests. It reports how long serve took to listen (the goal: under 60 s
# with the Go module cache warm).
test_fresh_clone() {
	trap stop_fresh EXIT
	FRESH_DIR=$(mktemp -d)
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -C "$FRESH_DIR" -xf -
	[[ ! -e $FRESH_DIR/node_modules && ! -e $FRESH_DIR/build ]] || die "fresh copy has node_modules or build/"
	local t0 urlfile=$FRESH_DIR/.serve-url log=$FRESH_DIR/.serve.log
	t0=$(now_ms)
	(cd "$FRESH_DIR" && exec env PORT=0 ./build.sh serve -url-file "$urlfile") >"$log" 2>&1 &
	FRESH_PID=$!
	for _ in $(seq 1800); do
		[[ -s $urlfile ]] && break
		if ! kill -0 "$FRESH_PID" 2>/dev/null; then
			cat "$log"
			die "./build.sh serve in the fresh copy exited before listening"
		fi
		sleep 0.2
	done
	[[ -s $urlfile ]] || { cat "$log"; die "./build.sh serve in the fresh copy did not listen within 6 minutes"; }
	echo "fresh copy: ./build.sh serve listening after $(($(now_ms) - t0)) ms at $(<"$urlfile")"
	grep -E '^(added|==> npm|ready in)' "$log" || true
	BASE_URL=$(<"$urlfile") node_modules/.bin/playwright test playwright/pages-clean.spec.js
}

# test_vite_app: the packed package in a bundler. It packs
# build/qix-wasm-<version>.tgz, installs test/vite-app from its lockfile
# (npm ci; the tarball's lock entry has no integrity, so the tarball just
# packed is what installs: checked below), builds it with vite build and runs
# test/vite-app/app.spec.js in Chromium (vite preview serves the build; the
# app talks to the dev server's emulator).
test_vite_app() {
	trap stop_servers EXIT
	trap 'stop_servers; exit 130' INT TERM
	cmd_pack
	local app=test/vite-app
	grep -q "\"file:../../build/$PACK_TGZ\"" $app/package.json || die "$app/package.json must depend on file:../../build/$PACK_TGZ"
	node -e 'process.exit(require(process.argv[1]).packages["node_modules/qix-wasm"].integrity ? 1 : 0)' "$ROOT/$app/package-lock.json" ||
		die "$app/package-lock.json pins qix-wasm's integrity: delete that line (the tarball changes with every build)"
	(cd $app && npm ci --no-audit --no-fund </dev/null && node_modules/.bin/vite build)
	node_modules/.bin/tsc -p $app && echo "tsc -p $app: the package's types resolve"
	cmp "$BUILD/qix.wasm" $app/node_modules/qix-wasm/qix.wasm && cmp jsbridge/qix.js $app/node_modules/qix-wasm/qix.js
	start_server "$BUILD/devserver-vite-app.log"
	QIX_URL="${SERVER_URL/#http/ws}/app/Sales" node_modules/.bin/playwright test -c $app/playwright.config.js
}

stop_fresh() {
	if [[ -n ${FRESH_PID:-} ]]; then
		kill -TERM "$FRESH_PID" 2>/dev/null || true
		wait "$FRESH_PID" 2>/dev/null || true
	fi
	[[ -n ${FRESH_DIR:-} ]] && rm -rf "$FRESH_DIR"
	return 0
}

# check_wasm_size fails when build/qix.wasm's brotli size (quality 11)
# passes the budget in wasm-size-budget.json; then it prints the size
# profile by package (docs/SIZE.md) of a copy built with names kept.
check_wasm_size() {
	if "$BIN/wasmsize" -pkg-gzip=false -top 0 -budget wasm-size-budget.json "$BUILD/qix.wasm"; then
		return 0
	fi
	GOOS=js GOARCH=wasm go build -trimpath -ldflags=-w -o "$BUILD/qix-names.wasm" ./wasm
	"$BIN/wasmsize" -q -1 -top 30 -pkgs ./wasm "$BUILD/qix-names.wasm" || true
	return 1
}

# fuzz_targets lists "PACKAGE TARGET" for every Go fuzz target in the repo.
fuzz_targets() {
	local f name
	grep -rl --include='*_test.go' '^func Fuzz' qixcore emulator cmd internal | sort | while read -r f; do
		grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
			echo "./$(dirname "$f") $name"
		done
	done
}

# test_fuzz runs every fuzz target for FUZZTIME: 2000 inputs each in
# ./build.sh test (a count, not a time: a time-bounded run can end while the
# engine still replays its growing cached corpus and then fails with
# "context deadline exceeded"), 2m each in ./build.sh fuzz. New crashers land in the package's
# testdata/fuzz/ and fail the stage; commit them once fixed.
test_fuzz() {
	local pkg name out n=0 failed=0
	while read -r pkg name; do
		# The differential oracles (old regexp redaction vs the scanners) are
		# slow per input: ./build.sh fuzz runs them, the quick stage does not
		# (their seeds run as ordinary tests in test-go).
		if [[ -z ${FUZZ_ALL:-} && $name == *Oracle* ]]; then
			continue
		fi
		printf 'fuzz %-22s %-18s %s: ' "$pkg" "$name" "${FUZZTIME:-2000x}"
		if out=$(go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "${FUZZTIME:-2000x}" 2>&1); then
			{ grep -E 'execs:' <<<"$out" || echo 'ok (no new execs line)'; } | tail -1 | sed 's/^fuzz: //'
		else
			echo FAILED
			grep -v '^fuzz: elapsed' <<<"$out" | tail -30
			failed=$((failed + 1))
		fi
		n=$((n + 1))
	done < <(fuzz_targets)
	echo "$n fuzz targets ran, $failed failed"
	[[ $failed == 0 ]]
}

# The browser bench, every case once: proves it runs and produces numbers
# (never a timing assertion; the run fails only on errors or missing numbers).
test_bench_smoke() {
	trap stop_servers EXIT
	trap 'stop_servers; exit 130' INT TERM
	start_server "$BUILD/devserver-bench-smoke.log"
	node playwright/bench/run.js --smoke --base-url "$SERVER_URL" --out "$BUILD/bench-smoke.json"
	# The hop probe's anchors in jsbridge/ still hold, and it measures.
	node playwright/bench/hops.js --devserver "$BIN/devserver" --calls 20 --runs 1
}

STAGE_NAMES=()
STAGE_RESULTS=()
STAGE_TIMES=()

# stage NAME FUNCTION...: runs a stage with set -e inside a subshell, records
# its result and time, and carries on so the summary shows every failure.
stage() {
	local name=$1
	shift
	local t0 rc
	t0=$(now_ms)
	printf '\n==> [%s] %s\n' "$name" "$*"
	set +e
	(set -e; "$@")
	rc=$?
	set -e
	local dt=$(($(now_ms) - t0))
	STAGE_NAMES+=("$name")
	STAGE_TIMES+=("$dt")
	if [[ $rc == 0 ]]; then
		STAGE_RESULTS+=(PASS)
	else
		STAGE_RESULTS+=("FAIL($rc)")
		printf '==> [%s] FAILED (exit %d)\n' "$name" "$rc"
	fi
	return 0
}

skip_stage() {
	STAGE_NAMES+=("$1")
	STAGE_TIMES+=(0)
	STAGE_RESULTS+=("SKIP: $2")
	printf '\n==> [%s] skipped: %s\n' "$1" "$2"
}

stage_ok() { # stage_ok NAME: did that stage pass?
	local i
	for i in "${!STAGE_NAMES[@]}"; do
		[[ ${STAGE_NAMES[$i]} == "$1" ]] && [[ ${STAGE_RESULTS[$i]} == PASS ]] && return 0
	done
	return 1
}

print_summary() {
	local i failed=0 total=0
	printf '\n==================== build.sh test summary ====================\n'
	for i in "${!STAGE_NAMES[@]}"; do
		printf '  %-14s %-34s %8.1f s\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" \
			"$(awk -v ms="${STAGE_TIMES[$i]}" 'BEGIN { print ms / 1000 }')"
		total=$((total + STAGE_TIMES[i]))
		[[ ${STAGE_RESULTS[$i]} == PASS || ${STAGE_RESULTS[$i]} == SKIP:* ]] || failed=$((failed + 1))
	done
	printf '  %-14s %-34s %8.1f s\n' total "" "$(awk -v ms="$total" 'BEGIN { print ms / 1000 }')"
	if [[ $failed == 0 ]]; then
		printf 'build.sh test: OK, every stage passed\n'
	else
		printf 'build.sh test: FAILED, %d stage(s) failed\n' "$failed"
	fi
	return "$failed"
}

cmd_test() {
	trap stop_servers EXIT
	trap 'stop_servers; exit 130' INT TERM
	log "toolchain: $(go version); node $(node --version); npm $(npm --version)"

	stage chromium ensure_chromium
	stage npm-ci npm_install
	stage gofmt check_gofmt
	stage vet vet_native
	stage vet-js vet_js
	stage test-go test_native
	stage test-go-js test_js
	stage fuzz test_fuzz
	stage build cmd_build
	stage wasm-size check_wasm_size
	if ! have_node_tests; then
		skip_stage test-node "no tests in test/node/"
	elif ! stage_ok npm-ci; then
		skip_stage test-node "npm ci failed"
	else
		stage test-node test_node
	fi
	if stage_ok npm-ci; then
		stage types test_types
	else
		skip_stage types "npm ci failed"
	fi
	if ! stage_ok build; then
		skip_stage playwright "build failed"
	elif ! stage_ok npm-ci || ! stage_ok chromium; then
		skip_stage playwright "npm ci or chromium failed"
	else
		stage playwright test_playwright
		stage bench-smoke test_bench_smoke
	fi
	if ! stage_ok npm-ci || ! stage_ok chromium; then
		skip_stage fresh-clone "npm ci or chromium failed"
	else
		stage fresh-clone test_fresh_clone
	fi
	if stage_ok build && stage_ok npm-ci && stage_ok chromium; then stage vite-app test_vite_app; else skip_stage vite-app "build, npm ci or chromium failed"; fi

	local rc=0
	print_summary || rc=1
	return "$rc"
}

# ---------------------------------------------------------------- bench

cmd_bench() {
	trap stop_servers EXIT
	trap 'stop_servers; exit 130' INT TERM
	local out=${BENCH_OUT:-bench-results.json}
	[[ $out == /* ]] || out=$ROOT/$out
	ensure_chromium
	[[ -d node_modules/playwright-core ]] || npm_install
	# The bench measures what a host would ship: brotli 11.
	BROTLI_QUALITY=${BROTLI_QUALITY_RELEASE:-11}
	cmd_build

	local gobench=$BUILD/gobench.txt
	local pkgs=(./qixcore/)
	[[ -d emulator ]] && pkgs+=(./emulator/...)
	log "Go benchmarks: go test -run '^\$' -bench . -benchtime=${BENCHTIME:-1s} ${pkgs[*]}"
	go test -run '^$' -bench . -benchmem -benchtime="${BENCHTIME:-1s}" "${pkgs[@]}" | tee "$gobench"

	local logfile=$BUILD/devserver-bench.log
	start_server "$logfile"
	log "browser benchmark against $SERVER_URL"
	node playwright/bench/run.js --base-url "$SERVER_URL" --out "$out" --go-bench "$gobench"
	stop_servers
	log "hops of one sequential call (worker mode)"
	node playwright/bench/hops.js --devserver "$BIN/devserver" --out "${out%.json}-hops.json"
	echo "results: $out"
}

# ---------------------------------------------------------------- main

usage() {
	sed -n "2,21p" "$0" | grep -v "^set " | sed 's/^# \{0,1\}//'
}

main() {
	local cmd=${1:-}
	[[ $# -gt 0 ]] && shift
	case $cmd in
	build) cmd_build ;;
	release) BROTLI_QUALITY=${BROTLI_QUALITY_RELEASE:-11} cmd_build ;;
	pack) cmd_pack ;;
	serve) cmd_serve "$@" ;;
	test) cmd_test ;;
	bench) cmd_bench ;;
	fuzz) FUZZ_ALL=1 FUZZTIME=${FUZZTIME:-2m} test_fuzz ;;
	-h | --help | help) usage ;;
	*)
		usage >&2
		exit 2
		;;
	esac
}

main "$@"
