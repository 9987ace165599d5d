//go:build !js

package qixcore_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/qix-wasm/qix-wasm/qixcore"
)

// TestEmulatorModalRecovery: chart A is in selection mode with a pending
// pick; chart B's BeginSelections gets 6003 from the emulator, as from a
// real engine. With recovery on, the session ends A's mode with
// AbortModal(false) (A's pick is dropped; AbortModal(true) keeps it) and
// B's call succeeds; with recovery off, the 6003 reaches the caller.
func TestEmulatorModalRecovery(t *testing.T) {
	_, base := startEmulator(t)
	ctx := context.Background()
	cube := func(field string) string {
		return `[{"qInfo":{"qType":"chart"},"qHyperCubeDef":{"qDimensions":[{"qDef":{"qFieldDefs":["` + field +
			`"]}}],"qMeasures":[{"qDef":{"qDef":"Sum(Sales)"}}],"qInitialDataFetch":[{"qTop":0,"qLeft":0,"qWidth":2,"qHeight":10}]}}]`
	}
	for _, mode := range []qixcore.ModalRecovery{qixcore.ModalRecoveryCancel, qixcore.ModalRecoveryAccept, qixcore.ModalRecoveryOff} {
		s, doc, ev := openDemo(t, base+"/app/Demo/identity/"+uniq(t), qixcore.SessionOptions{ModalRecovery: mode})
		a, err := call(ctx, s, doc.Handle, "CreateSessionObject", cube("Region"), nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := call(ctx, s, doc.Handle, "CreateSessionObject", cube("Category"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := call(ctx, s, a.Handle, "BeginSelections", `[["/qHyperCubeDef"]]`, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := call(ctx, s, a.Handle, "SelectHyperCubeValues", `["/qHyperCubeDef",0,[0],false]`, nil); err != nil {
			t.Fatal(err)
		}
		_, err = call(ctx, s, b.Handle, "BeginSelections", `[["/qHyperCubeDef"]]`, nil)
		if mode == qixcore.ModalRecoveryOff {
			if !errors.Is(err, &qixcore.EngineError{Code: 6003}) {
				t.Fatalf("off: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("recovered BeginSelections: %v", err)
		}
		sent := ev.sentMethods()
		if got := strings.Join(sent[len(sent)-3:], " "); got != "BeginSelections AbortModal BeginSelections" {
			t.Fatalf("sent %v", sent)
		}
		// A's pick was cancelled: nothing is selected.
		so, err := call(ctx, s, doc.Handle, "CreateSessionObject", `[{"qInfo":{"qType":"cs"},"qSelectionObjectDef":{}}]`, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sel struct {
			QSelectionObject struct {
				QSelections []any `json:"qSelections"`
			} `json:"qSelectionObject"`
		}
		if _, err := call(ctx, s, so.Handle, "GetLayout", `[]`, &sel); err != nil {
			t.Fatal(err)
		}
		want := 0 // AbortModal(false) dropped A's pick
		if mode == qixcore.ModalRecoveryAccept {
			want = 1 // AbortModal(true) kept it
		}
		if n := len(sel.QSelectionObject.QSelections); n != want {
			t.Fatalf("mode %d: %d fields selected after AbortModal, want %d", mode, n, want)
		}
	}
}
