package kv

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"talaash"
)

// Session returns the session stored under key ("channel:sender"), or nil, nil.
func (tx *Tx) Session(key string) ([]byte, error) {
	return clone(tx.bucket(BSessions).Get([]byte(key))), nil
}

// PutSession stores a session.
func (tx *Tx) PutSession(key string, v []byte) error {
	if key == "" {
		return talaash.Errorf(talaash.EINVALID, "empty session key")
	}
	if v == nil {
		v = []byte{} // bbolt stores nil as empty anyway; Session must still see it
	}
	if err := tx.bucket(BSessions).Put([]byte(key), v); err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BSessionUsed).Put([]byte(key), u64(uint64(time.Now().UnixNano()))))
}

// DeleteSession removes a session; removing a missing one is not an error.
func (tx *Tx) DeleteSession(key string) error {
	if err := tx.bucket(BSessions).Delete([]byte(key)); err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BSessionUsed).Delete([]byte(key)))
}

func seenKey(channel, id string) []byte {
	return append(append([]byte(channel), 0), id...)
}

// Seen reports whether the inbound message id was handled on channel, and the
// reply bytes stored with it then.
func (tx *Tx) Seen(channel, id string) (reply []byte, ok bool) {
	v := tx.bucket(BSeen).Get(seenKey(channel, id))
	if len(v) < 8 {
		return nil, false
	}
	return clone(v[8:]), true
}

// MarkSeen records that the message id was handled at at, with its reply.
func (tx *Tx) MarkSeen(channel, id string, reply []byte, at time.Time) error {
	if id == "" {
		return talaash.Errorf(talaash.EINVALID, "empty message id")
	}
	v := make([]byte, 8, 8+len(reply))
	binary.BigEndian.PutUint64(v, uint64(at.UnixNano()))
	return Internal(tx.bucket(BSeen).Put(seenKey(channel, id), append(v, reply...)))
}

// PruneSeen forgets message ids seen before before (providers retry for
// minutes, not months) and returns how many it removed.
func (tx *Tx) PruneSeen(before time.Time) (int, error) {
	b := tx.bucket(BSeen)
	var old [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) >= 8 && int64(binary.BigEndian.Uint64(v)) < before.UnixNano() {
			old = append(old, clone(k))
		}
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, Internal(err)
		}
	}
	return len(old), nil
}

// Enqueue adds it to the outbox, assigning its ID (and Created and Due, now,
// if unset).
func (tx *Tx) Enqueue(it *talaash.OutboxItem) error {
	seq, err := tx.bucket(BOutbox).NextSequence()
	if err != nil {
		return Internal(err)
	}
	it.ID = seq
	now := time.Now().UTC()
	if it.Created.IsZero() {
		it.Created = now
	}
	if it.Due.IsZero() {
		it.Due = now
	}
	return tx.PutOutbox(it)
}

// PutOutbox stores it under its ID (after a send attempt, say).
func (tx *Tx) PutOutbox(it *talaash.OutboxItem) error {
	if it.ID == 0 {
		return talaash.Errorf(talaash.EINVALID, "outbox item has no id: use Enqueue")
	}
	b, err := json.Marshal(it)
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BOutbox).Put(u64(it.ID), b))
}

// DeleteOutbox removes an item; removing a missing one is not an error.
func (tx *Tx) DeleteOutbox(id uint64) error {
	return Internal(tx.bucket(BOutbox).Delete(u64(id)))
}

// EachOutbox calls fn with every outbox item in ID order. fn may put or delete
// items.
func (tx *Tx) EachOutbox(fn func(*talaash.OutboxItem) error) error {
	list, err := decodeAll[talaash.OutboxItem](tx, BOutbox, nil, nil)
	return each(list, err, fn)
}

// Candidates returns the candidates kept for the record ref (nil if none).
func (tx *Tx) Candidates(ref string) ([]talaash.Candidate, error) {
	v := tx.bucket(BCandidates).Get([]byte(talaash.CanonicalRef(ref)))
	if v == nil {
		return nil, nil
	}
	_, list, err := DecodeCandidates(v)
	return list, Internal(err)
}

// PutCandidates replaces the candidates kept for ref; an empty list removes them.
func (tx *Tx) PutCandidates(ref string, c []talaash.Candidate) error {
	k := []byte(talaash.CanonicalRef(ref))
	if len(k) == 0 {
		return talaash.Errorf(talaash.EINVALID, "empty ref")
	}
	if len(c) == 0 {
		return Internal(tx.bucket(BCandidates).Delete(k))
	}
	return Internal(tx.bucket(BCandidates).Put(k, EncodeCandidates(ref, c)))
}

// EachCandidates calls fn with every record's candidates, in canonical ref order.
func (tx *Tx) EachCandidates(fn func(ref string, c []talaash.Candidate) error) error {
	type entry struct {
		ref  string
		list []talaash.Candidate
	}
	var all []entry
	cur := tx.bucket(BCandidates).Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		ref, list, err := DecodeCandidates(v)
		if err != nil {
			return Internal(err)
		}
		all = append(all, entry{ref, list})
	}
	for _, e := range all {
		if err := fn(e.ref, e.list); err != nil {
			return err
		}
	}
	return nil
}
