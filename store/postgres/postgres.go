// Package postgres is the store contract (talaash.Store) over a PostgreSQL
// database, so that several Talaash replicas can serve one state from one
// database (with a standby) rather than each from its own file.
//
// It keeps the layout of the bbolt store: package kv's typed methods run
// over one table kv(bucket, key, value) whose bytea keys order bytewise, as
// bbolt's do, and a table seq(bucket, n) of the buckets' sequences. A copy
// of every bucket is a copy of the store in either direction (kv.Copy).
//
// Each Update, Batch and View is one PostgreSQL transaction at REPEATABLE
// READ (View is READ ONLY too). fn runs again, in a fresh transaction with
// the OnCommit callbacks of the failed try dropped, when PostgreSQL reports
// a serialization failure (40001), a deadlock (40P01) or a unique violation
// (23505). That makes the races between replicas sound without locks of our
// own, because every such race ends in a write to one same row:
//
//   - two replicas handling the same inbound message id both write its
//     seen row: the second to commit fails to serialize and runs again, now
//     seeing the id handled, so a retried message never makes a second
//     record (a primary key, not a read-then-write);
//   - two turns of one conversation both write its session row, so they
//     apply one after the other, the later one reading the earlier's state;
//   - new records, summaries and outbox items take a bucket sequence, one
//     row of seq each, so numbering never repeats.
//
// Batch is Update: PostgreSQL commits concurrent transactions in one WAL
// flush (group commit) by itself.
//
// Writes are queued and sent in one round trip before the next read or the
// commit. A failed statement loses the whole transaction: the first error
// is kept, every later read sees nothing, and Update returns that error
// rather than fn's.
//
// The schema is Talaash's own: schema_version holds the number of SQL
// migrations applied, each applied in its own transaction under an advisory
// lock (replicas starting together wait for each other); a database from a
// newer Talaash is refused.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"talaash"
	"talaash/store/kv"
)

// IsDSN reports whether s names a PostgreSQL database rather than a bbolt
// file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// migrations[i] brings a database from schema version i to i+1. Append only.
var migrations = []string{
	// 1: the buckets of package kv and their sequences.
	`CREATE TABLE kv (
		bucket text NOT NULL,
		key bytea NOT NULL,
		value bytea NOT NULL,
		PRIMARY KEY (bucket, key)
	);
	CREATE TABLE seq (
		bucket text PRIMARY KEY,
		n bigint NOT NULL
	)`,
}

// SchemaVersion is the schema version this code writes.
func SchemaVersion() int { return len(migrations) }

// migrationLock is the advisory lock key held while migrating.
const migrationLock = 0x74616c61617368 // "talaash"

// DefaultMaxConns is the pool size when the DSN gives none
// (pool_max_conns): a transaction holds one connection, and turns are short.
const DefaultMaxConns = 16

// DB is an open PostgreSQL store.
type DB struct {
	pool *pgxpool.Pool
	dsn  string
	path string // dsn without its password
}

// Open connects to the database at dsn (postgres://user:pass@host/db?...)
// and brings its schema up to date. The pool connects lazily beyond the
// one connection the migration needs.
func Open(dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "database address: %v", redactErr(err, dsn))
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINTERNAL, "cannot open database %s: %v", Redact(dsn), redactErr(err, dsn))
	}
	db := &DB{pool: pool, dsn: dsn, path: Redact(dsn)}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Redact returns dsn without its password, for logs and Path.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unreadable address)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// redactErr keeps a password that an error quotes out of its text.
func redactErr(err error, dsn string) string {
	s := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	return s
}

func (db *DB) migrate(ctx context.Context) error {
	for {
		done, err := db.migrateOne(ctx)
		if err != nil {
			return talaash.Errorf(talaash.EINTERNAL, "database %s: %v", db.path, err)
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next migration, if any, in one transaction.
func (db *DB) migrateOne(ctx context.Context) (done bool, err error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)"); err != nil {
		return false, err
	}
	var v int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_version").Scan(&v); err != nil {
		return false, err
	}
	if v > len(migrations) {
		return false, fmt.Errorf("schema version %d is newer than this talaash knows (%d)", v, len(migrations))
	}
	if v == len(migrations) {
		return true, tx.Commit(ctx)
	}
	if _, err := tx.Exec(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migration %d -> %d: %w", v, v+1, err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM schema_version"); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_version (version) VALUES ($1)", v+1); err != nil {
		return false, err
	}
	return false, tx.Commit(ctx)
}

// Close closes the pool.
func (db *DB) Close() error {
	if db != nil && db.pool != nil {
		db.pool.Close()
	}
	return nil
}

// Path is the database's address without its password.
func (db *DB) Path() string { return db.path }

// DSN is the address Open was given, password included, for connections of
// one's own (LISTEN wants a connection to itself).
func (db *DB) DSN() string { return db.dsn }

// Pool is the connection pool, for what the store contract does not cover
// (advisory locks, LISTEN/NOTIFY).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

var (
	readWrite = pgx.TxOptions{IsoLevel: pgx.RepeatableRead}
	readOnly  = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
)

// Update runs fn in one read-write transaction; an error from fn rolls it back.
func (db *DB) Update(fn func(tx talaash.Tx) error) error {
	return db.UpdateKV(func(t kv.Txn) error { return fn(kv.New(t)) })
}

// Batch is Update; see the package doc.
func (db *DB) Batch(fn func(tx talaash.Tx) error) error { return db.Update(fn) }

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(tx talaash.Tx) error) error {
	return db.ViewKV(func(t kv.Txn) error { return fn(kv.New(t)) })
}

// UpdateKV runs fn over the buckets in one read-write transaction.
func (db *DB) UpdateKV(fn func(kv.Txn) error) error { return db.run(readWrite, fn) }

// ViewKV runs fn over the buckets in one read-only snapshot.
func (db *DB) ViewKV(fn func(kv.Txn) error) error { return db.run(readOnly, fn) }

// maxTries bounds the runs of one fn under contention.
const maxTries = 100

func (db *DB) run(opts pgx.TxOptions, fn func(kv.Txn) error) error {
	for try := 1; ; try++ {
		after, err := db.once(opts, fn)
		if err == nil {
			for _, f := range after {
				f()
			}
			return nil
		}
		if !retryable(err) || try == maxTries {
			var de dbError
			if errors.As(err, &de) {
				return talaash.Errorf(talaash.EINTERNAL, "store: %v", redactErr(de.err, db.dsn))
			}
			return err // fn's own
		}
		// Back off a little, more each time, at random, so that the
		// transactions that collided do not collide again.
		time.Sleep(time.Duration(rand.Int64N(int64(min(try, 20)) * int64(time.Millisecond))))
	}
}

// dbError is a failure of the database rather than of fn.
type dbError struct{ err error }

func (e dbError) Error() string { return e.err.Error() }
func (e dbError) Unwrap() error { return e.err }

// once runs fn in one transaction and returns its OnCommit callbacks.
func (db *DB) once(opts pgx.TxOptions, fn func(kv.Txn) error) (after []func(), err error) {
	ctx := context.Background()
	ptx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, dbError{err}
	}
	t := &txn{ctx: ctx, tx: ptx, writable: opts.AccessMode != pgx.ReadOnly, buckets: map[string]*bucket{}}
	defer func() {
		if p := recover(); p != nil {
			ptx.Rollback(ctx)
			panic(p)
		}
	}()
	ferr := fn(t)
	t.flush()
	if t.err != nil {
		ptx.Rollback(ctx)
		return nil, dbError{t.err}
	}
	if ferr != nil {
		ptx.Rollback(ctx)
		return nil, ferr
	}
	if err := ptx.Commit(ctx); err != nil {
		return nil, dbError{err}
	}
	return t.onCommit, nil
}

// retryable reports whether err is a conflict with a concurrent
// transaction, which a fresh run resolves.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01", "23505":
		return true
	}
	return false
}

var (
	_ talaash.Store = (*DB)(nil)
	_ kv.Raw        = (*DB)(nil)
)
