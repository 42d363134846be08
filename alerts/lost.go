package alerts

import (
	"talaash"
	"talaash/render"
)

// Lost reports whether r is a lost child's own record that police must act
// on: open, made by the child (Safe is SafeLost). It needs no candidate: the
// child is the alert, until an officer marks it reunited or closed.
func Lost(r *talaash.Record) bool {
	return r.Kind == talaash.KindFound && r.Safe == talaash.SafeLost && r.Status.Active()
}

// OnSaved is the core's hook after a record from a conversation is stored:
// a lost child's record goes at once, marked urgent, to every officer who
// hears of it, on every channel police use (test records to the simulator's
// police only). Its outbox key is the record's, so saving the record again
// sends no second alert to an officer who had it.
func (s *Service) OnSaved(tx talaash.Tx, r *talaash.Record) error {
	if !Lost(r) {
		return nil
	}
	officers, err := s.officers(tx)
	if err != nil {
		return err
	}
	s.log().Info("lost child alert", "ref", r.Ref)
	for _, o := range officers {
		if !s.hears(o, r.Test) {
			continue
		}
		c := s.caps(o.Channel)
		line := recordText(s.channels(), c, o.Lang, r, false)
		if c.SMS() {
			line = newSMSRecord(s.channels(), o.Lang, r).line()
		}
		if c.Templates {
			// A list of whole items, the number first: the template has
			// the ref, and a cut list must not lose the way to the child.
			x := newSMSRecord(s.channels(), o.Lang, r)
			line = "ph " + x.tel + ", " + x.desc()
		}
		m := render.Notice(c, o.Channel, o.Address, o.Lang, "alerts.lost", map[string]any{"Ref": r.Ref, "Record": line})
		m.Urgent = true
		if c.SMS() && !c.Templates { // a registered template's text is never cut
			m.Text = render.Cut(m.Text, MaxSMSParts, false)
		}
		if err := s.enqueue(tx, "alert", "lost:"+r.Ref, m); err != nil {
			return err
		}
	}
	return nil
}

// LostOpen lists the lost children's records no officer has closed yet, as
// test records or real ones, oldest first: the desk shows them above the
// pairs waiting for review.
func LostOpen(tx talaash.Tx, test bool) ([]*talaash.Record, error) {
	var out []*talaash.Record
	err := tx.RecordsBy(talaash.KindFound, talaash.StatusOpen, func(r *talaash.Record) error {
		if Lost(r) && r.Test == test {
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
