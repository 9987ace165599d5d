package engine

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Val is one dual value (text + number) as the engine keeps it: Num is NaN
// when the value has no numeric part, Null marks a missing value. It is the
// unit both the load script and chart expressions compute with.
type Val struct {
	Str    string
	Num    float64
	HasStr bool
	Null   bool
}

var nullVal = Val{Num: math.NaN(), Null: true}

// numVal makes a purely numeric value.
func numVal(f float64) Val { return Val{Num: f} }

// strVal makes a text value that has no numeric part.
func strVal(s string) Val { return Val{Str: s, HasStr: true, Num: math.NaN()} }

// dualVal makes a value with both representations.
func dualVal(s string, f float64) Val { return Val{Str: s, HasStr: true, Num: f} }

// Text is the value's text the way the engine shows it.
func (v Val) Text() string {
	if v.Null {
		return "-"
	}
	if v.HasStr {
		return v.Str
	}
	return formatNum(v.Num)
}

// IsNum reports whether the value has a numeric part.
func (v Val) IsNum() bool { return !v.Null && !math.IsNaN(v.Num) }

// key is the symbol-table identity of a value: values with the same key are
// the same field value.
func (v Val) key() string {
	if v.HasStr {
		return v.Str
	}
	return formatNum(v.Num)
}

// formatNum writes a number the way list boxes show it by default: integers
// without decimals, others with up to 14 significant digits.
func formatNum(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	s := strconv.FormatFloat(f, 'g', 14, 64)
	if strings.ContainsAny(s, "e") {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return s
}

// Float is a float64 that marshals NaN and ±Inf as the strings real engines
// send ("NaN", "Infinity", "-Infinity"); encoding/json refuses them otherwise.
type Float float64

// MarshalJSON writes the number or its special string.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Infinity"`), nil
	}
	return appendFloat(nil, v), nil
}

// UnmarshalJSON accepts a number or one of the special strings.
func (f *Float) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*f = Float(math.NaN())
		case "Infinity", "+Infinity":
			*f = Float(math.Inf(1))
		case "-Infinity":
			*f = Float(math.Inf(-1))
		default:
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				*f = Float(math.NaN())
				return nil
			}
			*f = Float(v)
		}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// dateEpoch is day 0 of the engine's serial dates (1899-12-30), so that
// 2024-01-01 is 45292 as in Qlik and spreadsheets.
var dateEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialFromTime converts a date to its serial day number.
func serialFromTime(t time.Time) float64 {
	return math.Floor(t.Sub(dateEpoch).Hours()/24 + 0.5)
}

// timeFromSerial converts a serial day number back to a date.
func timeFromSerial(f float64) time.Time {
	return dateEpoch.Add(time.Duration(math.Floor(f)) * 24 * time.Hour)
}

// dateVal is a date dual: text YYYY-MM-DD, number = serial day.
func dateVal(t time.Time) Val {
	return dualVal(t.Format("2006-01-02"), serialFromTime(t))
}

// parseLoaded interprets a text read by LOAD (inline or CSV) the way the
// engine does: numbers become duals keeping their text, ISO dates become
// date duals, anything else stays text. Empty text stays an empty string.
func parseLoaded(s string) Val {
	if s == "" {
		return strVal("")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXnN_") {
		if formatNum(f) == s {
			return numVal(f)
		}
		return dualVal(s, f)
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return dualVal(s, serialFromTime(t))
		}
	}
	return strVal(s)
}

// FieldData is one field of the data model: its symbol table (distinct
// values in load order; the index is qElemNumber) and the tables it lives in.
type FieldData struct {
	Name    string
	Values  []Val
	nums    []float64 // Values[i].Num, for fast aggregation
	index   map[string]int32
	Tables  []int // indices into Model.Tables
	numeric bool  // every value is numeric
	integer bool  // every value is an integer
	hasText bool  // some value has text only
	isDate  bool
	maxLen  int    // longest text, for qApprMaxGlyphCount
	Comment string // COMMENT FIELD
}

// Tags are the qTags real engines compute for a field.
func (f *FieldData) Tags() []string {
	switch {
	case len(f.Values) == 0:
		return []string{}
	case f.isDate:
		return []string{"$numeric", "$integer", "$timestamp", "$date"}
	case f.numeric && f.integer:
		return []string{"$numeric", "$integer"}
	case f.numeric:
		return []string{"$numeric"}
	case f.hasText && !f.numeric:
		return []string{"$ascii", "$text"}
	}
	return []string{}
}

// intern returns the element number of v, adding it to the symbol table.
func (f *FieldData) intern(v Val) int32 {
	if v.Null {
		return -1
	}
	k := v.key()
	if e, ok := f.index[k]; ok {
		return e
	}
	e := int32(len(f.Values))
	f.index[k] = e
	f.Values = append(f.Values, v)
	f.nums = append(f.nums, v.Num)
	isNum := !math.IsNaN(v.Num)
	if e == 0 {
		f.numeric, f.integer, f.isDate = isNum, isNum, isNum && v.HasStr && len(v.Str) == 10 && v.Str[4] == '-'
	} else {
		f.numeric = f.numeric && isNum
		f.integer = f.integer && isNum && v.Num == math.Trunc(v.Num)
		f.isDate = f.isDate && isNum && v.HasStr && len(v.Str) == 10 && v.Str[4] == '-'
	}
	if isNum && v.Num != math.Trunc(v.Num) {
		f.integer = false
	}
	if !isNum {
		f.hasText = true
	}
	if n := len([]rune(v.Text())); n > f.maxLen {
		f.maxLen = n
	}
	return e
}

// TableData is one loaded table: per column the element numbers of its
// field's symbol table (-1 = null).
type TableData struct {
	Name    string
	Fields  []int     // field indices, column order
	Cols    [][]int32 // Cols[c][row]
	Rows    int
	Comment string // COMMENT TABLE
}

// col returns the column of field fi in this table, nil if absent.
func (t *TableData) col(fi int) []int32 {
	for c, f := range t.Fields {
		if f == fi {
			return t.Cols[c]
		}
	}
	return nil
}

// Model is the loaded data of an app. It is immutable after the load that
// built it, so sessions share it; only the lazily built projections are
// guarded by mu.
type Model struct {
	Tables  []*TableData
	Fields  []*FieldData
	byName  map[string]int
	mu      sync.Mutex
	rowMaps map[[2]int][]int32
	projs   map[[2]int][]int32
	calcs   map[string]*calcDim
	loose   map[int]bool    // loosely coupled tables (loose.go)
	funcs   map[[2]int]bool // functional, cached (model_functional.go)
}

// newModel returns an empty model.
func newModel() *Model {
	return &Model{byName: map[string]int{}}
}

// field returns the index of the named field or -1.
func (m *Model) field(name string) int {
	if i, ok := m.byName[name]; ok {
		return i
	}
	return -1
}

// table returns the index of the named table or -1.
func (m *Model) table(name string) int {
	for i, t := range m.Tables {
		if strings.EqualFold(t.Name, name) {
			return i
		}
	}
	return -1
}

// fieldOrNew returns the field called name, creating it.
func (m *Model) fieldOrNew(name string) int {
	if i, ok := m.byName[name]; ok {
		return i
	}
	m.Fields = append(m.Fields, &FieldData{Name: name, index: map[string]int32{}})
	m.byName[name] = len(m.Fields) - 1
	return len(m.Fields) - 1
}

// addTable appends a table built from rows of values. Values are interned
// into the (possibly shared) fields, which is what links tables.
func (m *Model) addTable(name string, cols []string, rows [][]Val) *TableData {
	t := &TableData{Name: name, Rows: len(rows)}
	for c, cn := range cols {
		fi := m.fieldOrNew(cn)
		f := m.Fields[fi]
		f.Tables = append(f.Tables, len(m.Tables))
		col := make([]int32, len(rows))
		for r, row := range rows {
			if c < len(row) {
				col[r] = f.intern(row[c])
			} else {
				col[r] = -1
			}
		}
		t.Fields = append(t.Fields, fi)
		t.Cols = append(t.Cols, col)
	}
	m.Tables = append(m.Tables, t)
	return t
}

// rowMap maps every row of table from to a row of table to reached through
// shared key fields (first matching row at each hop, -1 if none). It is how
// a value of a field in another table is attributed to a fact row.
func (m *Model) rowMap(from, to int) []int32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rowMapLocked(from, to)
}

// tablePath finds the shortest link path from table from to table to (a
// breadth-first search over tables sharing fields): prev[t] is the table
// before t on it (-1 for from, -2 when t was not reached) and via[t] the
// field linking them. rowMap follows it, and functional checks it.
func (m *Model) tablePath(from, to int) (prev, via []int) {
	prev = make([]int, len(m.Tables))
	via = make([]int, len(m.Tables))
	for i := range prev {
		prev[i] = -2
	}
	prev[from] = -1
	queue := []int{from}
	for len(queue) > 0 && prev[to] == -2 {
		t := queue[0]
		queue = queue[1:]
		for _, fi := range m.Tables[t].Fields {
			for _, t2 := range m.Fields[fi].Tables {
				if prev[t2] == -2 {
					prev[t2], via[t2] = t, fi
					queue = append(queue, t2)
				}
			}
		}
	}
	return prev, via
}

func (m *Model) rowMapLocked(from, to int) []int32 {
	key := [2]int{from, to}
	if rm, ok := m.rowMaps[key]; ok {
		return rm
	}
	if m.rowMaps == nil {
		m.rowMaps = map[[2]int][]int32{}
	}
	prev, via := m.tablePath(from, to)
	n := m.Tables[from].Rows
	rm := make([]int32, n)
	if prev[to] == -2 {
		for i := range rm {
			rm[i] = -1
		}
		m.rowMaps[key] = rm
		return rm
	}
	if from == to {
		for i := range rm {
			rm[i] = int32(i)
		}
		m.rowMaps[key] = rm
		return rm
	}
	// One hop from prev[to] to to, composed with the path before it.
	p := prev[to]
	base := m.rowMapLocked(from, p)
	k := via[to]
	srcCol := m.Tables[p].col(k)
	dstCol := m.Tables[to].col(k)
	first := make([]int32, len(m.Fields[k].Values))
	for i := range first {
		first[i] = -1
	}
	for r := len(dstCol) - 1; r >= 0; r-- {
		if e := dstCol[r]; e >= 0 {
			first[e] = int32(r)
		}
	}
	for i := range rm {
		rm[i] = -1
		if pr := base[i]; pr >= 0 {
			if e := srcCol[pr]; e >= 0 {
				rm[i] = first[e]
			}
		}
	}
	m.rowMaps[key] = rm
	return rm
}

// proj returns, for every row of table t, the element number of field fi
// (directly or through associations), -1 when none.
func (m *Model) proj(t, fi int) []int32 {
	if c := m.Tables[t].col(fi); c != nil {
		return c
	}
	m.mu.Lock()
	key := [2]int{t, fi}
	if p, ok := m.projs[key]; ok {
		m.mu.Unlock()
		return p
	}
	m.mu.Unlock()
	f := m.Fields[fi]
	best := -1
	var rm []int32
	for _, t2 := range f.Tables {
		r := m.rowMap(t, t2)
		if best < 0 || (len(r) > 0 && r[0] >= 0) {
			best, rm = t2, r
			break
		}
	}
	p := make([]int32, m.Tables[t].Rows)
	if best < 0 {
		for i := range p {
			p[i] = -1
		}
	} else {
		col := m.Tables[best].col(fi)
		for i := range p {
			p[i] = -1
			if r := rm[i]; r >= 0 {
				p[i] = col[r]
			}
		}
	}
	m.mu.Lock()
	if m.projs == nil {
		m.projs = map[[2]int][]int32{}
	}
	m.projs[key] = p
	m.mu.Unlock()
	return p
}
