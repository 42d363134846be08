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

	"talaash/translit"
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
	catNameCue   // "naam", "name", "नाम": a child's name follows (or precedes: "Ramesh naam ka")
	catNameFill  // "is", "hai", "का": words between a name cue and the name
	catPlaceCue  // "at", "near", "पर", "के पास": a place the gazetteer may not know is written next to it
	catPlaceKind // "station", "chauraha", "मंदिर": a word that names a kind of place
	nCats
)

var catNames = map[string]uint8{
	"colour": catColour, "garment": catGarment, "complexion": catComplexion, "mark": catMark,
	"part": catPart, "side": catSide, "trait": catTrait, "gender": catGender, "num": catNum,
	"ageunit": catAgeUnit, "approx": catApprox, "young": catYoung, "stop": catStop,
	"namecue": catNameCue, "namefill": catNameFill, "placecue": catPlaceCue, "placekind": catPlaceKind,
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
	translit *translit.Table
	reasons  map[string][3]string
	fuzzy    sync.Map // token -> []phrase cache of fuzzy lookups of unknown words
	forms    []form   // every one-word form as written, for slips of the pen
	multi    []string // first keys of the multi-word phrases
	raw      sync.Map // rawQuery -> *concept cache of rawLookup
}

func loadVocab(fsys fs.FS) (*vocab, error) {
	v := &vocab{exact: map[string][]phrase{}, byKey: map[string][]phrase{}, families: map[string]uint8{}, reasons: map[string][3]string{}}
	var err error
	if v.translit, err = translit.Load(fsys); err != nil {
		return nil, err
	}
	rows, err := readCSV(fsys, "vocab/reasons.csv", 3)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		t := [3]string{r[1], r[2]}
		if len(r) > 3 { // a file without the Hinglish column reads as before
			t[langLatn] = r[3]
		}
		v.reasons[r[0]] = t
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

func cats(cs ...uint8) uint32 {
	var m uint32
	for _, c := range cs {
		m |= 1 << c
	}
	return m
}
