package qixcore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// refDecode decodes with encoding/json: the reference the fast path must
// agree with.
func refDecode(data []byte) (Message, error) {
	var raw struct {
		ID      *int64          `json:"id"`
		Method  string          `json:"method"`
		Params  json.RawMessage `json:"params"`
		Result  json.RawMessage `json:"result"`
		Error   *RPCError       `json:"error"`
		Change  []int           `json:"change"`
		Close   []int           `json:"close"`
		Suspend []int           `json:"suspend"`
		Delta   bool            `json:"delta"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return Message{}, err
	}
	m := Message{Method: raw.Method, Params: raw.Params, Result: raw.Result, Error: raw.Error, Change: raw.Change, Close: raw.Close, Suspend: raw.Suspend, Delta: raw.Delta}
	if raw.ID != nil {
		m.ID, m.HasID = *raw.ID, true
	}
	return m, nil
}

func compact(b []byte) string {
	if b == nil {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return "INVALID:" + string(b)
	}
	return buf.String()
}

func sameMessage(a, b Message) bool {
	norm := func(s []int) []int {
		if len(s) == 0 {
			return nil
		}
		return s
	}
	return a.ID == b.ID && a.HasID == b.HasID && a.Method == b.Method &&
		compact(a.Params) == compact(b.Params) && compact(a.Result) == compact(b.Result) &&
		reflect.DeepEqual(a.Error, b.Error) && reflect.DeepEqual(norm(a.Change), norm(b.Change)) &&
		reflect.DeepEqual(norm(a.Close), norm(b.Close)) && reflect.DeepEqual(norm(a.Suspend), norm(b.Suspend)) && a.Delta == b.Delta
}

var envelopeCases = []string{
	`{"jsonrpc":"2.0","id":1,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"x.qvf"}},"change":[1]}`,
	`{"jsonrpc":"2.0","id":2,"result":{}}`,
	`{"jsonrpc":"2.0","id":3,"error":{"code":1007,"parameter":"No active document","message":"App invalid"}}`,
	`{"jsonrpc":"2.0","id":13,"error":{"message":"m","code":-32602,"parameter":null,"data":{"x":[1]}}}`,
	`{"jsonrpc":"2.0","id":14,"error":null}`,
	`{"jsonrpc":"2.0","method":"OnConnected","params":{"qSessionState":"SESSION_CREATED"}}`,
	`{"jsonrpc":"2.0","change":[1,2]}`,
	`{"jsonrpc":"2.0","id":4,"result":{"qLayout":[{"op":"add","path":"/","value":{"a":[1,2,{"b":"}]"}]}}]},"delta":true,"change":[2],"close":[7],"suspend":[9]}`,
	`{"jsonrpc":"2.0","id":5,"result":{"qReturn":true},"warnings":[1]}`,
	`{"jsonrpc":"2.0","result":{"x":1},"id":6}`,
	`{"id":7,"jsonrpc":"2.0","result":{"s":"a \"quoted\" \\ string, with } and ]"}}`,
	` { "jsonrpc" : "2.0" , "id" : 8 , "result" : { "a" : 1 } , "change" : [ 1 , 2 ] } `,
	`{"jsonrpc":"2.0","id":9,"result":{"qNum":"NaN"},"change":null}`,
	`{"jsonrpc":"2.0","id":10,"result":[1,2,3]}`,
	`{"jsonrpc":"2.0","id":11,"result":{"a":1},"extra":{"nested":[1]}}`,
	`{"jsonrpc":"2.0","id":12,"result":{"a":"x\"y"},"note":"plain"}`,
}

// padded returns c with its result grown past fastPathMin, so both decoder
// paths see every case.
func padded(c string) string {
	i := strings.Index(c, `"result":{`)
	if i < 0 {
		return c
	}
	i += len(`"result":{`)
	pad := `"pad":"` + strings.Repeat("p", fastPathMin) + `"`
	if c[i] != '}' {
		pad += ","
	}
	return c[:i] + pad + c[i:]
}

func TestDecodeMessageMatchesReference(t *testing.T) {
	var cases []string
	for _, c := range envelopeCases {
		cases = append(cases, c)
		// Case 11 puts a complex member after the result: outside the
		// contract of the large-message fast path.
		if !strings.Contains(c, `"extra"`) {
			cases = append(cases, padded(c))
		}
	}
	for _, c := range cases {
		var got Message
		if err := DecodeMessage([]byte(c), &got); err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		want, err := refDecode([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		if !sameMessage(got, want) {
			t.Errorf("%.200s:\n got %+v\nwant %+v", c, got, want)
		}
	}
}

// TestDecodeMessageFastPathAliases checks the result bytes are a slice of
// the input (not scanned into a copy) for the shape real engines write.
func TestDecodeMessageFastPathAliases(t *testing.T) {
	data := []byte(`{"jsonrpc":"2.0","id":1,"result":{"qLayout":{"big":"` + strings.Repeat("x", 1<<16) + `"}},"change":[2]}`)
	var m Message
	if err := DecodeMessage(data, &m); err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, []byte(`"result":`)) + len(`"result":`)
	if &m.Result[0] != &data[at] || m.Result[len(m.Result)-1] != '}' {
		t.Fatalf("result does not alias the input at the value start")
	}
	if !m.HasID || m.ID != 1 || fmt.Sprint(m.Change) != "[2]" {
		t.Fatalf("envelope = %+v", m)
	}
}

func TestDecodeMessageErrors(t *testing.T) {
	for _, c := range []string{``, `{`, `[]`, `{"id":}`, `{"id":1,"result":{"a":1}`, `nope`} {
		var m Message
		if err := DecodeMessage([]byte(c), &m); err == nil {
			t.Errorf("%q: no error", c)
		}
	}
}

func TestAppendRequest(t *testing.T) {
	got := string(AppendRequest(nil, 7, -1, "OpenDoc", []byte(`["a"]`), false))
	want := `{"jsonrpc":"2.0","id":7,"handle":-1,"method":"OpenDoc","params":["a"]}`
	if got != want {
		t.Fatalf("got %s", got)
	}
	got = string(AppendRequest(nil, 8, 2, "Get\"Layout\n", nil, true))
	var v map[string]any
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	if v["method"] != "Get\"Layout\n" || v["delta"] != true || fmt.Sprint(v["params"]) != "[]" {
		t.Fatalf("got %v", v)
	}
}

// FuzzDecodeMessage checks the decoder never panics and, whenever
// encoding/json accepts a message, agrees with it.
func FuzzDecodeMessage(f *testing.F) {
	for _, c := range envelopeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Message
		err := DecodeMessage(data, &got)
		want, refErr := refDecode(data)
		if refErr != nil || err != nil {
			return
		}
		if !json.Valid(data) {
			return
		}
		// JSON is UTF-8 and its keys are case-sensitive; encoding/json
		// quietly repairs invalid UTF-8 and matches keys in any case, which
		// the decoder need not copy (the page's TextDecoder repairs text).
		if !utf8.Valid(data) || hasCaseVariantKeys(data) {
			return
		}
		// encoding/json keeps the last of duplicate keys; skip those.
		if hasDuplicateTopKeys(data) {
			return
		}
		if !sameMessage(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", data, got, want)
		}
	})
}

// hasCaseVariantKeys reports a key that differs from one the decoder
// knows only in letter case ("ID", "Parameter").
func hasCaseVariantKeys(data []byte) bool {
	known := []string{"id", "method", "params", "result", "error", "change", "close", "suspend", "delta", "code", "parameter", "message"}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		k, ok := tok.(string)
		if !ok {
			continue
		}
		for _, name := range known {
			if k != name && strings.EqualFold(k, name) {
				return true
			}
		}
	}
}

func hasDuplicateTopKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		ks, _ := k.(string)
		if seen[ks] {
			return true
		}
		seen[ks] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

func benchLayout(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"jsonrpc":"2.0","id":42,"result":{"qLayout":{"qHyperCube":{"qDataPages":[{"qMatrix":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `[{"qText":"Row %d","qNum":%d,"qElemNumber":%d,"qState":"O"},{"qText":"%d.5","qNum":%d.5,"qElemNumber":0,"qState":"L"}]`, i, i, i, i, i)
	}
	b.WriteString(`]}]}}},"change":[2]}`)
	return b.Bytes()
}

func BenchmarkDecodeMessageSmall(b *testing.B) {
	data := []byte(envelopeCases[0])
	b.SetBytes(int64(len(data)))
	var m Message
	for b.Loop() {
		if err := DecodeMessage(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeMessageLarge decodes a 16 MB layout envelope: the fast
// path must not depend on the result size.
func BenchmarkDecodeMessageLarge(b *testing.B) {
	data := benchLayout(16 << 20)
	b.SetBytes(int64(len(data)))
	var m Message
	for b.Loop() {
		if err := DecodeMessage(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodingJSONLarge(b *testing.B) {
	data := benchLayout(16 << 20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := refDecode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendRequest(b *testing.B) {
	buf := make([]byte, 0, 256)
	params := []byte(`{"qPath":"/qHyperCubeDef","qPages":[{"qTop":0,"qLeft":0,"qWidth":2,"qHeight":500}]}`)
	for b.Loop() {
		buf = AppendRequest(buf[:0], 123456, 2, "GetHyperCubeData", params, true)
	}
}
