package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
)

// defState is per-session state of one hypercube/list object definition
// inside an object: its search and its cached computation.
type defState struct {
	search    string
	searching bool
	cacheGen  uint64
	cacheVer  int
	cube      *cube
	list      *listResult
	hc        *hcDef // decoded definition, valid while hcVer == objData.ver
	hcVer     int
	pivot     *pivotExpansion // expanded pivot nodes (qMode "P")
	modal     bool            // cube computed in selection mode (modal.go)
}

// GenericObject is the QIX GenericObject: stored properties plus this
// session's computed layout.
type GenericObject struct {
	doc  *Doc
	data *objData
	defs map[string]*defState
	soft *softPatches // this session's soft patches (ApplyPatches qSoftPatch)
}

// Type is "GenericObject".
func (g *GenericObject) Type() string {
	if g.data.kind != "" {
		return g.data.kind
	}
	return "GenericObject"
}

// GenericType is qInfo.qType.
func (g *GenericObject) GenericType() string { return g.data.typ }

// GenericID is qInfo.qId.
func (g *GenericObject) GenericID() string { return g.data.id }

func (g *GenericObject) def(path string) *defState {
	if path == "" {
		path = "/"
	}
	st, ok := g.defs[path]
	if !ok {
		st = &defState{}
		g.defs[path] = st
	}
	return st
}

// Call runs a GenericObject method.
func (g *GenericObject) Call(ctx context.Context, method string, p Params) (r *Reply, err error) {
	defer recoverInternal(&err)
	d := g.doc
	defer d.lock()()
	defer d.notifyUndo(&r, d.more.seq)
	if d.lookupObj(g.data.id) != g.data {
		return nil, ErrInvalidHandle
	}
	return g.call(ctx, method, p)
}

func (g *GenericObject) call(ctx context.Context, method string, p Params) (r *Reply, err error) {
	if g.refusedInModal(method) {
		return nil, ErrModalObject
	}
	if method == "EndSelections" || method == "ResetMadeSelections" {
		if g.doc.modal == g {
			g.doc.withState(g.doc.modalSt, func() { r, err = g.callIn(ctx, method, p) })
			return r, err
		}
	}
	if path := pathParam(p); path != "" || method == "BeginSelections" {
		st := g.stateAt(path)
		if method == "BeginSelections" {
			var paths []string
			_ = args(p, "qPaths", &paths)
			if len(paths) > 0 {
				st = g.stateAt(paths[0])
			}
			g.doc.modalSt = st
		}
		g.doc.withState(st, func() { r, err = g.callIn(ctx, method, p) })
		return r, err
	}
	return g.callIn(ctx, method, p)
}

// callIn runs a GenericObject method in the current selection state.
func (g *GenericObject) callIn(ctx context.Context, method string, p Params) (*Reply, error) {
	d := g.doc
	switch method {
	case "GetLayout":
		l, err := g.layout(ctx)
		if err != nil {
			return nil, err
		}
		d.noteLayout(g.data)
		return result("qLayout", l), nil
	case "GetProperties":
		return result("qProp", g.data.props), nil
	case "GetEffectiveProperties":
		return result("qProp", g.effectiveProps()), nil
	case "GetInfo":
		return result("qInfo", infoOf(g.data)), nil
	case "GetDimension", "GetMeasure":
		// GenericDimension.GetDimension and GenericMeasure.GetMeasure: the
		// library definition (qDim / qMeasure) of the properties.
		key := map[string]string{"GetDimension": "qDim", "GetMeasure": "qMeasure"}[method]
		if g.data.kind != map[string]string{"GetDimension": "GenericDimension", "GetMeasure": "GenericMeasure"}[method] {
			return nil, ErrMethodNotFound
		}
		def, _ := g.data.props.get(key)
		if def == nil {
			def = obj{}
		}
		return result(key, def), nil
	case "SetProperties":
		o, err := propsArg(p)
		if err != nil {
			return nil, err
		}
		g.setProps(o)
		return g.selfChanged(), nil
	case "ApplyPatches":
		var patches []nxPatch
		var soft bool
		if err := args(p, "qPatches", &patches, "qSoftPatch", &soft); err != nil {
			return nil, err
		}
		ops, err := patchOps(patches)
		if err != nil {
			return nil, err
		}
		if soft {
			return g.applySoft(ops)
		}
		newProps, err := applyPatch(g.data.props, ops)
		if err != nil {
			return nil, &Error{Code: 8, Parameter: err.Error(), Message: "Invalid parameters"}
		}
		g.setProps(newProps)
		return g.selfChanged(), nil
	case "GetFullPropertyTree":
		return result("qPropEntry", d.propTree(g.data)), nil
	case "SetFullPropertyTree":
		var entry propEntry
		if err := args(p, "qPropEntry", &entry); err != nil {
			return nil, err
		}
		return g.setPropTree(entry)
	case "CreateChild":
		var raw json.RawMessage
		if err := args(p, "qProp", &raw); err != nil {
			return nil, err
		}
		od, err := d.createObj(raw, g.data.session, g.data.id)
		if err != nil {
			return nil, err
		}
		c := d.instance(od)
		r := result("qReturn", c, "qInfo", infoOf(od))
		r.Changed = []Object{c, g}
		return r, nil
	case "DestroyChild":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		cd := d.lookupObj(id)
		if cd == nil || cd.parent != g.data.id {
			return result("qSuccess", false), nil
		}
		r := result("qSuccess", true)
		r.Closed = d.destroyObj(cd)
		r.Changed = []Object{g}
		return r, nil
	case "DestroyAllChildren":
		r := result()
		for _, c := range append([]string(nil), g.data.children...) {
			if cd := d.lookupObj(c); cd != nil {
				r.Closed = append(r.Closed, d.destroyObj(cd)...)
			}
		}
		r.Changed = []Object{g}
		return r, nil
	case "GetChildInfos":
		infos := []any{}
		for _, c := range g.data.children {
			if cd := d.lookupObj(c); cd != nil {
				infos = append(infos, infoOf(cd))
			}
		}
		return result("qInfos", infos), nil
	case "GetChild":
		var id string
		if err := args(p, "qId", &id); err != nil {
			return nil, err
		}
		cd := d.lookupObj(id)
		if cd == nil || cd.parent != g.data.id {
			return result("qReturn", notFound), nil
		}
		return result("qReturn", d.instance(cd)), nil
	case "GetParent":
		if pd := d.lookupObj(g.data.parent); pd != nil {
			return result("qReturn", d.instance(pd)), nil
		}
		return result("qReturn", notFound), nil
	case "GetHyperCubeData", "GetListObjectData":
		var path string
		var ps []nxPage
		if err := args(p, "qPath", &path, "qPages", &ps); err != nil {
			return nil, err
		}
		var mx matrix
		if method == "GetHyperCubeData" {
			_, _, cb, err := g.cubeAt(ctx, path)
			if err != nil {
				return nil, err
			}
			mx = cb
		} else {
			def, st, err := g.listDef(path)
			if err != nil {
				return nil, err
			}
			mx = g.listOf(def, st)
		}
		dp, err := pages(mx, ps)
		if err != nil {
			return nil, err
		}
		return result("qDataPages", dp), nil
	case "SelectHyperCubeValues":
		var path string
		var dimNo int
		var vals []int
		var toggle bool
		if err := args(p, "qPath", &path, "qDimNo", &dimNo, "qValues", &vals, "qToggleMode", &toggle); err != nil {
			return nil, err
		}
		def, _, err := g.hcDef(path)
		if err != nil {
			return nil, err
		}
		if dimNo < 0 || dimNo >= len(def.QDimensions) {
			return result("qSuccess", false), nil
		}
		fi, _ := d.dimField(def.QDimensions[dimNo])
		if fi < 0 {
			return result("qSuccess", false), nil
		}
		ok, changed := d.selectIn(fi, elemSet(d, fi, vals), toggle, false)
		return d.selReply(result("qSuccess", ok), changed), nil
	case "SelectHyperCubeCells":
		var path string
		var rowIx, colIx []int
		var soft, deselectOne bool
		if err := args(p, "qPath", &path, "qRowIndices", &rowIx, "qColIndices", &colIx, "qSoftLock", &soft, "qDeselectOnlyOneSelected", &deselectOne); err != nil {
			return nil, err
		}
		def, _, cb, err := g.cubeAt(ctx, path)
		if err != nil {
			return nil, err
		}
		okAll, changedAny := true, false
		for _, c := range colIx {
			if c < 0 || c >= len(def.QDimensions) {
				continue
			}
			fi, _ := d.dimField(def.QDimensions[c])
			if fi < 0 {
				continue
			}
			var elems []int
			for _, r := range rowIx {
				if r >= 0 && r < len(cb.keys) && cb.keys[r][c] >= 0 {
					elems = append(elems, int(cb.keys[r][c]))
				}
			}
			b := elemSet(d, fi, elems)
			if cur, has := d.sel.sel[fi]; deselectOne && has && cur.count() == 1 && cur.equal(b) {
				// Clicking the only selected value again deselects it.
				st := d.sel.clone()
				st.setSel(fi, nil)
				changedAny = d.applySel(st) || changedAny
				continue
			}
			ok, changed := d.selectIn(fi, b, false, soft)
			okAll = okAll && ok
			changedAny = changedAny || changed
		}
		return d.selReply(result("qSuccess", okAll), changedAny), nil
	case "SelectListObjectValues":
		var path string
		var vals []int
		var toggle, soft bool
		if err := args(p, "qPath", &path, "qValues", &vals, "qToggleMode", &toggle, "qSoftLock", &soft); err != nil {
			return nil, err
		}
		fi, err := g.listField(path)
		if err != nil {
			return nil, err
		}
		ok, changed := d.selectIn(fi, elemSet(d, fi, vals), toggle, soft)
		return d.selReply(result("qSuccess", ok), changed), nil
	case "SelectListObjectAll", "SelectListObjectPossible", "SelectListObjectExcluded", "SelectListObjectAlternative":
		var path string
		var soft bool
		if err := args(p, "qPath", &path, "qSoftLock", &soft); err != nil {
			return nil, err
		}
		fi, err := g.listField(path)
		if err != nil {
			return nil, err
		}
		fm := map[string]string{"SelectListObjectAll": "SelectAll", "SelectListObjectPossible": "SelectPossible",
			"SelectListObjectExcluded": "SelectExcluded", "SelectListObjectAlternative": "SelectAlternative"}[method]
		ok, changed, _, err := d.fieldCall(fi, fm, ParamList{soft})
		if err != nil {
			return nil, err
		}
		return d.selReply(result("qSuccess", ok), changed), nil
	case "SearchListObjectFor":
		var path, match string
		if err := args(p, "qPath", &path, "qMatch", &match); err != nil {
			return nil, err
		}
		if _, err := g.listField(path); err != nil {
			return nil, err
		}
		st := g.def(path)
		st.search, st.searching = match, true
		st.list = nil
		r := result("qSuccess", true)
		r.Changed = []Object{g}
		return r, nil
	case "AcceptListObjectSearch":
		var path string
		var toggle, soft bool
		if err := args(p, "qPath", &path, "qToggleMode", &toggle, "qSoftLock", &soft); err != nil {
			return nil, err
		}
		fi, err := g.listField(path)
		if err != nil {
			return nil, err
		}
		st := g.def(path)
		changed := false
		if st.searching {
			b := newBitset(len(d.model.Fields[fi].Values))
			for e, v := range d.model.Fields[fi].Values {
				if searchMatch(st.search, v.Text()) {
					b.set(int32(e))
				}
			}
			st.searching, st.search, st.list = false, "", nil
			if b.count() > 0 {
				_, changed = d.selectIn(fi, b, toggle, soft)
			}
		}
		r := d.selReply(result(), changed)
		if !changed {
			r.Changed = []Object{g}
		}
		return r, nil
	case "AbortListObjectSearch":
		var path string
		if err := args(p, "qPath", &path); err != nil {
			return nil, err
		}
		st := g.def(path)
		st.searching, st.search, st.list = false, "", nil
		r := result()
		r.Changed = []Object{g}
		return r, nil
	case "ClearSelections":
		fields, err := g.pathFieldsArg(p)
		if err != nil {
			return nil, err
		}
		st := d.sel.clone()
		for _, fi := range fields {
			if !st.locked[fi] {
				st.setSel(fi, nil)
			}
		}
		return d.selReply(result(), d.applySel(st)), nil
	case "Lock", "Unlock":
		fields, err := g.pathFieldsArg(p)
		if err != nil {
			return nil, err
		}
		st := d.sel.clone()
		for _, fi := range fields {
			if method == "Lock" {
				if _, has := st.sel[fi]; has {
					st.locked[fi] = true
				}
			} else {
				delete(st.locked, fi)
			}
		}
		return d.selReply(result(), d.applySel(st)), nil
	case "BeginSelections":
		// Another object's selection mode was refused in call; a second
		// BeginSelections of the holder keeps where its mode began.
		if d.modal != g {
			d.modal, d.modalSnap = g, d.sel.clone()
		}
		r := result()
		r.Changed = []Object{g}
		return r, nil
	case "EndSelections":
		var accept bool
		if err := args(p, "qAccept", &accept); err != nil {
			return nil, err
		}
		if d.modal != g {
			return result(), nil
		}
		snap := d.modalSnap
		d.modal, d.modalSnap = nil, nil
		changed := false
		if !accept {
			changed = d.applySel(snap)
		}
		r := d.selReply(result(), changed)
		if !changed {
			r.Changed = []Object{g}
		}
		return r, nil
	case "ResetMadeSelections":
		if d.modal == g && d.modalSnap != nil {
			return d.selReply(result(), d.applySel(d.modalSnap.clone())), nil
		}
		return result(), nil
	}
	return g.callMore(ctx, method, p)
}

// setProps replaces the properties, keeping qInfo.qId.
func (g *GenericObject) setProps(o obj) {
	g.doc.recordUndo(g.data)
	info := infoOf(g.data)
	if v, ok := o.get("qInfo"); ok {
		if io, ok := v.(obj); ok {
			ni := obj{{"qId", g.data.id}}
			for _, m := range io {
				if m.K != "qId" {
					ni = append(ni, m)
				}
			}
			if t, ok := ni.get("qType"); ok {
				g.data.typ = str(t)
			}
			info = ni
		}
	}
	o.del("qInfo")
	g.data.props = append(obj{{"qInfo", info}}, o...)
	g.data.ver++
	g.soft = nil
	for _, st := range g.defs {
		st.cube, st.list = nil, nil
	}
}

// selfChanged is the reply of a property change: the object and its parent.
func (g *GenericObject) selfChanged() *Reply {
	if g.data.kind != "" {
		// Master items feed other objects' hypercubes: all may change.
		g.doc.gen++
		return g.doc.changedAll(result())
	}
	r := result()
	r.Changed = []Object{g}
	if pd := g.doc.lookupObj(g.data.parent); pd != nil {
		r.Changed = append(r.Changed, g.doc.instance(pd))
	}
	return r
}

// applyPatch applies RFC 6902 operations to properties.
func applyPatch(props obj, ops []map[string]any) (obj, error) {
	doc, err := json.Marshal(props)
	if err != nil {
		return nil, err
	}
	pb, err := json.Marshal(ops)
	if err != nil {
		return nil, err
	}
	patch, err := jsonpatch.DecodePatch(pb)
	if err != nil {
		return nil, fmt.Errorf("failed to decode patch: %w", err)
	}
	opts := jsonpatch.NewApplyOptions()
	opts.EnsurePathExistsOnAdd = true
	out, err := patch.ApplyWithOptions(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("failed to apply patch: %w", err)
	}
	return parseObj(out)
}

// propTree is GetFullPropertyTree's entry for an object and its children.
func (d *Doc) propTree(od *objData) obj {
	children := []any{}
	for _, c := range od.children {
		if cd := d.lookupObj(c); cd != nil {
			children = append(children, d.propTree(cd))
		}
	}
	return obj{{"qProperty", od.props}, {"qChildren", children}, {"qEmbeddedSnapshotRef", nil}}
}

func elemSet(d *Doc, fi int, elems []int) bitset {
	n := len(d.model.Fields[fi].Values)
	b := newBitset(n)
	for _, e := range elems {
		if e >= 0 && e < n {
			b.set(int32(e))
		}
	}
	return b
}

func normPath(path string) string {
	if path == "" {
		return "/qHyperCubeDef"
	}
	if !strings.HasPrefix(path, "/") {
		return "/" + path
	}
	return path
}

// hcDef reads the hypercube definition at path.
func (g *GenericObject) hcDef(path string) (*hcDef, *defState, error) {
	path = normPath(path)
	v, ok := getPath(g.effectiveProps(), path)
	if !ok {
		return nil, nil, &Error{Code: 2, Parameter: path, Message: "Object not found"}
	}
	st := g.def(path)
	if st.hc != nil && st.hcVer == g.data.ver {
		return st.hc, st, nil
	}
	var def hcDef
	if err := decodeInto(v, &def); err != nil {
		return nil, nil, invalid(path)
	}
	// Decoding the definition costs more than answering a small cached
	// layout, so it is kept until the properties change; not when it
	// refers to master items, which resolveLibrary writes into it.
	st.hc, st.hcVer = nil, 0
	if !def.usesLibrary() {
		st.hc, st.hcVer = &def, g.data.ver
	}
	return &def, st, nil
}

// listDef reads the list object definition at path.
func (g *GenericObject) listDef(path string) (*listDef, *defState, error) {
	if path == "" {
		path = "/qListObjectDef"
	}
	path = normPath(path)
	v, ok := getPath(g.effectiveProps(), path)
	if !ok {
		return nil, nil, &Error{Code: 2, Parameter: path, Message: "Object not found"}
	}
	var def listDef
	if err := decodeInto(v, &def); err != nil {
		return nil, nil, invalid(path)
	}
	return &def, g.def(path), nil
}

// listField is the field of the list object at path.
func (g *GenericObject) listField(path string) (int, error) {
	def, _, err := g.listDef(path)
	if err != nil {
		return -1, err
	}
	var dd dimDef
	dd.QDef.QFieldDefs = def.QDef.QFieldDefs
	fi, name := g.doc.dimField(dd)
	if fi < 0 {
		return -1, &Error{Code: 2, Parameter: name, Message: "Field not found"}
	}
	return fi, nil
}

// pathFieldsArg reads qPath and qColIndices and resolves them with
// pathFields (ClearSelections, Lock, Unlock).
func (g *GenericObject) pathFieldsArg(p Params) ([]int, error) {
	var path string
	var cols []int
	if err := args(p, "qPath", &path, "qColIndices", &cols); err != nil {
		return nil, err
	}
	return g.pathFields(path, cols)
}

// pathFields lists the fields behind a list object or hypercube path
// (hypercube: the dimensions in cols, all when cols is empty).
func (g *GenericObject) pathFields(path string, cols []int) ([]int, error) {
	if strings.Contains(path, "qListObjectDef") {
		fi, err := g.listField(path)
		if err != nil {
			return nil, err
		}
		return []int{fi}, nil
	}
	def, _, err := g.hcDef(path)
	if err != nil {
		return nil, err
	}
	var out []int
	for i, dd := range def.QDimensions {
		if len(cols) > 0 && !containsInt(cols, i) {
			continue
		}
		if fi, _ := g.doc.dimField(dd); fi >= 0 {
			out = append(out, fi)
		}
	}
	return out, nil
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// cubeOf returns the (cached) cube for a definition.
// cubeAt is the hypercube definition at path with its state and its
// computed cube: what every hypercube data and selection method starts from.
func (g *GenericObject) cubeAt(ctx context.Context, path string) (*hcDef, *defState, *cube, error) {
	def, st, err := g.hcDef(path)
	if err != nil {
		return nil, nil, nil, err
	}
	cb, err := g.cubeOf(ctx, def, st)
	if err != nil {
		return nil, nil, nil, err
	}
	if v, ok := getPath(g.effectiveProps(), normPath(path)); ok {
		if unmet, _ := g.calcCondition(v); unmet {
			cb = cb.uncalculated() // hypercube_cond.go
		}
	}
	return def, st, cb, nil
}

func (g *GenericObject) cubeOf(ctx context.Context, def *hcDef, st *defState) (*cube, error) {
	modal := g.doc.modal == g
	if st.cube != nil && st.cacheGen == g.doc.gen && st.cacheVer == g.data.ver && st.modal == modal {
		return st.cube, nil
	}
	if ctx.Err() != nil {
		return nil, ErrAborted
	}
	if modal {
		st.cube = g.modalCube(def)
	} else {
		st.cube = g.doc.computeCube(def)
	}
	st.cacheGen, st.cacheVer, st.modal = g.doc.gen, g.data.ver, modal
	return st.cube, nil
}

// listOf returns the (cached) list for a definition.
func (g *GenericObject) listOf(def *listDef, st *defState) *listResult {
	if st.list != nil && st.cacheGen == g.doc.gen && st.cacheVer == g.data.ver {
		return st.list
	}
	st.list = g.doc.computeList(def, st)
	st.cacheGen, st.cacheVer = g.doc.gen, g.data.ver
	st.cube = nil
	return st.list
}

// layout computes GetLayout: properties with every definition replaced by
// its computed counterpart, qInfo/qMeta/qSelectionInfo first.
func (g *GenericObject) layout(ctx context.Context) (obj, error) {
	d := g.doc
	l := obj{{"qInfo", infoOf(g.data)}}
	if !g.data.session && !d.app.session {
		l = append(l, member{"qMeta", d.metaOf(g.data)})
	}
	sel := obj{}
	if d.modal == g {
		sel = obj{{"qInSelections", true}, {"qMadeSelections", !d.sel.equal(d.modalSnap)}}
	}
	if g.data.kind == "" {
		l = append(l, member{"qSelectionInfo", sel})
	}
	if g.data.bookmark != nil {
		l = append(l, member{"qBookmark", g.data.bookmarkLayout()})
	}
	eff := g.effectiveProps()
	if g.soft != nil {
		l = append(l, member{"qHasSoftPatches", true})
	}
	for _, m := range eff {
		switch m.K {
		case "qInfo", "qMetaDef":
			continue
		}
		k, v, err := g.layoutMember(ctx, m.K, m.V, "/"+m.K)
		if err != nil {
			return nil, err
		}
		l = append(l, member{k, v})
	}
	return l, nil
}

// layoutMember maps one property to its layout key and value.
func (g *GenericObject) layoutMember(ctx context.Context, k string, v any, path string) (string, any, error) {
	d := g.doc
	switch k {
	case "qHyperCubeDef":
		def, st, err := g.hcDef(path)
		if err != nil {
			return k, v, nil
		}
		var cb *cube
		d.withState(stateOfDef(v, g.stateAt("")), func() { cb, err = g.cubeOf(ctx, def, st) })
		if err != nil {
			return "", nil, err
		}
		l := withClientKeys(g.hcLayout(cb, def, st, path), v) // hypercube_infokeys.go
		d.withState(stateOfDef(v, g.stateAt("")), func() { l = g.hcTitleAndCondition(l, v) })
		return "qHyperCube", l, nil
	case "qListObjectDef":
		def, st, err := g.listDef(path)
		if err != nil {
			return k, v, nil
		}
		var l obj
		d.withState(stateOfDef(v, g.stateAt("")), func() { l = g.listOf(def, st).layout(def) })
		return "qListObject", l, nil
	case "qTreeDataDef":
		def, err := g.treeDefAt(path)
		if err != nil {
			return k, v, nil
		}
		return "qTreeData", g.treeLayout(def), nil // hypercube_tree.go
	case "qSelectionObjectDef":
		var so obj
		d.withState(stateOfDef(v, g.stateAt("")), func() { so = d.selectionObject() })
		return "qSelectionObject", so, nil
	case "qUndoInfoDef":
		return "qUndoInfo", d.undoInfo(), nil
	case "qChildListDef":
		return "qChildList", g.childList(v), nil
	case "qFieldListDef":
		var def fieldListDef
		_ = decodeInto(v, &def)
		return "qFieldList", d.fieldListLayout(def), nil
	case "qVariableListDef", "qAppObjectListDef", "qDimensionListDef", "qMeasureListDef", "qBookmarkListDef":
		nk, nv, _ := g.listDefLayout(k, v)
		return nk, nv, nil
	}
	nv, err := g.layoutValue(ctx, v, path)
	return k, nv, err
}

// layoutValue evaluates expressions inside a property value.
func (g *GenericObject) layoutValue(ctx context.Context, v any, path string) (any, error) {
	switch x := v.(type) {
	case obj:
		if e, ok := x.get("qStringExpression"); ok && len(x) == 1 {
			val, err := g.doc.evalExpr(exprText(e))
			if err != nil {
				return "", nil
			}
			return textOrEmpty(val), nil
		}
		if e, ok := x.get("qValueExpression"); ok && len(x) == 1 {
			val, err := g.doc.evalExpr(exprText(e))
			if err != nil || !val.IsNum() {
				return Float(math.NaN()), nil
			}
			return Float(val.Num), nil
		}
		out := make(obj, 0, len(x))
		for _, m := range x {
			k, nv, err := g.layoutMember(ctx, m.K, m.V, path+"/"+m.K)
			if err != nil {
				return nil, err
			}
			out = append(out, member{k, nv})
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			nv, err := g.layoutValue(ctx, e, fmt.Sprintf("%s/%d", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = nv
		}
		return out, nil
	}
	return v, nil
}

// exprText reads a qStringExpression/qValueExpression value: "=expr" or
// {"qExpr": "=expr"}.
func exprText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case obj:
		return str(valueOr(x, "qExpr"))
	}
	return ""
}

// childList is the qChildList layout: the children's qInfo and the
// qChildListDef.qData paths read from each child's properties.
func (g *GenericObject) childList(def any) obj {
	d := g.doc
	var data obj
	if o, ok := def.(obj); ok {
		if dv, ok := o.get("qData"); ok {
			data, _ = dv.(obj)
		}
	}
	items := []any{}
	for _, c := range g.data.children {
		cd := d.lookupObj(c)
		if cd == nil {
			continue
		}
		qd := obj{}
		ci := d.instance(cd)
		for _, m := range data {
			p := str(m.V)
			val, ok := getPath(cd.props, p)
			if !ok {
				qd = append(qd, member{m.K, nil})
				continue
			}
			lv, _ := ci.layoutValue(context.Background(), val, p)
			qd = append(qd, member{m.K, lv})
		}
		item := obj{{"qInfo", infoOf(cd)}}
		if !cd.session && !d.app.session {
			item = append(item, member{"qMeta", d.metaOf(cd)})
		}
		item = append(item, member{"qData", qd})
		items = append(items, item)
	}
	return obj{{"qItems", items}}
}

// nxPatch is one NxPatch of ApplyPatches: qValue is JSON text.
type nxPatch struct {
	QOp    string `json:"qOp"`
	QPath  string `json:"qPath"`
	QValue string `json:"qValue"`
}

// patchOps turns NxPatches into JSON Patch operations (qValue must be
// valid JSON except for remove).
func patchOps(patches []nxPatch) ([]map[string]any, error) {
	ops := make([]map[string]any, 0, len(patches))
	for _, pt := range patches {
		op := map[string]any{"op": strings.ToLower(pt.QOp), "path": pt.QPath}
		if op["op"] != "remove" {
			if !json.Valid([]byte(pt.QValue)) {
				return nil, invalid("qValue")
			}
			op["value"] = json.RawMessage(pt.QValue)
		}
		ops = append(ops, op)
	}
	return ops, nil
}
