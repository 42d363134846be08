package match

import (
	"math"
	"strings"
	"unicode/utf8"

	"talaash"
)

// feat is the compact, comparable form of a record: ids into the vocabulary
// instead of text, small slices, no maps, so a million of them stay small.
type feat struct {
	// scalars first: the scan reads these for every candidate, and they
	// share one cache line
	t        int64   // unix seconds, 0 unknown
	ageLo    float32 // -1 unknown
	ageHi    float32
	lat, lon float32 // NaN unknown
	traits   uint16
	place    uint16 // gazetteer index+1
	height   uint16 // cm, 0 unknown
	missing  bool   // the missing side (else sighting or found)
	found    bool   // a found record (police have the child), for the reasons' wording
	gender   uint8  // 0 unknown, 1 male, 2 female
	complex  uint8  // complexion level, 0 unknown
	approx   bool   // the age was a witness's guess ("about 8", a range)
	nItems   uint8
	nMarks   uint8
	// inline, not slices: one less pointer to chase per candidate and to
	// scan per record for the collector
	itemArr [maxItems]uint16 // garment<<8 | colour
	markArr [maxMarks]uint16 // type<<10 | part<<4 | side
	names   []string
	ref     string
	name    string // the name as written, shown in reasons
}

const (
	maxItems = 8 // clothes items kept per record: more is a list, not a child
	maxMarks = 6
)

func (f *feat) items() []uint16 { return f.itemArr[:f.nItems] }
func (f *feat) marks() []uint16 { return f.markArr[:f.nMarks] }

func (f *feat) setItems(its []uint16) {
	f.nItems = uint8(copy(f.itemArr[:], its))
}

func (f *feat) setMarks(mks []uint16) {
	f.nMarks = uint8(copy(f.markArr[:], mks))
}

const (
	sideLeft  = 1
	sideRight = 2
)

func packMark(typ, part, side uint8) uint16 {
	return uint16(typ)<<10 | uint16(part&63)<<4 | uint16(side&15)
}
func unpackMark(m uint16) (typ, part, side uint8) {
	return uint8(m >> 10), uint8(m>>4) & 63, uint8(m & 15)
}

// features turns a record into its comparable form. It reads the structured
// fields first and fills what they lack from the free text.
func (m *Matcher) features(r *talaash.Record) feat {
	f := feat{ref: r.Ref, missing: r.Kind == talaash.KindMissing, found: r.Kind == talaash.KindFound,
		ageLo: -1, ageHi: -1, lat: float32(math.NaN()), lon: float32(math.NaN())}
	f.gender = genderCode(r.Gender)
	if lo, hi, ok := r.Ages(); ok && lo >= 0 && hi < 150 {
		f.ageLo, f.ageHi = float32(lo), float32(hi)
		f.approx = r.Age == nil
	}
	if r.HeightCM != nil && *r.HeightCM > 30 && *r.HeightCM < 250 {
		f.height = uint16(*r.HeightCM)
	}
	if !r.Time.IsZero() {
		f.t = r.Time.Unix()
	}
	if r.Lat != nil && r.Lon != nil && validLatLon(*r.Lat, *r.Lon) {
		f.lat, f.lon = float32(*r.Lat), float32(*r.Lon)
	}
	f.complex = m.complexion(r.Complex)
	f.setItems(m.clothes(r.Clothes))
	mks, traits := m.marksOf(r.Marks)
	f.setMarks(mks)
	f.traits = traits
	f.names = m.nameKeys(r.Name)
	if len(f.names) > 0 {
		f.name = displayName(r.Name)
	}
	if r.Place != "" {
		f.place = uint16(m.gaz.lookup(m.v, r.Place))
	}
	if strings.TrimSpace(r.Text) != "" {
		x := m.extract(r.Text)
		if f.gender == 0 {
			f.gender = genderCode(x.Gender)
		}
		if f.ageLo < 0 {
			if lo, hi, ok := x.Ages(); ok {
				f.ageLo, f.ageHi, f.approx = float32(lo), float32(hi), true
			}
		}
		if f.complex == 0 {
			f.complex = m.complexion(x.Complex)
		}
		if f.nItems == 0 {
			f.setItems(m.clothes(x.Clothes))
		}
		if f.nMarks == 0 && f.traits == 0 {
			mks, traits := m.marksOf(x.Marks)
			f.setMarks(mks)
			f.traits = traits
		}
		if f.place == 0 && x.Place != "" {
			f.place = uint16(m.gaz.lookup(m.v, x.Place))
		}
		if len(f.names) == 0 {
			f.names = m.nameKeys(x.Name)
			if len(f.names) > 0 {
				f.name = displayName(x.Name)
			}
		}
	}
	if f.place != 0 && math.IsNaN(float64(f.lat)) {
		p := m.gaz.places[f.place-1]
		f.lat, f.lon = float32(p.lat), float32(p.lon)
	}
	return f
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && !(lat == 0 && lon == 0) &&
		!math.IsNaN(lat) && !math.IsNaN(lon)
}

func genderCode(g string) uint8 {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "male", "m", "boy":
		return 1
	case "female", "f", "girl":
		return 2
	}
	return 0
}

// complexion reads a complexion text to its level (1 fair .. 4 dark), 0 unknown.
func (m *Matcher) complexion(s string) uint8 {
	if s == "" {
		return 0
	}
	var lv uint8
	for _, t := range m.v.tagText(s, cats(catComplexion)) {
		if t.c != nil && t.c.level > 0 {
			lv = uint8(t.c.level) // the last word wins: "dark brown" is a phrase, "bahut gora" ends in gora
		}
	}
	return lv
}

// clothes reads a clothes text to items of (garment, colour): each garment
// takes the colours said just before it in the same clause ("red and blue
// shirt"), or just after it ("shirt red"); a colour with no garment is kept as
// an item of unknown garment.
func (m *Matcher) clothes(s string) []uint16 {
	if s == "" {
		return nil
	}
	var items []uint16
	var pending []uint8
	clause := -1
	lastGarment := -1 // index in items of a garment still waiting for a colour
	flush := func() {
		for _, c := range pending {
			if lastGarment >= 0 && items[lastGarment]&0xff == 0 {
				items[lastGarment] |= uint16(c)
				lastGarment = -1
				continue
			}
			items = appendItem(items, uint16(c))
		}
		pending = pending[:0]
	}
	start := 0       // first item of the clause
	unknown := false // an unknown word since the last pending colour
	for _, t := range m.v.tagText(s, cats(catColour, catGarment, catStop)) {
		if t.clause != clause {
			flush()
			clause, lastGarment, start, unknown = t.clause, -1, len(items), false
		}
		if t.c == nil {
			// "kaala kurtey aur safed jeans": a colour followed by a word
			// not known is most likely the colour of that word, a garment
			// the vocabulary lacks; it does not wait for the next garment
			unknown = len(pending) > 0 && t.raw != "" && (t.raw[0] < '0' || t.raw[0] > '9')
			continue
		}
		switch t.c.cat {
		case catColour:
			if unknown {
				flush()
				unknown = false
			}
			pending = append(pending, t.c.id)
		case catGarment:
			unknown = false
			g := uint16(t.c.id) << 8
			if len(pending) == 0 {
				// "school ki vardi", "salwar suit": the garment named twice
				// in one clause is one garment
				if j := garmentAt(items[start:], t.c.id); j >= 0 {
					if items[start+j]&0xff == 0 {
						lastGarment = start + j
					}
					continue
				}
				items = appendItem(items, g)
				lastGarment = len(items) - 1
			}
			for _, c := range pending {
				items = appendItem(items, g|uint16(c))
			}
			pending = pending[:0]
		}
		if len(items) > 24 {
			break
		}
	}
	flush()
	return items
}

// garmentAt is the index of the first item of garment g, -1 if none.
func garmentAt(items []uint16, g uint8) int {
	for i, it := range items {
		if uint8(it>>8) == g {
			return i
		}
	}
	return -1
}

func appendItem(items []uint16, it uint16) []uint16 {
	for _, x := range items {
		if x == it {
			return items
		}
	}
	return append(items, it)
}

// marksOf reads identifying marks (type, body part, side) and traits. Each
// clause is one mark: "burn mark on right chin", "दाएँ ठुड्डी पर जले का निशान",
// "left gardan par til".
func (m *Matcher) marksOf(s string) ([]uint16, uint16) {
	if s == "" {
		return nil, 0
	}
	var marks []uint16
	var traits uint16
	var typ, part, side uint8
	clause := -1
	emit := func() {
		if typ != 0 || part != 0 {
			mk := packMark(typ, part, side)
			dup := false
			for _, x := range marks {
				dup = dup || x == mk
			}
			if !dup && len(marks) < 16 {
				marks = append(marks, mk)
			}
		}
		typ, part, side = 0, 0, 0
	}
	for _, t := range m.v.tagText(s, cats(catMark, catPart, catSide, catTrait)) {
		if t.clause != clause {
			emit()
			clause = t.clause
		}
		if t.c == nil {
			continue
		}
		switch t.c.cat {
		case catMark:
			if typ != 0 && t.c.name == "scar" && m.markFam[typ] == m.markFam[t.c.id] {
				continue // "jalne ka daag": the generic word names the burn already read
			}
			if typ != 0 && part != 0 {
				emit()
			}
			typ = t.c.id
		case catPart:
			if part != 0 && typ != 0 {
				emit()
			}
			part = t.c.id
		case catSide:
			side = t.c.id
		case catTrait:
			if t.c.id < 16 {
				traits |= 1 << t.c.id
			}
		}
	}
	emit()
	return marks, traits
}

// nameKeys folds a name to phonetic keys of its words, given name first.
func (m *Matcher) nameKeys(s string) []string {
	if s == "" {
		return nil
	}
	var ks []string
	for _, t := range m.v.tokens(s) {
		if t == "," {
			continue
		}
		if k := m.v.nameKey(t); k != "" && len(ks) < 3 {
			ks = append(ks, k)
		}
	}
	return ks
}

// displayName is a name as written, spaces tidied and clipped, for reasons.
func displayName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		i := 60
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	return s
}

// nameSim scores how alike two name keys are: 1 same, 0.8 same consonants or
// one slip, 0 different.
func nameSim(a, b string) float64 {
	if a == b {
		return 1
	}
	if len(a) == 0 || len(b) == 0 || a[0] != b[0] {
		return 0 // names rarely slip on their first sound; this keeps scoring cheap
	}
	n := len(a)
	if len(b) > n {
		n = len(b)
	}
	if bud := fuzzyBudget(n); bud > 0 && lev(a, b, bud) <= bud {
		return 0.8
	}
	if len(a) >= 3 && len(b) >= 3 && a[0] == b[0] && sameSkeleton(a, b) {
		return 0.8
	}
	return 0
}
