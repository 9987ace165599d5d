package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// objData is a generic object's stored state: its properties (with qInfo)
// and its place in the child tree.
type objData struct {
	id       string
	typ      string
	kind     string // qType of the object: "" (GenericObject), GenericDimension, GenericMeasure, GenericBookmark
	bookmark *bookmarkSel
	created  time.Time
	props    obj
	parent   string
	children []string
	session  bool
	ver      int // bumped on every property change, in any session (cache key)
}

// varData is a variable's stored state.
type varData struct {
	id            string
	name          string
	definition    string
	comment       string
	scriptCreated bool
	session       bool
	props         obj // extra properties clients set
}

// App is one app of the library (or one session app): script, loaded model
// and persisted objects, shared by every Doc opened on it. mu serialises
// every method call on the app's Docs.
type App struct {
	mu         sync.Mutex
	id         string
	title      string
	session    bool
	dataDir    string
	generator  func() []genTable // sample apps generated in Go, table by table
	genScript  string            // the script that means "regenerate"
	reloadMu   sync.Mutex        // one reload of the app at a time (held without mu)
	script     string
	model      *Model
	loaded     bool
	vars       []*varData
	objects    map[string]*objData
	props      obj
	created    time.Time
	modified   time.Time
	lastReload time.Time
	nextID     int
	more       appMore   // state of the methods in the *_more files
	saved      *appState // what DoSave kept (or the state first opened); see appstate.go
	opens      int       // Docs open on the app
	store      *appStore // writes DoSave to disk; nil keeps it in memory
}

// newApp makes an empty app.
func newApp(id, dataDir string) *App {
	now := time.Now().UTC()
	return &App{id: id, title: id, dataDir: dataDir, model: newModel(), objects: map[string]*objData{},
		created: now, modified: now, props: obj{}}
}

// ensureLoaded builds sample app data on first use (app.mu held).
func (a *App) ensureLoaded() {
	if a.loaded {
		return
	}
	a.loaded = true
	if a.generator != nil && a.script == a.genScript {
		a.model = a.applyFieldsOnTheFly(buildGenerated(a.generator()))
		a.lastReload = time.Now().UTC()
		return
	}
	if a.script != "" {
		if m, vars, err := runScript(context.Background(), a.script, a.dataDir, nil); err == nil {
			a.model = a.applyFieldsOnTheFly(m)
			a.setScriptVars(vars)
			a.lastReload = time.Now().UTC()
		}
	}
}

// setScriptVars replaces the script-created variables by a reload's.
func (a *App) setScriptVars(vars []scriptVar) {
	kept := a.vars[:0:0]
	for _, v := range a.vars {
		if !v.scriptCreated {
			kept = append(kept, v)
		}
	}
	for _, sv := range vars {
		replaced := false
		for _, v := range kept {
			if strings.EqualFold(v.name, sv.Name) {
				v.definition = sv.Value
				replaced = true
			}
		}
		if !replaced {
			kept = append(kept, &varData{id: "var-" + sanitizeID(sv.Name), name: sv.Name, definition: sv.Value, scriptCreated: true})
		}
	}
	a.vars = kept
}

func sanitizeID(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' {
			return '-'
		}
		return r
	}, s)
}

// newID makes an object id unique within the app.
func (a *App) newID(prefix string) string {
	a.nextID++
	return fmt.Sprintf("%s%d-%d", prefix, a.nextID, time.Now().UnixNano()%1000000)
}

// clone copies an app for a session app made from a template: script, data
// (the model is immutable, so shared), variables and persisted objects.
func (a *App) clone(id string) *App {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ensureLoaded()
	c := newApp(id, a.dataDir)
	c.session = true
	c.title = a.title
	c.script = a.script
	c.generator = a.generator
	c.genScript = a.genScript
	c.model = a.model
	c.loaded = true
	c.lastReload = a.lastReload
	c.vars = copyVars(a.vars)
	c.objects = copyObjects(a.objects)
	c.props = deepCopy(a.props).(obj)
	c.more.onTheFly = append([]fieldOnTheFly(nil), a.more.onTheFly...)
	return c
}

// Library is the emulator's set of apps: built-in sample apps, apps made by
// CreateApp, and a data folder for lib://data/ files.
type Library struct {
	mu      sync.Mutex
	dataDir string
	apps    map[string]*App
	order   []string
	pace    time.Duration // see SetReloadPace
	store   *appStore     // set by Persist
	temp    tempContent   // files written by ExportData (tempcontent.go)
}

// DefaultReloadPace is how long a reload of the generated "Sales" app takes
// unless SetReloadPace says otherwise: long enough for a progress bar to be
// seen, short enough not to slow anyone down.
const DefaultReloadPace = time.Second

// SetReloadPace sets how long a reload of a generated sample app ("Sales")
// takes in total; 0 makes it instant (tests). The time is spread over its
// tables (half evenly, half by row count) while GetProgress reports each
// table, and the reload checks for cancellation throughout. Scripts run as
// fast as they can.
func (l *Library) SetReloadPace(d time.Duration) {
	if d < 0 {
		d = 0
	}
	l.mu.Lock()
	l.pace = d
	l.mu.Unlock()
}

// ReloadPace is the pace set by SetReloadPace (DefaultReloadPace unless set).
func (l *Library) ReloadPace() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pace
}

// NewLibrary returns a library with the built-in "Sales" (generated, 50 000
// orders) and "Demo" (small inline script) apps. dataDir holds the files
// scripts read as lib://data/<file>; it may be "".
func NewLibrary(dataDir string) *Library {
	l := &Library{dataDir: dataDir, apps: map[string]*App{}, pace: DefaultReloadPace}
	sales := newApp("Sales", dataDir)
	sales.generator = salesTables
	sales.genScript = salesScript
	sales.script = salesScript
	l.add(sales)
	demo := newApp("Demo", dataDir)
	demo.script = DemoScript
	l.add(demo)
	return l
}

func (l *Library) add(a *App) {
	l.apps[strings.ToLower(a.id)] = a
	l.order = append(l.order, a.id)
}

// lookup finds an app by id, tolerating a /apps/ prefix and .qvf suffix.
func (l *Library) lookup(name string) *App {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := strings.ToLower(name)
	if a, ok := l.apps[n]; ok {
		return a
	}
	n = strings.TrimSuffix(strings.TrimPrefix(n, "/apps/"), ".qvf")
	return l.apps[n]
}

// DocList lists the library's apps for Global.GetDocList.
func (l *Library) DocList() []DocListEntry {
	l.mu.Lock()
	ids := append([]string(nil), l.order...)
	l.mu.Unlock()
	out := make([]DocListEntry, 0, len(ids))
	for _, id := range ids {
		a := l.lookup(id)
		if a == nil {
			continue
		}
		a.mu.Lock()
		size := int64(4096)
		if a.loaded {
			for _, t := range a.model.Tables {
				size += int64(t.Rows * len(t.Fields) * 4)
			}
		}
		out = append(out, DocListEntry{
			DocName:        a.id,
			FileTime:       serialFromTime(a.modified),
			FileSize:       size,
			DocID:          a.id,
			Meta:           map[string]any{"createdDate": a.created.Format(time.RFC3339Nano), "modifiedDate": a.modified.Format(time.RFC3339Nano), "published": false, "privileges": []string{"read", "update", "delete"}},
			LastReloadTime: reloadTime(a.lastReload),
			Title:          a.title,
			Thumbnail:      map[string]any{"qUrl": ""},
		})
		a.mu.Unlock()
	}
	return out
}

// Exists reports whether the library has an app called name.
func (l *Library) Exists(name string) bool { return l.lookup(name) != nil }

// Open returns a new per-session view of a library app.
func (l *Library) Open(name string) (*Doc, error) {
	a := l.lookup(name)
	if a == nil {
		return nil, &Error{Code: 1003, Parameter: name, Message: "App not found"}
	}
	d := newDoc(l, a)
	if l.lookup(name) != a { // deleted while opening (Delete)
		d.Close()
		return nil, &Error{Code: 1003, Parameter: name, Message: "App not found"}
	}
	return d, nil
}

// NewSessionApp returns an empty session app, or a copy of template's
// script, data, variables and objects. Nothing of it persists.
func (l *Library) NewSessionApp(id, template string) (*Doc, error) {
	var a *App
	if template != "" {
		t := l.lookup(template)
		if t == nil {
			return nil, &Error{Code: 1003, Parameter: template, Message: "App not found"}
		}
		a = t.clone(id)
	} else {
		a = newApp(id, l.dataDir)
		a.session = true
		a.loaded = true
	}
	return newDoc(l, a), nil
}

// Create adds an empty app (Global.CreateApp).
func (l *Library) Create(name string) error {
	if name == "" {
		return &Error{Code: 8, Parameter: "qAppName", Message: "Invalid parameters"}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.apps[strings.ToLower(name)]; ok {
		return &Error{Code: 1000, Parameter: name, Message: "App already exists"}
	}
	a := newApp(name, l.dataDir)
	a.loaded = true
	if l.store != nil {
		// CreateApp writes the new app's file at once, as a real engine does.
		a.store = l.store
		if err := l.store.write(a); err != nil {
			return err
		}
	}
	l.add(a)
	return nil
}

// sortedKeys returns the keys of a map in order (deterministic listings).
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
