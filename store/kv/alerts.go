package kv

import (
	"bytes"
	"encoding/json"
	"time"

	"talaash"
)

// join makes a key of parts separated by 0x00, which neither canonical refs
// nor channel names nor addresses contain.
func join(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

func pairKey(missing, sighting string) []byte {
	return join(talaash.CanonicalRef(missing), talaash.CanonicalRef(sighting))
}

func checkPair(missing, sighting string) error {
	if talaash.CanonicalRef(missing) == "" || talaash.CanonicalRef(sighting) == "" {
		return talaash.Errorf(talaash.EINVALID, "a pair needs two refs")
	}
	return nil
}

// alertIndexKeys are the index entries of a: one under its state, one under
// each of its refs, each ordered by creation time and ending in the pair key.
func alertIndexKeys(a *talaash.Alert) []indexEntry {
	pk := pairKey(a.Missing, a.Sighting)
	tk := timeKey(a.Created)
	idx := func(b []byte, prefix string) indexEntry {
		k := make([]byte, 0, len(prefix)+9+len(pk))
		k = append(append(append(append(k, prefix...), 0), tk...), pk...)
		return indexEntry{b, k, []byte{}}
	}
	return []indexEntry{
		idx(BAlertState, a.State),
		idx(BAlertRef, talaash.CanonicalRef(a.Missing)),
		idx(BAlertRef, talaash.CanonicalRef(a.Sighting)),
	}
}

// Alert returns the review state of a pair, ENOTFOUND if it was never alerted.
func (tx *Tx) Alert(missing, sighting string) (*talaash.Alert, error) {
	v := tx.bucket(BAlerts).Get(pairKey(missing, sighting))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no alert for %s and %s", clipRef(missing), clipRef(sighting))
	}
	a := new(talaash.Alert)
	return a, Internal(json.Unmarshal(v, a))
}

// PutAlert stores a, moving its index entries when its state changed.
func (tx *Tx) PutAlert(a *talaash.Alert) error {
	if err := checkPair(a.Missing, a.Sighting); err != nil {
		return err
	}
	if a.State == "" {
		return talaash.Errorf(talaash.EINVALID, "alert without a state")
	}
	if a.Created.IsZero() {
		a.Created = time.Now().UTC()
	}
	pk := pairKey(a.Missing, a.Sighting)
	if old, err := tx.Alert(a.Missing, a.Sighting); err == nil {
		for _, e := range alertIndexKeys(old) {
			if err := tx.bucket(e.bucket).Delete(e.key); err != nil {
				return Internal(err)
			}
		}
	}
	b, err := json.Marshal(a)
	if err != nil {
		return Internal(err)
	}
	if err := tx.bucket(BAlerts).Put(pk, b); err != nil {
		return Internal(err)
	}
	for _, e := range alertIndexKeys(a) {
		if err := tx.bucket(e.bucket).Put(e.key, e.val); err != nil {
			return Internal(err)
		}
	}
	return nil
}

// AlertsByState calls fn with every alert in state, oldest first.
func (tx *Tx) AlertsByState(state string, fn func(*talaash.Alert) error) error {
	return tx.alertsUnder(BAlertState, state, fn)
}

// AlertsOf calls fn with every alert naming ref on either side, oldest first.
func (tx *Tx) AlertsOf(ref string, fn func(*talaash.Alert) error) error {
	c := talaash.CanonicalRef(ref)
	if c == "" {
		return nil
	}
	return tx.alertsUnder(BAlertRef, c, fn)
}

func (tx *Tx) alertsUnder(index []byte, prefix string, fn func(*talaash.Alert) error) error {
	p := append([]byte(prefix), 0)
	var list []*talaash.Alert
	alerts := tx.bucket(BAlerts)
	c := tx.bucket(index).Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		v := alerts.Get(k[len(p)+8:])
		if v == nil {
			return talaash.Errorf(talaash.EINTERNAL, "store: alert index points at a missing alert")
		}
		a := new(talaash.Alert)
		if err := json.Unmarshal(v, a); err != nil {
			return Internal(err)
		}
		list = append(list, a)
	}
	for _, a := range list {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// Alerted reports whether the pair was alerted once.
func (tx *Tx) Alerted(missing, sighting string) (bool, error) {
	return tx.bucket(BAlerted).Get(pairKey(missing, sighting)) != nil, nil
}

// PutAlerted records that the pair was alerted, so it never is again.
func (tx *Tx) PutAlerted(missing, sighting string) error {
	if err := checkPair(missing, sighting); err != nil {
		return err
	}
	return Internal(tx.bucket(BAlerted).Put(pairKey(missing, sighting), []byte{}))
}

// rejection is the value of a rejected pair.
type rejection struct {
	By string    `json:"by"`
	At time.Time `json:"at,omitzero"`
}

// Rejected reports whether police said the pair is not a match.
func (tx *Tx) Rejected(missing, sighting string) (bool, error) {
	return tx.bucket(BRejected).Get(pairKey(missing, sighting)) != nil, nil
}

// PutRejected records that officer by rejected the pair at at.
func (tx *Tx) PutRejected(missing, sighting, by string, at time.Time) error {
	if err := checkPair(missing, sighting); err != nil {
		return err
	}
	b, err := json.Marshal(rejection{By: by, At: at.UTC()})
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BRejected).Put(pairKey(missing, sighting), b))
}
