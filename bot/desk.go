package bot

import (
	"fmt"
	"strconv"
	"strings"

	"talaash"
	"talaash/locales"
)

// The police desk. Callers have checked the sender is enrolled police. Each
// action goes to the alerts package's hook when one is set (WithDesk), else
// gets the core's own answer.

// OpenPage is how many cases /open shows at a time.
const OpenPage = 10

// caseLookup shows a record in full to an officer: every field, the reporter's
// contact, the top candidates and the photos (on Telegram).
func (t *turnCtx) caseLookup(ref string) ([]talaash.Outbound, error) {
	if d := t.b.desk.Desk; d != nil {
		return d(t.tx, t.officer(), "case", ref)
	}
	r, err := t.tx.Record(ref)
	if err != nil {
		return t.notFound(err, ref)
	}
	var details, short []string
	for _, f := range t.fields(r) {
		details = append(details, locales.Render(t.lang, "core.field."+f[0], nil)+": "+f[1])
		switch f[0] {
		case "name", "gender", "age", "clothes", "place":
			short = append(short, f[1])
		}
	}
	data := map[string]any{"Ref": r.Ref, "Kind": t.kind(r.Kind), "Status": t.state(r.Status),
		"Details": strings.Join(details, "\n"), "Short": clip(strings.Join(short, ", "), shortLen[t.lang])}
	out := t.say("core.case", data)
	if !!t.caps.Buttons {
		out[0].Photos = r.Photos
		cands, err := t.tx.Candidates(r.Ref)
		if err != nil {
			return nil, err
		}
		if len(cands) == 0 {
			out[0].Text += "\n\n" + locales.Render(t.lang, "core.case.no_candidates", nil)
		} else {
			var lines []string
			for i, c := range cands {
				if i == 5 {
					break
				}
				other := c.Sighting
				if talaash.CanonicalRef(other) == talaash.CanonicalRef(r.Ref) {
					other = c.Missing
				}
				var reasons []string
				for _, rs := range c.Reasons {
					if t.lang == "hi" && rs.Hi != "" {
						reasons = append(reasons, rs.Hi)
					} else {
						reasons = append(reasons, rs.En)
					}
				}
				lines = append(lines, locales.Render(t.lang, "core.case.candidate", map[string]any{
					"Ref": other, "Score": strconv.Itoa(int(c.Score*100 + 0.5)), "Reasons": strings.Join(reasons, "; ")}))
			}
			out[0].Text += "\n\n" + locales.Render(t.lang, "core.case.candidates", map[string]any{"Lines": strings.Join(lines, "\n")})
		}
	}
	return out, nil
}

// shortLen keeps a case lookup within one SMS part (English, GSM-7) or two
// (Hindi, UCS-2) once the reference, kind and status are around it.
var shortLen = map[string]int{"en": 80, "hi": 50}

// fields lists a record's known fields as (field id, value as read).
func (t *turnCtx) fields(r *talaash.Record) [][2]string {
	var f [][2]string
	add := func(id, v string) {
		if v = strings.TrimSpace(v); v != "" {
			f = append(f, [2]string{id, v})
		}
	}
	add("name", r.Name)
	if r.Gender == "male" || r.Gender == "female" {
		add("gender", locales.Render(t.lang, "core.gender."+r.Gender, nil))
	}
	if lo, hi, ok := r.Ages(); ok {
		if lo == hi {
			add("age", num(lo))
		} else {
			add("age", num(lo)+"-"+num(hi))
		}
	}
	if r.HeightCM != nil {
		add("height", num(*r.HeightCM)+" cm")
	}
	add("complexion", r.Complex)
	add("clothes", r.Clothes)
	add("marks", r.Marks)
	add("place", r.Place)
	if r.Lat != nil && r.Lon != nil {
		add("location", fmt.Sprintf("%.5f, %.5f", *r.Lat, *r.Lon))
	}
	if !r.Time.IsZero() {
		add("time", t.when(r.Time))
	}
	add("station", r.Station)
	add("safe", r.Safe)
	add("text", r.Text)
	if c := r.Contact; c != nil {
		add("contact", strings.TrimSpace(c.Name+" "+c.Phone))
	}
	if len(r.Photos) > 0 {
		add("photos", strconv.Itoa(len(r.Photos)))
	}
	return f
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}

// review is Confirm / Not a match on an alert. Ref is "MREF:SREF" from an
// alert's button, or one ref ("YES REF" by SMS) that the desk resolves.
func (t *turnCtx) review(ref string, confirm bool) ([]talaash.Outbound, error) {
	d := t.b.desk
	if d.Review == nil {
		return t.say("core.not_available", nil), nil
	}
	missing, sighting, ok := strings.Cut(ref, ":")
	if !ok {
		if d.Resolve == nil {
			return t.say("core.not_available", nil), nil
		}
		var err error
		if missing, sighting, err = d.Resolve(t.tx, ref); err != nil {
			return t.notFound(err, ref)
		}
	}
	return d.Review(t.tx, t.officer(), missing, sighting, confirm)
}

// reunited marks a case reunited, with the officer and time in its history.
func (t *turnCtx) reunited(ref string) ([]talaash.Outbound, error) {
	if d := t.b.desk.Reunited; d != nil {
		return d(t.tx, t.officer(), ref)
	}
	r, err := t.tx.SetStatus(ref, talaash.StatusReunited, t.by(), "reunited", t.now.UTC())
	if err != nil {
		return t.notFound(err, ref)
	}
	if err := t.statusChanged(r); err != nil {
		return nil, err
	}
	return t.say("core.reunited", map[string]any{"Ref": r.Ref}), nil
}

// close closes a case for another reason, kept in its history.
func (t *turnCtx) close(ref, reason string) ([]talaash.Outbound, error) {
	if d := t.b.desk.Close; d != nil {
		return d(t.tx, t.officer(), ref, reason)
	}
	r, err := t.tx.SetStatus(ref, talaash.StatusClosed, t.by(), reason, t.now.UTC())
	if err != nil {
		return t.notFound(err, ref)
	}
	if err := t.statusChanged(r); err != nil {
		return nil, err
	}
	return t.say("core.closed", map[string]any{"Ref": r.Ref}), nil
}

func (t *turnCtx) statusChanged(r *talaash.Record) error {
	if h := t.b.statusHook; h != nil {
		return h(t.tx, r)
	}
	return nil
}

// open lists open missing-child cases, newest first, a page at a time.
func (t *turnCtx) open(arg string) ([]talaash.Outbound, error) {
	if d := t.b.desk.Desk; d != nil {
		return d(t.tx, t.officer(), "open", arg)
	}
	page, _ := strconv.Atoi(arg)
	page = max(page, 1)
	per := OpenPage
	if !t.caps.Buttons {
		per = 1 // one SMS part
	}
	skip, more := (page-1)*per, false
	var lines []string
	err := t.tx.RecordsBy(talaash.KindMissing, talaash.StatusOpen, func(r *talaash.Record) error {
		switch {
		case skip > 0:
			skip--
		case len(lines) < per:
			lines = append(lines, t.openLine(r))
		default:
			more = true
			return errStop
		}
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	if len(lines) == 0 {
		return t.say("core.open.none", nil), nil
	}
	next := ""
	if more {
		next = "/open " + strconv.Itoa(page+1)
		if !t.caps.Buttons {
			next = "OPEN " + strconv.Itoa(page+1)
		}
	}
	return t.say("core.open.list", map[string]any{"Page": page, "Lines": strings.Join(lines, "\n"), "Next": next}), nil
}

func (t *turnCtx) openLine(r *talaash.Record) string {
	parts := []string{r.Ref}
	for _, f := range t.fields(r) {
		if f[0] == "name" || f[0] == "age" || f[0] == "place" {
			parts = append(parts, f[1])
		}
	}
	parts = append(parts, t.date(r.Time))
	return strings.Join(parts, ", ")
}

// deskCommand is /matches and /stats, which need the alerts package's state.
func (t *turnCtx) deskCommand(cmd, arg string) ([]talaash.Outbound, error) {
	if d := t.b.desk.Desk; d != nil {
		return d(t.tx, t.officer(), cmd, arg)
	}
	return t.say("core.not_available", nil), nil
}

type stopErr struct{}

func (stopErr) Error() string { return "stop" }

var errStop error = stopErr{}
