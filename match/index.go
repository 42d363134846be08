package match

import (
	"math"
	"sort"

	"talaash"
)

const (
	nBands  = 27 // ages 0..25 by year, and unknown
	nBlocks = 2 * 3 * nBands
	maxPost = 256 // a given name or mark held more often is not rare evidence
	// bandSpan is how many years either side of its age a query looks:
	// three covers witnesses' usual error, and records further off score
	// too low (-2.25 and down) to rank; the budget then reaches further in
	// time (measured with the dev file buried in 100k synthetic records:
	// span 3 and budget 1200 find as many true pairs as span 5 and 1500)
	bandSpan  = 3
	slackScan = 2 * 86400
)

// block is one cell of the index: the records of one side, gender and age
// band, sorted by time.
type block struct {
	ents []entry
}

type entry struct {
	t   int64
	idx int32
}

func sideOf(missing bool) int {
	if missing {
		return 0
	}
	return 1
}

func band(lo, hi float32) int {
	if lo < 0 {
		return nBands - 1
	}
	b := int(math.Round(float64(lo+hi) / 2))
	return min(max(b, 0), nBands-2)
}

func blockOf(side int, gender uint8, b int) int {
	return (side*3+int(gender))*nBands + b
}

// Add indexes r (again, if its ref is held); a record that is not active, or
// of no known kind, is removed instead.
func (m *Matcher) Add(r *talaash.Record) {
	if r == nil || r.Ref == "" {
		return
	}
	if !r.Status.Active() || !r.Kind.Valid() {
		m.Remove(r.Ref)
		return
	}
	f := m.features(r)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.insertLocked(r.Ref, f)
}

// insertLocked indexes f under ref, replacing what ref held.
func (m *Matcher) insertLocked(ref string, f feat) {
	m.removeLocked(ref)
	var idx int32
	if n := len(m.free); n > 0 {
		idx = m.free[n-1]
		m.free = m.free[:n-1]
		m.recs[idx] = f
	} else {
		idx = int32(len(m.recs))
		m.recs = append(m.recs, f)
	}
	m.byRef[ref] = idx
	side := sideOf(f.missing)
	b := &m.blocks[blockOf(side, f.gender, band(f.ageLo, f.ageHi))]
	// records mostly arrive in time order: insert from the end
	i := len(b.ents)
	for i > 0 && b.ents[i-1].t > f.t {
		i--
	}
	b.ents = append(b.ents, entry{})
	copy(b.ents[i+1:], b.ents[i:])
	b.ents[i] = entry{t: f.t, idx: idx}
	if len(f.names) > 0 {
		m.names[side][f.names[0]] = append(m.names[side][f.names[0]], idx)
	}
	for i, mk := range f.marks() {
		if k, ok := markKey(mk); ok && !seenMarkKey(f.marks()[:i], k) {
			m.marks[side][k] = append(m.marks[side][k], idx)
		}
	}
	st := &m.stats[side]
	st.n++
	for _, it := range f.items() {
		st.items[it]++
	}
	for _, mk := range f.marks() {
		st.marks[mk]++
	}
}

// Remove drops the record with this ref.
func (m *Matcher) Remove(ref string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.removeLocked(ref)
}

func (m *Matcher) removeLocked(ref string) {
	idx, ok := m.byRef[ref]
	if !ok {
		return
	}
	f := &m.recs[idx]
	side := sideOf(f.missing)
	b := &m.blocks[blockOf(side, f.gender, band(f.ageLo, f.ageHi))]
	i := sort.Search(len(b.ents), func(i int) bool { return b.ents[i].t >= f.t })
	for ; i < len(b.ents); i++ {
		if b.ents[i].idx == idx {
			b.ents = append(b.ents[:i], b.ents[i+1:]...)
			break
		}
	}
	if len(f.names) > 0 {
		ps := dropPosting(m.names[side][f.names[0]], idx)
		if len(ps) == 0 {
			delete(m.names[side], f.names[0])
		} else {
			m.names[side][f.names[0]] = ps
		}
	}
	for i, mk := range f.marks() {
		if k, ok := markKey(mk); ok && !seenMarkKey(f.marks()[:i], k) {
			m.marks[side][k] = dropPosting(m.marks[side][k], idx)
			if len(m.marks[side][k]) == 0 {
				delete(m.marks[side], k)
			}
		}
	}
	st := &m.stats[side]
	st.n--
	for _, it := range f.items() {
		st.items[it]--
	}
	for _, mk := range f.marks() {
		st.marks[mk]--
	}
	delete(m.byRef, ref)
	*f = feat{}
	m.free = append(m.free, idx)
}

// markKey is the index key of a mark: its type and body part, either side
// (witnesses confuse left and right); marks without both are not indexed.
func markKey(mk uint16) (uint16, bool) {
	typ, part, _ := unpackMark(mk)
	return packMark(typ, part, 0), typ != 0 && part != 0
}

func seenMarkKey(before []uint16, k uint16) bool {
	for _, x := range before {
		if kx, ok := markKey(x); ok && kx == k {
			return true
		}
	}
	return false
}

func dropPosting(ps []int32, idx int32) []int32 {
	for j, p := range ps {
		if p == idx {
			return append(ps[:j], ps[j+1:]...)
		}
	}
	return ps
}
