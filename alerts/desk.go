package alerts

import (
	"strconv"
	"strings"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
	"talaash/render"
	"talaash/stats"
)

// PageSize is how many open cases /open shows at a time; SMSPageSize, on SMS channels,
// where a page must fit two parts with the line that names the next page.
const (
	PageSize    = 10
	SMSPageSize = 4
)

// Desk answers the police desk commands: "case" REF (the full record and its
// candidates with scores), "open" [PAGE] (open missing cases, newest first),
// "matches" (alerts not reviewed yet), "stats" (today and this month).
func (s *Service) Desk(tx talaash.Tx, officer Officer, cmd, arg string) ([]talaash.Outbound, error) {
	officer, ok, err := s.enrolled(tx, officer)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotPolice
	}
	out := talaash.Outbound{Channel: officer.Channel, To: officer.Address}
	l := officer.Lang
	caps := s.caps(officer.Channel)
	reg := s.channels()
	var b strings.Builder
	switch cmd {
	case "case":
		r, err := tx.Record(strings.TrimSpace(arg))
		if err != nil {
			return nil, err
		}
		if err := s.audit(tx, officer, r.Ref, "view", ""); err != nil {
			return nil, err
		}
		list, err := tx.Candidates(r.Ref)
		if err != nil {
			return nil, err
		}
		if caps.Templates {
			return s.caseDLT(tx, officer, r, list)
		}
		sep := "\n\n"
		if caps.SMS() {
			sep = "\n" // a blank line costs as much as a letter
		}
		var cands strings.Builder
		if len(list) == 0 {
			cands.WriteString(sep + render.Text(caps, l, "alerts.desk.no_candidates", nil))
		} else {
			cands.WriteString(sep + render.Text(caps, l, "alerts.desk.candidates", nil))
		}
		for _, c := range list {
			other := c.Sighting
			if other == r.Ref {
				other = c.Missing
			}
			state := ""
			a, ok, err := State(tx, c.Missing, c.Sighting)
			if err != nil {
				return nil, err
			}
			if ok {
				state = render.Text(caps, l, "alerts.state."+a.State, nil)
				if b := alertButtons(l, c.Missing, c.Sighting, other); a.State == talaash.AlertPending && caps.Buttons && len(out.Choices) < 6 && len(b) == 3 {
					out.Choices = append(out.Choices, b[:2]...)
					out.Inline = true
				}
			}
			cands.WriteString("\n" + render.Text(caps, l, "alerts.desk.candidate", map[string]any{"Ref": other, "Score": pct(c.Score), "State": state}))
			if rs := reasons(l, c.Reasons); rs != "" && !caps.SMS() {
				cands.WriteString(" — " + rs)
			}
		}
		if caps.SMS() {
			b.WriteString(caseSMS(reg, l, r, cands.String()))
		} else {
			b.WriteString(recordText(reg, caps, l, r, true) + cands.String())
		}
		if caps.Photos {
			out.Photos = append([]string(nil), r.Photos...)
		}
	case "open":
		page, _ := strconv.Atoi(strings.TrimSpace(arg))
		if page < 1 {
			page = 1
		}
		size := PageSize
		if caps.SMS() {
			size = SMSPageSize
		}
		if caps.Templates {
			size = locales.DLTListMax // one case a list variable
		}
		var list []*talaash.Record
		total := 0
		err := tx.RecordsBy(talaash.KindMissing, talaash.StatusOpen, func(r *talaash.Record) error {
			if r.Test != caps.Test {
				return nil // the simulator's cases are no real officer's work
			}
			total++
			if total > (page-1)*size && total <= page*size {
				list = append(list, r)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 && caps.Templates {
			return []talaash.Outbound{render.Notice(caps, officer.Channel, officer.Address, l, "alerts.desk.open.empty", nil)}, nil
		}
		if len(list) == 0 {
			b.WriteString(render.Text(caps, l, "alerts.desk.open.empty", nil))
			break
		}
		if caps.Templates {
			return []talaash.Outbound{openDLT(officer, caps, list, total, page, size)}, nil
		}
		// On SMS the names and places give way (longest limit that fits) so
		// the whole page and the line naming the next one fit two parts.
		openPage := func(limit int) string {
			var lines []string
			for _, r := range list {
				lines = append(lines, render.Text(caps, l, "alerts.desk.open.line", map[string]any{
					"Ref": r.Ref, "Summary": summary(caps, l, r, limit), "Date": r.Created.In(talaash.IST).Format("02 Jan"),
				}))
			}
			t := render.Text(caps, l, "alerts.desk.open.header", map[string]any{"Total": total, "Page": page}) + "\n" + strings.Join(lines, "\n")
			if total > page*size {
				t += "\n" + render.Text(caps, l, "alerts.desk.open.more", map[string]any{"Next": page + 1})
			}
			return t
		}
		limit := 40
		text := openPage(limit)
		for caps.SMS() && limit > 4 {
			if _, _, p := gsm.Parts(text); p <= MaxSMSParts {
				break
			}
			limit -= 4
			text = openPage(limit)
		}
		b.WriteString(text)
	case "matches":
		all, err := s.Pending(tx)
		if err != nil {
			return nil, err
		}
		var list []*Alert
		for _, a := range all {
			if r, err := tx.Record(a.Missing); err == nil && r.Test == caps.Test {
				list = append(list, a)
			}
		}
		// Lost children come first: each is waiting for an officer, with or
		// without a candidate.
		lost, err := LostOpen(tx, caps.Test)
		if err != nil {
			return nil, err
		}
		now := s.now()
		if caps.Templates {
			return matchesDLT(officer, caps, lost, list, now), nil
		}
		for _, r := range lost {
			b.WriteString(render.Text(caps, l, "alerts.desk.matches.lost", map[string]any{
				"Ref": r.Ref, "Summary": summary(caps, l, r, 30), "Hours": int(now.Sub(r.Created).Hours()),
			}) + "\n")
		}
		if len(list) == 0 {
			b.WriteString(render.Text(caps, l, "alerts.desk.matches.empty", nil))
			break
		}
		b.WriteString(render.Text(caps, l, "alerts.desk.matches.header", map[string]any{"Count": len(list)}))
		for _, a := range list {
			b.WriteString("\n" + render.Text(caps, l, "alerts.desk.matches.line", map[string]any{
				"Missing": a.Missing, "Sighting": a.Sighting, "Score": pct(a.Score), "Hours": int(now.Sub(a.Created).Hours()),
			}))
		}
		b.WriteString("\n" + render.Text(caps, l, "alerts.desk.matches.hint", nil))
	case "stats":
		rep, err := stats.Compute(tx, s.now(), talaash.IST)
		if err != nil {
			return nil, err
		}
		today, month := rep.Today, rep.Month
		data := map[string]any{
			"TReported": today.Reported, "TSeen": today.Seen, "TFound": today.Found, "TMatched": today.Matched, "TReunited": today.Reunited,
			"MReported": month.Reported, "MSeen": month.Seen, "MFound": month.Found, "MMatched": month.Matched, "MReunited": month.Reunited,
			"MShare": month.ShareText(), "MMedian": month.MedianText(),
		}
		if caps.Templates {
			return []talaash.Outbound{render.Notice(caps, officer.Channel, officer.Address, l, "alerts.desk.stats", data)}, nil
		}
		b.WriteString(render.Text(caps, l, "alerts.desk.stats", data))
	default:
		return nil, talaash.Errorf(talaash.EINVALID, "unknown desk command %q", cmd)
	}
	out.Text = b.String()
	if caps.SMS() {
		out.Text = render.Cut(out.Text, MaxSMSParts, cmd == "open" || cmd == "matches")
	} else {
		out.Text = clip(out.Text, 4000)
	}
	return []talaash.Outbound{out}, nil
}

// summary is "Ramesh, boy, 8 yrs, Kanpur Central", the name and place cut to
// limit letters. On SMS channels they are written in Latin letters, as in
// SMS alerts.
func summary(c talaash.Capabilities, l string, r *talaash.Record, limit int) string {
	name, place := r.Name, r.Place
	if c.SMS() {
		name, place = render.SMSSafe(render.Titled(name)), render.SMSSafe(render.Titled(place))
	}
	var parts []string
	for _, p := range []string{cut(name, limit), who(c, l, r), cut(place, limit)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// cut shortens s to n letters with a GSM-7 "..", at a word break where one is near.
func cut(s string, n int) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) <= n {
		return string(rs)
	}
	k := n
	for j := n; j > n/2; j-- {
		if rs[j] == ' ' {
			k = j
			break
		}
	}
	return strings.TrimRight(string(rs[:k]), " ,;.-") + ".."
}

// Pending lists the alerts no officer has reviewed yet whose records are
// still active, oldest first.
func (s *Service) Pending(tx talaash.Tx) ([]*Alert, error) {
	var out []*Alert
	err := tx.AlertsByState(talaash.AlertPending, func(a *Alert) error {
		if active(tx, a.Missing) && active(tx, a.Sighting) {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

func active(tx talaash.Tx, ref string) bool {
	r, err := tx.Record(ref)
	return err == nil && r.Status.Active()
}
