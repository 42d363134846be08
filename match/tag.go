package match

import "strings"

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
