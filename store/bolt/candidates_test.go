package bolt

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// A schema-1 file's JSON candidate lists are rewritten on Open.
func TestMigrateCandidatesV2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	saved := migrations
	migrations = saved[:1]
	db, err := Open(path)
	migrations = saved
	must(t, err)
	list := []talaash.Candidate{{Missing: "M1", Sighting: "S1", Score: 7, Alert: true, Reasons: []talaash.Reason{{En: "same red shirt", Hi: "वही लाल कमीज़"}}}}
	v1, _ := json.Marshal(map[string]any{"ref": "S1", "c": list})
	must(t, db.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(kv.BCandidates).Put([]byte("S1"), v1) }))
	db.Close()

	db, err = Open(path)
	must(t, err)
	defer db.Close()
	db.View(func(tx talaash.Tx) error {
		got, err := tx.Candidates("S1")
		if err != nil || !reflect.DeepEqual(got, list) {
			t.Errorf("after migration: %+v %v", got, err)
		}
		return nil
	})
}
