package engine

import (
	"encoding/binary"
	"sort"
)

// cubeGroup is the group of one hypercube row.
type cubeGroup struct {
	c *cubeCtx
	i int
}

func (g cubeGroup) rows(t int) []int32 { return g.c.groupRows(t, g.i) }

// cubeCtx holds the grouping of a hypercube computation.
type cubeCtx struct {
	d      *Doc
	a      *assoc
	dimF   []int
	calcs  []*calcDim // calculated dimensions (nil for field ones)
	base   int
	keys   [][]int32 // per cube row: dim elements
	keyBuf []int32
	index  map[string]int                 // key → cube row (multi-dim)
	index1 []int32                        // elem+1 → cube row (single dim)
	groups map[groupKey][][]int32         // (table, record set) → per cube row rows
	parts  map[partKey]map[string][]int32 // TOTAL <fields> partitions
	ord    *cubeOrder                     // sorted order, once known (inter-record functions)
}

// groupKey names one grouping of a table's records: by the current
// selections (a == cubeCtx.a) or by a set expression's record set.
type groupKey struct {
	t int
	a *assoc
}

// partKey names a grouping by some of the dimensions (TOTAL <fields>).
type partKey struct {
	t    int
	a    *assoc
	dims string
}

func keyString(k []int32) string {
	b := make([]byte, 4*len(k))
	for i, e := range k {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(e))
	}
	return string(b)
}

func (c *cubeCtx) rowOf(k []int32) int {
	if len(k) == 1 {
		if e := int(k[0]) + 1; e >= 0 && e < len(c.index1) {
			return int(c.index1[e])
		}
		return -1
	}
	if i, ok := c.index[keyString(k)]; ok {
		return i
	}
	return -1
}

func (c *cubeCtx) addRow(k []int32) int {
	if len(k) == 1 {
		c.index1[k[0]+1] = int32(len(c.keys))
	} else {
		c.index[keyString(k)] = len(c.keys)
	}
	n := len(c.keyBuf)
	c.keyBuf = append(c.keyBuf, k...)
	c.keys = append(c.keys, c.keyBuf[n:n+len(k):n+len(k)])
	return len(c.keys) - 1
}

// groupRows returns the rows of table t that belong to cube row i under
// the current selections.
func (c *cubeCtx) groupRows(t, i int) []int32 {
	return c.groupRowsScoped(t, i, nil, false, nil)
}

// groupRowsScoped returns the rows of table t, in record set a (nil: the
// current selections), that belong to cube row i: matching all its
// dimensions, none (total) or only those on the fields in keep (TOTAL
// <fields>).
func (c *cubeCtx) groupRowsScoped(t, i int, a *assoc, total bool, keep []int) []int32 {
	if t < 0 {
		return nil
	}
	if a == nil {
		a = c.a
	}
	if len(c.dimF) == 0 || total && len(keep) == 0 {
		return a.activeRows(t)
	}
	if total {
		var dims []int
		for j, fi := range c.dimF {
			if fi >= 0 && containsInt(keep, fi) {
				dims = append(dims, j)
			}
		}
		switch {
		case len(dims) == 0:
			return a.activeRows(t)
		case len(dims) < len(c.dimF):
			return c.partRows(t, i, a, dims)
		}
	}
	g := c.groupsFor(t, a)
	if i < 0 || i >= len(g) {
		return nil
	}
	return g[i]
}

// partRows groups t's records in a by the dimensions dims only and
// returns the group of cube row i.
func (c *cubeCtx) partRows(t, i int, a *assoc, dims []int) []int32 {
	if i < 0 || i >= len(c.keys) {
		return nil
	}
	d32 := make([]int32, len(dims))
	for j, d := range dims {
		d32[j] = int32(d)
	}
	pk := partKey{t, a, keyString(d32)}
	part, ok := c.parts[pk]
	if !ok {
		projs := make([][]int32, len(dims))
		for j, d := range dims {
			projs[j] = c.dimProj(d, t)
		}
		part = map[string][]int32{}
		k := make([]int32, len(dims))
		for _, r := range a.activeRows(t) {
			for j := range projs {
				k[j] = projs[j][r]
			}
			ks := keyString(k)
			part[ks] = append(part[ks], r)
		}
		if c.parts == nil {
			c.parts = map[partKey]map[string][]int32{}
		}
		c.parts[pk] = part
	}
	k := make([]int32, len(dims))
	for j, d := range dims {
		k[j] = c.keys[i][d]
	}
	return part[keyString(k)]
}

// groupsFor groups the rows of table t in record set a by cube row, on
// first use.
func (c *cubeCtx) groupsFor(t int, a *assoc) [][]int32 {
	gk := groupKey{t, a}
	if g, ok := c.groups[gk]; ok {
		return g
	}
	if !c.projectsFunctionally(t) {
		if base := c.groupingBase(); base >= 0 && base != t {
			g := c.groupsViaBase(t, base, a) // model_functional.go
			if c.groups == nil {
				c.groups = map[groupKey][][]int32{}
			}
			c.groups[gk] = g
			return g
		}
	}
	g := make([][]int32, len(c.keys))
	projs := make([][]int32, len(c.dimF))
	for j := range c.dimF {
		projs[j] = c.dimProj(j, t)
	}
	act := a.activeRows(t)
	if len(c.dimF) == 1 {
		// Counting sort by element: two passes, one allocation.
		p := projs[0]
		counts := make([]int32, len(c.keys))
		for _, r := range act {
			if ri := c.index1[p[r]+1]; ri >= 0 {
				counts[ri]++
			}
		}
		off := make([]int32, len(c.keys))
		n := int32(0)
		for ri, cnt := range counts {
			off[ri] = n
			n += cnt
		}
		all := make([]int32, n)
		pos := append([]int32(nil), off...)
		for _, r := range act {
			if ri := c.index1[p[r]+1]; ri >= 0 {
				all[pos[ri]] = r
				pos[ri]++
			}
		}
		for ri := range g {
			g[ri] = all[off[ri] : off[ri]+counts[ri] : off[ri]+counts[ri]]
		}
	} else {
		k := make([]int32, len(c.dimF))
		for _, r := range act {
			for j := range projs {
				k[j] = projs[j][r]
			}
			if ri := c.rowOf(k); ri >= 0 {
				g[ri] = append(g[ri], r)
			}
		}
	}
	if c.groups == nil {
		c.groups = map[groupKey][][]int32{}
	}
	c.groups[gk] = g
	return g
}

// sortKeysByElem puts single-dimension rows in element (load) order.
func sortKeysByElem(c *cubeCtx) {
	sort.Slice(c.keys, func(i, j int) bool { return c.keys[i][0] < c.keys[j][0] })
	for i := range c.index1 {
		c.index1[i] = -1
	}
	for i, k := range c.keys {
		c.index1[k[0]+1] = int32(i)
	}
	c.groups = nil
	c.parts = nil
}

// dimProj maps the rows of table t to the elements of dimension j.
func (c *cubeCtx) dimProj(j, t int) []int32 {
	if cd := c.calcs; cd != nil && cd[j] != nil {
		return cd[j].proj(c.d.model, t)
	}
	return c.d.model.proj(t, c.dimF[j])
}
