package engine

import (
	"encoding/json"
	"testing"
)

func TestUndoRedoPropertyChanges(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"u1","qType":"kpi"},"title":"one"}`)))
	watch := ret(t, mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"undo"},"qUndoInfoDef":{}}`)))
	call(t, d, "ClearUndoBuffer") // creating u1 was a step of its own
	undoInfo := func() (float64, float64) {
		_, l := call(t, watch, "GetLayout")
		return dig(l, "qLayout", "qUndoInfo", "qUndoCount").(float64), dig(l, "qLayout", "qUndoInfo", "qRedoCount").(float64)
	}
	if u, r := undoInfo(); u != 0 || r != 0 {
		t.Fatalf("fresh undo info %v %v", u, r)
	}
	if _, res := call(t, d, "Undo"); res["qSuccess"] != false {
		t.Fatalf("Undo with nothing to undo: %v", res)
	}
	call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "u1", "qType": "kpi"}, "title": "two"})
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "replace", "qPath": "/title", "qValue": `"three"`}}, false)
	// Soft patches are per session and never undo steps.
	call(t, g, "ApplyPatches", []map[string]any{{"qOp": "add", "qPath": "/soft", "qValue": `1`}}, true)
	if u, r := undoInfo(); u != 2 || r != 0 {
		t.Fatalf("after two changes: undo %v redo %v", u, r)
	}
	title := func() any {
		_, p := call(t, g, "GetProperties")
		return dig(p, "qProp", "title")
	}
	r, res := call(t, d, "Undo")
	if res["qSuccess"] != true || title() != "two" || !containsObj(r.Changed, g) {
		t.Fatalf("Undo: %v, title %v", res, title())
	}
	call(t, d, "Undo")
	if title() != "one" {
		t.Fatalf("second Undo: title %v", title())
	}
	if u, r := undoInfo(); u != 0 || r != 2 {
		t.Fatalf("after undoing both: undo %v redo %v", u, r)
	}
	if _, res := call(t, d, "Redo"); res["qSuccess"] != true || title() != "two" {
		t.Fatalf("Redo: %v title %v", res, title())
	}
	// A new change drops what could be redone.
	call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "u1", "qType": "kpi"}, "title": "four"})
	if _, res := call(t, d, "Redo"); res["qSuccess"] != false || title() != "four" {
		t.Fatalf("Redo after a new change: %v title %v", res, title())
	}
	call(t, d, "ClearUndoBuffer")
	if u, r := undoInfo(); u != 0 || r != 0 {
		t.Fatalf("after ClearUndoBuffer: undo %v redo %v", u, r)
	}
	if _, res := call(t, d, "Undo"); res["qSuccess"] != false || title() != "four" {
		t.Fatalf("Undo after ClearUndoBuffer: %v", res)
	}
}

func TestUndoSkipsObjectsDestroyedElsewhere(t *testing.T) {
	lib := NewLibrary("")
	d, _ := lib.Open("Demo")
	other, _ := lib.Open("Demo")
	a := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"a","qType":"kpi"},"v":1}`)))
	b := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"b","qType":"kpi"},"v":1}`)))
	call(t, a, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "a"}, "v": 2})
	call(t, b, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "b"}, "v": 2})
	// Another session destroys b: this session's steps on b are gone.
	call(t, other, "DestroyObject", "b")
	if _, res := call(t, d, "Undo"); res["qSuccess"] != true {
		t.Fatalf("Undo: %v", res)
	}
	if _, p := call(t, a, "GetProperties"); dig(p, "qProp", "v") != 1.0 {
		t.Fatalf("Undo restored %v, want a's v back to 1", p)
	}
}

func TestBackAndForwardCount(t *testing.T) {
	d := openDemo(t)
	count := func() (any, any) {
		_, b := call(t, d, "BackCount")
		_, f := call(t, d, "ForwardCount")
		return b["qReturn"], f["qReturn"]
	}
	if b, f := count(); b != 0.0 || f != 0.0 {
		t.Fatalf("fresh: back %v forward %v", b, f)
	}
	region := ret(t, mustCall(t, d, "GetField", "Region"))
	call(t, region, "Select", "North")
	call(t, region, "Select", "South")
	if b, f := count(); b != 2.0 || f != 0.0 {
		t.Fatalf("after two selections: back %v forward %v", b, f)
	}
	call(t, d, "Back")
	if b, f := count(); b != 1.0 || f != 1.0 {
		t.Fatalf("after Back: back %v forward %v", b, f)
	}
}

func TestUndoCreateAndDestroy(t *testing.T) {
	d := openDemo(t)
	sheet := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"sh","qType":"sheet"},"title":"S"}`)))
	for _, id := range []string{"c1", "c2", "c3"} {
		call(t, sheet, "CreateChild", json.RawMessage(`{"qInfo":{"qId":"`+id+`","qType":"kpi"}}`))
	}
	// Session objects are no undo steps.
	mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"helper"}}`))
	if n := len(d.more.undo); n != 4 {
		t.Fatalf("undo steps after creating a sheet and 3 children: %d", n)
	}
	// Destroying the sheet removes every child and is one step.
	call(t, d, "DestroyObject", "sh")
	for _, id := range []string{"sh", "c1", "c2", "c3"} {
		if d.lookupObj(id) != nil {
			t.Fatalf("%s survives DestroyObject", id)
		}
	}
	if _, res := call(t, d, "Undo"); res["qSuccess"] != true {
		t.Fatalf("Undo destroy: %v", res)
	}
	back := ret(t, mustCall(t, d, "GetObject", "sh"))
	_, ci := call(t, back, "GetChildInfos")
	if len(ci["qInfos"].([]any)) != 3 {
		t.Fatalf("restored sheet children %v", ci)
	}
	// Undoing the creation of c3 removes it again; Redo brings it back.
	call(t, d, "Undo")
	if d.lookupObj("c3") != nil {
		t.Fatal("Undo of CreateChild left the child")
	}
	if _, ci := call(t, back, "GetChildInfos"); len(ci["qInfos"].([]any)) != 2 {
		t.Fatalf("children after undoing c3: %v", ci)
	}
	call(t, d, "Redo")
	if d.lookupObj("c3") == nil {
		t.Fatal("Redo did not bring c3 back")
	}
}

func TestUndoInfoObjectsAreNotified(t *testing.T) {
	d := openDemo(t)
	watch := ret(t, mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"undo"},"qUndoInfoDef":{}}`)))
	g := ret(t, mustCall(t, d, "CreateObject", json.RawMessage(`{"qInfo":{"qId":"n1","qType":"kpi"}}`)))
	r, _ := call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qId": "n1"}, "x": 1})
	if !containsObj(r.Changed, watch) {
		t.Fatal("SetProperties: the qUndoInfo object is not in the change list")
	}
	r, _ = call(t, d, "GetAppLayout")
	if containsObj(r.Changed, watch) {
		t.Fatal("a call that changes no undo step notified the qUndoInfo object")
	}
}

func TestSessionObjectChangesAreNoUndoSteps(t *testing.T) {
	d := openDemo(t)
	g := ret(t, mustCall(t, d, "CreateSessionObject", json.RawMessage(`{"qInfo":{"qType":"listbox"},"x":1}`)))
	call(t, g, "SetProperties", map[string]any{"qInfo": map[string]any{"qType": "listbox"}, "x": 2})
	if _, res := call(t, d, "Undo"); res["qSuccess"] != false {
		t.Fatalf("Undo after changing a session object: %v", res)
	}
}
