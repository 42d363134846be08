package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"talaash"
)

// Bucket names; see doc.go.
var (
	bMeta        = []byte("meta")
	bRecords     = []byte("records")
	bRef         = []byte("idx_ref")
	bKindStatus  = []byte("idx_kind_status")
	bTime        = []byte("idx_time")
	bReporter    = []byte("idx_reporter")
	bSessions    = []byte("sessions")
	bSeen        = []byte("seen")
	bOutbox      = []byte("outbox")
	bCandidates  = []byte("candidates")
	bKV          = []byte("kv") // until schema 3; see migrateKV
	bAlerts      = []byte("alerts")
	bAlertState  = []byte("idx_alert_state")
	bAlertRef    = []byte("idx_alert_ref")
	bAlerted     = []byte("alerted")
	bRejected    = []byte("rejected")
	bPolice      = []byte("police")
	bStopped     = []byte("stopped")
	bAttempts    = []byte("attempts")
	bSent        = []byte("sent")
	bDelivery    = []byte("delivery")
	bWeekly      = []byte("weekly")
	bAudit       = []byte("audit")
	bSessionUsed = []byte("session_used")
	keyVersion   = []byte("version")
	lockTimeout  = time.Second
	allBucketsV1 = [][]byte{bMeta, bRecords, bRef, bKindStatus, bTime, bReporter, bSessions, bSeen, bOutbox, bCandidates, bKV}
	newBucketsV3 = [][]byte{bAlerts, bAlertState, bAlertRef, bAlerted, bRejected, bPolice, bStopped, bAttempts, bSent, bDelivery, bWeekly, bAudit}
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
		if m := tx.Bucket(bMeta); m != nil {
			if b := m.Get(keyVersion); len(b) == 8 {
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
		m, err := tx.CreateBucketIfNotExists(bMeta)
		if err != nil {
			return err
		}
		return m.Put(keyVersion, u64(uint64(len(migrations))))
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
	return db.bolt.Update(func(btx *bbolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx talaash.Tx) error) error {
	return db.bolt.View(func(btx *bbolt.Tx) error { return fn(&Tx{tx: btx}) })
}

// Tx is a transaction. It is valid only inside the function given to Update or View.
type Tx struct {
	tx *bbolt.Tx
}

// OnCommit registers fn to run after the transaction commits successfully
// (sends go there, so nothing is sent for a turn that rolled back).
func (tx *Tx) OnCommit(fn func()) { tx.tx.OnCommit(fn) }

// Writable reports whether tx is a read-write transaction.
func (tx *Tx) Writable() bool { return tx.tx.Writable() }

func (tx *Tx) bucket(name []byte) *bbolt.Bucket {
	b := tx.tx.Bucket(name)
	if b == nil {
		// Open ran the migrations, so a missing bucket is a bug or a damaged file.
		panic(fmt.Sprintf("store: bucket %s missing", name))
	}
	return b
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// timeKey orders times, including those before 1970, as unsigned bytes.
func timeKey(t time.Time) []byte { return u64(uint64(t.Unix()) ^ (1 << 63)) }

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func internal(err error) error {
	if err == nil {
		return nil
	}
	var e *talaash.Error
	if errors.As(err, &e) {
		return err
	}
	return talaash.Errorf(talaash.EINTERNAL, "store: %v", err)
}

var _ talaash.Store = (*DB)(nil)

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
			return nil, internal(err)
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
