package dialog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"talaash"
	"talaash/locales"
)

// question is one state of a flow: how it is asked and how an answer is read.
type question struct {
	choices func(t *turn) []Choice
	ask     talaash.Ask
	// handle reads the answer into the draft; it returns the id of the
	// explanation to give when the answer is wrong.
	handle func(t *turn) string
}

var (
	skipChoice = Choice{ID: "choice.skip", Data: "skip"}
	skipW      = set("skip", "none", "no", "nahi", "nahin", "नहीं", "कोई नहीं", "koi nahi", "pata nahi", "पता नहीं", "nothing",
		"chhodo", "छोड़ें", "छोड़ो", "don't know", "dont know", "unknown", "-", "na", "n/a", "nil", "kuch nahi", "कुछ नहीं", "नही", "nil.")
)

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

// textField reads free text into the draft field get points to.
func textField(get func(*talaash.Record) *string, optional bool, errID string) func(t *turn) string {
	return func(t *turn) string {
		if optional && t.skipped() {
			*get(t.draft()) = ""
			return ""
		}
		if !hasLetters(t.text, 2) {
			return errID
		}
		*get(t.draft()) = clip(t.text, maxField)
		return ""
	}
}

func complexOf(r *talaash.Record) *string { return &r.Complex }
func clothesOf(r *talaash.Record) *string { return &r.Clothes }
func marksOf(r *talaash.Record) *string   { return &r.Marks }
func stationOf(r *talaash.Record) *string { return &r.Station }

func nameQ(optional bool) question {
	q := question{handle: func(t *turn) string {
		if optional && t.skipped() {
			t.draft().Name = ""
			return ""
		}
		if !hasLetters(t.text, 2) || utf8Len(t.text) > maxName {
			return "err.name"
		}
		t.draft().Name = clip(t.text, maxName)
		return ""
	}}
	if optional {
		q.choices = func(*turn) []Choice { return []Choice{{ID: "choice.unknown", Data: "skip"}} }
	}
	return q
}

func utf8Len(s string) int { return len([]rune(s)) }

func ageQ(optional bool) question {
	q := question{handle: func(t *turn) string {
		d := t.draft()
		if optional && t.skipped() {
			d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
			return ""
		}
		lo, hi, ok := ParseAge(t.text)
		if !ok {
			return "err.age"
		}
		setAge(d, lo, hi)
		return ""
	}}
	if optional {
		q.choices = func(*turn) []Choice { return []Choice{{ID: "choice.unknown", Data: "skip"}} }
	}
	return q
}

func setAge(d *talaash.Record, lo, hi float64) {
	d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
	if lo == hi {
		d.Age = talaash.Num(lo)
	} else {
		d.AgeMin, d.AgeMax = talaash.Num(lo), talaash.Num(hi)
	}
}

var genderQ = question{
	choices: func(*turn) []Choice {
		return []Choice{{ID: "gender.male", Data: "g:male"}, {ID: "gender.female", Data: "g:female"}}
	},
	handle: func(t *turn) string {
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
	},
}

var complexionQ = question{
	choices: func(*turn) []Choice {
		return []Choice{{ID: "complexion.fair", Data: "c:fair"}, {ID: "complexion.wheatish", Data: "c:wheatish"},
			{ID: "complexion.dark", Data: "c:dark"}, skipChoice}
	},
	handle: func(t *turn) string {
		if c, ok := strings.CutPrefix(t.data, "c:"); ok {
			t.draft().Complex = clip(c, 20)
			return ""
		}
		return textField(complexOf, true, "err.text")(t)
	},
}

var heightQ = question{
	choices: func(*turn) []Choice { return []Choice{skipChoice} },
	handle: func(t *turn) string {
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
	},
}

func clothesQ(optional bool) question {
	q := question{handle: textField(clothesOf, optional, "err.text")}
	if optional {
		q.choices = func(*turn) []Choice { return []Choice{skipChoice} }
	}
	return q
}

var marksQ = question{
	choices: func(*turn) []Choice { return []Choice{{ID: "choice.none", Data: "skip"}} },
	handle:  textField(marksOf, true, "err.text"),
}

// placeQ takes a shared location (preferred) or a place name.
var placeQ = question{
	ask: talaash.AskLocation,
	handle: func(t *turn) string {
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
	},
}

func timeQ(choices ...Choice) question {
	return question{
		choices: func(*turn) []Choice { return choices },
		handle: func(t *turn) string {
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
		},
	}
}

var photoQ = question{
	choices: func(*turn) []Choice { return []Choice{skipChoice} },
	handle: func(t *turn) string {
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
	},
}

// selfChoice lets an SMS or WhatsApp sender give the number they write from.
func selfChoices(t *turn, optional bool) []Choice {
	var c []Choice
	if t.s.Channel != talaash.ChannelTelegram {
		if _, err := ParsePhone(t.s.Sender); err == nil {
			c = append(c, Choice{ID: "choice.this_number", Data: "self"})
		}
	}
	if optional {
		c = append(c, skipChoice)
	}
	return c
}

// readPhone reads a shared contact, "self" or a typed number.
func (t *turn) readPhone() (string, string) {
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

var guardianQ = question{
	ask: talaash.AskContact,
	handle: func(t *turn) string {
		d := t.draft()
		if c := t.in.Contact; c != nil {
			if c.Name != "" {
				contact(d).Name = clip(c.Name, maxName)
			}
			if c.Phone != "" {
				p, e := t.readPhone()
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
	},
}

var phoneQ = question{
	ask:     talaash.AskContact,
	choices: func(t *turn) []Choice { return selfChoices(t, false) },
	handle: func(t *turn) string {
		p, e := t.readPhone()
		if e != "" {
			return e
		}
		d := t.draft()
		contact(d).Phone = p
		if c := t.in.Contact; c != nil && c.Name != "" && contact(d).Name == "" {
			contact(d).Name = clip(c.Name, maxName)
		}
		return ""
	},
}

var safeQ = question{
	choices: func(*turn) []Choice {
		return []Choice{{ID: "safe.with_me", Data: "safe:with_me"}, {ID: "safe.safe", Data: "safe:safe"},
			{ID: "safe.danger", Data: "safe:danger"}, {ID: "safe.unknown", Data: "safe:unknown"}}
	},
	handle: func(t *turn) string {
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
	},
}

var sightingContactQ = question{
	ask:     talaash.AskContact,
	choices: func(t *turn) []Choice { return selfChoices(t, true) },
	handle: func(t *turn) string {
		d := t.draft()
		if t.in.Contact == nil && t.data != "self" && t.skipped() {
			d.Contact = nil
			return ""
		}
		p, e := t.readPhone()
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
	},
}

var stationQ = question{handle: textField(stationOf, false, "err.text")}

// confirmQ is the summary: Confirm / Edit / Cancel.
var confirmQ = question{
	choices: func(*turn) []Choice {
		return []Choice{{ID: "choice.confirm", Data: "confirm"}, {ID: "choice.edit", Data: "edit"}, {ID: "choice.cancel", Data: "cancel"}}
	},
}

// seenTimes are the choices for when a child was seen or found.
var seenTimes = []Choice{{ID: "time.now", Data: "t:now"}, {ID: "time.today", Data: "t:today"}, {ID: "time.yesterday", Data: "t:yesterday"}}

var questions = map[string]question{
	"report.name":       nameQ(false),
	"report.age":        ageQ(false),
	"report.gender":     genderQ,
	"report.complexion": complexionQ,
	"report.height":     heightQ,
	"report.clothes":    clothesQ(false),
	"report.marks":      marksQ,
	"report.place":      placeQ,
	"report.time": timeQ(Choice{ID: "time.today", Data: "t:today"},
		Choice{ID: "time.yesterday", Data: "t:yesterday"}),
	"report.photo":    photoQ,
	"report.guardian": guardianQ,
	"report.phone":    phoneQ,
	"report.confirm":  confirmQ,

	"sighting.gender":  genderQ,
	"sighting.age":     ageQ(false),
	"sighting.clothes": clothesQ(true),
	"sighting.marks":   marksQ,
	"sighting.place":   placeQ,
	"sighting.time":    timeQ(seenTimes...),
	"sighting.photo":   photoQ,
	"sighting.safe":    safeQ,
	"sighting.contact": sightingContactQ,
	"sighting.confirm": confirmQ,

	"found.name":       nameQ(true),
	"found.age":        ageQ(true),
	"found.gender":     genderQ,
	"found.complexion": complexionQ,
	"found.height":     heightQ,
	"found.clothes":    clothesQ(false),
	"found.marks":      marksQ,
	"found.place":      placeQ,
	"found.time":       timeQ(seenTimes...),
	"found.photo":      photoQ,
	"found.station":    stationQ,
	"found.confirm":    confirmQ,

	"lost.name":  nameQ(true),
	"lost.age":   ageQ(true),
	"lost.place": placeQ,

	"quick.place": placeQ,
	"quick.age":   ageQ(false),
}

// ask puts the current question.
func (t *turn) ask() {
	q, ok := questions[t.s.State]
	if !ok {
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	}
	r := Reply{ID: t.s.State, Ask: q.ask, Inline: q.ask == talaash.AskNone}
	if q.choices != nil {
		r.Choices = q.choices(t)
	}
	if strings.HasSuffix(t.s.State, ".confirm") {
		r.Data = t.summary()
	}
	if len(r.Choices) == 0 {
		r.Inline = false
	}
	t.res.Replies = append(t.res.Replies, r)
}

// answer reads an answer to the current question and moves on.
func (t *turn) answer() {
	s := t.s
	if strings.HasSuffix(s.State, ".confirm") {
		t.confirm()
		return
	}
	q := questions[s.State]
	if q.handle == nil {
		t.fire(evMenu)
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	}
	if f := flowOf(s.State); (f == FlowSighting || f == FlowQuick) && Danger(t.text) {
		t.draft().Safe = "danger"
		t.emergency()
	}
	if e := q.handle(t); e != "" {
		t.reply(e)
		t.ask()
		return
	}
	if f := flowOf(s.State); f == FlowQuick {
		t.quickNext()
		return
	}
	if s.Editing {
		s.Editing = false
		t.fire(evReview)
		t.ask()
		return
	}
	if s.State == "lost.place" {
		t.save(FlowLost)
		return
	}
	t.fire(evAnswer)
	if t.skipPhone && s.State == "report.phone" {
		t.fire(evAnswer)
	}
	t.ask()
}

// confirm handles the summary: confirm saves, edit offers the fields.
func (t *turn) confirm() {
	s := t.s
	flow := flowOf(s.State)
	if field, ok := strings.CutPrefix(t.data, "edit:"); ok {
		if Can(s.State, evEditPfx+field) {
			t.fire(evEditPfx + field)
			s.Editing = true
			t.ask()
			return
		}
	}
	yes, isYN := ParseYesNo(t.text)
	switch {
	case t.data == "confirm" || (t.data == "" && isYN && yes):
		t.save(flow)
	case t.data == "edit" || (t.data == "" && isYN && !yes) || fold(t.text) == "edit" || fold(t.text) == "बदलें" || fold(t.text) == "badlo":
		var c []Choice
		for _, q := range flows[flow] {
			if f := fieldOf(q); f != "confirm" {
				c = append(c, Choice{ID: "field." + f, Data: "edit:" + f})
			}
		}
		t.res.Replies = append(t.res.Replies, Reply{ID: "edit.which", Choices: c, Inline: true})
	default:
		t.reply("err.confirm")
		t.ask()
	}
}

// record completes the draft into a record to save.
func (t *turn) record() *talaash.Record {
	s := t.s
	r := *t.draft()
	r.Photos = append([]string(nil), r.Photos...)
	if r.Contact != nil {
		c := *r.Contact
		r.Contact = &c
	}
	r.Ref = s.Ref
	r.Language = t.lang()
	r.Channel, r.Address = s.Channel, s.Sender
	if r.Time.IsZero() {
		r.Time = t.env.Now.UTC().Truncate(time.Second)
	}
	if r.Status == "" {
		r.Status = talaash.StatusOpen
	}
	return &r
}

// save hands the finished record to the core and ends the flow.
func (t *turn) save(flow string) {
	s := t.s
	d := t.draft()
	switch flow {
	case FlowFound:
		if d.Contact == nil && t.in.Name != "" {
			contact(d).Name = clip(t.in.Name, maxName)
		}
		fallthrough
	case FlowLost:
		if s.Channel != talaash.ChannelTelegram {
			if p, err := ParsePhone(s.Sender); err == nil {
				contact(d).Phone = p
			}
		}
	}
	t.res.Save = t.record()
	s.Draft, s.Editing = nil, false
	if flow == FlowLost {
		t.fire(evFinish)
	} else {
		t.fire(evConfirm)
	}
	r := t.reply(flow + ".saved")
	r.Data = map[string]any{"Ref": ""}
}

// summary is the template data of a confirm question: "Summary" (one line a
// field, for chat) and "Short" (a few values, for SMS).
func (t *turn) summary() map[string]any {
	lang := t.lang()
	var lines, short []string
	for _, q := range flows[flowOf(t.s.State)] {
		f := fieldOf(q)
		if f == "confirm" {
			continue
		}
		v := t.value(f)
		if v == "" {
			continue
		}
		lines = append(lines, locales.Render(lang, "field."+f, nil)+": "+v)
		switch f {
		case "name", "age", "gender", "clothes", "place":
			short = append(short, v)
		}
	}
	return map[string]any{"Summary": strings.Join(lines, "\n"), "Short": clip(strings.Join(short, ", "), 60)}
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// value is a field of the draft as the person should read it back.
func (t *turn) value(f string) string {
	d := t.draft()
	lang := t.lang()
	switch f {
	case "name":
		return d.Name
	case "age":
		switch {
		case d.Age != nil:
			return fmtNum(*d.Age)
		case d.AgeMin != nil && d.AgeMax != nil:
			return fmtNum(*d.AgeMin) + "-" + fmtNum(*d.AgeMax)
		}
	case "gender":
		if d.Gender != "" {
			return locales.Render(lang, "gender."+d.Gender, nil)
		}
	case "complexion":
		if d.Complex == "fair" || d.Complex == "wheatish" || d.Complex == "dark" {
			return locales.Render(lang, "complexion."+d.Complex, nil)
		}
		return d.Complex
	case "height":
		if d.HeightCM != nil {
			return fmtNum(*d.HeightCM) + " cm"
		}
	case "clothes":
		return d.Clothes
	case "marks":
		return d.Marks
	case "place":
		if d.Place != "" {
			return d.Place
		}
		if d.Lat != nil && d.Lon != nil {
			return locales.Render(lang, "value.location", nil)
		}
	case "time":
		if !d.Time.IsZero() {
			return d.Time.In(IST).Format("02/01 15:04")
		}
	case "photo":
		if len(d.Photos) > 0 {
			return locales.Render(lang, "value.photos", map[string]any{"N": len(d.Photos)})
		}
	case "guardian":
		if d.Contact != nil {
			return d.Contact.Name
		}
	case "phone", "contact":
		if d.Contact != nil {
			return d.Contact.Phone
		}
	case "safe":
		if d.Safe != "" {
			return locales.Render(lang, "safe."+d.Safe, nil)
		}
	case "station":
		return d.Station
	default:
		return fmt.Sprint(f)
	}
	return ""
}
