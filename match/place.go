package match

import (
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// place is one gazetteer entry.
type place struct {
	key      string
	en, hi   string
	lat, lon float64
	forms    [][]string // token keys of every name and alias
	joined   []string   // the same, keys joined without spaces
	literal  []string   // every name and alias as written, lower case, without spaces
	whole    []string   // the key of each name written as one word ("kakadeo", "kidwainagar")
}

// gazetteer resolves free-text place names (either script, aliases, small
// misspellings) to entries of the gazetteer CSV.
type gazetteer struct {
	places []place
	cache  sync.Map // normalised text -> int (index+1, 0 none)
	// own maps a word key found in one place's names only ("jhakarkati",
	// not "nagar" or "station") to that place (index+1)
	own map[string]int
}

func loadGazetteer(r io.Reader, v *vocab) (*gazetteer, error) {
	g := &gazetteer{}
	if r == nil {
		return g, nil
	}
	rows, err := parseCSV(r, "places", 5)
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(row[3]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(row[4]), 64)
		if err1 != nil || err2 != nil {
			continue
		}
		p := place{key: row[0], en: row[1], hi: row[2], lat: lat, lon: lon}
		names := []string{row[1], row[2], strings.ReplaceAll(row[0], "-", " ")}
		if len(row) > 6 {
			names = append(names, strings.Split(row[6], "|")...)
		}
		seen := map[string]bool{}
		for _, n := range names {
			var ks []string
			for _, t := range v.tokens(n) {
				if t != "," {
					ks = append(ks, v.key(t))
				}
			}
			j := strings.Join(ks, "")
			if len(ks) == 0 || seen[j] {
				continue
			}
			seen[j] = true
			p.literal = append(p.literal, strings.Join(v.tokens(n), ""))
			p.whole = append(p.whole, v.key(strings.Join(v.tokens(n), "")))
			p.forms = append(p.forms, ks)
			p.joined = append(p.joined, j)
		}
		g.places = append(g.places, p)
	}
	g.own = map[string]int{}
	for i, p := range g.places {
		for _, f := range p.forms {
			for _, k := range f {
				if j, seen := g.own[k]; seen && j != i+1 {
					g.own[k] = 0
				} else if !seen {
					g.own[k] = i + 1
				}
			}
		}
	}
	return g, nil
}

// lookupKeys finds the place named by a run of token keys: the whole run
// equal to a name (spaces ignored, a small edit allowed), or containing every
// token of a name of two or more tokens. It returns index+1, 0 when unknown.
func (g *gazetteer) lookupKeys(ks []string, contain bool) int {
	if len(ks) == 0 || len(g.places) == 0 {
		return 0
	}
	j := strings.Join(ks, "")
	best, bestD := 0, 99
	for i := range g.places {
		for _, f := range g.places[i].joined {
			if f == j {
				return i + 1
			}
			b := fuzzyBudget(len(f))
			if b > 0 {
				if d := lev(j, f, b); d <= b && d < bestD {
					best, bestD = i+1, d
				}
			}
		}
	}
	if best != 0 || !contain {
		return best
	}
	// "Kanpur Central railway station" contains the alias "Kanpur Central";
	// the longest contained name wins.
	bestLen := 0
	for i := range g.places {
		for _, f := range g.places[i].forms {
			if len(f) < 2 || len(f) <= bestLen || !containsRun(ks, f) {
				continue
			}
			best, bestLen = i+1, len(f)
		}
	}
	return best
}

func containsRun(ks, f []string) bool {
	for i := 0; i+len(f) <= len(ks); i++ {
		ok := true
		for j := range f {
			if b := fuzzyBudget(len(f[j])); ks[i+j] != f[j] && lev(ks[i+j], f[j], b) > b {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// lookup resolves a place text, cached.
func (g *gazetteer) lookup(v *vocab, text string) int {
	if len(g.places) == 0 || strings.TrimSpace(text) == "" {
		return 0
	}
	if len(text) > 200 {
		text = text[:200]
	}
	if i, ok := g.cache.Load(text); ok {
		return i.(int)
	}
	var ks []string
	for _, t := range v.tokens(text) {
		if t != "," {
			ks = append(ks, v.key(t))
		}
	}
	i := g.lookupKeys(ks, true)
	if i == 0 {
		i = g.lookupLoose(v, text, ks)
	}
	g.cache.Store(text, i)
	return i
}

// lookupLoose is the last resort for a place field: the name written as one
// word or split ("Kaka Deo", "Harbansmohal"), or a word only one place's
// names hold ("झकरकटी बस स्टैंड", "Parade Chowk"), or a slip of such a word.
func (g *gazetteer) lookupLoose(v *vocab, text string, ks []string) int {
	var toks []string
	for _, t := range v.tokens(text) {
		if t != "," {
			toks = append(toks, t)
		}
	}
	w := v.key(strings.Join(toks, ""))
	for i := range g.places {
		for _, f := range g.places[i].whole {
			if b := fuzzyBudget(len(f)); f == w || b > 0 && lev(w, f, b) <= b {
				return i + 1
			}
		}
	}
	found := 0
	for _, k := range ks {
		if len(k) < 5 {
			continue
		}
		p := g.own[k]
		if p == 0 {
			for ok, op := range g.own {
				if op != 0 && len(ok) >= 5 && lev(k, ok, 1) <= 1 {
					if p != 0 && p != op {
						p = -1
						break
					}
					p = op
				}
			}
		}
		if p > 0 && found != 0 && found != p {
			return 0 // two places named: better none than the wrong one
		}
		if p > 0 {
			found = p
		}
	}
	return found
}

// find looks for a place inside a longer text; it returns the place and the
// token span it occupies (start, end) in toks, longest span first.
func (g *gazetteer) find(v *vocab, toks []string) (idx, start, end int) {
	if len(g.places) == 0 {
		return 0, 0, 0
	}
	keys := make([]string, len(toks))
	for i, t := range toks {
		if t != "," {
			keys[i] = v.key(t)
		}
	}
	for n := 5; n >= 1; n-- {
		for i := 0; i+n <= len(toks); i++ {
			run := keys[i : i+n]
			ok := true
			for _, k := range run {
				if k == "" {
					ok = false
				}
			}
			if !ok {
				continue
			}
			if n == 1 && len([]rune(toks[i])) < 4 {
				continue
			}
			p := g.lookupKeys(run, false)
			if p == 0 {
				continue
			}
			// Words of a description are a place only when written as the
			// place is: "jeans" sounds like Jhansi but is clothes; "Lal
			// Imli" keeps its colour word; "park" is a kind of place, not
			// Panki.
			if v.allWords(toks[i:i+n], describing|cats(catPlaceKind)) && !g.places[p-1].writtenAs(strings.Join(toks[i:i+n], "")) {
				continue
			}
			// one word read as a slip of a place's name keeps its first
			// letter: "lakkad" is not Kakadeo
			if n == 1 && !g.places[p-1].startsAs(keys[i]) {
				continue
			}
			return p, i, i + n
		}
	}
	return g.findLoose(v, toks, keys)
}

// findLoose is lookupLoose inside a text: a place's name written split or
// joined ("Kaka Deo", "Harbansmohal"), then one word that only one place's
// names hold, or a slip of it ("Jhakarkathi bus adda"), when the text names
// no second place that way.
func (g *gazetteer) findLoose(v *vocab, toks, keys []string) (idx, start, end int) {
	for n := 3; n >= 2; n-- {
		for i := 0; i+n <= len(toks); i++ {
			if slices.Contains(toks[i:i+n], ",") || v.allWords(toks[i:i+n], describing) {
				continue
			}
			w := v.key(strings.Join(toks[i:i+n], ""))
			for p := range g.places {
				for _, f := range g.places[p].whole {
					if b := fuzzyBudget(len(f)); f == w || b > 0 && lev(w, f, b) <= b {
						return p + 1, i, i + n
					}
				}
			}
		}
	}
	found, at := 0, 0
	for i, k := range keys {
		if len(k) < 6 || v.allWords(toks[i:i+1], describing) {
			continue
		}
		p := g.own[k]
		if p == 0 {
			for ok, op := range g.own {
				if op != 0 && len(ok) >= 6 && lev(k, ok, 1) <= 1 {
					if p != 0 && p != op {
						p = -1
						break
					}
					p = op
				}
			}
		}
		if p > 0 && found != 0 && found != p {
			return 0, 0, 0
		}
		if p > 0 {
			found, at = p, i
		}
	}
	if found == 0 {
		return 0, 0, 0
	}
	return found, at, at + 1
}

// describing are the categories of words that describe a child.
var describing = cats(catColour, catGarment, catComplexion, catMark, catPart, catSide, catTrait, catGender)

// startsAs reports whether one of the place's names, as keys, begins with
// the letter k does.
func (p *place) startsAs(k string) bool {
	for _, j := range p.joined {
		if j != "" && k != "" && j[0] == k[0] {
			return true
		}
	}
	return false
}

// writtenAs reports whether s (lower case, no spaces) is one of the place's
// names as written.
func (p *place) writtenAs(s string) bool {
	for _, l := range p.literal {
		if l == s {
			return true
		}
	}
	return false
}

// distKM is the distance in km: an equirectangular approximation, cheap and
// within a fraction of a percent at city and state scale.
func distKM(lat1, lon1, lat2, lon2 float64) float64 {
	if math.Abs(lat1-lat2) > 5 || math.Abs(lon1-lon2) > 5 {
		return haversine(lat1, lon1, lat2, lon2)
	}
	x := (lon2 - lon1) * math.Cos((lat1+lat2)*math.Pi/360)
	y := lat2 - lat1
	return 111.195 * math.Sqrt(x*x+y*y)
}

// haversine distance in km.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp := p2 - p1
	dl := (lon2 - lon1) * math.Pi / 180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
