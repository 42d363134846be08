package dialog

import (
	"strings"
	"time"
	"unicode"

	"talaash"
)

// The choices the question table offers.
var (
	skipChoice    = Choice{ID: "choice.skip", Data: "skip"}
	unknownChoice = Choice{ID: "choice.unknown", Data: "skip"}
	noneChoice    = Choice{ID: "choice.none", Data: "skip"}
	genderChoices = []Choice{{ID: "gender.male", Data: "g:male"}, {ID: "gender.female", Data: "g:female"}}

	complexionChoices = []Choice{{ID: "complexion.fair", Data: "c:fair"}, {ID: "complexion.wheatish", Data: "c:wheatish"},
		{ID: "complexion.dark", Data: "c:dark"}, skipChoice}

	timeNow       = Choice{ID: "time.now", Data: "t:now"}
	timeToday     = Choice{ID: "time.today", Data: "t:today"}
	timeYesterday = Choice{ID: "time.yesterday", Data: "t:yesterday"}
	// seenTimes are the choices for when a child was seen or found.
	seenTimes = []Choice{timeNow, timeToday, timeYesterday}

	safeChoices = []Choice{{ID: "safe.with_me", Data: "safe:with_me"}, {ID: "safe.safe", Data: "safe:safe"},
		{ID: "safe.danger", Data: "safe:danger"}, {ID: "safe.unknown", Data: "safe:unknown"}}
	// confirmChoices end a flow's summary: Confirm / Edit / Cancel.
	confirmChoices = []Choice{{ID: "choice.confirm", Data: "confirm"}, {ID: "choice.edit", Data: "edit"},
		{ID: "choice.cancel", Data: "cancel"}}
)

var skipW = set("skip", "none", "no", "nahi", "nahin", "नहीं", "कोई नहीं", "koi nahi", "pata nahi", "पता नहीं", "nothing",
	"chhodo", "छोड़ें", "छोड़ो", "don't know", "dont know", "unknown", "-", "na", "n/a", "nil", "kuch nahi", "कुछ नहीं", "नही", "nil.")

// skipped reports whether the person chose to skip an optional question.
func (t *turn) skipped() bool {
	if t.data == "skip" {
		return true
	}
	f := strings.Join(words(fold(t.text)), " ")
	return skipW[f] || t.text == "-"
}

// hasLetters reports whether s has at least n letters.
func hasLetters(s string, n int) bool {
	c := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			c++
			if c >= n {
				return true
			}
		}
	}
	return false
}

func (t *turn) draft() *talaash.Record {
	if t.s.Draft == nil {
		t.s.Draft = &talaash.Record{Kind: talaash.KindSighting}
	}
	return t.s.Draft
}

// readText reads free text into the draft field get points to.
func readText(get func(*talaash.Record) *string, canSkip bool) func(t *turn) string {
	return func(t *turn) string {
		if canSkip && t.skipped() {
			*get(t.draft()) = ""
			return ""
		}
		if !hasLetters(t.text, 2) {
			return "err.text"
		}
		*get(t.draft()) = clip(t.text, maxField)
		return ""
	}
}

func complexOf(r *talaash.Record) *string { return &r.Complex }
func clothesOf(r *talaash.Record) *string { return &r.Clothes }
func marksOf(r *talaash.Record) *string   { return &r.Marks }
func stationOf(r *talaash.Record) *string { return &r.Station }

func readName(canSkip bool) func(t *turn) string {
	return func(t *turn) string {
		if canSkip && t.skipped() {
			t.draft().Name = ""
			return ""
		}
		if !hasLetters(t.text, 2) || utf8Len(t.text) > maxName {
			return "err.name"
		}
		t.draft().Name = clip(t.text, maxName)
		return ""
	}
}

func utf8Len(s string) int { return len([]rune(s)) }

func readAge(canSkip bool) func(t *turn) string {
	return func(t *turn) string {
		d := t.draft()
		if canSkip && t.skipped() {
			d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
			return ""
		}
		lo, hi, why := readAgeText(t.text)
		switch {
		case why == ageAdult:
			return "err.age.adult"
		case why != "":
			return "err.age"
		case hi > talaash.AgeLimit(d.Kind) && d.Kind == talaash.KindMissing:
			// A parent knows the age; only a stranger's range reaches past 18.
			return "err.age"
		}
		setAge(d, lo, hi)
		return ""
	}
}

func setAge(d *talaash.Record, lo, hi float64) {
	d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
	if lo == hi {
		d.Age = talaash.Num(lo)
	} else {
		d.AgeMin, d.AgeMax = talaash.Num(lo), talaash.Num(hi)
	}
}

func readGender(t *turn) string {
	if g, ok := strings.CutPrefix(t.data, "g:"); ok && (g == "male" || g == "female") {
		t.draft().Gender = g
		return ""
	}
	g, ok := ParseGender(t.text)
	if !ok {
		return "err.gender"
	}
	t.draft().Gender = g
	return ""
}

func readComplexion(t *turn) string {
	if c, ok := strings.CutPrefix(t.data, "c:"); ok {
		t.draft().Complex = clip(c, 20)
		return ""
	}
	return readText(complexOf, optional)(t)
}

func readHeight(t *turn) string {
	d := t.draft()
	if t.skipped() {
		d.HeightCM = nil
		return ""
	}
	cm, ok := ParseHeight(t.text)
	if !ok {
		return "err.height"
	}
	d.HeightCM = talaash.Num(cm)
	return ""
}

// readPlace takes a shared location (preferred) or a place name.
func readPlace(t *turn) string {
	d := t.draft()
	if l := t.in.Location; l != nil {
		if l.Lat < -90 || l.Lat > 90 || l.Lon < -180 || l.Lon > 180 {
			return "err.place"
		}
		d.Lat, d.Lon = talaash.Num(l.Lat), talaash.Num(l.Lon)
		return ""
	}
	if !hasLetters(t.text, 2) {
		return "err.place"
	}
	d.Place = clip(t.text, maxField)
	return ""
}

func readTime(t *turn) string {
	now := t.env.Now
	var at time.Time
	switch t.data {
	case "t:now":
		at = now
	case "t:today":
		at = now
	case "t:yesterday":
		at = now.Add(-24 * time.Hour)
	default:
		v, ok := ParseTime(t.text, now)
		if !ok {
			return "err.time"
		}
		at = v
	}
	t.draft().Time = at.UTC().Truncate(time.Second)
	return ""
}

func readPhoto(t *turn) string {
	if len(t.in.Photos) > 0 {
		d := t.draft()
		for _, p := range t.in.Photos {
			if p != "" && len(d.Photos) < 10 {
				d.Photos = append(d.Photos, clip(p, 1000))
			}
		}
		return ""
	}
	if t.skipped() {
		return ""
	}
	return "err.photo"
}

// selfChoices lets a sender whose address is a phone number (SMS, WhatsApp)
// give the number they write from.
func selfChoices(canSkip bool) func(t *turn) []Choice {
	return func(t *turn) []Choice {
		var c []Choice
		if t.env.Caps.PhoneAddress {
			if _, err := ParsePhone(t.s.Sender); err == nil {
				c = append(c, Choice{ID: "choice.this_number", Data: "self"})
			}
		}
		if canSkip {
			c = append(c, skipChoice)
		}
		return c
	}
}

// phone reads a shared contact, "self" or a typed number.
func (t *turn) phone() (string, string) {
	if c := t.in.Contact; c != nil && c.Phone != "" {
		p, err := ParsePhone(c.Phone)
		if err != nil {
			return "", "err.phone"
		}
		return p, ""
	}
	src := t.text
	if t.data == "self" {
		src = t.s.Sender
	}
	p, err := ParsePhone(src)
	if err != nil {
		return "", "err.phone"
	}
	return p, ""
}

func contact(d *talaash.Record) *talaash.Contact {
	if d.Contact == nil {
		d.Contact = &talaash.Contact{}
	}
	return d.Contact
}

func readGuardian(t *turn) string {
	d := t.draft()
	if c := t.in.Contact; c != nil {
		if c.Name != "" {
			contact(d).Name = clip(c.Name, maxName)
		}
		if c.Phone != "" {
			p, e := t.phone()
			if e != "" {
				return e
			}
			contact(d).Phone = p
			t.skipPhone = c.Name != ""
		}
		if contact(d).Name == "" {
			return "err.name"
		}
		return ""
	}
	if !hasLetters(t.text, 2) || utf8Len(t.text) > maxName {
		return "err.name"
	}
	contact(d).Name = clip(t.text, maxName)
	return ""
}

func readPhone(t *turn) string {
	p, e := t.phone()
	if e != "" {
		return e
	}
	d := t.draft()
	contact(d).Phone = p
	if c := t.in.Contact; c != nil && c.Name != "" && contact(d).Name == "" {
		contact(d).Name = clip(c.Name, maxName)
	}
	return ""
}

func readSafe(t *turn) string {
	d := t.draft()
	set := func(v string) string {
		d.Safe = v
		if v == "danger" {
			t.emergency()
		}
		return ""
	}
	if v, ok := strings.CutPrefix(t.data, "safe:"); ok {
		switch v {
		case "with_me", "safe", "danger", "unknown":
			return set(v)
		}
		return "err.choice"
	}
	if Danger(t.text) {
		return set("danger")
	}
	if yes, ok := ParseYesNo(t.text); ok {
		if !yes {
			return set("danger")
		}
		return set("safe")
	}
	if t.skipped() {
		d.Safe = "unknown"
		return ""
	}
	return "err.choice"
}

// readContact is a bystander's own contact, which they may withhold.
func readContact(t *turn) string {
	d := t.draft()
	if t.in.Contact == nil && t.data != "self" && t.skipped() {
		d.Contact = nil
		return ""
	}
	p, e := t.phone()
	if e != "" {
		return e
	}
	contact(d).Phone = p
	if c := t.in.Contact; c != nil && c.Name != "" {
		contact(d).Name = clip(c.Name, maxName)
	} else if t.in.Name != "" && contact(d).Name == "" {
		contact(d).Name = clip(t.in.Name, maxName)
	}
	return ""
}
