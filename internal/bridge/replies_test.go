package bridge

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/qix-wasm/qix-wasm/internal/jsonw"
	"github.com/qix-wasm/qix-wasm/qixcore"
)

func TestRepliesEncodeEveryItem(t *testing.T) {
	var r Replies
	r.Body(1, []byte(`{"a":1}`), "qLayout")
	r.Result(2, 1, qixcore.Result{Body: []byte(`{"qReturn":true}`), OutKey: "qSuccess", Return: true}, false)
	r.Result(3, 7, qixcore.Result{OutKey: "qLayout", Delta: true, CacheKey: "1-GetLayout"}, true)
	r.Object(4, &qixcore.RemoteObject{Handle: 5, Type: "GenericObject", GenericType: "chart", ID: "c\"1"})
	r.Fail(6, &qixcore.EngineError{Code: 1003, Parameter: "X", Message: "App not found", Method: "OpenDoc", Handle: -1})
	r.Event(2, "changed", nil, func(w *jsonw.Writer) { Ints(w, "h", []int{1, 2}) })
	r.Event(2, "notification", []byte(`{"qSessionState":"SESSION_CREATED"}`), func(w *jsonw.Writer) {
		w.RawString(`,"m":`)
		w.String("OnConnected")
	})
	if r.Len() != 7 {
		t.Fatalf("Len %d", r.Len())
	}
	hdr, body, texts := r.Take()
	var items []map[string]any
	if err := json.Unmarshal(hdr, &items); err != nil {
		t.Fatalf("header is not JSON: %v\n%s", err, hdr)
	}
	if texts != 1 {
		t.Fatalf("texts %d, want 1", texts)
	}
	slice := func(it map[string]any) string {
		o, n := int(it["o"].(float64)), int(it["n"].(float64))
		return string(body[o : o+n])
	}
	if slice(items[0]) != `{"a":1}` || items[0]["k"] != "qLayout" {
		t.Fatalf("item 0: %v", items[0])
	}
	if slice(items[1]) != `{"qReturn":true}` || items[1]["q"] != 1.0 {
		t.Fatalf("item 1: %v", items[1])
	}
	if items[2]["s"] != 0.0 || items[2]["d"] != 1.0 || items[2]["c"] != "1-GetLayout" || items[2]["sid"] != 7.0 || items[2]["o"] != nil || items[1]["sid"] != nil {
		t.Fatalf("item 2: %v", items[2])
	}
	if obj := items[3]["obj"].(map[string]any); obj["h"] != 5.0 || obj["id"] != `c"1` || obj["gt"] != "chart" {
		t.Fatalf("item 3: %v", items[3])
	}
	if e := items[4]["err"].(map[string]any); items[4]["t"] != "e" || e["kind"] != "engine" || e["code"] != 1003.0 || e["name"] != "LOCERR_APP_NOT_FOUND" {
		t.Fatalf("item 4: %v", items[4])
	}
	if !reflect.DeepEqual(items[5]["h"], []any{1.0, 2.0}) || items[5]["ev"] != "changed" {
		t.Fatalf("item 5: %v", items[5])
	}
	if slice(items[6]) != `{"qSessionState":"SESSION_CREATED"}` || items[6]["m"] != "OnConnected" {
		t.Fatalf("item 6: %v", items[6])
	}
	// Take empties the queue.
	if hdr, body, texts := r.Take(); string(hdr) != `[]` || body != nil || texts != 0 {
		t.Fatalf("after Take: %s %v %d", hdr, body, texts)
	}
}

func TestWriteErrorKinds(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want map[string]any
	}{
		{qixcore.NewCloseError(4204, `{"code":"QEP-104","traceId":"t1"}`), map[string]any{"kind": "close", "code": 4204.0, "qepCode": "QEP-104", "traceId": "t1"}},
		{fmt.Errorf("failed to x: %w", qixcore.ErrTimeout), map[string]any{"kind": "client", "code": -100.0}},
		{errors.New("plain"), map[string]any{"kind": "client", "code": -1.0, "text": "plain"}},
	} {
		var w jsonw.Writer
		WriteError(&w, tc.err)
		b, _ := w.BuildBytes()
		var got map[string]any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%v: %s = %v, want %v (%s)", tc.err, k, got[k], v, b)
			}
		}
	}
}
