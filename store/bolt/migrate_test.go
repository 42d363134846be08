package bolt

import (
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// A schema-2 file, written in the old kv layout, reads back through the typed
// methods after Open, and its kv bucket is gone.
func TestMigrateKVV3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	saved := migrations
	migrations = saved[:2]
	db, err := Open(path)
	migrations = saved
	must(t, err)
	created := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	kv := map[string]map[string]string{
		"alert": {
			"K-4821-7|S1": `{"missing":"K-4821-7","sighting":"S1","score":7.5,"state":"pending","created":"2025-06-01T10:00:00Z"}`,
			"M2|S1":       `{"missing":"M2","sighting":"S1","score":6,"state":"rejected","created":"2025-06-01T11:00:00Z","reviewed_by":"telegram:1001","by_name":"SI Verma"}`,
			"M3|S3":       `{"missing":"M3"`,                    // unreadable before too: dropped
			"M4|S4":       `{"missing":"M4","state":"pending"}`, // no sighting: dropped
		},
		"weekly":    {"K-4821-7": "2025-06-08T10:00:00.5Z"},
		"police":    {"telegram:1001": `{"at":"2025-05-01T09:00:00Z","lang":"hi","name":"SI Verma"}`, "sms:+919800000001": `{"at":"2025-05-02T09:00:00Z","revoked":true}`, "telegram:1002": "revoked"},
		"stopped":   {"sms:+919812345678": "2025-06-02T08:00:00Z"},
		"ratelimit": {"enrol:telegram:5": `{"since":"2025-06-01T10:00:00Z","count":3}`},
		"sent":      {"alert:K-4821-7|S1|telegram:1001": `{"sent_id":"77","at":"2025-06-01T10:00:05Z","item":4}`},
		"rejected":  {"M2|S1": "telegram:1001", "|S1": "x"},
		"alerted":   {"K-4821-7|S1": "\x01", "M2|S1": "\x01"},
		"delivery":  {"SM1": `{"status":"delivered","code":"","at":"2025-06-01T10:00:09Z"}`},
	}
	must(t, db.bolt.Update(func(tx *bbolt.Tx) error {
		for _, name := range newBucketsV3 {
			if tx.Bucket(name) != nil {
				t.Fatalf("schema 2 already has bucket %s", name)
			}
		}
		root := tx.Bucket(bKV)
		for ns, keys := range kv {
			b, err := root.CreateBucket([]byte(ns))
			if err != nil {
				return err
			}
			for k, v := range keys {
				if err := b.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	db.Close()

	db, err = Open(path)
	must(t, err)
	defer db.Close()
	must(t, db.View(func(tx talaash.Tx) error {
		a, err := tx.Alert("K48217", "S1")
		if err != nil || a.Score != 7.5 || a.State != talaash.AlertPending || !a.Created.Equal(created) {
			t.Errorf("alert %+v %v", a, err)
		}
		var pending, ofS1 []string
		tx.AlertsByState(talaash.AlertPending, func(a *talaash.Alert) error { pending = append(pending, a.Missing); return nil })
		tx.AlertsOf("S1", func(a *talaash.Alert) error { ofS1 = append(ofS1, a.Missing+"/"+a.State); return nil })
		if len(pending) != 1 || pending[0] != "K-4821-7" || len(ofS1) != 2 || ofS1[1] != "M2/rejected" {
			t.Errorf("pending %v, alerts of S1 %v", pending, ofS1)
		}
		if w, _ := tx.LastWeekly("K-4821-7"); !w.Equal(time.Date(2025, 6, 8, 10, 0, 0, 5e8, time.UTC)) {
			t.Errorf("weekly %v", w)
		}
		if e, err := tx.Police("telegram", "1001"); err != nil || e.Name != "SI Verma" || e.Lang != "hi" || !e.Active() || e.Enrolled.IsZero() {
			t.Errorf("police 1001 %+v %v", e, err)
		}
		for _, k := range [][2]string{{"sms", "+919800000001"}, {"telegram", "1002"}} {
			if e, err := tx.Police(k[0], k[1]); err != nil || e.Active() {
				t.Errorf("revoked %v: %+v %v", k, e, err)
			}
		}
		if ok, _ := tx.Stopped("sms", "+919812345678"); !ok {
			t.Error("stopped lost")
		}
		if a, _ := tx.Attempts("enrol:telegram:5"); a.Count != 3 || a.Since.IsZero() {
			t.Errorf("attempts %+v", a)
		}
		if s, err := tx.Sent("alert:K-4821-7|S1", "telegram", "1001"); err != nil || s.SentID != "77" || s.ItemID != 4 {
			t.Errorf("sent %+v %v", s, err)
		}
		if ok, _ := tx.Rejected("M2", "S1"); !ok {
			t.Error("rejected lost")
		}
		for _, m := range []string{"K-4821-7", "M2"} {
			if ok, _ := tx.Alerted(m, "S1"); !ok {
				t.Errorf("alerted %s lost", m)
			}
		}
		if d, err := tx.DeliveryStatus("SM1"); err != nil || d.Status != "delivered" || d.At.IsZero() {
			t.Errorf("delivery %+v %v", d, err)
		}
		return nil
	}))
	db.bolt.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bKV) != nil {
			t.Error("kv bucket kept after the move")
		}
		return nil
	})
}

// A kv namespace this code does not know is kept rather than lost.
func TestMigrateKVKeepsUnknown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "talaash.db")
	saved := migrations
	migrations = saved[:2]
	db, err := Open(path)
	migrations = saved
	must(t, err)
	must(t, db.bolt.Update(func(tx *bbolt.Tx) error {
		b, err := tx.Bucket(bKV).CreateBucket([]byte("other"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	}))
	db.Close()
	db, err = Open(path)
	must(t, err)
	defer db.Close()
	db.bolt.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bKV); b == nil || b.Bucket([]byte("other")) == nil {
			t.Error("unknown namespace lost")
		}
		return nil
	})
}
