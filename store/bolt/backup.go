package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"time"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"talaash"
)

// Backup writes the whole file, as one read transaction sees it, to w
// (bbolt's Tx.WriteTo): a consistent copy of every bucket, while writers
// carry on.
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, talaash.Errorf(talaash.EINTERNAL, "backup of %s: %v", db.path, err)
	}
	return n, nil
}

// OpenReadOnly opens the database at path for reading only, sharing the file
// with other readers and running no migration: a copy taken from it is the
// file as it is. A file held by a running service is EINUSE; one this code
// cannot read (newer schema, not a Talaash file) is EINVALID.
func OpenReadOnly(path string) (*DB, error) {
	bdb, err := openRO(path)
	if err != nil {
		return nil, err
	}
	db := &DB{bolt: bdb, path: path}
	err = bdb.View(func(tx *bbolt.Tx) error {
		_, err := version(tx, path)
		return err
	})
	if err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

func openRO(path string) (*bbolt.DB, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "no database at %s", path)
	}
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: lockTimeout, ReadOnly: true})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, talaash.Errorf(talaash.EINUSE, "database %s is in use by another talaash process", path)
	case err != nil:
		return nil, talaash.Errorf(talaash.EINVALID, "%s is not a Talaash database: %v", path, err)
	}
	return bdb, nil
}

// version reads the schema version of a file, refusing one without a version
// or newer than this code.
func version(tx *bbolt.Tx, path string) (int, error) {
	m := tx.Bucket(kv.BMeta)
	if m == nil {
		return 0, talaash.Errorf(talaash.EINVALID, "%s is not a Talaash database: it has no meta bucket", path)
	}
	b := m.Get(kv.KeyVersion)
	if len(b) != 8 {
		return 0, talaash.Errorf(talaash.EINVALID, "%s is not a Talaash database: it has no schema version", path)
	}
	v := binary.BigEndian.Uint64(b)
	if v == 0 || v > uint64(len(migrations)) {
		return 0, talaash.Errorf(talaash.EINVALID, "%s has schema version %d; this talaash reads 1 to %d", path, v, len(migrations))
	}
	return int(v), nil
}

// Summary is what Verify found in a file.
type Summary struct {
	Version int
	Size    int64                // bytes
	Records map[talaash.Kind]int // by kind
	Buckets map[string]int       // keys in each top-level bucket
}

// Total is the number of records.
func (s *Summary) Total() int {
	n := 0
	for _, c := range s.Records {
		n += c
	}
	return n
}

// String is one line per figure, for an operator.
func (s *Summary) String() string {
	names := make([]string, 0, len(s.Buckets))
	for n := range s.Buckets {
		names = append(names, n)
	}
	sort.Strings(names)
	out := fmt.Sprintf("schema version %d, %d bytes, %d records (%d missing, %d sightings, %d found)\n",
		s.Version, s.Size, s.Total(), s.Records[talaash.KindMissing], s.Records[talaash.KindSighting], s.Records[talaash.KindFound])
	for _, n := range names {
		out += fmt.Sprintf("  %-16s %d\n", n, s.Buckets[n])
	}
	return out
}

// expected lists the buckets a file of schema version v must have.
func expected(v int) [][]byte {
	var want [][]byte
	for _, b := range allBucketsV1 {
		if string(b) != string(bKV) {
			want = append(want, b)
		}
	}
	if v >= 3 {
		want = append(want, newBucketsV3...)
	}
	if v >= 4 {
		want = append(want, kv.BSessionUsed)
	}
	return want
}

// Verify checks that the file at path is a whole Talaash database this code
// can open: a known schema version, every bucket of that version present,
// bbolt's page check clean, every key of every bucket readable, every record
// decodable and as many as the file says. It reads only, sharing the file.
func Verify(path string) (sum *Summary, err error) {
	bdb, err := openRO(path)
	if err != nil {
		return nil, err
	}
	defer bdb.Close()
	// A file cut short is mapped past its end, and reading a page there
	// faults: as a panic, recovered below, rather than the process dying.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		// bbolt panics on some damaged pages rather than failing.
		if p := recover(); p != nil {
			sum, err = nil, talaash.Errorf(talaash.EINVALID, "%s is damaged: %v", path, p)
		}
	}()
	sum = &Summary{Records: map[talaash.Kind]int{}, Buckets: map[string]int{}}
	if fi, err := os.Stat(path); err == nil {
		sum.Size = fi.Size()
	}
	err = bdb.View(func(tx *bbolt.Tx) error {
		v, err := version(tx, path)
		if err != nil {
			return err
		}
		sum.Version = v
		for _, name := range expected(v) {
			if tx.Bucket(name) == nil {
				return talaash.Errorf(talaash.EINVALID, "%s lacks bucket %s of schema version %d", path, name, v)
			}
		}
		for cerr := range tx.Check() {
			return talaash.Errorf(talaash.EINVALID, "%s is damaged: %v", path, cerr)
		}
		err = tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			n := 0
			err := b.ForEach(func(k, v []byte) error { n++; return nil })
			sum.Buckets[string(name)] = n
			return err
		})
		if err != nil {
			return talaash.Errorf(talaash.EINVALID, "%s is damaged: %v", path, err)
		}
		err = tx.Bucket(kv.BRecords).ForEach(func(k, v []byte) error {
			var r struct {
				Kind talaash.Kind `json:"kind"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return talaash.Errorf(talaash.EINVALID, "%s: record %x cannot be read: %v", path, k, err)
			}
			sum.Records[r.Kind]++
			return nil
		})
		if err != nil {
			return err
		}
		if b := tx.Bucket(kv.BMeta).Get(kv.KeyCount); len(b) == 8 {
			if want := int(binary.BigEndian.Uint64(b)); want != sum.Total() {
				return talaash.Errorf(talaash.EINVALID, "%s holds %d records but counts %d: it is damaged", path, sum.Total(), want)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sum, nil
}

// Compact rewrites the file without its free pages (bbolt's Compact into a
// new file beside it, then a rename) and returns the sizes before and after.
// No other transaction of db may run meanwhile: the file is closed and
// opened again. The commands call it with the service stopped.
func (db *DB) Compact() (before, after int64, err error) {
	fi, err := os.Stat(db.path)
	if err != nil {
		return 0, 0, kv.Internal(err)
	}
	before = fi.Size()
	tmp := db.path + ".compact"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, kv.Internal(err)
	}
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{Timeout: lockTimeout})
	if err != nil {
		return 0, 0, kv.Internal(err)
	}
	// 64 MiB per transaction bounds memory on a large file.
	if err := bbolt.Compact(dst, db.bolt, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return 0, 0, talaash.Errorf(talaash.EINTERNAL, "compacting %s: %v", db.path, err)
	}
	// bbolt sizes a file in steps of its memory map; the pages in use are
	// all a reader needs (they are what Backup writes), so the rest goes.
	var used int64
	dst.View(func(tx *bbolt.Tx) error { used = tx.Size(); return nil })
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return 0, 0, kv.Internal(err)
	}
	if fi, err := os.Stat(tmp); err == nil {
		after = fi.Size()
		if used > 0 && used < after && os.Truncate(tmp, used) == nil {
			after = used
		}
	}
	if err := db.bolt.Close(); err != nil {
		return 0, 0, kv.Internal(err)
	}
	renameErr := os.Rename(tmp, db.path)
	if renameErr == nil {
		syncDir(filepath.Dir(db.path))
	}
	// Open again either way: the old file is still whole if the rename failed.
	bdb, err := bbolt.Open(db.path, 0o600, &bbolt.Options{Timeout: lockTimeout})
	if err != nil {
		db.bolt = nil
		return 0, 0, talaash.Errorf(talaash.EINTERNAL, "opening %s after compacting: %v", db.path, err)
	}
	db.bolt = bdb
	if renameErr != nil {
		os.Remove(tmp)
		return 0, 0, kv.Internal(renameErr)
	}
	return before, after, nil
}

// syncDir makes a rename in dir durable; where directories cannot be
// synced the rename still happened.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

var (
	_ talaash.Backuper  = (*DB)(nil)
	_ talaash.Compacter = (*DB)(nil)
)

// Restore puts the copy at src in place of the database at dst. It verifies
// src, copies it beside dst and brings the copy's schema up to date, then
// keeps dst as dst.bak-TIMESTAMP (at, UTC) and renames the copy to dst. While
// another process holds dst it is EINUSE and nothing changes; a bad copy is
// EINVALID and nothing changes. It returns what the copy holds and where the
// old file went ("" if there was none).
func Restore(src, dst string, at time.Time) (sum *Summary, kept string, err error) {
	if same(src, dst) {
		return nil, "", talaash.Errorf(talaash.EINVALID, "%s is the database itself", src)
	}
	sum, err = Verify(src)
	if err != nil {
		return nil, "", err
	}
	// A shared lock on the old file for the whole swap: a service that holds
	// it makes this EINUSE, and one starting meanwhile waits for us.
	if _, err := os.Stat(dst); err == nil {
		old, err := openRO(dst)
		switch talaash.ErrorCode(err) {
		case "":
			defer old.Close()
		case talaash.EINUSE:
			return nil, "", talaash.Errorf(talaash.EINUSE, "database %s is in use by a running talaash: stop the service first", dst)
		default:
			// A damaged file is what a restore is for; it is kept all the same.
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return nil, "", kv.Internal(err)
	}
	tmp := dst + ".restore"
	if err := copyFile(src, tmp); err != nil {
		os.Remove(tmp)
		return nil, "", talaash.Errorf(talaash.EINTERNAL, "copying %s: %v", src, err)
	}
	db, err := Open(tmp) // runs the migrations of an older copy
	if err != nil {
		os.Remove(tmp)
		return nil, "", err
	}
	if err := db.Close(); err != nil {
		os.Remove(tmp)
		return nil, "", kv.Internal(err)
	}
	if _, err := os.Stat(dst); err == nil {
		kept = dst + ".bak-" + at.UTC().Format("20060102T150405Z")
		if err := os.Rename(dst, kept); err != nil {
			os.Remove(tmp)
			return nil, "", kv.Internal(err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		return nil, kept, kv.Internal(err)
	}
	syncDir(filepath.Dir(dst))
	return sum, kept, nil
}

// same reports whether a and b name one file.
func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
