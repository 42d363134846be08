package main

import (
	"testing"

	"talaash"
	"talaash/cases"
	"talaash/store/bolt"
)

// faultStore is a talaash.Store whose transactions refuse to store one ref,
// as a failing matcher or disk would, and count what import asks of them.
type faultStore struct {
	talaash.Store
	refuse  string // PutRecord of this ref fails with ECONFLICT
	updates int    // Update calls: one per committed batch or retried record
	alerts  int    // PutAlert calls: alerts queued
}

func (s *faultStore) Update(fn func(tx talaash.Tx) error) error {
	s.updates++
	return s.Store.Update(func(tx talaash.Tx) error { return fn(faultTx{tx, s}) })
}

// Batch refuses the same, so turns meet the fault as import does.
func (s *faultStore) Batch(fn func(tx talaash.Tx) error) error {
	return s.Store.Batch(func(tx talaash.Tx) error { return fn(faultTx{tx, s}) })
}

type faultTx struct {
	talaash.Tx
	s *faultStore
}

func (tx faultTx) PutRecord(r *talaash.Record) error {
	if tx.s.refuse != "" && r.Ref == tx.s.refuse {
		return talaash.Errorf(talaash.ECONFLICT, "%s refused", r.Ref)
	}
	return tx.Tx.PutRecord(r)
}

func (tx faultTx) PutAlert(a *talaash.Alert) error {
	tx.s.alerts++
	return tx.Tx.PutAlert(a)
}

// withFaultStore makes Main use s over the bbolt file path.
func withFaultStore(t testing.TB, path string, s *faultStore) func(*Main) {
	return func(m *Main) {
		db, err := bolt.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s.Store = db
		m.DB = s
	}
}

// noMatch is a matcher that finds nothing: import then only stores.
type noMatch struct{}

func (noMatch) Add(*talaash.Record)                            {}
func (noMatch) Remove(string)                                  {}
func (noMatch) Match(*talaash.Record, int) []talaash.Candidate { return nil }

// storeOnly makes import store records without matching them.
func storeOnly(m *Main) { m.Cases = &cases.Service{Matcher: noMatch{}} }

// pairWith is a matcher that pairs every missing record with the sighting
// ref, as an alert.
type pairWith string

func (pairWith) Add(*talaash.Record) {}
func (pairWith) Remove(string)       {}
func (p pairWith) Match(r *talaash.Record, _ int) []talaash.Candidate {
	if r.Kind != talaash.KindMissing {
		return nil
	}
	return []talaash.Candidate{{Missing: r.Ref, Sighting: string(p), Score: 9, Alert: true}}
}
