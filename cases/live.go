package cases

import (
	"sort"
	"strings"
	"sync"
	"time"

	"talaash"
)

// Loading the matcher while turns are taken. A service need not wait for
// every record to be read before it answers: LoadServing fills the matcher in
// the background while Save goes on. Two things keep that correct:
//
//   - A record saved during the load is newer than the load's snapshot of it:
//     the load skips every ref Save touched, so a stale copy (one closed
//     since, say) never overwrites what Save put in the matcher.
//   - A record saved during the load is stored at once but put in the
//     matcher and matched only once all records are in, in the order saved:
//     lists and alerts end as if each save had waited for the load, so no
//     pair is missed because the index was still filling, and none alerted
//     that the rest would have outscored.
type liveLoad struct {
	mu      sync.Mutex
	loading bool
	touched map[string]bool // refs Save put in or took out of the matcher
	pending []string        // active records matched while loading, in order
	queued  map[string]bool
}

// LoadServing loads db into the matcher in the background and returns at
// once; the channel gets the load's error (nil) after the records saved in
// the meantime have been matched again, and is then closed. Save may be
// called from the moment LoadServing returns.
func (s *Service) LoadServing(db talaash.Store) <-chan error {
	l := &s.live
	l.mu.Lock()
	l.loading, l.touched, l.queued = true, map[string]bool{}, map[string]bool{}
	l.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		defer close(done)
		// Records a crashed load left unmatched are matched first, in the
		// order they were saved.
		type mark struct {
			ref string
			at  time.Time
		}
		var marks []mark
		err := db.View(func(tx talaash.Tx) error {
			return tx.EachSession(func(key string, used time.Time, _ []byte) error {
				if ref, ok := strings.CutPrefix(key, unmatchedKey); ok {
					marks = append(marks, mark{ref, used})
				}
				return nil
			})
		})
		sort.SliceStable(marks, func(i, j int) bool { return marks[i].at.Before(marks[j].at) })
		for _, m := range marks {
			s.touch(m.ref, true)
		}
		if err == nil {
			err = s.Load(db)
		}
		l.mu.Lock()
		refs := l.pending
		l.loading, l.touched, l.pending, l.queued = false, nil, nil, nil
		l.mu.Unlock()
		if err == nil {
			err = s.matchDeferred(db, refs)
		}
		done <- err
	}()
	return done
}

// Loading reports whether LoadServing is still filling the matcher.
func (s *Service) Loading() bool {
	s.live.mu.Lock()
	defer s.live.mu.Unlock()
	return s.live.loading
}

// touch notes, while loading, that Save changed ref in the matcher; an
// active record is queued to be matched when the load is done, and deferred
// reports so. It runs before the matcher is touched: a save that finds the
// load finished sees every record.
func (s *Service) touch(ref string, active bool) (deferred bool) {
	l := &s.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.loading {
		return false
	}
	l.touched[ref] = true
	if active && !l.queued[ref] {
		l.queued[ref] = true
		l.pending = append(l.pending, ref)
	}
	return active
}

// addLoaded runs add, the load's insertion of ref, unless Save has touched
// ref since the load began. The lock spans the insertion, so Save's own
// change of ref comes wholly before it (and the load skips) or after it.
func (s *Service) addLoaded(ref string, add func()) {
	l := &s.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.loading && l.touched[ref] {
		return
	}
	add()
}

// unmatchedKey + ref marks, in the store's sessions, a record saved while
// the matcher was loading and not matched yet, so that a crash before the
// load ends loses no match: the next start matches it. The mark is written
// with the record and deleted when it is matched.
const unmatchedKey = "cases:unmatched:"

// rematchBatch is how many records one transaction matches again.
const rematchBatch = 64

// matchDeferred saves again, now matching against every record, the records saved
// while the matcher was filling; a pair already alerted is not alerted again
// (save alerts only pairs that newly cross the line).
func (s *Service) matchDeferred(db talaash.Store, refs []string) error {
	for len(refs) > 0 {
		n := min(len(refs), rematchBatch)
		part := refs[:n]
		refs = refs[n:]
		err := db.Update(func(tx talaash.Tx) error {
			for _, ref := range part {
				if err := tx.DeleteSession(unmatchedKey + ref); err != nil {
					return err
				}
				r, err := tx.Record(ref)
				if talaash.ErrorCode(err) == talaash.ENOTFOUND {
					continue // its turn rolled back
				} else if err != nil {
					return err
				}
				if !r.Status.Active() {
					continue // closed since: Save took it out already
				}
				if err := s.Save(tx, r, true); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
