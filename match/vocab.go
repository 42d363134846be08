package match

import (
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Categories of the lexicon (locales/vocab/lexicon.csv).
const (
	catNone uint8 = iota
	catColour
	catGarment
	catComplexion
	catMark
	catPart
	catSide
	catTrait
	catGender
	catNum
	catAgeUnit
	catApprox
	catYoung
	catStop
	catNameCue  // "naam", "name", "नाम": a child's name follows (or precedes: "Ramesh naam ka")
	catNameFill // "is", "hai", "का": words between a name cue and the name
	nCats
)

var catNames = map[string]uint8{
	"colour": catColour, "garment": catGarment, "complexion": catComplexion, "mark": catMark,
	"part": catPart, "side": catSide, "trait": catTrait, "gender": catGender, "num": catNum,
	"ageunit": catAgeUnit, "approx": catApprox, "young": catYoung, "stop": catStop,
	"namecue": catNameCue, "namefill": catNameFill,
}

// concept is one entry of the lexicon: a colour, a garment, a body part...
type concept struct {
	cat    uint8
	id     uint8 // index within its category, from 1
	name   string
	arg    string
	family uint8  // colours, marks, parts: a group of near concepts (red ~ maroon)
	level  int    // complexion level, number value
	gram   string // Hindi grammatical gender of a garment's display word: m, f, mp (masculine plural)
	en, hi string
}

// phrase is one surface form of a concept as a sequence of token keys.
type phrase struct {
	keys []string
	c    *concept
	raw  string // a one-word form as written (lower case), to choose between concepts sharing a key
}

// vocab is the loaded lexicon plus the transliteration table.
type vocab struct {
	concepts [nCats][]*concept // by category, index id-1
	exact    map[string][]phrase
	byKey    map[string][]phrase // by key of the first token
	keys     []string            // every single-token key, for fuzzy lookup
	families map[string]uint8
	translit map[rune]trans
	reasons  map[string][2]string
	fuzzy    sync.Map // token -> []phrase cache of fuzzy lookups of unknown words
	forms    []form   // every one-word form as written, for slips of the pen
	multi    []string // first keys of the multi-word phrases
	raw      sync.Map // rawQuery -> *concept cache of rawLookup
}

type trans struct {
	latin string
	typ   byte // v vowel, m matra, n nasal, x virama, z nukta, c consonant, d digit
}

func loadVocab(fsys fs.FS) (*vocab, error) {
	v := &vocab{exact: map[string][]phrase{}, byKey: map[string][]phrase{}, families: map[string]uint8{}, translit: map[rune]trans{}, reasons: map[string][2]string{}}
	rows, err := readCSV(fsys, "vocab/translit.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		ru, _ := utf8.DecodeRuneInString(r[0])
		if utf8.RuneCountInString(r[0]) != 1 {
			// a letter with nukta written as two code points: key on the base
			// letter is handled by dropping the nukta, so skip the pair.
			continue
		}
		v.translit[ru] = trans{latin: r[1], typ: r[2][0]}
	}
	rows, err = readCSV(fsys, "vocab/reasons.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v.reasons[r[0]] = [2]string{r[1], r[2]}
	}
	rows, err = readCSV(fsys, "vocab/lexicon.csv", 4)
	if err != nil {
		return nil, err
	}
	seenKey := map[string]bool{}
	for _, r := range rows {
		cat, ok := catNames[r[0]]
		if !ok {
			return nil, fmt.Errorf("lexicon: unknown category %q", r[0])
		}
		arg, gram, _ := strings.Cut(r[2], "/") // "top/f": slot, then Hindi gender
		c := &concept{cat: cat, name: r[1], arg: arg, gram: gram}
		c.id = uint8(len(v.concepts[cat]) + 1)
		v.concepts[cat] = append(v.concepts[cat], c)
		if len(v.concepts[cat]) > 250 {
			return nil, fmt.Errorf("lexicon: too many %s entries", r[0])
		}
		if arg != "" {
			if n, err := strconv.Atoi(arg); err == nil {
				c.level = n
			}
			fk := r[0] + ":" + arg
			if v.families[fk] == 0 {
				v.families[fk] = uint8(len(v.families) + 1)
			}
			c.family = v.families[fk]
		}
		for _, form := range strings.Split(r[3], "|") {
			form = strings.TrimSpace(form)
			if form == "" {
				continue
			}
			if isDeva(form) {
				if c.hi == "" {
					c.hi = form
				}
			} else if c.en == "" {
				c.en = form
			}
			toks := v.tokens(form)
			if len(toks) == 0 {
				continue
			}
			p := phrase{c: c}
			if len(toks) == 1 {
				p.raw = toks[0]
			}
			for _, t := range toks {
				p.keys = append(p.keys, v.key(t))
			}
			if len(toks) > 1 && !slices.Contains(v.multi, p.keys[0]) {
				v.multi = append(v.multi, p.keys[0])
			}
			if len(toks) == 1 {
				v.forms = appendForm(v.forms, toks[0], c)
				v.exact[toks[0]] = appendPhrase(v.exact[toks[0]], p)
				if !seenKey[p.keys[0]] {
					seenKey[p.keys[0]] = true
					v.keys = append(v.keys, p.keys[0])
				}
			}
			v.byKey[p.keys[0]] = appendPhrase(v.byKey[p.keys[0]], p)
		}
		if c.hi == "" {
			c.hi = c.en
		}
	}
	return v, nil
}

// appendPhrase adds p unless the concept has those keys already; a one-word
// form is kept once per script, so that closest can compare a Devanagari word
// with a Devanagari form (टोपे with टोपी, not with top).
func appendPhrase(ps []phrase, p phrase) []phrase {
	for _, q := range ps {
		if q.c == p.c && strings.Join(q.keys, " ") == strings.Join(p.keys, " ") && isDeva(q.raw) == isDeva(p.raw) {
			return ps
		}
	}
	return append(ps, p)
}

// form is a one-word surface form in the shape typing slips are measured
// on: a typo swaps or drops one letter of the word as written, which may
// change its phonetic key by more ("geren" is one swap from green, two
// edits from its key grin).
type form struct {
	s    string // Latin: spelling-evened; Devanagari: one byte a letter
	w    string // Latin as written (geren is one swap from green, two from grin)
	n    int    // letters as written, before evening out
	deva bool
	c    *concept
}

func appendForm(fs []form, tok string, c *concept) []form {
	f := form{s: formBytes(tok), n: utf8.RuneCountInString(tok), deva: isDeva(tok), c: c}
	if !f.deva {
		f.w = tok
	}
	for _, g := range fs {
		if g == f {
			return fs
		}
	}
	return append(fs, f)
}

// formBytes writes a token for rawLookup: Latin with its commonest spelling
// variants evened out, Devanagari one byte a letter (the block has 128 code
// points), so the byte edit distance counts letters and vowel signs.
func formBytes(tok string) string {
	if !isDeva(tok) {
		return spelling(tok)
	}
	b := make([]byte, 0, len(tok)/3+1)
	for _, r := range tok {
		switch {
		case r >= 0x0900 && r <= 0x097F:
			b = append(b, byte(r-0x0900+0x80))
		case r < 0x80:
			b = append(b, byte(r))
		}
	}
	return string(b)
}

func readCSV(fsys fs.FS, name string, cols int) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseCSV(f, name, cols)
}

func parseCSV(r io.Reader, name string, cols int) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(all) < 1 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	out := all[1:]
	for i, r := range out {
		if len(r) < cols {
			return nil, fmt.Errorf("%s: line %d: want %d fields", name, i+2, cols)
		}
	}
	return out, nil
}

func isDeva(s string) bool {
	for _, r := range s {
		if r >= 0x0900 && r <= 0x097F {
			return true
		}
	}
	return false
}

// label returns a concept's display word in a language.
func (c *concept) label(hi bool) string {
	if c == nil {
		return ""
	}
	if hi {
		return c.hi
	}
	return c.en
}

// agree inflects a Hindi adjective ending in -ा (नीला) to agree with a noun
// of grammatical gender gram: नीली कमीज़, नीले जूते.
func agree(adj, gram string) string {
	base, ok := strings.CutSuffix(adj, "ा")
	if !ok || strings.Contains(adj, " ") {
		return adj
	}
	switch gram {
	case "f":
		return base + "ी"
	case "mp":
		return base + "े"
	}
	return adj
}

// concept returns the concept of a category by id, nil for 0 or out of range.
func (v *vocab) concept(cat, id uint8) *concept {
	if id == 0 || int(id) > len(v.concepts[cat]) {
		return nil
	}
	return v.concepts[cat][id-1]
}

// tokens splits text into lower-case word tokens: letters, digits and marks of
// any script; hyphens and apostrophes inside words are dropped ("t-shirt" =
// "tshirt"), except between digits ("8-10" stays one token). Devanagari digits
// become ASCII. Separators that end a clause become ",".
func (v *vocab) tokens(s string) []string { return v.tokenize(s, true) }

// tokenize is tokens, optionally keeping the letters' case (to show a name
// as written); the token boundaries are the same either way.
func (v *vocab) tokenize(s string, lower bool) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r >= '०' && r <= '९':
			b.WriteRune('0' + (r - '०'))
		case r == '़':
			// nukta: फ़ ~ फ for matching; the letter alone carries the word
		case r == 'ँ':
			b.WriteRune('ं') // chandrabindu ~ anusvara
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if lower {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		case (r == '-' || r == '\'' || r == '’' || r == '.') && b.Len() > 0 && i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])):
			prevDigit := i > 0 && unicode.IsDigit(rs[i-1])
			nextDigit := unicode.IsDigit(rs[i+1]) || (rs[i+1] >= '०' && rs[i+1] <= '९')
			if r == '-' && prevDigit && nextDigit {
				b.WriteRune('-')
			} else if r == '.' && !(prevDigit && nextDigit) {
				flush()
			} else if r == '.' {
				b.WriteRune('.')
			}
		case r == ',' || r == ';' || r == '.' || r == '|' || r == '\n' || r == '/' || r == '(' || r == ')' || r == '!' || r == '?' || r == '।':
			flush()
			if len(out) > 0 && out[len(out)-1] != "," {
				out = append(out, ",")
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// latin transliterates Devanagari in a token to Latin letters, with the
// inherent vowel kept only where Hindi pronounces it (roughly: not at the end
// of a word, not between a vowel and a consonant that carries its own vowel).
func (v *vocab) latin(tok string) string {
	if !isDeva(tok) {
		return tok
	}
	rs := []rune(tok)
	var b strings.Builder
	typ := func(i int) byte {
		if i >= len(rs) {
			return 0
		}
		if t, ok := v.translit[rs[i]]; ok {
			return t.typ
		}
		return 0
	}
	afterVowel := false // the output so far ends in a vowel sound
	for i, r := range rs {
		t, ok := v.translit[r]
		if !ok {
			if r < 0x80 {
				b.WriteRune(r)
			}
			afterVowel = false
			continue
		}
		switch t.typ {
		case 'c':
			b.WriteString(t.latin)
			j := i + 1
			for typ(j) == 'z' {
				j++
			}
			switch typ(j) {
			case 'm', 'x':
				afterVowel = false
				continue
			case 0:
				afterVowel = false
				continue // word-final schwa is silent
			case 'n':
				b.WriteByte('a')
				afterVowel = true
				continue
			case 'c':
				// schwa deletion: V C a C V -> V C C V
				k := j + 1
				for typ(k) == 'z' {
					k++
				}
				if afterVowel && (typ(k) == 'm' || typ(k) == 'c') && typ(k) != 0 {
					afterVowel = false
					continue
				}
			}
			b.WriteByte('a')
			afterVowel = true
		case 'v', 'm':
			b.WriteString(t.latin)
			afterVowel = true
		case 'n', 'd':
			b.WriteString(t.latin)
			afterVowel = t.typ == 'n' && afterVowel
		}
	}
	return b.String()
}

// key folds a token to a phonetic key: transliterated, aspirates and long
// vowels folded, doubled letters collapsed and one final vowel dropped, so
// that नीला, नीली, neela, neeli and nila all meet at "nil".
func (v *vocab) key(tok string) string { return v.fold(tok, true) }

// nameKey is key without dropping the final vowel: in names it tells Ankit
// from Ankita and Deepak from Deepika.
func (v *vocab) nameKey(tok string) string { return v.fold(tok, false) }

func (v *vocab) fold(tok string, dropFinal bool) string {
	s := v.latin(tok)
	if s == "" {
		return ""
	}
	if dropFinal {
		s = inflection(tok, s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			continue
		}
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case c == 'h' && len(b) > 0 && strings.IndexByte("kgcjtdpbsr", b[len(b)-1]) >= 0:
			continue // aspirate: bh ~ b, sh ~ s, ch ~ c
		case c == 'p' && next == 'h':
			c = 'f'
			i++
		case c == 'w':
			c = 'v'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		case c == 'x':
			b = append(b, 'k')
			c = 's'
		case c == 'c' && next == 'k':
			c = 'k'
			i++
		case c == 'y' && len(b) > 0 && !isVowel(b[len(b)-1]) && next != 0 && isVowel(next):
			continue // jyoti ~ joti
		case c == 'e' && next == 'e':
			c = 'i' // neela ~ nila, Deepak ~ Dipak
			i++
		case c == 'o' && next == 'o':
			c = 'u' // joota ~ juta, Pooja ~ Puja
			i++
		case c == 'o' && next == 'u':
			c = 'a' // Gourav ~ Gaurav
		case c == 'm' && (next == 'b' || next == 'p'):
			c = 'n' // anusvara before a labial: चंपा ~ Champa
		}
		if len(b) > 0 && b[len(b)-1] == c && c != '-' {
			continue
		}
		b = append(b, c)
	}
	if dropFinal && len(b) > 3 && isVowel(b[len(b)-1]) {
		b = b[:len(b)-1]
		if len(b) > 3 && isVowel(b[len(b)-1]) {
			b = b[:len(b)-1] // "gehua", "kurtaa" after collapse
		}
	}
	return string(b)
}

// inflection takes off the nasal and glide of Hindi plural and oblique
// endings, so that कालें, kaley and kaale meet काला at one key: a final
// anusvara after a vowel sign (-ें, -ीं, -ों), a final -ey or -ay.
func inflection(tok, s string) string {
	if n := len(s); n > 3 && s[n-1] == 'n' && isVowel(s[n-2]) && strings.HasSuffix(tok, "ं") {
		if r := []rune(tok); len(r) > 2 && r[len(r)-2] >= 'ा' && r[len(r)-2] <= 'ौ' {
			return s[:n-1]
		}
	}
	if n := len(s); n > 3 && s[n-1] == 'y' && (s[n-2] == 'e' || s[n-2] == 'a') && !isVowel(s[n-3]) {
		return s[:n-1]
	}
	return s
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// skeleton is a key without vowels after the first letter: rmsh ~ ramesh.
func skeleton(k string) string {
	var buf [64]byte
	return string(skel(k, buf[:0]))
}

// sameSkeleton compares the skeletons of two keys without allocating: it
// runs for every candidate with a name.
func sameSkeleton(a, b string) bool {
	var x, y [64]byte
	if len(a) > 64 || len(b) > 64 {
		return skeleton(a) == skeleton(b)
	}
	return string(skel(a, x[:0])) == string(skel(b, y[:0]))
}

func skel(k string, b []byte) []byte {
	if k == "" {
		return b
	}
	b = append(b, k[0])
	for i := 1; i < len(k); i++ {
		if !isVowel(k[i]) && k[i] != 'y' && k[i] != 'h' && k[i] != b[len(b)-1] {
			b = append(b, k[i])
		}
	}
	return b
}

// lev is the edit distance (with adjacent transpositions) of two byte
// strings, giving up early, returning max+1, once it exceeds max.
func lev(a, b string, max int) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	if a == b {
		return 0
	}
	if len(a) > 63 || len(b) > 63 {
		return max + 1
	}
	var rows [3][64]int
	pp, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if prev[j]+1 < v {
				v = prev[j] + 1
			}
			if cur[j-1]+1 < v {
				v = cur[j-1] + 1
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] && pp[j-2]+1 < v {
				v = pp[j-2] + 1
			}
			cur[j] = v
			if v < best {
				best = v
			}
		}
		if best > max {
			return max + 1
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// fuzzyBudget is how many edits a key of this length tolerates.
func fuzzyBudget(n int) int {
	switch {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// tag is one recognised concept in a text, at token position pos.
type tag struct {
	c      *concept
	pos    int // first token
	n      int // tokens consumed
	clause int
	num    float64 // for numbers and ranges
	lo, hi float64 // an age range "8-10"
	raw    string
	slip   bool // read as a slip of a vocabulary word, not as written: may be a name
}

// tagText recognises the concepts of the allowed categories in text (longest
// phrase first; exact form, then phonetic key, then edit distance), and
// numbers. Unknown words are kept as tags with a nil concept, so a caller can
// look them up elsewhere (names, places).
func (v *vocab) tagText(text string, allow uint32) []tag {
	toks := v.tokens(text)
	keys := make([]string, len(toks))
	for i, t := range toks {
		if t != "," {
			keys[i] = v.key(t)
		}
	}
	var out []tag
	clause := 0
	for i := 0; i < len(toks); {
		t := toks[i]
		if t == "," {
			clause++
			i++
			continue
		}
		if lo, hi, ok := parseNum(t); ok {
			out = append(out, tag{pos: i, n: 1, clause: clause, num: lo, lo: lo, hi: hi, raw: t})
			i++
			continue
		}
		best, bestN := (*concept)(nil), 0
		for _, p := range v.byKey[keys[i]] {
			if allow&(1<<p.c.cat) == 0 || len(p.keys) < 2 || len(p.keys) <= bestN || i+len(p.keys) > len(toks) {
				continue
			}
			ok := true
			for j := 1; j < len(p.keys); j++ {
				k := keys[i+j]
				if k != p.keys[j] && (fuzzyBudget(len(k)) == 0 || lev(k, p.keys[j], 1) > 1) {
					ok = false
					break
				}
			}
			if ok {
				best, bestN = p.c, len(p.keys)
			}
		}
		if best == nil {
			for _, p := range v.exact[t] {
				if allow&(1<<p.c.cat) != 0 {
					best, bestN = p.c, 1
					break
				}
			}
		}
		if best == nil {
			best = v.closest(t, v.byKey[keys[i]], allow)
			if best != nil {
				bestN = 1
			}
		}
		slip := best == nil
		if best == nil {
			best = v.inflected(t, allow)
			if best != nil {
				bestN = 1
			}
		}
		if best == nil && i+1 < len(toks) {
			// "slwar kameez": a slip in the first word of a phrase
			best, bestN = v.fuzzyPhrase(keys, i, allow)
		}
		if best == nil {
			best = v.rawLookup(t, allow)
			if best != nil {
				bestN = 1
			}
		}
		if best == nil {
			best = v.fuzzyLookup(keys[i], allow)
			if best != nil {
				bestN = 1
			}
		}
		if best == nil {
			out = append(out, tag{pos: i, n: 1, clause: clause, raw: t})
			i++
			continue
		}
		out = append(out, tag{c: best, pos: i, n: bestN, clause: clause, num: float64(best.level), raw: t, slip: slip})
		i += bestN
	}
	return out
}

// inflected finds a Devanagari word under another of the endings Hindi
// inflects (नीला/नीली/नीले/नीलें, टोपी/टोपे, ग्रे/ग्री): the stem with each
// ending, looked up exactly; nil unless one concept answers.
func (v *vocab) inflected(t string, allow uint32) *concept {
	if !isDeva(t) {
		return nil
	}
	rs := []rune(strings.TrimSuffix(t, "ं"))
	if len(rs) < 3 || !strings.ContainsRune("ािीेैोौ", rs[len(rs)-1]) {
		return nil
	}
	stem := string(rs[:len(rs)-1])
	var found *concept
	for _, e := range []string{"ा", "ी", "े", ""} {
		for _, p := range v.exact[stem+e] {
			if allow&(1<<p.c.cat) == 0 {
				continue
			}
			if found != nil && found != p.c {
				return nil
			}
			found = p.c
		}
	}
	return found
}

// fuzzyPhrase matches a multi-word phrase whose first word has a slip
// ("slwar kameez"), the others as in tagText; the longest phrase wins.
func (v *vocab) fuzzyPhrase(keys []string, i int, allow uint32) (*concept, int) {
	k := keys[i]
	var best *concept
	bestN := 0
	for _, fk := range v.multi {
		b := fuzzyBudget(max(len(k), len(fk)))
		if b == 0 || len(k) < 3 || lev(k, fk, b) > b {
			continue
		}
		for _, p := range v.byKey[fk] {
			if allow&(1<<p.c.cat) == 0 || len(p.keys) < 2 || len(p.keys) <= bestN || i+len(p.keys) > len(keys) {
				continue
			}
			ok := true
			for j := 1; j < len(p.keys); j++ {
				if keys[i+j] != p.keys[j] {
					ok = false
					break
				}
			}
			if ok {
				best, bestN = p.c, len(p.keys)
			}
		}
	}
	return best, bestN
}

type rawQuery struct {
	t     string
	allow uint32
}

// rawLookup finds the concept one written form of which the token is a slip
// of, measured letter by letter on the word as written: a letter swapped or
// dropped (geren, नांगी, गलुाबी), two in a long word, or, in Latin, vowels
// left out (kla, rght). nil unless one concept is nearest.
func (v *vocab) rawLookup(t string, allow uint32) *concept {
	allow &^= cats(catNameCue, catNameFill)
	q := rawQuery{t, allow}
	if c, ok := v.raw.Load(q); ok {
		return c.(*concept)
	}
	c := v.rawNearest(t, allow)
	if len(t) < 40 {
		v.raw.Store(q, c)
	}
	return c
}

func (v *vocab) rawNearest(t string, allow uint32) *concept {
	deva := isDeva(t)
	tb := formBytes(t)
	n := utf8.RuneCountInString(t)
	if len(tb) < 3 {
		return nil
	}
	bestD := 3
	var found *concept
	tied, first := false, false
	for _, f := range v.forms {
		if f.deva != deva || allow&(1<<f.c.cat) == 0 || len(f.s) < 3 {
			continue
		}
		// the budget goes by the letters as written: "jote" is one slip
		// of the five letters of "joote", however "oo" is evened out
		b := rawBudget(max(n, f.n))
		d := b + 1
		if b > 0 {
			d = lev(tb, f.s, b)
			if d > 0 && !deva {
				d = min(d, lev(t, f.w, b))
			}
		}
		if d > b && !deva && len(tb) < len(f.s) && vowelsDropped(tb, f.s) {
			d = 1
		}
		// of equally near forms, one that starts with the word's first
		// letter: a slip rarely hits the first (thirt: tshirt, not shirt)
		sameFirst := f.s[0] == tb[0]
		switch {
		case d > b || d > bestD:
		case d < bestD:
			bestD, found, tied, first = d, f.c, false, sameFirst
		case f.c == found:
			first = first || sameFirst
		case sameFirst && !first:
			found, tied, first = f.c, false, true
		case sameFirst == first:
			tied = true
		}
	}
	if tied {
		return nil
	}
	return found
}

// rawBudget is how many letters of a written word may slip: one from five
// letters, two from nine.
func rawBudget(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// closest picks, among one-word phrases sharing a token's key, the concept
// whose written form is nearest the token in the same script: "topee" and
// "top" share a key, but "topee" is written like "topi" (a cap), not like
// "top" (a T-shirt).
func (v *vocab) closest(t string, ps []phrase, allow uint32) *concept {
	nt := spelling(t)
	deva := isDeva(t)
	var first, near *concept
	nearD, tied := 1<<30, false
	for _, p := range ps {
		if allow&(1<<p.c.cat) == 0 || len(p.keys) != 1 {
			continue
		}
		if spelling(p.raw) == nt {
			return p.c
		}
		if first == nil {
			first = p.c
		}
		// Devanagari is spelt one way far more often than Latin: the
		// nearest form in that script tells टोपें (टोपी, a cap) from a top
		if deva && isDeva(p.raw) {
			switch d := lev(t, p.raw, 60); {
			case d < nearD:
				near, nearD, tied = p.c, d, false
			case d == nearD && p.c != near:
				tied = true
			}
		}
	}
	if near != nil && !tied {
		return near
	}
	return first
}

// spelling evens out the commonest Latin spelling variants (ee/i, oo/u,
// aa/a) before comparing written forms.
func spelling(s string) string {
	if isDeva(s) {
		return s
	}
	r := strings.NewReplacer("ee", "i", "oo", "u", "aa", "a")
	return r.Replace(s)
}

// allWords reports whether every token is, exactly, a word of the allowed
// categories.
func (v *vocab) allWords(toks []string, allow uint32) bool {
	for _, t := range toks {
		found := false
		for _, p := range v.exact[t] {
			if allow&(1<<p.c.cat) != 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return len(toks) > 0
}

// fuzzyLookup finds the concept whose key is within the edit budget of k,
// when only one concept (of the allowed categories) is that close.
func (v *vocab) fuzzyLookup(k string, allow uint32) *concept {
	// function words are matched exactly: "Ramesh" is not a slip of "names"
	allow &^= cats(catNameCue, catNameFill)
	type hit struct{ cs []*concept }
	var cs []*concept
	if c, ok := v.fuzzy.Load(k); ok {
		cs = c.(hit).cs
	} else {
		cs = v.fuzzyCands(k, allow)
		cs = append([]*concept(nil), cs...)
		if len(cs) > 0 || len(k) < 40 {
			v.fuzzy.Store(k, hit{cs})
		}
	}
	var found *concept
	for _, c := range cs {
		if allow&(1<<c.cat) == 0 {
			continue
		}
		if found != nil && found != c {
			return nil // ambiguous: better unknown than wrong
		}
		found = c
	}
	return found
}

// fuzzyCands lists the concepts whose one-word keys are nearest k: within
// the edit budget (ties between concepts broken by a vowel dropped or
// added: "svetr" ~ svetar, a sweater, rather than svet, white), or, for a word written
// without vowels as in a text message ("blk", "rd", "lft"), keys it is
// those of with only vowels dropped.
func (v *vocab) fuzzyCands(k string, allow uint32) []*concept {
	var cs []*concept
	if budget := fuzzyBudget(len(k)); budget > 0 {
		bestD := budget + 1
		var same []*concept // at bestD, differing from k in vowels only
		for _, cand := range v.keys {
			if fuzzyBudget(len(cand)) == 0 {
				continue
			}
			d := lev(k, cand, budget)
			if d > budget || d > bestD {
				continue
			}
			if d < bestD {
				bestD, cs, same = d, cs[:0], same[:0]
			}
			sk := vowelsDropped(k, cand) || vowelsDropped(cand, k)
			for _, p := range v.byKey[cand] {
				if len(p.keys) == 1 {
					cs = append(cs, p.c)
					if sk {
						same = append(same, p.c)
					}
				}
			}
		}
		if distinct(cs, allow) > 1 && distinct(same, allow) == 1 {
			cs = same
		}
		if len(cs) > 0 {
			return cs
		}
	}
	if len(k) < 2 || len(k) > 8 || strings.ContainsAny(k, "aeiou") {
		return cs
	}
	for _, cand := range v.keys {
		if len(cand) <= len(k) || len(cand) > len(k)+3 || !vowelsDropped(k, cand) {
			continue
		}
		for _, p := range v.byKey[cand] {
			if len(p.keys) == 1 {
				cs = append(cs, p.c)
			}
		}
	}
	return cs
}

// distinct counts the different concepts of allowed categories in cs.
func distinct(cs []*concept, allow uint32) int {
	n := 0
	for i, c := range cs {
		if allow&(1<<c.cat) == 0 || slices.Contains(cs[:i], c) {
			continue
		}
		n++
	}
	return n
}

// vowelsDropped reports whether k is full with some of its vowels left out:
// "blk" of "blak", "lft" of "left"; the first letter must stay.
func vowelsDropped(k, full string) bool {
	if k[0] != full[0] {
		return false
	}
	i := 0
	for j := 0; j < len(full); j++ {
		if i < len(k) && k[i] == full[j] {
			i++
			continue
		}
		if !isVowel(full[j]) {
			return false
		}
	}
	return i == len(k)
}

// parseNum reads "8", "8.5", "8-10" and "8से10"-free forms; lo==hi for one number.
func parseNum(t string) (lo, hi float64, ok bool) {
	if t == "" || t[0] < '0' || t[0] > '9' {
		return 0, 0, false
	}
	if a, b, found := strings.Cut(t, "-"); found {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil {
			return 0, 0, false
		}
		if y < x {
			x, y = y, x
		}
		return x, y, true
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		// "8yrs", "10saal": digits then a unit
		i := 0
		for i < len(t) && (t[i] >= '0' && t[i] <= '9') {
			i++
		}
		x, err = strconv.ParseFloat(t[:i], 64)
		if err != nil {
			return 0, 0, false
		}
	}
	return x, x, true
}

func cats(cs ...uint8) uint32 {
	var m uint32
	for _, c := range cs {
		m |= 1 << c
	}
	return m
}
