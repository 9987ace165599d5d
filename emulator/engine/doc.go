package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Doc is one session's view of an app: its own selections, history,
// session objects and session variables over the app's shared data and
// persisted objects. It is the QIX "Doc" object.
type Doc struct {
	lib       *Library
	app       *App
	model     *Model
	sel       *selState
	hist      []*selState
	histPos   int
	asc       *assoc
	sessObjs  map[string]*objData
	sessVars  []*varData
	instances map[string]*GenericObject
	fields    map[string]*Field
	varInst   map[string]*Variable
	closed    bool
	gen       uint64
	evalDepth int
	modal     *GenericObject // object in modal selection (BeginSelections)
	modalSt   string         // its selection state
	states    map[string]*stateSel
	curState  string
	modalSnap *selState
	more      docMore // state of the methods in the *_more files

	progMu    sync.Mutex
	prog      ProgressInfo
	progStart time.Time
}

func newDoc(l *Library, a *App) *Doc {
	d := &Doc{lib: l, app: a, sessObjs: map[string]*objData{}, instances: map[string]*GenericObject{},
		fields: map[string]*Field{}, varInst: map[string]*Variable{}, states: map[string]*stateSel{}}
	a.mu.Lock()
	a.ensureLoaded()
	a.opened()
	d.sync()
	a.mu.Unlock()
	return d
}

// Type is "Doc".
func (d *Doc) Type() string { return "Doc" }

// GenericType is empty for a Doc.
func (d *Doc) GenericType() string { return "" }

// GenericID is the app id.
func (d *Doc) GenericID() string { return d.app.id }

// Progress returns the last reload progress (Global.GetProgress).
func (d *Doc) Progress() ProgressInfo {
	d.progMu.Lock()
	defer d.progMu.Unlock()
	return d.prog
}

// Report implements Progress so a Doc can collect its own reload progress.
func (d *Doc) Report(p ProgressInfo) {
	d.progMu.Lock()
	defer d.progMu.Unlock()
	p.Persistent = d.prog.Persistent + p.Persistent
	if !d.progStart.IsZero() {
		p.Millisecs = int(time.Since(d.progStart).Milliseconds())
	}
	d.prog = p
}

// Close releases the session's state (selections, session objects).
func (d *Doc) Close() {
	d.app.mu.Lock()
	defer d.app.mu.Unlock()
	if !d.closed {
		d.app.closed()
	}
	d.closed = true
	d.sessObjs = map[string]*objData{}
	d.sessVars = nil
	d.instances = map[string]*GenericObject{}
	d.fields = map[string]*Field{}
	d.varInst = map[string]*Variable{}
	d.asc = nil
}

// sync moves the selections onto the app's new data model when it
// changed under them (a reload by this or another session), as the
// engine keeps a session's selections across a reload: each selected
// value stays selected where the new data still has it (carrySel), and
// so do the steps of the back/forward history. app.mu held.
func (d *Doc) sync() {
	if d.model == d.app.model {
		return
	}
	old := d.model
	d.model = d.app.model
	d.sel = carrySel(old, d.model, d.sel)
	d.hist, d.histPos = carryHist(old, d.model, d.hist, d.histPos, d.sel)
	d.asc = nil
	d.gen++
	for _, st := range d.states {
		st.sel = carrySel(old, d.model, st.sel)
		st.hist, st.histPos = carryHist(old, d.model, st.hist, st.histPos, st.sel)
		st.asc = nil
	}
}

// assoc returns the propagated selection state (cached).
func (d *Doc) assoc() *assoc {
	if d.asc == nil {
		d.asc = computeAssoc(d.model, d.sel)
	}
	return d.asc
}

// activeRows lists the rows of table t that survive the selections.
func (a *assoc) activeRows(t int) []int32 {
	if a.rowsCache == nil {
		a.rowsCache = map[int][]int32{}
	}
	if r, ok := a.rowsCache[t]; ok {
		return r
	}
	b := a.active[t]
	out := make([]int32, 0, b.count())
	b.each(func(i int32) { out = append(out, i) })
	a.rowsCache[t] = out
	return out
}

// allGroup is the group of every active row (expressions outside a
// hypercube dimension, grand totals).
type allGroup struct{ a *assoc }

func (g allGroup) rows(t int) []int32 {
	if t < 0 {
		return nil
	}
	return g.a.activeRows(t)
}

// applySel makes st the current selection state, recording history;
// false when nothing changed.
func (d *Doc) applySel(st *selState) bool {
	if st.equal(d.sel) {
		return false
	}
	d.sel = st
	d.hist = append(d.hist[:d.histPos+1], st.clone())
	if len(d.hist) > 100 {
		d.hist = d.hist[len(d.hist)-100:]
	}
	d.histPos = len(d.hist) - 1
	d.asc = nil
	d.gen++
	return true
}

// allObjects lists the Doc and every object it handed out: after a
// selection or data change they all may have a new layout.
func (d *Doc) allObjects() []Object {
	out := []Object{d}
	for _, k := range sortedKeys(d.instances) {
		out = append(out, d.instances[k])
	}
	for _, k := range sortedKeys(d.fields) {
		out = append(out, d.fields[k])
	}
	for _, k := range sortedKeys(d.varInst) {
		out = append(out, d.varInst[k])
	}
	return out
}

// changedAll is an empty reply listing every object as changed.
func (d *Doc) changedAll(r *Reply) *Reply {
	r.Changed = d.allObjects()
	return r
}

// findVar finds a variable by name (session variables first).
func (d *Doc) findVar(name string) *varData {
	for _, v := range d.sessVars {
		if v.name == name {
			return v
		}
	}
	for _, v := range d.app.vars {
		if v.name == name {
			return v
		}
	}
	for _, v := range d.sessVars {
		if strings.EqualFold(v.name, name) {
			return v
		}
	}
	for _, v := range d.app.vars {
		if strings.EqualFold(v.name, name) {
			return v
		}
	}
	return nil
}

func (d *Doc) findVarByID(id string) *varData {
	for _, v := range d.sessVars {
		if v.id == id {
			return v
		}
	}
	for _, v := range d.app.vars {
		if v.id == id {
			return v
		}
	}
	return nil
}

// varValue is a variable's value: its definition, calculated when it starts
// with '='.
func (d *Doc) varValue(v *varData) Val {
	def := v.definition
	if strings.HasPrefix(strings.TrimSpace(def), "=") {
		if d.evalDepth > 8 {
			return nullVal
		}
		val, err := d.evalExpr(def)
		if err != nil {
			return strVal("Error: " + err.Error())
		}
		return val
	}
	return parseLoaded(def)
}

// expand performs dollar expansion with this doc's variables.
func (d *Doc) expand(s string) string {
	if !strings.Contains(s, "$(") {
		return s
	}
	return expandDollar(s, func(name string) (string, bool) {
		v := d.findVar(name)
		if v == nil {
			return "", false
		}
		if strings.HasPrefix(strings.TrimSpace(v.definition), "=") {
			return d.varValue(v).Text(), true
		}
		return v.definition, true
	}, func(expr string) string {
		v, err := d.evalExpr(expr)
		if err != nil {
			return ""
		}
		return textOrEmpty(v)
	})
}

// scope is the chart scope of this doc's current state.
func (d *Doc) scope() *chartScope {
	return &chartScope{m: d.model, a: d.assoc(), primary: d.primaryTable(), doc: d, vr: func(name string) (Val, bool) {
		v := d.findVar(name)
		if v == nil {
			return Val{}, false
		}
		return d.varValue(v), true
	}}
}

// primaryTable is the largest table: what Count(*) and constants count over.
func (d *Doc) primaryTable() int {
	best := -1
	for i, t := range d.model.Tables {
		if best < 0 || t.Rows > d.model.Tables[best].Rows {
			best = i
		}
	}
	return best
}

// compile parses and compiles a chart expression with dollar expansion.
func (d *Doc) compile(expr string, sc *chartScope) (aggFn, error) {
	n, err := parseExpr(d.expand(expr))
	if err != nil {
		return nil, err
	}
	return compileChart(n, sc)
}

// evalExpr evaluates a chart expression over the whole selection.
func (d *Doc) evalExpr(expr string) (Val, error) {
	d.evalDepth++
	defer func() { d.evalDepth-- }()
	f, err := d.compile(expr, d.scope())
	if err != nil {
		return nullVal, err
	}
	return f(allGroup{d.assoc()}), nil
}

// lock takes the app lock and resyncs; every method runs under it.
func (d *Doc) lock() func() {
	d.app.mu.Lock()
	d.sync()
	return d.app.mu.Unlock
}

// Call runs a Doc method.
func (d *Doc) Call(ctx context.Context, method string, p Params) (r *Reply, err error) {
	defer recoverInternal(&err)
	if method == "DoReload" || method == "DoReloadEx" {
		return d.doReload(ctx, method, p) // takes the app lock itself, not throughout
	}
	defer d.lock()()
	defer d.notifyUndo(&r, d.more.seq)
	if d.closed {
		return nil, &Error{Code: 1007, Parameter: "No active document", Message: "App invalid"}
	}
	return d.call(ctx, method, p)
}

// call dispatches a Doc method (app.mu held).
func (d *Doc) call(ctx context.Context, method string, p Params) (*Reply, error) {
	if r, ok, err := d.bookmarkCall(method, p); ok {
		return r, err
	}
	if r, ok, err := d.stateCall(method, p); ok {
		return r, err
	}
	switch method {
	case "GetScript":
		return result("qScript", d.app.script), nil
	case "SetScript":
		var s string
		if err := args(p, "qScript", &s); err != nil {
			return nil, err
		}
		d.app.script = s
		d.app.modified = time.Now().UTC()
		return result(), nil
	case "GetEmptyScript":
		return result("qReturn", "SET ThousandSep=',';\nSET DecimalSep='.';\n"), nil
	case "CheckScriptSyntax":
		errs := []any{}
		if _, err := splitStatements(d.app.script); err != nil {
			errs = append(errs, map[string]any{"qErrLen": 1, "qTabIx": 0, "qLineInTab": 0, "qColInLine": 0, "qTextPos": 0})
		}
		return result("qErrors", errs), nil
	case "DoSave":
		if d.app.session {
			return nil, &Error{Code: 9009, Parameter: "", Message: "Persistence not supported for session app"}
		}
		if err := d.app.saveLocked(); err != nil {
			return nil, err
		}
		r := result()
		r.Changed = []Object{d}
		return r, nil
	case "GetField":
		var name, state string
		if err := args(p, "qFieldName", &name, "qStateName", &state); err != nil {
			return nil, err
		}
		f := d.field(name)
		if f == nil {
			return result("qReturn", notFound), nil
		}
		if state != "" && state != "$" && d.states[state] != nil {
			key := name + "\x00" + state
			if sf, ok := d.fields[key]; ok {
				return result("qReturn", sf), nil
			}
			sf := &Field{doc: d, name: f.name, state: state}
			d.fields[key] = sf
			return result("qReturn", sf), nil
		}
		return result("qReturn", f), nil
	case "ClearAll":
		var lockedAlso bool
		var state string
		if err := args(p, "qLockedAlso", &lockedAlso, "qStateName", &state); err != nil {
			return nil, err
		}
		if state != "" && state != "$" && d.curState != state {
			var r *Reply
			var err error
			d.withState(state, func() { r, err = d.call(ctx, method, ParamList{lockedAlso}) })
			return r, err
		}
		st := d.sel.clone()
		for fi := range d.sel.sel {
			if lockedAlso || !st.locked[fi] {
				st.setSel(fi, nil)
				delete(st.locked, fi)
			}
		}
		return d.selReply(result(), d.applySel(st)), nil
	case "LockAll":
		st := d.sel.clone()
		for fi := range st.sel {
			st.locked[fi] = true
		}
		return d.selReply(result(), d.applySel(st)), nil
	case "UnlockAll":
		st := d.sel.clone()
		st.locked = map[int]bool{}
		return d.selReply(result(), d.applySel(st)), nil
	case "Back", "Forward":
		np := d.histPos - 1
		if method == "Forward" {
			np = d.histPos + 1
		}
		if np < 0 || np >= len(d.hist) {
			return result(), nil
		}
		d.histPos = np
		d.sel = d.hist[np].clone()
		d.asc = nil
		d.gen++
		return d.changedAll(result()), nil
	case "GetTablesAndKeys":
		return d.tablesAndKeys(), nil
	case "GetFieldDescription":
		var name string
		if err := args(p, "qFieldName", &name); err != nil {
			return nil, err
		}
		fi := d.model.field(name)
		if fi < 0 {
			return result("qReturn", map[string]any{}), nil
		}
		return result("qReturn", d.fieldDescription(fi)), nil
	case "GetFieldList":
		return result("qFieldList", d.fieldListLayout(fieldListDef{})), nil
	case "Evaluate":
		var expr string
		if err := args(p, "qExpression", &expr); err != nil {
			return nil, err
		}
		v, err := d.evalExpr(expr)
		if err != nil {
			return result("qReturn", "Error: "+err.Error()), nil
		}
		return result("qReturn", v.Text()), nil
	case "EvaluateEx":
		var expr string
		if err := args(p, "qExpression", &expr); err != nil {
			return nil, err
		}
		v, err := d.evalExpr(expr)
		if err != nil {
			return result("qValue", map[string]any{"qText": "Error: " + err.Error(), "qIsNumeric": false, "qNumber": Float(0)}), nil
		}
		return result("qValue", fieldValue{QText: v.Text(), QIsNumeric: v.IsNum(), QNumber: Float(numOr0(v))}), nil
	case "GetLocaleInfo":
		return result("qReturn", localeInfo()), nil
	case "GetAppLayout":
		return result("qLayout", d.appLayout()), nil
	case "GetAppProperties":
		return result("qProp", d.appProps()), nil
	case "SetAppProperties":
		o, err := propsArg(p)
		if err != nil {
			return nil, err
		}
		for _, m := range o {
			if m.K == "qTitle" {
				d.app.title = str(m.V)
			}
		}
		d.app.props = o
		r := result()
		r.Changed = []Object{d}
		return r, nil
	case "GetObject":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		od := d.lookupObj(id)
		if od == nil {
			return result("qReturn", notFound), nil
		}
		return result("qReturn", d.instance(od)), nil
	case "CreateObject", "CreateSessionObject":
		var raw json.RawMessage
		if err := args(p, "qProp", &raw); err != nil {
			return nil, err
		}
		od, err := d.createObj(raw, method == "CreateSessionObject", "")
		if err != nil {
			return nil, err
		}
		g := d.instance(od)
		r := result("qReturn", g)
		if method == "CreateObject" {
			r.Result = append(r.Result, KV{"qInfo", infoOf(od)})
		}
		r.Changed = []Object{g}
		return r, nil
	case "DestroyObject", "DestroySessionObject":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		od := d.lookupObj(id)
		if od == nil || od.session != (method == "DestroySessionObject") {
			return result("qSuccess", false), nil
		}
		r := result("qSuccess", true)
		r.Closed = d.destroyObj(od)
		return r, nil
	case "GetObjects":
		var opts struct {
			QTypes                 []string `json:"qTypes"`
			QIncludeSessionObjects bool     `json:"qIncludeSessionObjects"`
		}
		if err := args(p, "qOptions", &opts); err != nil {
			return nil, err
		}
		list := []any{}
		for _, od := range d.allObjData(opts.QIncludeSessionObjects) {
			if len(opts.QTypes) > 0 && !contains(opts.QTypes, od.typ) {
				continue
			}
			list = append(list, obj{{"qInfo", infoOf(od)}, {"qMeta", d.metaOf(od)}, {"qData", obj{}}})
		}
		return result("qList", list), nil
	case "GetAllInfos":
		infos := []any{}
		for _, od := range d.allObjData(true) {
			infos = append(infos, infoOf(od))
		}
		return result("qInfos", infos), nil
	case "CreateDimension", "CreateMeasure":
		var raw json.RawMessage
		if err := args(p, "qProp", &raw); err != nil {
			return nil, err
		}
		od, err := d.createObj(raw, false, "")
		if err != nil {
			return nil, err
		}
		od.kind = map[string]string{"CreateDimension": "GenericDimension", "CreateMeasure": "GenericMeasure"}[method]
		if od.typ == "" {
			od.typ = map[string]string{"CreateDimension": "dimension", "CreateMeasure": "measure"}[method]
		}
		g := d.instance(od)
		r := result("qReturn", g, "qInfo", infoOf(od))
		r.Changed = []Object{g}
		return r, nil
	case "GetDimension", "GetMeasure":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		od := d.lookupObj(id)
		if od == nil || od.kind != map[string]string{"GetDimension": "GenericDimension", "GetMeasure": "GenericMeasure"}[method] {
			return result("qReturn", notFound), nil
		}
		return result("qReturn", d.instance(od)), nil
	case "DestroyDimension", "DestroyMeasure":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		od := d.lookupObj(id)
		if od == nil || od.kind != map[string]string{"DestroyDimension": "GenericDimension", "DestroyMeasure": "GenericMeasure"}[method] {
			return result("qSuccess", false), nil
		}
		r := result("qSuccess", true)
		r.Closed = d.destroyObj(od)
		return r, nil
	case "CreateSessionVariable", "CreateVariableEx", "CreateVariable":
		return d.createVariable(method, p)
	case "GetVariableByName", "GetVariable":
		var name string
		if err := args(p, "qName", &name); err != nil {
			return nil, err
		}
		v := d.findVar(name)
		if v == nil {
			return result("qReturn", notFound), nil
		}
		return result("qReturn", d.variable(v)), nil
	case "GetVariableById":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		v := d.findVarByID(id)
		if v == nil {
			return result("qReturn", notFound), nil
		}
		return result("qReturn", d.variable(v)), nil
	case "DestroySessionVariable", "DestroySessionVariableById", "DestroyVariableById", "DestroySessionVariableByName", "DestroyVariableByName":
		var key string
		if err := args(p, "qId", &key); err != nil {
			return nil, err
		}
		if key == "" {
			_ = args(p, "qName", &key)
		}
		byName := strings.HasSuffix(method, "ByName")
		return d.destroyVariable(key, byName, strings.Contains(method, "Session")), nil
	}
	return d.callMore(ctx, method, p)
}

// selReply adds every object to the change list when the selection changed.
func (d *Doc) selReply(r *Reply, changed bool) *Reply {
	if changed {
		r.Changed = d.allObjects()
	}
	return r
}

// field returns the Field object for a field name (nil if unknown).
func (d *Doc) field(name string) *Field {
	fi := d.model.field(name)
	if fi < 0 {
		for i, f := range d.model.Fields {
			if strings.EqualFold(f.Name, name) {
				fi = i
			}
		}
	}
	if fi < 0 {
		return nil
	}
	n := d.model.Fields[fi].Name
	if f, ok := d.fields[n]; ok {
		return f
	}
	f := &Field{doc: d, name: n}
	d.fields[n] = f
	return f
}

// lookupObj finds a session or persisted object by id.
func (d *Doc) lookupObj(id string) *objData {
	if od, ok := d.sessObjs[id]; ok {
		return od
	}
	return d.app.objects[id]
}

// allObjData lists the objects in a stable order.
func (d *Doc) allObjData(withSession bool) []*objData {
	var out []*objData
	for _, k := range sortedKeys(d.app.objects) {
		out = append(out, d.app.objects[k])
	}
	if withSession {
		for _, k := range sortedKeys(d.sessObjs) {
			out = append(out, d.sessObjs[k])
		}
	}
	return out
}

// instance returns this doc's GenericObject for an object (one per id).
func (d *Doc) instance(od *objData) *GenericObject {
	if g, ok := d.instances[od.id]; ok && g.data == od {
		return g
	}
	g := &GenericObject{doc: d, data: od, defs: map[string]*defState{}}
	d.instances[od.id] = g
	return g
}

// createObj stores a new object from its properties.
func (d *Doc) createObj(raw json.RawMessage, session bool, parent string) (*objData, error) {
	props, err := parseObj(raw)
	if err != nil {
		return nil, invalid("qProp")
	}
	info, _ := props.get("qInfo")
	io, _ := info.(obj)
	id := str(valueOr(io, "qId"))
	typ := str(valueOr(io, "qType"))
	if id == "" {
		id = newUUID()
	}
	if d.lookupObj(id) != nil {
		return nil, &Error{Code: 8, Parameter: id, Message: "Object already exists"}
	}
	ni := obj{{"qId", id}, {"qType", typ}}
	for _, m := range io {
		if m.K != "qId" && m.K != "qType" {
			ni = append(ni, m)
		}
	}
	props.set("qInfo", ni)
	// qInfo first, as engines write it.
	if props[0].K != "qInfo" {
		props.del("qInfo")
		props = append(obj{{"qInfo", ni}}, props...)
	}
	od := &objData{id: id, typ: typ, props: props, parent: parent, session: session}
	if session || parent != "" && d.sessObjs[parent] != nil {
		od.session = true
		d.sessObjs[id] = od
	} else {
		d.app.objects[id] = od
	}
	if parent != "" {
		if pd := d.lookupObj(parent); pd != nil {
			pd.children = append(pd.children, id)
		}
	}
	d.recordCreated(od)
	return od, nil
}

// destroyObj removes an object and its children; it returns the instances
// that were handed out (they go into the close list).
func (d *Doc) destroyObj(od *objData) []Object {
	defer d.recordDestroyed(od)()
	var closed []Object
	for _, c := range append([]string(nil), od.children...) { // each call shortens od.children
		if cd := d.lookupObj(c); cd != nil {
			closed = append(closed, d.destroyObj(cd)...)
		}
	}
	if od.parent != "" {
		if pd := d.lookupObj(od.parent); pd != nil {
			for i, c := range pd.children {
				if c == od.id {
					pd.children = append(pd.children[:i], pd.children[i+1:]...)
					break
				}
			}
		}
	}
	delete(d.sessObjs, od.id)
	if d.app.objects[od.id] == od {
		delete(d.app.objects, od.id)
	}
	if g, ok := d.instances[od.id]; ok {
		closed = append(closed, g)
		delete(d.instances, od.id)
	}
	return closed
}

func valueOr(o obj, k string) any {
	v, _ := o.get(k)
	return v
}

// infoOf is an object's qInfo.
func infoOf(od *objData) obj {
	if v, ok := od.props.get("qInfo"); ok {
		if o, ok := v.(obj); ok {
			return o
		}
	}
	return obj{{"qId", od.id}, {"qType", od.typ}}
}

// metaOf is what real engines put in qMeta of a persisted object.
func (d *Doc) metaOf(od *objData) obj {
	return obj{{"privileges", []string{"read", "update", "delete", "exportdata"}}}
}

var uuidRNG = newPRNG(uint64(time.Now().UnixNano()))
var uuidMu sync.Mutex

// newUUID makes a random version-4 style id for new objects.
func newUUID() string {
	uuidMu.Lock()
	a, b := uuidRNG.next(), uuidRNG.next()
	uuidMu.Unlock()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", uint32(a>>32), uint16(a>>16), uint16(a)&0xfff, uint16(b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}

// localeInfo is GetLocaleInfo's answer (the emulator's fixed locale).
func localeInfo() obj {
	return obj{
		{"qDecimalSep", "."}, {"qThousandSep", ","}, {"qListSep", ","},
		{"qMoneyDecimalSep", "."}, {"qMoneyThousandSep", ","}, {"qCurrentYear", time.Now().UTC().Year()},
		{"qMoneyFmt", "$#,##0.00;-$#,##0.00"}, {"qTimeFmt", "h:mm:ss TT"}, {"qDateFmt", "YYYY-MM-DD"},
		{"qTimestampFmt", "YYYY-MM-DD h:mm:ss[.fff] TT"},
		{"qCalendarStrings", obj{
			{"qDayNames", dayNames},
			{"qMonthNames", monthNames},
			{"qLongDayNames", []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}},
			{"qLongMonthNames", []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}},
		}},
		{"qFirstWeekDay", 0}, {"qBrokenWeeks", false}, {"qReferenceDay", 4}, {"qFirstMonthOfYear", 1},
		{"qCollation", "en-US"},
		{"qNumericalAbbreviation", "3:k;6:M;9:G;12:T;15:P;18:E;21:Z;24:Y;-3:m;-6:μ;-9:n;-12:p;-15:f;-18:a;-21:z;-24:y"},
	}
}

// appLayout is GetAppLayout's qLayout.
func (d *Doc) appLayout() obj {
	a := d.app
	l := obj{
		{"qTitle", a.title}, {"qFileName", a.id},
		{"qLastReloadTime", reloadTime(a.lastReload)},
		{"qModified", false}, {"qHasScript", a.script != ""}, {"qStateNames", d.stateNames()},
		{"qMeta", obj{{"privileges", []string{"read", "update", "delete", "reload", "export"}}}},
		{"qLocaleInfo", localeInfo()},
		{"qHasData", len(d.model.Tables) > 0}, {"qReadOnly", false}, {"qIsOpenedWithoutData", false},
		{"qIsSessionApp", a.session}, {"qProhibitBinaryLoad", false},
		{"qThumbnail", obj{{"qUrl", ""}}}, {"qIsBDILiveMode", false}, {"qUnsupportedFeatures", []string{}},
	}
	for _, m := range a.props {
		if _, ok := l.get(m.K); !ok {
			l = append(l, m)
		}
	}
	return l
}

func reloadTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}

// appProps is GetAppProperties's qProp.
func (d *Doc) appProps() obj {
	a := d.app
	p := obj{{"qTitle", a.title}, {"qLastReloadTime", reloadTime(a.lastReload)}, {"qMigrationHash", ""},
		{"qSavedInProductVersion", ""}, {"qThumbnail", obj{{"qUrl", ""}}}, {"qHasSectionAccess", false}}
	for _, m := range a.props {
		p.set(m.K, m.V)
	}
	return p
}

// tablesAndKeys is GetTablesAndKeys' answer.
func (d *Doc) tablesAndKeys() *Reply {
	m := d.model
	qtr := []any{}
	for ti, t := range m.Tables {
		fields := []any{}
		for c, fi := range t.Fields {
			f := m.Fields[fi]
			distinct := newBitset(len(f.Values))
			nonNull, hasNull := 0, false
			for _, e := range t.Cols[c] {
				if e < 0 {
					hasNull = true
					continue
				}
				nonNull++
				distinct.set(e)
			}
			nd := distinct.count()
			keyType := "NOT_KEY"
			if len(f.Tables) > 1 {
				keyType = "ANY_KEY"
				if nd == t.Rows {
					keyType = "PRIMARY_KEY"
				}
			}
			density := 0.0
			if t.Rows > 0 {
				density = float64(nonNull) / float64(t.Rows) * 100
			}
			subset := 0.0
			if len(f.Values) > 0 {
				subset = float64(nd) / float64(len(f.Values)) * 100
			}
			fields = append(fields, obj{{"qName", f.Name}, {"qOriginalFields", []string{}}, {"qPresent", true},
				{"qHasNull", hasNull}, {"qHasWild", false}, {"qHasDuplicates", nd < nonNull}, {"qIsSynthetic", false},
				{"qInformationDensity", density}, {"qnNonNulls", nonNull}, {"qnRows", t.Rows},
				{"qSubsetRatio", subset}, {"qnTotalDistinctValues", len(f.Values)}, {"qnPresentDistinctValues", nd},
				{"qKeyType", keyType}, {"qComment", ""}, {"qTags", f.Tags()}, {"qDerivedFields", []string{}}})
		}
		qtr = append(qtr, obj{{"qName", t.Name}, {"qLoose", false}, {"qNoOfRows", t.Rows}, {"qFields", fields},
			{"qPos", obj{{"qx", ti * 200}, {"qy", 0}}}, {"qComment", ""}, {"qIsDirectDiscovery", false}, {"qIsSynthetic", false}})
	}
	qk := []any{}
	for _, f := range m.Fields {
		if len(f.Tables) > 1 {
			var names []string
			for _, t := range f.Tables {
				names = append(names, m.Tables[t].Name)
			}
			qk = append(qk, obj{{"qKeyFields", []string{f.Name}}, {"qTables", names}})
		}
	}
	return result("qtr", qtr, "qk", qk)
}

// fieldDescription is GetFieldDescription's qReturn.
func (d *Doc) fieldDescription(fi int) obj {
	f := d.model.Fields[fi]
	var src []string
	for _, t := range f.Tables {
		src = append(src, d.model.Tables[t].Name)
	}
	total := 0
	for _, t := range f.Tables {
		total += d.model.Tables[t].Rows
	}
	return obj{{"qInternalNumber", fi}, {"qName", f.Name}, {"qSrcTables", src}, {"qIsSystem", false},
		{"qIsHidden", false}, {"qIsSemantic", false}, {"qDistinctOnly", false}, {"qCardinal", len(f.Values)},
		{"qTotalCount", total}, {"qIsLocked", d.sel.locked[fi]}, {"qAlwaysOneSelected", false}, {"qAndMode", false},
		{"qIsNumeric", f.numeric}, {"qComment", ""}, {"qTags", f.Tags()}, {"qIsDefinitionOnly", false}, {"qByteSize", len(f.Values) * 16}}
}

// fieldValue is the FieldValue/qValue shape.
type fieldValue struct {
	QText      string `json:"qText"`
	QIsNumeric bool   `json:"qIsNumeric"`
	QNumber    Float  `json:"qNumber"`
}

func numOr0(v Val) float64 {
	if v.IsNum() {
		return v.Num
	}
	return 0
}
