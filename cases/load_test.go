package cases_test

import (
	"reflect"
	"testing"

	"talaash"
	"talaash/cases"
	"talaash/match"
)

// serialOnly hides Prepare, so Load takes the one-goroutine path.
type serialOnly struct{ talaash.Matcher }

// TestLoadParallelSameAsSerial: the matcher Load fills on every core answers
// every record of the development set exactly as one filled in store order.
func TestLoadParallelSameAsSerial(t *testing.T) {
	db, _, _ := realService(t)
	recs := devRecords(t, 2500)
	for i, r := range recs {
		if i%9 == 4 {
			r.Status = talaash.StatusClosed // not loaded
		}
	}
	if err := db.Update(func(tx talaash.Tx) error {
		for _, r := range recs {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	load := func(parallel bool) *match.Matcher {
		mt, err := match.New(match.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svc := &cases.Service{Matcher: mt}
		if !parallel {
			svc.Matcher = serialOnly{mt}
		}
		if err := svc.Load(db); err != nil {
			t.Fatal(err)
		}
		return mt
	}
	serial, parallel := load(false), load(true)
	if serial.Len() != parallel.Len() || serial.Len() == 0 {
		t.Fatalf("serial holds %d, parallel %d", serial.Len(), parallel.Len())
	}
	for _, r := range recs {
		if a, b := serial.Match(r, cases.Keep), parallel.Match(r, cases.Keep); !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: serial %+v\nparallel %+v", r.Ref, a, b)
		}
	}
}
