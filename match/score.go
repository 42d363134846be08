package match

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"talaash"
	"talaash/render"
)

// Scores are sums of log-odds-like weights: each piece of evidence adds what
// it says about "same child" against "another child". The weights were set on
// one half of the development file and checked on the other half.
const (
	wGenderSame   = 0.5
	wGenderDiff   = -6.0
	wTime0        = 3.0       // seen right after the child went missing
	wTimeSlope    = 1.1       // per log-day
	timeSlack     = 12 * 3600 // a sighting this long before the reported time weighs wBefore
	wBefore       = -4.0
	wNameFirst    = 3.5
	wNameLast     = 1.5
	wNameDiff     = -2.5
	wItem         = 1.0 // same garment and colour (plus rarity)
	wItemCap      = 4.5
	wMark         = 2.6 // same type, part and side (plus rarity)
	wTrait        = 2.0
	wTraitMissing = -0.6
	rarityScale   = 0.25 // per nat of inverse frequency

	// Scales of the kinds of evidence against each other, fitted by
	// ranking the true child among the candidates on reworded copies of
	// the development file (not the file itself): a time and a place
	// agree more rarely by chance than the figures above say, clothes far
	// more rarely, and an age within the witness's guess is weak evidence
	// (a clearly different age still counts against in full).
	kTime    = 1.5
	kPlace   = 1.2
	kClothes = 1.8
	kAgePos  = 0.5
)

// explanation collects reasons with their weight, to show the strongest first.
type explanation struct {
	items []wreason
	hi    bool
}

type wreason struct {
	w  float64
	id string
	r  talaash.Reason
}

// Languages of a reason, the columns of reasons.csv after the id.
const (
	langEn = iota
	langHi
	langLatn // Hindi in Latin letters
)

// add adds a reason whose Hinglish takes the English arguments: the words of
// the records as written, in Latin letters.
func (m *Matcher) add(e *explanation, w float64, id string, en, hi []any) {
	m.addIn(e, w, id, en, hi, en)
}

// addIn adds a reason with its arguments in each language; latn's are Latin
// letters, never Devanagari.
func (m *Matcher) addIn(e *explanation, w float64, id string, en, hi, latn []any) {
	if e == nil {
		return
	}
	r := talaash.Reason{En: m.tmpl(id, langEn, en...), Hi: m.tmpl(id, langHi, hi...)}
	if m.v.reasons[id][langLatn] != "" {
		r.Latn = m.tmpl(id, langLatn, latn...)
	}
	e.items = append(e.items, wreason{w, id, r})
}

// latin is a name as a Hinglish reason shows it: in Latin letters, GSM-7.
func latin(name string) string { return render.SMSSafe(render.Titled(name)) }

// tmpl renders a reason template of reasons.csv, the English one where the
// file lacks the language's.
func (m *Matcher) tmpl(id string, lang int, args ...any) string {
	t, ok := m.v.reasons[id]
	if !ok {
		return id
	}
	if t[lang] == "" {
		lang = langEn
	}
	return fmt.Sprintf(t[lang], args...)
}

func (e *explanation) reasons() []talaash.Reason {
	slices.SortStableFunc(e.items, func(a, b wreason) int { return cmp.Compare(math.Abs(b.w), math.Abs(a.w)) })
	out := make([]talaash.Reason, 0, len(e.items))
	for _, it := range e.items {
		if it.w != 0 {
			out = append(out, it.r)
		}
	}
	return out
}

// idf is how rare a feature code is among the held records of one side.
func idf(count int32, n int) float64 {
	return math.Log(float64(n+1) / float64(count+1))
}

// score compares a missing record mf with a sighting or found record sf.
// It must stay cheap: it runs for every candidate the index yields.
func (m *Matcher) score(mf, sf *feat, stats *sideStats, e *explanation) float64 {
	s := 0.0
	// gender
	if mf.gender != 0 && sf.gender != 0 {
		if mf.gender == sf.gender {
			s += wGenderSame
			if e != nil {
				g := m.v.concept(catGender, mf.gender)
				m.add(e, wGenderSame, "gender", []any{g.en}, []any{g.hi})
			}
		} else {
			s += wGenderDiff
			if e != nil {
				a, b := m.v.concept(catGender, mf.gender), m.v.concept(catGender, sf.gender)
				m.add(e, wGenderDiff, "gender_diff", []any{a.en, b.en}, []any{a.hi, b.hi})
			}
		}
	}
	// time: a sighting comes after the report's "missing since". A parent's
	// time can be late, so one a little before still counts, but less the
	// further before it is: by timeSlack it counts against.
	if mf.t != 0 && sf.t != 0 {
		w := timeWeight(sf.t - mf.t)
		s += w
		if e != nil {
			m.timeReason(e, w, sf.t-mf.t, sf)
		}
	}
	// age
	if mf.ageLo >= 0 && sf.ageLo >= 0 {
		gap := float64(max(mf.ageLo, sf.ageLo) - min(mf.ageHi, sf.ageHi))
		var w float64
		switch {
		case gap <= 0.5:
			w = 1.0
		case gap <= 1.5:
			w = 0.4
		case gap <= 2.5:
			w = -0.4
		case gap <= 3.5:
			w = -1.5
		default:
			w = -1.5 - 1.5*(gap-3.5)
		}
		if w > 0 {
			w *= kAgePos
		}
		s += w
		if e != nil {
			a, b := m.ageText(mf, langEn), m.ageText(sf, langEn)
			ah, bh := m.ageText(mf, langHi), m.ageText(sf, langHi)
			al, bl := m.ageText(mf, langLatn), m.ageText(sf, langLatn)
			if a == b {
				m.addIn(e, w, "age_same", []any{a}, []any{ah}, []any{al})
			} else {
				m.addIn(e, w, "age", []any{a, b}, []any{ah, bh}, []any{al, bl})
			}
		}
	}
	// complexion: witnesses are a shade off, not two
	if mf.complex != 0 && sf.complex != 0 {
		d := int(mf.complex) - int(sf.complex)
		if d < 0 {
			d = -d
		}
		w := [...]float64{0.3, 0, -0.7, -1.5}[min(d, 3)]
		s += w
		if e != nil && w != 0 {
			mc, sc := m.v.concept(catComplexion, levelConcept(m.v, mf.complex)), m.v.concept(catComplexion, levelConcept(m.v, sf.complex))
			if d == 0 {
				m.add(e, w, "complexion", []any{mc.en}, []any{mc.hi})
			} else {
				m.add(e, w, "complexion_diff", []any{mc.en, sc.en}, []any{mc.hi, sc.hi})
			}
		}
	}
	// height
	if mf.height != 0 && sf.height != 0 {
		d := math.Abs(float64(mf.height) - float64(sf.height))
		w := 0.0
		switch {
		case d <= 6:
			w = 0.3
		case d > 12:
			w = math.Max(-(d-12)/8, -2)
		}
		s += w
		if e != nil && mf.height == sf.height {
			m.add(e, w, "height_same", []any{int(mf.height)}, []any{int(mf.height)})
		} else if e != nil && w != 0 {
			m.add(e, w, "height", []any{int(mf.height), int(sf.height)}, []any{int(mf.height), int(sf.height)})
		}
	}
	// distance
	if !math.IsNaN(float64(mf.lat)) && !math.IsNaN(float64(sf.lat)) {
		km := distKM(float64(mf.lat), float64(mf.lon), float64(sf.lat), float64(sf.lon))
		w := kPlace * math.Max(0.6-0.45*math.Log1p(km/2), -1.5)
		s += w
		if e != nil {
			if mf.place != 0 && mf.place == sf.place {
				p := m.gaz.places[mf.place-1]
				m.add(e, w, "same_place", []any{p.en}, []any{p.hi})
			} else if km < 0.1 {
				m.add(e, w, "near", nil, nil)
			} else {
				k := strconv.FormatFloat(km, 'f', 0, 64)
				if km < 10 {
					k = strconv.FormatFloat(km, 'f', 1, 64)
				}
				m.add(e, w, "distance", []any{k}, []any{k})
			}
		}
	}
	// names
	if len(mf.names) > 0 && len(sf.names) > 0 {
		g := nameSim(mf.names[0], sf.names[0])
		var w float64
		if g > 0 {
			w = wNameFirst * g
			if len(mf.names) > 1 && len(sf.names) > 1 {
				if nameSim(mf.names[len(mf.names)-1], sf.names[len(sf.names)-1]) > 0 {
					w += wNameLast
				} else {
					w -= 0.5
				}
			}
		} else {
			w = wNameDiff
		}
		s += w
		if e != nil {
			// the names as people wrote them: police read these, not keys;
			// in Hinglish a name written in Devanagari is in Latin letters
			args, latn := []any{mf.name, sf.name}, []any{latin(mf.name), latin(sf.name)}
			id := "name"
			switch {
			case w < 0:
				id = "name_diff"
			case g < 1:
				id = "name_part"
			case strings.EqualFold(mf.name, sf.name):
				id, args, latn = "name_same", args[:1], latn[:1]
			}
			m.addIn(e, w, id, args, args, latn)
		}
	}
	s += m.scoreClothes(mf, sf, stats, e)
	s += m.scoreMarks(mf, sf, stats, e)
	// traits
	if sf.traits != 0 || mf.traits != 0 {
		for id := uint8(1); id < 16; id++ {
			bit := uint16(1) << id
			switch {
			case sf.traits&bit != 0 && mf.traits&bit != 0:
				s += wTrait
				if e != nil {
					c := m.v.concept(catTrait, id)
					if _, ok := m.v.reasons["trait_"+c.name]; ok {
						m.add(e, wTrait, "trait_"+c.name, nil, nil)
					} else {
						m.add(e, wTrait, "trait", []any{c.en}, []any{c.hi})
					}
				}
			case sf.traits&bit != 0:
				s += wTraitMissing
			}
		}
	}
	return s
}

// timeWeight weighs a sighting d seconds after the reported time (negative:
// before it).
func timeWeight(d int64) float64 {
	if d >= 0 {
		return kTime * (wTime0 - wTimeSlope*math.Log1p(float64(d)/86400))
	}
	if d > -timeSlack {
		return kTime * (wTime0 - (wTime0-wBefore)*float64(-d)/timeSlack)
	}
	return kTime * (wBefore - 0.5*math.Log1p(float64(-d-timeSlack)/86400))
}

// timeReason says how the sighting's time stands to the reported one, as it
// is: before or after, and by how much.
func (m *Matcher) timeReason(e *explanation, w float64, d int64, sf *feat) {
	switch {
	case d < -3600:
		m.addIn(e, w, m.seenID("before", sf), []any{m.span(-d, langEn)}, []any{m.span(-d, langHi)}, []any{m.span(-d, langLatn)})
	case d < 0:
		m.add(e, w, m.seenID("before_soon", sf), nil, nil)
	case d < 3600:
		m.add(e, w, m.seenID("after_soon", sf), nil, nil)
	default:
		m.addIn(e, w, m.seenID("after", sf), []any{m.span(d, langEn)}, []any{m.span(d, langHi)}, []any{m.span(d, langLatn)})
	}
}

// seenID picks the wording for a sighting or a found child.
func (m *Matcher) seenID(id string, sf *feat) string {
	if sf.found {
		return id + "_found"
	}
	return id
}

func levelConcept(v *vocab, level uint8) uint8 {
	for _, c := range v.concepts[catComplexion] {
		if c.level == int(level) {
			return c.id
		}
	}
	return 0
}

// span renders a duration as hours or days, singular where it is one.
func (m *Matcher) span(sec int64, lang int) string {
	h := sec / 3600
	if h < 48 {
		if h == 1 {
			return m.tmpl("hour", lang, 1)
		}
		return m.tmpl("hours", lang, int(h))
	}
	d := int((h + 12) / 24)
	return m.tmpl("days", lang, d)
}

func (m *Matcher) ageText(f *feat, lang int) string {
	var s string
	if f.ageLo == f.ageHi {
		s = strconv.FormatFloat(float64(f.ageLo), 'f', -1, 32)
	} else {
		s = strconv.FormatFloat(float64(f.ageLo), 'f', -1, 32) + "-" + strconv.FormatFloat(float64(f.ageHi), 'f', -1, 32)
	}
	if f.approx {
		return m.tmpl("about", lang, s)
	}
	return m.tmpl("years", lang, s)
}

// scoreClothes: each item the witness saw, against the best item of the
// report. Children change clothes and witnesses see only part of them, so a
// miss costs little and agreement counts more the rarer the item.
func (m *Matcher) scoreClothes(mf, sf *feat, st *sideStats, e *explanation) float64 {
	if len(sf.items()) == 0 || len(mf.items()) == 0 {
		return 0
	}
	total := 0.0
	for _, si := range sf.items() {
		sg, sc := uint8(si>>8), uint8(si)
		best, bestMI := -0.15, uint16(0)
		for _, mi := range mf.items() {
			mg, mc := uint8(mi>>8), uint8(mi)
			var w float64
			sameG := sg != 0 && sg == mg
			sameC := sc != 0 && sc == mc
			famC := sc != 0 && mc != 0 && m.colourFam[sc] == m.colourFam[mc]
			slotG := sg != 0 && mg != 0 && m.garmentSlot[sg] == m.garmentSlot[mg]
			switch {
			case sameG && sameC:
				w = wItem + rarityScale*idf(st.items[si], st.n)
			case sameG && famC:
				w = 0.5
			case slotG && sameC:
				w = 0.7
			case sameC && (sg == 0 || mg == 0):
				w = 0.5
			case sameG && sc != 0 && mc != 0:
				w = -0.3
			case sameG:
				w = 0.2
			case slotG && famC:
				w = 0.25
			default:
				continue
			}
			if w > best {
				best, bestMI = w, mi
			}
		}
		total += best
		if e != nil && best > 0 {
			best *= kClothes
			if bestMI == si {
				m.add(e, best, "clothes", []any{m.itemLabel(si, false)}, []any{m.itemLabel(si, true)})
			} else {
				m.add(e, best, "clothes_near", []any{m.itemLabel(bestMI, false), m.itemLabel(si, false)},
					[]any{m.itemLabel(bestMI, true), m.itemLabel(si, true)})
			}
		}
	}
	if total > 0 {
		total *= kClothes
	}
	return math.Max(math.Min(total, kClothes*wItemCap), -1.5)
}

// scoreMarks: marks are the strongest evidence after a name; the same type
// on the same part and side is rarely chance, left and right are sometimes
// confused.
func (m *Matcher) scoreMarks(mf, sf *feat, st *sideStats, e *explanation) float64 {
	if len(sf.marks()) == 0 {
		return 0
	}
	total := 0.0
	for _, sm := range sf.marks() {
		st_, sp, ss := unpackMark(sm)
		best, bestMM := -0.3, uint16(0)
		if len(mf.marks()) > 0 {
			best = -0.8
		}
		for _, mm := range mf.marks() {
			mt, mp, ms := unpackMark(mm)
			sameT := st_ != 0 && st_ == mt
			famT := st_ != 0 && mt != 0 && m.markFam[st_] == m.markFam[mt]
			sameP := sp != 0 && sp == mp
			famP := sp != 0 && mp != 0 && m.partFam[sp] == m.partFam[mp]
			sameS := ss != 0 && ss == ms
			noS := ss == 0 || ms == 0
			var w float64
			switch {
			case sameT && sameP && sameS:
				w = wMark + rarityScale*idf(st.marks[sm], st.n)
			case sameT && sameP && noS:
				w = 1.8
			case sameT && sameP:
				w = 1.0
			case famT && sameP && (sameS || noS):
				w = 1.4
			case sameT && famP && (sameS || noS):
				w = 1.2
			case sameP && (sameS || noS) && (st_ == 0 || mt == 0):
				w = 1.0
			case sameT && sp == 0:
				w = 0.6
			case sameT:
				w = 0.3
			case sameP && sameS:
				w = 0.5
			default:
				continue
			}
			if w > best {
				best, bestMM = w, mm
			}
		}
		total += best
		if e != nil && best > 0 {
			typ, part, side := unpackMark(sm)
			tc, pc, sc := m.v.concept(catMark, typ), m.v.concept(catPart, part), m.v.concept(catSide, side)
			switch {
			case bestMM == sm && tc != nil && pc != nil && sc != nil:
				m.add(e, best, "mark", []any{tc.en, sc.en, pc.en}, []any{tc.hi, sideLabel(sc, pc, true), pc.hi})
			case bestMM == sm && tc != nil && pc != nil:
				m.add(e, best, "mark_part", []any{tc.en, pc.en}, []any{tc.hi, pc.hi})
			default:
				m.addIn(e, best, "mark_near", []any{m.markText(bestMM, langEn), m.markText(sm, langEn)},
					[]any{m.markText(bestMM, langHi), m.markText(sm, langHi)}, []any{m.markText(bestMM, langLatn), m.markText(sm, langLatn)})
			}
		}
	}
	return total
}
