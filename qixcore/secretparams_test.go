package qixcore

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSecretParams(t *testing.T) {
	got := SecretParams()
	want := map[string]bool{"Global.OpenDoc.2.qPassword": false, "Global.CreateDocEx.2.qPassword": false}
	for _, sp := range got {
		key := sp.Class + "." + sp.Method + "." + string(rune('0'+sp.Index)) + "." + sp.Name
		if _, ok := want[key]; !ok {
			// Any other one must at least be named like a secret.
			if !SecretName(sp.Name) {
				t.Errorf("not a secret: %+v", sp)
			}
			continue
		}
		want[key] = true
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("missing %s in %+v", k, got)
		}
	}
}

func TestRedactParams(t *testing.T) {
	for _, tc := range []struct{ method, in, want string }{
		{"OpenDoc", `["Sales","alice","hunter2","",false]`, `["Sales","alice","REDACTED","",false]`},
		{"OpenDoc", `["Sales","alice",""]`, `["Sales","alice",""]`},
		{"OpenDoc", `["Sales"]`, `["Sales"]`},
		{"OpenDoc", ` [ "Sales" , "u" , "pw\"x" ] `, `["Sales","u","REDACTED"]`},
		{"CreateDocEx", `["New","u","pw"]`, `["New","u","REDACTED"]`},
		{"OpenDoc", `{"qDocName":"Sales","qPassword":"pw"}`, `{"qDocName":"Sales","qPassword":"pw"}`}, // named: by name elsewhere
		{"GetObject", `["hunter2"]`, `["hunter2"]`},
		{"OpenDoc", `["Sales","u","pw"`, `"REDACTED"`},
	} {
		if got := string(RedactParams(tc.method, []byte(tc.in))); got != tc.want {
			t.Errorf("RedactParams(%s, %s) = %s, want %s", tc.method, tc.in, got, tc.want)
		}
	}
}

// TestNotFoundErrorHidesPassword: the not-found error of an OpenDoc names
// its params without the positional password.
func TestNotFoundErrorHidesPassword(t *testing.T) {
	fe, tr := newFakeEngine(t)
	s := NewSession(tr, SessionOptions{})
	defer s.Close()
	ch := invoke(s, -1, "OpenDoc", `["Sales","alice","hunter2"]`)
	r := fe.next(t)
	fe.send(t, `{"jsonrpc":"2.0","id":%d,"result":{"qReturn":{"qType":null,"qHandle":null}}}`, r.ID)
	o := waitInvoke(t, ch)
	if !errors.Is(o.err, ErrObjectNotFound) || strings.Contains(o.err.Error(), "hunter2") || !strings.Contains(o.err.Error(), "REDACTED") {
		t.Fatalf("err = %v", o.err)
	}
}

// FuzzRedactParams: any params of OpenDoc come out without the string at
// position 2, as JSON whenever they went in as a JSON array.
func FuzzRedactParams(f *testing.F) {
	for _, s := range []string{`["Sales","u","pw"]`, `["a","b",""]`, `[]`, `{"qPassword":"x"}`, `["a","b","p\"w",1]`, `[1,2,"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, params []byte) {
		out := RedactParams("OpenDoc", params)
		var in []json.RawMessage
		if json.Unmarshal(params, &in) != nil {
			return
		}
		var got []json.RawMessage
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("RedactParams(%q) = %q: not JSON: %v", params, out, err)
		}
		if len(got) != len(in) {
			t.Fatalf("RedactParams(%q) = %q: %d params, want %d", params, out, len(got), len(in))
		}
		var pw string
		if len(in) > 2 && json.Unmarshal(in[2], &pw) == nil && pw != "" && string(got[2]) != `"REDACTED"` {
			t.Fatalf("RedactParams(%q) = %q: password kept", params, out)
		}
	})
}
