package cases

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"talaash"
)

// follow is what a Service knows of the records other processes put in a
// shared store (talaash.Shared): where its reading of the store's change log
// stands, and what it saved itself.
type follow struct {
	following atomic.Bool // Follow runs: candidate floors may be stale

	fmu     sync.Mutex
	version uint64               // summary version the matcher reflects
	own     map[string]time.Time // refs saved here, not yet met in the log
	sides   [2]bool              // a record of this side (0 missing, 1 sighting or found) was saved here
}

func sideOf(k talaash.Kind) int {
	if k == talaash.KindMissing {
		return 0
	}
	return 1
}

// startFollow notes where the change log stands before Load reads the
// records, so that a change made meanwhile is read again, not missed.
func (s *Service) startFollow(db talaash.Store) error {
	return db.View(func(tx talaash.Tx) error {
		s.fmu.Lock()
		defer s.fmu.Unlock()
		s.version = tx.SummaryVersion()
		return nil
	})
}

// saved notes, once tx commits, that this process saved r.
func (s *Service) saved(tx talaash.Tx, r *talaash.Record) {
	ref, side := talaash.CanonicalRef(r.Ref), sideOf(r.Kind)
	tx.OnCommit(func() {
		s.fmu.Lock()
		defer s.fmu.Unlock()
		if s.own == nil {
			s.own = map[string]time.Time{}
		}
		s.own[ref] = time.Now()
		s.sides[side] = true
	})
}

// Follow keeps the matcher in step with the records other processes put in
// db, until ctx ends: after each signal of a talaash.Watcher, and every poll,
// it reads the store's change log (SummaryChanges) and indexes each changed
// record again, or drops it once inactive.
//
// Two records saved at the same moment in two processes were each matched
// without the other. So a record put elsewhere is matched again here when
// this process saved a record of the other side itself: every pair of
// records saved in two processes is then compared by at least one of them,
// whatever the timing, and by both when they were concurrent. The pair's
// alerted key is the guard: the second process's alert conflicts with the
// first's, is retried by the store, finds the pair alerted and does nothing.
// Rematching writes only when it finds a pair the record's list lacks.
func (s *Service) Follow(ctx context.Context, db talaash.Store, poll time.Duration, log *slog.Logger) error {
	s.following.Store(true)
	var wake <-chan struct{}
	if w, ok := db.(talaash.Watcher); ok {
		wake = w.Changed(ctx)
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := s.CatchUp(db); err != nil && ctx.Err() == nil {
			log.Error("following records of other replicas", "code", talaash.ErrorCode(err), "err", talaash.ErrorMessage(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-wake:
			if !ok {
				wake = nil
			}
		case <-t.C:
		}
	}
}

// CatchUp reads the change log once (Follow's step).
func (s *Service) CatchUp(db talaash.Store) error {
	s.fmu.Lock()
	from := s.version
	s.fmu.Unlock()
	var (
		changed []*talaash.Record
		to      uint64
		all     bool
	)
	err := db.View(func(tx talaash.Tx) error {
		to = tx.SummaryVersion()
		if to == from {
			return nil
		}
		refs := map[string]bool{}
		err := tx.SummaryChanges(from, func(_ string, sum *talaash.RecordSummary) error {
			if sum == nil || refs[sum.Ref] {
				return nil // a record gone altogether was never matched by anyone
			}
			refs[sum.Ref] = true
			r, err := tx.Record(sum.Ref)
			if err != nil {
				return err
			}
			changed = append(changed, r)
			return nil
		})
		if talaash.ErrorCode(err) == talaash.ECONFLICT {
			// The log no longer reaches back: read every record again.
			all, changed = true, nil
			return tx.EachRecord(func(r *talaash.Record) error {
				changed = append(changed, r)
				return nil
			})
		}
		return err
	})
	if err != nil || to == from {
		return err
	}
	for _, r := range changed {
		if !r.Status.Active() {
			s.Matcher.Remove(r.Ref)
			continue
		}
		s.Matcher.Add(r)
	}
	for _, r := range changed {
		if !all && s.foreign(r) && r.Status.Active() {
			if err := s.rematch(db, r); err != nil {
				return err
			}
		}
	}
	s.fmu.Lock()
	s.version = to
	for ref, at := range s.own {
		if time.Since(at) > time.Hour {
			delete(s.own, ref) // met already, under a change the log merged
		}
	}
	s.fmu.Unlock()
	return nil
}

// foreign reports whether r, met in the change log, may need matching here:
// put by another process while this one saved records of the other side.
func (s *Service) foreign(r *talaash.Record) bool {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	ref := talaash.CanonicalRef(r.Ref)
	if _, mine := s.own[ref]; mine {
		delete(s.own, ref)
		return false
	}
	return s.sides[1-sideOf(r.Kind)]
}

// rematch matches a record put elsewhere against this process's index and
// stores what its lists lack, alerting as a save would.
func (s *Service) rematch(db talaash.Store, r *talaash.Record) error {
	found := s.Matcher.Match(r, Keep)
	fresh := false
	err := db.View(func(tx talaash.Tx) error {
		have, err := tx.Candidates(r.Ref)
		if err != nil {
			return err
		}
		for _, c := range found {
			if !has(have, c.Missing, c.Sighting) {
				if rej, err := tx.Rejected(c.Missing, c.Sighting); err != nil {
					return err
				} else if !rej {
					fresh = true
				}
			}
		}
		return nil
	})
	if err != nil || !fresh {
		return err
	}
	return db.Update(func(tx talaash.Tx) error {
		cur, err := tx.Record(r.Ref)
		if err != nil || !cur.Status.Active() {
			return nil // gone or closed since: its saver dropped it
		}
		old, err := tx.Candidates(cur.Ref)
		if err != nil {
			return err
		}
		return s.match(tx, cur, old, true, nil)
	})
}
