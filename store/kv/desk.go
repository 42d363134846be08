package kv

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"talaash"
)

// SummarizeAll writes the summary of every stored record, for a store made
// before the desk's buckets; a record that cannot be read is left out, as
// search would leave it.
func (tx *Tx) SummarizeAll() error {
	c := tx.bucket(BRecords).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r := new(talaash.Record)
		if json.Unmarshal(v, r) != nil {
			continue
		}
		r.ID = binary.BigEndian.Uint64(k)
		if err := tx.putSummary(r); err != nil {
			return err
		}
	}
	return nil
}

// summaryKey orders summaries by creation, then id: newest last.
func summaryKey(r *talaash.Record) []byte {
	k := make([]byte, 0, 16)
	k = append(k, u64(uint64(r.Created.UnixNano())^(1<<63))...)
	return append(k, u64(r.ID)...)
}

// A summary is its fields joined by 0x1f: far cheaper to read than the
// record's JSON when a search walks 100,000 of them.
const sep = 0x1f

func (tx *Tx) putSummary(r *talaash.Record) error {
	b := tx.tx.Bucket(BSummary)
	if b == nil {
		return nil // a migration before schema 6; createDeskBuckets fills it
	}
	clean := func(s string) string { return strings.ReplaceAll(s, string(rune(sep)), " ") }
	coord := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	f := []string{clean(r.Ref), string(r.Kind), string(r.Status), clean(r.Name), clean(r.Place),
		strconv.FormatInt(r.Time.UnixNano(), 10), coord(r.Lat), coord(r.Lon)}
	if r.Test {
		f = append(f, "t") // a ninth field, so summaries stored before it read as they were
	}
	v := strings.Join(f, string(rune(sep)))
	if err := tx.logSummary(b, summaryKey(r)); err != nil {
		return err
	}
	return Internal(b.Put(summaryKey(r), []byte(v)))
}

// logSummary moves the version and notes which summary it changed.
func (tx *Tx) logSummary(b Bucket, key []byte) error {
	seq := b.Sequence() + 1
	if err := b.SetSequence(seq); err != nil {
		return Internal(err)
	}
	if l := tx.tx.Bucket(BSummaryLog); l != nil {
		if seq > SummaryLogKeep {
			if err := l.Delete(u64(seq - SummaryLogKeep)); err != nil {
				return Internal(err)
			}
		}
		return Internal(l.Put(u64(seq), key))
	}
	return nil
}

// SummaryLogKeep is how many changes the summary log keeps: a reader
// further behind reads every summary again.
const SummaryLogKeep = 100_000

func (tx *Tx) deleteSummary(r *talaash.Record) {
	if b := tx.tx.Bucket(BSummary); b != nil {
		_ = b.Delete(summaryKey(r))
		_ = tx.logSummary(b, summaryKey(r))
	}
}

// SummaryChanges calls fn with each summary changed after version, oldest
// change first: the one a key holds now, nil if none.
func (tx *Tx) SummaryChanges(version uint64, fn func(key string, s *talaash.RecordSummary) error) error {
	b := tx.bucket(BSummary)
	if seq := b.Sequence(); seq > SummaryLogKeep && version < seq-SummaryLogKeep {
		return talaash.Errorf(talaash.ECONFLICT, "the summary log no longer reaches back to version %d", version)
	}
	var keys [][]byte
	c := tx.bucket(BSummaryLog).Cursor()
	for k, v := c.Seek(u64(version + 1)); k != nil; k, v = c.Next() {
		keys = append(keys, clone(v))
	}
	for _, k := range keys {
		var s *talaash.RecordSummary
		if v := b.Get(k); v != nil {
			s = parseSummary(k, v)
		}
		if err := fn(string(k), s); err != nil {
			return err
		}
	}
	return nil
}

// SummaryVersion is the summary bucket's sequence, moved by every change.
func (tx *Tx) SummaryVersion() uint64 { return tx.bucket(BSummary).Sequence() }

// EachSummary calls fn with every record's summary, newest first.
func (tx *Tx) EachSummary(fn func(*talaash.RecordSummary) error) error {
	c := tx.bucket(BSummary).Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		s := parseSummary(k, v)
		if s == nil {
			continue
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// parseSummary reads a summary; nil if it is not one.
func parseSummary(k, v []byte) *talaash.RecordSummary {
	var f [9][]byte
	n := 0
	for rest := v; n < 9; n++ {
		i := bytes.IndexByte(rest, sep)
		if i < 0 {
			f[n] = rest
			n++
			break
		}
		f[n], rest = rest[:i], rest[i+1:]
	}
	if n < 8 || len(k) != 16 {
		return nil
	}
	s := &talaash.RecordSummary{Key: string(k), Ref: string(f[0]), Kind: talaash.Kind(f[1]), Status: talaash.Status(f[2]),
		Name: string(f[3]), Place: string(f[4]), Test: string(f[8]) == "t",
		Created: time.Unix(0, int64(binary.BigEndian.Uint64(k[:8])^(1<<63))).UTC()}
	if n, err := strconv.ParseInt(string(f[5]), 10, 64); err == nil {
		s.Time = time.Unix(0, n).UTC()
	}
	if len(f[6]) > 0 && len(f[7]) > 0 {
		lat, err1 := strconv.ParseFloat(string(f[6]), 64)
		lon, err2 := strconv.ParseFloat(string(f[7]), 64)
		if err1 == nil && err2 == nil {
			s.Lat, s.Lon = &lat, &lon
		}
	}
	return s
}

// PutDeskAccount stores a under its login.
func (tx *Tx) PutDeskAccount(a *talaash.DeskAccount) error {
	if a.Login == "" || a.Password == "" {
		return talaash.Errorf(talaash.EINVALID, "a desk account needs a login and a password")
	}
	v, err := json.Marshal(a)
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BDeskAccounts).Put([]byte(a.Login), v))
}

// DeskAccount returns the account of login.
func (tx *Tx) DeskAccount(login string) (*talaash.DeskAccount, error) {
	v := tx.bucket(BDeskAccounts).Get([]byte(login))
	if v == nil || login == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no desk account")
	}
	a := new(talaash.DeskAccount)
	return a, Internal(json.Unmarshal(v, a))
}

// EachDeskAccount calls fn with every account, by login.
func (tx *Tx) EachDeskAccount(fn func(*talaash.DeskAccount) error) error {
	list, err := decodeAll[talaash.DeskAccount](tx, BDeskAccounts, nil, nil)
	return each(list, err, fn)
}

// PutDeskSession stores s under its hash.
func (tx *Tx) PutDeskSession(s *talaash.DeskSession) error {
	if s.Hash == "" || s.Login == "" {
		return talaash.Errorf(talaash.EINVALID, "a desk session needs a hash and a login")
	}
	v, err := json.Marshal(s)
	if err != nil {
		return Internal(err)
	}
	return Internal(tx.bucket(BDeskSessions).Put([]byte(s.Hash), v))
}

// DeskSession returns the session stored under hash.
func (tx *Tx) DeskSession(hash string) (*talaash.DeskSession, error) {
	v := tx.bucket(BDeskSessions).Get([]byte(hash))
	if v == nil || hash == "" {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no desk session")
	}
	s := new(talaash.DeskSession)
	return s, Internal(json.Unmarshal(v, s))
}

// DeleteDeskSession ends one session.
func (tx *Tx) DeleteDeskSession(hash string) error {
	return Internal(tx.bucket(BDeskSessions).Delete([]byte(hash)))
}

// DeleteDeskSessions ends every session of login. Sessions are few (one per
// officer's browser), so it reads them all.
func (tx *Tx) DeleteDeskSessions(login string) (int, error) {
	return tx.prune(BDeskSessions, func(v []byte) bool {
		var s talaash.DeskSession
		return json.Unmarshal(v, &s) != nil || s.Login == login
	})
}

// PruneDeskSessions deletes the sessions that expired before before.
func (tx *Tx) PruneDeskSessions(before time.Time) (int, error) {
	return tx.prune(BDeskSessions, func(v []byte) bool {
		var s talaash.DeskSession
		return json.Unmarshal(v, &s) != nil || s.Expires.Before(before)
	})
}

// UseNonce marks nonce spent at at; false if it was already.
func (tx *Tx) UseNonce(nonce string, at time.Time) (bool, error) {
	if nonce == "" {
		return false, talaash.Errorf(talaash.EINVALID, "empty nonce")
	}
	b := tx.bucket(BNonces)
	if b.Get([]byte(nonce)) != nil {
		return false, nil
	}
	return true, Internal(b.Put([]byte(nonce), u64(uint64(at.Unix()))))
}

// PruneNonces forgets nonces used before before.
func (tx *Tx) PruneNonces(before time.Time) (int, error) {
	return tx.prune(BNonces, func(v []byte) bool {
		return len(v) != 8 || int64(binary.BigEndian.Uint64(v)) < before.Unix()
	})
}
