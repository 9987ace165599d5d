package bridge

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecodeBatch(t *testing.T) {
	batch := `[{"op":"call","sid":2,"seq":7,"h":1,"m":"GetLayout","a":[{"x":[1,"é"]}],"id":41,"unknown":{"deep":[1]}},` +
		`{"op":"open","sid":3,"seq":8,"url":"ws://h/app/A","delta":true,"traffic":true,"progress":250,"timeout":5000,"suspendOnClose":true,"sock":"s1"},` +
		`{"op":"close","sid":3,"seq":9,"code":4000,"reason":"bye"},{"op":"resume","seq":10,"onlyIfAttached":true},` +
		`{"op":"register","sid":3,"seq":0,"h":5,"ty":"GenericObject","gt":"chart","oid":"c1"}]`
	var got []Op
	if err := DecodeBatch([]byte(batch), func(o *Op) { got = append(got, *o) }); err != nil {
		t.Fatal(err)
	}
	want := []Op{
		{Op: "call", Sid: 2, Seq: 7, Handle: 1, Method: "GetLayout", Args: []byte(`[{"x":[1,"é"]}]`), ID: 41},
		{Op: "open", Sid: 3, Seq: 8, URL: "ws://h/app/A", Delta: true, Traffic: true, Progress: 250, Timeout: 5000, Suspend: true, Sock: "s1"},
		{Op: "close", Sid: 3, Seq: 9, Code: 4000, Reason: "bye"},
		{Op: "resume", Seq: 10, Attach: true},
		{Op: "register", Sid: 3, Handle: 5, Type: "GenericObject", GType: "chart", ObjID: "c1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeBatchRunsWhatPrecedesAnError(t *testing.T) {
	var ran []int
	err := DecodeBatch([]byte(`[{"op":"call","seq":1},{"op":"call","seq":2},{"op":`), func(o *Op) { ran = append(ran, o.Seq) })
	if err == nil || !strings.Contains(err.Error(), "failed to read a batch") {
		t.Fatalf("err = %v", err)
	}
	if !reflect.DeepEqual(ran, []int{1, 2}) {
		t.Fatalf("ran %v, want [1 2]", ran)
	}
	for _, bad := range []string{``, `{}`, `[1]`, `[{"seq":"x"}]`} {
		if err := DecodeBatch([]byte(bad), func(*Op) {}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if err := DecodeBatch([]byte(`[]`), func(*Op) { t.Fatal("ran an op of an empty batch") }); err != nil {
		t.Fatal(err)
	}
}

func FuzzDecodeBatch(f *testing.F) {
	f.Add(`[{"op":"call","sid":1,"seq":2,"a":[1,{"b":null}]}]`)
	f.Add(`[{"op":"open","url":"ws://x","timeout":-1},{}]`)
	f.Fuzz(func(t *testing.T, batch string) {
		_ = DecodeBatch([]byte(batch), func(*Op) {})
	})
}
