package dialog

import (
	"strconv"
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

// skipW are the answers that give nothing: a skip, "don't know", "no". They
// are kept as their words, the way skipped compares them.
var skipW = phrases("skip", "none", "no", "nahi", "nahin", "नहीं", "कोई नहीं", "koi nahi", "pata nahi", "पता नहीं", "nothing",
	"chhodo", "छोड़ें", "छोड़ो", "don't know", "dont know", "unknown", "-", "na", "n/a", "nil", "kuch nahi", "कुछ नहीं", "नही",
	"i don't know", "i dont know", "i do not know", "do not know", "not known", "no idea", "idk", "dunno", "not sure",
	"nahi pata", "nhi pata", "pata nhi", "nahi maloom", "malum nahi", "maloom nahi", "pata nahi hai", "nahi pata hai",
	"पता नहीं है", "मालूम नहीं", "नहीं पता", "नहीं मालूम", "कोई निशान नहीं", "koi nishan nahi", "no mark", "no marks",
	"no sir", "nahi ji", "नहीं जी", "nahi hai", "नहीं है", "kuch nahi hai", "कुछ नहीं है", "none known")

func phrases(ps ...string) map[string]bool {
	m := make(map[string]bool, len(ps))
	for _, p := range ps {
		m[strings.Join(words(fold(p)), " ")] = true
	}
	return m
}

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
		name := nameIn(t.text)
		if !hasLetters(name, 2) || utf8Len(name) > maxName {
			return "err.name"
		}
		t.draft().Name = clip(name, maxName)
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
	if t.garment() {
		return "err.complexion.clothes"
	}
	return readText(complexOf, optional)(t)
}

func readHeight(t *turn) string {
	d := t.draft()
	if t.skipped() {
		d.HeightCM = nil
		return ""
	}
	if looksTime(t.text, t.env.Now) {
		return "err.height.time" // "yesterday 5pm" is no 152 cm
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
	if t.garment() && (t.env.Extract == nil || t.env.Extract(t.text).Place == "") {
		return "err.place.clothes"
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
		if u, ok := strings.CutPrefix(t.data, "t:at:"); ok {
			sec, err := strconv.ParseInt(u, 10, 64)
			if err != nil || time.Unix(sec, 0).After(now) {
				return "err.time"
			}
			at = time.Unix(sec, 0)
			break
		}
		if yes, ok := ParseYesNo(t.text); ok && yes {
			// "yes" to the day offered for a time still to come.
			for _, c := range t.s.Offered {
				if u, ok := strings.CutPrefix(c.Data, "t:at:"); ok {
					if sec, err := strconv.ParseInt(u, 10, 64); err == nil && !time.Unix(sec, 0).After(now) {
						at = time.Unix(sec, 0)
					}
				}
			}
			if !at.IsZero() {
				break
			}
		}
		v, ok := ParseTime(t.text, now)
		if !ok {
			// Read as if said at the day's end, a time that is still to
			// come today: the day before is likely meant.
			n := now.In(talaash.IST)
			late := time.Date(n.Year(), n.Month(), n.Day(), 23, 59, 0, 0, talaash.IST)
			if f, ok := ParseTime(t.text, late); ok && f.After(now) {
				t.future = f.AddDate(0, 0, -1)
				return "err.time.future"
			}
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
	name, rel := guardianIn(t.text)
	if !hasLetters(name, 2) || utf8Len(name) > maxName {
		return "err.name"
	}
	contact(d).Name = clip(name, maxName)
	contact(d).Relation = rel
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

// nameFill are the words around a name in "her name is Priya", "naam Priya
// hai", "उसका नाम प्रिया है". nameMark are those that say a sentence names
// someone; only then are the others taken out, so "Ram Kumar" stays whole.
var (
	nameMark = set("name", "naam", "nam", "नाम", "called", "naam:", "name:")
	nameFill = set("her", "his", "my", "the", "child", "childs", "child's", "s", "name", "is", "was", "called", "its", "it", "she", "he",
		"uska", "uski", "uske", "iska", "iski", "mera", "meri", "hamara", "bachche", "bacche", "bachhe", "ka", "ki", "ke", "naam", "nam",
		"hai", "h", "tha", "thi", "hain", "he's", "she's", "it's", "उसका", "उसकी", "उसके", "इसका", "इसकी", "मेरा", "मेरी", "मेरे",
		"हमारा", "बच्चे", "बच्चा", "बच्ची", "का", "की", "के", "नाम", "है", "था", "थी", "हैं", "i", "am", "मैं", "हूँ", "हूं", "main", "hoon", "hu", "hun")
)

// nameIn is the name in an answer to "what is the name": the answer itself,
// or what is left of a sentence once the words that frame a name are out.
func nameIn(s string) string {
	s = strings.TrimSpace(s)
	ws := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '.' || r == '!' || r == '।' })
	marked := false
	for _, w := range ws {
		if nameMark[fold(strings.Trim(w, ":"))] || nameMark[fold(w)] {
			marked = true
		}
	}
	if !marked {
		return s
	}
	var keep []string
	for _, w := range ws {
		if !nameFill[fold(strings.Trim(w, ":'"))] {
			keep = append(keep, strings.Trim(w, ":"))
		}
	}
	return strings.Join(keep, " ")
}

// relations maps the words a guardian names themself by to the relation
// stored; relFill are the words of "I am her mother", "मैं उसकी माँ हूँ".
var (
	relations = func() map[string]string {
		m := map[string]string{}
		for rel, ws := range map[string][]string{
			"mother":      {"mother", "mom", "mum", "mummy", "mummi", "mammi", "maa", "maan", "mata", "माँ", "मां", "माता", "मम्मी", "अम्मी", "ammi", "amma"},
			"father":      {"father", "dad", "daddy", "papa", "pappa", "pita", "pitaji", "abba", "पिता", "पापा", "पिताजी", "अब्बा", "बाप"},
			"grandmother": {"grandmother", "grandma", "dadi", "nani", "दादी", "नानी"},
			"grandfather": {"grandfather", "grandpa", "dada", "nana", "दादा", "नाना"},
			"uncle":       {"uncle", "chacha", "mama", "mamu", "tau", "fufa", "mausa", "चाचा", "मामा", "ताऊ", "फूफा", "मौसा"},
			"aunt":        {"aunt", "aunty", "auntie", "chachi", "mami", "mausi", "bua", "tai", "चाची", "मामी", "मौसी", "बुआ", "ताई"},
			"brother":     {"brother", "bhai", "bhaiya", "भाई", "भैया"},
			"sister":      {"sister", "behen", "bahan", "didi", "बहन", "दीदी"},
			"guardian":    {"guardian", "sanrakshak", "अभिभावक"},
			"neighbour":   {"neighbour", "neighbor", "padosi", "पड़ोसी"},
			"teacher":     {"teacher", "sir", "madam", "shikshak", "अध्यापक", "शिक्षक"},
		} {
			for _, w := range ws {
				m[fold(w)] = rel
			}
		}
		return m
	}()
	relFill = set("i", "am", "i'm", "im", "her", "his", "the", "child's", "of", "its", "main", "mai", "hoon", "hun", "hu", "uski", "uska", "uske",
		"iski", "iska", "मैं", "हूँ", "हूं", "उसकी", "उसका", "उसके", "इसकी", "इसका", "की", "का", "के", "hai", "है", "ki", "ka", "ke", "real",
		"sagi", "saga", "सगी", "सगा")
)

// guardianIn splits "सुनीता देवी, मैं उसकी माँ हूँ" into the name and the
// relation; an answer that names no relation is a name.
func guardianIn(s string) (name, rel string) {
	ws := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '.' || r == '!' || r == '।' || r == '(' || r == ')' || r == '-'
	})
	for _, w := range ws {
		if r, ok := relations[fold(w)]; ok {
			rel = r
			break
		}
	}
	if rel == "" {
		return nameIn(s), ""
	}
	var keep []string
	for _, w := range ws {
		f := fold(strings.Trim(w, ":'"))
		if relations[f] == "" && !relFill[f] && !nameFill[f] {
			keep = append(keep, w)
		}
	}
	return strings.Join(keep, " "), rel
}

// garmentW are clothes that people give for a question about something else.
var garmentW = set("shirt", "tshirt", "t-shirt", "frock", "jeans", "pant", "pants", "trouser", "trousers", "shorts", "skirt", "kurta",
	"kurti", "salwar", "suit", "saree", "sari", "dress", "top", "sweater", "jacket", "banyan", "baniyan", "nikar", "nekar", "half",
	"lehenga", "dupatta", "chappal", "joota", "shoes", "kameez", "kamiz", "kamij", "topi", "cap", "uniform", "school",
	"कमीज़", "कमीज", "शर्ट", "फ्रॉक", "फ्राक", "जींस", "पैंट", "निकर", "कुर्ता", "कुर्ती", "सलवार", "साड़ी", "स्वेटर", "जैकेट", "टीशर्ट", "टोपी", "ड्रेस")

// garment reports whether the answer describes clothes: words of garments,
// or the matcher's reader finding clothes and no place.
func (t *turn) garment() bool {
	ws := words(fold(strings.ReplaceAll(t.text, "-", "")))
	if hasAny(ws, garmentW) || hasAny(words(fold(t.text)), garmentW) {
		return true
	}
	return false
}

// heightUnitW are the words that make a number a height.
var heightUnitW = set("cm", "cms", "feet", "foot", "ft", "inch", "inches", "fut", "फुट", "फीट", "इंच", "सेमी", "m", "meter", "metre")

// looksTime reports whether an answer to another question reads as a time
// ("yesterday 5pm", "कल शाम 5 बजे") and names no height unit.
func looksTime(s string, now time.Time) bool {
	ws := words(fold(s))
	if hasAny(ws, heightUnitW) || strings.ContainsAny(s, "'\"") {
		return false
	}
	if !hasLetters(s, 2) {
		return false
	}
	n := now.In(talaash.IST)
	_, ok := ParseTime(s, time.Date(n.Year(), n.Month(), n.Day(), 23, 59, 0, 0, talaash.IST))
	return ok
}
