package kv

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"time"

	"talaash"
)

// PutRecord validates r and stores it. A record whose ref is not stored yet
// (or that has none) is new: it gets the next ID, a ref if it has none, Created
// (unless given, as on re-import of an export) and status open if none. A
// record whose ref is stored replaces it, keeping its ID and Created; an empty
// Status or History keeps the stored one, so re-importing an old file never
// undoes what police recorded since. Updated is set to now either way.
func (tx *Tx) PutRecord(r *talaash.Record) error {
	if err := r.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC()
	recs := tx.bucket(BRecords)
	var old *talaash.Record
	if r.Ref != "" {
		if id, err := tx.lookupExact(r.Ref); err == nil && id != nil {
			o, err := tx.recordByID(id)
			if err != nil {
				return err
			}
			old = o
		}
	}
	if old != nil {
		r.ID, r.Ref, r.Created = old.ID, old.Ref, old.Created
		if r.Status == "" {
			r.Status = old.Status
		}
		if len(r.History) == 0 {
			r.History = old.History
		}
		tx.unindex(old)
	} else {
		seq, err := recs.NextSequence()
		if err != nil {
			return Internal(err)
		}
		r.ID = seq
		if r.Ref == "" {
			r.Ref = tx.newRef()
		}
		if r.Created.IsZero() {
			r.Created = now
		}
		if err := tx.addCount(1); err != nil {
			return err
		}
	}
	if r.Status == "" {
		r.Status = talaash.StatusOpen
	}
	r.Updated = now
	return tx.writeRecord(r)
}

// lookupExact finds a ref by its canonical form only (no digits-only guess),
// so storing "48217" never silently updates "K-4821-7".
func (tx *Tx) lookupExact(ref string) ([]byte, error) {
	c := talaash.CanonicalRef(ref)
	if c == "" {
		return nil, nil
	}
	return clone(tx.bucket(BRef).Get([]byte(c))), nil
}

func (tx *Tx) writeRecord(r *talaash.Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return Internal(err)
	}
	id := u64(r.ID)
	recs := tx.bucket(BRecords)
	if err := recs.Put(id, b); err != nil {
		return Internal(err)
	}
	for _, kv := range indexKeys(r) {
		b := tx.bucket(kv.bucket)
		if err := b.Put(kv.key, kv.val); err != nil {
			return Internal(err)
		}
	}
	return tx.putSummary(r)
}

type indexEntry struct {
	bucket, key, val []byte
}

// indexKeys lists every index entry of r; unindex deletes the same list.
func indexKeys(r *talaash.Record) []indexEntry {
	id := u64(r.ID)
	tk := timeKey(r.Time)
	ks := make([]byte, 0, len(r.Kind)+len(r.Status)+18)
	ks = append(append(append(append(ks, r.Kind...), 0), r.Status...), 0)
	ks = append(append(ks, tk...), id...)
	e := []indexEntry{
		{BRef, []byte(talaash.CanonicalRef(r.Ref)), id},
		{BKindStatus, ks, []byte{}},
		{BTime, append(append([]byte{}, tk...), id...), []byte{}},
	}
	if r.Channel != "" && r.Address != "" {
		e = append(e, indexEntry{BReporter, reporterKey(r.Channel, r.Address, id), []byte{}})
	}
	return e
}

func reporterKey(channel, address string, id []byte) []byte {
	k := make([]byte, 0, len(channel)+len(address)+10)
	k = append(append(append(append(k, channel...), 0), address...), 0)
	return append(k, id...)
}

func (tx *Tx) unindex(r *talaash.Record) {
	for _, kv := range indexKeys(r) {
		_ = tx.bucket(kv.bucket).Delete(kv.key) // Delete of a missing key is not an error
	}
	tx.deleteSummary(r)
}

func (tx *Tx) addCount(d int64) error {
	m := tx.bucket(BMeta)
	var n int64
	if b := m.Get(KeyCount); len(b) == 8 {
		n = int64(binary.BigEndian.Uint64(b))
	}
	return Internal(m.Put(KeyCount, u64(uint64(n+d))))
}

func (tx *Tx) recordByID(id []byte) (*talaash.Record, error) {
	v := tx.bucket(BRecords).Get(id)
	if v == nil {
		return nil, talaash.Errorf(talaash.EINTERNAL, "store: index points at missing record %d", binary.BigEndian.Uint64(id))
	}
	r := new(talaash.Record)
	if err := json.Unmarshal(v, r); err != nil {
		return nil, Internal(err)
	}
	r.ID = binary.BigEndian.Uint64(id)
	return r, nil
}

// Record returns the record with this ref. Case, spaces and dashes do not
// matter, and Talaash's own refs may be given without the "K": "k48217" and
// "4821 7" find "K-4821-7". An unknown ref, or one with a wrong check digit,
// is an ENOTFOUND error.
func (tx *Tx) Record(ref string) (*talaash.Record, error) {
	id, err := tx.lookupRef(ref)
	if err != nil {
		return nil, err
	}
	return tx.recordByID(id)
}

// HasRecord reports whether a record with exactly this ref (in canonical form,
// without the digits-only guess of Record) is stored: whether PutRecord of a
// record with this ref would update rather than add. It decodes nothing.
func (tx *Tx) HasRecord(ref string) bool {
	c := talaash.CanonicalRef(ref)
	return c != "" && tx.bucket(BRef).Get([]byte(c)) != nil
}

// CountRecords returns the number of records.
func (tx *Tx) CountRecords() int {
	if b := tx.bucket(BMeta).Get(KeyCount); len(b) == 8 {
		return int(binary.BigEndian.Uint64(b))
	}
	return 0
}

// eachID calls fn with each record among ids. ids are gathered before fn runs,
// so fn may change records (cursors must not see their bucket change).
func (tx *Tx) eachID(ids [][]byte, fn func(*talaash.Record) error) error {
	for _, id := range ids {
		r, err := tx.recordByID(id)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// EachRecord calls fn with every record in ID (creation) order. An error from
// fn stops the walk and is returned.
func (tx *Tx) EachRecord(fn func(*talaash.Record) error) error {
	var ids [][]byte
	c := tx.bucket(BRecords).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		ids = append(ids, clone(k))
	}
	return tx.eachID(ids, fn)
}

// RecordsBy calls fn with the records of this kind and status, newest record
// Time first. An empty status means every status.
func (tx *Tx) RecordsBy(kind talaash.Kind, status talaash.Status, fn func(*talaash.Record) error) error {
	prefix := append([]byte(kind), 0)
	if status != "" {
		prefix = append(append(prefix, status...), 0)
	}
	var keys [][]byte // time(8) id(8)
	c := tx.bucket(BKindStatus).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, clone(k[len(k)-16:]))
	}
	// One status is already in time order; several are merged by the sort.
	slices.SortFunc(keys, func(a, b []byte) int { return bytes.Compare(b, a) })
	ids := make([][]byte, len(keys))
	for i, k := range keys {
		ids[i] = k[8:]
	}
	return tx.eachID(ids, fn)
}

// RecordsBetween calls fn with the records whose Time t is from <= t < to, in
// time order. A zero to means no end.
func (tx *Tx) RecordsBetween(from, to time.Time, fn func(*talaash.Record) error) error {
	var ids [][]byte
	c := tx.bucket(BTime).Cursor()
	var end []byte
	if !to.IsZero() {
		end = timeKey(to.Add(time.Second)) // keys are whole seconds; exact check below
	}
	for k, _ := c.Seek(timeKey(from)); k != nil && (end == nil || bytes.Compare(k[:8], end) < 0); k, _ = c.Next() {
		ids = append(ids, clone(k[8:]))
	}
	return tx.eachID(ids, func(r *talaash.Record) error {
		if r.Time.Before(from) || (!to.IsZero() && !r.Time.Before(to)) {
			return nil
		}
		return fn(r)
	})
}

// RecordsByReporter calls fn with the records made by this reporter
// (Record.Channel and Record.Address), oldest first.
func (tx *Tx) RecordsByReporter(channel, address string, fn func(*talaash.Record) error) error {
	prefix := reporterKey(channel, address, nil)
	var ids [][]byte
	c := tx.bucket(BReporter).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, clone(k[len(k)-8:]))
	}
	return tx.eachID(ids, fn)
}

// SetStatus moves the record to status to and appends who, when and why to its
// History. Every call is recorded, even to the same status: it is an audit.
func (tx *Tx) SetStatus(ref string, to talaash.Status, by, why string, at time.Time) (*talaash.Record, error) {
	if !to.Valid() {
		return nil, talaash.Errorf(talaash.EINVALID, "unknown status %q", to)
	}
	r, err := tx.Record(ref)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = time.Now().UTC()
	}
	r.History = append(r.History, talaash.Event{At: at, By: by, From: r.Status, To: to, Why: why})
	r.Status = to
	if err := tx.PutRecord(r); err != nil {
		return nil, err
	}
	return r, nil
}
