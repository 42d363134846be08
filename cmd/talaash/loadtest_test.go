package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"talaash"
)

// TestLoadtest runs `talaash loadtest` briefly against the real program:
// every request is answered 200 and every message (a one-message sighting)
// makes exactly one record, also when Twilio retries messages concurrently.
func TestLoadtest(t *testing.T) {
	s := newService(t)
	s.start(nil)
	env := s.env()

	const n = 200
	r := runLoadtestCmd(t, env, "loadtest", "--count", fmt.Sprint(n), "--concurrency", "16", "--body", sightingText, "--json")
	if r.code != 0 {
		t.Fatalf("loadtest exit %d: %s", r.code, r.stderr)
	}
	var res loadResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("loadtest output %q: %v", r.stdout, err)
	}
	if res.Requests != n || res.OK != n || res.Errors != 0 || len(res.Status) != 0 || res.PerSecond <= 0 || res.P99ms < res.P50ms {
		t.Fatalf("loadtest result %+v", res)
	}
	reporters := map[string]int{}
	s.view(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error { reporters[r.Address]++; return nil })
	})
	if len(reporters) != n {
		t.Errorf("%d senders have records, want %d", len(reporters), n)
	}
	for a, c := range reporters {
		if c != 1 {
			t.Errorf("sender %s has %d records, want 1", talaash.MaskPhone(a), c)
		}
	}

	// Retries of one MessageSid arriving together (so likely sharing a
	// commit) still make one record each.
	const distinct, copies = 60, 3
	target := "http://" + s.addr + "/twilio/sms"
	client := &http.Client{Timeout: loadRequestTimeout}
	var wg sync.WaitGroup
	work := make(chan url.Values)
	var mu sync.Mutex
	bad := 0
	for w := 0; w < 24; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for form := range work {
				if st, err := post(context.Background(), client, target, e2eToken, form); err != nil || st != http.StatusOK {
					mu.Lock()
					bad++
					mu.Unlock()
				}
			}
		}()
	}
	for c := 0; c < copies; c++ {
		for i := 0; i < distinct; i++ {
			work <- url.Values{"MessageSid": {fmt.Sprintf("SM%032d", 900000+i)}, "AccountSid": {e2eAccount},
				"From": {fmt.Sprintf("+91700000%04d", i)}, "To": {e2eFrom}, "Body": {sightingText}, "NumMedia": {"0"}}
		}
	}
	close(work)
	wg.Wait()
	if bad != 0 {
		t.Errorf("%d retried webhooks not answered 200", bad)
	}
	if got := s.countRecords(); got != n+distinct {
		t.Errorf("%d records after %d messages sent %d times each, want %d", got, distinct, copies, n+distinct)
	}
}

func TestLoadtestRefuses(t *testing.T) {
	env := map[string]string{"TWILIO_AUTH_TOKEN": e2eToken, "TALAASH_PUBLIC_URL": "http://127.0.0.1:1"}
	for _, args := range [][]string{
		{"loadtest", "--url", "http://example.com", "--count", "1"},
		{"loadtest", "--url", "http://10.1.2.3:8080", "--count", "1"},
		{"loadtest", "--count", "1", "--concurrency", "0"},
		{"loadtest", "--count", "2000000"},
		{"loadtest", "--duration", "11m"},
	} {
		if r := runLoadtestCmd(t, env, args...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := runLoadtestCmd(t, map[string]string{"TALAASH_PUBLIC_URL": "http://127.0.0.1:1"}, "loadtest", "--count", "1"); r.code != 2 || !strings.Contains(r.stderr, "TWILIO_AUTH_TOKEN") {
		t.Errorf("without a token: exit %d %s", r.code, r.stderr)
	}
	// Nothing listens there: every request fails, the run still ends.
	r := runLoadtestCmd(t, env, "loadtest", "--count", "3", "--concurrency", "2")
	if r.code != 0 || !strings.Contains(r.stdout, "requests 3") || !strings.Contains(r.stdout, "3 errors") {
		t.Errorf("no service: exit %d %q %s", r.code, r.stdout, r.stderr)
	}
}

// runLoadtestCmd runs the program with env as its whole environment.
func runLoadtestCmd(t testing.TB, env map[string]string, args ...string) run {
	m := NewMain()
	var out, errb bytes.Buffer
	m.Stdout, m.Stderr = &out, &errb
	m.Logger = slog.New(slog.NewTextHandler(&errb, nil))
	m.Getenv = func(k string) string { return env[k] }
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return run{code: exitCode(&errb, err), stdout: out.String(), stderr: errb.String()}
}

// BenchmarkInboundTurns is signed SMS webhooks ("hi" from a new sender: a
// session and a seen id per turn) at 32 concurrent senders against the real
// program, its bbolt file on disk under the test's temp folder. Run with
// -benchtime=20000x; it reports turns/s and p50/p99.
func BenchmarkInboundTurns(b *testing.B) { benchInbound(b, "hi") }

// BenchmarkInboundSightings is the same with one-message sightings: each turn
// also stores and matches a record.
func BenchmarkInboundSightings(b *testing.B) { benchInbound(b, sightingText) }

func benchInbound(b *testing.B, body string) {
	benchInboundOn(b, serveForBench(b), body)
}

// benchInboundOn loads the service env runs with benchConcurrency senders.
func benchInboundOn(b *testing.B, env map[string]string, body string) {
	cpu0 := cpuTime()
	b.ResetTimer()
	res, err := runLoad(context.Background(), loadConfig{
		URL: env["TALAASH_PUBLIC_URL"], Token: env["TWILIO_AUTH_TOKEN"], Account: e2eAccount, To: e2eFrom,
		Body: body, Concurrency: benchConcurrency, Count: b.N,
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if res.OK != b.N {
		b.Fatalf("%d of %d answered 200: %+v", res.OK, b.N, res)
	}
	b.ReportMetric(res.PerSecond, "turns/s")
	b.ReportMetric(res.P50ms, "p50-ms")
	b.ReportMetric(res.P99ms, "p99-ms")
	// On a shared machine wall-clock rates swing with the neighbours' load;
	// CPU time per turn (this process: the service and the senders) does not.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/turn")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serveForBench runs `talaash serve` with SMS on a fresh database until the
// benchmark ends, and returns its environment.
func serveForBench(b *testing.B) map[string]string {
	b.Helper()
	return serveForBenchOn(b, filepath.Join(b.TempDir(), "talaash.db"))
}

// serveForBenchOn is serveForBench on the database db (a file or a DSN).
func serveForBenchOn(b *testing.B, db string) map[string]string {
	b.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid": "SM00000000000000000000000000000000", "status": "queued"}`)
	}))
	b.Cleanup(api.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := map[string]string{
		"TALAASH_DB":         db,
		"TALAASH_LISTEN":     addr,
		"TALAASH_PUBLIC_URL": "http://" + addr,
		"TWILIO_ACCOUNT_SID": e2eAccount,
		"TWILIO_AUTH_TOKEN":  e2eToken,
		"TWILIO_FROM":        e2eFrom,
		"TWILIO_API_URL":     api.URL,
	}
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	b.Cleanup(func() { slog.SetDefault(prev) })
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, io.Discard
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Getenv = func(k string) string { return env[k] }
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case <-listening:
	case err := <-done:
		b.Fatalf("serve ended at start: %v", err)
	case <-time.After(2 * time.Minute): // loading 100k records takes a while
		b.Fatal("serve did not start")
	}
	b.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			b.Error("serve did not stop")
		}
		m.Close()
	})
	return env
}

// benchConcurrency is how many senders the inbound benchmarks run.
var benchConcurrency = 32
