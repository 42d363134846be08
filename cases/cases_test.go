package cases_test

import (
	"path/filepath"
	"testing"
	"time"

	"talaash"
	"talaash/cases"
	"talaash/cases/casestest"
	"talaash/store/bolt"
)

func setup(t *testing.T) (talaash.Store, *cases.Service, *[]talaash.Candidate) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var alerted []talaash.Candidate
	svc := &cases.Service{
		Matcher: &casestest.Matcher{},
		Decide: func(list []talaash.Candidate) {
			if len(list) > 0 && list[0].Score >= 0.99 {
				list[0].Alert = true
			}
		},
		OnAlert: func(tx talaash.Tx, c talaash.Candidate) error {
			alerted = append(alerted, c)
			return nil
		},
	}
	return db, svc, &alerted
}

func rec(ref string, kind talaash.Kind, clothes string) *talaash.Record {
	return &talaash.Record{Ref: ref, Kind: kind, Clothes: clothes, Language: "en",
		Time: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), Gender: "male", Age: talaash.Num(8)}
}

func save(t *testing.T, db talaash.Store, svc *cases.Service, r *talaash.Record, alerts bool) {
	t.Helper()
	if err := db.Update(func(tx talaash.Tx) error { return svc.Save(tx, r, alerts) }); err != nil {
		t.Fatal(err)
	}
}

func list(t *testing.T, db talaash.Store, ref string) []talaash.Candidate {
	t.Helper()
	var out []talaash.Candidate
	db.View(func(tx talaash.Tx) error {
		var err error
		out, err = tx.Candidates(ref)
		return err
	})
	return out
}

func TestReportAfterSighting(t *testing.T) {
	db, svc, alerted := setup(t)
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt blue jeans"), true)
	if got := list(t, db, "S1"); len(got) != 0 {
		t.Fatalf("sighting alone has candidates %v", got)
	}
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt blue jeans"), true)
	for _, ref := range []string{"S1", "M1"} {
		got := list(t, db, ref)
		if len(got) != 1 || got[0].Missing != "M1" || got[0].Sighting != "S1" || !got[0].Alert {
			t.Errorf("%s candidates = %+v, want the alerted pair M1|S1", ref, got)
		}
	}
	if len(*alerted) != 1 {
		t.Fatalf("alerts = %v, want one", *alerted)
	}
	// Saving again (an edit that keeps the match) does not alert twice.
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt blue jeans cap"), true)
	if len(*alerted) != 1 {
		t.Errorf("pair alerted twice: %v", *alerted)
	}
}

func TestEditedRecordRematched(t *testing.T) {
	db, svc, _ := setup(t)
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt"), true)
	save(t, db, svc, rec("M2", talaash.KindMissing, "green frock"), true)
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt"), true)
	if got := list(t, db, "S1"); len(got) != 1 || got[0].Missing != "M1" {
		t.Fatalf("S1 = %+v", got)
	}
	// The witness corrects the clothes: the old pair leaves both lists.
	save(t, db, svc, rec("S1", talaash.KindSighting, "green frock"), true)
	if got := list(t, db, "S1"); len(got) != 1 || got[0].Missing != "M2" {
		t.Errorf("S1 after edit = %+v, want M2 only", got)
	}
	if got := list(t, db, "M1"); len(got) != 0 {
		t.Errorf("M1 still lists %+v", got)
	}
}

func TestClosedRecordNotOffered(t *testing.T) {
	db, svc, _ := setup(t)
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt"), true)
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt"), true)
	m := rec("M1", talaash.KindMissing, "red shirt")
	m.Status = talaash.StatusClosed
	save(t, db, svc, m, true)
	if got := list(t, db, "S1"); len(got) != 0 {
		t.Errorf("closed M1 still offered to S1: %+v", got)
	}
	save(t, db, svc, rec("S2", talaash.KindSighting, "red shirt"), true)
	if got := list(t, db, "S2"); len(got) != 0 {
		t.Errorf("closed M1 offered to a new sighting: %+v", got)
	}
}

func TestRejectedPairNeverAgain(t *testing.T) {
	db, svc, alerted := setup(t)
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt blue jeans"), true)
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt blue jeans"), true)
	if err := db.Update(func(tx talaash.Tx) error { return svc.Reject(tx, "M1", "S1", "telegram:1") }); err != nil {
		t.Fatal(err)
	}
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt blue jeans"), true)
	if got := list(t, db, "S1"); len(got) != 0 {
		t.Errorf("rejected pair offered again: %+v", got)
	}
	if len(*alerted) != 1 {
		t.Errorf("alerts = %d, want the first one only", len(*alerted))
	}
}

func TestNoAlertsForBulkLoads(t *testing.T) {
	db, svc, alerted := setup(t)
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt blue jeans"), false)
	save(t, db, svc, rec("S1", talaash.KindSighting, "red shirt blue jeans"), false)
	if len(*alerted) != 0 {
		t.Errorf("bulk load queued alerts: %v", *alerted)
	}
	var pairs []talaash.Candidate
	db.View(func(tx talaash.Tx) error {
		return cases.Pairs(tx, func(c talaash.Candidate) error { pairs = append(pairs, c); return nil })
	})
	if len(pairs) != 1 || !pairs[0].Alert {
		t.Errorf("pairs = %+v, want one alert-worthy pair", pairs)
	}
}

func TestRollbackLeavesNoAlert(t *testing.T) {
	db, svc, _ := setup(t)
	save(t, db, svc, rec("M1", talaash.KindMissing, "red shirt blue jeans"), true)
	failing := &cases.Service{Matcher: svc.Matcher, Decide: svc.Decide}
	failing.OnAlert = func(tx talaash.Tx, c talaash.Candidate) error { return talaash.Errorf(talaash.EFAILED, "boom") }
	err := db.Update(func(tx talaash.Tx) error {
		return failing.Save(tx, rec("S1", talaash.KindSighting, "red shirt blue jeans"), true)
	})
	if err == nil {
		t.Fatal("want the hook's error")
	}
	db.View(func(tx talaash.Tx) error {
		if _, err := tx.Record("S1"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("S1 stored despite rollback: %v", err)
		}
		return nil
	})
	// The stale S1 in the matcher is dropped when next met, not offered.
	save(t, db, svc, rec("M2", talaash.KindMissing, "red shirt"), true)
	if got := list(t, db, "M2"); len(got) != 0 {
		t.Errorf("rolled-back S1 offered: %+v", got)
	}
}
