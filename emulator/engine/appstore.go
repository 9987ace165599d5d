package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// appStore keeps saved apps on disk, one JSON file per app under
// <dir>/apps/<escaped id>.qvf.json: title, script, app properties,
// variables and objects (with bookmark selections). The loaded data is
// not written: an app read back reloads its script on first open, as the
// built-in apps do (the generated Sales app regenerates). Files are written
// to a temporary name and renamed, so a crash never leaves half a file.
type appStore struct{ dir string }

// appFileVersion marks the file format.
const appFileVersion = 1

// appFile is the on-disk form of an app.
type appFile struct {
	Version    int             `json:"qixEmulatorApp"`
	ID         string          `json:"id"`
	Title      string          `json:"title"`
	Script     string          `json:"script"`
	Created    time.Time       `json:"created"`
	Modified   time.Time       `json:"modified"`
	Properties json.RawMessage `json:"properties"`
	Variables  []varFile       `json:"variables"`
	Objects    []objFile       `json:"objects"`
	OnTheFly   []onTheFlyFile  `json:"fieldsOnTheFly,omitempty"`
}

// onTheFlyFile is a field on the fly (AddFieldFromExpression): its
// expression is saved, its values are computed when the app loads.
type onTheFlyFile struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

type varFile struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Definition    string          `json:"definition"`
	Comment       string          `json:"comment,omitempty"`
	ScriptCreated bool            `json:"scriptCreated,omitempty"`
	Properties    json.RawMessage `json:"properties,omitempty"`
}

type objFile struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Kind       string          `json:"kind,omitempty"`
	Created    time.Time       `json:"created"`
	Properties json.RawMessage `json:"properties"`
	Parent     string          `json:"parent,omitempty"`
	Children   []string        `json:"children,omitempty"`
	Bookmark   *bookmarkFile   `json:"bookmark,omitempty"`
}

// bookmarkFile is a bookmark's selections; a NaN number (text only) is null.
type bookmarkFile struct {
	Fields []string              `json:"fields"`
	Values map[string][]string   `json:"values"`
	Nums   map[string][]*float64 `json:"nums"`
	Locked map[string]bool       `json:"locked,omitempty"`
}

// Persist makes DoSave write apps under dir/apps (created on the first
// save) and loads the apps saved there before: a saved built-in app replaces
// the built-in state, any other becomes a library app. Files that cannot
// be read are skipped and reported in the returned error, after the rest
// loaded.
func (l *Library) Persist(dir string) error {
	st := &appStore{dir: filepath.Join(dir, "apps")}
	names, err := filepath.Glob(filepath.Join(st.dir, "*.qvf.json"))
	if err != nil {
		return fmt.Errorf("failed to list saved apps: %w", err)
	}
	sort.Strings(names)
	var bad []string
	for _, n := range names {
		if err := l.loadSaved(n); err != nil {
			bad = append(bad, err.Error())
		}
	}
	l.mu.Lock()
	l.store = st
	for _, a := range l.apps {
		a.mu.Lock()
		a.store = st
		a.mu.Unlock()
	}
	l.mu.Unlock()
	if len(bad) > 0 {
		return fmt.Errorf("failed to load saved apps: %s", strings.Join(bad, "; "))
	}
	return nil
}

// loadSaved reads one app file into the library.
func (l *Library) loadSaved(name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", name, err)
	}
	var f appFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("failed to decode %s: %w", name, err)
	}
	if f.Version != appFileVersion || f.ID == "" {
		return fmt.Errorf("failed to decode %s: not an emulator app file", name)
	}
	a := l.lookup(f.ID)
	if a == nil {
		a = newApp(f.ID, l.dataDir)
		l.mu.Lock()
		l.add(a)
		l.mu.Unlock()
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.fromFile(&f); err != nil {
		return fmt.Errorf("failed to decode %s: %w", name, err)
	}
	return nil
}

// fromFile sets the app's state from its file; the data is loaded again
// on first open (a.mu held).
func (a *App) fromFile(f *appFile) error {
	props, err := parseObj(f.Properties)
	if err != nil {
		return err
	}
	vars := make([]*varData, 0, len(f.Variables))
	for _, v := range f.Variables {
		vd := &varData{id: v.ID, name: v.Name, definition: v.Definition, comment: v.Comment, scriptCreated: v.ScriptCreated}
		if len(v.Properties) > 0 {
			if vd.props, err = parseObj(v.Properties); err != nil {
				return err
			}
		}
		vars = append(vars, vd)
	}
	objects := make(map[string]*objData, len(f.Objects))
	for _, o := range f.Objects {
		od := &objData{id: o.ID, typ: o.Type, kind: o.Kind, created: o.Created, parent: o.Parent, children: o.Children}
		if od.props, err = parseObj(o.Properties); err != nil {
			return err
		}
		if o.Bookmark != nil {
			od.bookmark = o.Bookmark.sel()
		}
		objects[o.ID] = od
	}
	a.title, a.script, a.props, a.vars, a.objects = f.Title, f.Script, props, vars, objects
	a.more.onTheFly = nil
	for _, o := range f.OnTheFly {
		a.more.onTheFly = append(a.more.onTheFly, fieldOnTheFly{name: o.Name, expr: o.Expr})
	}
	a.created, a.modified = f.Created, f.Modified
	if a.generator == nil || a.script != a.genScript {
		a.loaded = false // ensureLoaded runs the saved script (or regenerates)
		a.model = newModel()
	}
	a.saved = nil
	return nil
}

// write saves the app's current state to its file (a.mu held).
func (st *appStore) write(a *App) error {
	f := appFile{Version: appFileVersion, ID: a.id, Title: a.title, Script: a.script,
		Created: a.created, Modified: a.modified}
	for _, o := range a.more.onTheFly {
		f.OnTheFly = append(f.OnTheFly, onTheFlyFile{Name: o.name, Expr: o.expr})
	}
	var err error
	if f.Properties, err = appendJSON(nil, a.props); err != nil {
		return fmt.Errorf("failed to save app: %w", err)
	}
	for _, v := range a.vars {
		if v.session {
			continue
		}
		vf := varFile{ID: v.id, Name: v.name, Definition: v.definition, Comment: v.comment, ScriptCreated: v.scriptCreated}
		if v.props != nil {
			if vf.Properties, err = appendJSON(nil, v.props); err != nil {
				return fmt.Errorf("failed to save app: %w", err)
			}
		}
		f.Variables = append(f.Variables, vf)
	}
	for _, id := range sortedKeys(a.objects) {
		o := a.objects[id]
		if o.session {
			continue
		}
		of := objFile{ID: o.id, Type: o.typ, Kind: o.kind, Created: o.created, Parent: o.parent, Children: o.children}
		if of.Properties, err = appendJSON(nil, o.props); err != nil {
			return fmt.Errorf("failed to save app: %w", err)
		}
		if o.bookmark != nil {
			of.Bookmark = bookmarkToFile(o.bookmark)
		}
		f.Objects = append(f.Objects, of)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to save app: %w", err)
	}
	if err := os.MkdirAll(st.dir, 0o755); err != nil {
		return fmt.Errorf("failed to save app: %w", err)
	}
	return writeAtomic(st.path(a.id), append(data, '\n'))
}

// path is the file of app id.
func (st *appStore) path(id string) string {
	return filepath.Join(st.dir, url.PathEscape(id)+".qvf.json")
}

// writeAtomic writes data to a temporary file in name's folder, syncs it
// and renames it over name.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".save-*")
	if err != nil {
		return fmt.Errorf("failed to save app: %w", err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Sync()
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("failed to save app: %w", werr)
	}
	return nil
}

func bookmarkToFile(b *bookmarkSel) *bookmarkFile {
	f := &bookmarkFile{Fields: b.fields, Values: b.values, Nums: map[string][]*float64{}, Locked: b.locked}
	for k, ns := range b.nums {
		out := make([]*float64, len(ns))
		for i, n := range ns {
			if !math.IsNaN(n) {
				out[i] = &ns[i]
			}
		}
		f.Nums[k] = out
	}
	return f
}

func (f *bookmarkFile) sel() *bookmarkSel {
	b := &bookmarkSel{fields: f.Fields, values: f.Values, nums: map[string][]float64{}, locked: f.Locked}
	if b.values == nil {
		b.values = map[string][]string{}
	}
	if b.locked == nil {
		b.locked = map[string]bool{}
	}
	for k, ns := range f.Nums {
		out := make([]float64, len(ns))
		for i, n := range ns {
			out[i] = math.NaN()
			if n != nil {
				out[i] = *n
			}
		}
		b.nums[k] = out
	}
	return b
}
