package alerts

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
	"talaash/render"
)

// smsWording is what the texts only SMS channels get (SMS alerts and case
// lookups, fitted to MaxSMSParts) are worded for.
var smsWording = talaash.Capabilities{Encoding: talaash.EncodingSMS}

// MaxCallback is Telegram's limit on callback data.
const MaxCallback = 64

// maxRefToken is the longest reference the dialog accepts after YES/NO.
const maxRefToken = 32

// Callback data of the alert buttons are the commands an officer could type,
// so the dialog reads them as it reads text: "YES MREF--SREF", "NO
// MREF--SREF", "/case MREF". Pairs too long for one token fall back to one ref
// (which Resolve finds).
func confirmData(ref string) string { return "YES " + ref }
func rejectData(ref string) string  { return "NO " + ref }
func caseData(ref string) string    { return "/case " + ref }

// ParseCallback reads the data of an alert button (or the same typed): kind
// is "review" (with confirm) or "case"; ref is "MREF--SREF" or one ref. The
// form "rv:y:MREF:SREF" / "rv:n:..." / "case:REF" is read as well. ok is false
// for data that is not ours.
func ParseCallback(data string) (kind, ref string, confirm, ok bool) {
	f := strings.Fields(data)
	switch {
	case strings.HasPrefix(data, "rv:y:"):
		return "review", data[5:], true, true
	case strings.HasPrefix(data, "rv:n:"):
		return "review", data[5:], false, true
	case strings.HasPrefix(data, "case:"):
		return "case", data[5:], false, true
	case len(f) == 2 && strings.EqualFold(f[0], "yes"):
		return "review", f[1], true, true
	case len(f) == 2 && strings.EqualFold(f[0], "no"):
		return "review", f[1], false, true
	case len(f) == 2 && strings.EqualFold(f[0], "/case"):
		return "case", f[1], false, true
	}
	return "", "", false, false
}

// pct shows a candidate's score to police as the chance that the pair is the
// same child. The matcher's scores are sums of log-odds weights; on the
// development set and reworded copies of it the share of sightings whose
// best candidate is the right child follows a logistic curve in that
// candidate's score, 1/(1+e^-(1.004*score-4.411)) (40% at 4, 75% at 5.5, 94%
// at the alert line 7.25), so that is what is shown, at most 99 (no match is
// certain). A score within 0..1 is taken as a probability already.
func pct(score float64) string {
	if score < 0 || score > 1 {
		return strconv.Itoa(min(99, int(100/(1+math.Exp(-(1.004*score-4.411))))))
	}
	return strconv.Itoa(int(score*100 + 0.5))
}

func ageText(r *talaash.Record) string { return talaash.FieldValue(r.Fields(talaash.DateTime), "age") }

// smsWhen is a time in an SMS alert or case lookup, compact and in Latin
// letters whatever the officer's language (like the rest of an SMS alert),
// with the zone: "02Dec 17:30 IST"; withYear "02Dec2025 17:30 IST".
func smsWhen(t time.Time, withYear bool) string {
	if t.IsZero() {
		return ""
	}
	if withYear {
		return t.In(talaash.IST).Format("02Jan2006 15:04 MST")
	}
	return t.In(talaash.IST).Format("02Jan 15:04 MST")
}

// who is "boy, 8 yrs" in the officer's language.
func who(c talaash.Capabilities, lang string, r *talaash.Record) string {
	var parts []string
	if r.Gender == "male" || r.Gender == "female" {
		parts = append(parts, render.Text(c, lang, "alerts.gender."+r.Gender, nil))
	}
	if a := ageText(r); a != "" {
		parts = append(parts, render.Text(c, lang, "alerts.age", map[string]any{"Age": a}))
	}
	return strings.Join(parts, ", ")
}

// contact is the reporter's name and number, for police only: without a
// contact given, the address of a record that came from a phone.
func contact(reg *talaash.Registry, r *talaash.Record) string {
	if ct := talaash.FieldValue(r.Fields(talaash.DateTime), "contact"); ct != "" {
		return ct
	}
	if c, _ := reg.Caps(r.Channel); c.PhoneAddress {
		return r.Address
	}
	return ""
}

func clip(s string, n int) string { return talaash.Clip(strings.TrimSpace(s), n, "…") }

// recordText is one record for police, in the officer's language.
func recordText(reg *talaash.Registry, c talaash.Capabilities, lang string, r *talaash.Record, withStatus bool) string {
	fs := r.Fields(talaash.DateTime)
	v := func(id string) string { return talaash.FieldValue(fs, id) }
	d := map[string]any{
		"Kind":       render.Text(c, lang, "alerts.kind."+string(r.Kind), nil),
		"Ref":        r.Ref,
		"Name":       v("name"),
		"Who":        who(c, lang, r),
		"Complexion": v("complexion"),
		"Clothes":    v("clothes"),
		"Marks":      v("marks"),
		"Place":      v("place"),
		"Time":       locales.Time(lang, r.Time, true),
		"Text":       clip(v("text"), 500),
		"Station":    v("station"),
		"Contact":    contact(reg, r),
	}
	if d["Place"] == "" {
		d["Place"] = v("location")
	}
	if withStatus {
		st := r.Status
		if st == "" {
			st = talaash.StatusOpen
		}
		d["Status"] = render.Text(c, lang, "alerts.status."+string(st), nil)
	}
	return render.Text(c, lang, "alerts.record", d)
}

// reasons are the matcher's reasons in lang (see talaash.Reason.In).
func reasons(lang string, rs []talaash.Reason) string {
	var out []string
	for _, r := range rs {
		if t := r.In(lang); t != "" {
			out = append(out, t)
		}
	}
	return strings.Join(out, "; ")
}

// composeAlert renders the alert for one officer on their channel, which
// carries c: SMS channels get the compact alert within MaxSMSParts; a channel
// with buttons gets Confirm / Not a match / Open case and, with photos, the
// photos; others a line saying what to reply.
func composeAlert(reg *talaash.Registry, o Officer, c talaash.Capabilities, a *Alert, m, sg *talaash.Record, ref string, reminder bool) talaash.Outbound {
	// An alert waits for no other traffic: police act on it.
	out := talaash.Outbound{Channel: o.Channel, To: o.Address, Urgent: true}
	if c.SMS() {
		var data map[string]any
		out.Text, data = alertSMSData(reg, o.Lang, a, m, sg, ref, reminder)
		out.Template, out.Vars = locales.SMSTemplate(o.Lang, "alerts.alert.sms"), locales.TemplateVars(data)
		if c.Templates {
			// Each description as whole items in up to three values, not
			// one shortened to 30 characters.
			var fitted map[string]any
			out.Template, fitted, out.Vars = locales.FitDLT(o.Lang, "alerts.alert", data)
			out.Text = render.Text(smsWording, o.Lang, "alerts.alert.sms", fitted)
			if reminder {
				out.Text = render.Text(smsWording, o.Lang, "alerts.alert.reminder", nil) + " " + out.Text
			}
		}
		if reminder {
			out.Template = locales.SMSTemplate(o.Lang, "alerts.alert.reminder") + "+" + out.Template
		}
		return out
	}
	var b strings.Builder
	if reminder {
		b.WriteString(render.Text(c, o.Lang, "alerts.alert.reminder", nil) + "\n")
	}
	b.WriteString(render.Text(c, o.Lang, "alerts.alert.title", map[string]any{"Score": pct(a.Score), "Missing": m.Ref, "Sighting": sg.Ref}))
	b.WriteString("\n\n" + recordText(reg, c, o.Lang, m, false))
	b.WriteString("\n\n" + recordText(reg, c, o.Lang, sg, false))
	if rs := reasons(o.Lang, a.Reasons); rs != "" {
		b.WriteString("\n\n" + render.Text(c, o.Lang, "alerts.alert.reasons", map[string]any{"Reasons": rs}))
	}
	if c.Buttons {
		out.Choices = alertButtons(o.Lang, m.Ref, sg.Ref, ref)
		out.Inline = true
	}
	if c.Photos {
		// The caller sends the photos after the text, without captions: the
		// text says whose they are.
		out.Photos = append(append([]string(nil), m.Photos...), sg.Photos...)
		if !reminder && len(out.Photos) > 0 {
			var list []string
			for _, r := range []*talaash.Record{m, sg} {
				if len(r.Photos) > 0 {
					list = append(list, render.Text(c, o.Lang, "alerts.alert.photos.of", map[string]any{"Count": len(r.Photos), "Ref": r.Ref}))
				}
			}
			b.WriteString("\n\n" + render.Text(c, o.Lang, "alerts.alert.photos", map[string]any{"List": strings.Join(list, ", ")}))
		}
	}
	if !c.Buttons {
		b.WriteString("\n\n" + render.Text(c, o.Lang, "alerts.alert.reply", map[string]any{"Ref": ref}))
	}
	out.Text = clip(b.String(), 4000)
	return out
}

// alertButtons are Confirm / Not a match / Open case, each within Telegram's
// 64 bytes of callback data. ref is what to answer with when the pair does
// not fit one token.
func alertButtons(lang, m, s, ref string) []talaash.Choice {
	var cs []talaash.Choice
	if p := talaash.PairRef(m, s); len(p) <= maxRefToken {
		ref = p
	}
	if y := confirmData(ref); len(y) <= MaxCallback && !strings.Contains(ref, " ") {
		cs = append(cs,
			talaash.Choice{Label: locales.Render(lang, "alerts.button.confirm", nil), Data: y},
			talaash.Choice{Label: locales.Render(lang, "alerts.button.reject", nil), Data: rejectData(ref)})
	}
	if c := caseData(m); len(c) <= MaxCallback {
		cs = append(cs, talaash.Choice{Label: locales.Render(lang, "alerts.button.case", nil), Data: c})
	}
	return cs
}

// smsRecord is one record of an SMS alert: a head that is never shortened
// (kind, ref, the reporter's number) and the description, whose free-text
// fields give way when the alert is too long. Free text is made GSM-7
// (Devanagari in Latin letters): a Hindi name must not cost the description.
type smsRecord struct {
	kind, ref, tel, who, time string
	// free are the name, clothes, marks, place and message, cut to length
	// (with ".." when cut); full keeps their lengths in runes.
	free [5][]rune
	full [5]int
}

func newSMSRecord(reg *talaash.Registry, lang string, r *talaash.Record) *smsRecord {
	x := &smsRecord{kind: render.Text(smsWording, lang, "alerts.kind."+string(r.Kind), nil), ref: r.Ref, tel: "-"}
	if r.Contact != nil && r.Contact.Phone != "" {
		x.tel = r.Contact.Phone
	} else if c := []rune(render.SMSSafe(render.Titled(contact(reg, r)))); len(c) > 0 {
		// A name, not an essay: the description needs the room, and a DLT
		// variable holds 30 characters.
		if len(c) > locales.DLTVarMax {
			c = append(c[:locales.DLTVarMax-2], '.', '.')
		}
		x.tel = string(c)
	}
	x.who = who(smsWording, lang, r)
	x.time = smsWhen(r.Time, false)
	free := []string{render.SMSSafe(render.Titled(r.Name)), render.SMSSafe(r.Clothes), render.SMSSafe(r.Marks), render.SMSSafe(render.Titled(r.Place)), ""}
	if r.Place == "" && r.Lat != nil && r.Lon != nil {
		free[3] = fmt.Sprintf("%.4f,%.4f", *r.Lat, *r.Lon)
	}
	if free[1] == "" && free[2] == "" && r.Text != "" {
		free[4] = render.SMSSafe(r.Text) // a one-message report: its words are the description
	}
	for i, f := range free {
		x.free[i] = []rune(strings.TrimSpace(f))
		x.full[i] = len(x.free[i])
	}
	return x
}

// line is the record on one line, as the SMS alert writes each side:
// "MISSING K-4821-5 ph +91...: Ramesh, boy, 8y, ...".
func (x *smsRecord) line() string { return x.kind + " " + x.ref + " ph " + x.tel + ": " + x.desc() }

// desc is the description: "Ramesh, boy, 8y, red shirt, mole, Govind Nagar,
// 12Jun 17:30".
func (x *smsRecord) desc() string {
	var parts []string
	add := func(i int) {
		if f := x.free[i]; len(f) > 0 {
			t := string(f)
			if len(f) < x.full[i] {
				t += ".."
			}
			parts = append(parts, t)
		}
	}
	add(0)
	if x.who != "" {
		parts = append(parts, x.who)
	}
	for i := 1; i < len(x.free); i++ {
		add(i)
	}
	if x.time != "" {
		parts = append(parts, x.time)
	}
	return strings.Join(parts, ", ")
}

// shorten cuts the longest free-text field of xs by a word (a few letters of
// a long word; the whole field once it is a stub), so every field keeps its
// start as long as it can; false when nothing is left to cut.
func shorten(xs ...*smsRecord) bool {
	var best *[]rune
	for _, x := range xs {
		for i := range x.free {
			if best == nil || len(x.free[i]) > len(*best) {
				best = &x.free[i]
			}
		}
	}
	if best == nil || len(*best) == 0 {
		return false
	}
	f := *best
	k := len(f) - 3
	// Whole words read better than "nili j..": back to the last word break.
	for j := k; j > 0; j-- {
		if f[j] == ' ' {
			k = j
			break
		}
	}
	f = f[:max(k, 0)]
	for len(f) > 0 && strings.ContainsRune(" ,;.-/", f[len(f)-1]) {
		f = f[:len(f)-1]
	}
	if len(f) < 3 {
		f = f[:0] // a stub says nothing
	}
	*best = f
	return true
}

// caseSMS is a case lookup by SMS: the record in the compact form of an SMS
// alert (free text in Latin letters, so GSM-7 in both languages) above its
// candidates. The record's free text gives way first, so the candidates, what
// the officer asked for, still fit the two parts.
func caseSMS(reg *talaash.Registry, lang string, r *talaash.Record, candidates string) string {
	x := newSMSRecord(reg, lang, r)
	x.time = smsWhen(r.Time, true) // a case may be old: with the year
	st := r.Status
	if st == "" {
		st = talaash.StatusOpen
	}
	ct := []rune(render.SMSSafe(render.Titled(contact(reg, r))))
	if len(ct) > 44 {
		ct = append(ct[:42], '.', '.')
	}
	if len(ct) == 0 {
		ct = []rune("-") // the SMS wording's fixed text is the same for every record
	}
	build := func() string {
		return render.Text(smsWording, lang, "alerts.record", map[string]any{
			"Kind": render.Text(smsWording, lang, "alerts.kind."+string(r.Kind), nil), "Ref": r.Ref,
			"Status":      render.Text(smsWording, lang, "alerts.status."+string(st), nil),
			"Description": x.desc(), "Contact": string(ct),
		}) + candidates
	}
	for {
		text := build()
		if _, _, parts := gsm.Parts(text); parts <= MaxSMSParts || !shorten(x) {
			return text
		}
	}
}

// MaxSMSParts is how many parts an SMS alert may take.
const MaxSMSParts = 2

// alertSMS renders the SMS alert, shortening the free text of the two
// descriptions (longest field first) until the whole fits MaxSMSParts. The
// refs, numbers, gender, age, time and the reply line are never cut.
func alertSMS(reg *talaash.Registry, lang string, a *Alert, m, sg *talaash.Record, ref string, reminder bool) string {
	text, _ := alertSMSData(reg, lang, a, m, sg, ref, reminder)
	return text
}

// alertSMSData is alertSMS with the values put into alerts.alert.sms, which a
// DLT route registers the alert by and fits to its variables.
func alertSMSData(reg *talaash.Registry, lang string, a *Alert, m, sg *talaash.Record, ref string, reminder bool) (string, map[string]any) {
	mx, sx := newSMSRecord(reg, lang, m), newSMSRecord(reg, lang, sg)
	var data map[string]any
	build := func() string {
		data = map[string]any{
			"Score": pct(a.Score), "Missing": m.Ref, "Sighting": sg.Ref, "Ref": ref, "Kind": sx.kind,
			"MissingTel": mx.tel, "MissingDesc": mx.desc(), "SightingTel": sx.tel, "SightingDesc": sx.desc(),
		}
		text := render.Text(smsWording, lang, "alerts.alert.sms", data)
		if reminder {
			text = render.Text(smsWording, lang, "alerts.alert.reminder", nil) + " " + text
		}
		return text
	}
	for {
		text := build()
		if _, _, parts := gsm.Parts(text); parts <= MaxSMSParts || !shorten(mx, sx) {
			return text, data
		}
	}
}
