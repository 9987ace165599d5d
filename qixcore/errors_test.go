package qixcore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestEngineError(t *testing.T) {
	tests := []struct {
		err  EngineError
		want string
		name string
	}{
		{EngineError{Code: 1003, Message: "App not found", Parameter: "my-id", Method: "GetObject", Handle: 1},
			"qix: GetObject on handle 1 failed: App not found (1003 LOCERR_APP_NOT_FOUND): my-id", "LOCERR_APP_NOT_FOUND"},
		{EngineError{Code: 1007, Message: "App invalid", Parameter: "No active document", Method: "GetActiveDoc", Handle: -1},
			"qix: GetActiveDoc on handle -1 failed: App invalid (1007 LOCERR_APP_INVALID): No active document", "LOCERR_APP_INVALID"},
		{EngineError{Code: -32601, Message: "Method not found", Parameter: "Nope", Method: "Nope", Handle: 2},
			"qix: Nope on handle 2 failed: Method not found (-32601 LOCERR_JSON_RPC_METHOD_NOT_FOUND): Nope", "LOCERR_JSON_RPC_METHOD_NOT_FOUND"},
		{EngineError{Code: -32700}, "qix: request on handle 0 failed: engine error (-32700 LOCERR_JSON_RPC_PARSE_ERROR)", "LOCERR_JSON_RPC_PARSE_ERROR"},
		{EngineError{Code: -32600, Message: "m"}, "qix: request on handle 0 failed: m (-32600 LOCERR_JSON_RPC_INVALID_REQUEST)", "LOCERR_JSON_RPC_INVALID_REQUEST"},
		{EngineError{Code: -32602, Message: "Invalid Params"}, "qix: request on handle 0 failed: Invalid Params (-32602 LOCERR_JSON_RPC_INVALID_PARAMETERS)", "LOCERR_JSON_RPC_INVALID_PARAMETERS"},
		{EngineError{Code: -32603, Message: "m"}, "qix: request on handle 0 failed: m (-32603 LOCERR_JSON_RPC_INTERNAL_ERROR)", "LOCERR_JSON_RPC_INTERNAL_ERROR"},
		{EngineError{Code: 15, Message: "Request aborted", Method: "GetLayout", Handle: 3},
			"qix: GetLayout on handle 3 failed: Request aborted (15 LOCERR_GENERIC_ABORTED)", "LOCERR_GENERIC_ABORTED"},
		{EngineError{Code: 9009, Message: "x", Method: "DoSave", Handle: 1},
			"qix: DoSave on handle 1 failed: x (9009 LOCERR_PERSISTENCE_NOT_SUPPORTED_FOR_SESSION_APP)", "LOCERR_PERSISTENCE_NOT_SUPPORTED_FOR_SESSION_APP"},
		{EngineError{Code: 123456, Message: "odd", Method: "M", Handle: 1}, "qix: M on handle 1 failed: odd (123456)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if got := tt.err.Name(); got != tt.name {
				t.Errorf("Name() = %q, want %q", got, tt.name)
			}
		})
	}

	var err error = fmt.Errorf("failed to open: %w", &EngineError{Code: 1003, Method: "OpenDoc", Handle: -1})
	var ee *EngineError
	if !errors.As(err, &ee) || ee.Code != 1003 || ee.Method != "OpenDoc" {
		t.Fatalf("errors.As: %v", ee)
	}
	if !errors.Is(err, &EngineError{Code: 1003}) || errors.Is(err, &EngineError{Code: 1002}) {
		t.Fatal("errors.Is by code failed")
	}
}

func TestNewCloseError(t *testing.T) {
	tests := []struct {
		code      int
		reason    string
		qep, tid  string
		want      string
		retryable bool
	}{
		{4204, `{"code":"QEP-104","traceId":"491a2b"}`, "QEP-104", "491a2b",
			"qix: connection closed (4204 not found: the app id is wrong or the app was deleted) [QEP-104 trace 491a2b]", false},
		{4205, ` {"traceId":"t1","code":"QEP-105","extra":[1]} `, "QEP-105", "t1",
			"qix: connection closed (4205 engine busy, retry later) [QEP-105 trace t1]", true},
		{4203, `{"code":"QEP-103"}`, "QEP-103", "", "qix: connection closed (4203 permission denied) [QEP-103]", false},
		{4202, `{"traceId":"x"}`, "", "x", "qix: connection closed (4202 malformed request) [trace x]", false},
		{4230, `{"code":42}`, "42", "", "qix: connection closed (4230 too many open apps) [42]", false},
		{4240, `{"code":`, "", "", "qix: connection closed (4240 no engines available): {\"code\":", true},
		{4003, "engine going down", "", "", "qix: connection closed (4003 engine terminating): engine going down", true},
		{4000, "", "", "", "qix: connection closed (4000 session suspended by the client)", false},
		{4001, "", "", "", "qix: connection closed (4001 session idle timeout)", false},
		{4007, "", "", "", "qix: connection closed (4007 app mode changed)", true},
		{1000, "bye", "", "", "qix: connection closed (1000 normal closure): bye", false},
		{1001, "", "", "", "qix: connection closed (1001 going away (server shutting down or page leaving))", true},
		{1006, "", "", "", "qix: connection closed (1006 abnormal closure (connection lost without a close frame))", true},
		{4999, "[1,2]", "", "", "qix: connection closed (4999): [1,2]", false},
		{4206, `{"code":null,"traceId":{"a":1}}`, "", "", "qix: connection closed (4206 network error): {\"code\":null,\"traceId\":{\"a\":1}}", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			e := NewCloseError(tt.code, tt.reason)
			if e.Code != tt.code || e.Reason != tt.reason || e.QEPCode != tt.qep || e.TraceID != tt.tid {
				t.Errorf("NewCloseError = %+v", e)
			}
			if got := e.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			if e.Retryable() != tt.retryable {
				t.Errorf("Retryable() = %v", e.Retryable())
			}
		})
	}
	for _, c := range []int{4200, 4201, 4202, 4203, 4204, 4205, 4206, 4210, 4211, 4220, 4222, 4230, 4240,
		4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 1000, 1001, 1006} {
		if NewCloseError(c, "").Meaning() == "" {
			t.Errorf("close code %d has no meaning", c)
		}
	}
	var err error = NewClientError(KindClosed, "", NewCloseError(4204, `{"code":"QEP-104"}`))
	var ce *CloseError
	if !errors.As(err, &ce) || ce.QEPCode != "QEP-104" {
		t.Fatalf("errors.As through ClientError: %v", ce)
	}
}

func TestClientError(t *testing.T) {
	sentinels := []struct {
		err  *ClientError
		kind ClientErrorKind
		code int
		text string
	}{
		{ErrNotConnected, KindNotConnected, -1, "qix: not connected"},
		{ErrClosed, KindClosed, -1, "qix: connection closed"},
		{ErrSuspended, KindSuspended, -11, "qix: session suspended"},
		{ErrTimeout, KindTimeout, CodeTimeout, "qix: timeout"},
		{ErrCancelled, KindCancelled, CodeCancelled, "qix: cancelled"},
		{ErrObjectNotFound, KindNotFound, -2, "qix: object not found"},
		{ErrNotAttached, KindNotAttached, -12, "qix: session not attached"},
		{ErrBadDelta, KindDelta, -3, "qix: bad delta response"},
	}
	for i, s := range sentinels {
		if s.err.Kind != s.kind || s.err.Code != s.code || s.err.Error() != s.text {
			t.Errorf("sentinel %v = %+v %q", s.kind, *s.err, s.err.Error())
		}
		made := NewClientError(s.kind, "", nil)
		if made.Code != s.code {
			t.Errorf("NewClientError(%v).Code = %d, want %d", s.kind, made.Code, s.code)
		}
		wrapped := fmt.Errorf("failed to call: %w", NewClientError(s.kind, "custom", errors.New("cause")))
		for j, o := range sentinels {
			if got := errors.Is(wrapped, o.err); got != (i == j) {
				t.Errorf("errors.Is(%v, %v) = %v", s.kind, o.kind, got)
			}
		}
		if !strings.HasSuffix(wrapped.Error(), "qix: custom: cause") {
			t.Errorf("message %q", wrapped.Error())
		}
	}

	e := NewClientError(KindTimeout, "", fmt.Errorf("failed to wait: %w", context.DeadlineExceeded))
	if !errors.Is(e, ErrTimeout) || !errors.Is(e, context.DeadlineExceeded) || errors.Is(e, ErrCancelled) {
		t.Fatal("timeout error does not match its sentinel and cause")
	}
	if e.Error() != "qix: timeout: failed to wait: context deadline exceeded" {
		t.Fatalf("message %q", e.Error())
	}
	c := NewClientError(KindCancelled, "", context.Canceled)
	if !errors.Is(c, context.Canceled) || errors.Unwrap(c) != context.Canceled {
		t.Fatal("Unwrap lost the cause")
	}
	var ce *ClientError
	if !errors.As(fmt.Errorf("x: %w", c), &ce) || ce.Kind != KindCancelled {
		t.Fatal("errors.As failed")
	}
	if errors.Is(c, &EngineError{Code: 15}) || errors.Is(&EngineError{Code: 15}, ErrCancelled) {
		t.Fatal("client and engine errors must not match each other")
	}
	if got := ClientErrorKind(99).String(); got != "client error 99" {
		t.Fatalf("unknown kind %q", got)
	}
	if NewClientError(ClientErrorKind(99), "", nil).Code != 0 {
		t.Fatal("unknown kind got a code")
	}
}

// TestEnigmaErrorCodes checks the Code* constants against enigma.js's
// error-codes table when node_modules is present.
func TestEnigmaErrorCodes(t *testing.T) {
	src, err := os.ReadFile("../node_modules/enigma.js/error-codes.js")
	if err != nil {
		t.Skipf("enigma.js not installed: %v", err)
	}
	codes := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\s*([A-Z_]+): (-\d+)`).FindAllStringSubmatch(string(src), -1) {
		n, _ := strconv.Atoi(m[2])
		codes[m[1]] = n
	}
	want := map[string]int{
		"NOT_CONNECTED": CodeNotConnected, "OBJECT_NOT_FOUND": CodeObjectNotFound,
		"EXPECTED_ARRAY_OF_PATCHES": CodeExpectedArrayOfPatches, "PATCH_HAS_NO_PARENT": CodePatchHasNoParent,
		"SESSION_SUSPENDED": CodeSessionSuspended, "SESSION_NOT_ATTACHED": CodeSessionNotAttached,
	}
	for name, code := range want {
		if got, ok := codes[name]; !ok || got != code {
			t.Errorf("enigma.js %s = %d (found %v), ours %d", name, got, ok, code)
		}
	}
}

// refCloseFields is how NewCloseError read a JSON close reason with
// encoding/json; the jsonr reader must give the same fields.
func refCloseFields(reason string) (qep, trace string) {
	var fields struct {
		Code    json.RawMessage `json:"code"`
		TraceID json.RawMessage `json:"traceId"`
	}
	r := strings.TrimSpace(reason)
	if len(r) < 2 || r[0] != '{' || json.Unmarshal([]byte(r), &fields) != nil {
		return "", ""
	}
	text := func(v json.RawMessage) string {
		var s string
		if len(v) == 0 {
			return ""
		}
		if json.Unmarshal(v, &s) == nil {
			return s
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			return n.String()
		}
		return ""
	}
	return text(fields.Code), text(fields.TraceID)
}

func TestNewCloseErrorMatchesEncodingJSON(t *testing.T) {
	for _, r := range []string{
		`{"code":"QEP-104","traceId":"491a2b"}`,
		`{"CODE":"QEP-1","TraceId":"t"}`,
		`{"code":"a","code":"b"}`,
		`{"code":-1.5e3,"traceId":true}`,
		`{"code":"\u0051EP\n","traceId":[1,{"a":null}]}`,
		`{"code":"QEP-1"} trailing`,
		`{"code":"QEP-1",}`,
		`{"code":null,"traceId":null}`,
		`{}`,
		`{"traceId":"x","other":{"code":"inner"}}`,
	} {
		qep, trace := refCloseFields(r)
		e := NewCloseError(4204, r)
		if e.QEPCode != qep || e.TraceID != trace {
			t.Errorf("%s: got %q %q, want %q %q", r, e.QEPCode, e.TraceID, qep, trace)
		}
	}
}
