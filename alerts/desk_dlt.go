package alerts

import (
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
	"talaash/render"
)

// On an SMS route that takes registered templates only (Capabilities.
// Templates), each desk answer is made of messages with a fixed text: what
// varies in number (candidates, cases, alerts) goes as one list value, whole
// items in at most locales.DLTListMax variables, and each record's own SMS is
// a message of its own.

// caseDLT is a case lookup as registered templates: the record, then its
// candidates as one list (or that there are none yet).
func (s *Service) caseDLT(tx talaash.Tx, o Officer, r *talaash.Record, list []talaash.Candidate) ([]talaash.Outbound, error) {
	caps, l := s.caps(o.Channel), o.Lang
	x := newSMSRecord(s.channels(), l, r)
	x.time = smsWhen(r.Time, true) // a case may be old: with the year
	st := r.Status
	if st == "" {
		st = talaash.StatusOpen
	}
	outs := []talaash.Outbound{render.Notice(caps, o.Channel, o.Address, l, "alerts.record", map[string]any{
		"Kind": x.kind, "Ref": r.Ref, "Status": render.Text(smsWording, l, "alerts.status."+string(st), nil),
		"Description": x.desc(), "Contact": x.tel,
	})}
	if len(list) == 0 {
		return append(outs, render.Notice(caps, o.Channel, o.Address, l, "alerts.desk.no_candidates", nil)), nil
	}
	var items []string
	for _, c := range list {
		other := c.Sighting
		if other == r.Ref {
			other = c.Missing
		}
		item := other + " " + pct(c.Score) + "%"
		a, ok, err := State(tx, c.Missing, c.Sighting)
		if err != nil {
			return nil, err
		}
		if ok {
			item += " " + render.Text(smsWording, l, "alerts.state."+a.State, nil)
		}
		items = append(items, item)
	}
	return append(outs, render.Notice(caps, o.Channel, o.Address, l, "alerts.desk.case.candidates",
		map[string]any{"Count": len(list), "List": strings.Join(items, ", ")})), nil
}

// openDLT is one page of open cases as a list: each case its reference and
// summary, without commas, so it is one item.
func openDLT(o Officer, caps talaash.Capabilities, list []*talaash.Record, total, page, size int) talaash.Outbound {
	items := make([]string, len(list))
	for i, r := range list {
		items[i] = locales.ShortenVar(r.Ref+" "+strings.ReplaceAll(summary(caps, o.Lang, r, locales.DLTVarMax), ", ", " "), locales.DLTVarMax)
	}
	data := map[string]any{"Total": total, "Page": page, "List": strings.Join(items, ", ")}
	id := "alerts.desk.open.last"
	if total > page*size {
		id, data["Next"] = "alerts.desk.open.list", strconv.Itoa(page+1)
	}
	return render.Notice(caps, o.Channel, o.Address, o.Lang, id, data)
}

// matchesDLT is each lost child waiting for an officer, a message each,
// then the alerts waiting for review as one list.
func matchesDLT(o Officer, caps talaash.Capabilities, lost []*talaash.Record, list []*Alert, now time.Time) []talaash.Outbound {
	var outs []talaash.Outbound
	for _, r := range lost {
		outs = append(outs, render.Notice(caps, o.Channel, o.Address, o.Lang, "alerts.desk.matches.lost", map[string]any{
			"Ref": r.Ref, "Summary": summary(caps, o.Lang, r, locales.DLTVarMax), "Hours": int(now.Sub(r.Created).Hours()),
		}))
	}
	if len(list) == 0 {
		return append(outs, render.Notice(caps, o.Channel, o.Address, o.Lang, "alerts.desk.matches.empty", nil))
	}
	items := make([]string, len(list))
	for i, a := range list {
		items[i] = a.Missing + "/" + a.Sighting + " " + pct(a.Score) + "% " + strconv.Itoa(int(now.Sub(a.Created).Hours())) + "h"
	}
	return append(outs, render.Notice(caps, o.Channel, o.Address, o.Lang, "alerts.desk.matches.list",
		map[string]any{"Count": len(list), "List": strings.Join(items, ", ")}))
}
