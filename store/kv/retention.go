package kv

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"talaash"
)

func (tx *Tx) sessionUsed(key []byte) time.Time {
	if v := tx.bucket(BSessionUsed).Get(key); len(v) == 8 {
		return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
	}
	return time.Time{}
}

// EachSession calls fn with every session, its key order, and when it was
// last put.
func (tx *Tx) EachSession(fn func(key string, used time.Time, v []byte) error) error {
	type entry struct {
		key  string
		used time.Time
		v    []byte
	}
	var all []entry
	c := tx.bucket(BSessions).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		all = append(all, entry{string(k), tx.sessionUsed(k), clone(v)})
	}
	for _, e := range all {
		if err := fn(e.key, e.used, e.v); err != nil {
			return err
		}
	}
	return nil
}

// PruneSessions deletes the sessions last put before before, except those
// keep says to keep. A session without a time (none should be: the migration
// stamps them) is kept, since its age is unknown.
func (tx *Tx) PruneSessions(before time.Time, keep func(key string, v []byte) bool) (int, error) {
	sessions := tx.bucket(BSessions)
	var old [][]byte
	c := tx.bucket(BSessionUsed).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) != 8 || int64(binary.BigEndian.Uint64(v)) >= before.UnixNano() {
			continue
		}
		s := sessions.Get(k)
		if s == nil || keep == nil || !keep(string(k), s) {
			old = append(old, clone(k)) // a stamp without its session goes too
		}
	}
	n := 0
	for _, k := range old {
		if sessions.Get(k) != nil {
			n++
		}
		if err := tx.DeleteSession(string(k)); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// PruneAttempts drops the counters whose window began before before.
func (tx *Tx) PruneAttempts(before time.Time) (int, error) {
	return tx.prune(BAttempts, func(v []byte) bool {
		return len(v) != 16 || int64(binary.BigEndian.Uint64(v)) < before.UnixNano()
	})
}

// PruneDelivery drops the delivery statuses reported before before.
func (tx *Tx) PruneDelivery(before time.Time) (int, error) {
	return tx.prune(BDelivery, func(v []byte) bool {
		var d struct {
			At time.Time `json:"at"`
		}
		return json.Unmarshal(v, &d) != nil || d.At.Before(before)
	})
}

// prune deletes the entries of bucket name whose value old says is old.
func (tx *Tx) prune(name []byte, old func(v []byte) bool) (int, error) {
	b := tx.bucket(name)
	var keys [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil && old(v) {
			keys = append(keys, clone(k))
		}
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return 0, Internal(err)
		}
	}
	return len(keys), nil
}

// Scrub stores the anonymous form of the closed record ref and removes the
// rest of its personal data: the reporter index entry (PutRecord re-indexes
// without an address), its candidate list, and the reasons of its alerts.
func (tx *Tx) Scrub(ref string, at time.Time, place func(string) string) ([]string, error) {
	r, err := tx.Record(ref)
	if err != nil {
		return nil, err
	}
	if r.Status.Active() {
		return nil, talaash.Errorf(talaash.ECONFLICT, "%s is %s: only a closed case loses its personal data", r.Ref, r.Status)
	}
	removed := r.Anonymize(at, place)
	if err := tx.PutRecord(r); err != nil {
		return nil, err
	}
	if err := tx.PutCandidates(r.Ref, nil); err != nil {
		return nil, err
	}
	var alerts []*talaash.Alert
	if err := tx.AlertsOf(r.Ref, func(a *talaash.Alert) error { alerts = append(alerts, a); return nil }); err != nil {
		return nil, err
	}
	reasons := false
	for _, a := range alerts {
		if len(a.Reasons) == 0 {
			continue
		}
		a.Reasons, reasons = nil, true
		if err := tx.PutAlert(a); err != nil {
			return nil, err
		}
	}
	if reasons {
		removed = append(removed, "alert reasons")
	}
	return removed, nil
}
