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
// Place (the gazetteer's name when recognised, else a place written next to
// a cue word as written: "near Bada Chauraha") and Lat/Lon of a gazetteer
// place. Clothes and Marks come back as plain English ("red shirt", "mole on
// left cheek"). Fields it cannot find stay empty. It is the only reader of a
// one-message sighting: the dialog keeps what it returns.
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
	tags := v.tagText(strings.Join(toks, " "), extractCats)
	// tag positions count tokens of the joined text: re-split the words as
	// written the same way so a name or a place keeps its letters' case
	words := v.tokenize(strings.Join(asWritten, " "), false)
	if r.Place == "" {
		// a place the gazetteer does not know, kept as written; its words
		// are then not clothes, marks or a name ("Ganga Barrage")
		jt := v.tokens(strings.Join(toks, " "))
		if s, e := m.cuePlace(jt, tags, words); e > s {
			r.Place = strings.Join(words[s:e], " ")
			for i := s; i < e; i++ {
				jt[i], words[i] = ",", ","
			}
			tags = v.tagText(strings.Join(jt, " "), extractCats)
			words = v.tokenize(strings.Join(words, " "), false)
		}
	}
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
	r.Name = m.readName(tags, words, &r)
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

// extractCats are the categories a sighting's text is read for; place kinds
// are read as such so that "chauraha" or "stall" is not a slip of a number or
// of "small".
var extractCats = cats(catColour, catGarment, catComplexion, catMark, catPart, catSide, catTrait, catGender,
	catNum, catAgeUnit, catApprox, catYoung, catStop, catNameCue, catNameFill, catPlaceKind)

// cuePlace finds a place written next to a cue word ("near Bada Chauraha",
// "गंगा बैराज के पास", "hanuman mandir ke bahar") and returns its token span
// in toks (lower case) and words (as written), aligned with tags' pos. The
// place runs away from the cue over words the vocabulary does not know and
// place kinds ("mandir", "gate"), and stops at the child's description, a
// number or a clause end; a colour or "chhota" joins only before more of
// the place ("Lal Bangla", "Chhota Chauraha"), a number word only before a
// place kind ("Chai Dukan"). A weak cue ("in", "में") counts only when the place
// has a place kind or a capitalised word: "in tears" is no place. Strong
// cues are tried before weak ones, each in reading order.
func (m *Matcher) cuePlace(toks []string, tags []tag, words []string) (start, end int) {
	const (
		other = iota // a comma, a number, a function word
		stop         // a function word, skipped between a cue and its place ("at the")
		place        // unknown, read as a slip, or a place kind
		adj          // a colour or "chhota": part of a place only before more of it ("Lal Bangla")
		num          // a number word: part of a place only before a place kind ("Chai Dukan")
	)
	n := min(len(toks), len(words))
	cls := make([]int, n)
	kind := make([]bool, n)
	clothes := make([]uint8, n) // 1 a slip of a colour or garment, 2 one as written
	for _, t := range tags {
		c := place
		switch {
		case t.c == nil && t.raw != "" && t.raw[0] >= '0' && t.raw[0] <= '9':
			c = other
		case t.c == nil || t.slip:
		case t.c.cat == catPlaceKind:
		case t.c.cat == catStop:
			c = stop
		case t.c.cat == catYoung || t.c.cat == catColour:
			c = adj
		case t.c.cat == catNum:
			c = num
		case function(t.c):
			c = other
		default:
			// the child's description ends the place
			c = other
		}
		for p := t.pos; p < t.pos+t.n && p < n; p++ {
			cls[p] = c
			kind[p] = t.c != nil && t.c.cat == catPlaceKind && !t.slip
			if t.c != nil && (t.c.cat == catColour || t.c.cat == catGarment) {
				clothes[p] = 1
				if !t.slip {
					clothes[p] = 2
				}
			}
		}
	}
	// a slip next to a colour or garment as written is in the clothes
	// ("laal shrt"), not in a place's name ("Ram Lila Maidan")
	for p := range n {
		if clothes[p] == 1 && (p > 0 && clothes[p-1] == 2 || p+1 < n && clothes[p+1] == 2) {
			cls[p] = other
		}
	}
	keys := make([]string, n)
	for i := range n {
		if toks[i] != "," {
			keys[i] = m.v.key(toks[i])
		}
	}
	type cue struct {
		at, end   int
		pre, weak bool
	}
	var cues []cue
	for i := 0; i < n; {
		best := 0
		var bc *concept
		for _, p := range m.v.byKey[keys[i]] {
			if p.c.cat != catPlaceCue || len(p.keys) <= best || i+len(p.keys) > n || !slices.Equal(p.keys, keys[i:i+len(p.keys)]) {
				continue
			}
			best, bc = len(p.keys), p.c
		}
		if bc == nil {
			i++
			continue
		}
		cues = append(cues, cue{at: i, end: i + best, pre: strings.HasPrefix(bc.arg, "pre"), weak: strings.HasSuffix(bc.arg, "weak")})
		i += best
	}
	const most = 5
	for _, weak := range []bool{false, true} {
		for _, c := range cues {
			if c.weak != weak {
				continue
			}
			s, e := c.end, c.end
			if c.pre {
				for skip := 0; s < n && cls[s] == stop && skip < 2; skip++ {
					s++
				}
				e = s
				for e < n && e-s < most && (cls[e] == place || e+1 < n && (cls[e] == adj && cls[e+1] == place || cls[e] == num && kind[e+1])) {
					e++
				}
			} else {
				s, e = c.at, c.at
				for s > 0 && e-s < most && (cls[s-1] == place || s < e && (cls[s-1] == adj || cls[s-1] == num && kind[s])) {
					s--
				}
			}
			if e > s && (!weak || slices.Contains(kind[s:e], true) || titled(words[s:e])) {
				return s, e
			}
		}
	}
	return 0, 0
}

// titled reports a word written with a capital and then small letters
// ("Tilak"), not a message written in capitals throughout.
func titled(ws []string) bool {
	for _, w := range ws {
		r, size := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) && strings.ToUpper(w[size:]) != w[size:] {
			return true
		}
	}
	return false
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
	unit := func(j int) bool { return j < len(tags) && tags[j].c != nil && tags[j].c.cat == catAgeUnit }
	digits := func(j int) bool { return j < len(tags) && tags[j].c == nil && tags[j].hi > t.hi && tags[j].hi <= 25 }
	// "8 to 10 saal", "5 से 7 साल", "8 ya 9"; "6 - 8 saal" comes as two numbers
	to := i+2 < len(tags) && (tags[i+1].c == nil || tags[i+1].c.cat == catStop) &&
		slices.Contains([]string{"to", "se", "से", "or", "ya", "या"}, tags[i+1].raw) && digits(i+2)
	// "a girl of 9"
	of := i > 1 && tags[i-1].raw == "of" && tags[i-1].clause == t.clause && tags[i-2].c != nil &&
		(tags[i-2].c.cat == catGender || tags[i-2].c.cat == catYoung)
	suffix := t.c == nil && strings.TrimLeft(t.raw, "0123456789.-") != ""
	ranged := false
	switch {
	case to && (near(i-1) || unit(i+3)):
		t.hi, ranged = tags[i+2].hi, true
	case t.c == nil && digits(i+1) && unit(i+2):
		t.hi, ranged = tags[i+1].hi, true
	}
	if !(near(i-1) || unit(i+1) || suffix || of || ranged) {
		return
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
	if hi {
		return m.markText(x, langHi)
	}
	return m.markText(x, langEn)
}

// markText renders a mark in a language of reasons.csv; Hinglish puts the
// English words in its own order ("left cheek par mole").
func (m *Matcher) markText(x uint16, lang int) string {
	typ, part, side := unpackMark(x)
	tc, pc, sc := m.v.concept(catMark, typ), m.v.concept(catPart, part), m.v.concept(catSide, side)
	hi := lang == langHi
	tl := tc.label(hi)
	if tl == "" {
		tl = m.tmpl("mark_generic", lang)
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
