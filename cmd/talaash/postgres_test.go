package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talaash"
	"talaash/store/bolt"
	"talaash/store/kv"
	"talaash/store/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// countsOf reads the bucket figures of the store at path.
func countsOf(t *testing.T, path string) kv.Counts {
	t.Helper()
	db, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var c kv.Counts
	if err := db.ViewKV(func(tx kv.Txn) (err error) { c, err = kv.Count(tx); return err }); err != nil {
		t.Fatal(err)
	}
	return c
}

// A bbolt file migrated to PostgreSQL and back is the same file: every
// bucket with as many keys and the same sequence, the same export, a record
// read back whole. A target holding data is refused unless --force.
func TestMigrateBoltPostgresBolt(t *testing.T) {
	dir := t.TempDir()
	file, back := filepath.Join(dir, "talaash.db"), filepath.Join(dir, "back.db")
	if r := talaashRun(t, file, devLines(t, 150), "import", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	before := countsOf(t, file)
	for _, b := range []string{"records", "idx_ref", "candidates", "alerts", "idx_summary"} {
		if before[b].Keys == 0 {
			t.Fatalf("the sample has nothing in %s: %v", b, before)
		}
	}
	dsn := pgtest.DSN(t)
	r := talaashRun(t, file, "", "migrate", "--from", file, "--to", dsn)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	if !strings.Contains(r.stdout, "records") || !strings.Contains(r.stdout, "checked:") {
		t.Fatalf("migrate printed %q", r.stdout)
	}
	t.Logf("talaash migrate --from FILE --to postgres://...:\n%s", r.stdout)
	if d := before.Diff(countsOf(t, dsn)); len(d) > 0 {
		t.Fatalf("PostgreSQL differs from the file: %v", d)
	}
	r = talaashRun(t, file, "", "migrate", "--from", file, "--to", dsn)
	if r.code != 1 || !strings.Contains(r.stderr, "not empty") {
		t.Fatalf("second migrate into a full database: code %d, %q", r.code, r.stderr)
	}
	if r = talaashRun(t, file, "", "migrate", "--from", file, "--to", dsn, "--force"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r = talaashRun(t, file, "", "migrate", "--from", dsn, "--to", back); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if d := before.Diff(countsOf(t, back)); len(d) > 0 {
		t.Fatalf("the file back differs: %v", d)
	}
	want := talaashRun(t, file, "", "export")
	for _, db := range []string{dsn, back} {
		if got := talaashRun(t, db, "", "export"); got.code != 0 || got.stdout != want.stdout || want.stdout == "" {
			t.Fatalf("export of %s differs from the file's (code %d): %s", db, got.code, got.stderr)
		}
	}
	// The record sequence went along: the next record gets a new id.
	db, err := openStore(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx talaash.Tx) error {
		first := tx.CountRecords()
		var some *talaash.Record
		tx.EachRecord(func(r *talaash.Record) error { some = r; return nil })
		got, err := tx.Record(some.Ref)
		if err != nil || got.ID != some.ID || got.Name != some.Name || got.Text != some.Text {
			t.Errorf("record %s read back: %+v, %v", some.Ref, got, err)
		}
		n := &talaash.Record{Kind: talaash.KindSighting, Time: some.Time, Text: "new"}
		if err := tx.PutRecord(n); err != nil {
			return err
		}
		if n.ID != uint64(before["records"].Sequence)+1 || tx.CountRecords() != first+1 {
			t.Errorf("new record id %d after sequence %d", n.ID, before["records"].Sequence)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// backup of a PostgreSQL database is a bbolt file that verifies; restore
// loads it into an empty database, refuses a full one, and replaces it with
// --force.
func TestBackupRestorePostgres(t *testing.T) {
	dsn, other := pgtest.DSN(t), pgtest.DSN(t)
	if r := talaashRun(t, dsn, devLines(t, 80), "import", "-"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	copyFile := filepath.Join(t.TempDir(), "copy.db")
	r := talaashRun(t, dsn, "", "backup", copyFile)
	if r.code != 0 || !strings.Contains(r.stdout, "verified") || !strings.Contains(r.stdout, "80 records") {
		t.Fatalf("backup: code %d %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "password") {
		t.Fatal(r.stdout)
	}
	sum, err := bolt.Verify(copyFile)
	if err != nil || sum.Total() != 80 {
		t.Fatalf("the copy: %v %v", sum, err)
	}
	if r = talaashRun(t, other, "", "restore", copyFile); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if d := countsOf(t, dsn).Diff(countsOf(t, other)); len(d) > 0 {
		t.Fatalf("restored database differs: %v", d)
	}
	if a, b := talaashRun(t, dsn, "", "export"), talaashRun(t, other, "", "export"); a.stdout != b.stdout || a.stdout == "" {
		t.Fatal("the restored export differs")
	}
	if r = talaashRun(t, other, "", "restore", copyFile); r.code != 1 || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("restore into a full database: code %d %q", r.code, r.stderr)
	}
	if r = talaashRun(t, other, "", "restore", "--force", copyFile); r.code != 0 {
		t.Fatal(r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, []byte("not a database"), 0o600)
	if r = talaashRun(t, other, "", "restore", "--force", bad); r.code != 1 {
		t.Fatalf("a bad file restored: %q", r.stdout)
	}
	if d := countsOf(t, dsn).Diff(countsOf(t, other)); len(d) > 0 {
		t.Fatalf("a refused restore changed the database: %v", d)
	}
}
