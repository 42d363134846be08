package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talaash"
)

// synthetic returns n records in the record format, shaped like the development set.
func synthetic(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []string{"missing", "missing", "missing", "sighting", "found"}
	clothes := []string{"red shirt, blue jeans", "लाल कमीज़ और नीली जींस", "safed kurta, kala pajama", "green frock"}
	places := []string{"Kanpur Central", "स्वरूप नगर", "Barra", "Kidwai Nagar", "Jhakarkati bus stand"}
	var b strings.Builder
	t0 := time.Date(2025, 6, 1, 0, 0, 0, 0, time.FixedZone("", 19800))
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"ref":"X%07d","kind":%q,"language":"en","name":"Child %d","gender":"male","age":%d,"complexion":"wheatish","clothes":%q,"marks":"mole on left cheek","place":%q,"lat":26.4%d,"lon":80.3%d,"time":%q,"contact":{"name":"guardian","phone":"+9198%08d"}}`+"\n",
			i, kinds[i%len(kinds)], i, 2+rng.IntN(16), clothes[rng.IntN(len(clothes))], places[rng.IntN(len(places))],
			rng.IntN(1000), rng.IntN(1000), t0.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), rng.IntN(1e8))
	}
	return b.String()
}

// BenchmarkImport100k imports 100,000 synthetic records into a fresh database
// per iteration, with durable commits of 1000 records each, storing only. Run
// with -benchtime=1x; the target is under 10 s on 2 cores.
func BenchmarkImport100k(b *testing.B) { benchImport(b, 100_000, false) }

// BenchmarkImportMatched100k is the same import with every record matched
// against those before it and its candidates kept, as `talaash import` does.
func BenchmarkImportMatched100k(b *testing.B) { benchImport(b, 100_000, true) }

func BenchmarkImportMatched10k(b *testing.B) { benchImport(b, 10_000, true) }

func benchImport(b *testing.B, n int, matched bool) {
	data := synthetic(n)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := filepath.Join(b.TempDir(), "talaash.db")
		m := NewMain()
		m.Stdin, m.Stdout, m.Stderr = strings.NewReader(data), io.Discard, io.Discard
		m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		m.Getenv = func(k string) string { return map[string]string{"TALAASH_DB": db}[k] }
		if !matched {
			storeOnly(m)
		}
		b.StartTimer()
		start := time.Now()
		if err := m.Run(context.Background(), []string{"import", "-"}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
		b.StopTimer()
		m.DB.View(func(tx talaash.Tx) error {
			if c := tx.CountRecords(); c != n {
				b.Fatalf("%d records stored, want %d", c, n)
			}
			return nil
		})
		m.Close()
		b.StartTimer()
	}
}

// BenchmarkLookupByRef finds records by ref, typed as people type them, in a
// database of 100,000.
func BenchmarkLookupByRef(b *testing.B) {
	db := filepath.Join(b.TempDir(), "talaash.db")
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(synthetic(100_000)), io.Discard, io.Discard
	m.Getenv = func(k string) string { return map[string]string{"TALAASH_DB": db}[k] }
	if err := m.Run(context.Background(), []string{"import", "-"}); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	b.ResetTimer()
	err := m.DB.View(func(tx talaash.Tx) error {
		for i := 0; i < b.N; i++ {
			ref := fmt.Sprintf("x-%07d", (i*7919)%100_000)
			if _, err := tx.Record(ref); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
