package bolt

import (
	"path/filepath"
	"testing"
	"time"

	"talaash"
)

// A schema-3 file keeps what it held and gains the enrolment buckets.
func TestMigrateEnrolV5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	saved := migrations
	migrations = saved[:3] // up to migrateKV
	db, err := Open(path)
	migrations = saved
	must(t, err)
	at := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1001", Enrolled: at})
	}))
	must(t, db.Close())

	db, err = Open(path)
	must(t, err)
	defer db.Close()
	must(t, db.Update(func(tx talaash.Tx) error {
		if e, err := tx.Police("telegram", "1001"); err != nil || !e.Enrolled.Equal(at) {
			t.Errorf("police entry after migrating: %+v %v", e, err)
		}
		if err := tx.PutInvite(&talaash.Invite{Hash: "aa", Created: at}); err != nil {
			return err
		}
		return tx.PutRequest(&talaash.Request{Channel: "sms", Address: "+919800000001", At: at, State: talaash.RequestPending})
	}))
}
