package engine

import "time"

// A named app keeps what DoSave saved, as a real engine keeps its .qvf: the
// changes sessions make (properties, objects, variables, script, master
// dimensions and measures, reloaded data) live in memory while some session
// has the app open, and when its last session ends the app is loaded again
// from what was saved, so unsaved changes are gone. DoSave replaces the
// saved state (and writes it to disk when the library persists, see
// Library.Persist). Session apps are never saved (9009) and end with their
// session.

// appState is the saved state of an app: everything sessions can change.
// The model is immutable once built, so it is shared, not copied.
type appState struct {
	title      string
	script     string
	props      obj
	vars       []*varData
	objects    map[string]*objData
	model      *Model
	loaded     bool
	created    time.Time
	modified   time.Time
	lastReload time.Time
	onTheFly   []fieldOnTheFly
}

// stateLocked copies the app's current state (a.mu held).
func (a *App) stateLocked() *appState {
	return &appState{
		title: a.title, script: a.script, props: deepCopy(a.props).(obj),
		vars: copyVars(a.vars), objects: copyObjects(a.objects),
		model: a.model, loaded: a.loaded,
		created: a.created, modified: a.modified, lastReload: a.lastReload,
		onTheFly: append([]fieldOnTheFly(nil), a.more.onTheFly...),
	}
}

// restoreLocked puts a copy of s back as the app's state (a.mu held).
func (a *App) restoreLocked(s *appState) {
	a.title, a.script, a.props = s.title, s.script, deepCopy(s.props).(obj)
	a.vars, a.objects = copyVars(s.vars), copyObjects(s.objects)
	a.model, a.loaded = s.model, s.loaded
	a.created, a.modified, a.lastReload = s.created, s.modified, s.lastReload
	a.more.onTheFly = append([]fieldOnTheFly(nil), s.onTheFly...)
}

// opened counts a Doc opened on the app; the first one of a named app
// records the state loaded so far as the saved one (a.mu held, the app
// loaded).
func (a *App) opened() {
	if a.session {
		return
	}
	if a.saved == nil {
		a.saved = a.stateLocked()
	}
	a.opens++
}

// closed counts a Doc of the app closing; when the last one closes, the
// app returns to its saved state (a.mu held).
func (a *App) closed() {
	if a.session || a.opens == 0 {
		return
	}
	a.opens--
	if a.opens == 0 && a.saved != nil {
		a.restoreLocked(a.saved)
	}
}

// saveLocked makes the current state the saved one (DoSave, a.mu held).
func (a *App) saveLocked() error {
	a.modified = time.Now().UTC()
	a.saved = a.stateLocked()
	if a.store != nil {
		return a.store.write(a)
	}
	return nil
}

// copyVars copies variables (their extra properties deeply).
func copyVars(vs []*varData) []*varData {
	out := make([]*varData, 0, len(vs))
	for _, v := range vs {
		nv := *v
		if v.props != nil {
			nv.props = deepCopy(v.props).(obj)
		}
		out = append(out, &nv)
	}
	return out
}

// copyObjects copies persisted objects (properties and child lists
// deeply; a bookmark's selections are never changed in place, so shared).
func copyObjects(m map[string]*objData) map[string]*objData {
	out := make(map[string]*objData, len(m))
	for k, o := range m {
		no := *o
		no.props = deepCopy(o.props).(obj)
		no.children = append([]string(nil), o.children...)
		out[k] = &no
	}
	return out
}
