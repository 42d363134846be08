package kv

import (
	"encoding/binary"
	"encoding/json"
	"time"

	"talaash"
)

// Sent returns the delivery log entry of message key to channel:to,
// ENOTFOUND if it was never delivered.
func (tx *Tx) Sent(key, channel, to string) (*talaash.Sent, error) {
	v := tx.bucket(BSent).Get(join(key, channel, to))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "%s was not delivered to %s %s", key, channel, talaash.MaskPhone(to))
	}
	s := new(talaash.Sent)
	if err := json.Unmarshal(v, s); err != nil {
		return nil, Internal(err)
	}
	s.Key, s.Channel, s.To = key, channel, to
	return s, nil
}

// PutSent records a delivery.
func (tx *Tx) PutSent(s *talaash.Sent) error {
	if s.Key == "" {
		return talaash.Errorf(talaash.EINVALID, "a delivery log entry needs a key")
	}
	if err := checkAddress(s.Channel, s.To); err != nil {
		return err
	}
	b, err := json.Marshal(sentValue{SentID: s.SentID, At: s.At, ItemID: s.ItemID})
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BSent).Put(join(s.Key, s.Channel, s.To), b))
}

// sentValue is a delivery log entry without what its key says.
type sentValue struct {
	SentID string    `json:"sent_id"`
	At     time.Time `json:"at"`
	ItemID uint64    `json:"item"`
}

// PruneSent drops delivery log entries from before before.
func (tx *Tx) PruneSent(before time.Time) (int, error) {
	b := tx.bucket(BSent)
	var old [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var s sentValue
		if json.Unmarshal(v, &s) != nil || s.At.Before(before) {
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

// DeliveryStatus returns what the provider last said of a message,
// ENOTFOUND if nothing.
func (tx *Tx) DeliveryStatus(messageID string) (*talaash.DeliveryStatus, error) {
	v := tx.bucket(BDelivery).Get([]byte(messageID))
	if v == nil {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no delivery status for %s", messageID)
	}
	d := new(talaash.DeliveryStatus)
	return d, Internal(json.Unmarshal(v, d))
}

// PutDeliveryStatus stores a provider's report, replacing an earlier one.
func (tx *Tx) PutDeliveryStatus(d *talaash.DeliveryStatus) error {
	if d.MessageID == "" {
		return talaash.Errorf(talaash.EINVALID, "a delivery status needs a message id")
	}
	b, err := json.Marshal(d)
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BDelivery).Put([]byte(d.MessageID), b))
}

// EachDeliveryStatus calls fn with every stored report, by message id.
func (tx *Tx) EachDeliveryStatus(fn func(*talaash.DeliveryStatus) error) error {
	list, err := decodeAll[talaash.DeliveryStatus](tx, BDelivery, nil, nil)
	return each(list, err, fn)
}

// LastWeekly returns when the weekly status of ref was last sent, zero if never.
func (tx *Tx) LastWeekly(ref string) (time.Time, error) {
	v := tx.bucket(BWeekly).Get([]byte(talaash.CanonicalRef(ref)))
	if len(v) != 8 {
		return time.Time{}, nil
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC(), nil
}

// PutLastWeekly records that the weekly status of ref was sent at at.
func (tx *Tx) PutLastWeekly(ref string, at time.Time) error {
	c := talaash.CanonicalRef(ref)
	if c == "" {
		return talaash.Errorf(talaash.EINVALID, "empty ref")
	}
	return Internal(tx.bucket(BWeekly).Put([]byte(c), u64(uint64(at.UnixNano()))))
}

// Audit appends e to the access log of its record.
func (tx *Tx) Audit(e *talaash.AuditEntry) error {
	c := talaash.CanonicalRef(e.Ref)
	if c == "" || e.Officer == "" || e.Action == "" {
		return talaash.Errorf(talaash.EINVALID, "an audit entry needs a ref, an officer and an action")
	}
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	b := tx.bucket(BAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return Internal(err)
	}
	v, err := json.Marshal(e)
	if err != nil {
		return Internal(err)
	}
	return Internal(b.Put(append(append([]byte(c), 0), u64(seq)...), v))
}

// AuditOf calls fn with the access log of ref, oldest first.
func (tx *Tx) AuditOf(ref string, fn func(*talaash.AuditEntry) error) error {
	c := talaash.CanonicalRef(ref)
	if c == "" {
		return nil
	}
	list, err := decodeAll[talaash.AuditEntry](tx, BAudit, append([]byte(c), 0), nil)
	return each(list, err, fn)
}
