package bolt

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

func TestCandidatesCodec(t *testing.T) {
	list := []talaash.Candidate{
		{Missing: "M000028", Sighting: "K-4821-7", Score: 9.25, Alert: true,
			Reasons: []talaash.Reason{{En: "same mole on left cheek", Hi: "बाएं गाल पर वही तिल"}, {En: "", Hi: ""}}},
		{Missing: "K-1092-6", Sighting: "K-4821-7", Score: -3.5},
	}
	ref, got, err := decodeCandidates(encodeCandidates("K-4821-7", list))
	if err != nil || ref != "K-4821-7" || !reflect.DeepEqual(got, list) {
		t.Fatalf("round trip: %q %+v %v", ref, got, err)
	}
	// Damaged bytes are an error, never a panic or a made-up list.
	b := encodeCandidates("K-4821-7", list)
	for i := 0; i < len(b); i++ {
		if _, _, err := decodeCandidates(b[:i]); err == nil {
			t.Fatalf("truncated at %d decoded", i)
		}
	}
	huge := binary.AppendUvarint([]byte{candidatesV2, 0}, 1<<40)
	if _, _, err := decodeCandidates(huge); err == nil {
		t.Fatal("a huge count decoded")
	}
	if _, _, err := decodeCandidates([]byte(`{"ref":"x"}`)); err == nil {
		t.Fatal("JSON decoded as binary")
	}
}

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
	must(t, db.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bCandidates).Put([]byte("S1"), v1) }))
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
