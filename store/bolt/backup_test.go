package bolt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// Sessions of a schema-3 file get a time at the upgrade, so retention ages
// them from then; their bytes are untouched.
func TestMigrateSessionUsedV4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	saved := migrations
	migrations = saved[:3]
	db, err := Open(path)
	migrations = saved
	must(t, err)
	must(t, db.bolt.Update(func(tx *bbolt.Tx) error {
		if tx.Bucket(kv.BSessionUsed) != nil {
			t.Fatal("schema 3 already has session_used")
		}
		return tx.Bucket(kv.BSessions).Put([]byte("sms:+919812345678"), []byte(`{"state":"menu"}`))
	}))
	db.Close()
	before := time.Now()
	db, err = Open(path)
	must(t, err)
	defer db.Close()
	n := 0
	must(t, db.View(func(tx talaash.Tx) error {
		return tx.EachSession(func(key string, used time.Time, v []byte) error {
			n++
			if key != "sms:+919812345678" || string(v) != `{"state":"menu"}` || used.Before(before.Add(-time.Second)) || used.After(time.Now()) {
				t.Errorf("session %s %q used %v", key, v, used)
			}
			return nil
		})
	}))
	if n != 1 {
		t.Fatalf("%d sessions", n)
	}
}

func putRecords(t testing.TB, db *DB, from, n int) {
	t.Helper()
	must(t, db.Update(func(tx talaash.Tx) error {
		for i := from; i < from+n; i++ {
			r := &talaash.Record{Ref: fmt.Sprintf("M%06d", i), Kind: talaash.KindMissing, Time: time.Now(),
				Text: strings.Repeat("ladka laal shirt ", 20), Contact: &talaash.Contact{Phone: "+919812345678"}}
			if err := tx.PutRecord(r); err != nil {
				return err
			}
			if err := tx.PutSession(fmt.Sprintf("sms:%d", i), []byte("{}")); err != nil {
				return err
			}
		}
		return nil
	}))
}

// A backup taken while writers commit is one moment of the file: it opens,
// verifies, and holds every record committed before it began.
func TestBackupWhileWriting(t *testing.T) {
	db := openTemp(t)
	putRecords(t, db, 0, 200)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1000; !stop.Load(); i += 10 {
			putRecords(t, db, i, 10)
			written.Add(10)
		}
	}()
	for written.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	committed := 0
	db.View(func(tx talaash.Tx) error { committed = tx.CountRecords(); return nil })
	var buf bytes.Buffer
	n, err := db.Backup(&buf)
	stop.Store(true)
	wg.Wait()
	must(t, err)
	if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup said %d bytes, wrote %d", n, buf.Len())
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	must(t, os.WriteFile(copyPath, buf.Bytes(), 0o600))
	sum, err := Verify(copyPath)
	must(t, err)
	if sum.Total() < committed || sum.Version != SchemaVersion() || sum.Buckets["sessions"] != sum.Total() {
		t.Fatalf("copy holds %s; %d were committed before it", sum, committed)
	}
	if !strings.Contains(sum.String(), "session_used") {
		t.Errorf("summary lists no session_used: %s", sum)
	}
}

func TestVerifyRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		must(t, os.WriteFile(p, b, 0o600))
		return p
	}
	// A bbolt file of another program.
	other := filepath.Join(dir, "other.db")
	odb, err := bbolt.Open(other, 0o600, nil)
	must(t, err)
	must(t, odb.Update(func(tx *bbolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err }))
	odb.Close()
	// A Talaash file from a newer Talaash.
	newer := filepath.Join(dir, "newer.db")
	ndb, err := Open(newer)
	must(t, err)
	must(t, ndb.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(kv.BMeta).Put(kv.KeyVersion, kv.U64(99)) }))
	ndb.Close()
	// A Talaash file cut short, as a failed copy would be.
	good := openTemp(t)
	putRecords(t, good, 0, 300)
	var buf bytes.Buffer
	_, err = good.Backup(&buf)
	must(t, err)

	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "absent.db"), "no database at"},
		{write("empty.db", nil), "is not a Talaash database"},
		{write("text.db", []byte(strings.Repeat("not a database\n", 1000))), "is not a Talaash database"},
		{other, "has no meta bucket"},
		{newer, "schema version 99"},
		{write("short.db", buf.Bytes()[:buf.Len()/2]), ""},
	} {
		_, err := Verify(c.path)
		if err == nil {
			t.Errorf("%s verified", filepath.Base(c.path))
			continue
		}
		if !strings.Contains(talaash.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want %q", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "data", "talaash.db")
	db, err := Open(live)
	must(t, err)
	putRecords(t, db, 0, 5)
	backup := filepath.Join(dir, "backup.db")
	f, err := os.Create(backup)
	must(t, err)
	_, err = db.Backup(f)
	must(t, err)
	f.Close()
	putRecords(t, db, 100, 3) // after the backup: the restore drops these

	at := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	if _, _, err := Restore(backup, live, at); talaash.ErrorCode(err) != talaash.EINUSE {
		t.Fatalf("restore while open: %v", err)
	}
	db.Close()
	bad := filepath.Join(dir, "bad.db")
	must(t, os.WriteFile(bad, []byte("garbage"), 0o600))
	if _, _, err := Restore(bad, live, at); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("restore of garbage: %v", err)
	}
	if _, _, err := Restore(live, live, at); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("restore onto itself: %v", err)
	}
	sum, kept, err := Restore(backup, live, at)
	must(t, err)
	if sum.Total() != 5 || kept != live+".bak-20261201T210000Z" {
		t.Fatalf("restored %d records, kept %q", sum.Total(), kept)
	}
	if s, err := Verify(kept); err != nil || s.Total() != 8 {
		t.Fatalf("old file kept with %v records: %v", s, err)
	}
	db, err = Open(live)
	must(t, err)
	defer db.Close()
	db.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 5 || tx.HasRecord("M000100") || !tx.HasRecord("M000004") {
			t.Errorf("restored file: %d records", n)
		}
		return nil
	})
	if _, err := os.Stat(live + ".restore"); err == nil {
		t.Error("temporary copy left behind")
	}
}

func TestCompact(t *testing.T) {
	db := openTemp(t)
	putRecords(t, db, 0, 3000)
	// Free most of the file: sessions go, records stay.
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.PruneSessions(time.Now().Add(time.Hour), nil)
		return err
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error {
			r.Text = "short"
			return tx.PutRecord(r)
		})
	}))
	seq := uint64(0)
	db.bolt.View(func(tx *bbolt.Tx) error { seq = tx.Bucket(kv.BRecords).Sequence(); return nil })
	before, after, err := db.Compact()
	must(t, err)
	if after >= before || after <= 0 {
		t.Fatalf("compact: %d -> %d bytes", before, after)
	}
	t.Logf("compact: %d -> %d bytes", before, after)
	db.View(func(tx talaash.Tx) error {
		r, err := tx.Record("M002999")
		if err != nil || r.Text != "short" || tx.CountRecords() != 3000 {
			t.Errorf("after compact: %+v %v, %d records", r, err, tx.CountRecords())
		}
		return nil
	})
	db.bolt.View(func(tx *bbolt.Tx) error {
		if s := tx.Bucket(kv.BRecords).Sequence(); s != seq {
			t.Errorf("record sequence %d, want %d", s, seq)
		}
		return nil
	})
	// The store still writes, and new records do not reuse ids.
	putRecords(t, db, 5000, 1)
	db.View(func(tx talaash.Tx) error {
		if r, err := tx.Record("M005000"); err != nil || r.ID != seq+1 {
			t.Errorf("new record after compact: %+v %v", r, err)
		}
		return nil
	})
	if _, err := Verify(db.Path()); talaash.ErrorCode(err) != talaash.EINUSE {
		t.Errorf("verify of the open file: %v", err)
	}
}
