package cases_test

import (
	"os"
	"sync"
	"testing"

	"talaash"
	"talaash/cases"
	"talaash/cases/casestest"
	"talaash/store/pgtest"
	"talaash/store/postgres"
)

// replica is one process's matching over a shared store: its own matcher,
// alerts counted with the others'.
func replica(t *testing.T, db talaash.Store, mu *sync.Mutex, alerts *[]talaash.Candidate) *cases.Service {
	t.Helper()
	svc := &cases.Service{
		Matcher: &casestest.Matcher{},
		Decide: func(list []talaash.Candidate) {
			if len(list) > 0 && list[0].Score >= 0.99 {
				list[0].Alert = true
			}
		},
		OnAlert: func(tx talaash.Tx, c talaash.Candidate) error {
			// Counted once the alert commits: a transaction the store ran
			// again, or rolled back, alerted nobody.
			tx.OnCommit(func() {
				mu.Lock()
				*alerts = append(*alerts, c)
				mu.Unlock()
			})
			return nil
		},
	}
	if err := svc.Load(db); err != nil {
		t.Fatal(err)
	}
	return svc
}

// ConcurrentSaves is two replicas each saving one of two matching records at
// the same moment: neither matcher held the other's record when it matched,
// so neither save alerts; following each other's records, the replicas
// compare the pair, and it is alerted once.
func ConcurrentSaves(t *testing.T, db talaash.Store) {
	var mu sync.Mutex
	var alerts []talaash.Candidate
	a, b := replica(t, db, &mu, &alerts), replica(t, db, &mu, &alerts)
	var wg sync.WaitGroup
	for _, s := range []struct {
		svc *cases.Service
		r   *talaash.Record
	}{{a, rec("M1", talaash.KindMissing, "red shirt")}, {b, rec("S1", talaash.KindSighting, "red shirt")}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := db.Update(func(tx talaash.Tx) error { return s.svc.Save(tx, s.r, true) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	mu.Lock()
	atSave := len(alerts)
	mu.Unlock()
	// Both follow at once, as replicas do.
	for _, svc := range []*cases.Service{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.CatchUp(db); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := a.CatchUp(db); err != nil { // nothing more to do
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Missing != "M1" || alerts[0].Sighting != "S1" {
		t.Fatalf("alerts %+v (%d at the saves), want M1|S1 once", alerts, atSave)
	}
	if l := list(t, db, "M1"); len(l) != 1 || l[0].Sighting != "S1" || !l[0].Alert {
		t.Errorf("M1's candidates %+v", l)
	}
	if l := list(t, db, "S1"); len(l) != 1 || l[0].Missing != "M1" || !l[0].Alert {
		t.Errorf("S1's candidates %+v", l)
	}
	// Each matcher now holds the other's record.
	if got := a.Matcher.Match(rec("S9", talaash.KindSighting, "red"), 10); len(got) != 1 {
		t.Errorf("a's matcher holds %d missing records, want M1", len(got))
	}
	if got := b.Matcher.Match(rec("M9", talaash.KindMissing, "red shirt"), 10); len(got) != 1 {
		t.Errorf("b's matcher holds %d sightings, want S1", len(got))
	}
}

func TestConcurrentSaves(t *testing.T) {
	db, _, _ := setup(t)
	ConcurrentSaves(t, db)
}

// A record closed on one replica leaves the other's matcher; a replica that
// saved nothing itself does not match again what others saved (they did).
func TestFollowClosed(t *testing.T) {
	db, _, _ := setup(t)
	var mu sync.Mutex
	var alerts []talaash.Candidate
	a, b := replica(t, db, &mu, &alerts), replica(t, db, &mu, &alerts)
	save(t, db, a, rec("M1", talaash.KindMissing, "red shirt"), true)
	save(t, db, a, rec("S1", talaash.KindSighting, "red shirt"), true)
	if err := b.CatchUp(db); err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 {
		t.Fatalf("%d alerts, want 1 (a's own save)", len(alerts))
	}
	if got := b.Matcher.Match(rec("S9", talaash.KindSighting, "red shirt"), 10); len(got) != 1 {
		t.Fatalf("b does not hold M1: %v", got)
	}
	closed := rec("M1", talaash.KindMissing, "red shirt")
	closed.Status = talaash.StatusClosed
	save(t, db, a, closed, true)
	if err := b.CatchUp(db); err != nil {
		t.Fatal(err)
	}
	if got := b.Matcher.Match(rec("S9", talaash.KindSighting, "red shirt"), 10); len(got) != 0 {
		t.Fatalf("b still holds the closed M1: %v", got)
	}
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// On PostgreSQL the two saves and the two followers' transactions run at
// the same time for real: the second alert conflicts and does nothing.
func TestConcurrentSavesPostgres(t *testing.T) {
	for range 5 {
		db, err := postgres.Open(pgtest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		ConcurrentSaves(t, db)
		db.Close()
	}
}
