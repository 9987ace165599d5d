package emulator

import (
	"bufio"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addTrafficRequests seeds f with the requests of the committed replay
// recordings ("--> {...}" lines).
func addTrafficRequests(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "replay", "*.traffic"))
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			f.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if req, ok := strings.CutPrefix(sc.Text(), "--> "); ok {
				f.Add([]byte(req))
			}
		}
		fh.Close()
	}
}

// FuzzDecodeRequest feeds arbitrary frames to the emulator's request
// decoder: it must never panic, must answer every frame it cannot run with
// a valid JSON-RPC error frame, and must refuse nesting beyond its bound.
// Seeds: testdata/fuzz/FuzzDecodeRequest and the replay recordings.
//
//	go test ./emulator -run '^$' -fuzz FuzzDecodeRequest -fuzztime 30s
func FuzzDecodeRequest(f *testing.F) {
	addTrafficRequests(f)
	const maxDepth = 16
	f.Fuzz(func(t *testing.T, data []byte) {
		cl, reply := decodeRequest(data, maxDepth)
		if cl != nil && reply != nil {
			t.Fatalf("both a call and a reply for %q", data)
		}
		if reply != nil {
			if !json.Valid(reply) {
				t.Fatalf("invalid reply %q for %q", reply, data)
			}
			var m struct {
				JSONRPC string `json:"jsonrpc"`
				ID      json.RawMessage
				Error   *struct{ Code int } `json:"error"`
			}
			if err := json.Unmarshal(reply, &m); err != nil || m.JSONRPC != "2.0" || m.Error == nil || len(m.ID) == 0 {
				t.Fatalf("reply %q is no JSON-RPC error", reply)
			}
			switch m.Error.Code {
			case -32700, -32600, 8:
			default:
				t.Fatalf("unexpected code %d", m.Error.Code)
			}
		}
		if deeperThan(data, maxDepth) && cl != nil {
			t.Fatalf("ran a request nested deeper than %d", maxDepth)
		}
		if cl == nil {
			return
		}
		if cl.method == "" || !json.Valid(cl.id) {
			t.Fatalf("call without method or with a bad id: %+v", cl)
		}
		_ = idKey(cl.id)
		for i := -1; i < 3; i++ {
			_ = cl.params.Get(i, "qId")
			_, _ = cl.params.str(i, "qId")
			_, _ = cl.params.boolean(i, "qSoftLock")
		}
		_ = cl.params.Len()
		if !json.Valid(errorMessage(cl.id, invalidParams("x"))) {
			t.Fatalf("id %q makes an invalid error frame", cl.id)
		}
	})
}

// FuzzParseTarget feeds arbitrary connect URLs to the emulator's URL
// reader: no panic, and a doc is never a path separator trick.
//
//	go test ./emulator -run '^$' -fuzz FuzzParseTarget -fuzztime 30s
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"/app/Sales", "/app/", "/app/engineData", "/vp/app/SessionApp_x?from=Sales",
		"/app/Demo/identity/a/ttl/60", "/app/%2F..%2Fetc/identity/%ZZ", "/app/Demo?qix-fault=delay:GetLayout:5",
		"/app/x?qix-fault=close::99999:r", "/a/b/c", "/app/ttl/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		tg, ok, err := parseTarget(u)
		if !ok || err != nil {
			return
		}
		for _, fs := range tg.faults {
			if fs.validate() != nil {
				t.Fatalf("accepted an invalid fault %+v from %q", fs, raw)
			}
		}
	})
}

// FuzzParseFaultFlag: every accepted ?qix-fault= value is a valid fault.
//
//	go test ./emulator -run '^$' -fuzz FuzzParseFaultFlag -fuzztime 30s
func FuzzParseFaultFlag(f *testing.F) {
	for _, s := range []string{"delay:GetLayout:500", "drop:DoReload", "close::4003:bye", "close:GetLayout:4204:gone",
		"malformed:GetLayout", "unknown-id:EngineVersion", "stall:GetLayout", "close::1:x", "delay:X:-1", "bogus"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := ParseFaultFlag(s)
		if err == nil && fs.validate() != nil {
			t.Fatalf("ParseFaultFlag(%q) accepted %+v", s, fs)
		}
	})
}
