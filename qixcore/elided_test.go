package qixcore

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// jsElide does what the browser transport does with a big frame: it keeps
// the UTF-16 text and hands Go the first and last n code units, UTF-8
// encoded (a surrogate pair cut in two becomes U+FFFD, as TextEncoder does).
func jsElide(frame string, n int) (*ElidedFrame, []uint16) {
	u := utf16.Encode([]rune(frame))
	enc := func(units []uint16) []byte { return []byte(string(utf16.Decode(units))) }
	f := &ElidedFrame{Head: enc(u[:n]), Tail: enc(u[len(u)-n:]), Units: len(u)}
	f.Full = func() []byte { return []byte(frame) }
	return f, u
}

func bigResult(pad int) string {
	var b strings.Builder
	b.WriteString(`{"qLayout":{"text":"é😀 `)
	for b.Len() < pad {
		b.WriteString(`ünïcode 😀 and ascii, `)
	}
	b.WriteString(`"}}`)
	return b.String()
}

func TestDecodeElided(t *testing.T) {
	for _, pad := range []int{5000, 20000, 20001, 20002, 20003} {
		result := bigResult(pad)
		for _, tc := range []struct {
			name, frame string
			id          int64
			delta       bool
			change      []int
			close       []int
		}{
			{"plain", `{"jsonrpc":"2.0","id":7,"result":` + result + `}`, 7, false, nil, nil},
			{"lists", `{"jsonrpc":"2.0","id":8,"delta":true,"result":` + result + `,"change":[1,2],"close":[3]}`, 8, true, []int{1, 2}, []int{3}},
			{"spaces", "{ \"jsonrpc\" : \"2.0\", \"id\" : 9, \"result\" : " + result + " , \"change\" : [ 4 ] }\n", 9, false, []int{4}, nil},
			{"id after", `{"jsonrpc":"2.0","result":` + result + `,"id":10}`, 10, false, nil, nil},
		} {
			for _, n := range []int{256, 4096} {
				f, u := jsElide(tc.frame, n)
				var m Message
				if !DecodeElided(f, &m) {
					t.Fatalf("%s pad %d n %d: not decoded", tc.name, pad, n)
				}
				if m.Span == nil || m.Result != nil {
					t.Fatalf("%s: span %v result %q", tc.name, m.Span, m.Result)
				}
				got := string(utf16.Decode(u[m.Span.Start:m.Span.End]))
				if got != result {
					t.Fatalf("%s pad %d n %d: span text %.40q…, want %.40q…", tc.name, pad, n, got, result)
				}
				if !m.HasID || m.ID != tc.id || m.Delta != tc.delta || !equalInts(m.Change, tc.change) || !equalInts(m.Close, tc.close) {
					t.Fatalf("%s: id %d/%v delta %v change %v close %v", tc.name, m.ID, m.HasID, m.Delta, m.Change, m.Close)
				}
			}
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecodeElidedFallsBack(t *testing.T) {
	result := bigResult(20000)
	for name, frame := range map[string]string{
		"error":           `{"jsonrpc":"2.0","id":1,"error":{"code":2,"parameter":"` + strings.Repeat("x", 20000) + `","message":"m"}}`,
		"notification":    `{"jsonrpc":"2.0","method":"OnX","params":` + result + `}`,
		"list before":     `{"jsonrpc":"2.0","change":[1],"id":1,"result":` + result + `}`,
		"array result":    `{"jsonrpc":"2.0","id":1,"result":[` + strings.Repeat("1,", 10000) + `1]}`,
		"result too late": `{"jsonrpc":"2.0","id":1,"x":"` + strings.Repeat("y", 9000) + `","result":` + result + `}`,
		"long tail":       `{"jsonrpc":"2.0","id":1,"result":` + result + `,"change":[` + strings.Repeat("1,", 3000) + `1]}`,
	} {
		f, _ := jsElide(frame, 4096)
		var m Message
		if DecodeElided(f, &m) {
			t.Errorf("%s: decoded, want a fallback to the whole frame", name)
		}
	}
}

// elidingPipe is a FrameTransport over a Pipe end that elides every frame
// longer than limit bytes, as the browser transport does.
type elidingPipe struct {
	Transport
	limit int
	fulls int
}

func (p *elidingPipe) ReadFrame(ctx context.Context) ([]byte, *ElidedFrame, error) {
	data, err := p.Read(ctx)
	if err != nil || len(data) <= p.limit {
		return data, nil, err
	}
	f, _ := jsElide(string(data), 1024)
	f.Full = func() []byte { p.fulls++; return data }
	return nil, f, nil
}

func TestSessionOverElidedFrames(t *testing.T) {
	a, engine := Pipe()
	ep := &elidingPipe{Transport: a, limit: 4096}
	s := NewSession(ep, SessionOptions{})
	defer s.Close()
	big := bigResult(30000)
	go func() {
		ctx := context.Background()
		for {
			req, err := engine.Read(ctx)
			if err != nil {
				return
			}
			id, method := readIDMethod(t, req)
			switch method {
			case "GetAppLayout":
				engine.Write(ctx, []byte(`{"jsonrpc":"2.0","id":`+itoa(id)+`,"result":`+big+`,"change":[1]}`))
			case "OpenDoc":
				// An object reference padded past the limit: read whole.
				engine.Write(ctx, []byte(`{"jsonrpc":"2.0","id":`+itoa(id)+`,"result":{"qReturn":{"qType":"Doc","qHandle":1,"qGenericId":"D"},"pad":"`+strings.Repeat("p", 5000)+`"}}`))
			}
		}
	}()
	type out struct {
		r   Result
		err error
	}
	call := func(handle int, method string) out {
		ch := make(chan out, 1)
		s.Invoke(context.Background(), handle, method, []byte(`[]`), func(r Result, err error) { ch <- out{r, err} })
		return <-ch
	}
	doc := call(-1, "OpenDoc")
	if doc.err != nil || doc.r.Object == nil || doc.r.Object.Handle != 1 {
		t.Fatalf("OpenDoc: %+v %v", doc.r, doc.err)
	}
	lay := call(1, "GetAppLayout")
	if lay.err != nil || lay.r.Span == nil || lay.r.Body != nil || lay.r.OutKey != "qLayout" {
		t.Fatalf("GetAppLayout: span %v, %d body bytes, out key %q, err %v", lay.r.Span, len(lay.r.Body), lay.r.OutKey, lay.err)
	}
	u := utf16.Encode([]rune(string(lay.r.Span.Frame.Full())))
	if got := string(utf16.Decode(u[lay.r.Span.Start:lay.r.Span.End])); got != big {
		t.Fatalf("span text %.40q…, want %.40q…", got, big)
	}
	if ep.fulls != 2 { // OpenDoc's reference, and the check just above
		t.Fatalf("Full called %d times, want 2", ep.fulls)
	}
}

func readIDMethod(t *testing.T, req []byte) (int64, string) {
	var m struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
	}
	if err := json.Unmarshal(req, &m); err != nil {
		t.Errorf("bad request %s: %v", req, err)
	}
	return m.ID, m.Method
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// FuzzDecodeElided: whatever the head and tail hold, DecodeElided never
// panics, and a span it reports lies inside the frame. Run longer with
// `./build.sh fuzz` or `go test ./qixcore -run '^$' -fuzz FuzzDecodeElided`.
func FuzzDecodeElided(f *testing.F) {
	f.Add(`{"jsonrpc":"2.0","id":1,"result":{"a":"`+strings.Repeat("é", 300)+`"},"change":[1]}`, 64)
	f.Add(`{"id":2,"delta":true,"result":{}}`, 8)
	f.Add(`{"result":{"x":[1,2,3]},"close":[4],"id":9}`, 12)
	f.Fuzz(func(t *testing.T, frame string, n int) {
		u := utf16.Encode([]rune(frame))
		if n < 1 || n > len(u) {
			return
		}
		e, _ := jsElide(frame, n)
		var m Message
		if DecodeElided(e, &m) {
			if m.Span == nil || m.Span.Start < 0 || m.Span.End > len(u) || m.Span.Start > m.Span.End {
				t.Fatalf("span %+v outside a frame of %d units", m.Span, len(u))
			}
		}
	})
}
