package engine

import (
	"math"
	"strings"
)

// Attribute expressions and attribute dimensions (NxDimension and NxMeasure
// qAttributeExpressions / qAttributeDimensions) are computed per cube row,
// over the same records as the row's measures, and travel with each cell
// of their column: qAttrExps.qValues [{qText, qNum}] and qAttrDims.qValues
// [{qText, qElemNo}], in qDataPages of GetLayout and of the data calls.
// The column's qDimensionInfo / qMeasureInfo describes them in
// qAttrExprInfo (min, max, title, format) and qAttrDimInfo (cardinal,
// size, title). Charts use them for colour by expression, bubble sizes,
// table cell styling and colour by dimension.
//
// The emulator treats every attribute as qAttribute true (it never changes
// the number of rows): an attribute dimension shows the row's one value
// (Only), null when the row's records hold none or several.

// attrExprDef is NxAttrExprDef.
type attrExprDef struct {
	QExpression string     `json:"qExpression"`
	QLibraryID  string     `json:"qLibraryId"`
	QLabel      string     `json:"qLabel"`
	QNumFormat  *numFormat `json:"qNumFormat"`
}

// attrDimDef is NxAttrDimDef.
type attrDimDef struct {
	QDef       string `json:"qDef"`
	QLibraryID string `json:"qLibraryId"`
}

// attrValues is a cell's qAttrExps (NxAttributeExpressionValues).
type attrValues struct {
	QValues []attrValue `json:"qValues"`
}

// attrValue is NxSimpleValue; a null value has no qText.
type attrValue struct {
	QText *string `json:"qText,omitempty"`
	QNum  Float   `json:"qNum"`
}

// attrDimValues is a cell's qAttrDims (NxAttributeDimValues).
type attrDimValues struct {
	QValues []attrDimValue `json:"qValues"`
}

// attrDimValue is NxSimpleDimValue: -2 and no text for a null value.
type attrDimValue struct {
	QText   *string `json:"qText,omitempty"`
	QElemNo int     `json:"qElemNo"`
}

// colAttrs are one column's attributes, computed for every cube row (in
// the cube's final row order).
type colAttrs struct {
	exps    [][]Val      // [expression][row]
	expFmt  []*numFormat // explicit formats, nil = automatic
	dims    [][]int32    // [attribute dimension][row]: element, -1 null
	dimVals [][]Val      // [attribute dimension][element]
}

// attrsOf lists the attribute definitions of column c (dimensions first).
func (b *cubeBuild) attrsOf(c int) ([]attrExprDef, []attrDimDef) {
	if c < b.nd {
		dd := b.def.QDimensions[c]
		return dd.QAttributeExpressions, dd.QAttributeDimensions
	}
	md := b.def.QMeasures[c-b.nd]
	return md.QAttributeExpressions, md.QAttributeDimensions
}

// evalAttributes computes every column's attribute expressions and
// dimensions for the sorted rows, and fills the infos' qAttrExprInfo and
// qAttrDimInfo.
func (b *cubeBuild) evalAttributes() {
	ncol := b.nd + b.nm
	for c := 0; c < ncol; c++ {
		exps, dims := b.attrsOf(c)
		if len(exps) == 0 && len(dims) == 0 {
			continue
		}
		if b.cb.attrs == nil {
			b.cb.attrs = make([]*colAttrs, ncol)
		}
		ca := &colAttrs{}
		expInfo := make([]any, 0, len(exps))
		for _, e := range exps {
			vals, info, f := b.attrExpr(e)
			ca.exps = append(ca.exps, vals)
			ca.expFmt = append(ca.expFmt, f)
			expInfo = append(expInfo, info)
		}
		dimInfo := make([]any, 0, len(dims))
		for _, dd := range dims {
			elems, values, info := b.attrDim(dd)
			ca.dims = append(ca.dims, elems)
			ca.dimVals = append(ca.dimVals, values)
			dimInfo = append(dimInfo, info)
		}
		b.cb.attrs[c] = ca
		var info obj
		if c < b.nd && c < len(b.cb.dimInfo) {
			info = b.cb.dimInfo[c]
		} else if c >= b.nd && c-b.nd < len(b.cb.measInfo) {
			info = b.cb.measInfo[c-b.nd]
		}
		if info != nil {
			info.set("qAttrExprInfo", expInfo)
			info.set("qAttrDimInfo", dimInfo)
		}
	}
}

// attrExpr evaluates one attribute expression per row and describes it
// (NxAttrExprInfo).
func (b *cubeBuild) attrExpr(e attrExprDef) ([]Val, obj, *numFormat) {
	expr, label, f := e.QExpression, e.QLabel, e.QNumFormat
	if e.QLibraryID != "" {
		if m, ok := b.d.masterMeasure(e.QLibraryID); ok {
			expr = m.QDef
			if label == "" {
				label = m.QLabel
			}
			if f == nil {
				f = m.QNumFormat
			}
		}
	}
	if !f.explicit() {
		f = nil
	}
	fn, err := b.d.compile(expr, b.sc)
	vals := make([]Val, len(b.rows))
	mn, mx := math.Inf(1), math.Inf(-1)
	integer := true
	for i, r := range b.rows {
		v := nullVal
		if err == nil {
			v = fn(cubeGroup{b.ctx, r.idx})
		}
		vals[i] = v
		if v.IsNum() {
			mn, mx = math.Min(mn, v.Num), math.Max(mx, v.Num)
			integer = integer && v.Num == math.Trunc(v.Num)
		}
	}
	numeric := mn <= mx
	if !numeric {
		mn, mx = math.NaN(), math.NaN()
	}
	title := label
	if title == "" {
		title = expr
	}
	info := obj{{"qMin", Float(mn)}, {"qMax", Float(mx)}, {"qFallbackTitle", title}}
	if numeric {
		info = append(info, member{"qMinText", attrText(numVal(mn), f)}, member{"qMaxText", attrText(numVal(mx), f)})
	}
	if f != nil {
		info = append(info, member{"qNumFormat", obj{{"qType", f.QType}, {"qnDec", f.QnDec}, {"qUseThou", f.QUseThou}, {"qFmt", f.QFmt}, {"qDec", f.QDec}, {"qThou", f.QThou}}}, member{"qIsAutoFormat", false})
	} else {
		info = append(info, member{"qNumFormat", numFormatFor(numeric, integer, false)}, member{"qIsAutoFormat", true})
	}
	return vals, info, f
}

// attrDim finds each row's value of one attribute dimension (a field, or
// an expression with "=") and describes it (NxAttrDimInfo).
func (b *cubeBuild) attrDim(dd attrDimDef) ([]int32, []Val, obj) {
	def := strings.TrimSpace(dd.QDef)
	if dd.QLibraryID != "" {
		if od := b.d.lookupObj(dd.QLibraryID); od != nil && od.kind == "GenericDimension" {
			var master struct {
				QDim struct {
					QFieldDefs []string `json:"qFieldDefs"`
				} `json:"qDim"`
			}
			if decodeInto(od.props, &master) == nil && len(master.QDim.QFieldDefs) > 0 {
				def = master.QDim.QFieldDefs[0]
			}
		}
	}
	calculated := strings.HasPrefix(def, "=")
	name := strings.TrimSpace(strings.TrimPrefix(def, "="))
	var fd *FieldData
	expr := name
	if !calculated {
		field := strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
		if fi := b.m.field(field); fi >= 0 {
			fd = b.m.Fields[fi]
		}
		expr = "[" + field + "]"
	}
	fn, err := b.d.compile("Only("+expr+")", b.sc)
	elems := make([]int32, len(b.rows))
	var values []Val
	index := map[string]int32{}
	for i, r := range b.rows {
		elems[i] = -1
		if err != nil {
			continue
		}
		v := fn(cubeGroup{b.ctx, r.idx})
		if v.Null {
			continue
		}
		if fd != nil {
			if e, ok := fd.index[v.key()]; ok {
				elems[i] = e
			}
			continue
		}
		e, ok := index[v.key()]
		if !ok {
			e = int32(len(values))
			index[v.key()] = e
			values = append(values, v)
		}
		elems[i] = e
	}
	if fd != nil {
		values = fd.Values
	}
	info := obj{{"qCardinal", len(values)}, {"qSize", obj{{"qcx", 1}, {"qcy", len(values)}}}, {"qFallbackTitle", name}, {"qLocked", false}}
	if fd == nil && !calculated || err != nil {
		info = append(info, member{"qError", obj{{"qErrorCode", 7005}}})
	}
	return elems, values, append(info, member{"qIsCalculated", calculated})
}

// attrText is an attribute value's text: its explicit format, else as the
// value shows itself.
func attrText(v Val, f *numFormat) string {
	if f != nil && v.IsNum() {
		return formatPattern(v.Num, f.QFmt, f.QDec, f.QThou)
	}
	return v.Text()
}

// withAttrs adds row r's attribute values of column c to a cell.
func (cb *cube) withAttrs(cell Cell, r, c int) Cell {
	if c >= len(cb.attrs) || cb.attrs[c] == nil {
		return cell
	}
	ca := cb.attrs[c]
	if len(ca.exps) > 0 {
		av := &attrValues{QValues: make([]attrValue, len(ca.exps))}
		for i, vals := range ca.exps {
			v := vals[r]
			if v.Null {
				av.QValues[i] = attrValue{QNum: Float(math.NaN())}
				continue
			}
			t := attrText(v, ca.expFmt[i])
			av.QValues[i] = attrValue{QText: &t, QNum: Float(v.Num)}
		}
		cell.QAttrExps = av
	}
	if len(ca.dims) > 0 {
		dv := &attrDimValues{QValues: make([]attrDimValue, len(ca.dims))}
		for i, elems := range ca.dims {
			e := elems[r]
			if e < 0 {
				dv.QValues[i] = attrDimValue{QElemNo: -2}
				continue
			}
			v := ca.dimVals[i][e]
			if !v.HasStr && v.IsNum() {
				// NxSimpleDimValue: "No text is returned if the
				// attribute expression value is a numeric".
				dv.QValues[i] = attrDimValue{QElemNo: int(e)}
				continue
			}
			t := v.Text()
			dv.QValues[i] = attrDimValue{QText: &t, QElemNo: int(e)}
		}
		cell.QAttrDims = dv
	}
	return cell
}
