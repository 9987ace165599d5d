package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// uleb encodes v as unsigned LEB128.
func uleb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func name(s string) []byte { return append(uleb(uint64(len(s))), s...) }

func sec(id byte, payload ...[]byte) []byte {
	p := bytes.Join(payload, nil)
	return append(append([]byte{id}, uleb(uint64(len(p)))...), p...)
}

// testModule builds a module with one imported function (index 0), two
// bodies of 3 and 200 bytes (indices 1 and 2, sizes with their prefix 4 and
// 202) and a name section naming them as the Go linker would.
func testModule(withNames bool) []byte {
	imp := sec(secImport, uleb(1), name("gojs"), name("runtime.wasmExit"), []byte{0}, uleb(0))
	body1 := []byte{0, 0x01, 0x0b}
	body2 := append([]byte{0}, bytes.Repeat([]byte{0x01}, 198)...)
	body2 = append(body2, 0x0b)
	code := sec(secCode, uleb(2), uleb(uint64(len(body1))), body1, uleb(uint64(len(body2))), body2)
	out := append(append([]byte{}, wasmMagic...), imp...)
	out = append(out, code...)
	if withNames {
		fn := append(uleb(2), append(append(uleb(1), name("main.main")...), append(uleb(2), name("github.com_coder_websocket.__Conn_.Read")...)...)...)
		out = append(out, sec(secCustom, name("name"), sec(1, fn))...)
	}
	return out
}

func TestParseModule(t *testing.T) {
	m, err := parseModule(testModule(true))
	if err != nil {
		t.Fatal(err)
	}
	want := []function{{"main.main", 4}, {"github.com_coder_websocket.__Conn_.Read", 202}}
	if len(m.functions) != 2 || m.functions[0] != want[0] || m.functions[1] != want[1] || !m.hasNames {
		t.Fatalf("functions = %+v (names %v), want %+v", m.functions, m.hasNames, want)
	}
	labels := []string{}
	total := len(wasmMagic)
	for _, s := range m.sections {
		labels = append(labels, s.label())
		total += s.size()
	}
	if got := strings.Join(labels, ","); got != "import,code,custom:name" {
		t.Fatalf("sections = %s", got)
	}
	if total != len(testModule(true)) {
		t.Fatalf("sections add up to %d, file is %d", total, len(testModule(true)))
	}
	ps := byPackage(m, newPackageIndex([]string{"github.com/coder/websocket"}), true)
	if len(ps) != 2 || ps[0].pkg != "github.com/coder/websocket" || ps[0].bytes != 202 || ps[1].pkg != "main" || ps[0].gzip == 0 {
		t.Fatalf("packages = %+v", ps)
	}
}

func TestParseModuleRejects(t *testing.T) {
	if _, err := parseModule([]byte("not wasm")); err == nil {
		t.Fatal("no error for a non-wasm file")
	}
	b := testModule(false)
	if _, err := parseModule(b[:len(b)-5]); err == nil {
		t.Fatal("no error for a truncated module")
	}
}

func TestPackageOf(t *testing.T) {
	ix := newPackageIndex([]string{"github.com/mailru/easyjson", "github.com/mailru/easyjson/jlexer", "net/http", "net", "vendor/golang.org/x/net/http2/hpack", "gopkg.in/yaml.v3"})
	cases := map[string]string{
		"github.com_mailru_easyjson_jlexer.__Lexer_.String": "github.com/mailru/easyjson/jlexer",
		"github.com_mailru_easyjson.Marshal":                "github.com/mailru/easyjson",
		"net_http.init":                                     "net/http",
		"net.init.func1":                                    "net",
		"vendor_golang.org_x_net_http2_hpack.init":          "vendor/golang.org/x/net/http2/hpack",
		"gopkg.in_yaml.v3.Marshal":                          "gopkg.in/yaml.v3",
		"type_.eq.main.T":                                   "type:",
		"wasm_pc_f_loop":                                    "(linker)",
		"":                                                  "(unnamed)",
		// Not in the index: guessed.
		"runtime.mallocgc":                        "runtime",
		"github.com_coder_websocket.__Conn_.Read": "github.com_coder_websocket",
		"go_struct___io.Reader":                   "go:",
	}
	for sym, want := range cases {
		if got := ix.packageOf(sym); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", sym, got, want)
		}
	}
	var none *packageIndex
	if got := none.packageOf("main.__backend_.run"); got != "main" {
		t.Errorf("nil index: %q", got)
	}
}

func TestBudget(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "x.wasm")
	if err := os.WriteFile(wasm, testModule(true), 0o644); err != nil {
		t.Fatal(err)
	}
	write := func(s string) string {
		f := filepath.Join(dir, "budget.json")
		if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	var out bytes.Buffer
	if err := run(&out, wasm, nil, 10, 11, write(`{"brotli": 100000}`), true, false); err != nil {
		t.Fatalf("within budget: %v", err)
	}
	if !strings.Contains(out.String(), "size budget") || !strings.Contains(out.String(), "github.com_coder_websocket") {
		t.Fatalf("report:\n%s", out.String())
	}
	if err := run(&out, wasm, nil, 10, 11, write(`{"brotli": 10}`), true, false); err == nil || !strings.Contains(err.Error(), "budget") {
		t.Fatalf("over budget: err = %v", err)
	}
	if err := run(&out, wasm, nil, 10, 11, write(`{}`), true, false); err == nil {
		t.Fatal("no error for a budget without a limit")
	}
}

// TestGoToolchainOutput profiles a real GOOS=js build, so a change in how
// the linker lays out sections or spells names shows up here.
func TestGoToolchainOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a wasm binary")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"strconv\"\n\nvar s string\n\nfunc main() { s = strconv.Itoa(len(s)) }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wasm := filepath.Join(dir, "x.wasm")
	cmd := exec.Command("go", "build", "-ldflags=-w", "-o", wasm, src)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b, err := os.ReadFile(wasm)
	if err != nil {
		t.Fatal(err)
	}
	m, err := parseModule(b)
	if err != nil {
		t.Fatal(err)
	}
	if !m.hasNames {
		t.Fatal("no name section in a -ldflags=-w build")
	}
	got := map[string]int{}
	code := 0
	for _, p := range byPackage(m, newPackageIndex([]string{"runtime", "strconv", "main"}), false) {
		got[p.pkg] = p.bytes
		code += p.bytes
	}
	for _, want := range []string{"runtime", "main"} {
		if got[want] == 0 {
			t.Errorf("no code for %s in %v", want, got)
		}
	}
	if cs := len(codePayload(m)); code+ulebLen(uint64(len(m.functions))) != cs {
		t.Errorf("bodies add up to %d, code section is %d", code, cs)
	}
	if got["(unnamed)"] != 0 {
		t.Errorf("%d bytes of unnamed code", got["(unnamed)"])
	}
}
