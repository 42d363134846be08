package main

import (
	"path/filepath"
	"testing"

	"talaash/store/pgtest"
)

// BenchmarkStores runs the same measures on a bbolt file and on PostgreSQL
// (a real server on this machine, store/pgtest), side by side in one run:
//
//	Inbound: turns a second and p99 at benchConcurrency (32) senders
//	Sightings100k: one-message sightings (each a record stored and matched)
//	  on a database of 100k records, the matcher holding 90k: the turn's
//	  p50 and p99 are the matching latency as a sender meets it
//	Startup100k: ms from `talaash serve` starting to serving, 100k records
//
// The 100k ones make their database first (a minute or more): select them
// with -bench, e.g. -bench 'Stores/.*/Inbound' for the quick one.
func BenchmarkStores(b *testing.B) {
	stores := []struct {
		name string
		db   func(b *testing.B) string
	}{
		{"bolt", func(b *testing.B) string { return filepath.Join(b.TempDir(), "talaash.db") }},
		{"postgres", func(b *testing.B) string { return pgtest.DSN(b) }},
	}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) {
			b.Run("Inbound", func(b *testing.B) { benchInboundOn(b, serveForBenchOn(b, st.db(b)), "hi") })
			b.Run("Sightings100k", func(b *testing.B) {
				db := importSynthetic(b, st.db(b), 100_000)
				b.ResetTimer()
				benchInboundOn(b, serveForBenchOn(b, db), sightingText)
			})
			b.Run("Startup100k", func(b *testing.B) {
				db := importSynthetic(b, st.db(b), 100_000)
				b.ResetTimer()
				benchStartupOn(b, db, 100_000)
			})
		})
	}
}
