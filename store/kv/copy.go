package kv

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"talaash"
)

// Counts is how many keys each bucket holds, and its sequence.
type Counts map[string]BucketCount

// BucketCount is one bucket's figures in Counts.
type BucketCount struct {
	Keys     int
	Sequence uint64
}

// String is one line per bucket, by name.
func (c Counts) String() string {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-16s %8d keys  sequence %d\n", n, c[n].Keys, c[n].Sequence)
	}
	return b.String()
}

// Diff lists the buckets whose figures differ between c and d; empty if none.
func (c Counts) Diff(d Counts) []string {
	var out []string
	for _, name := range Buckets {
		n := string(name)
		if c[n] != d[n] {
			out = append(out, fmt.Sprintf("%s: %d keys, sequence %d against %d keys, sequence %d", n, c[n].Keys, c[n].Sequence, d[n].Keys, d[n].Sequence))
		}
	}
	return out
}

// own is whether a key belongs to the store rather than to what it holds:
// each store keeps its own schema version.
func own(bucket, key []byte) bool {
	return bytes.Equal(bucket, BMeta) && bytes.Equal(key, KeyVersion)
}

// Count reads the figures of every bucket of t.
func Count(t Txn) (Counts, error) {
	c := Counts{}
	for _, name := range Buckets {
		b := t.Bucket(name)
		if b == nil {
			return nil, talaash.Errorf(talaash.EINVALID, "the store has no bucket %s", name)
		}
		n := 0
		cur := b.Cursor()
		for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
			if !own(name, k) {
				n++
			}
		}
		c[string(name)] = BucketCount{Keys: n, Sequence: b.Sequence()}
	}
	return c, nil
}

// Copy copies every bucket of src, with its sequence, into dst and returns
// the figures of what it copied. A dst holding anything is ECONFLICT unless
// clear, which empties it first.
func Copy(dst, src Txn, clear bool) (Counts, error) {
	have, err := Count(dst)
	if err != nil {
		return nil, err
	}
	for _, name := range Buckets {
		if n := have[string(name)]; n.Keys > 0 || n.Sequence > 0 {
			if !clear {
				return nil, talaash.Errorf(talaash.ECONFLICT, "the target is not empty (bucket %s holds %d keys)", name, n.Keys)
			}
			if err := empty(dst.Bucket(name), name); err != nil {
				return nil, err
			}
		}
	}
	copied := Counts{}
	for _, name := range Buckets {
		from, to := src.Bucket(name), dst.Bucket(name)
		if from == nil {
			return nil, talaash.Errorf(talaash.EINVALID, "the source has no bucket %s", name)
		}
		n := 0
		c := from.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if own(name, k) {
				continue
			}
			if err := to.Put(k, v); err != nil {
				return nil, Internal(err)
			}
			n++
		}
		seq := from.Sequence()
		if err := to.SetSequence(seq); err != nil {
			return nil, Internal(err)
		}
		copied[string(name)] = BucketCount{Keys: n, Sequence: seq}
	}
	return copied, nil
}

// empty deletes every key of b but the store's own.
func empty(b Bucket, name []byte) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if !own(name, k) {
			keys = append(keys, clone(k))
		}
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return Internal(err)
		}
	}
	return Internal(b.SetSequence(0))
}
