package match

import "talaash"

// Prepare does the costly part of Add(r), reading the record's text, and may
// run on any goroutine; the function it returns then adds r to the index as
// Add(r) would. A loader can so read records on every core and still add
// them in the order it read them, which the index's tie-breaking depends on.
func (m *Matcher) Prepare(r *talaash.Record) (add func()) {
	if r == nil || r.Ref == "" {
		return func() {}
	}
	ref := r.Ref
	if !r.Status.Active() || !r.Kind.Valid() {
		return func() { m.Remove(ref) }
	}
	f := m.features(r)
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.insertLocked(ref, f)
	}
}
