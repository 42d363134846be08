package cases_test

import (
	"reflect"
	"sort"
	"testing"

	"talaash"
	"talaash/cases"
	"talaash/match"
)

// heldMatcher keeps the load from adding anything until gate is closed, so
// that saves land while the matcher is still empty.
type heldMatcher struct {
	*match.Matcher
	gate chan struct{}
}

func (h heldMatcher) Prepare(r *talaash.Record) func() {
	<-h.gate
	return h.Matcher.Prepare(r)
}

// TestLoadServingMissesNothing: records saved while the matcher is still
// loading (a closing among them) end with the lists, alerts and index they
// would have had had the service waited for the load: pairs with records not
// yet loaded are found once the load ends, and a record closed meanwhile is
// not put back by the load's older copy.
//
// With crash, the service stops before its load ends and a new one starts on
// the same store: the records saved meanwhile are matched by the new one.
func TestLoadServingMissesNothing(t *testing.T) {
	t.Run("load ends", func(t *testing.T) { testLoadServing(t, false) })
	t.Run("crash during the load", func(t *testing.T) { testLoadServing(t, true) })
}

func testLoadServing(t *testing.T, crash bool) {
	var old, fresh []*talaash.Record
	for i, r := range devRecords(t, 1200) {
		if i%6 == 5 {
			fresh = append(fresh, r)
		} else {
			old = append(old, r)
		}
	}
	var closing *talaash.Record
	for _, r := range old {
		if r.Status.Active() {
			c := *r
			c.Status = talaash.StatusClosed
			closing = &c
			break
		}
	}
	store := func(db talaash.Store) {
		if err := db.Update(func(tx talaash.Tx) error {
			for _, r := range old {
				c := *r
				if err := tx.PutRecord(&c); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	saveFresh := func(db talaash.Store, svc interface {
		Save(talaash.Tx, *talaash.Record, bool) error
	}) {
		for _, r := range append([]*talaash.Record{closing}, fresh...) {
			c := *r
			if err := db.Update(func(tx talaash.Tx) error { return svc.Save(tx, &c, true) }); err != nil {
				t.Fatal(err)
			}
		}
	}

	// What waiting for the load gives.
	wantDB, want, wantAlerts := realService(t)
	store(wantDB)
	if err := want.Load(wantDB); err != nil {
		t.Fatal(err)
	}
	saveFresh(wantDB, want)

	db, svc, alerts := realService(t)
	store(db)
	mt := svc.Matcher.(*match.Matcher)
	held := heldMatcher{mt, make(chan struct{})}
	svc.Matcher = held
	done := svc.LoadServing(db)
	if !svc.Loading() {
		t.Fatal("Loading() is false while the load is held")
	}
	saveFresh(db, svc)
	if n := mt.Len(); n != 0 {
		t.Fatalf("the held load added records: the matcher holds %d", n)
	}
	if crash {
		// The first service never ends its load (its goroutine is let go
		// after the test, before the store closes); a second takes over.
		t.Cleanup(func() { close(held.gate); <-done })
		mt2, err := match.New(match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svc = &cases.Service{Matcher: mt2, Decide: match.Decide, OnAlert: svc.OnAlert}
		mt, done = mt2, svc.LoadServing(db)
	} else {
		close(held.gate)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if svc.Loading() {
		t.Fatal("Loading() after the load ended")
	}

	if got, w := mt.Len(), want.Matcher.(*match.Matcher).Len(); got != w {
		t.Errorf("matcher holds %d records, want %d (the closed one put back?)", got, w)
	}
	if got := mt.Match(closing, 1000); hasRef(got, closing.Ref) {
		t.Errorf("%s, closed during the load, is in the matcher", closing.Ref)
	}
	sort.Strings(*alerts)
	sort.Strings(*wantAlerts)
	if len(*wantAlerts) == 0 {
		t.Fatal("the reference raised no alerts: the test proves nothing")
	}
	if !reflect.DeepEqual(*alerts, *wantAlerts) {
		t.Errorf("alerts %d, want %d:\n got %v\nwant %v", len(*alerts), len(*wantAlerts), *alerts, *wantAlerts)
	}
	got, wl := pairs(allLists(t, db)), pairs(allLists(t, wantDB))
	if !reflect.DeepEqual(got, wl) {
		t.Errorf("lists differ from a full load's: %d pairs, want %d", len(got), len(wl))
	}
}

func hasRef(cs []talaash.Candidate, ref string) bool {
	for _, c := range cs {
		if c.Missing == ref || c.Sighting == ref {
			return true
		}
	}
	return false
}

// pairs is every list as ref -> its pairs with alert flags, in order of score
// then pair, so that ties met in another order compare equal.
func pairs(lists map[string][]talaash.Candidate) map[string][]string {
	out := map[string][]string{}
	for ref, l := range lists {
		var ps []string
		for _, c := range l {
			a := ""
			if c.Alert {
				a = " alert"
			}
			ps = append(ps, c.Missing+"|"+c.Sighting+a)
		}
		sort.Strings(ps)
		out[ref] = ps
	}
	return out
}
