package postgres

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
	"talaash/store/pgtest"
	"talaash/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openTemp opens a store on a fresh database of the test server.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The contract every talaash.Store keeps, exactly as the bbolt file keeps it.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) talaash.Store { return openTemp(t) })
}

// Two stores on one database stand for two replicas. Every sender retries
// the same message ids on both at once; a message marks its id seen and
// stores its record in one transaction only when the id is not seen yet, so
// each id makes exactly one record and one OnCommit.
func TestReplicasStoreEachMessageOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b := open(t, dsn), open(t, dsn)
	const ids, senders = 40, 6
	var committed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 2*senders)
	for _, db := range []*DB{a, b} {
		for s := 0; s < senders; s++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < ids; i++ {
					id := fmt.Sprint("msg-", (i+s)%ids) // senders start apart, so they collide at random
					err := db.Update(func(tx talaash.Tx) error {
						if _, seen := tx.Seen("sms", id); seen {
							return nil
						}
						if err := tx.MarkSeen("sms", id, []byte("ok"), time.Now()); err != nil {
							return err
						}
						tx.OnCommit(func() { committed.Add(1) })
						return tx.PutRecord(&talaash.Record{Kind: talaash.KindSighting, Time: time.Now(), Channel: "sms", Address: id, Text: id})
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := committed.Load(); n != ids {
		t.Errorf("%d turns committed a record, want %d", n, ids)
	}
	must(t, b.View(func(tx talaash.Tx) error {
		per := map[string]int{}
		must(t, tx.EachRecord(func(r *talaash.Record) error { per[r.Text]++; return nil }))
		if tx.CountRecords() != ids || len(per) != ids {
			t.Errorf("%d records (count %d) for %d ids", len(per), tx.CountRecords(), ids)
		}
		for id, n := range per {
			if n != 1 {
				t.Errorf("%s stored %d times", id, n)
			}
		}
		return nil
	}))
}

func open(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The schema is versioned: opening again runs nothing, and a database from
// a newer Talaash is refused rather than misread.
func TestSchemaVersion(t *testing.T) {
	dsn := pgtest.DSN(t)
	db := open(t, dsn)
	var v int
	must(t, db.Pool().QueryRow(context.Background(), "SELECT version FROM schema_version").Scan(&v))
	if v != SchemaVersion() {
		t.Fatalf("schema_version %d, want %d", v, SchemaVersion())
	}
	again := open(t, dsn) // concurrent opens wait on the lock and find it done
	again.Close()
	_, err := db.Pool().Exec(context.Background(), "UPDATE schema_version SET version = $1", SchemaVersion()+1)
	must(t, err)
	if db2, err := Open(dsn); err == nil {
		db2.Close()
		t.Fatal("a newer schema opened")
	} else if !strings.Contains(err.Error(), "newer than this talaash") {
		t.Fatalf("err %v", err)
	}
}

// Path names the database for logs, never with its password.
func TestPathHidesPassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://talaash:s3cret@db.example:5432/talaash?sslmode=require",
		"postgresql://talaash@db.example/talaash?password=s3cret",
	} {
		if p := Redact(dsn); strings.Contains(p, "s3cret") || !strings.Contains(p, "db.example") {
			t.Errorf("Redact(%q) = %q", dsn, p)
		}
	}
	if _, err := Open("postgres://talaash:s3cret@127.0.0.1:1/x?connect_timeout=1"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open of an unreachable database: %v", err)
	}
	if !IsDSN("postgres://x/y") || !IsDSN("postgresql://x/y") || IsDSN("data/talaash.db") {
		t.Error("IsDSN")
	}
}
