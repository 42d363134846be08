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
	if err := s.remindAlerts(tx, now); err != nil {
		return err
	}
	if !s.weeklyScanDue(now) {
		return nil
	}
	due, err := s.dueWeekly(tx, now)
	if err != nil {
		return err
	}
	return s.sendWeekly(tx, due, now)
}

// remindAlerts sends again, once, every alert no officer reviewed within
// RemindAfter.
func (s *Service) remindAlerts(tx talaash.Tx, now time.Time) error {
	return tx.AlertsByState(talaash.AlertPending, func(a *Alert) error {
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
}

// weekly is a parent due a weekly status.
type weekly struct {
	r    *talaash.Record
	days int
}

// dueWeekly reads every open case whose parent is due a weekly status: a
// walk of all open cases, which Loop does in a read transaction so that
// turns are not held up behind it.
func (s *Service) dueWeekly(tx talaash.Tx, now time.Time) ([]weekly, error) {
	var parents []weekly
	for _, st := range []talaash.Status{talaash.StatusOpen, talaash.StatusMatched} {
		err := tx.RecordsBy(talaash.KindMissing, st, func(r *talaash.Record) error {
			// Only a parent who reported to us in a conversation hears from us
			// weekly; a bulk load of old cases must not start texting
			// thousands of families.
			if c, ok := s.channels().Caps(r.Channel); !ok || !c.Conversation {
				return nil
			}
			if ok, err := weeklyDue(tx, r, now); err != nil || !ok {
				return err
			}
			parents = append(parents, weekly{r, int(now.Sub(r.Created).Hours() / 24)})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return parents, nil
}

func weeklyDue(tx talaash.Tx, r *talaash.Record, now time.Time) (bool, error) {
	last, err := tx.LastWeekly(r.Ref)
	if err != nil {
		return false, err
	}
	if last.IsZero() {
		last = r.Created
	}
	return !last.IsZero() && now.Sub(last) >= WeeklyEvery, nil
}

// sendWeekly sends the weekly statuses; a case read in an earlier
// transaction is read again, and skipped if it closed or was told since.
func (s *Service) sendWeekly(tx talaash.Tx, parents []weekly, now time.Time) error {
	for _, p := range parents {
		r, err := tx.Record(p.r.Ref)
		if talaash.ErrorCode(err) == talaash.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if r.Status != talaash.StatusOpen && r.Status != talaash.StatusMatched {
			continue
		}
		if ok, err := weeklyDue(tx, r, now); err != nil {
			return err
		} else if !ok {
			continue
		}
		if err := tx.PutLastWeekly(r.Ref, now); err != nil {
			return err
		}
		// The week's message says where the case stands, as STATUS does.
		stage, err := talaash.CaseStage(tx, r)
		if err != nil {
			return err
		}
		id := "alerts.notify.weekly"
		switch stage {
		case talaash.StageChecking, talaash.StageConfirmed:
			id += "." + string(stage)
		}
		key := "weekly:" + r.Ref + ":" + strconv.Itoa(p.days/7)
		if err := s.notify(tx, r, "reminder", key, id, map[string]any{"Ref": r.Ref, "Days": p.days}); err != nil {
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
		if err := s.remindOnce(db); err != nil {
			s.log().Error("alerts: reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// remindOnce is Remind with the walk of every open case in a read
// transaction, and only what it found due in the write one.
func (s *Service) remindOnce(db talaash.Store) error {
	now := s.now()
	var due []weekly
	if s.weeklyScanDue(now) {
		if err := db.View(func(tx talaash.Tx) (err error) {
			due, err = s.dueWeekly(tx, now)
			return err
		}); err != nil {
			return err
		}
	}
	return db.Update(func(tx talaash.Tx) error {
		if err := s.remindAlerts(tx, now); err != nil {
			return err
		}
		return s.sendWeekly(tx, due, now)
	})
}
