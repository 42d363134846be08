package alerts

import (
	"errors"
	"fmt"
	"strings"

	"talaash"
	"talaash/cases"
	"talaash/metrics"
	"talaash/render"
)

// Resolve finds the pending alert that ref (either side) belongs to, for an
// SMS "YES REF". Several -> an ECONFLICT error naming the pairs; none ->
// ENOTFOUND. A pair (talaash.SplitPair) names the pair itself.
func (s *Service) Resolve(tx talaash.Tx, ref string) (missing, sighting string, err error) {
	if m, sg := talaash.SplitPair(ref); sg != "" {
		a, err1 := tx.Record(m)
		b, err2 := tx.Record(sg)
		if err1 != nil || err2 != nil {
			return "", "", talaash.Errorf(talaash.ENOTFOUND, "no alert for %s", clipRef(ref))
		}
		return a.Ref, b.Ref, nil
	}
	pairs, err := s.pending(tx, ref)
	if err != nil {
		return "", "", err
	}
	switch len(pairs) {
	case 0:
		return "", "", talaash.Errorf(talaash.ENOTFOUND, "no pending alert with %s", ref)
	case 1:
		return pairs[0].Missing, pairs[0].Sighting, nil
	}
	return "", "", talaash.Errorf(talaash.ECONFLICT, "%s is in %d pending alerts: %s; give both references", ref, len(pairs), pairList(pairs))
}

func pairList(as []*Alert) string {
	var ps []string
	for _, a := range as {
		ps = append(ps, a.Missing+"/"+a.Sighting)
	}
	return strings.Join(ps, ", ")
}

// pending lists the pending alerts ref is in, oldest first.
func (s *Service) pending(tx talaash.Tx, ref string) ([]*Alert, error) {
	r, err := tx.Record(ref)
	if err != nil {
		return nil, err
	}
	var out []*Alert
	err = tx.AlertsOf(r.Ref, func(a *Alert) error {
		if a.State == talaash.AlertPending {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// Review records an officer's verdict on a pair. Confirm: both records become
// matched (audited), the parent is told police will contact them, the
// bystander is thanked, the other officers are told. Reject: the pair is never
// alerted again. Returns the reply to the officer.
func (s *Service) Review(tx talaash.Tx, officer Officer, missing, sighting string, confirm bool) ([]talaash.Outbound, error) {
	officer, ok, err := s.enrolled(tx, officer)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotPolice
	}
	m, err := tx.Record(missing)
	if err != nil {
		return nil, err
	}
	sg, err := tx.Record(sighting)
	if err != nil {
		return nil, err
	}
	if m.Kind != talaash.KindMissing && sg.Kind == talaash.KindMissing {
		m, sg = sg, m
	}
	a, ok, err := State(tx, m.Ref, sg.Ref)
	if err != nil {
		return nil, err
	}
	if !ok {
		// A candidate the matcher kept but did not alert may be confirmed from /case.
		c, found := candidate(tx, m.Ref, sg.Ref)
		if !found {
			return nil, talaash.Errorf(talaash.ENOTFOUND, "no alert for %s and %s", m.Ref, sg.Ref)
		}
		a = &Alert{Missing: m.Ref, Sighting: sg.Ref, Score: c.Score, Reasons: c.Reasons, State: talaash.AlertPending, Created: s.now()}
	}
	reply := func(id string, data map[string]any) []talaash.Outbound {
		return []talaash.Outbound{render.Notice(s.caps(officer.Channel), officer.Channel, officer.Address, officer.Lang, id, data)}
	}
	pair := map[string]any{"Missing": m.Ref, "Sighting": sg.Ref}
	if a.State != talaash.AlertPending {
		pair["By"], pair["State"] = a.ByName, render.Text(s.caps(officer.Channel), officer.Lang, "alerts.state."+a.State, nil)
		return reply("alerts.review.already", pair), nil
	}
	for _, r := range []*talaash.Record{m, sg} {
		if !r.Status.Active() {
			return reply("alerts.already_closed", map[string]any{"Ref": r.Ref, "Status": render.Text(s.caps(officer.Channel), officer.Lang, "alerts.status."+string(r.Status), nil)}), nil
		}
	}
	now := s.now()
	byName, err := s.label(tx, officer)
	if err != nil {
		return nil, err
	}
	a.ReviewedBy, a.ByName, a.Reviewed = officer.ID(), byName, now
	key := cases.PairKey(m.Ref, sg.Ref)
	if !confirm {
		a.State = talaash.AlertRejected
		if err := s.cases().Reject(tx, m.Ref, sg.Ref, officer.ID()); err != nil {
			return nil, err
		}
		// Audit on both records, without a change of status.
		for _, x := range [][2]string{{m.Ref, sg.Ref}, {sg.Ref, m.Ref}} {
			r, _ := tx.Record(x[0])
			if _, err := tx.SetStatus(r.Ref, orOpen(r.Status), officer.ID(), "not a match: "+x[1], now); err != nil {
				return nil, err
			}
			if err := s.audit(tx, officer, x[0], "reject", x[1]); err != nil {
				return nil, err
			}
		}
		if err := tx.PutAlert(a); err != nil {
			return nil, err
		}
		if err := s.tellOthers(tx, officer, m.Test, "reviewed:"+key, "alerts.review.by_other.rejected", map[string]any{"Missing": m.Ref, "Sighting": sg.Ref, "By": a.ByName}); err != nil {
			return nil, err
		}
		s.log().Info("alert rejected", "missing", m.Ref, "sighting", sg.Ref)
		tx.OnCommit(func() { metrics.Alert(metrics.AlertRejected) })
		return reply("alerts.review.rejected", pair), nil
	}

	a.State = talaash.AlertConfirmed
	for _, x := range [][2]string{{m.Ref, sg.Ref}, {sg.Ref, m.Ref}} {
		if _, err := tx.SetStatus(x[0], talaash.StatusMatched, officer.ID(), "match confirmed: "+x[1], now); err != nil {
			return nil, err
		}
		if err := s.audit(tx, officer, x[0], "confirm", x[1]); err != nil {
			return nil, err
		}
	}
	if err := tx.PutAlert(a); err != nil {
		return nil, err
	}
	// Safe disclosure: the parent learns that there is a possible match and
	// nothing about the child's whereabouts or who reported it.
	if err := s.notify(tx, m, "notify", "notify:match:"+m.Ref, "alerts.notify.match", map[string]any{"Ref": m.Ref}); err != nil {
		return nil, err
	}
	if sg.Kind == talaash.KindSighting {
		if err := s.notify(tx, sg, "notify", "notify:thanks:"+sg.Ref, "alerts.notify.thanks", map[string]any{"Ref": sg.Ref}); err != nil {
			return nil, err
		}
	}
	if err := s.tellOthers(tx, officer, m.Test, "reviewed:"+key, "alerts.review.by_other.confirmed", map[string]any{"Missing": m.Ref, "Sighting": sg.Ref, "By": a.ByName}); err != nil {
		return nil, err
	}
	s.log().Info("alert confirmed", "missing", m.Ref, "sighting", sg.Ref)
	tx.OnCommit(func() { metrics.Alert(metrics.AlertConfirmed) })
	pair["Contact"] = contact(s.channels(), m)
	return reply("alerts.review.confirmed", pair), nil
}

// audit puts an officer's view of or decision on a record in the access log.
func (s *Service) audit(tx talaash.Tx, officer Officer, ref, action, detail string) error {
	return tx.Audit(&talaash.AuditEntry{Officer: officer.ID(), At: s.now(), Ref: ref, Action: action, Detail: detail})
}

func clipRef(s string) string { return talaash.Clip(s, 40, "") }

func orOpen(st talaash.Status) talaash.Status {
	if st == "" {
		return talaash.StatusOpen
	}
	return st
}

func candidate(tx talaash.Tx, missing, sighting string) (talaash.Candidate, bool) {
	list, _ := tx.Candidates(missing)
	for _, c := range list {
		if c.Missing == missing && c.Sighting == sighting {
			return c, true
		}
	}
	return talaash.Candidate{}, false
}

// ReviewRef is Review for what an officer typed or pressed: a pair
// (talaash.SplitPair) or one ref, resolved with Resolve.
func (s *Service) ReviewRef(tx talaash.Tx, officer Officer, ref string, confirm bool) ([]talaash.Outbound, error) {
	if _, ok, err := s.enrolled(tx, officer); err != nil || !ok {
		if err == nil {
			err = ErrNotPolice
		}
		return nil, err
	}
	if k, r, c, ok := ParseCallback(ref); ok && k == "review" {
		ref, confirm = r, c
	}
	m, sg := talaash.SplitPair(ref)
	switch {
	case m == "":
		return nil, talaash.Errorf(talaash.EINVALID, "no reference given")
	case sg == "":
		var err error
		if m, sg, err = s.Resolve(tx, m); err != nil {
			return nil, err
		}
	}
	return s.Review(tx, officer, m, sg, confirm)
}

// Reunited closes the case ref as reunited (audited), and the cases confirmed
// as the same child with it; parents are told.
func (s *Service) Reunited(tx talaash.Tx, officer Officer, ref string) ([]talaash.Outbound, error) {
	return s.finish(tx, officer, ref, talaash.StatusReunited, "")
}

// Close closes the case ref for another reason (audited); its reporter is told.
func (s *Service) Close(tx talaash.Tx, officer Officer, ref, reason string) ([]talaash.Outbound, error) {
	return s.finish(tx, officer, ref, talaash.StatusClosed, strings.TrimSpace(reason))
}

func (s *Service) finish(tx talaash.Tx, officer Officer, ref string, to talaash.Status, reason string) ([]talaash.Outbound, error) {
	officer, ok, err := s.enrolled(tx, officer)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotPolice
	}
	r, err := tx.Record(ref)
	if err != nil {
		return nil, err
	}
	reply := func(id string, data map[string]any) []talaash.Outbound {
		return []talaash.Outbound{render.Notice(s.caps(officer.Channel), officer.Channel, officer.Address, officer.Lang, id, data)}
	}
	if !r.Status.Active() {
		return reply("alerts.already_closed", map[string]any{"Ref": r.Ref, "Status": render.Text(s.caps(officer.Channel), officer.Lang, "alerts.status."+string(r.Status), nil)}), nil
	}
	targets := []*talaash.Record{r}
	if to == talaash.StatusReunited {
		// A reunion ends the confirmed counterparts too: the found child's
		// record and the parent's report are the same child.
		err := tx.AlertsOf(r.Ref, func(a *Alert) error {
			if a.State != talaash.AlertConfirmed {
				return nil
			}
			other := a.Missing
			if talaash.CanonicalRef(other) == talaash.CanonicalRef(r.Ref) {
				other = a.Sighting
			}
			if o, err := tx.Record(other); err == nil && o.Status.Active() {
				targets = append(targets, o)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	now := s.now()
	why := reason
	if to == talaash.StatusReunited {
		why = "reunited"
	}
	for _, t := range targets {
		done, err := tx.SetStatus(t.Ref, to, officer.ID(), why, now)
		if err != nil {
			return nil, err
		}
		if err := s.audit(tx, officer, t.Ref, string(to), reason); err != nil {
			return nil, err
		}
		// Out of matching: the record leaves every candidate list.
		if s.Cases != nil {
			if err := s.Cases.Save(tx, done, true); err != nil {
				return nil, err
			}
		}
		if done.Kind != talaash.KindMissing {
			continue
		}
		id, key := "alerts.notify.reunited", "notify:reunited:"+done.Ref
		if to == talaash.StatusClosed {
			id, key = "alerts.notify.closed", "notify:closed:"+done.Ref
		}
		if err := s.notify(tx, done, "notify", key, id, map[string]any{"Ref": done.Ref, "Reason": reason}); err != nil {
			return nil, err
		}
	}
	s.log().Info("case "+string(to), "ref", r.Ref, "records", len(targets))
	if to == talaash.StatusReunited {
		return reply("alerts.reunited.done", map[string]any{"Ref": r.Ref}), nil
	}
	return reply("alerts.closed.done", map[string]any{"Ref": r.Ref}), nil
}

// Act answers one police action of the dialog ("review", "reunited", "close",
// "case", "open", "matches", "stats") for the core, in one line:
//
//	out, err := b.alerts.Act(tx, alerts.Officer{Channel: in.Channel, Address: in.Sender, Lang: sess.Lang}, string(a.Kind), a.Ref, a.Arg, a.Confirm)
//
// Mistakes a person can make (not police, unknown ref, no or several pending
// alerts) come back as a reply in their language; only store failures are errors.
func (s *Service) Act(tx talaash.Tx, officer Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
	var out []talaash.Outbound
	var err error
	switch kind {
	case "review":
		if ref == "" {
			ref = arg
		}
		out, err = s.ReviewRef(tx, officer, ref, confirm)
	case "reunited":
		out, err = s.Reunited(tx, officer, ref)
	case "close":
		out, err = s.Close(tx, officer, ref, arg)
	case "case":
		if ref == "" {
			ref = arg
		}
		out, err = s.Desk(tx, officer, kind, ref)
	case "open":
		if arg == "" {
			arg = ref
		}
		out, err = s.Desk(tx, officer, kind, arg)
	case "matches", "stats":
		out, err = s.Desk(tx, officer, kind, arg)
	default:
		return nil, talaash.Errorf(talaash.EINVALID, "unknown police action %q", kind)
	}
	if err == nil {
		return out, nil
	}
	if o, ok, _ := s.enrolled(tx, officer); ok {
		officer = o
	} else if officer.Lang == "" {
		officer.Lang, _ = sessionLang(tx, officer.ID())
	}
	officer.Lang = lang(officer.Lang)
	reply := func(id string, data map[string]any) ([]talaash.Outbound, error) {
		return []talaash.Outbound{render.Notice(s.caps(officer.Channel), officer.Channel, officer.Address, officer.Lang, id, data)}, nil
	}
	shown := strings.TrimSpace(ref)
	if _, r, _, ok := ParseCallback(shown); ok {
		shown = r
	}
	switch {
	case errors.Is(err, ErrNotPolice):
		return reply("alerts.not_police", nil)
	case talaash.ErrorCode(err) == talaash.ECONFLICT && kind == "review":
		pairs, perr := s.pending(tx, shown)
		if perr != nil || len(pairs) == 0 {
			break
		}
		return reply("alerts.review.ambiguous", map[string]any{"Ref": shown, "Pairs": pairList(pairs),
			"Example": pairs[0].Missing + " " + pairs[0].Sighting})
	case notFound(err) && kind == "review":
		if strings.Contains(talaash.ErrorMessage(err), "alert") { // not a missing record
			return reply("alerts.review.no_alert", map[string]any{"Ref": shown})
		}
		return reply("alerts.not_found", map[string]any{"Ref": shown})
	case notFound(err), talaash.ErrorCode(err) == talaash.EINVALID:
		return reply("alerts.not_found", map[string]any{"Ref": shown})
	}
	return nil, fmt.Errorf("alerts %s: %w", kind, err)
}
