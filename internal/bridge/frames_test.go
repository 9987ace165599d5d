package bridge

import (
	"bytes"
	"testing"
)

// burst lays frames out as AppendFrame does, lengths first.
func burst(frames ...string) (count int, buf []byte) {
	var out, lens []byte
	for _, f := range frames {
		out, lens = AppendFrame(out, lens, []byte(f))
	}
	return len(frames), append(lens, out...)
}

func TestSplitFramesRoundTrip(t *testing.T) {
	for _, frames := range [][]string{
		{`{"id":1}`},
		{`{"id":1}`, ``, `{"id":2,"result":{"t":"å€😀"}}`},
		{string(bytes.Repeat([]byte("x"), 70000)), `{}`},
	} {
		count, buf := burst(frames...)
		got := SplitFrames(count, buf)
		if len(got) != len(frames) {
			t.Fatalf("%d frames: got %d", len(frames), len(got))
		}
		for i := range frames {
			if string(got[i]) != frames[i] {
				t.Errorf("frame %d: got %q", i, got[i])
			}
			if cap(got[i]) != len(got[i]) {
				t.Errorf("frame %d: an append could overwrite the next frame (cap %d, len %d)", i, cap(got[i]), len(got[i]))
			}
		}
	}
}

func TestSplitFramesRefusesWhatDoesNotFit(t *testing.T) {
	count, buf := burst(`{"id":1}`, `{"id":2}`)
	if got := SplitFrames(count+5, buf[:8]); got != nil {
		t.Errorf("more lengths than bytes: got %q", got)
	}
	if got := SplitFrames(-1, buf); got != nil {
		t.Errorf("negative count: got %q", got)
	}
	// The second frame's bytes are cut short: only the first is whole.
	if got := SplitFrames(count, buf[:len(buf)-1]); len(got) != 1 || string(got[0]) != `{"id":1}` {
		t.Errorf("truncated burst: got %q", got)
	}
}

func FuzzSplitFrames(f *testing.F) {
	count, buf := burst(`{"id":1}`, `x`)
	f.Add(count, buf)
	f.Add(3, []byte{1, 0, 0, 0, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, count int, buf []byte) {
		total := 0
		for _, fr := range SplitFrames(count, buf) {
			total += len(fr)
		}
		if total > len(buf) {
			t.Fatalf("frames hold %d bytes of a %d-byte buffer", total, len(buf))
		}
	})
}
