package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"talaash"
)

// Times here are whole seconds in UTC, which every store keeps exactly.
var base = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func code(t *testing.T, what string, err error, want string) {
	t.Helper()
	if talaash.ErrorCode(err) != want {
		t.Errorf("%s: err %v, want %s", what, err, want)
	}
}

func alertNames(t *testing.T, each func(fn func(*talaash.Alert) error) error) string {
	t.Helper()
	var out []string
	must(t, each(func(a *talaash.Alert) error { out = append(out, a.Missing+"/"+a.Sighting); return nil }))
	return fmt.Sprint(out)
}

func testAlerts(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.Alert("M1", "S1")
		code(t, "unknown alert", err, talaash.ENOTFOUND)
		code(t, "no state", tx.PutAlert(&talaash.Alert{Missing: "M1", Sighting: "S1"}), talaash.EINVALID)
		code(t, "no ref", tx.PutAlert(&talaash.Alert{Missing: "M1", State: talaash.AlertPending}), talaash.EINVALID)
		for _, a := range []*talaash.Alert{
			{Missing: "M1", Sighting: "S1", State: talaash.AlertPending, Created: base, Score: 7.5, Reasons: []talaash.Reason{{En: "same mole", Hi: "वही तिल", Latn: "wahi mole"}}},
			{Missing: "M1", Sighting: "S2", State: talaash.AlertPending, Created: base.Add(time.Hour)},
			{Missing: "M2", Sighting: "S1", State: talaash.AlertConfirmed, Created: base.Add(2 * time.Hour), ReviewedBy: "telegram:1", ByName: "SI Verma", Reviewed: base.Add(3 * time.Hour)},
			{Missing: "K-4821-5", Sighting: "S3", State: talaash.AlertPending, Created: base.Add(-time.Hour)},
		} {
			if err := tx.PutAlert(a); err != nil {
				return err
			}
		}
		fresh := &talaash.Alert{Missing: "M9", Sighting: "S9", State: talaash.AlertRejected}
		must(t, tx.PutAlert(fresh))
		if fresh.Created.IsZero() {
			t.Error("PutAlert left Created zero")
		}
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		a, err := tx.Alert("m1", "s 1") // refs in any tolerated form
		if err != nil || a.Missing != "M1" || a.Score != 7.5 || a.Reasons[0].Hi != "वही तिल" || a.Reasons[0].Latn != "wahi mole" || !a.Created.Equal(base) {
			t.Errorf("Alert(M1, S1) = %+v %v", a, err)
		}
		if a, err := tx.Alert("M2", "S1"); err != nil || a.ByName != "SI Verma" || !a.Reviewed.Equal(base.Add(3*time.Hour)) {
			t.Errorf("Alert(M2, S1) = %+v %v", a, err)
		}
		if _, err := tx.Alert("S1", "M1"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("a pair is ordered: %v", err)
		}
		byState := func(s string) func(func(*talaash.Alert) error) error {
			return func(fn func(*talaash.Alert) error) error { return tx.AlertsByState(s, fn) }
		}
		of := func(ref string) func(func(*talaash.Alert) error) error {
			return func(fn func(*talaash.Alert) error) error { return tx.AlertsOf(ref, fn) }
		}
		for _, c := range []struct{ got, want string }{
			{alertNames(t, byState(talaash.AlertPending)), "[K-4821-5/S3 M1/S1 M1/S2]"},
			{alertNames(t, byState(talaash.AlertConfirmed)), "[M2/S1]"},
			{alertNames(t, byState("nope")), "[]"},
			{alertNames(t, of("S1")), "[M1/S1 M2/S1]"},
			{alertNames(t, of("M1")), "[M1/S1 M1/S2]"},
			{alertNames(t, of("k48215")), "[K-4821-5/S3]"},
			{alertNames(t, of("S")), "[]"}, // a prefix of refs is not a ref
			{alertNames(t, of("")), "[]"},
		} {
			if c.got != c.want {
				t.Errorf("got %s, want %s", c.got, c.want)
			}
		}
		return nil
	})

	// A change of state moves the alert between state lists, once.
	must(t, db.Update(func(tx talaash.Tx) error {
		a, err := tx.Alert("M1", "S1")
		if err != nil {
			return err
		}
		a.State = talaash.AlertRejected
		return tx.PutAlert(a)
	}))
	db.View(func(tx talaash.Tx) error {
		pending := alertNames(t, func(fn func(*talaash.Alert) error) error { return tx.AlertsByState(talaash.AlertPending, fn) })
		rejected := alertNames(t, func(fn func(*talaash.Alert) error) error { return tx.AlertsByState(talaash.AlertRejected, fn) })
		of := alertNames(t, func(fn func(*talaash.Alert) error) error { return tx.AlertsOf("S1", fn) })
		if pending != "[K-4821-5/S3 M1/S2]" || rejected != "[M1/S1 M9/S9]" || of != "[M1/S1 M2/S1]" {
			t.Errorf("after review: pending %s, rejected %s, of S1 %s", pending, rejected, of)
		}
		return nil
	})

	// fn may write while the walk runs; its error ends the walk.
	n := 0
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.AlertsByState(talaash.AlertPending, func(a *talaash.Alert) error {
			n++
			a.State, a.Reminded = talaash.AlertConfirmed, base
			return tx.PutAlert(a)
		})
	}))
	stop := errors.New("stop")
	walked := 0
	err := db.View(func(tx talaash.Tx) error {
		return tx.AlertsByState(talaash.AlertConfirmed, func(*talaash.Alert) error { walked++; return stop })
	})
	if n != 2 || !errors.Is(err, stop) || walked != 1 {
		t.Errorf("walk while writing: %d written; stop %v after %d", n, err, walked)
	}
}

func testPairs(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		if ok, err := tx.Alerted("K-4821-5", "S1"); ok || err != nil {
			t.Errorf("Alerted before: %v %v", ok, err)
		}
		if ok, err := tx.Rejected("K-4821-5", "S1"); ok || err != nil {
			t.Errorf("Rejected before: %v %v", ok, err)
		}
		must(t, tx.PutAlerted("K-4821-5", "S1"))
		must(t, tx.PutRejected("M2", "S1", "telegram:1001", base))
		code(t, "PutAlerted without a ref", tx.PutAlerted("", "S1"), talaash.EINVALID)
		code(t, "PutRejected without a ref", tx.PutRejected("M2", "", "x", base), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		for _, c := range []struct {
			what string
			got  func() (bool, error)
			want bool
		}{
			{"alerted", func() (bool, error) { return tx.Alerted("k48215", "s1") }, true},
			{"alerted reversed", func() (bool, error) { return tx.Alerted("S1", "K-4821-5") }, false},
			{"alerted not rejected", func() (bool, error) { return tx.Rejected("K-4821-5", "S1") }, false},
			{"rejected", func() (bool, error) { return tx.Rejected("M2", "S1") }, true},
			{"rejected not alerted", func() (bool, error) { return tx.Alerted("M2", "S1") }, false},
		} {
			if ok, err := c.got(); ok != c.want || err != nil {
				t.Errorf("%s: %v %v, want %v", c.what, ok, err, c.want)
			}
		}
		return nil
	})
}

func testPolice(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	verma := talaash.PoliceEntry{Channel: "telegram", Address: "1001", Name: "SI Verma", Station: "Kalyanpur", Lang: "hi", Enrolled: base}
	gone := talaash.PoliceEntry{Channel: "sms", Address: "+919800000001", Enrolled: base, Revoked: base.Add(time.Hour)}
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.Police("telegram", "1001")
		code(t, "unknown officer", err, talaash.ENOTFOUND)
		code(t, "no address", tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram"}), talaash.EINVALID)
		for _, e := range []talaash.PoliceEntry{verma, gone, {Channel: "telegram", Address: "1002"}} {
			if err := tx.PutPolice(&e); err != nil {
				return err
			}
		}
		must(t, tx.DeletePolice("telegram", "nobody"))
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		e, err := tx.Police("telegram", "1001")
		if err != nil || e.Name != verma.Name || e.Station != verma.Station || e.Lang != "hi" || !e.Enrolled.Equal(base) || !e.Active() || e.ID() != "telegram:1001" {
			t.Errorf("Police(telegram, 1001) = %+v %v", e, err)
		}
		if e, err := tx.Police("sms", "+919800000001"); err != nil || e.Active() || !e.Revoked.Equal(gone.Revoked) {
			t.Errorf("revoked entry = %+v %v", e, err)
		}
		return nil
	})
	// EachPolice is in channel, then address order, and fn may write.
	var ids []string
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.EachPolice(func(e *talaash.PoliceEntry) error {
			ids = append(ids, e.ID())
			if e.Address == "1002" {
				return tx.DeletePolice(e.Channel, e.Address)
			}
			return nil
		})
	}))
	if fmt.Sprint(ids) != "[sms:+919800000001 telegram:1001 telegram:1002]" {
		t.Errorf("EachPolice %v", ids)
	}
	db.View(func(tx talaash.Tx) error {
		if _, err := tx.Police("telegram", "1002"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("deleted entry: %v", err)
		}
		return nil
	})
}

func testStopped(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	const phone = "+919812345678"
	must(t, db.Update(func(tx talaash.Tx) error {
		if ok, err := tx.Stopped("sms", phone); ok || err != nil {
			t.Errorf("stopped before STOP: %v %v", ok, err)
		}
		must(t, tx.PutStopped("sms", phone, base))
		must(t, tx.PutStopped("telegram", "5", base))
		must(t, tx.DeleteStopped("telegram", "5"))
		must(t, tx.DeleteStopped("telegram", "nobody"))
		code(t, "PutStopped without address", tx.PutStopped("sms", "", base), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		for _, c := range []struct {
			ch, addr string
			want     bool
		}{{"sms", phone, true}, {"whatsapp", phone, false}, {"telegram", "5", false}, {"sms", "+91981234567", false}} {
			if ok, err := tx.Stopped(c.ch, c.addr); ok != c.want || err != nil {
				t.Errorf("Stopped(%s, %s) = %v %v", c.ch, c.addr, ok, err)
			}
		}
		return nil
	})
}

func testAttempts(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	const k = "enrol:telegram:5"
	must(t, db.Update(func(tx talaash.Tx) error {
		if a, err := tx.Attempts(k); err != nil || a.Count != 0 || !a.Since.IsZero() {
			t.Errorf("no attempts: %+v %v", a, err)
		}
		must(t, tx.PutAttempts(k, talaash.Attempts{Since: base, Count: 3}))
		must(t, tx.PutAttempts("enrol:telegram:6", talaash.Attempts{Since: base, Count: 1}))
		must(t, tx.DeleteAttempts("enrol:telegram:6"))
		code(t, "PutAttempts without key", tx.PutAttempts("", talaash.Attempts{Count: 1}), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		if a, err := tx.Attempts(k); err != nil || a.Count != 3 || !a.Since.Equal(base) {
			t.Errorf("attempts: %+v %v", a, err)
		}
		if a, _ := tx.Attempts("enrol:telegram:6"); a.Count != 0 {
			t.Errorf("deleted attempts: %+v", a)
		}
		return nil
	})
}

func testSent(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	const key = "alert:K-4821-5|S1:photo:0" // keys hold "|" and ":"
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.Sent(key, "telegram", "1001")
		code(t, "never sent", err, talaash.ENOTFOUND)
		must(t, tx.PutSent(&talaash.Sent{Key: key, Channel: "telegram", To: "1001", SentID: "77", At: base, ItemID: 4}))
		must(t, tx.PutSent(&talaash.Sent{Key: "old", Channel: "sms", To: "+919812345678", SentID: "SM1", At: base.Add(-48 * time.Hour)}))
		code(t, "PutSent without key", tx.PutSent(&talaash.Sent{Channel: "sms", To: "+91"}), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		s, err := tx.Sent(key, "telegram", "1001")
		if err != nil || s.Key != key || s.Channel != "telegram" || s.To != "1001" || s.SentID != "77" || !s.At.Equal(base) || s.ItemID != 4 {
			t.Errorf("Sent = %+v %v", s, err)
		}
		if _, err := tx.Sent(key, "telegram", "1002"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("another recipient: %v", err)
		}
		return nil
	})
	must(t, db.Update(func(tx talaash.Tx) error {
		n, err := tx.PruneSent(base.Add(-time.Hour))
		if n != 1 || err != nil {
			t.Errorf("pruned %d %v, want 1", n, err)
		}
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		if _, err := tx.Sent("old", "sms", "+919812345678"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("pruned entry: %v", err)
		}
		if _, err := tx.Sent(key, "telegram", "1001"); err != nil {
			t.Errorf("recent entry pruned: %v", err)
		}
		return nil
	})
}

func testDelivery(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.DeliveryStatus("SM1")
		code(t, "no status", err, talaash.ENOTFOUND)
		must(t, tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SM1", Channel: "sms", Status: "sent", At: base}))
		must(t, tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SM1", Channel: "sms", Status: "undelivered", Code: "30003", At: base.Add(time.Minute)}))
		code(t, "PutDeliveryStatus without id", tx.PutDeliveryStatus(&talaash.DeliveryStatus{Status: "sent"}), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		d, err := tx.DeliveryStatus("SM1")
		if err != nil || d.Status != "undelivered" || d.Code != "30003" || d.Channel != "sms" || !d.At.Equal(base.Add(time.Minute)) {
			t.Errorf("DeliveryStatus = %+v %v", d, err)
		}
		return nil
	})
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "K7", Channel: "sms", Status: "delivered", At: base})
	}))
	db.View(func(tx talaash.Tx) error {
		var ids []string
		must(t, tx.EachDeliveryStatus(func(d *talaash.DeliveryStatus) error { ids = append(ids, d.MessageID+"="+d.Status); return nil }))
		if strings.Join(ids, " ") != "K7=delivered SM1=undelivered" {
			t.Errorf("EachDeliveryStatus = %v", ids)
		}
		return nil
	})
}

func testWeekly(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		if w, err := tx.LastWeekly("K-4821-5"); err != nil || !w.IsZero() {
			t.Errorf("never sent: %v %v", w, err)
		}
		must(t, tx.PutLastWeekly("K-4821-5", base))
		must(t, tx.PutLastWeekly("K-4821-5", base.Add(7*24*time.Hour)))
		code(t, "PutLastWeekly without ref", tx.PutLastWeekly("", base), talaash.EINVALID)
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		if w, err := tx.LastWeekly("k48215"); err != nil || !w.Equal(base.Add(7*24*time.Hour)) {
			t.Errorf("LastWeekly = %v %v", w, err)
		}
		if w, _ := tx.LastWeekly("K-4821"); !w.IsZero() {
			t.Errorf("another ref: %v", w)
		}
		return nil
	})
}

func testAudit(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		code(t, "audit without officer", tx.Audit(&talaash.AuditEntry{Ref: "M1", Action: "view"}), talaash.EINVALID)
		code(t, "audit without ref", tx.Audit(&talaash.AuditEntry{Officer: "telegram:1", Action: "view"}), talaash.EINVALID)
		for i, a := range []string{"view", "confirm", "reunited"} {
			e := &talaash.AuditEntry{Officer: "telegram:1001", At: base.Add(time.Duration(i) * time.Minute), Ref: "K-4821-5", Action: a, Detail: "S1"}
			if err := tx.Audit(e); err != nil {
				return err
			}
		}
		e := &talaash.AuditEntry{Officer: "sms:+919800000001", Ref: "K-4821", Action: "view"}
		must(t, tx.Audit(e))
		if e.At.IsZero() {
			t.Error("Audit left At zero")
		}
		return nil
	}))
	db.View(func(tx talaash.Tx) error {
		var got []string
		must(t, tx.AuditOf("k 48215", func(e *talaash.AuditEntry) error {
			if e.Officer != "telegram:1001" || e.Detail != "S1" || e.Ref != "K-4821-5" {
				t.Errorf("entry %+v", e)
			}
			got = append(got, e.Action+"@"+e.At.UTC().Format("15:04"))
			return nil
		}))
		if fmt.Sprint(got) != "[view@10:00 confirm@10:01 reunited@10:02]" {
			t.Errorf("AuditOf K-4821-5: %v", got)
		}
		n := 0
		must(t, tx.AuditOf("K-4821", func(*talaash.AuditEntry) error { n++; return nil }))
		must(t, tx.AuditOf("nope", func(*talaash.AuditEntry) error { n += 10; return nil }))
		if n != 1 {
			t.Errorf("AuditOf K-4821 and nope: %d entries, want 1", n)
		}
		return nil
	})
}

// Every kind of write rolls back with its transaction.
func testRollbackEntries(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	boom := errors.New("boom")
	err := db.Update(func(tx talaash.Tx) error {
		for _, err := range []error{
			tx.PutAlert(&talaash.Alert{Missing: "M1", Sighting: "S1", State: talaash.AlertPending}),
			tx.PutAlerted("M1", "S1"),
			tx.PutRejected("M1", "S1", "x", base),
			tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1"}),
			tx.PutStopped("sms", "+919812345678", base),
			tx.PutAttempts("k", talaash.Attempts{Count: 1}),
			tx.PutSent(&talaash.Sent{Key: "k", Channel: "sms", To: "+91", At: base}),
			tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: "SM1", Status: "sent"}),
			tx.PutLastWeekly("M1", base),
			tx.Audit(&talaash.AuditEntry{Officer: "telegram:1", Ref: "M1", Action: "view"}),
		} {
			if err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	db.View(func(tx talaash.Tx) error {
		var left []string
		if _, err := tx.Alert("M1", "S1"); err == nil {
			left = append(left, "alert")
		}
		if alertNames(t, func(fn func(*talaash.Alert) error) error { return tx.AlertsOf("M1", fn) }) != "[]" {
			left = append(left, "alert index")
		}
		if ok, _ := tx.Alerted("M1", "S1"); ok {
			left = append(left, "alerted")
		}
		if ok, _ := tx.Rejected("M1", "S1"); ok {
			left = append(left, "rejected")
		}
		if _, err := tx.Police("telegram", "1"); err == nil {
			left = append(left, "police")
		}
		if ok, _ := tx.Stopped("sms", "+919812345678"); ok {
			left = append(left, "stopped")
		}
		if a, _ := tx.Attempts("k"); a.Count != 0 {
			left = append(left, "attempts")
		}
		if _, err := tx.Sent("k", "sms", "+91"); err == nil {
			left = append(left, "sent")
		}
		if _, err := tx.DeliveryStatus("SM1"); err == nil {
			left = append(left, "delivery")
		}
		if w, _ := tx.LastWeekly("M1"); !w.IsZero() {
			left = append(left, "weekly")
		}
		tx.AuditOf("M1", func(*talaash.AuditEntry) error { left = append(left, "audit"); return nil })
		if len(left) > 0 {
			t.Errorf("rolled back, yet kept: %v", left)
		}
		return nil
	})
}
