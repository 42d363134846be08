package bolt

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"time"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// Buckets of schema 4: enrolment invitations and requests.
var (
	bInvites  = []byte("invites")
	bRequests = []byte("requests")
)

// createEnrolBuckets is the 3 -> 4 migration.
func createEnrolBuckets(btx *bbolt.Tx) error {
	for _, name := range [][]byte{bInvites, bRequests} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// PutInvite stores inv under its hash, numbering it first if new.
func (tx *Tx) PutInvite(inv *talaash.Invite) error {
	if inv.Hash == "" {
		return talaash.Errorf(talaash.EINVALID, "an invitation needs the hash of its code")
	}
	b := tx.bucket(bInvites)
	if inv.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return internal(err)
		}
		inv.ID = id
	}
	v, err := json.Marshal(inv)
	if err != nil {
		return internal(err)
	}
	return internal(b.Put([]byte(inv.Hash), v))
}

// Invite returns the invitation whose code hashes to hash.
func (tx *Tx) Invite(hash string) (*talaash.Invite, error) {
	v := tx.bucket(bInvites).Get([]byte(hash))
	if v == nil || hash == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no such invitation")
	}
	inv := new(talaash.Invite)
	return inv, internal(json.Unmarshal(v, inv))
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
	var list []*talaash.Invite
	err := tx.bucket(bInvites).ForEach(func(_, v []byte) error {
		inv := new(talaash.Invite)
		if err := json.Unmarshal(v, inv); err != nil {
			return internal(err)
		}
		list = append(list, inv)
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	for _, inv := range list {
		if err := fn(inv); err != nil {
			return err
		}
	}
	return nil
}

// PutRequest stores r, numbering it first if new.
func (tx *Tx) PutRequest(r *talaash.Request) error {
	if err := checkAddress(r.Channel, r.Address); err != nil {
		return err
	}
	b := tx.bucket(bRequests)
	if r.ID == 0 {
		id, err := b.NextSequence()
		if err != nil {
			return internal(err)
		}
		r.ID = id
	}
	v, err := json.Marshal(r)
	if err != nil {
		return internal(err)
	}
	return internal(b.Put(u64(r.ID), v))
}

// Request returns request id.
func (tx *Tx) Request(id uint64) (*talaash.Request, error) {
	v := tx.bucket(bRequests).Get(u64(id))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no enrolment request %d", id)
	}
	r := new(talaash.Request)
	return r, internal(json.Unmarshal(v, r))
}

// EachRequest calls fn with every request, by ID.
func (tx *Tx) EachRequest(fn func(*talaash.Request) error) error {
	var list []*talaash.Request
	c := tx.bucket(bRequests).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r := new(talaash.Request)
		if err := json.Unmarshal(v, r); err != nil {
			return internal(err)
		}
		r.ID = binary.BigEndian.Uint64(k)
		list = append(list, r)
	}
	for _, r := range list {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
