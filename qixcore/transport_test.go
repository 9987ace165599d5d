package qixcore

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPipeOrderAndClose(t *testing.T) {
	a, b := Pipe()
	ctx := context.Background()
	for _, m := range []string{"1", "2", "3"} {
		if err := a.Write(ctx, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"1", "2", "3"} {
		got, err := b.Read(ctx)
		if err != nil || string(got) != want {
			t.Fatalf("read %q %v, want %q", got, err, want)
		}
	}
	a.Close(4204, "gone")
	_, err := b.Read(ctx)
	var ce *CloseError
	if !errors.As(err, &ce) || ce.Code != 4204 || ce.Reason != "gone" {
		t.Fatalf("read after close: %v", err)
	}
	if err := b.Write(ctx, []byte("x")); err == nil {
		t.Fatal("write to a closed pipe succeeded")
	}
	if _, err := a.Read(ctx); err == nil {
		t.Fatal("read on the closing side succeeded")
	}
}

func TestPipeReadContext(t *testing.T) {
	_, b := Pipe()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := b.Read(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}
