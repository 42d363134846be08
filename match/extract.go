package match

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"talaash"
)

// maxText bounds how much of a message is read: a sighting fits in far less,
// and a pasted novel must not cost more than a moment.
const maxText = 2000

// Extract reads a free-text message ("Seen boy about 8 yrs red shirt at Kanpur
// Central", "ladki 6 saal gulabi frock central station par dekhi") into the
// fields of a record: Gender, Age or AgeMin/AgeMax, Clothes, Marks, Complex,
// Place (the gazetteer's name when recognised) and Lat/Lon of a gazetteer
// place. Clothes and Marks come back as plain English ("red shirt", "mole on
// left cheek"). Fields it cannot find stay empty.
func (m *Matcher) Extract(text string) talaash.Record {
	return m.extract(text)
}

func (m *Matcher) extract(text string) talaash.Record {
	var r talaash.Record
	text = strings.ToValidUTF8(text, " ")
	if len(text) > maxText {
		text = text[:maxText]
		text = strings.ToValidUTF8(text, "")
	}
	v := m.v
	toks := v.tokens(text)
	if len(toks) == 0 {
		return r
	}
	asWritten := v.tokenize(text, false)
	if p, s, e := m.gaz.find(v, toks); p != 0 {
		pl := m.gaz.places[p-1]
		r.Place = pl.en
		r.Lat, r.Lon = talaash.Num(pl.lat), talaash.Num(pl.lon)
		// the place's words are not clothes or marks ("Kala Bacchha", "Lal Imli")
		for i := s; i < e; i++ {
			toks[i], asWritten[i] = ",", ","
		}
	}
	tags := v.tagText(strings.Join(toks, " "), cats(catColour, catGarment, catComplexion, catMark, catPart, catSide,
		catTrait, catGender, catNum, catAgeUnit, catApprox, catYoung, catStop, catNameCue, catNameFill))
	var clothes, marks []string
	for i, t := range tags {
		if t.c != nil && t.c.cat == catGender && r.Gender == "" {
			r.Gender = t.c.name
		}
		if t.c != nil && t.c.cat == catComplexion && r.Complex == "" {
			r.Complex = t.c.en
		}
		if r.Age == nil && r.AgeMin == nil {
			m.readAge(&r, tags, i)
		}
	}
	// tag positions count tokens of the joined text: re-split the words as
	// written the same way so a name keeps its letters' case
	r.Name = m.readName(tags, v.tokenize(strings.Join(asWritten, " "), false), &r)
	if r.Name != "" {
		// the name's words are not slips of clothes or marks
		name := v.tokens(r.Name)
		for i := range tags {
			if tags[i].slip && slices.Contains(name, tags[i].raw) {
				tags[i].c = nil
			}
		}
	}
	// clothes and marks: rebuild each clause from its recognised words, so
	// the structured readers see "red shirt" and "mole left cheek".
	var b strings.Builder
	clause := -1
	kinds := map[uint8]bool{catColour: true, catGarment: true}
	mkinds := map[uint8]bool{catMark: true, catPart: true, catSide: true, catTrait: true}
	var mb strings.Builder
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			clothes = append(clothes, s)
		}
		if s := strings.TrimSpace(mb.String()); s != "" {
			marks = append(marks, s)
		}
		b.Reset()
		mb.Reset()
	}
	for _, t := range tags {
		if t.clause != clause {
			flush()
			clause = t.clause
		}
		if t.c == nil {
			continue
		}
		if kinds[t.c.cat] {
			b.WriteString(t.c.en + " ")
		}
		if mkinds[t.c.cat] {
			mb.WriteString(t.c.en + " ")
		}
	}
	flush()
	if len(clothes) > 0 {
		// normalise through the clothes reader so the text is canonical
		var parts []string
		for _, it := range m.clothes(strings.Join(clothes, ", ")) {
			parts = append(parts, m.itemLabel(it, false))
		}
		r.Clothes = strings.Join(parts, ", ")
	}
	if len(marks) > 0 {
		mk, tr := m.marksOf(strings.Join(marks, ", "))
		var parts []string
		for _, x := range mk {
			parts = append(parts, m.markLabel(x, false))
		}
		for id := uint8(1); id < 16; id++ {
			if tr&(1<<id) != 0 {
				parts = append(parts, v.concept(catTrait, id).label(false))
			}
		}
		r.Marks = strings.Join(parts, ", ")
	}
	return r
}

// readAge sets the age from a number tag at i when the words around it say it
// is an age: "8 yrs", "about 8", "करीब 8 साल", "age 9", "8-10", "aath saal".
func (m *Matcher) readAge(r *talaash.Record, tags []tag, i int) {
	t := tags[i]
	isNum := t.c == nil && t.raw != "" && t.raw[0] >= '0' && t.raw[0] <= '9'
	if t.c != nil && t.c.cat == catNum {
		isNum = true
		t.lo, t.hi = float64(t.c.level), float64(t.c.level)
	}
	if !isNum || t.hi <= 0 || t.hi > 25 || t.lo < 0 {
		return
	}
	near := func(j int) bool {
		if j < 0 || j >= len(tags) || tags[j].clause != t.clause || tags[j].c == nil {
			return false
		}
		c := tags[j].c.cat
		return c == catAgeUnit || c == catApprox || c == catGender || c == catYoung
	}
	unitAfter := i+1 < len(tags) && tags[i+1].c != nil && tags[i+1].c.cat == catAgeUnit
	suffix := t.c == nil && strings.TrimLeft(t.raw, "0123456789.-") != ""
	if !(near(i-1) || unitAfter || suffix) {
		return
	}
	// "to"/"se": "8 to 10 saal"
	if i+2 < len(tags) && tags[i+1].c == nil && (tags[i+1].raw == "to" || tags[i+1].raw == "se" || tags[i+1].raw == "से") {
		if n := tags[i+2]; n.c == nil && n.hi > t.hi && n.hi <= 25 {
			t.hi = n.hi
		}
	}
	if t.lo == t.hi {
		r.Age = talaash.Num(t.lo)
	} else {
		r.AgeMin, r.AgeMax = talaash.Num(t.lo), talaash.Num(t.hi)
	}
}

// itemLabel renders a clothes item.
func (m *Matcher) itemLabel(it uint16, hi bool) string {
	g := m.v.concept(catGarment, uint8(it>>8))
	c := m.v.concept(catColour, uint8(it))
	switch {
	case g != nil && c != nil && hi:
		return agree(c.hi, g.gram) + " " + g.hi
	case g != nil && c != nil:
		return c.en + " " + g.en
	case g != nil:
		return g.label(hi)
	case c != nil:
		return c.label(hi)
	}
	return ""
}

// markLabel renders a mark in plain words (English: "mole on left cheek").
func (m *Matcher) markLabel(x uint16, hi bool) string {
	typ, part, side := unpackMark(x)
	tc, pc, sc := m.v.concept(catMark, typ), m.v.concept(catPart, part), m.v.concept(catSide, side)
	lang := 0
	if hi {
		lang = 1
	}
	tl := tc.label(hi)
	if tl == "" {
		tl = m.v.reasons["mark_generic"][lang]
	}
	switch {
	case pc != nil && sc != nil:
		return m.tmpl("mark_text", lang, tl, sideLabel(sc, pc, hi), pc.label(hi))
	case pc != nil:
		return m.tmpl("mark_text_part", lang, tl, pc.label(hi))
	}
	return tl
}

// sideLabel renders a side for a body part; in Hindi it agrees with the
// part's gender (बाएं गाल, बाईं गर्दन). A side's feminine form is its gram.
func sideLabel(sc, pc *concept, hi bool) string {
	if hi && pc != nil && pc.gram == "f" && sc.gram != "" {
		return sc.gram
	}
	return sc.label(hi)
}

// readName finds a child's name, conservatively: only after a cue ("naam
// Ramesh", "नाम रमेश है", "name is Ramesh"), before one ("Ramesh naam ka
// ladka"), or opening a message that goes on with an age ("Ramesh, 8 saal").
// Words the vocabulary knows are not names, except right after a cue
// ("naam Munni"). words are the tokens as written, aligned with tags' pos.
func (m *Matcher) readName(tags []tag, words []string, r *talaash.Record) string {
	word := func(i int) string {
		if i < 0 || i >= len(tags) || tags[i].n != 1 || tags[i].pos >= len(words) {
			return ""
		}
		return words[tags[i].pos]
	}
	// unknown: a word no category claims as written, of letters only
	// ("Kumar" is only a slip of kamar, a waist)
	unknown := func(i int) bool {
		return i >= 0 && i < len(tags) && (tags[i].c == nil || tags[i].slip) && nameLike(word(i))
	}
	is := func(i int, cat uint8) bool {
		return i >= 0 && i < len(tags) && tags[i].c != nil && tags[i].c.cat == cat
	}
	// a second word joins the name only where the name then clearly ends
	ends := func(i int) bool {
		return i >= len(tags) || tags[i].clause != tags[i-1].clause || is(i, catNameFill) || is(i, catStop)
	}
	join := func(a, b int) string {
		if b >= 0 && unknown(b) && tags[b].clause == tags[a].clause && ends(b+1) {
			return word(a) + " " + word(b)
		}
		return word(a)
	}
	for i := range tags {
		if !is(i, catNameCue) {
			continue
		}
		// "Ramesh naam ka ladka", "रमेश नाम की बच्ची": the pattern is
		// strong enough to take a word the vocabulary knows ("Sonu" ~ sona)
		if is(i+1, catNameFill) && i > 0 && tags[i-1].clause == tags[i].clause && nameLike(word(i-1)) && !function(tags[i-1].c) {
			if unknown(i-2) && tags[i-2].clause == tags[i].clause {
				return word(i-2) + " " + word(i-1)
			}
			return word(i - 1)
		}
		j := i + 1
		for j < len(tags) && j <= i+3 && is(j, catNameFill) {
			j++
		}
		if j >= len(tags) || tags[j].clause > tags[i].clause+1 || !nameLike(word(j)) {
			continue
		}
		if function(tags[j].c) && tags[j].c.cat != catGender {
			continue // "naam nahi pata", "name unknown"; but "naam Munni"
		}
		return join(j, j+1)
	}
	// "Ramesh, 8 saal", "रमेश कुमार, उम्र 8"
	if !unknown(0) || !capitalised(word(0)) {
		return ""
	}
	end := 1
	if unknown(1) && tags[1].clause == 0 && capitalised(word(1)) {
		end = 2
	}
	for k := end; k < len(tags) && k <= end+1; k++ {
		var x talaash.Record
		m.readAge(&x, tags, k)
		if x.Age != nil || x.AgeMin != nil {
			if end == 2 {
				return word(0) + " " + word(1)
			}
			return word(0)
		}
	}
	return ""
}

// function reports whether a recognised word cannot be a name: function
// words, numbers, ages, "boy", "small".
func function(c *concept) bool {
	if c == nil {
		return false
	}
	switch c.cat {
	case catStop, catNameCue, catNameFill, catNum, catAgeUnit, catApprox, catYoung, catGender:
		return true
	}
	return false
}

// nameLike: two to twenty letters, no digits.
func nameLike(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 20
}

// capitalised: a Latin word written with a capital, or a Devanagari word
// (which has no case); an opening word in lower case is too often not a name.
func capitalised(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || isDeva(w)
}
