// Package casestest holds a stand-in matcher for tests of the packages above
// matching (cases, alerts): it keeps their bookkeeping testable without the
// real matcher's judgement.
package casestest

import (
	"strings"
	"sync"

	"talaash"
)

// Matcher scores a pair by the share of the sighting's clothes words that the
// report's clothes contain, with a fixed reason. It implements talaash.Matcher.
type Matcher struct {
	mu   sync.Mutex
	held map[string]talaash.Record
}

// Add holds r, or drops it when it is no longer active.
func (m *Matcher) Add(r *talaash.Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.held == nil {
		m.held = map[string]talaash.Record{}
	}
	if !r.Status.Active() {
		delete(m.held, r.Ref)
		return
	}
	m.held[r.Ref] = *r
}

// Remove drops the record ref.
func (m *Matcher) Remove(ref string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.held, ref)
}

// Match returns every held record of the other side sharing a clothes word
// with r, unordered (callers sort).
func (m *Matcher) Match(r *talaash.Record, k int) []talaash.Candidate {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []talaash.Candidate
	for _, o := range m.held {
		if (r.Kind == talaash.KindMissing) == (o.Kind == talaash.KindMissing) {
			continue
		}
		miss, sight := r, &o
		if r.Kind != talaash.KindMissing {
			miss, sight = &o, r
		}
		words := strings.Fields(sight.Clothes)
		n := 0
		for _, w := range words {
			if strings.Contains(miss.Clothes, w) {
				n++
			}
		}
		if n == 0 {
			continue
		}
		out = append(out, talaash.Candidate{Missing: miss.Ref, Sighting: sight.Ref, Score: float64(n) / float64(len(words)),
			Reasons: []talaash.Reason{{En: "same red shirt", Hi: "वही लाल कमीज़", Latn: "wahi red shirt"}}})
	}
	return out
}
