package match

import (
	"slices"
	"strings"
	"unicode/utf8"
)

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
