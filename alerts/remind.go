package alerts

import (
	"context"
	"strconv"
	"time"

	"talaash"
)

// Remind sends again, once, every alert no officer reviewed within
// RemindAfter, and gives every parent whose case is still open a status
// message every WeeklyEvery. The caller runs it periodically (see Loop).
func (s *Service) Remind(tx talaash.Tx) error {
	now := s.now()
	err := tx.AlertsByState(talaash.AlertPending, func(a *Alert) error {
		if !a.Reminded.IsZero() || now.Sub(a.Created) < RemindAfter {
			return nil
		}
		m, err1 := tx.Record(a.Missing)
		sg, err2 := tx.Record(a.Sighting)
		if err1 != nil || err2 != nil || !m.Status.Active() || !sg.Status.Active() {
			return nil // the case ended some other way; nothing to review
		}
		a.Reminded = now
		if err := tx.PutAlert(a); err != nil {
			return err
		}
		return s.sendAlert(tx, a, m, sg, true)
	})
	if err != nil {
		return err
	}

	type due struct {
		r    *talaash.Record
		days int
	}
	var parents []due
	statuses := []talaash.Status{talaash.StatusOpen, talaash.StatusMatched}
	if !s.weeklyScanDue(now) {
		statuses = nil
	}
	for _, st := range statuses {
		err := tx.RecordsBy(talaash.KindMissing, st, func(r *talaash.Record) error {
			// Only a parent who reported to us in a conversation hears from us
			// weekly; a bulk load of old cases must not start texting
			// thousands of families.
			if c, ok := s.channels().Caps(r.Channel); !ok || !c.Conversation {
				return nil
			}
			last, err := tx.LastWeekly(r.Ref)
			if err != nil {
				return err
			}
			if last.IsZero() {
				last = r.Created
			}
			if !last.IsZero() && now.Sub(last) >= WeeklyEvery {
				parents = append(parents, due{r, int(now.Sub(r.Created).Hours() / 24)})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, p := range parents {
		if err := tx.PutLastWeekly(p.r.Ref, now); err != nil {
			return err
		}
		// The week's message says where the case stands, as STATUS does.
		stage, err := talaash.CaseStage(tx, p.r)
		if err != nil {
			return err
		}
		id := "alerts.notify.weekly"
		switch stage {
		case talaash.StageChecking, talaash.StageConfirmed:
			id += "." + string(stage)
		}
		key := "weekly:" + p.r.Ref + ":" + strconv.Itoa(p.days/7)
		if err := s.notify(tx, p.r, "reminder", key, id, map[string]any{"Ref": p.r.Ref, "Days": p.days}); err != nil {
			return err
		}
	}
	return nil
}

// weeklyScanDue reports whether the weekly statuses should be looked for now:
// at most hourly, since reading every open case each minute buys nothing for a
// message sent once a week.
func (s *Service) weeklyScanDue(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.lastWeekly.IsZero() && now.Sub(s.lastWeekly) < time.Hour {
		return false
	}
	s.lastWeekly = now
	return true
}

// Loop runs Remind every interval until ctx ends; errors are logged.
func (s *Service) Loop(ctx context.Context, db talaash.Store, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := db.Update(s.Remind); err != nil {
			s.log().Error("alerts: reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
