package kv

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"talaash"
)

func checkAddress(channel, address string) error {
	if channel == "" || address == "" {
		return talaash.Errorf(talaash.EINVALID, "empty channel or address")
	}
	return nil
}

// Police returns the enrolment entry of channel:address, ENOTFOUND if none.
func (tx *Tx) Police(channel, address string) (*talaash.PoliceEntry, error) {
	v := tx.bucket(BPolice).Get(join(channel, address))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no police entry for %s %s", channel, talaash.MaskPhone(address))
	}
	e := new(talaash.PoliceEntry)
	return e, Internal(json.Unmarshal(v, e))
}

// PutPolice stores an enrolment entry (a revoked one too).
func (tx *Tx) PutPolice(e *talaash.PoliceEntry) error {
	if err := checkAddress(e.Channel, e.Address); err != nil {
		return err
	}
	b, err := json.Marshal(e)
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BPolice).Put(join(e.Channel, e.Address), b))
}

// DeletePolice forgets an entry, so a configured officer is enrolled again.
func (tx *Tx) DeletePolice(channel, address string) error {
	return Internal(tx.bucket(BPolice).Delete(join(channel, address)))
}

// EachPolice calls fn with every entry, in channel and address order.
func (tx *Tx) EachPolice(fn func(*talaash.PoliceEntry) error) error {
	list, err := decodeAll[talaash.PoliceEntry](tx, BPolice, nil, nil)
	return each(list, err, fn)
}

// Stopped reports whether channel:address asked for no more messages.
func (tx *Tx) Stopped(channel, address string) (bool, error) {
	return tx.bucket(BStopped).Get(join(channel, address)) != nil, nil
}

// PutStopped records that channel:address stopped us at at.
func (tx *Tx) PutStopped(channel, address string, at time.Time) error {
	if err := checkAddress(channel, address); err != nil {
		return err
	}
	return Internal(tx.bucket(BStopped).Put(join(channel, address), u64(uint64(at.UnixNano()))))
}

// DeleteStopped lets channel:address hear from us again.
func (tx *Tx) DeleteStopped(channel, address string) error {
	return Internal(tx.bucket(BStopped).Delete(join(channel, address)))
}

// Attempts returns the counter under key, zero if none.
func (tx *Tx) Attempts(key string) (talaash.Attempts, error) {
	var a talaash.Attempts
	v := tx.bucket(BAttempts).Get([]byte(key))
	if len(v) != 16 {
		return a, nil
	}
	if ns := int64(binary.BigEndian.Uint64(v)); ns != 0 {
		a.Since = time.Unix(0, ns).UTC()
	}
	a.Count = int(binary.BigEndian.Uint64(v[8:]))
	return a, nil
}

// PutAttempts stores the counter under key.
func (tx *Tx) PutAttempts(key string, a talaash.Attempts) error {
	if key == "" {
		return talaash.Errorf(talaash.EINVALID, "empty attempts key")
	}
	var ns int64
	if !a.Since.IsZero() {
		ns = a.Since.UnixNano()
	}
	v := append(u64(uint64(ns)), u64(uint64(a.Count))...)
	return Internal(tx.bucket(BAttempts).Put([]byte(key), v))
}

// DeleteAttempts resets the counter under key.
func (tx *Tx) DeleteAttempts(key string) error {
	return Internal(tx.bucket(BAttempts).Delete([]byte(key)))
}
