package engine

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestParams(t *testing.T) {
	var s string
	var n int
	if err := args(ParamList{"x", 3}, "a", &s, "b", &n); err != nil || s != "x" || n != 3 {
		t.Fatal(s, n, err)
	}
	s, n = "", 0
	if err := args(ParamMap{"b": 4, "a": "y"}, "a", &s, "b", &n); err != nil || s != "y" || n != 4 {
		t.Fatal(s, n, err)
	}
	var e *Error
	if err := args(ParamList{"notanint"}, "qX", &n); !errors.As(err, &e) || e.Code != 8 || e.Parameter != "qX" || e.Message != "Invalid parameters" {
		t.Fatalf("err %v", err)
	}
	if (ParamList{}).Get(3, "x") != nil || (ParamMap{}).Get(0, "x") != nil {
		t.Fatal("absent parameters must be nil")
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	d := openDemo(t)
	_, err := d.Call(context.Background(), "Evaluate", badParams{})
	var e *Error
	if !errors.As(err, &e) || e.Code != -32603 {
		t.Fatalf("err %v", err)
	}
	// The doc still works afterwards (the lock was released).
	call(t, d, "GetScript")
}

type badParams struct{}

func (badParams) Get(int, string) json.RawMessage { panic("boom") }
func (badParams) Len() int                        { return 1 }
