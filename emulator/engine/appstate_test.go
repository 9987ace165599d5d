package engine

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// infoIDs lists the ids of GetAllInfos' entries of qType typ.
func infoIDs(t *testing.T, d *Doc, typ string) []string {
	t.Helper()
	_, res := call(t, d, "GetAllInfos")
	var out []string
	for _, i := range res["qInfos"].([]any) {
		m := i.(map[string]any)
		if m["qType"] == typ {
			out = append(out, m["qId"].(string))
		}
	}
	sort.Strings(out)
	return out
}

// changeApp makes one unsaved change of every kind to an app.
func changeApp(t *testing.T, d *Doc) {
	t.Helper()
	call(t, d, "SetScript", "T: LOAD 1 AS X AUTOGENERATE 1;")
	call(t, d, "SetAppProperties", map[string]any{"qTitle": "Changed", "custom": 7})
	call(t, d, "CreateObject", map[string]any{"qInfo": map[string]any{"qId": "obj1", "qType": "chart"}, "note": "x"})
	call(t, d, "CreateVariableEx", map[string]any{"qInfo": map[string]any{"qId": "v1", "qType": "variable"}, "qName": "vNew", "qDefinition": "=1+2"})
	call(t, d, "CreateDimension", map[string]any{"qInfo": map[string]any{"qId": "dim1", "qType": "dimension"}, "qDim": map[string]any{"qFieldDefs": []string{"Region"}}})
	call(t, d, "CreateMeasure", map[string]any{"qInfo": map[string]any{"qId": "mea1", "qType": "measure"}, "qMeasure": map[string]any{"qDef": "Sum(Amount)"}})
}

// hasVariable tells whether d has a variable called name.
func hasVariable(t *testing.T, d *Doc, name string) bool {
	t.Helper()
	r, err := d.Call(t.Context(), "GetVariableByName", ParamList{name})
	if err != nil {
		return false
	}
	o := ret(t, r)
	return o != nil && !isNilObject(o)
}

// checkChanged tells which of changeApp's changes d sees (all or none,
// else it fails).
func checkChanged(t *testing.T, d *Doc) bool {
	t.Helper()
	_, sc := call(t, d, "GetScript")
	_, ap := call(t, d, "GetAppProperties")
	seen := []bool{
		sc["qScript"] == "T: LOAD 1 AS X AUTOGENERATE 1;",
		dig(ap, "qProp", "qTitle") == "Changed",
		slices.Equal(infoIDs(t, d, "chart"), []string{"obj1"}),
		hasVariable(t, d, "vNew"),
		slices.Equal(infoIDs(t, d, "dimension"), []string{"dim1"}),
		slices.Equal(infoIDs(t, d, "measure"), []string{"mea1"}),
	}
	for i, s := range seen[1:] {
		if s != seen[0] {
			t.Fatalf("change %d seen %v, change 0 seen %v: want all or none", i+1, s, seen[0])
		}
	}
	return seen[0]
}

// TestUnsavedChangesEndWithLastSession: a named app's unsaved changes stay
// while a session has it open and end with the last one.
func TestUnsavedChangesEndWithLastSession(t *testing.T) {
	l := NewLibrary("")
	a, _ := l.Open("Demo")
	b, _ := l.Open("Demo")
	if checkChanged(t, a) {
		t.Fatal("a fresh Demo has the changes")
	}
	changeApp(t, a)
	if !checkChanged(t, b) {
		t.Fatal("another open session does not see the changes")
	}
	a.Close()
	if !checkChanged(t, b) {
		t.Fatal("changes ended while a session still had the app open")
	}
	b.Close()
	c, _ := l.Open("Demo")
	defer c.Close()
	if checkChanged(t, c) {
		t.Fatal("unsaved changes outlived the app's last session")
	}
	// The data is the saved app's again: Demo's vDemoTotal is back.
	if _, res := call(t, c, "Evaluate", "vDemoTotal"); res["qReturn"] != "114" {
		t.Errorf("vDemoTotal = %v", res["qReturn"])
	}
}

// TestDoSaveKeepsChanges: after DoSave the changes outlive the sessions;
// changes made after it do not.
func TestDoSaveKeepsChanges(t *testing.T) {
	l := NewLibrary("")
	a, _ := l.Open("Demo")
	changeApp(t, a)
	call(t, a, "DoSave", "")
	call(t, a, "SetScript", "after save")
	a.Close()
	b, _ := l.Open("Demo")
	defer b.Close()
	if !checkChanged(t, b) {
		t.Fatal("saved changes are gone")
	}
}

// TestDoSaveSessionApp: a session app cannot be saved (9009) and nothing of
// it reaches the library.
func TestDoSaveSessionApp(t *testing.T) {
	l := NewLibrary("")
	d, _ := l.NewSessionApp("SessionApp_x", "Demo")
	_, err := d.Call(t.Context(), "DoSave", ParamList{""})
	var e *Error
	if !errors.As(err, &e) || e.Code != 9009 {
		t.Fatalf("DoSave on a session app: %v, want 9009", err)
	}
	if l.Exists("SessionApp_x") {
		t.Fatal("the session app is in the library")
	}
}

// TestPersistOnDisk: with Persist, DoSave writes the app (atomically: no
// temporary file stays) and a new library on the folder loads it.
func TestPersistOnDisk(t *testing.T) {
	dir := t.TempDir()
	l := NewLibrary("")
	if err := l.Persist(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "apps")); !os.IsNotExist(err) {
		t.Fatalf("Persist made the apps folder before any save: %v", err)
	}
	if err := l.Create("My App/1"); err != nil {
		t.Fatal(err)
	}
	a, _ := l.Open("Demo")
	changeApp(t, a)
	f := ret(t, must(call(t, a, "GetField", "Region")))
	call(t, f, "Select", "North", false, 0)
	call(t, a, "CreateBookmark", map[string]any{"qInfo": map[string]any{"qId": "bm1", "qType": "bookmark"}})
	call(t, a, "DoSave", "")
	a.Close()
	files, _ := os.ReadDir(filepath.Join(dir, "apps"))
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	if !slices.Equal(names, []string{"Demo.qvf.json", "My%20App%2F1.qvf.json"}) {
		t.Fatalf("files %q", names)
	}

	l2 := NewLibrary("")
	if err := l2.Persist(dir); err != nil {
		t.Fatal(err)
	}
	if !l2.Exists("My App/1") {
		t.Fatal("the created app did not load")
	}
	b, _ := l2.Open("Demo")
	defer b.Close()
	if !checkChanged(t, b) {
		t.Fatal("saved changes did not load from disk")
	}
	// The saved script ran on first open: its data is there.
	if _, res := call(t, b, "Evaluate", "Sum(X)"); res["qReturn"] != "1" {
		t.Errorf("Sum(X) = %v", res["qReturn"])
	}
	if ids := infoIDs(t, b, "bookmark"); !slices.Equal(ids, []string{"bm1"}) {
		t.Errorf("bookmarks %v", ids)
	}
	call(t, b, "SetScript", DemoScript)
	call(t, b, "DoReload", 0, false, false) // Demo's own data again, for its fields
	call(t, b, "ApplyBookmark", "bm1")
	if _, res := call(t, b, "Evaluate", "Only(Region)"); res["qReturn"] != "North" {
		t.Errorf("after ApplyBookmark, Only(Region) = %v", res["qReturn"])
	}
}

// TestPersistBadFile: an unreadable file is reported, the others load.
func TestPersistBadFile(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "apps"), 0o755)
	os.WriteFile(filepath.Join(dir, "apps", "Broken.qvf.json"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(dir, "apps", "Ok.qvf.json"), []byte(`{"qixEmulatorApp":1,"id":"Ok","title":"Ok","script":"","properties":{}}`), 0o644)
	l := NewLibrary("")
	err := l.Persist(dir)
	if err == nil || !strings.Contains(err.Error(), "Broken.qvf.json") {
		t.Fatalf("err %v", err)
	}
	if !l.Exists("Ok") {
		t.Fatal("the good file did not load")
	}
}

// must drops the decoded result of call.
func must(r *Reply, _ map[string]any) *Reply { return r }
