package storetest

import (
	"testing"
	"time"

	"talaash"
)

func testDeskAccountsSessions(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.DeskAccount("verma")
		code(t, "unknown account", err, talaash.ENOTFOUND)
		code(t, "account without password", tx.PutDeskAccount(&talaash.DeskAccount{Login: "verma"}), talaash.EINVALID)
		must(t, tx.PutDeskAccount(&talaash.DeskAccount{Login: "verma", Password: "h1", Name: "SI Verma", Invite: 3, Created: base}))
		must(t, tx.PutDeskAccount(&talaash.DeskAccount{Login: "singh", Password: "h2", Created: base}))
		for _, h := range []string{"s1", "s2"} {
			must(t, tx.PutDeskSession(&talaash.DeskSession{Hash: h, Login: "verma", CSRF: "c", Created: base, Expires: base.Add(time.Hour)}))
		}
		must(t, tx.PutDeskSession(&talaash.DeskSession{Hash: "s3", Login: "singh", Created: base}))
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		a, err := tx.DeskAccount("verma")
		must(t, err)
		if a.Name != "SI Verma" || a.Invite != 3 || a.Password != "h1" {
			t.Errorf("account %+v", a)
		}
		var logins []string
		must(t, tx.EachDeskAccount(func(a *talaash.DeskAccount) error { logins = append(logins, a.Login); return nil }))
		if len(logins) != 2 || logins[0] != "singh" {
			t.Errorf("accounts %v: want singh, verma", logins)
		}
		s, err := tx.DeskSession("s1")
		must(t, err)
		if s.Login != "verma" || !s.Expires.Equal(base.Add(time.Hour)) {
			t.Errorf("session %+v", s)
		}
		n, err := tx.DeleteDeskSessions("verma")
		must(t, err)
		if n != 2 {
			t.Errorf("deleted %d sessions of verma, want 2", n)
		}
		_, err = tx.DeskSession("s2")
		code(t, "session of a logged-out login", err, talaash.ENOTFOUND)
		must(t, tx.DeleteDeskSession("s3"))
		_, err = tx.DeskSession("s3")
		code(t, "deleted session", err, talaash.ENOTFOUND)
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		must(t, tx.PutDeskSession(&talaash.DeskSession{Hash: "old", Login: "verma", Created: base, Expires: base.Add(time.Hour)}))
		must(t, tx.PutDeskSession(&talaash.DeskSession{Hash: "live", Login: "verma", Created: base, Expires: base.Add(3 * time.Hour)}))
		n, err := tx.PruneDeskSessions(base.Add(2 * time.Hour))
		must(t, err)
		if n != 1 {
			t.Errorf("pruned %d desk sessions, want the 1 expired", n)
		}
		_, err = tx.DeskSession("old")
		code(t, "expired session after pruning", err, talaash.ENOTFOUND)
		if _, err := tx.DeskSession("live"); err != nil {
			t.Errorf("live session pruned: %v", err)
		}
		return nil
	}))
}

func testNonces(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	must(t, db.Update(func(tx talaash.Tx) error {
		for i, want := range []bool{true, false} {
			ok, err := tx.UseNonce("n1", base)
			must(t, err)
			if ok != want {
				t.Errorf("use %d of a nonce: %v, want %v", i+1, ok, want)
			}
		}
		ok, err := tx.UseNonce("n2", base.Add(time.Hour))
		must(t, err)
		if !ok {
			t.Error("a second nonce counted as used")
		}
		n, err := tx.PruneNonces(base.Add(time.Minute))
		must(t, err)
		if n != 1 {
			t.Errorf("pruned %d nonces, want 1", n)
		}
		if ok, _ := tx.UseNonce("n2", base); ok {
			t.Error("a kept nonce counted as fresh")
		}
		return nil
	}))
}

func testSummaries(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	var refs []string
	must(t, db.Update(func(tx talaash.Tx) error {
		for i, name := range []string{"Ramesh", "सीता"} {
			r := &talaash.Record{Kind: talaash.KindMissing, Name: name, Place: "Kanpur Central", Time: base,
				Created: base.Add(time.Duration(i) * time.Hour), Test: i == 1}
			must(t, tx.PutRecord(r))
			refs = append(refs, r.Ref)
		}
		return nil
	}))
	var v1, v2, v3 uint64
	must(t, db.View(func(tx talaash.Tx) error { v1 = tx.SummaryVersion(); return nil }))
	must(t, db.Update(func(tx talaash.Tx) error {
		tx.PutSession("s", []byte("{}")) // not a record: the version stays
		return nil
	}))
	must(t, db.View(func(tx talaash.Tx) error { v2 = tx.SummaryVersion(); return nil }))
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.SetStatus(refs[0], talaash.StatusClosed, "test", "duplicate", base)
		return err
	}))
	must(t, db.View(func(tx talaash.Tx) error { v3 = tx.SummaryVersion(); return nil }))
	if v1 != v2 || v3 == v2 {
		t.Errorf("summary versions %d, %d (no record changed), %d (one did): want the last to move only", v1, v2, v3)
	}
	var changed []*talaash.RecordSummary
	must(t, db.View(func(tx talaash.Tx) error {
		return tx.SummaryChanges(v2, func(key string, s *talaash.RecordSummary) error {
			if s != nil && s.Key != key {
				t.Errorf("change under key %q holds summary of key %q", key, s.Key)
			}
			changed = append(changed, s)
			return nil
		})
	}))
	if len(changed) == 0 {
		t.Fatalf("no changes since %d", v2)
	}
	if last := changed[len(changed)-1]; last == nil || last.Ref != refs[0] || last.Status != talaash.StatusClosed {
		t.Errorf("changes since %d: %+v, want the closed record last", v2, changed)
	}
	var got []*talaash.RecordSummary
	must(t, db.View(func(tx talaash.Tx) error {
		return tx.EachSummary(func(s *talaash.RecordSummary) error { got = append(got, s); return nil })
	}))
	if len(got) != 2 {
		t.Fatalf("%d summaries, want 2", len(got))
	}
	if got[0].Ref != refs[1] || got[0].Name != "सीता" || got[0].Kind != talaash.KindMissing || !got[0].Time.Equal(base) || !got[0].Test {
		t.Errorf("newest summary %+v: want the test record's", got[0])
	}
	if got[1].Ref != refs[0] || got[1].Status != talaash.StatusClosed || got[1].Place != "Kanpur Central" || got[1].Test {
		t.Errorf("oldest summary %+v: want the closed status, no test mark", got[1])
	}
}
