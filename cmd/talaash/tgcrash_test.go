package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram/telegramtest"
	"talaash/store/bolt"
)

// crashChild, set in a child's environment, makes TestCrashChild run the
// program instead of skipping.
const crashChild = "TALAASH_TEST_CRASH_CHILD"

// TestCrashChild is the program itself, run in a child process by the crash
// test: NewMain from the environment and Run, as main does. Run on its own
// it skips.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashChild) != "1" {
		t.Skip("run by TestTelegramWebhookCrash in a child process")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	slog.SetDefault(m.Logger) // as main does
	err := m.Run(ctx, []string{"serve"})
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	os.Exit(exitCode(m.Stderr, err))
}

// child is one run of the program in its own process.
type child struct {
	cmd    *exec.Cmd
	addr   string
	logs   *lockedBuffer
	exited chan struct{} // closed once the process has ended
	err    error         // how it ended
}

// startChild runs `talaash serve` in a new process (this test binary, as
// TestCrashChild) with env on top of a clean environment, and waits until
// it answers /healthz.
func startChild(t *testing.T, env map[string]string, logs *lockedBuffer) *child {
	t.Helper()
	c := &child{addr: freeAddr(t), logs: logs, exited: make(chan struct{})}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	for _, kv := range os.Environ() {
		// Only what the test sets configures the child.
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "TALAASH_") && !strings.HasPrefix(k, "TELEGRAM_") &&
			!strings.HasPrefix(k, "TWILIO_") && !strings.HasPrefix(k, "KANNEL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, crashChild+"=1", "TALAASH_LISTEN="+c.addr, "TALAASH_PUBLIC_URL=http://"+c.addr)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.cmd = cmd
	go func() { c.err = cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() { c.kill() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + c.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		select {
		case <-c.exited:
			t.Fatalf("the program ended at start: %v\n%s", c.err, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program did not start serving\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the process at once, as a crash would: no drain, no close.
func (c *child) kill() {
	c.cmd.Process.Kill() // an error only says it has ended already
	<-c.exited
}

// stop ends the process as SIGTERM does and waits for it.
func (c *child) stop(t *testing.T) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		if c.err != nil {
			t.Fatalf("the program ended with %v\n%s", c.err, c.logs)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the program did not stop on SIGTERM")
	}
}

// TestTelegramWebhookCrash: the program in webhook mode takes Telegram
// updates from 16 concurrent senders and is killed (SIGKILL) in the middle;
// restarted on the same database, it is sent again what got no answer, as
// Telegram resends what it did not see acknowledged. Every update that got a
// 200 is stored, and no update is stored twice.
func TestTelegramWebhookCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program twice")
	}
	const (
		senders   = 16
		total     = 20000 // more than can be posted before the kill
		killAfter = 400   // acknowledged updates before the kill
		secret    = "cr4sh-w3bh00k"
	)
	api := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "talaash.db")
	env := map[string]string{
		"TALAASH_DB":              db,
		"TELEGRAM_BOT_TOKEN":      api.Token,
		"TELEGRAM_API_URL":        api.URL,
		"TELEGRAM_WEBHOOK_SECRET": secret,
		"TALAASH_SIMULATOR":       "off",
	}
	logs := &lockedBuffer{}
	began := time.Now()

	// Update i comes from chat 700000+i: a bystander's one-message sighting,
	// which the core stores as one record of that chat.
	const (
		posted   = 1 // sent, no 200 seen (no answer, an error, a 5xx)
		answered = 2 // got 200
	)
	state := make([]atomic.Int32, total)
	body := func(i int) string {
		return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},`+
			`"from":{"id":%d,"is_bot":false,"first_name":"B","language_code":"en"},"text":"Seen boy about 8 yrs red shirt alone at Kanpur Central, update %d"}}`,
			1+i, 1+i, time.Now().Unix(), 700000+i, 700000+i, i)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	var latMu sync.Mutex
	var latencies []time.Duration // of the 200s before the kill
	var refused atomic.Int64      // answers other than 200
	send := func(addr string, i int) bool {
		t0 := time.Now()
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", strings.NewReader(body(i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		state[i].CompareAndSwap(0, posted)
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			refused.Add(1)
		}
		if resp.StatusCode == http.StatusOK {
			state[i].Store(answered)
			latMu.Lock()
			latencies = append(latencies, time.Since(t0))
			latMu.Unlock()
			return true
		}
		return false
	}

	// Load, then the kill while the senders go on.
	first := startChild(t, env, logs)
	var next, acked atomic.Int64
	var killed atomic.Bool
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !killed.Load() {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				if send(first.addr, i) {
					acked.Add(1)
				}
			}
		}()
	}
	loadStart := time.Now()
	for acked.Load() < killAfter && time.Since(loadStart) < 10*time.Second {
		time.Sleep(time.Millisecond)
	}
	loadTook := time.Since(loadStart)
	killed.Store(true) // no new requests; those in flight meet the kill
	first.kill()
	wg.Wait()
	latMu.Lock()
	lat := append([]time.Duration(nil), latencies...)
	latMu.Unlock()
	slices.Sort(lat)
	var beforeKill, unanswered []int
	for i := range total {
		switch state[i].Load() {
		case answered:
			beforeKill = append(beforeKill, i)
		case posted:
			unanswered = append(unanswered, i)
		}
	}
	if len(beforeKill) < killAfter/2 {
		t.Fatalf("only %d updates acknowledged before the kill\n%s", len(beforeKill), logs)
	}

	// Restart; Telegram posts again what it saw no 200 for.
	second := startChild(t, env, logs)
	work := make(chan int)
	failed := make(chan int, len(unanswered))
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if !send(second.addr, i) {
					failed <- i
				}
			}
		}()
	}
	for _, i := range unanswered {
		work <- i
	}
	close(work)
	wg.Wait()
	close(failed)
	for i := range failed {
		t.Errorf("update %d not acknowledged after the restart", 1+i)
	}
	second.stop(t)

	// What the database holds.
	store, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	perChat := map[string]int{}
	seen := 0
	err = store.View(func(tx talaash.Tx) error {
		for i := range total {
			if _, ok := tx.Seen(talaash.ChannelTelegram, strconv.Itoa(1+i)); ok {
				seen++
			}
		}
		return tx.EachRecord(func(r *talaash.Record) error {
			if r.Channel == talaash.ChannelTelegram {
				perChat[r.Address]++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	lost, twice, stored := 0, 0, 0
	for i := range total {
		n := perChat[strconv.Itoa(700000+i)]
		if n > 1 {
			twice++
		}
		if n > 0 {
			stored++
		}
		if state[i].Load() == answered && n == 0 {
			lost++
			if lost <= 5 {
				t.Errorf("update %d got a 200 and is not stored", 1+i)
			}
		}
		if state[i].Load() == 0 && n > 0 {
			t.Errorf("update %d was never posted and is stored", 1+i)
		}
	}
	t.Logf("%d senders: %d updates acknowledged in %v before SIGKILL (200 after p50 %v, p99 %v), %d posted without an answer; "+
		"after the restart all %d reposted acknowledged (%d of them committed before the kill, answered from the store); %d stored (%d marked seen), %d lost, %d stored twice; %v in all",
		senders, len(beforeKill), loadTook.Round(time.Millisecond), lat[len(lat)/2].Round(100*time.Microsecond),
		lat[len(lat)*99/100].Round(100*time.Microsecond), len(unanswered), len(unanswered),
		strings.Count(logs.String(), "duplicate message answered from the store channel=telegram"), stored, seen, lost, twice, time.Since(began).Round(time.Millisecond))
	if lost > 0 || twice > 0 {
		t.Fatalf("%d acknowledged updates lost, %d stored twice", lost, twice)
	}
	if n := refused.Load(); n > 0 {
		t.Errorf("%d answers other than 200 from a running program", n)
	}
	if want := len(beforeKill) + len(unanswered); stored != want || seen != want {
		t.Fatalf("%d stored, %d seen; want the %d updates that got a 200", stored, seen, want)
	}
	if strings.Contains(logs.String(), "Seen boy") {
		t.Error("the program logged a message's text")
	}
}

// TestTelegramPollingCrash: in long-polling mode the program is killed while
// it works through a batch of updates; the Bot API forgets an update only
// once a getUpdates offset has passed it, and the program moves its offset
// only past committed turns, so after a restart every update is stored once.
func TestTelegramPollingCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the program twice")
	}
	const total, killAfter = 600, 100
	api := telegramtest.NewServer(t)
	for i := range total {
		api.AddUpdate([]byte(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},`+
			`"from":{"id":%d,"is_bot":false,"first_name":"B","language_code":"en"},"text":"Seen girl about 6 yrs pink frock alone at Kanpur Central, update %d"}}`,
			1+i, 1+i, time.Now().Unix(), 800000+i, 800000+i, i)))
	}
	db := filepath.Join(t.TempDir(), "talaash.db")
	env := map[string]string{"TALAASH_DB": db, "TELEGRAM_BOT_TOKEN": api.Token, "TELEGRAM_API_URL": api.URL, "TALAASH_SIMULATOR": "off"}
	logs := &lockedBuffer{}
	first := startChild(t, env, logs)
	waitFor(t, "replies before the kill", 15*time.Second, func() bool { return len(api.Calls("sendMessage")) >= killAfter })
	first.kill()
	// Updates the Bot API would still give again: those the program had
	// not confirmed, taken or not.
	pendingAtKill := api.Pending()
	second := startChild(t, env, logs)
	waitFor(t, "every update confirmed", 20*time.Second, func() bool { return api.Pending() == 0 })
	second.stop(t)

	store, err := bolt.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	perChat := map[string]int{}
	if err := store.View(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error { perChat[r.Address]++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	missing, twice := 0, 0
	for i := range total {
		switch n := perChat[strconv.Itoa(800000+i)]; {
		case n == 0:
			missing++
		case n > 1:
			twice++
		}
	}
	t.Logf("%d updates; SIGKILL after %d replies with %d unconfirmed; after the restart %d missing, %d stored twice",
		total, killAfter, pendingAtKill, missing, twice)
	if missing > 0 || twice > 0 {
		t.Fatalf("%d updates lost, %d stored twice", missing, twice)
	}
}
