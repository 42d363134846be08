// Package cases stores a record and matches it in one step: every record saved
// through it, from import or from chat, is scored against the active records of
// the other kinds, the top candidates are kept on both sides of each pair, and a
// pair that newly crosses the alert line is handed to the alert hook inside the
// same transaction, so an alert can never be lost between commit and send.
package cases

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"talaash"
	"talaash/metrics"
)

// Keep is how many candidates are stored per record.
const Keep = 10

// Service saves and matches records.
type Service struct {
	Matcher talaash.Matcher
	// Decide sets Alert on one sighting's candidates, sorted best first.
	Decide func([]talaash.Candidate)
	// OnAlert is called, inside the saving transaction, for each pair that
	// newly deserves an alert. Nil: alerts are only marked on the candidates.
	OnAlert func(tx talaash.Tx, c talaash.Candidate) error

	// floor holds, for each committed list that is full, the score a new
	// candidate must beat to enter it, so that a record's many weak candidates
	// do not each cost a read and a write of a list they would not enter.
	mu    sync.Mutex
	floor map[string]float64

	live   liveLoad // LoadServing's state: load.go
	follow          // follow.go: records other processes put
}

// enters reports whether a candidate scoring score could enter ref's list.
func (s *Service) enters(ref string, score float64) bool {
	if s.following.Load() {
		// Other processes change the lists too: a floor seen here may be stale.
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.floor[ref]
	return !ok || score > f
}

// setFloor records ref's list once its transaction commits; a rolled-back
// list leaves no trace.
func (s *Service) setFloor(tx talaash.Tx, ref string, list []talaash.Candidate) {
	full := len(list) >= Keep
	var f float64
	if full {
		f = list[len(list)-1].Score
	}
	tx.OnCommit(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.floor == nil {
			s.floor = map[string]float64{}
		}
		if full {
			s.floor[ref] = f
		} else {
			delete(s.floor, ref)
		}
	})
}

// Load puts every active record of db into the matcher; run once at start.
func (s *Service) Load(db talaash.Store) error {
	if err := s.startFollow(db); err != nil {
		return err
	}
	if p, ok := s.Matcher.(preparer); ok {
		return s.loadParallel(db, p)
	}
	return db.View(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error {
			if r.Status.Active() {
				s.addLoaded(r.Ref, func() { s.Matcher.Add(r) })
			}
			return nil
		})
	})
}

// PairKey names a pair in outbox keys ("alert:MREF|SREF").
func PairKey(missing, sighting string) string { return missing + "|" + sighting }

// Reject records that police said this pair is not a match: it is dropped from
// both candidate lists and never alerted again.
func (s *Service) Reject(tx talaash.Tx, missing, sighting, by string) error {
	if err := tx.PutRejected(missing, sighting, by, time.Now()); err != nil {
		return err
	}
	s.setFloor(tx, missing, nil) // the lists shrink: take candidates again
	s.setFloor(tx, sighting, nil)
	for _, ref := range []string{missing, sighting} {
		list, err := tx.Candidates(ref)
		if err != nil {
			return err
		}
		if err := tx.PutCandidates(ref, without(list, missing, sighting)); err != nil {
			return err
		}
	}
	return nil
}

// Save stores r and matches it. alerts=false (bulk loads of old cases) marks
// alerts on candidates but calls no hook.
func (s *Service) Save(tx talaash.Tx, r *talaash.Record, alerts bool) error {
	return s.save(tx, r, alerts, nil)
}

// save stores r and keeps its candidates on both sides. matched, when not
// nil, gives r's matches already computed with the matcher in the state Save
// would see (SaveBatch); otherwise r is added to the matcher and matched here.
func (s *Service) save(tx talaash.Tx, r *talaash.Record, alerts bool, matched func() []talaash.Candidate) error {
	var old []talaash.Candidate
	if r.Ref != "" {
		if prev, err := tx.Record(r.Ref); err == nil {
			r.Ref = prev.Ref
			if old, err = tx.Candidates(prev.Ref); err != nil {
				return err
			}
		}
	}
	if err := tx.PutRecord(r); err != nil {
		return err
	}
	s.saved(tx, r)
	if s.touch(r.Ref, r.Status.Active()) {
		// Added and matched once the load is done, against every record, in
		// the order saved, as had the save waited for the load: a match
		// against the part loaded so far could alert a pair the rest would
		// have outscored, and an alert is never taken back.
		return tx.PutSession(unmatchedKey+r.Ref, []byte{1})
	}
	return s.match(tx, r, old, alerts, matched)
}

// match keeps the candidates of r, stored with old candidates, on both sides.
func (s *Service) match(tx talaash.Tx, r *talaash.Record, old []talaash.Candidate, alerts bool, matched func() []talaash.Candidate) error {
	// The matcher learns r now, not on commit, so that records saved in one
	// batch see each other. Should the transaction roll back, the stale entry is
	// dropped the first time it turns up as a counterpart (see counterpart).
	if !r.Status.Active() {
		s.Matcher.Remove(r.Ref)
		return s.dropOut(tx, r, old, alerts)
	}
	var found []talaash.Candidate
	if matched != nil {
		found = matched()
	} else {
		s.Matcher.Add(r)
		start := time.Now()
		found = s.Matcher.Match(r, Keep)
		metrics.Match(time.Since(start))
	}

	var mine []talaash.Candidate
	for _, c := range found {
		rejected, err := tx.Rejected(c.Missing, c.Sighting)
		if err != nil {
			return err
		}
		if !rejected {
			mine = append(mine, c)
		}
	}
	// Pairs r had before but no longer has leave the other side's list too.
	for _, c := range old {
		if !has(mine, c.Missing, c.Sighting) {
			other := counterpartRef(r, c)
			list, err := tx.Candidates(other)
			if err != nil {
				return err
			}
			if err := s.putList(tx, other, without(list, c.Missing, c.Sighting), alerts); err != nil {
				return err
			}
		}
	}
	kept := mine[:0]
	for _, c := range mine {
		other := counterpartRef(r, c)
		if ok, err := s.counterpart(tx, other); err != nil {
			return err
		} else if !ok {
			continue
		}
		kept = append(kept, c)
		if !has(old, c.Missing, c.Sighting) && !s.enters(other, c.Score) {
			continue // other's list is full of better candidates
		}
		list, err := tx.Candidates(other)
		if err != nil {
			return err
		}
		list = append(without(list, c.Missing, c.Sighting), c)
		if err := s.putList(tx, other, list, alerts); err != nil {
			return err
		}
	}
	return s.putList(tx, r.Ref, kept, alerts)
}

// dropOut removes a record that left matching (reunited, closed) from every
// list it was on, and refills those lists from the remaining records.
func (s *Service) dropOut(tx talaash.Tx, r *talaash.Record, old []talaash.Candidate, alerts bool) error {
	if err := tx.PutCandidates(r.Ref, nil); err != nil {
		return err
	}
	s.setFloor(tx, r.Ref, nil)
	for _, c := range old {
		other := counterpartRef(r, c)
		o, err := tx.Record(other)
		if err != nil {
			continue
		}
		if err := s.Save(tx, o, alerts); err != nil {
			return fmt.Errorf("rematch %s: %w", o.Ref, err)
		}
	}
	return nil
}

// counterpart reports whether the matcher's counterpart is still stored; one
// whose transaction rolled back is dropped from the matcher. (The matcher holds
// active records only: every status change passes through Save.) It decodes
// nothing, since it runs for every candidate of every record saved.
func (s *Service) counterpart(tx talaash.Tx, ref string) (bool, error) {
	if tx.HasRecord(ref) {
		return true, nil
	}
	s.touch(ref, false)
	s.Matcher.Remove(ref)
	return false, nil
}

// putList sorts, trims and stores one record's list. On a sighting's list the
// alert decision is made (Decide), and pairs that newly deserve an alert go to
// the hook; a missing record's list takes its alert flags from the sighting side.
func (s *Service) putList(tx talaash.Tx, ref string, list []talaash.Candidate, alerts bool) error {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Score > list[j].Score })
	if len(list) > Keep {
		list = list[:Keep]
	}
	s.setFloor(tx, ref, list)
	sightingSide := len(list) > 0 && list[0].Sighting == ref
	if sightingSide && s.Decide != nil {
		for i := range list {
			list[i].Alert = false
		}
		s.Decide(list)
		for _, c := range list {
			if !c.Alert {
				continue
			}
			alerted, err := tx.Alerted(c.Missing, c.Sighting)
			if err != nil {
				return err
			}
			rejected, err := tx.Rejected(c.Missing, c.Sighting)
			if err != nil {
				return err
			}
			if alerted || rejected {
				continue
			}
			if err := tx.PutAlerted(c.Missing, c.Sighting); err != nil {
				return err
			}
			if alerts && s.OnAlert != nil {
				if err := s.OnAlert(tx, c); err != nil {
					return err
				}
			}
			// The missing side shows the same decision.
			if err := s.markMissing(tx, c); err != nil {
				return err
			}
		}
	} else if !sightingSide {
		for i, c := range list {
			alerted, err := tx.Alerted(c.Missing, c.Sighting)
			if err != nil {
				return err
			}
			list[i].Alert = alerted
		}
	}
	return tx.PutCandidates(ref, list)
}

func (s *Service) markMissing(tx talaash.Tx, c talaash.Candidate) error {
	list, err := tx.Candidates(c.Missing)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].Sighting == c.Sighting {
			list[i].Alert = true
			return tx.PutCandidates(c.Missing, list)
		}
	}
	return nil
}

// Pairs calls fn once for every stored candidate pair, as the sighting side
// holds it where it does (that is where the alert decision is made).
func Pairs(tx talaash.Tx, fn func(c talaash.Candidate) error) error {
	seen := map[string]bool{}
	var missingSide []talaash.Candidate
	err := tx.EachCandidates(func(ref string, list []talaash.Candidate) error {
		for _, c := range list {
			if c.Sighting != ref {
				missingSide = append(missingSide, c)
				continue
			}
			seen[PairKey(c.Missing, c.Sighting)] = true
			if err := fn(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range missingSide {
		if k := PairKey(c.Missing, c.Sighting); !seen[k] {
			seen[k] = true
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func counterpartRef(r *talaash.Record, c talaash.Candidate) string {
	if r.Kind == talaash.KindMissing {
		return c.Sighting
	}
	return c.Missing
}

func has(list []talaash.Candidate, missing, sighting string) bool {
	for _, c := range list {
		if c.Missing == missing && c.Sighting == sighting {
			return true
		}
	}
	return false
}

func without(list []talaash.Candidate, missing, sighting string) []talaash.Candidate {
	out := list[:0:0]
	for _, c := range list {
		if c.Missing != missing || c.Sighting != sighting {
			out = append(out, c)
		}
	}
	return out
}
