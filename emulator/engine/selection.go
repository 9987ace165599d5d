package engine

import "math/bits"

// bitset is a fixed-size set of small integers (element or row numbers);
// selection propagation works on these instead of strings.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func fullBitset(n int) bitset {
	b := newBitset(n)
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] = (1 << uint(r)) - 1
	}
	return b
}

func (b bitset) has(i int32) bool {
	return i >= 0 && int(i>>6) < len(b) && b[i>>6]&(1<<(uint(i)&63)) != 0
}
func (b bitset) set(i int32)   { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) unset(i int32) { b[i>>6] &^= 1 << (uint(i) & 63) }
func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}
func (b bitset) clone() bitset { return append(bitset(nil), b...) }
func (b bitset) equal(o bitset) bool {
	if len(b) != len(o) {
		return false
	}
	for i := range b {
		if b[i] != o[i] {
			return false
		}
	}
	return true
}

// and intersects b with o in place and reports whether b changed.
func (b bitset) and(o bitset) bool {
	ch := false
	for i := range b {
		n := b[i] & o[i]
		if n != b[i] {
			b[i], ch = n, true
		}
	}
	return ch
}

// each calls fn for every member in increasing order.
func (b bitset) each(fn func(i int32)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(int32(wi*64 + t))
			w &= w - 1
		}
	}
}

// selState is one session's selections in one state: per field the selected
// elements (absent = no selection) and the lock flags, plus the order in
// which fields got their selections (qSelections order).
type selState struct {
	sel    map[int]bitset
	locked map[int]bool
	order  []int
}

func newSelState() *selState {
	return &selState{sel: map[int]bitset{}, locked: map[int]bool{}}
}

func (s *selState) clone() *selState {
	c := newSelState()
	for k, v := range s.sel {
		c.sel[k] = v.clone()
	}
	for k, v := range s.locked {
		c.locked[k] = v
	}
	c.order = append([]int(nil), s.order...)
	return c
}

// equal reports whether two states select the same values.
func (s *selState) equal(o *selState) bool {
	if len(s.sel) != len(o.sel) {
		return false
	}
	for k, v := range s.sel {
		if w, ok := o.sel[k]; !ok || !v.equal(w) {
			return false
		}
	}
	for k, v := range s.locked {
		if v != o.locked[k] {
			return false
		}
	}
	for k, v := range o.locked {
		if v != s.locked[k] {
			return false
		}
	}
	return true
}

// setSel replaces the selection of field fi (nil or empty clears it).
func (s *selState) setSel(fi int, b bitset) {
	if b == nil || b.count() == 0 {
		delete(s.sel, fi)
		for i, f := range s.order {
			if f == fi {
				s.order = append(s.order[:i:i], s.order[i+1:]...)
				break
			}
		}
		return
	}
	if _, ok := s.sel[fi]; !ok {
		s.order = append(s.order, fi)
	}
	s.sel[fi] = b
}

// assoc is the result of propagating a selection state through the model:
// possible elements per field and active rows per table. nil entries mean
// "everything" (no selections at all).
type assoc struct {
	m         *Model
	possible  []bitset
	active    []bitset
	alt       map[int]bitset // alternatives of selected fields
	st        *selState
	rowsCache map[int][]int32
	shown     map[int]bitset // selections shown in qState but not applied (modal.go)
}

// propagate computes which values stay possible given the selections
// (ignoring field skip, -1 for none). It is a semi-join reduction over the
// table graph: a table's rows are kept when they match the selections in
// its own fields and the key values coming from every neighbouring subtree
// that holds a selection. Subtrees without selections do not restrict, so a
// customer without orders stays possible when its region is selected, as in
// Qlik. A field's possible values are those seen in the kept rows of its
// tables.
func propagate(m *Model, st *selState, skip int) (possible, active []bitset) {
	possible = make([]bitset, len(m.Fields))
	active = make([]bitset, len(m.Tables))
	sel := map[int]bitset{}
	for fi, b := range st.sel {
		if fi != skip {
			sel[fi] = b
		}
	}
	if len(sel) == 0 {
		for fi, f := range m.Fields {
			possible[fi] = fullBitset(len(f.Values))
		}
		for ti, t := range m.Tables {
			active[ti] = fullBitset(t.Rows)
		}
		return possible, active
	}
	p := &propagation{m: m, sel: sel, memo: map[[2]int]bitset{}, done: map[[2]int]bool{}, visiting: map[[2]int]bool{}}
	for ti, t := range m.Tables {
		if rows := p.rowsOK(ti, -1); rows != nil {
			active[ti] = rows
		} else {
			active[ti] = fullBitset(t.Rows)
		}
	}
	for fi, f := range m.Fields {
		if m.looseOnly(fi) {
			possible[fi] = looseValues(f, sel[fi])
			continue
		}
		b := newBitset(len(f.Values))
		for _, ti := range f.Tables {
			if m.loose[ti] {
				continue // a loosely coupled table relays nothing
			}
			col := m.Tables[ti].col(fi)
			active[ti].each(func(r int32) {
				if e := col[r]; e >= 0 {
					b.set(e)
				}
			})
		}
		possible[fi] = b
	}
	return possible, active
}

// propagation memoises the row sets a table offers to one neighbour.
type propagation struct {
	m        *Model
	sel      map[int]bitset
	memo     map[[2]int]bitset
	done     map[[2]int]bool
	visiting map[[2]int]bool
}

// rowsOK returns the rows of table u that satisfy the selections in its
// fields and the constraints from every neighbour except table from; nil
// when nothing constrains u.
func (p *propagation) rowsOK(u, from int) bitset {
	if p.m.loose[u] {
		return nil // loosely coupled: no logic between its fields
	}
	key := [2]int{u, from}
	if p.done[key] {
		return p.memo[key]
	}
	if p.visiting[key] {
		return nil // cycle in the table graph: stop here
	}
	p.visiting[key] = true
	defer delete(p.visiting, key)
	t := p.m.Tables[u]
	var rows bitset
	filter := func(col []int32, allowed bitset) {
		if rows == nil {
			rows = fullBitset(t.Rows)
		}
		for r, e := range col {
			if !allowed.has(e) {
				rows.unset(int32(r))
			}
		}
	}
	for c, fi := range t.Fields {
		if b, ok := p.sel[fi]; ok {
			filter(t.Cols[c], b)
		}
	}
	seen := map[int]bool{u: true}
	if from >= 0 {
		seen[from] = true
	}
	for _, fi := range t.Fields {
		for _, v := range p.m.Fields[fi].Tables {
			if seen[v] {
				continue
			}
			seen[v] = true
			vr := p.rowsOK(v, u)
			if vr == nil {
				continue
			}
			// Every field u and v share restricts u to the values v keeps.
			vt := p.m.Tables[v]
			for c, k := range t.Fields {
				vc := vt.col(k)
				if vc == nil {
					continue
				}
				allowed := newBitset(len(p.m.Fields[k].Values))
				vr.each(func(r int32) {
					if e := vc[r]; e >= 0 {
						allowed.set(e)
					}
				})
				filter(t.Cols[c], allowed)
			}
		}
	}
	p.memo[key] = rows
	p.done[key] = true
	return rows
}

// computeAssoc propagates st and works out the alternatives of every
// selected field (values that would be possible without that field's own
// selection).
func computeAssoc(m *Model, st *selState) *assoc {
	a := &assoc{m: m, st: st, alt: map[int]bitset{}}
	a.possible, a.active = propagate(m, st, -1)
	for fi := range st.sel {
		p, _ := propagate(m, st, fi)
		a.alt[fi] = p[fi]
	}
	return a
}

// Selection states of a field value (qState).
const (
	stLocked           = "L"
	stSelected         = "S"
	stOption           = "O"
	stDeselected       = "D"
	stAlternative      = "A"
	stExcluded         = "X"
	stSelectedExcluded = "XS"
	stLockedExcluded   = "XL"
)

// state returns the qState of element e of field fi.
func (a *assoc) state(fi int, e int32) string {
	if b, ok := a.shown[fi]; ok {
		return a.shownState(b, fi, e)
	}
	sel, has := a.st.sel[fi]
	poss := a.possible[fi].has(e)
	if has && sel.has(e) {
		if a.st.locked[fi] {
			if poss {
				return stLocked
			}
			return stLockedExcluded
		}
		if poss {
			return stSelected
		}
		return stSelectedExcluded
	}
	if poss && !has {
		return stOption
	}
	if has && a.alt[fi].has(e) && !poss {
		return stAlternative
	}
	return stExcluded
}

// StateCounts is qStateCounts.
type StateCounts struct {
	QLocked           int `json:"qLocked"`
	QSelected         int `json:"qSelected"`
	QOption           int `json:"qOption"`
	QDeselected       int `json:"qDeselected"`
	QAlternative      int `json:"qAlternative"`
	QExcluded         int `json:"qExcluded"`
	QSelectedExcluded int `json:"qSelectedExcluded"`
	QLockedExcluded   int `json:"qLockedExcluded"`
}

// counts tallies the states of every value of field fi.
func (a *assoc) counts(fi int) StateCounts {
	var c StateCounts
	for e := range a.m.Fields[fi].Values {
		switch a.state(fi, int32(e)) {
		case stLocked:
			c.QLocked++
		case stSelected:
			c.QSelected++
		case stOption:
			c.QOption++
		case stAlternative:
			c.QAlternative++
		case stExcluded:
			c.QExcluded++
		case stSelectedExcluded:
			c.QSelectedExcluded++
		case stLockedExcluded:
			c.QLockedExcluded++
		}
	}
	return c
}
