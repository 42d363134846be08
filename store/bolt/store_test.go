package bolt

import (
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"talaash"
	"talaash/store/storetest"
)

// The contract every talaash.Store keeps; what follows here is the file's own
// (locking, migrations, the on-disk format).
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) talaash.Store { return openTemp(t) })
}

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "sub", "talaash.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSecondOpenIsInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	db, err := Open(path)
	must(t, err)
	defer db.Close()
	start := time.Now()
	db2, err := Open(path)
	if err == nil {
		db2.Close()
		t.Fatal("second Open succeeded")
	}
	if talaash.ErrorCode(err) != talaash.EINUSE {
		t.Fatalf("err %v, want EINUSE", err)
	}
	want := "database " + path + " is in use by another talaash process"
	if talaash.ErrorMessage(err) != want {
		t.Fatalf("message %q, want %q", talaash.ErrorMessage(err), want)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("second Open took %v", d)
	}
	if db.Path() != path {
		t.Fatalf("Path %q", db.Path())
	}
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	db, err := Open(path)
	must(t, err)
	db.Close()

	// A second migration runs once, on the next Open, and bumps the version.
	saved := migrations
	defer func() { migrations = saved }()
	runs := 0
	migrations = append(append([]func(*bbolt.Tx) error{}, saved...), func(tx *bbolt.Tx) error {
		runs++
		_, err := tx.CreateBucket([]byte("v2"))
		return err
	})
	for i := 0; i < 2; i++ {
		db, err = Open(path)
		must(t, err)
		db.Close()
	}
	if runs != 1 {
		t.Fatalf("migration ran %d times, want 1", runs)
	}
	// A file from a newer talaash is refused.
	migrations = saved
	if _, err := Open(path); err == nil || talaash.ErrorCode(err) != talaash.EINTERNAL {
		t.Fatalf("newer schema: %v", err)
	}
}

func BenchmarkRecordByRef(b *testing.B) {
	db := openTemp(b)
	refs := make([]string, 0, 10000)
	must(b, db.Update(func(tx talaash.Tx) error {
		for i := 0; i < 10000; i++ {
			r := &talaash.Record{Kind: "missing", Time: time.Now(), Clothes: "red shirt, blue jeans", Place: "Kanpur Central"}
			if err := tx.PutRecord(r); err != nil {
				return err
			}
			refs = append(refs, r.Ref)
		}
		return nil
	}))
	b.ResetTimer()
	must(b, db.View(func(tx talaash.Tx) error {
		for i := 0; i < b.N; i++ {
			if _, err := tx.Record(refs[i%len(refs)]); err != nil {
				return err
			}
		}
		return nil
	}))
}
