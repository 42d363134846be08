package match

import (
	"math"
	"sort"

	"talaash"
)

type scored struct {
	s   float64
	idx int32
}

// Match scores r against the held records of the other kinds and returns the
// best k candidates, best first, with reasons and the alert decision. Each
// alert is decided from the sighting's point of view (its own best missing
// records), so a pair alerts the same whichever record arrived last.
func (m *Matcher) Match(r *talaash.Record, k int) []talaash.Candidate {
	if r == nil || k <= 0 || !r.Kind.Valid() || !r.Status.Active() {
		return nil
	}
	q := m.features(r)
	m.mu.RLock()
	defer m.mu.RUnlock()
	top := m.topK(&q, r.Ref, max(k, 2), m.budget) // a runner-up for the alert margin
	out := make([]talaash.Candidate, 0, len(top))
	for _, t := range top {
		c := &m.recs[t.idx]
		mf, sf := &q, c
		if !q.missing {
			mf, sf = c, &q
		}
		e := &explanation{}
		m.score(mf, sf, &m.stats[sideOf(c.missing)], e)
		out = append(out, talaash.Candidate{Missing: mf.ref, Sighting: sf.ref, Score: round3(t.s), Reasons: e.reasons()})
	}
	if q.missing {
		// the alert belongs to the sighting's own ranking
		for i := range out {
			if out[i].Score < AlertThreshold {
				continue
			}
			sf := &m.recs[top[i].idx]
			rank := m.topK(sf, sf.ref, 2, m.budget/3) // the nearest rivals in time suffice
			cs := make([]talaash.Candidate, 0, 3)
			cs = append(cs, out[i])
			for _, x := range rank {
				if m.recs[x.idx].ref != q.ref {
					cs = append(cs, talaash.Candidate{Missing: m.recs[x.idx].ref, Score: round3(x.s)})
				}
			}
			sort.SliceStable(cs, func(a, b int) bool { return cs[a].Score > cs[b].Score })
			Decide(cs)
			out[i].Alert = cs[0].Missing == out[i].Missing && cs[0].Alert
		}
	} else {
		Decide(out)
	}
	if len(out) > k {
		out = out[:k]
	}
	return out
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// topK finds the best k held records of the other side for q. The caller
// holds the read lock.
func (m *Matcher) topK(q *feat, self string, k, budget int) []scored {
	side := 1 - sideOf(q.missing)
	stats := &m.stats[side]
	top := make([]scored, 0, k+1)
	selfIdx, held := m.byRef[self]
	if !held {
		selfIdx = -1
	}
	push := func(idx int32) {
		if idx == selfIdx {
			return
		}
		c := &m.recs[idx]
		var s float64
		if q.missing {
			s = m.score(q, c, stats, nil)
		} else {
			s = m.score(c, q, stats, nil)
		}
		if len(top) == k && s <= top[k-1].s {
			return
		}
		for _, t := range top {
			if t.idx == idx {
				return
			}
		}
		i := len(top)
		if i < k {
			top = append(top, scored{})
		} else {
			i = k - 1
		}
		for i > 0 && top[i-1].s < s {
			top[i] = top[i-1]
			i--
		}
		top[i] = scored{s, idx}
	}
	// blocks of a compatible gender and age band
	var curs [2 * 3 * nBands]cursor
	n := 0
	genders := []uint8{0, 1, 2}
	if q.gender != 0 {
		genders = []uint8{0, q.gender}
	}
	loB, hiB := 0, nBands-2
	if q.ageLo >= 0 {
		loB = max(int(math.Floor(float64(q.ageLo)))-bandSpan, 0)
		hiB = min(int(math.Ceil(float64(q.ageHi)))+bandSpan, nBands-2)
	}
	// Records are scanned outward from the query's time in the plausible
	// direction (sightings after the report, reports before the sighting),
	// starting a little on the other side to allow for clock slack.
	fwd := q.missing
	start := q.t
	if fwd {
		start -= slackScan
	} else {
		start += slackScan
	}
	if q.t == 0 {
		fwd, start = false, math.MaxInt64
	}
	addBlock := func(bi int) {
		b := &m.blocks[bi]
		if len(b.ents) == 0 {
			return
		}
		i := sort.Search(len(b.ents), func(i int) bool { return b.ents[i].t >= start })
		if !fwd {
			i--
		}
		curs[n] = cursor{b: b, i: i}
		n++
	}
	for _, g := range genders {
		for bnd := loB; bnd <= hiB; bnd++ {
			addBlock(blockOf(side, g, bnd))
		}
		addBlock(blockOf(side, g, nBands-1))
	}
	for budget > 0 {
		// the cursor whose next record is nearest in time
		best, bestD := -1, int64(math.MaxInt64)
		for c := 0; c < n; c++ {
			cu := &curs[c]
			if cu.i < 0 || cu.i >= len(cu.b.ents) {
				continue
			}
			d := cu.b.ents[cu.i].t - start
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = c, d
			}
		}
		if best < 0 {
			break
		}
		cu := &curs[best]
		push(cu.b.ents[cu.i].idx)
		if fwd {
			cu.i++
		} else {
			cu.i--
		}
		budget--
	}
	// the other direction, just past the slack: a record reported a little
	// late still gets its chance, and a sighting before the report is scored
	// (and penalised) rather than silently missing.
	for c := 0; c < n; c++ {
		b := curs[c].b
		i := sort.Search(len(b.ents), func(i int) bool { return b.ents[i].t >= start })
		for j := 0; j < 16; j++ {
			p := i + j
			if fwd {
				p = i - 1 - j
			}
			if p < 0 || p >= len(b.ents) {
				break
			}
			push(b.ents[p].idx)
		}
	}
	// rare evidence outside the window: the same given name, the same
	// kind of mark on the same body part
	if len(q.names) > 0 {
		if ps := m.names[side][q.names[0]]; len(ps) <= maxPost {
			for _, p := range ps {
				push(p)
			}
		}
	}
	for i, mk := range q.marks() {
		if k, ok := markKey(mk); ok && !seenMarkKey(q.marks()[:i], k) {
			if ps := m.marks[side][k]; len(ps) <= maxPost {
				for _, p := range ps {
					push(p)
				}
			}
		}
	}
	return top
}

type cursor struct {
	b *block
	i int
}
