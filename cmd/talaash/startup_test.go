package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Start-up: the time from `talaash serve` starting to it serving (/healthz
// 200 and a turn answered), and to its matcher being loaded, on a
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
	var serving, loaded []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, l := startOnce(b, db)
		serving, loaded = append(serving, s), append(loaded, l)
		b.Logf("%d records: serving (healthz 200, a turn answered) after %v, matcher loaded after %v", n, s, l)
	}
	b.StopTimer()
	median := func(d []time.Duration) float64 {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return float64(d[len(d)/2].Milliseconds())
	}
	b.ReportMetric(median(serving), "ms-to-serve")
	b.ReportMetric(median(loaded), "ms-to-loaded")
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

// startOnce runs serve on db until /healthz answers 200 and a simulator
// turn is answered (serving), then until the matcher has loaded, and stops it.
func startOnce(b *testing.B, db string) (serving, loaded time.Duration) {
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
	var url string
	select {
	case addr := <-listening:
		url = "http://" + addr
	case err := <-done:
		b.Fatalf("serve ended at start: %v", err)
	case <-time.After(10 * time.Minute):
		b.Fatal("serve did not start")
	}
	health := func() (int, string) {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(body)
	}
	for code, body := health(); code != http.StatusOK; code, body = health() {
		if time.Since(start) > 10*time.Minute {
			b.Fatalf("healthz: %d %s", code, body)
		}
		time.Sleep(time.Millisecond)
	}
	resp, err := http.Post(url+"/sim/api/send", "application/json", strings.NewReader(`{"role":"parent","text":"hi"}`))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b.Fatalf("a turn at start: %s", resp.Status)
	}
	serving = time.Since(start)
	for _, body := health(); strings.Contains(body, `"loading"`); _, body = health() {
		if time.Since(start) > 10*time.Minute {
			b.Fatal("the matcher did not load")
		}
		time.Sleep(5 * time.Millisecond)
	}
	loaded = time.Since(start)
	if m.Matcher.Len() == 0 {
		b.Fatal("the matcher holds no records")
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	m.Close()
	return serving, loaded
}
