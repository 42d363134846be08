// Package match finds, among the open records, those of the other kinds that
// could be the same child: it reads free text in Hindi, English and Hinglish
// into compact features (vocabulary in locales/vocab), scores pairs as summed
// evidence with reasons in both languages, and decides which are strong
// enough to alert the police. A candidate index blocks on side, gender, age
// band and time so a new record is compared with a few thousand records at
// most, however many are held.
package match

import (
	"bytes"
	"io"
	"io/fs"
	"math"
	"sort"
	"sync"

	"talaash"
	"talaash/locales"
)

// Options configure a Matcher.
type Options struct {
	// Places is the gazetteer CSV (key,name_en,name_hi,lat,lon,kind,aliases);
	// nil means the embedded Kanpur gazetteer (locales.Places).
	Places io.Reader
	// Vocab overrides the embedded vocabulary (a tree holding vocab/*.csv).
	Vocab fs.FS
	// Budget is how many held records one Match scores at most through the
	// time-ordered index (the nearest in time first); 0 means 1200.
	Budget int
}

// Matcher holds the active records and matches new ones against them. It
// implements talaash.Matcher and is safe for concurrent use.
type Matcher struct {
	v      *vocab
	gaz    *gazetteer
	budget int

	colourFam, garmentSlot, markFam, partFam [256]uint8

	mu     sync.RWMutex
	recs   []feat
	free   []int32
	byRef  map[string]int32
	blocks [nBlocks]block
	names  [2]map[string][]int32 // given-name key -> records, per side
	marks  [2]map[uint16][]int32 // mark type+part (either side) -> records, per side
	stats  [2]sideStats
}

var _ talaash.Matcher = (*Matcher)(nil)

// sideStats counts features among the held records of one side, for rarity.
type sideStats struct {
	n     int
	items []int32 // by item code
	marks []int32 // by mark code
}

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

// New loads the vocabulary (embedded locales.Vocab unless overridden) and
// the gazetteer.
func New(opts Options) (*Matcher, error) {
	fsys := opts.Vocab
	if fsys == nil {
		fsys = locales.Vocab
	}
	v, err := loadVocab(fsys)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "vocabulary: %v", err)
	}
	places := opts.Places
	if places == nil {
		places = bytes.NewReader(locales.Places)
	}
	g, err := loadGazetteer(places, v)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "places: %v", err)
	}
	m := &Matcher{v: v, gaz: g, budget: opts.Budget, byRef: map[string]int32{}}
	if m.budget <= 0 {
		m.budget = 1200
	}
	for _, c := range v.concepts[catColour] {
		m.colourFam[c.id] = c.family
	}
	for _, c := range v.concepts[catGarment] {
		m.garmentSlot[c.id] = c.family
	}
	for _, c := range v.concepts[catMark] {
		m.markFam[c.id] = c.family
	}
	for _, c := range v.concepts[catPart] {
		m.partFam[c.id] = c.family
	}
	for i := range m.names {
		m.names[i] = map[string][]int32{}
		m.marks[i] = map[uint16][]int32{}
		m.stats[i] = sideStats{items: make([]int32, 1<<16), marks: make([]int32, 1<<16)}
	}
	return m, nil
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
	m.removeLocked(r.Ref)
	var idx int32
	if n := len(m.free); n > 0 {
		idx = m.free[n-1]
		m.free = m.free[:n-1]
		m.recs[idx] = f
	} else {
		idx = int32(len(m.recs))
		m.recs = append(m.recs, f)
	}
	m.byRef[r.Ref] = idx
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
		ps := m.names[side][f.names[0]]
		for j, p := range ps {
			if p == idx {
				ps = append(ps[:j], ps[j+1:]...)
				break
			}
		}
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

// Places is how many places the gazetteer holds.
func (m *Matcher) Places() int { return len(m.gaz.places) }

// Len returns how many records are held.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.byRef)
}

type scored struct {
	s   float64
	idx int32
}

// Match scores r against the held records of the other kinds and returns the
// best k candidates, best first, with reasons and the alert decision. Each
// alert is decided from the sighting's point of view (its own best missing
// records), so a pair alerts the same whichever record arrived last.
func (m *Matcher) Match(r *talaash.Record, k int) []talaash.Candidate {
	if r == nil || k <= 0 || !r.Kind.Valid() || !r.Status.Active() {
		return nil
	}
	q := m.features(r)
	m.mu.RLock()
	defer m.mu.RUnlock()
	top := m.topK(&q, r.Ref, max(k, 2), m.budget) // a runner-up for the alert margin
	out := make([]talaash.Candidate, 0, len(top))
	for _, t := range top {
		c := &m.recs[t.idx]
		mf, sf := &q, c
		if !q.missing {
			mf, sf = c, &q
		}
		e := &explanation{}
		m.score(mf, sf, &m.stats[sideOf(c.missing)], e)
		out = append(out, talaash.Candidate{Missing: mf.ref, Sighting: sf.ref, Score: round3(t.s), Reasons: e.reasons()})
	}
	if q.missing {
		// the alert belongs to the sighting's own ranking
		for i := range out {
			if out[i].Score < AlertThreshold {
				continue
			}
			sf := &m.recs[top[i].idx]
			rank := m.topK(sf, sf.ref, 2, m.budget/3) // the nearest rivals in time suffice
			cs := make([]talaash.Candidate, 0, 3)
			cs = append(cs, out[i])
			for _, x := range rank {
				if m.recs[x.idx].ref != q.ref {
					cs = append(cs, talaash.Candidate{Missing: m.recs[x.idx].ref, Score: round3(x.s)})
				}
			}
			sort.SliceStable(cs, func(a, b int) bool { return cs[a].Score > cs[b].Score })
			Decide(cs)
			out[i].Alert = cs[0].Missing == out[i].Missing && cs[0].Alert
		}
	} else {
		Decide(out)
	}
	if len(out) > k {
		out = out[:k]
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// topK finds the best k held records of the other side for q. The caller
// holds the read lock.
func (m *Matcher) topK(q *feat, self string, k, budget int) []scored {
	side := 1 - sideOf(q.missing)
	stats := &m.stats[side]
	top := make([]scored, 0, k+1)
	selfIdx, held := m.byRef[self]
	if !held {
		selfIdx = -1
	}
	push := func(idx int32) {
		if idx == selfIdx {
			return
		}
		c := &m.recs[idx]
		var s float64
		if q.missing {
			s = m.score(q, c, stats, nil)
		} else {
			s = m.score(c, q, stats, nil)
		}
		if len(top) == k && s <= top[k-1].s {
			return
		}
		for _, t := range top {
			if t.idx == idx {
				return
			}
		}
		i := len(top)
		if i < k {
			top = append(top, scored{})
		} else {
			i = k - 1
		}
		for i > 0 && top[i-1].s < s {
			top[i] = top[i-1]
			i--
		}
		top[i] = scored{s, idx}
	}
	// blocks of a compatible gender and age band
	var curs [2 * 3 * nBands]cursor
	n := 0
	genders := []uint8{0, 1, 2}
	if q.gender != 0 {
		genders = []uint8{0, q.gender}
	}
	loB, hiB := 0, nBands-2
	if q.ageLo >= 0 {
		loB = max(int(math.Floor(float64(q.ageLo)))-bandSpan, 0)
		hiB = min(int(math.Ceil(float64(q.ageHi)))+bandSpan, nBands-2)
	}
	// Records are scanned outward from the query's time in the plausible
	// direction (sightings after the report, reports before the sighting),
	// starting a little on the other side to allow for clock slack.
	fwd := q.missing
	start := q.t
	if fwd {
		start -= slackScan
	} else {
		start += slackScan
	}
	if q.t == 0 {
		fwd, start = false, math.MaxInt64
	}
	addBlock := func(bi int) {
		b := &m.blocks[bi]
		if len(b.ents) == 0 {
			return
		}
		i := sort.Search(len(b.ents), func(i int) bool { return b.ents[i].t >= start })
		if !fwd {
			i--
		}
		curs[n] = cursor{b: b, i: i}
		n++
	}
	for _, g := range genders {
		for bnd := loB; bnd <= hiB; bnd++ {
			addBlock(blockOf(side, g, bnd))
		}
		addBlock(blockOf(side, g, nBands-1))
	}
	for budget > 0 {
		// the cursor whose next record is nearest in time
		best, bestD := -1, int64(math.MaxInt64)
		for c := 0; c < n; c++ {
			cu := &curs[c]
			if cu.i < 0 || cu.i >= len(cu.b.ents) {
				continue
			}
			d := cu.b.ents[cu.i].t - start
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = c, d
			}
		}
		if best < 0 {
			break
		}
		cu := &curs[best]
		push(cu.b.ents[cu.i].idx)
		if fwd {
			cu.i++
		} else {
			cu.i--
		}
		budget--
	}
	// the other direction, just past the slack: a record reported a little
	// late still gets its chance, and a sighting before the report is scored
	// (and penalised) rather than silently missing.
	for c := 0; c < n; c++ {
		b := curs[c].b
		i := sort.Search(len(b.ents), func(i int) bool { return b.ents[i].t >= start })
		for j := 0; j < 16; j++ {
			p := i + j
			if fwd {
				p = i - 1 - j
			}
			if p < 0 || p >= len(b.ents) {
				break
			}
			push(b.ents[p].idx)
		}
	}
	// rare evidence outside the window: the same given name, the same
	// kind of mark on the same body part
	if len(q.names) > 0 {
		if ps := m.names[side][q.names[0]]; len(ps) <= maxPost {
			for _, p := range ps {
				push(p)
			}
		}
	}
	for i, mk := range q.marks() {
		if k, ok := markKey(mk); ok && !seenMarkKey(q.marks()[:i], k) {
			if ps := m.marks[side][k]; len(ps) <= maxPost {
				for _, p := range ps {
					push(p)
				}
			}
		}
	}
	return top
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

type cursor struct {
	b *block
	i int
}
