package engine

import (
	"fmt"
	"math"
	"strings"
)

// sortCriteria is NxSortCriteria.
type sortCriteria struct {
	QSortByState      int `json:"qSortByState"`
	QSortByFrequency  int `json:"qSortByFrequency"`
	QSortByNumeric    int `json:"qSortByNumeric"`
	QSortByAscii      int `json:"qSortByAscii"`
	QSortByLoadOrder  int `json:"qSortByLoadOrder"`
	QSortByExpression int `json:"qSortByExpression"`
	QExpression       struct {
		QV string `json:"qv"`
	} `json:"qExpression"`
}

// nxPage is NxPage.
type nxPage struct {
	QLeft   int `json:"qLeft"`
	QTop    int `json:"qTop"`
	QWidth  int `json:"qWidth"`
	QHeight int `json:"qHeight"`
}

// dimDef is NxDimension (inline definitions only).
type dimDef struct {
	QLibraryID string `json:"qLibraryId"`
	QDef       struct {
		QFieldDefs     []string       `json:"qFieldDefs"`
		QFieldLabels   []string       `json:"qFieldLabels"`
		QSortCriterias []sortCriteria `json:"qSortCriterias"`
		QReverseSort   bool           `json:"qReverseSort"`
		QGrouping      string         `json:"qGrouping"` // "H": a drill-down group (drilldown.go)
	} `json:"qDef"`
	QNullSuppression      bool          `json:"qNullSuppression"`
	QAttributeExpressions []attrExprDef `json:"qAttributeExpressions"`
	QAttributeDimensions  []attrDimDef  `json:"qAttributeDimensions"`
}

// measDef is NxMeasure.
type measDef struct {
	QLibraryID string `json:"qLibraryId"`
	QDef       struct {
		QDef         string     `json:"qDef"`
		QLabel       string     `json:"qLabel"`
		QReverseSort bool       `json:"qReverseSort"`
		QNumFormat   *numFormat `json:"qNumFormat"`
	} `json:"qDef"`
	QSortBy               sortCriteria  `json:"qSortBy"`
	QAttributeExpressions []attrExprDef `json:"qAttributeExpressions"`
	QAttributeDimensions  []attrDimDef  `json:"qAttributeDimensions"`
}

// hcDef is HyperCubeDef (straight mode).
type hcDef struct {
	QStateName            string    `json:"qStateName"`
	QDimensions           []dimDef  `json:"qDimensions"`
	QMeasures             []measDef `json:"qMeasures"`
	QInterColumnSortOrder []int     `json:"qInterColumnSortOrder"`
	QSuppressZero         bool      `json:"qSuppressZero"`
	QSuppressMissing      bool      `json:"qSuppressMissing"`
	QInitialDataFetch     []nxPage  `json:"qInitialDataFetch"`
	QMode                 string    `json:"qMode"`
}

// Cell is NxCell as real engines write it in qMatrix.
type Cell struct {
	QText        string `json:"qText"`
	QNum         Float  `json:"qNum"`
	QElemNumber  int    `json:"qElemNumber"`
	QState       string `json:"qState"`
	QIsNull      bool   `json:"qIsNull,omitempty"`
	QIsTotalCell bool   `json:"qIsTotalCell,omitempty"`
	QFrequency   string `json:"qFrequency,omitempty"`
	// QAttrExps and QAttrDims are the row's attribute values of the
	// cell's column (hypercube_attrs.go).
	QAttrExps *attrValues    `json:"qAttrExps,omitempty"`
	QAttrDims *attrDimValues `json:"qAttrDims,omitempty"`
}

// dataPage is NxDataPage.
type dataPage struct {
	QMatrix [][]Cell `json:"qMatrix"`
	QTails  []obj    `json:"qTails"`
	QArea   nxPage   `json:"qArea"`
}

// cube is a computed straight hypercube: every row, sorted, as dimension
// elements and measure values; cells are made only for requested pages.
type cube struct {
	keys     [][]int32
	vals     []Val
	fmts     []*numFormat // explicit measure formats (nil = automatic)
	nd, nm   int
	dimF     []int
	dfd      []*FieldData
	m        *Model
	a        *assoc
	dimInfo  []obj
	measInfo []obj
	grand    []Cell
	effSort  []int
	errMsg   string
	attrs    []*colAttrs // per column, nil without attributes (hypercube_attrs.go)
}

// numFormatFor is the auto number format of a column.
func numFormatFor(numeric, integer, date bool) obj {
	switch {
	case date:
		return obj{{"qType", "D"}, {"qnDec", 0}, {"qUseThou", 0}, {"qFmt", "YYYY-MM-DD"}, {"qDec", "."}, {"qThou", ","}}
	case numeric && integer:
		// No qThou for integers: both recorded real layouts omit it.
		return obj{{"qType", "I"}, {"qnDec", 0}, {"qUseThou", 1}, {"qFmt", "###0"}, {"qDec", "."}}
	case numeric:
		return obj{{"qType", "R"}, {"qnDec", 0}, {"qUseThou", 0}, {"qFmt", "##############"}, {"qDec", "."}, {"qThou", ","}}
	}
	return obj{{"qType", "U"}, {"qnDec", 0}, {"qUseThou", 0}}
}

// dimField resolves a dimension's field ("Field", "[Field]" or "=Field");
// a drill-down group resolves the level it shows (drilldown.go).
func (d *Doc) dimField(def dimDef) (int, string) {
	if len(def.QDef.QFieldDefs) == 0 {
		return -1, ""
	}
	fd := def.QDef.QFieldDefs[d.drillLevel(def)]
	return d.fieldOfDef(fd), fd
}

func orN(s string) string {
	if s == "" {
		return "N"
	}
	return s
}

// dimInfo is NxDimensionInfo for a field dimension or list object.
func (d *Doc) dimInfo(fi int, labels []string, def string, glyph int, sortInd string, hcCard int, mn, mx float64, a *assoc) obj {
	return dimInfoOf(d.model.Fields[fi], a.counts(fi), labels, def, glyph, sortInd, hcCard, mn, mx)
}

// dimInfoOf is NxDimensionInfo from a symbol table and its state counts.
func dimInfoOf(f *FieldData, counts StateCounts, labels []string, def string, glyph int, sortInd string, hcCard int, mn, mx float64) obj {
	title := f.Name
	if len(labels) > 0 && labels[0] != "" {
		title = labels[0]
	}
	if mn > mx {
		mn, mx = math.NaN(), math.NaN()
	}
	dimType := "D"
	switch {
	case f.isDate:
		dimType = "T"
	case f.numeric:
		dimType = "N"
	}
	if glyph == 0 {
		glyph = f.maxLen
	}
	info := obj{{"qFallbackTitle", title}, {"qApprMaxGlyphCount", glyph}, {"qCardinal", len(f.Values)},
		{"qSortIndicator", orN(sortInd)}, {"qGroupFallbackTitles", []string{title}}, {"qGroupPos", 0},
		{"qStateCounts", counts}, {"qTags", f.Tags()}, {"qDimensionType", dimType}, {"qGrouping", "N"},
		{"qNumFormat", numFormatFor(f.numeric, f.integer, f.isDate)}, {"qIsAutoFormat", true},
		{"qGroupFieldDefs", []string{def}}, {"qMin", Float(mn)}, {"qMax", Float(mx)}}
	if f.numeric {
		info = append(info, member{"qContinuousAxes", true})
	}
	info = append(info, member{"qAttrExprInfo", []any{}}, member{"qAttrDimInfo", []any{}},
		member{"qCardinalities", obj{{"qCardinal", len(f.Values)}, {"qHypercubeCardinal", hcCard}, {"qAllValuesCardinal", -1}}})
	return info
}

// measureCell is a measure value as a cell (qState "L", qElemNumber 0, as
// real engines write measure cells).
func measureCell(v Val) Cell {
	if v.Null {
		return Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: 0, QState: stLocked, QIsNull: true}
	}
	return Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: 0, QState: stLocked}
}

func fill(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func validOrder(o []int, n int) bool {
	if len(o) != n {
		return false
	}
	seen := make([]bool, n)
	for _, c := range o {
		if c < 0 || c >= n || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// stateRank orders states for qSortByState: selected first, excluded last.
func stateRank(s string) int {
	switch s {
	case stLocked, stSelected:
		return 0
	case stOption:
		return 1
	case stAlternative:
		return 2
	case stDeselected:
		return 3
	}
	return 4
}

// cmpNum compares numerically; values without a number sort last.
func cmpNum(a, b Val) int {
	an, bn := a.IsNum(), b.IsNum()
	switch {
	case an && bn:
		switch {
		case a.Num < b.Num:
			return -1
		case a.Num > b.Num:
			return 1
		}
		return 0
	case an:
		return -1
	case bn:
		return 1
	}
	return 0
}

// cmpText compares texts case-insensitively; nulls sort last.
func cmpText(a, b Val) int {
	if a.Null != b.Null {
		if a.Null {
			return 1
		}
		return -1
	}
	x, y := strings.ToLower(a.Text()), strings.ToLower(b.Text())
	if r := strings.Compare(x, y); r != 0 {
		return r
	}
	return strings.Compare(a.Text(), b.Text())
}

// matrix is a table of cells that pages are cut from.
type matrix interface {
	size() (rows, cols int)
	cell(r, c int) Cell
}

func (cb *cube) size() (int, int) { return len(cb.keys), cb.nd + cb.nm }

// cell builds one cell: dimension cells carry element and state, measure
// cells qState "L" and qElemNumber 0 as real engines write them.
func (cb *cube) cell(r, c int) Cell {
	if c < cb.nd {
		e := cb.keys[r][c]
		if e < 0 {
			return cb.withAttrs(Cell{QText: "-", QNum: Float(math.NaN()), QElemNumber: -2, QState: stOption, QIsNull: true}, r, c)
		}
		v := cb.dfd[c].Values[e]
		return cb.withAttrs(Cell{QText: v.Text(), QNum: Float(v.Num), QElemNumber: int(e), QState: dimState(cb.a, cb.dimF[c], e)}, r, c)
	}
	return cb.withAttrs(cb.fmtCell(measureCell(cb.vals[r*cb.nm+c-cb.nd]), c-cb.nd), r, c)
}

// fmtCell applies measure mi's explicit number format to a cell's text.
func (cb *cube) fmtCell(c Cell, mi int) Cell {
	if mi < len(cb.fmts) && cb.fmts[mi] != nil && !c.QIsNull && !math.IsNaN(float64(c.QNum)) {
		f := cb.fmts[mi]
		c.QText = formatPattern(float64(c.QNum), f.QFmt, f.QDec, f.QThou)
	}
	return c
}

// page cuts a page out of a matrix.
func page(mx matrix, p nxPage) dataPage {
	nrows, ncol := mx.size()
	top := min(max(p.QTop, 0), nrows)
	left := min(max(p.QLeft, 0), ncol)
	h := min(max(p.QHeight, 0), nrows-top)
	w := min(max(p.QWidth, 0), ncol-left)
	if w == 0 {
		h = 0
	}
	mat := make([][]Cell, h)
	buf := make([]Cell, h*w)
	for i := 0; i < h; i++ {
		row := buf[i*w : (i+1)*w : (i+1)*w]
		for j := 0; j < w; j++ {
			row[j] = mx.cell(top+i, left+j)
		}
		mat[i] = row
	}
	return dataPage{QMatrix: mat, QTails: []obj{{{"qUp", 0}, {"qDown", 0}}},
		QArea: nxPage{QLeft: left, QTop: top, QWidth: w, QHeight: h}}
}

// maxPageCells is the engine's limit on cells per data page request.
const maxPageCells = 10000

// pages cuts several pages, enforcing the per-request cell limit.
func pages(mx matrix, ps []nxPage) ([]dataPage, error) {
	total := 0
	for _, p := range ps {
		total += max(p.QWidth, 0) * max(p.QHeight, 0)
	}
	if total > maxPageCells {
		return nil, &Error{Code: 7009, Parameter: "", Message: "Calculation pages too large"}
	}
	out := []dataPage{}
	for _, p := range ps {
		out = append(out, page(mx, p))
	}
	return out, nil
}

// layout is the qHyperCube layout of a cube with its initial data pages.
func (cb *cube) layout(def *hcDef) obj {
	ncol := len(def.QDimensions) + len(def.QMeasures)
	dp := []dataPage{}
	total := 0
	for _, p := range def.QInitialDataFetch {
		total += max(p.QWidth, 0) * max(p.QHeight, 0)
	}
	if total <= maxPageCells {
		dp, _ = pages(cb, def.QInitialDataFetch)
	}
	l := obj{}
	if cb.errMsg != "" {
		l = append(l, member{"qError", obj{{"qErrorCode", 7005}, {"qContext", cb.errMsg}}})
	}
	dimInfo := cb.dimInfo
	if dimInfo == nil {
		dimInfo = []obj{}
	}
	measInfo := cb.measInfo
	if measInfo == nil {
		measInfo = []obj{}
	}
	grand := cb.grand
	if grand == nil {
		grand = []Cell{}
	}
	mode := def.QMode
	if mode == "" {
		mode = "S"
	}
	if def.QStateName != "" && def.QStateName != "$" {
		l = append(l, member{"qStateName", def.QStateName})
	}
	l = append(l,
		member{"qSize", obj{{"qcx", ncol}, {"qcy", len(cb.keys)}}},
		member{"qDimensionInfo", dimInfo},
		member{"qMeasureInfo", measInfo},
		member{"qEffectiveInterColumnSortOrder", cb.effSort},
		member{"qGrandTotalRow", grand},
		member{"qDataPages", dp},
		member{"qPivotDataPages", []any{}},
		member{"qStackedDataPages", []any{}},
		member{"qMode", mode},
		member{"qNoOfLeftDims", -1},
		member{"qTreeNodesOnDim", []any{}},
		member{"qColumnOrder", []any{}},
	)
	return l
}

// dimState is the qState of a dimension value; calculated dimensions have
// no selections, so their values are always possible.
func dimState(a *assoc, fi int, e int32) string {
	if fi < 0 {
		return stOption
	}
	return a.state(fi, e)
}

// calcDim is a calculated dimension ("=Year(OrderDate)"): its expression
// evaluated once per row of its base table into a synthetic symbol table.
type calcDim struct {
	fd    *FieldData
	base  int
	elems []int32
}

// proj maps the rows of table t to the calculated dimension's elements.
func (cd *calcDim) proj(m *Model, t int) []int32 {
	if t == cd.base {
		return cd.elems
	}
	rm := m.rowMap(t, cd.base)
	out := make([]int32, len(rm))
	for i, r := range rm {
		out[i] = -1
		if r >= 0 {
			out[i] = cd.elems[r]
		}
	}
	return out
}

// calcDimension builds (and caches on the model) a calculated dimension.
// Its base table is the largest table of the fields it uses.
func (d *Doc) calcDimension(expr string) (*calcDim, error) {
	src := strings.TrimSpace(d.expand(expr))
	if !strings.HasPrefix(src, "=") {
		return nil, fmt.Errorf("not a calculated dimension: %s", expr)
	}
	m := d.model
	m.mu.Lock()
	cd, ok := m.calcs[src]
	m.mu.Unlock()
	if ok {
		return cd, nil
	}
	n, err := parseExpr(src)
	if err != nil {
		return nil, err
	}
	t := baseTable(m, fieldsIn(m, n, nil))
	if t < 0 {
		return nil, fmt.Errorf("calculated dimension uses no field: %s", expr)
	}
	f, err := compileRow(n, rowScopeFor(m, t, d.scope().vr))
	if err != nil {
		return nil, err
	}
	cd = &calcDim{fd: &FieldData{Name: strings.TrimPrefix(expr, "="), index: map[string]int32{}}, base: t, elems: make([]int32, m.Tables[t].Rows)}
	for r := range cd.elems {
		cd.elems[r] = cd.fd.intern(f(int32(r)))
	}
	m.mu.Lock()
	if m.calcs == nil {
		m.calcs = map[string]*calcDim{}
	}
	m.calcs[src] = cd
	m.mu.Unlock()
	return cd, nil
}

// usesLibrary tells whether a dimension or measure refers to a master item.
func (def *hcDef) usesLibrary() bool {
	for _, dd := range def.QDimensions {
		if dd.QLibraryID != "" {
			return true
		}
	}
	for _, md := range def.QMeasures {
		if md.QLibraryID != "" {
			return true
		}
	}
	return false
}

// resolveLibrary replaces master-item references (qLibraryId) in a
// hypercube definition by the dimension's fields and the measure's
// expression stored in the GenericDimension/GenericMeasure.
func (d *Doc) resolveLibrary(def *hcDef) {
	for i := range def.QDimensions {
		dd := &def.QDimensions[i]
		if dd.QLibraryID == "" {
			continue
		}
		od := d.lookupObj(dd.QLibraryID)
		if od == nil || od.kind != "GenericDimension" {
			continue
		}
		var master struct {
			QDim struct {
				QFieldDefs   []string `json:"qFieldDefs"`
				QFieldLabels []string `json:"qFieldLabels"`
			} `json:"qDim"`
		}
		if decodeInto(od.props, &master) == nil && len(master.QDim.QFieldDefs) > 0 {
			dd.QDef.QFieldDefs = master.QDim.QFieldDefs
			if len(dd.QDef.QFieldLabels) == 0 {
				dd.QDef.QFieldLabels = master.QDim.QFieldLabels
			}
		}
	}
	for i := range def.QMeasures {
		md := &def.QMeasures[i]
		if md.QLibraryID == "" {
			continue
		}
		if m, ok := d.masterMeasure(md.QLibraryID); ok {
			md.QDef.QDef = m.QDef
			if md.QDef.QLabel == "" {
				md.QDef.QLabel = m.QLabel
			}
			if md.QDef.QNumFormat == nil {
				md.QDef.QNumFormat = m.QNumFormat
			}
		}
	}
}

// libMeasure is what a master measure lends the measures that name it.
type libMeasure struct {
	QDef       string     `json:"qDef"`
	QLabel     string     `json:"qLabel"`
	QNumFormat *numFormat `json:"qNumFormat"`
}

// masterMeasure is the master measure (GenericMeasure) with library id
// id, for a hypercube measure or an attribute expression that names it by
// qLibraryId; ok is false when there is none or it has no expression.
func (d *Doc) masterMeasure(id string) (libMeasure, bool) {
	od := d.lookupObj(id)
	if od == nil || od.kind != "GenericMeasure" {
		return libMeasure{}, false
	}
	var master struct {
		QMeasure libMeasure `json:"qMeasure"`
	}
	if decodeInto(od.props, &master) != nil || master.QMeasure.QDef == "" {
		return libMeasure{}, false
	}
	return master.QMeasure, true
}
