package kv

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"talaash"
)

// Bucket is one ordered map of byte keys, sorted bytewise, with a sequence.
// bbolt's Bucket is one; so is a bucket of the PostgreSQL kv table.
type Bucket interface {
	// Get returns the value of k, nil if none. It may be valid only for
	// the transaction; callers clone what they keep.
	Get(k []byte) []byte
	Put(k, v []byte) error
	Delete(k []byte) error // deleting a missing key is not an error
	Cursor() Cursor
	NextSequence() (uint64, error)
	Sequence() uint64
	SetSequence(n uint64) error
}

// Cursor walks a bucket in key order. Each method returns the key and value
// it lands on, nil keys past either end. The bucket must not change while a
// cursor walks it: the typed methods gather what they read first.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	Seek(k []byte) (key, v []byte) // the first key >= k
	Next() (k, v []byte)
	Prev() (k, v []byte)
}

// Txn is a transaction of the backend.
type Txn interface {
	Bucket(name []byte) Bucket // nil if there is no such bucket
	OnCommit(fn func())
	Writable() bool
}

// Raw is a store whose buckets can be read and written as such: what a copy
// between stores (Copy) goes through.
type Raw interface {
	ViewKV(fn func(Txn) error) error
	UpdateKV(fn func(Txn) error) error
}

// Tx is talaash.Tx over a Txn. It is valid only while its Txn is.
type Tx struct {
	tx Txn
}

// New returns the typed transaction over t.
func New(t Txn) *Tx { return &Tx{tx: t} }

var _ talaash.Tx = (*Tx)(nil)

// OnCommit registers fn to run after the transaction commits successfully
// (sends go there, so nothing is sent for a turn that rolled back).
func (tx *Tx) OnCommit(fn func()) { tx.tx.OnCommit(fn) }

// Writable reports whether tx is a read-write transaction.
func (tx *Tx) Writable() bool { return tx.tx.Writable() }

func (tx *Tx) bucket(name []byte) Bucket {
	b := tx.tx.Bucket(name)
	if b == nil {
		// The schema is current once a store is open, so a missing bucket
		// is a bug or a damaged store.
		panic(fmt.Sprintf("store: bucket %s missing", name))
	}
	return b
}

// U64 is v as a key: 8 bytes big-endian, so byte order is numeric order.
func U64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func u64(v uint64) []byte { return U64(v) }

// timeKey orders times, including those before 1970, as unsigned bytes.
func timeKey(t time.Time) []byte { return u64(uint64(t.Unix()) ^ (1 << 63)) }

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// Internal makes err an EINTERNAL error unless it is a talaash error already.
func Internal(err error) error {
	if err == nil {
		return nil
	}
	var e *talaash.Error
	if errors.As(err, &e) {
		return err
	}
	return talaash.Errorf(talaash.EINTERNAL, "store: %v", err)
}

// decodeAll decodes the JSON values of bucket whose keys start with prefix
// (every value with none), in key order; keep, when given, may fill in what
// the key holds. Decoding all before any callback lets callers write to the
// bucket as they go.
func decodeAll[T any](tx *Tx, bucket, prefix []byte, keep func(k []byte, x *T)) ([]*T, error) {
	var list []*T
	c := tx.bucket(bucket).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		x := new(T)
		if err := json.Unmarshal(v, x); err != nil {
			return nil, Internal(err)
		}
		if keep != nil {
			keep(k, x)
		}
		list = append(list, x)
	}
	return list, nil
}

// each calls fn with every item of list in order, stopping at the first error.
func each[T any](list []*T, err error, fn func(*T) error) error {
	if err != nil {
		return err
	}
	for _, x := range list {
		if err := fn(x); err != nil {
			return err
		}
	}
	return nil
}
