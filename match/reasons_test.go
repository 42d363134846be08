package match

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"talaash"
)

// A reason is told to police as a fact about the two records. These tests
// generate pairs (every candidate of the development file, synthetic
// records, and true pairs moved in time), compute their reasons, and check
// each reason's claim on the records' own fields: a table of reason kind to
// the predicate that must hold.

// read is a record's fields as the matcher reads them: the structured field
// when given, else what the free text says.
type read struct {
	r        *talaash.Record
	t        time.Time
	lo, hi   float64
	hasAge   bool
	gender   uint8
	name     string
	keys     []string
	height   int
	lat, lon float64
	hasLL    bool
	place    int
	items    []uint16
	marks    []uint16
	traits   uint16
	complex  uint8
}

func (m *Matcher) readRecord(r *talaash.Record) read {
	x := m.extract(r.Text)
	rd := read{r: r, t: r.Time, gender: genderCode(r.Gender), name: r.Name}
	if rd.lo, rd.hi, rd.hasAge = r.Ages(); !rd.hasAge {
		rd.lo, rd.hi, rd.hasAge = x.Ages()
	}
	if rd.gender == 0 {
		rd.gender = genderCode(x.Gender)
	}
	if strings.TrimSpace(rd.name) == "" || len(m.nameKeys(rd.name)) == 0 {
		rd.name = x.Name
	}
	rd.name = displayName(rd.name)
	rd.keys = m.nameKeys(rd.name)
	if r.HeightCM != nil {
		rd.height = int(*r.HeightCM)
	}
	clothes, marks, place, complexion := r.Clothes, r.Marks, r.Place, r.Complex
	if clothes == "" {
		clothes = x.Clothes
	}
	if marks == "" {
		marks = x.Marks
	}
	if place == "" {
		place = x.Place
	}
	if complexion == "" {
		complexion = x.Complex
	}
	rd.items = m.clothes(clothes)
	rd.marks, rd.traits = m.marksOf(marks)
	rd.complex = m.complexion(complexion)
	if place != "" {
		rd.place = m.gaz.lookup(m.v, place)
	}
	if r.Lat != nil && r.Lon != nil && validLatLon(*r.Lat, *r.Lon) {
		rd.lat, rd.lon, rd.hasLL = *r.Lat, *r.Lon, true
	} else if rd.place != 0 {
		p := m.gaz.places[rd.place-1]
		rd.lat, rd.lon, rd.hasLL = p.lat, p.lon, true
	}
	return rd
}

// claim is one reason: its kind, the English text's arguments, and the two
// records it speaks of.
type claim struct {
	id   string
	args []string
	m, s read
}

// spanSays checks "N hour(s)" / "N days" against a duration in seconds, as
// span renders it: whole hours below two days, rounded days above.
func spanSays(arg string, sec int64) error {
	f := strings.Fields(arg)
	if len(f) != 2 {
		return fmt.Errorf("span %q", arg)
	}
	n, err := strconv.Atoi(f[0])
	if err != nil {
		return err
	}
	h := float64(sec) / 3600
	switch f[1] {
	case "hour", "hours":
		if h < float64(n) || h >= float64(n+1) || n >= 48 {
			return fmt.Errorf("says %s, the records are %.2f hours apart", arg, h)
		}
	case "days":
		if math.Abs(h/24-float64(n)) > 0.5 || h < 48 {
			return fmt.Errorf("says %s, the records are %.2f days apart", arg, h/24)
		}
	default:
		return fmt.Errorf("span unit %q", arg)
	}
	return nil
}

func hoursApart(c claim) int64 { return c.s.t.Unix() - c.m.t.Unix() }

var numRE = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?`)

// ageSays checks a rendered age ("14", "about 12-15") against a record.
func ageSays(arg string, rd read) error {
	if !rd.hasAge {
		return fmt.Errorf("age %q for a record without an age", arg)
	}
	ns := numRE.FindAllString(arg, -1)
	if len(ns) == 0 || len(ns) > 2 {
		return fmt.Errorf("age %q", arg)
	}
	lo, _ := strconv.ParseFloat(ns[0], 64)
	hi := lo
	if len(ns) == 2 {
		hi, _ = strconv.ParseFloat(ns[1], 64)
	}
	if math.Abs(lo-rd.lo) > 0.01 || math.Abs(hi-rd.hi) > 0.01 {
		return fmt.Errorf("says age %s, the record says %v-%v", arg, rd.lo, rd.hi)
	}
	return nil
}

func (m *Matcher) hasItem(items []uint16, label string) bool {
	return slices.ContainsFunc(items, func(it uint16) bool { return m.itemLabel(it, false) == label })
}

func (m *Matcher) hasMark(marks []uint16, label string) bool {
	return slices.ContainsFunc(marks, func(mk uint16) bool { return m.markLabel(mk, false) == label })
}

func (m *Matcher) genderWord(g uint8) string {
	if c := m.v.concept(catGender, g); c != nil {
		return c.en
	}
	return ""
}

// reasonChecks: the predicate each kind of reason must satisfy.
func (m *Matcher) reasonChecks() map[string]func(c claim) error {
	need := func(ok bool, f string, a ...any) error {
		if ok {
			return nil
		}
		return fmt.Errorf(f, a...)
	}
	after := func(c claim) error {
		d := hoursApart(c)
		if d < 3600 {
			return fmt.Errorf("says after, the sighting is %ds after the reported time", d)
		}
		return spanSays(c.args[0], d)
	}
	before := func(c claim) error {
		d := hoursApart(c)
		if d >= -3600 {
			return fmt.Errorf("says well before, the sighting is %ds after the reported time", d)
		}
		return spanSays(c.args[0], -d)
	}
	soonAfter := func(c claim) error {
		d := hoursApart(c)
		return need(d >= 0 && d < 3600, "says within an hour after, the sighting is %ds after", d)
	}
	soonBefore := func(c claim) error {
		d := hoursApart(c)
		return need(d < 0 && d >= -3600, "says less than an hour before, the sighting is %ds after", d)
	}
	itemBoth := func(c claim) error {
		return need(m.hasItem(c.m.items, c.args[0]) && m.hasItem(c.s.items, c.args[0]), "same %q: not in both records' clothes (%q, %q)", c.args[0], c.m.r.Clothes, c.s.r.Clothes)
	}
	trait := func(c claim) error {
		name := strings.TrimPrefix(c.id, "trait_")
		for _, tc := range m.v.concepts[catTrait] {
			if tc.name == name || c.id == "trait" && tc.en == c.args[0] {
				bit := uint16(1) << tc.id
				return need(c.m.traits&bit != 0 && c.s.traits&bit != 0, "%s: not in both records", c.id)
			}
		}
		return fmt.Errorf("no trait named by %s %v", c.id, c.args)
	}
	km := func(c claim) (float64, error) {
		if !c.m.hasLL || !c.s.hasLL {
			return 0, fmt.Errorf("a distance for a record without a place")
		}
		return distKM(c.m.lat, c.m.lon, c.s.lat, c.s.lon), nil
	}
	checks := map[string]func(c claim) error{
		"after": after, "after_found": after, "before": before, "before_found": before,
		"after_soon": soonAfter, "after_soon_found": soonAfter, "before_soon": soonBefore, "before_soon_found": soonBefore,
		"gender": func(c claim) error {
			return need(c.m.gender != 0 && c.m.gender == c.s.gender && m.genderWord(c.m.gender) == c.args[0], "gender %q: records say %d and %d", c.args[0], c.m.gender, c.s.gender)
		},
		"gender_diff": func(c claim) error {
			return need(c.m.gender != 0 && c.s.gender != 0 && c.m.gender != c.s.gender &&
				m.genderWord(c.m.gender) == c.args[0] && m.genderWord(c.s.gender) == c.args[1], "different gender %v: records say %d and %d", c.args, c.m.gender, c.s.gender)
		},
		"age_same": func(c claim) error {
			if err := ageSays(c.args[0], c.m); err != nil {
				return err
			}
			return ageSays(c.args[0], c.s)
		},
		"age": func(c claim) error {
			if err := ageSays(c.args[0], c.m); err != nil {
				return err
			}
			return ageSays(c.args[1], c.s)
		},
		"height_same": func(c claim) error {
			n, _ := strconv.Atoi(c.args[0])
			return need(n > 0 && c.m.height == n && c.s.height == n, "same height %d: records say %d and %d", n, c.m.height, c.s.height)
		},
		"height": func(c claim) error {
			a, _ := strconv.Atoi(c.args[0])
			b, _ := strconv.Atoi(c.args[1])
			return need(a == c.m.height && b == c.s.height && a != b, "height %d vs %d: records say %d and %d", a, b, c.m.height, c.s.height)
		},
		"complexion": func(c claim) error {
			return need(c.m.complex != 0 && c.m.complex == c.s.complex, "same complexion: levels %d and %d", c.m.complex, c.s.complex)
		},
		"complexion_diff": func(c claim) error {
			return need(c.m.complex != 0 && c.s.complex != 0 && c.m.complex != c.s.complex, "complexion differs: levels %d and %d", c.m.complex, c.s.complex)
		},
		"same_place": func(c claim) error {
			return need(c.m.place != 0 && c.m.place == c.s.place && m.gaz.places[c.m.place-1].en == c.args[0], "same place %q: places %d and %d", c.args[0], c.m.place, c.s.place)
		},
		"near": func(c claim) error {
			d, err := km(c)
			if err != nil {
				return err
			}
			return need(d < 0.1+1e-3, "near: %.3f km apart", d)
		},
		"distance": func(c claim) error {
			d, err := km(c)
			if err != nil {
				return err
			}
			said, _ := strconv.ParseFloat(c.args[0], 64)
			tol := 0.06 + 0.001*d // the rounding shown, and coordinates kept in float32
			if d >= 10 {
				tol = 0.51 + 0.001*d
			}
			return need(math.Abs(d-said) <= tol, "says %s km, the records are %.2f km apart", c.args[0], d)
		},
		"name_same": func(c claim) error {
			return need(strings.EqualFold(c.m.name, c.args[0]) && strings.EqualFold(c.s.name, c.args[0]), "same name %q: records say %q and %q", c.args[0], c.m.name, c.s.name)
		},
		"name": func(c claim) error {
			return need(c.args[0] == c.m.name && c.args[1] == c.s.name && nameSim(c.m.keys[0], c.s.keys[0]) == 1, "same name %v: records say %q and %q", c.args, c.m.name, c.s.name)
		},
		"name_part": func(c claim) error {
			g := nameSim(c.m.keys[0], c.s.keys[0])
			return need(c.args[0] == c.m.name && c.args[1] == c.s.name && g > 0 && g < 1, "similar name %v: records say %q and %q", c.args, c.m.name, c.s.name)
		},
		"name_diff": func(c claim) error {
			return need(c.args[0] == c.m.name && c.args[1] == c.s.name && nameSim(c.m.keys[0], c.s.keys[0]) == 0, "different name %v: records say %q and %q", c.args, c.m.name, c.s.name)
		},
		"clothes": itemBoth,
		"clothes_near": func(c claim) error {
			return need(m.hasItem(c.m.items, c.args[0]) && m.hasItem(c.s.items, c.args[1]) && c.args[0] != c.args[1], "similar clothes %v: records say %q and %q", c.args, c.m.r.Clothes, c.s.r.Clothes)
		},
		"mark": func(c claim) error {
			label := c.args[0] + " on " + c.args[1] + " " + c.args[2]
			return need(m.hasMark(c.m.marks, label) && m.hasMark(c.s.marks, label), "same %q: not in both records' marks (%q, %q)", label, c.m.r.Marks, c.s.r.Marks)
		},
		"mark_part": func(c claim) error {
			label := c.args[0] + " on " + c.args[1]
			return need(m.hasMark(c.m.marks, label) && m.hasMark(c.s.marks, label), "same %q: not in both records' marks (%q, %q)", label, c.m.r.Marks, c.s.r.Marks)
		},
		"mark_near": func(c claim) error {
			return need(m.hasMark(c.m.marks, c.args[0]) && m.hasMark(c.s.marks, c.args[1]), "similar mark %v: records say %q and %q", c.args, c.m.r.Marks, c.s.r.Marks)
		},
		"trait": trait,
	}
	for id := range m.v.reasons {
		if strings.HasPrefix(id, "trait_") {
			checks[id] = trait
		}
	}
	return checks
}

// argsRE turns a reason template into a pattern that takes its arguments
// back out of the rendered text, in argument order.
func argsRE(tmpl string) (*regexp.Regexp, []int) {
	verb := regexp.MustCompile(`%(\[[0-9]+\])?[sd]`)
	var order []int
	pat := "^"
	last := 0
	for i, loc := range verb.FindAllStringSubmatchIndex(tmpl, -1) {
		pat += regexp.QuoteMeta(tmpl[last:loc[0]]) + "(.+?)"
		n := i
		if loc[2] >= 0 {
			n, _ = strconv.Atoi(tmpl[loc[2]+1 : loc[3]-1])
			n--
		}
		order = append(order, n)
		last = loc[1]
	}
	return regexp.MustCompile(pat + regexp.QuoteMeta(tmpl[last:]) + "$"), order
}

// checkPair scores one pair with its reasons and checks each; it returns the
// kinds it saw.
func (m *Matcher) checkPair(t *testing.T, checks map[string]func(claim) error, mr, sr *talaash.Record, seen map[string]int) {
	t.Helper()
	mf, sf := m.features(mr), m.features(sr)
	e := &explanation{}
	m.score(&mf, &sf, &m.stats[0], e)
	mrd, srd := m.readRecord(mr), m.readRecord(sr)
	for _, it := range e.items {
		if it.w == 0 {
			continue // not shown
		}
		check, ok := checks[it.id]
		if !ok {
			t.Errorf("%s~%s: reason kind %q has no check", mr.Ref, sr.Ref, it.id)
			continue
		}
		if !plainGSM(it.r.Latn) || it.r.Latn == "" {
			t.Errorf("%s~%s: Hinglish %q is missing or not plain ASCII", mr.Ref, sr.Ref, it.r.Latn)
		}
		re, order := argsRE(m.v.reasons[it.id][0])
		sub := re.FindStringSubmatch(it.r.En)
		if sub == nil {
			t.Errorf("%s~%s: %q does not read as its template %q", mr.Ref, sr.Ref, it.r.En, m.v.reasons[it.id][0])
			continue
		}
		args := make([]string, len(order))
		for i, n := range order {
			args[n] = sub[i+1]
		}
		seen[it.id]++
		if err := check(claim{id: it.id, args: args, m: mrd, s: srd}); err != nil {
			t.Errorf("%s~%s: %q is not so: %v", mr.Ref, sr.Ref, it.r.En, err)
		}
	}
}

func TestReasonsHoldOnFields(t *testing.T) {
	recs, truth := loadCases(t)
	m := newDevMatcher(t)
	byRef := map[string]*talaash.Record{}
	for _, r := range recs {
		m.Add(r)
		byRef[r.Ref] = r
	}
	checks := m.reasonChecks()
	seen := map[string]int{}
	// every candidate of the development file
	for _, r := range recs {
		if r.Kind == talaash.KindMissing {
			continue
		}
		for _, c := range m.Match(r, 5) {
			m.checkPair(t, checks, byRef[c.Missing], r, seen)
		}
	}
	// true pairs moved in time: before the reported time by minutes, by
	// 8 to 11 hours, by days; just after it
	shifts := []time.Duration{-20 * time.Minute, -8 * time.Hour, -9*time.Hour - 30*time.Minute, -11 * time.Hour, -3 * 24 * time.Hour,
		10 * time.Minute, 5 * time.Hour, 47 * time.Hour, 9 * 24 * time.Hour}
	n := 0
	for s, mref := range truth {
		if n++; n > 60 {
			break
		}
		mr := byRef[mref]
		for _, d := range shifts {
			sr := *byRef[s]
			sr.Time = mr.Time.Add(d)
			m.checkPair(t, checks, mr, &sr, seen)
		}
	}
	// synthetic records, paired at random, and one with a twin at the same
	// point and height
	g := newGen(m, 1)
	for i := 0; i < 400; i++ {
		mr, sr := g.recordSpan(i, false, 30), g.recordSpan(i+7919, true, 30)
		m.checkPair(t, checks, mr, sr, seen)
		if i%40 == 0 {
			tw := *mr
			tw.Ref, tw.Kind = "T"+mr.Ref, talaash.KindFound
			tw.HeightCM, mr.HeightCM = talaash.Num(120), talaash.Num(120)
			tw.Lat, tw.Lon = talaash.Num(26.45), talaash.Num(80.33)
			mr.Lat, mr.Lon = talaash.Num(26.4501), talaash.Num(80.3301)
			tw.Place = ""
			tw.Time = mr.Time.Add(-30 * time.Minute)
			m.checkPair(t, checks, mr, &tw, seen)
		}
	}
	t.Logf("reasons checked: %v", seen)
	for _, id := range []string{"after", "after_found", "before", "before_found", "before_soon", "before_soon_found", "after_soon",
		"gender", "age", "age_same", "height_same", "near", "distance", "same_place", "name", "name_same", "name_part", "name_diff",
		"clothes", "clothes_near", "mark", "mark_near"} {
		if seen[id] == 0 {
			t.Errorf("no pair gave a %q reason: the check of that kind went untested", id)
		}
	}
}

// TestSightingBeforeReportedTime: a sighting 8 to 11 hours before the
// reported time is said to be so, never "within an hour", and it weighs
// less than one just after, the more so the further before.
func TestSightingBeforeReportedTime(t *testing.T) {
	m := newDevMatcher(t)
	miss := rec("M1", talaash.KindMissing, "female", 8, "pink frock", "mole on left cheek", "Parade", t0)
	prev := math.Inf(1)
	for _, d := range []time.Duration{30 * time.Minute, -30 * time.Minute, -3 * time.Hour, -8 * time.Hour, -11 * time.Hour, -40 * time.Hour} {
		s := rec("S1", talaash.KindSighting, "female", 8, "pink frock", "mole on left cheek", "Parade", t0.Add(d))
		mf, sf := m.features(miss), m.features(s)
		e := &explanation{}
		w := m.score(&mf, &sf, &m.stats[0], e)
		var texts []string
		for _, r := range e.reasons() {
			texts = append(texts, r.En)
		}
		all := strings.Join(texts, "; ")
		if d < 0 && strings.Contains(all, "within an hour") {
			t.Errorf("%v: %q", d, all)
		}
		if h := int(-d.Hours()); d <= -2*time.Hour && h < 48 && !strings.Contains(all, fmt.Sprintf("seen %d hours before the reported time", h)) {
			t.Errorf("%v: %q does not say %d hours before", d, all, h)
		}
		if w >= prev {
			t.Errorf("%v: score %.2f, not below %.2f of a sighting nearer the reported time", d, w, prev)
		}
		prev = w
	}
}
