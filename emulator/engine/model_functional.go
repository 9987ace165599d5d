package engine

// functional reports whether every row of table from reaches at most one
// row of table to along the link path rowMap follows. When it does not (a
// hop goes from the "one" side of a link to its "many" side, e.g. Regions
// to Customers), rowMap keeps the first match only, so grouping from's
// rows by a field of to would give each from row to one of its matches
// and leave the others without it. The hypercube groups such tables
// through its base table instead (cubeCtx.groupsFor).
func (m *Model) functional(from, to int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if from == to {
		return true
	}
	key := [2]int{from, to}
	if f, ok := m.funcs[key]; ok {
		return f
	}
	f := m.functionalLocked(from, to)
	if m.funcs == nil {
		m.funcs = map[[2]int]bool{}
	}
	m.funcs[key] = f
	return f
}

// functionalLocked is functional without the cache (m.mu held).
func (m *Model) functionalLocked(from, to int) bool {
	prev, via := m.tablePath(from, to)
	if prev[to] == -2 {
		return true // not linked: nothing to map
	}
	for t := to; prev[t] >= 0; t = prev[t] {
		if !m.uniqueKeys(t, via[t]) {
			return false
		}
	}
	return true
}

// uniqueKeys reports whether field fi holds each value at most once in
// table t (m.mu held).
func (m *Model) uniqueKeys(t, fi int) bool {
	col := m.Tables[t].col(fi)
	seen := newBitset(len(m.Fields[fi].Values))
	for _, e := range col {
		if e < 0 {
			continue
		}
		if seen.has(e) {
			return false
		}
		seen.set(e)
	}
	return true
}

// projectsFunctionally reports whether each row of table t maps to one
// element of every field dimension (calculated dimensions are taken as
// they project).
func (c *cubeCtx) projectsFunctionally(t int) bool {
	m := c.d.model
	for _, fi := range c.dimF {
		if fi < 0 || m.Tables[t].col(fi) != nil || len(m.Fields[fi].Tables) == 0 {
			continue
		}
		if !m.functional(t, m.Fields[fi].Tables[0]) {
			return false
		}
	}
	return true
}

// groupsViaBase groups the rows of table t in record set a by cube row
// through table base (see groupingBase): a row of t belongs to every cube row one of its
// linked base rows belongs to (once each), as the engine associates a
// customer's region with every customer of that region.
func (c *cubeCtx) groupsViaBase(t, base int, a *assoc) [][]int32 {
	bg := c.groupsFor(base, a)
	rm := c.d.model.rowMap(base, t)
	active := newBitset(c.d.model.Tables[t].Rows)
	for _, r := range a.activeRows(t) {
		active.set(r)
	}
	seen := newBitset(c.d.model.Tables[t].Rows)
	g := make([][]int32, len(c.keys))
	for ri, rows := range bg {
		for _, r := range rows {
			tr := rm[r]
			if tr < 0 || !active.has(tr) || seen.has(tr) {
				continue
			}
			seen.set(tr)
			g[ri] = append(g[ri], tr)
		}
		for _, tr := range g[ri] {
			seen.unset(tr)
		}
	}
	return g
}

// functionalBase keeps the base table when its rows map to one element of
// every dimension, else picks the first of the measures' tables that does,
// else the first dimension field's table that does: rows enumerated or
// grouped from a table on the "one" side of a link would reach only the
// first row on its "many" side.
func (c *cubeCtx) functionalBase(tables []int) int {
	if c.base < 0 || c.projectsFunctionally(c.base) {
		return c.base
	}
	for _, t := range tables {
		if t >= 0 && c.projectsFunctionally(t) {
			return t
		}
	}
	m := c.d.model
	for _, fi := range c.dimF {
		if fi >= 0 && len(m.Fields[fi].Tables) > 0 && c.projectsFunctionally(m.Fields[fi].Tables[0]) {
			return m.Fields[fi].Tables[0]
		}
	}
	return c.base
}

// groupingBase is the table other tables group through when they do not
// map to one element of every dimension: the base table when it does,
// else the first dimension field's table that does; -1 when none.
func (c *cubeCtx) groupingBase() int {
	if c.base >= 0 && c.projectsFunctionally(c.base) {
		return c.base
	}
	m := c.d.model
	for _, fi := range c.dimF {
		if fi >= 0 && len(m.Fields[fi].Tables) > 0 && c.projectsFunctionally(m.Fields[fi].Tables[0]) {
			return m.Fields[fi].Tables[0]
		}
	}
	return -1
}
