package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"talaash"
)

var (
	bKV          = []byte("kv") // until schema 3; see migrateKV
	lockTimeout  = time.Second
	allBucketsV1 = [][]byte{kv.BMeta, kv.BRecords, kv.BRef, kv.BKindStatus, kv.BTime, kv.BReporter, kv.BSessions, kv.BSeen, kv.BOutbox, kv.BCandidates, bKV}
	newBucketsV3 = [][]byte{kv.BAlerts, kv.BAlertState, kv.BAlertRef, kv.BAlerted, kv.BRejected, kv.BPolice, kv.BStopped, kv.BAttempts, kv.BSent, kv.BDelivery, kv.BWeekly, kv.BAudit}
)

// migrations[i] brings a database from schema version i to i+1. Append only.
var migrations = []func(tx *bbolt.Tx) error{
	// 0 -> 1: the bucket tree of doc.go.
	func(tx *bbolt.Tx) error {
		for _, name := range allBucketsV1 {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 -> 2: candidate lists in binary (see candidates.go).
	migrateCandidatesV2,
	// 2 -> 3: typed buckets in place of the kv namespaces (migrate.go).
	migrateKV,
	// 3 -> 4: when each session was last put, for retention (retention.go).
	migrateSessionUsed,
	// 4 -> 5: enrolment invitations and requests (invites.go).
	createEnrolBuckets,
	// 5 -> 6: the police desk's accounts, sessions, nonces and record summaries (desk.go).
	createDeskBuckets,
}

// SchemaVersion is the schema version this code writes.
func SchemaVersion() int { return len(migrations) }

// DB is an open Talaash database.
type DB struct {
	bolt  *bbolt.DB
	path  string
	group group
}

// Open opens (creating it and its folder if needed) the database at path and
// brings its schema up to date. If another process holds the file, Open gives
// up after about a second with an EINUSE error.
func Open(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, talaash.Errorf(talaash.EINTERNAL, "cannot create folder for database %s: %v", path, err)
		}
	}
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: lockTimeout, InitialMmapSize: mmapSize(path)})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, talaash.Errorf(talaash.EINUSE, "database %s is in use by another talaash process", path)
	} else if err != nil {
		return nil, talaash.Errorf(talaash.EINTERNAL, "cannot open database %s: %v", path, err)
	}
	db := &DB{bolt: bdb, path: path}
	if err := db.migrate(); err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) migrate() error {
	return db.bolt.Update(func(tx *bbolt.Tx) error {
		var v uint64
		if m := tx.Bucket(kv.BMeta); m != nil {
			if b := m.Get(kv.KeyVersion); len(b) == 8 {
				v = binary.BigEndian.Uint64(b)
			}
		}
		if v > uint64(len(migrations)) {
			return talaash.Errorf(talaash.EINTERNAL, "database %s has schema version %d, newer than this talaash knows (%d)", db.path, v, len(migrations))
		}
		if v == uint64(len(migrations)) {
			return nil
		}
		for i := v; i < uint64(len(migrations)); i++ {
			if err := migrations[i](tx); err != nil {
				return fmt.Errorf("migration %d -> %d: %w", i, i+1, err)
			}
		}
		m, err := tx.CreateBucketIfNotExists(kv.BMeta)
		if err != nil {
			return err
		}
		return m.Put(kv.KeyVersion, kv.U64(uint64(len(migrations))))
	})
}

// Close closes the database.
func (db *DB) Close() error {
	if db == nil || db.bolt == nil {
		return nil
	}
	return db.bolt.Close()
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Update runs fn in one read-write transaction; an error from fn rolls it back.
func (db *DB) Update(fn func(tx talaash.Tx) error) error {
	return db.bolt.Update(func(btx *bbolt.Tx) error { return fn(kv.New(txn{btx})) })
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx talaash.Tx) error) error {
	return db.bolt.View(func(btx *bbolt.Tx) error { return fn(kv.New(txn{btx})) })
}

// UpdateKV runs fn over the buckets in one read-write transaction.
func (db *DB) UpdateKV(fn func(kv.Txn) error) error {
	return db.bolt.Update(func(btx *bbolt.Tx) error { return fn(txn{btx}) })
}

// ViewKV runs fn over the buckets in one read transaction.
func (db *DB) ViewKV(fn func(kv.Txn) error) error {
	return db.bolt.View(func(btx *bbolt.Tx) error { return fn(txn{btx}) })
}

// txn is a bbolt transaction as the typed layer's kv.Txn.
type txn struct{ *bbolt.Tx }

func (t txn) Bucket(name []byte) kv.Bucket {
	b := t.Tx.Bucket(name)
	if b == nil {
		return nil
	}
	if string(name) == string(kv.BRecords) {
		b.FillPercent = 0.9 // ids only grow: pack pages
	}
	return bucket{b}
}

// bucket is a bbolt bucket as a kv.Bucket: only its cursor's type differs.
type bucket struct{ *bbolt.Bucket }

func (b bucket) Cursor() kv.Cursor { return b.Bucket.Cursor() }

var (
	_ talaash.Store = (*DB)(nil)
	_ kv.Raw        = (*DB)(nil)
)

// mmapSize is the first mapping of the file at path: twice its size, at least
// 1 GiB. A write that grows the file past the mapping must wait for every
// read transaction to end, and the matcher's load at start is one long read
// while turns are already taken; address space is cheap, memory is used only
// for pages touched.
func mmapSize(path string) int {
	const least = 1 << 30
	if fi, err := os.Stat(path); err == nil && 2*fi.Size() > least {
		return int(2 * fi.Size())
	}
	return least
}
