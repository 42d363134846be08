package cases

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"talaash"
)

// SaveBatch stores and matches rs in order, inside tx, with the same outcome
// as Save on each in turn (candidate lists, floors, alert decisions, OnAlert
// calls, rejected pairs), but with the matching spread over the cores.
//
// Why that is exact: a record is only ever matched against the other side
// (missing reports against sightings and found children, and back), so the
// records of a run of one side cannot change each other's matches. The run is
// added to the matcher at once and matched in parallel; the next run (the
// other side) is added only when those matches are done, so every record sees
// the matcher as Save would have left it. Meanwhile this goroutine stores the
// records and keeps their candidates in order, through the code Save runs.
//
// Records that change the matcher in ways a run cannot foresee go through
// Save itself, between runs: one leaving matching (closed, reunited: its
// counterparts are rematched), one that moves to the other side, one named
// twice in rs, one without a ref or one that does not validate.
//
// The one difference from Save: after a rolled-back transaction left a stale
// record in the matcher, a record matched ahead may have seen it and so keep
// one candidate fewer; Save drops such a record as soon as it meets it.
func (s *Service) SaveBatch(tx talaash.Tx, rs []*talaash.Record, alerts bool) error {
	for i := 0; i < len(rs); {
		var seg []*ahead
		seen := map[string]bool{}
		for ; i < len(rs); i++ {
			a := s.prepare(tx, rs[i], seen)
			if a == nil {
				break
			}
			seg = append(seg, a)
		}
		if err := s.saveAhead(tx, seg, alerts); err != nil {
			return err
		}
		if i < len(rs) && len(seg) == 0 {
			if err := s.Save(tx, rs[i], alerts); err != nil {
				return err
			}
			i++
		}
	}
	return nil
}

// ahead is a record matched ahead of its turn to be stored.
type ahead struct {
	r     *talaash.Record // stored at its turn
	q     talaash.Record  // the copy the matcher holds and matches, so storing r races with nothing
	cands []talaash.Candidate
	done  chan struct{} // closed once cands is set
}

// prepare returns r ready to be matched ahead, or nil if it must go through
// Save (see SaveBatch). It reads tx and changes nothing in it.
func (s *Service) prepare(tx talaash.Tx, r *talaash.Record, seen map[string]bool) *ahead {
	if r.Ref == "" || r.Validate() != nil {
		return nil
	}
	ref, status := r.Ref, r.Status
	if prev, err := tx.Record(r.Ref); err == nil {
		ref = prev.Ref
		if status == "" {
			status = prev.Status
		}
		if prev.Status.Active() && (prev.Kind == talaash.KindMissing) != (r.Kind == talaash.KindMissing) {
			return nil
		}
	}
	if !status.Active() {
		return nil
	}
	// Keyed as the store finds refs, digits-only form included, so a later
	// line naming an earlier one in another form ends the segment too.
	keys := []string{refKey(r.Ref), refKey(ref)}
	for _, k := range keys {
		if seen[k] {
			return nil
		}
	}
	for _, k := range keys {
		seen[k] = true
	}
	a := &ahead{r: r, q: *r, done: make(chan struct{})}
	a.q.Ref, a.q.Status = ref, status
	if r.Contact != nil { // the one pointer storing writes through (phone normalised)
		c := *r.Contact
		a.q.Contact = &c
	}
	return a
}

func refKey(ref string) string {
	c := talaash.CanonicalRef(strings.TrimSpace(ref))
	if d := strings.TrimPrefix(c, talaash.RefPrefix); d != "" && strings.Trim(d, "0123456789") == "" {
		return d
	}
	return c
}

// saveAhead matches seg on other goroutines, run by run, while it stores the
// records and keeps their candidates here, in order, as each one's matches
// arrive. On an error it stops the matching (records already added stay in
// the matcher as stale, like those of any rolled-back Save) and waits for it.
func (s *Service) saveAhead(tx talaash.Tx, seg []*ahead, alerts bool) error {
	if len(seg) == 0 {
		return nil
	}
	var stop atomic.Bool
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s.matchRuns(seg, &stop)
	}()
	var err error
	for _, a := range seg {
		<-a.done
		if err = s.save(tx, a.r, alerts, func() []talaash.Candidate { return a.cands }); err != nil {
			stop.Store(true)
			break
		}
	}
	<-finished
	return err
}

// matchRuns adds each run of one side to the matcher and matches its records
// on runtime.GOMAXPROCS workers, a run only once the one before is matched.
func (s *Service) matchRuns(seg []*ahead, stop *atomic.Bool) {
	jobs := make(chan *ahead)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(seg)) {
		go func() {
			for a := range jobs {
				if !stop.Load() {
					a.cands = s.Matcher.Match(&a.q, Keep)
				}
				close(a.done)
				wg.Done()
			}
		}()
	}
	defer close(jobs)
	for start := 0; start < len(seg) && !stop.Load(); {
		side := seg[start].q.Kind == talaash.KindMissing
		end := start + 1
		for end < len(seg) && (seg[end].q.Kind == talaash.KindMissing) == side {
			end++
		}
		for _, a := range seg[start:end] {
			s.Matcher.Add(&a.q)
		}
		wg.Add(end - start)
		for _, a := range seg[start:end] {
			jobs <- a
		}
		wg.Wait()
		start = end
	}
}
