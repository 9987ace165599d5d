package engine

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"github.com/qix-wasm/qix-wasm/internal/jsonw"
)

// AppendJSON appends v as compact JSON the way the data side writes its
// results (see appendJSON); the protocol side encodes every result value
// with it.
func AppendJSON(b []byte, v any) ([]byte, error) { return appendJSON(b, v) }

// appendJSON appends v as compact JSON. It is the encoder of every result
// the data side produces (layouts, properties, data pages): obj keeps its
// key order, the hot types (cells, data pages, state counts) are written
// directly, and text is not HTML-escaped, as real engines write "<", ">"
// and "&" as they are. Nested values are written in one pass: going
// through encoding/json for each level would re-validate every nested
// object's output once per level above it.
func appendJSON(b []byte, v any) ([]byte, error) {
	// Only the common cases live here: this function recurses, and a small
	// frame keeps goroutine stacks from growing (which showed up as the top
	// cost of small layouts).
	var err error
	switch x := v.(type) {
	case obj:
		b = append(b, '{')
		for i := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, x[i].K)
			b = append(b, ':')
			if b, err = appendJSON(b, x[i].V); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSON(b, x[i]); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case Float:
		return appendNum(b, float64(x)), nil
	}
	return appendOther(b, v)
}

// appendOther writes the less common values of appendJSON.
//
//go:noinline
func appendOther(b []byte, v any) ([]byte, error) {
	var err error
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case []obj:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendJSON(b, e); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		return appendNum(b, x), nil
	case json.Number:
		if x == "" {
			return append(b, '0'), nil
		}
		return append(b, x...), nil
	case json.RawMessage:
		if x == nil {
			return append(b, "null"...), nil
		}
		return append(b, x...), nil
	case []string:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']'), nil
	case []int:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(e), 10)
		}
		return append(b, ']'), nil
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			if b, err = appendJSON(b, x[k]); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case Cell:
		return appendCell(b, &x), nil
	case []Cell:
		return appendCells(b, x), nil
	case [][]Cell:
		return appendMatrix(b, x), nil
	case dataPage:
		return appendPage(b, &x)
	case []dataPage:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendPage(b, &x[i]); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case StateCounts:
		return appendCounts(b, &x), nil
	}
	return appendReflect(b, v)
}

// appendCounts writes NxStateCounts in its field order.
func appendCounts(b []byte, x *StateCounts) []byte {
	b = append(b, `{"qLocked":`...)
	b = strconv.AppendInt(b, int64(x.QLocked), 10)
	b = append(b, `,"qSelected":`...)
	b = strconv.AppendInt(b, int64(x.QSelected), 10)
	b = append(b, `,"qOption":`...)
	b = strconv.AppendInt(b, int64(x.QOption), 10)
	b = append(b, `,"qDeselected":`...)
	b = strconv.AppendInt(b, int64(x.QDeselected), 10)
	b = append(b, `,"qAlternative":`...)
	b = strconv.AppendInt(b, int64(x.QAlternative), 10)
	b = append(b, `,"qExcluded":`...)
	b = strconv.AppendInt(b, int64(x.QExcluded), 10)
	b = append(b, `,"qSelectedExcluded":`...)
	b = strconv.AppendInt(b, int64(x.QSelectedExcluded), 10)
	b = append(b, `,"qLockedExcluded":`...)
	b = strconv.AppendInt(b, int64(x.QLockedExcluded), 10)
	return append(b, '}')
}

// appendReflect writes any other value (structs with json tags, other maps
// and slices) with encoding/json, without HTML escaping.
//
//go:noinline
func appendReflect(b []byte, v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

// appendCell writes one data cell with Cell's keys in its field order.
func appendCell(b []byte, c *Cell) []byte {
	b = append(b, `{"qText":`...)
	b = appendString(b, c.QText)
	b = append(b, `,"qNum":`...)
	b = appendNum(b, float64(c.QNum))
	b = append(b, `,"qElemNumber":`...)
	b = strconv.AppendInt(b, int64(c.QElemNumber), 10)
	b = append(b, `,"qState":`...)
	b = appendString(b, c.QState)
	if c.QAttrExps != nil {
		b = appendAttrExps(b, c.QAttrExps)
	}
	if c.QAttrDims != nil {
		b = appendAttrDims(b, c.QAttrDims)
	}
	if c.QIsNull {
		b = append(b, `,"qIsNull":true`...)
	}
	if c.QIsTotalCell {
		b = append(b, `,"qIsTotalCell":true`...)
	}
	if c.QFrequency != "" {
		b = append(b, `,"qFrequency":`...)
		b = appendString(b, c.QFrequency)
	}
	return append(b, '}')
}

// appendAttrExps writes ,"qAttrExps":{"qValues":[…]} (hypercube_attrs.go).
func appendAttrExps(b []byte, a *attrValues) []byte {
	b = append(b, `,"qAttrExps":{"qValues":[`...)
	for i, v := range a.QValues {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if v.QText != nil {
			b = append(b, `"qText":`...)
			b = appendString(b, *v.QText)
			b = append(b, ',')
		}
		b = append(b, `"qNum":`...)
		b = appendNum(b, float64(v.QNum))
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendAttrDims writes ,"qAttrDims":{"qValues":[…]} (hypercube_attrs.go).
func appendAttrDims(b []byte, a *attrDimValues) []byte {
	b = append(b, `,"qAttrDims":{"qValues":[`...)
	for i, v := range a.QValues {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if v.QText != nil {
			b = append(b, `"qText":`...)
			b = appendString(b, *v.QText)
			b = append(b, ',')
		}
		b = append(b, `"qElemNo":`...)
		b = strconv.AppendInt(b, int64(v.QElemNo), 10)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendCells(b []byte, row []Cell) []byte {
	if row == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range row {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCell(b, &row[i])
	}
	return append(b, ']')
}

func appendMatrix(b []byte, m [][]Cell) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, row := range m {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCells(b, row)
	}
	return append(b, ']')
}

// appendPage writes an NxDataPage in dataPage's field order.
func appendPage(b []byte, p *dataPage) ([]byte, error) {
	var err error
	b = append(b, `{"qMatrix":`...)
	b = appendMatrix(b, p.QMatrix)
	b = append(b, `,"qTails":`...)
	if p.QTails == nil {
		b = append(b, "null"...)
	} else if b, err = appendJSON(b, p.QTails); err != nil {
		return nil, err
	}
	b = append(b, `,"qArea":{"qLeft":`...)
	b = strconv.AppendInt(b, int64(p.QArea.QLeft), 10)
	b = append(b, `,"qTop":`...)
	b = strconv.AppendInt(b, int64(p.QArea.QTop), 10)
	b = append(b, `,"qWidth":`...)
	b = strconv.AppendInt(b, int64(p.QArea.QWidth), 10)
	b = append(b, `,"qHeight":`...)
	b = strconv.AppendInt(b, int64(p.QArea.QHeight), 10)
	return append(b, "}}"...), nil
}

// appendNum writes a number, NaN and ±Inf as real engines' strings.
func appendNum(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return appendFloat(b, f)
}

// appendFloat writes a finite number the way encoding/json does (and real
// engines do): plain digits, exponent only below 1e-6 or from 1e21 on.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendString writes s as a JSON string (jsonw.AppendString: quotes,
// backslashes and control characters escaped, invalid UTF-8 as U+FFFD,
// U+2028/U+2029 escaped, as encoding/json does).
func appendString(b []byte, s string) []byte { return jsonw.AppendString(b, s) }
