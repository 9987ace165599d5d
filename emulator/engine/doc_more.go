package engine

import "context"

// docMore is the per-session Doc state of the methods in the *_more files
// (undo stack, session alternate states, fetch limit): kept in one field so
// the Doc struct changes in one line.
type docMore struct {
	undo       []undoEntry
	redo       []undoEntry
	replaying  bool            // Undo/Redo is changing objects: not recorded
	destroying int             // depth of destroyObj calls (undo.go)
	seq        int             // bumped on every change of the undo or redo stack
	sessState  map[string]bool // alternate states added by AddSessionAlternateState
	fetchLim   int             // SetFetchLimit (debug reloads; kept, not applied)
}

// appMore is the per-app state of the methods in the *_more files
// (connections, favorite variables, script breakpoints, the data model
// viewer's layout): shared by every session of the app like its objects.
type appMore struct {
	conns       []*connection
	favorites   []string
	breakpoints []editorBreakpoint
	viewDlg     obj
	activeSheet string          // the sheet last laid out (appview.go)
	ranks       map[string]int  // SetAppObjectSortingRank (appview.go)
	onTheFly    []fieldOnTheFly // AddFieldFromExpression (fieldsonthefly.go)
}

// callMore runs the Doc methods beyond the core ones in doc.go, each group
// in its own file; ErrMethodNotFound for the rest (which the protocol side
// answers with ErrUnsupported when unsupportedMethods lists them).
func (d *Doc) callMore(ctx context.Context, method string, p Params) (*Reply, error) {
	for _, group := range []func(string, Params) (*Reply, bool, error){
		d.undoCall, d.cloneCall, d.exprCall, d.searchCall, d.dataCall, d.connCall, d.fileBrowseCall, d.bookmarkMoreCall, d.miscCall, d.lineageCall, d.looseCall, d.appViewCall, d.onTheFlyCall,
	} {
		if r, ok, err := group(method, p); ok {
			return r, err
		}
	}
	return nil, ErrMethodNotFound
}

// callMore runs the GenericObject, GenericDimension, GenericMeasure and
// GenericBookmark methods beyond genericobject.go's, then the chart
// extensions (callExt).
func (g *GenericObject) callMore(ctx context.Context, method string, p Params) (*Reply, error) {
	for _, group := range []func(string, Params) (*Reply, bool, error){
		g.objectMoreCall, g.bookmarkObjCall,
	} {
		if r, ok, err := group(method, p); ok {
			return r, err
		}
	}
	switch method {
	case "MultiRangeSelectHyperCubeValues":
		return g.multiRangeSelect(ctx, p)
	case "ExportData":
		return g.exportData(ctx, p) // exportdata.go
	case "DrillUp":
		return g.drillUp(ctx, p) // drilldown.go
	case "GetHyperCubeContinuousData":
		return g.continuousData(ctx, p) // hypercube_continuous.go
	case "GetHyperCubeTreeData":
		return g.treeData(ctx, p) // hypercube_tree.go
	case "MultiRangeSelectTreeDataValues":
		return g.multiRangeSelectTree(ctx, p) // hypercube_tree_select.go
	}
	return g.callExt(ctx, method, p)
}
