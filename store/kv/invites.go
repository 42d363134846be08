package kv

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"time"

	"talaash"
)

// PutInvite stores inv under its hash, numbering it first if new.
func (tx *Tx) PutInvite(inv *talaash.Invite) error {
	if inv.Hash == "" {
		return talaash.Errorf(talaash.EINVALID, "an invitation needs the hash of its code")
	}
	b := tx.bucket(BInvites)
	if inv.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return Internal(err)
		}
		inv.ID = id
	}
	v, err := json.Marshal(inv)
	if err != nil {
		return Internal(err)
	}
	return Internal(b.Put([]byte(inv.Hash), v))
}

// Invite returns the invitation whose code hashes to hash.
func (tx *Tx) Invite(hash string) (*talaash.Invite, error) {
	v := tx.bucket(BInvites).Get([]byte(hash))
	if v == nil || hash == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no such invitation")
	}
	inv := new(talaash.Invite)
	return inv, Internal(json.Unmarshal(v, inv))
}

// UseInvite marks the invitation used by by at at, once.
func (tx *Tx) UseInvite(hash, by string, at time.Time) (*talaash.Invite, error) {
	inv, err := tx.Invite(hash)
	if err != nil {
		return nil, err
	}
	if !inv.Used.IsZero() {
		return inv, talaash.Errorf(talaash.ECONFLICT, "invitation %d already used", inv.ID)
	}
	inv.Used, inv.UsedBy = at.UTC(), by
	return inv, tx.PutInvite(inv)
}

// EachInvite calls fn with every invitation, by ID.
func (tx *Tx) EachInvite(fn func(*talaash.Invite) error) error {
	list, err := decodeAll[talaash.Invite](tx, BInvites, nil, nil)
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return each(list, err, fn)
}

// PutRequest stores r, numbering it first if new.
func (tx *Tx) PutRequest(r *talaash.Request) error {
	if err := checkAddress(r.Channel, r.Address); err != nil {
		return err
	}
	b := tx.bucket(BRequests)
	if r.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return Internal(err)
		}
		r.ID = id
	}
	v, err := json.Marshal(r)
	if err != nil {
		return Internal(err)
	}
	return Internal(b.Put(u64(r.ID), v))
}

// Request returns request id.
func (tx *Tx) Request(id uint64) (*talaash.Request, error) {
	v := tx.bucket(BRequests).Get(u64(id))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no enrolment request %d", id)
	}
	r := new(talaash.Request)
	return r, Internal(json.Unmarshal(v, r))
}

// EachRequest calls fn with every request, by ID.
func (tx *Tx) EachRequest(fn func(*talaash.Request) error) error {
	list, err := decodeAll(tx, BRequests, nil, func(k []byte, r *talaash.Request) { r.ID = binary.BigEndian.Uint64(k) })
	return each(list, err, fn)
}
