package dialog

import (
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
)

// ask puts the current question.
func (t *turn) ask() {
	q, ok := questions[t.s.State]
	if !ok {
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	}
	if t.adultAge && fieldOf(t.s.State) == "age" {
		t.adultAge = false
		if flowOf(t.s.State) == FlowQuick {
			t.reply("quick.age.adult") // shorter: it follows the thanks
		} else {
			t.reply("err.age.adult")
		}
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
	if q.read == nil {
		t.fire(evMenu)
		t.res.Replies = append(t.res.Replies, t.menuReply())
		return
	}
	if f := flowOf(s.State); (f == FlowSighting || f == FlowQuick) && Danger(t.text) {
		t.draft().Safe = "danger"
		t.emergency()
	}
	if t.in.Callback != "" && t.data != "" && !offered(s.Offered, t.data) {
		// A button of an earlier question: say so, and ask the current one.
		t.reply("err.stale")
		t.ask()
		return
	}
	if e := q.read(t); e != "" {
		t.refuse(e, q)
		return
	}
	s.Refused, s.RefusedIn, s.RefusedWith = 0, "", ""
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

// offered reports whether data is one of the choices last offered.
func offered(cs []Choice, data string) bool {
	for _, c := range cs {
		if c.Data == data {
			return true
		}
	}
	return false
}

// refuse explains why an answer was not taken and asks again: the first time
// the explanation e, then other words, then the way out of the question (its
// buttons, a skip, BACK), so that nobody reads the same refusal twice.
func (t *turn) refuse(e string, q question) {
	s := t.s
	if s.RefusedIn != s.State {
		s.Refused, s.RefusedIn, s.RefusedWith = 0, s.State, ""
	}
	if e != s.RefusedWith {
		s.Refused = 0 // another reason: its own words are not a repeat
	}
	s.Refused++
	s.RefusedWith = e
	if e == "err.time.future" && (t.future.IsZero() || s.Refused > 1) {
		e = "err.time"
	}
	if e == "err.time.future" {
		clock := t.future.In(talaash.IST).Format("3:04 pm")
		if t.lang() == "hi" {
			clock = t.future.In(talaash.IST).Format("15:04")
		}
		t.res.Replies = append(t.res.Replies, Reply{ID: e, Data: map[string]any{"Clock": clock},
			Choices: []Choice{{ID: "choice.that_time", Data: "t:at:" + strconv.FormatInt(t.future.Unix(), 10)}, timeToday}, Inline: true})
		return
	}
	switch {
	case s.Refused == 2:
		t.reply("err.again")
	case s.Refused > 2 && q.choices != nil && len(q.choices(t)) > 0:
		t.reply("err.stuck.choices")
	case s.Refused > 2:
		t.reply("err.stuck")
	default:
		t.reply(e)
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
	t.tidy()
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

// tidy drops from the draft what no record may carry, so that what the core
// is asked to save passes talaash.Record.Validate: a one-message sighting is
// read by Env.Extract, which may give an age that is no child's (noted in
// adultAge, so the age question says why it is asked), a NaN, or a place off
// the globe. The dialog's own parsers give none of these; an essential left
// empty is asked for again.
func (t *turn) tidy() {
	d := t.draft()
	if lo, _, ok := d.Ages(); ok {
		probe := talaash.Record{Kind: d.Kind, Time: t.env.Now, Age: d.Age, AgeMin: d.AgeMin, AgeMax: d.AgeMax}
		if probe.Validate() != nil {
			t.adultAge = lo > talaash.AgeLimit(d.Kind) && lo <= talaash.MaxAgeGiven
			d.Age, d.AgeMin, d.AgeMax = nil, nil, nil
		}
	}
	if h := d.HeightCM; h != nil && !(*h > 0 && *h <= talaash.MaxHeightCM) {
		d.HeightCM = nil
	}
	if d.Lat == nil || d.Lon == nil || !(*d.Lat >= -90 && *d.Lat <= 90) || !(*d.Lon >= -180 && *d.Lon <= 180) {
		d.Lat, d.Lon = nil, nil
	}
	switch d.Gender {
	case "", "male", "female":
	default:
		d.Gender = ""
	}
	if !d.Time.IsZero() && (d.Time.Year() < 1900 || d.Time.Year() > 2200) {
		d.Time = time.Time{}
	}
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
		if t.env.Caps.PhoneAddress {
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
	r := t.reply(t.saved(flow + ".saved"))
	r.Data = map[string]any{"Ref": ""}
	if flow == FlowReport && t.env.Caps.Buttons {
		// One tap to where the case stands (STATUS), however long from now.
		r.Choices, r.Inline = []Choice{{ID: "menu.status", Data: "status"}}, true
	}
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
	return map[string]any{"Summary": strings.Join(lines, "\n"), "Short": locales.ShortenVar(strings.Join(short, ", "), 60)} // cut between words, never inside one
}

// value is a field of the draft as the person should read it back: the
// record's own field list (talaash.Record.Fields, which the alerts and the
// desk use too), with coded values worded in the person's language. The
// questions name a few fields their own way: the guardian's name and phone
// are asked apart, a shared location stands for the place.
func (t *turn) value(f string) string {
	d := t.draft()
	lang := t.lang()
	fs := d.Fields("02/01 15:04")
	switch f {
	case "guardian":
		if d.Contact != nil && d.Contact.Relation != "" && locales.Has(lang, "relation."+d.Contact.Relation) {
			return d.Contact.Name + " (" + locales.Render(lang, "relation."+d.Contact.Relation, nil) + ")"
		}
		if d.Contact != nil {
			return d.Contact.Name
		}
		return ""
	case "phone", "contact":
		if d.Contact != nil {
			return d.Contact.Phone
		}
		return ""
	case "height":
		if d.HeightCM != nil {
			// The unit as the prompt writes it: "सेमी" in Hindi.
			return locales.Render(lang, "value.height", map[string]any{"CM": strconv.FormatFloat(*d.HeightCM, 'f', -1, 64)})
		}
		return ""
	case "photo":
		if len(d.Photos) > 0 {
			return locales.Render(lang, "value.photos", map[string]any{"N": len(d.Photos)})
		}
		return ""
	case "time":
		// With the zone, as every time shown to people.
		return locales.Time(lang, d.Time, false)
	case "place":
		if v := talaash.FieldValue(fs, "place"); v != "" {
			return v
		}
		if talaash.FieldValue(fs, "location") != "" {
			return locales.Render(lang, "value.location", nil)
		}
		return ""
	}
	for _, x := range fs {
		if x.ID == f {
			if x.Code {
				return locales.Render(lang, f+"."+x.Value, nil)
			}
			return x.Value
		}
	}
	return ""
}

// startFlow begins a flow with an empty draft.
func (t *turn) startFlow(f string) {
	s := t.s
	kind := talaash.KindSighting
	switch f {
	case FlowReport:
		kind = talaash.KindMissing
	case FlowFound, FlowLost:
		kind = talaash.KindFound
	}
	s.Draft = &talaash.Record{Kind: kind}
	if f == FlowLost {
		// Police are alerted of a lost child at once, with or without a
		// candidate; Safe tells the record apart from an officer's found child.
		s.Draft.Safe = talaash.SafeLost
	}
	s.Editing, s.Ref = false, ""
	t.fire(evStartPfx + f)
	switch f {
	case FlowSighting:
		t.emergency()
	case FlowLost:
		t.danger = true
		t.reply("lost.help")
	case FlowReport:
		t.reply("report.start")
	case FlowFound:
		t.reply("found.start")
	}
	t.ask()
}
