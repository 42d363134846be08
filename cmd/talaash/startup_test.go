package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// Start-up: the time from `talaash serve` starting to it listening, on a
// database of n synthetic records, most of them open (so the matcher loads
// them). BenchmarkStartup1M needs TALAASH_BENCH_1M=1: making its database
// takes minutes. Each iteration is one start and stop; the metric is ms to
// serving. Run with -benchtime=1x (or Nx): the database is made anew for
// every run of the function.
func BenchmarkStartup10k(b *testing.B)  { benchStartup(b, 10_000) }
func BenchmarkStartup100k(b *testing.B) { benchStartup(b, 100_000) }
func BenchmarkStartup1M(b *testing.B) {
	if os.Getenv("TALAASH_BENCH_1M") == "" {
		b.Skip("set TALAASH_BENCH_1M=1 to make a database of a million records")
	}
	benchStartup(b, 1_000_000)
}

func benchStartup(b *testing.B, n int) { benchStartupOn(b, startupDB(b, n), n) }

// benchStartupOn starts serve on db, of n records, b.N times.
func benchStartupOn(b *testing.B, db string, n int) {
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		took = append(took, startOnce(b, db))
		b.Logf("%d records: serving after %v", n, took[len(took)-1])
	}
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "ms-to-serve")
}

// startupDB makes (once per size, in the benchmark's temp folder) a database
// of n records, imported without matching: only its size matters here.
func startupDB(b *testing.B, n int) string {
	b.Helper()
	return importSynthetic(b, filepath.Join(b.TempDir(), "talaash.db"), n)
}

// importSynthetic imports n synthetic records into db (a file or a DSN).
func importSynthetic(b *testing.B, db string, n int) string {
	b.Helper()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeSynthetic(pw, n)) }()
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = pr, io.Discard, io.Discard
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Getenv = func(k string) string { return map[string]string{"TALAASH_DB": db}[k] }
	m.BatchSize = 5000
	storeOnly(m)
	if err := m.Run(context.Background(), []string{"import", "--no-alerts", "-"}); err != nil {
		b.Fatal(err)
	}
	m.Close()
	return db
}

// writeSynthetic writes n records shaped like synthetic's, streaming; one in
// ten is closed, as old cases are.
func writeSynthetic(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := []string{"missing", "missing", "missing", "sighting", "found"}
	clothes := []string{"red shirt, blue jeans", "लाल कमीज़ और नीली जींस", "safed kurta, kala pajama", "green frock"}
	places := []string{"Kanpur Central", "स्वरूप नगर", "Barra", "Kidwai Nagar", "Jhakarkati bus stand"}
	names := []string{"Ravi", "Sonam", "राहुल", "Anjali", "Pooja", "Mohd Arif"}
	t0 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.FixedZone("", 19800))
	for i := 0; i < n; i++ {
		status := "open"
		if i%10 == 9 {
			status = "closed"
		}
		if _, err := fmt.Fprintf(bw, `{"ref":"S%07d","kind":%q,"status":%q,"language":"en","name":"%s %d","gender":"male","age":%d,"complexion":"wheatish","clothes":%q,"marks":"mole on left cheek","place":%q,"lat":26.4%d,"lon":80.3%d,"time":%q,"contact":{"name":"guardian","phone":"+9198%08d"}}`+"\n",
			i, kinds[i%len(kinds)], status, names[rng.IntN(len(names))], i, 2+rng.IntN(16), clothes[rng.IntN(len(clothes))], places[rng.IntN(len(places))],
			rng.IntN(1000), rng.IntN(1000), t0.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), rng.IntN(1e8)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// startOnce runs serve on db until it listens, then stops it.
func startOnce(b *testing.B, db string) time.Duration {
	b.Helper()
	env := map[string]string{"TALAASH_DB": db, "TALAASH_LISTEN": "127.0.0.1:0"}
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Getenv = func(k string) string { return env[k] }
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	var took time.Duration
	select {
	case <-listening:
		took = time.Since(start)
	case err := <-done:
		b.Fatalf("serve ended at start: %v", err)
	case <-time.After(10 * time.Minute):
		b.Fatal("serve did not start")
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	m.Close()
	return took
}
