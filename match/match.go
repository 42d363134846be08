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

// Places is how many places the gazetteer holds.
func (m *Matcher) Places() int { return len(m.gaz.places) }

// Len returns how many records are held.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.byRef)
}
