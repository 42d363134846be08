package cases_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"talaash"
	"talaash/cases"
	"talaash/devdata"
	"talaash/match"
	"talaash/store/bolt"
)

// devRecords reads the first n records of the development set, whose
// kinds alternate in short runs as a real bulk load does.
func devRecords(t *testing.T, n int) []*talaash.Record {
	t.Helper()
	f, err := os.Open(devdata.CasesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*talaash.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && len(out) < n {
		r := new(talaash.Record)
		if err := json.Unmarshal(sc.Bytes(), r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// realService is matching as talaash runs it: the real matcher and Decide,
// with every OnAlert call written down.
func realService(t *testing.T) (talaash.Store, *cases.Service, *[]string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mt, err := match.New(match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var alerted []string
	svc := &cases.Service{Matcher: mt, Decide: match.Decide,
		OnAlert: func(tx talaash.Tx, c talaash.Candidate) error {
			alerted = append(alerted, cases.PairKey(c.Missing, c.Sighting))
			return nil
		}}
	return db, svc, &alerted
}

func allLists(t *testing.T, db talaash.Store) map[string][]talaash.Candidate {
	t.Helper()
	out := map[string][]talaash.Candidate{}
	err := db.View(func(tx talaash.Tx) error {
		return tx.EachCandidates(func(ref string, list []talaash.Candidate) error {
			if len(list) > 0 {
				out[ref] = list
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSaveBatchSameAsSave loads the same stream of records twice, once by
// Save one record at a time and once by SaveBatch, in transactions of 60, and
// wants the very same candidate lists (order, scores, reasons, alert flags),
// alerts and stored records. The stream mixes in what SaveBatch must hand to
// Save or split on: edits, a ref typed another way, a ref twice in one
// transaction, a record closed, a record changing side, a rejected pair.
func TestSaveBatchSameAsSave(t *testing.T) {
	dev := devRecords(t, 300)
	edit := func(i int, f func(r *talaash.Record)) *talaash.Record {
		cp := *dev[i]
		f(&cp)
		return &cp
	}
	stream := append([]*talaash.Record{}, dev[:150]...)
	stream = append(stream,
		edit(3, func(r *talaash.Record) { r.Clothes = "red shirt, blue jeans" }),
		edit(10, func(r *talaash.Record) { r.Ref = fmt.Sprintf("  %s ", lower(r.Ref)); r.Marks = "mole on left cheek" }),
		edit(20, func(r *talaash.Record) { r.Status = talaash.StatusClosed }),
		edit(40, func(r *talaash.Record) { r.Place = "Kanpur Central" }),
		edit(40, func(r *talaash.Record) { r.Place = "Barra" }), // the same ref again, same transaction
	)
	stream = append(stream, dev[150:230]...)
	flip := edit(5, func(r *talaash.Record) {
		if r.Kind == talaash.KindMissing {
			r.Kind = talaash.KindFound
		} else {
			r.Kind = talaash.KindMissing
		}
	})
	stream = append(stream, flip, edit(7, func(r *talaash.Record) { r.Status = talaash.StatusReunited }))
	stream = append(stream, dev[230:]...)

	type run struct {
		db      talaash.Store
		svc     *cases.Service
		alerted *[]string
	}
	var runs [2]run
	for k := range runs {
		db, svc, alerted := realService(t)
		runs[k] = run{db, svc, alerted}
		for start := 0; start < len(stream); start += 60 {
			// Fresh copies: saving writes to the record (ID, times, ref form).
			var batch []*talaash.Record
			for _, r := range stream[start:min(start+60, len(stream))] {
				cp := *r
				batch = append(batch, &cp)
			}
			err := db.Update(func(tx talaash.Tx) error {
				if k == 1 {
					return svc.SaveBatch(tx, batch, true)
				}
				for _, r := range batch {
					if err := svc.Save(tx, r, true); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatalf("run %d at %d: %v", k, start, err)
			}
			if start == 120 { // police reject the best pair of the first sighting with candidates
				if err := rejectFirst(db, svc); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	want, got := allLists(t, runs[0].db), allLists(t, runs[1].db)
	full, alerts := 0, 0
	for ref, l := range want {
		if len(l) == cases.Keep {
			full++
		}
		for _, c := range l {
			if c.Alert {
				alerts++
			}
		}
		if !reflect.DeepEqual(l, got[ref]) {
			t.Errorf("%s: Save kept\n%+v\nSaveBatch kept\n%+v", ref, l, got[ref])
		}
	}
	for ref := range got {
		if _, ok := want[ref]; !ok {
			t.Errorf("%s: SaveBatch kept %+v, Save nothing", ref, got[ref])
		}
	}
	// The comparison means something only if lists filled up and alerts fired.
	if len(want) < 200 || full < 50 || alerts == 0 || len(*runs[0].alerted) == 0 {
		t.Errorf("weak test set: %d lists, %d full, %d alert flags, %d alerts", len(want), full, alerts, len(*runs[0].alerted))
	}
	if !reflect.DeepEqual(*runs[0].alerted, *runs[1].alerted) {
		t.Errorf("alerts differ:\nSave      %v\nSaveBatch %v", *runs[0].alerted, *runs[1].alerted)
	}
	var recs [2]map[string]string
	for k := range runs {
		recs[k] = map[string]string{}
		runs[k].db.View(func(tx talaash.Tx) error {
			return tx.EachRecord(func(r *talaash.Record) error {
				recs[k][r.Ref] = fmt.Sprint(r.ID, r.Kind, r.Status, r.Clothes, r.Place, r.Marks)
				return nil
			})
		})
	}
	if len(recs[0]) != 300 || !reflect.DeepEqual(recs[0], recs[1]) {
		t.Errorf("stored records differ (%d and %d)", len(recs[0]), len(recs[1]))
	}
	// The closed and reunited records left every list; the one that changed
	// side is matched against its new counterparts.
	for _, ref := range []string{dev[20].Ref, dev[7].Ref} {
		for owner, l := range got {
			for _, c := range l {
				if c.Missing == ref || c.Sighting == ref {
					t.Errorf("%s left matching but is on %s's list", ref, owner)
				}
			}
		}
	}
	if l := got[flip.Ref]; len(l) == 0 || (l[0].Missing == flip.Ref) != (flip.Kind == talaash.KindMissing) {
		t.Errorf("%s changed side; its list is %+v", flip.Ref, l)
	}
}

// rejectFirst rejects the best pair on the list of the lowest-ordered sighting
// that has one, the same pair in both runs if their lists agree.
func rejectFirst(db talaash.Store, svc *cases.Service) error {
	return db.Update(func(tx talaash.Tx) error {
		var pick *talaash.Candidate
		err := tx.EachCandidates(func(ref string, list []talaash.Candidate) error {
			if pick == nil && len(list) > 0 && list[0].Sighting == ref {
				pick = &list[0]
			}
			return nil
		})
		if err != nil || pick == nil {
			return fmt.Errorf("no pair to reject (%v)", err)
		}
		return svc.Reject(tx, pick.Missing, pick.Sighting, "test")
	})
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// A failing hook fails the whole batch: nothing of it is stored, no alert is
// marked, and the matching goroutines are gone when SaveBatch returns (the
// race detector and the leak of a blocked send would show otherwise).
func TestSaveBatchFailureRollsBack(t *testing.T) {
	db, svc, _ := realService(t)
	svc.OnAlert = func(tx talaash.Tx, c talaash.Candidate) error { return talaash.Errorf(talaash.EFAILED, "boom") }
	err := db.Update(func(tx talaash.Tx) error { return svc.SaveBatch(tx, devRecords(t, 300), true) })
	if talaash.ErrorCode(err) != talaash.EFAILED {
		t.Fatalf("err = %v, want the hook's", err)
	}
	db.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 0 {
			t.Errorf("%d records stored by a failed batch", n)
		}
		return nil
	})
	if l := allLists(t, db); len(l) != 0 {
		t.Errorf("lists stored by a failed batch: %d", len(l))
	}
	// The same records again, hook mended: all stored, stale matcher entries
	// of the failed attempt replaced.
	svc.OnAlert = nil
	if err := db.Update(func(tx talaash.Tx) error { return svc.SaveBatch(tx, devRecords(t, 300), true) }); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx talaash.Tx) error {
		if n := tx.CountRecords(); n != 300 {
			t.Errorf("%d records after the retry, want 300", n)
		}
		return nil
	})
}
