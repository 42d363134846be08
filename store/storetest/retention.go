package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"talaash"
)

// slack covers a store whose clock is not this process's (a database server).
const slack = time.Minute

func testSessionTimes(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	start := time.Now()
	must(t, db.Update(func(tx talaash.Tx) error {
		for _, k := range []string{"sms:+919812345678", "telegram:1", "telegram:2"} {
			must(t, tx.PutSession(k, []byte(`{"state":"menu","k":"`+k+`"}`)))
		}
		return nil
	}))
	end := time.Now()
	seen := map[string]string{}
	must(t, db.View(func(tx talaash.Tx) error {
		return tx.EachSession(func(key string, used time.Time, v []byte) error {
			if used.Before(start.Add(-slack)) || used.After(end.Add(slack)) {
				t.Errorf("session %s last used %v, want between %v and %v", key, used, start, end)
			}
			seen[key] = string(v)
			return nil
		})
	}))
	if len(seen) != 3 || seen["telegram:1"] != `{"state":"menu","k":"telegram:1"}` {
		t.Fatalf("EachSession gave %v", seen)
	}
	must(t, db.Update(func(tx talaash.Tx) error {
		if n, err := tx.PruneSessions(start.Add(-slack), nil); n != 0 || err != nil {
			t.Errorf("pruned %d recent sessions (%v)", n, err)
		}
		keep := func(key string, v []byte) bool { return key == "telegram:2" && len(v) > 0 }
		if n, err := tx.PruneSessions(end.Add(slack), keep); n != 2 || err != nil {
			t.Errorf("pruned %d sessions (%v), want 2", n, err)
		}
		return nil
	}))
	must(t, db.View(func(tx talaash.Tx) error {
		var keys []string
		must(t, tx.EachSession(func(key string, _ time.Time, _ []byte) error { keys = append(keys, key); return nil }))
		if fmt.Sprint(keys) != "[telegram:2]" {
			t.Errorf("after pruning: %v", keys)
		}
		if v, _ := tx.Session("telegram:1"); v != nil {
			t.Errorf("pruned session still there: %q", v)
		}
		return nil
	}))
	// A session put again is young again; one deleted is gone with its time.
	must(t, db.Update(func(tx talaash.Tx) error {
		must(t, tx.PutSession("telegram:1", []byte("again")))
		must(t, tx.DeleteSession("telegram:2"))
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		if n, err := tx.PruneSessions(start.Add(-slack), nil); n != 0 || err != nil {
			t.Errorf("pruned %d (%v) after put again", n, err)
		}
		var keys []string
		must(t, tx.EachSession(func(key string, _ time.Time, _ []byte) error { keys = append(keys, key); return nil }))
		if fmt.Sprint(keys) != "[telegram:1]" {
			t.Errorf("sessions %v", keys)
		}
		return nil
	}))
}

func testPruneCounters(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		must(t, tx.PutAttempts("enrol:sms:+919812345678", talaash.Attempts{Since: base, Count: 5}))
		must(t, tx.PutAttempts("enrol:telegram:7", talaash.Attempts{Since: base.Add(2 * time.Hour), Count: 1}))
		must(t, tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SM1", Status: "delivered", At: base}))
		must(t, tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SM2", Status: "failed", At: base.Add(2 * time.Hour)}))
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		if n, err := tx.PruneAttempts(base.Add(time.Hour)); n != 1 || err != nil {
			t.Errorf("PruneAttempts: %d %v, want 1", n, err)
		}
		if n, err := tx.PruneDelivery(base.Add(time.Hour)); n != 1 || err != nil {
			t.Errorf("PruneDelivery: %d %v, want 1", n, err)
		}
		return nil
	}))
	must(t, db.View(func(tx talaash.Tx) error {
		if a, _ := tx.Attempts("enrol:sms:+919812345678"); a.Count != 0 {
			t.Errorf("old counter kept: %+v", a)
		}
		if a, _ := tx.Attempts("enrol:telegram:7"); a.Count != 1 {
			t.Errorf("recent counter pruned: %+v", a)
		}
		if _, err := tx.DeliveryStatus("SM1"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("old status kept: %v", err)
		}
		if _, err := tx.DeliveryStatus("SM2"); err != nil {
			t.Errorf("recent status pruned: %v", err)
		}
		return nil
	}))
}

func testScrub(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	r := full()
	r.Scrubbed = time.Time{}
	at := base.AddDate(2, 0, 0)
	must(t, db.Update(func(tx talaash.Tx) error {
		must(t, tx.PutRecord(r))
		must(t, tx.PutCandidates(r.Ref, []talaash.Candidate{{Missing: r.Ref, Sighting: "S1", Score: 0.9, Reasons: []talaash.Reason{{En: "name: Sonam"}}}}))
		must(t, tx.PutAlert(&talaash.Alert{Missing: r.Ref, Sighting: "S1", State: talaash.AlertConfirmed, Created: base, Score: 9, Reasons: []talaash.Reason{{En: "name: Sonam", Hi: "नाम: सोनम"}}}))
		_, err := tx.Scrub(r.Ref, at, nil)
		code(t, "Scrub of an active record", err, talaash.ECONFLICT)
		_, err = tx.Scrub("M404", at, nil)
		code(t, "Scrub of no record", err, talaash.ENOTFOUND)
		_, err = tx.SetStatus(r.Ref, talaash.StatusReunited, "telegram:12345", "father Ramesh came", base.Add(24*time.Hour))
		return err
	}))
	var removed []string
	must(t, db.Update(func(tx talaash.Tx) (err error) {
		removed, err = tx.Scrub("m000028", at, func(p string) string {
			if p == "Swaroop Nagar" {
				return "Swaroop Nagar"
			}
			return ""
		})
		return err
	}))
	want := []string{"name", "contact", "address", "photos", "text", "location", "history reasons", "alert reasons"}
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	must(t, db.View(func(tx talaash.Tx) error {
		got, err := tx.Record(r.Ref)
		if err != nil {
			return err
		}
		if got.Name != "" || got.Contact != nil || got.Address != "" || got.Photos != nil || got.Text != "" || got.Lat != nil || got.Lon != nil {
			t.Errorf("personal data left: %+v", got)
		}
		lo, hi, _ := got.Ages()
		if got.Kind != talaash.KindMissing || got.Status != talaash.StatusReunited || got.Gender != "female" || lo != 16 || hi != 16 ||
			got.Clothes != r.Clothes || got.Marks != r.Marks || got.Place != "Swaroop Nagar" || got.Channel != talaash.ChannelTelegram ||
			!got.Time.Equal(r.Time) || !got.Created.Equal(r.Created) || !got.Scrubbed.Equal(at) {
			t.Errorf("anonymous figures lost: %+v", got)
		}
		// Officers stay accountable; the reporter's own event no longer names them.
		h := got.History
		if len(h) != 2 || h[0].By != "telegram:99" || h[0].Why != "" || h[1].To != talaash.StatusReunited || h[1].Why != "" || h[1].By != talaash.ByReporter {
			t.Errorf("history %+v", h)
		}
		if refs := refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsByReporter(talaash.ChannelTelegram, "12345", fn)
		}); len(refs) != 0 {
			t.Errorf("reporter index still finds %v", refs)
		}
		if refs := refsOf(t, func(fn func(*talaash.Record) error) error {
			return tx.RecordsBy(talaash.KindMissing, talaash.StatusReunited, fn)
		}); len(refs) != 1 {
			t.Errorf("the scrubbed case no longer counts: %v", refs)
		}
		if c, _ := tx.Candidates(r.Ref); c != nil {
			t.Errorf("candidates kept: %+v", c)
		}
		if a, err := tx.Alert(r.Ref, "S1"); err != nil || a.Reasons != nil || a.State != talaash.AlertConfirmed || a.Score != 9 {
			t.Errorf("alert %+v %v", a, err)
		}
		if n := tx.CountRecords(); n != 1 {
			t.Errorf("count %d", n)
		}
		return nil
	}))
	// Twice is harmless: nothing more to remove.
	must(t, db.Update(func(tx talaash.Tx) (err error) {
		removed, err = tx.Scrub(r.Ref, at.Add(time.Hour), nil)
		return err
	}))
	if !slices.Equal(removed, []string{"place"}) {
		t.Errorf("second scrub removed %q", removed)
	}
}
