package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/store/bolt"
)

// clock is a fake clock; Sleep moves it forward instead of waiting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
func (c *clock) Sleep(ctx context.Context, d time.Duration) error { c.Add(d); return ctx.Err() }

type sent struct {
	msg talaash.Outbound
	at  time.Time
}

// fakeSender records what it sends and answers with the errors queued in errs.
type fakeSender struct {
	mu    sync.Mutex
	clock *clock
	errs  []error
	sent  []sent
	calls int
}

func (f *fakeSender) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		if err != nil {
			return "", err
		}
	}
	at := time.Now()
	if f.clock != nil {
		at = f.clock.Now()
	}
	f.sent = append(f.sent, sent{m, at})
	return fmt.Sprintf("msg-%d", len(f.sent)), nil
}

func (f *fakeSender) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.sent) }

func openDB(t *testing.T) (talaash.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "talaash.db")
	db, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func enqueue(t *testing.T, db talaash.Store, now time.Time, key, channel, to, text string) uint64 {
	t.Helper()
	it := &talaash.OutboxItem{Kind: "alert", Key: key, Msg: talaash.Outbound{Channel: channel, To: to, Text: text}, Due: now, Created: now}
	if err := db.Update(func(tx talaash.Tx) error { return tx.Enqueue(it) }); err != nil {
		t.Fatal(err)
	}
	return it.ID
}

func items(t *testing.T, db talaash.Store) []*talaash.OutboxItem {
	t.Helper()
	var out []*talaash.OutboxItem
	if err := db.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error { out = append(out, it); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func newWorker(db talaash.Store, c *clock, senders map[string]talaash.Sender) *Worker {
	return &Worker{DB: db, Senders: senders, Now: c.Now, Sleep: c.Sleep}
}

var t0 = time.Date(2025, 6, 12, 10, 0, 0, 0, time.UTC)

func TestDeliverOnceAndLog(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	tg := &fakeSender{clock: c}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	enqueue(t, db, t0, "alert:M1:S1", "telegram", "1001", "hello")
	// The same message enqueued twice reaches the recipient once.
	enqueue(t, db, t0, "alert:M1:S1", "telegram", "1001", "hello")
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tg.count() != 1 || tg.sent[0].msg.Text != "hello" {
		t.Fatalf("sent %+v, want one hello", tg.sent)
	}
	if n := len(items(t, db)); n != 0 {
		t.Fatalf("%d items left in outbox", n)
	}
	db.View(func(tx talaash.Tx) error {
		d, ok := Delivered(tx, "alert:M1:S1", "telegram", "1001")
		if !ok || d.SentID != "msg-1" {
			t.Errorf("delivery log = %+v %v", d, ok)
		}
		return nil
	})
	// A second Drain has nothing to do.
	if err := w.Drain(context.Background()); err != nil || tg.count() != 1 {
		t.Fatalf("second drain: err %v, sent %d", err, tg.count())
	}
}

func TestThrottledRetriedAfterRetryAfter(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	tg := &fakeSender{clock: c, errs: []error{&talaash.Error{Code: talaash.ETHROTTLED, Message: "429", RetryAfter: 7 * time.Second}}}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	enqueue(t, db, t0, "k", "telegram", "1001", "hi")
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	its := items(t, db)
	if tg.count() != 0 || len(its) != 1 {
		t.Fatalf("sent %d, items %d", tg.count(), len(its))
	}
	if want := t0.Add(7 * time.Second); !its[0].Due.Equal(want) || its[0].Attempts != 1 {
		t.Fatalf("due %v attempts %d, want %v 1", its[0].Due, its[0].Attempts, want)
	}
	c.Add(6 * time.Second)
	w.Drain(context.Background())
	if tg.count() != 0 {
		t.Fatal("sent before retry_after")
	}
	c.Add(time.Second)
	w.Drain(context.Background())
	if tg.count() != 1 || len(items(t, db)) != 0 {
		t.Fatalf("after retry_after: sent %d, items %d", tg.count(), len(items(t, db)))
	}
}

// A 429 is the bot's limit, not one chat's: other chats on the channel wait
// it out too, while other channels go on.
func TestThrottlePausesChannel(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	tg := &fakeSender{clock: c, errs: []error{&talaash.Error{Code: talaash.ETHROTTLED, Message: "429", RetryAfter: 5 * time.Second}}}
	sms := &fakeSender{clock: c}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg, "sms": sms})
	enqueue(t, db, t0, "a", "telegram", "1001", "one")
	enqueue(t, db, t0, "b", "telegram", "2002", "two")
	enqueue(t, db, t0, "c", "sms", "+919876543210", "three")
	for i := 0; i < 10 && len(items(t, db)) > 0; i++ {
		w.Drain(context.Background())
		c.Add(time.Second)
	}
	if tg.count() != 2 || sms.count() != 1 || len(items(t, db)) != 0 {
		t.Fatalf("telegram sent %d, sms sent %d, left %d", tg.count(), sms.count(), len(items(t, db)))
	}
	for _, m := range tg.sent {
		if m.at.Before(t0.Add(5 * time.Second)) {
			t.Errorf("%q went to chat %s at %v, inside the 5 s the bot was told to wait", m.msg.Text, m.msg.To, m.at.Sub(t0))
		}
	}
	if sms.sent[0].at.After(t0.Add(time.Second)) {
		t.Errorf("the SMS waited for Telegram's limit: sent at %v", sms.sent[0].at.Sub(t0))
	}
}

func TestFailedBackoffThenGiveUp(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	fail := talaash.Errorf(talaash.EFAILED, "502")
	sms := &fakeSender{clock: c, errs: []error{fail, fail, fail}}
	w := newWorker(db, c, map[string]talaash.Sender{"sms": sms})
	enqueue(t, db, t0, "k", "sms", "+919876543210", "hi")
	for i, want := range []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second} {
		start := c.Now()
		w.Drain(context.Background())
		its := items(t, db)
		if len(its) != 1 || its[0].Attempts != i+1 || !its[0].Due.Equal(start.Add(want)) {
			t.Fatalf("attempt %d: %+v, want due +%v", i+1, its, want)
		}
		if its[0].LastError == "" || its[0].LastError == inFlight {
			t.Fatalf("last error %q", its[0].LastError)
		}
		c.Add(want)
	}
	w.Drain(context.Background())
	if sms.count() != 1 || len(items(t, db)) != 0 {
		t.Fatalf("after backoff: sent %d items %d", sms.count(), len(items(t, db)))
	}

	// The cap, and giving up after a day.
	if d := w.backoff(30); d != 30*time.Minute {
		t.Fatalf("backoff(30) = %v", d)
	}
	always := &fakeSender{clock: c}
	for range 200 {
		always.errs = append(always.errs, fail)
	}
	w.Senders["sms"] = always
	enqueue(t, db, c.Now(), "k2", "sms", "+919876543211", "hi")
	for i := 0; i < 200 && len(items(t, db)) > 0; i++ {
		w.Drain(context.Background())
		if its := items(t, db); len(its) > 0 {
			c.t = its[0].Due
		}
	}
	if len(items(t, db)) != 0 {
		t.Fatal("never gave up")
	}
	if age := c.Now().Sub(t0); age < 24*time.Hour || age > 25*time.Hour {
		t.Fatalf("gave up after %v, want about 24h", age)
	}
}

func TestStoppedDropped(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	sms := &fakeSender{clock: c, errs: []error{talaash.Errorf(talaash.ESTOPPED, "21610")}}
	w := newWorker(db, c, map[string]talaash.Sender{"sms": sms})
	enqueue(t, db, t0, "a", "sms", "+919876543210", "one")
	w.Drain(context.Background())
	if len(items(t, db)) != 0 {
		t.Fatal("stopped item kept")
	}
	db.View(func(tx talaash.Tx) error {
		if stopped, _ := tx.Stopped("sms", "+919876543210"); !stopped {
			t.Error("recipient not marked stopped")
		}
		return nil
	})
	// Later items to a stopped recipient are dropped without a send.
	enqueue(t, db, t0, "b", "sms", "+919876543210", "two")
	w.Drain(context.Background())
	if sms.calls != 1 || len(items(t, db)) != 0 {
		t.Fatalf("calls %d items %d", sms.calls, len(items(t, db)))
	}
}

// A message the provider refuses for good is dropped after one try, and the
// recipient is not marked stopped.
func TestRefusedDropped(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	tg := &fakeSender{clock: c, errs: []error{talaash.Errorf(talaash.EINVALID, "chat not found")}}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	enqueue(t, db, t0, "a", "telegram", "1001", "one")
	w.Drain(context.Background())
	if tg.calls != 1 || len(items(t, db)) != 0 {
		t.Fatalf("calls %d items %d, want one try and nothing kept", tg.calls, len(items(t, db)))
	}
	db.View(func(tx talaash.Tx) error {
		if stopped, _ := tx.Stopped("telegram", "1001"); stopped {
			t.Error("a refused message stopped the recipient")
		}
		return nil
	})
}

func TestCrashBetweenCommitAndSend(t *testing.T) {
	db, path := openDB(t)
	c := &clock{t: t0}
	// The record's transaction committed an alert and a notice; then the
	// process died: one item never tried, one marked in flight with no SentID.
	enqueue(t, db, t0, "alert:M1:S1", "telegram", "1001", "alert")
	id := enqueue(t, db, t0, "notify:M1", "telegram", "2002", "notice")
	db.Update(func(tx talaash.Tx) error {
		var it *talaash.OutboxItem
		tx.EachOutbox(func(x *talaash.OutboxItem) error {
			if x.ID == id {
				it = x
			}
			return nil
		})
		it.Attempts, it.LastError = 1, inFlight
		return tx.PutOutbox(it)
	})
	db.Close()

	db2, err := bolt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	tg := &fakeSender{clock: c}
	w := newWorker(db2, c, map[string]talaash.Sender{"telegram": tg})
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	w2 := newWorker(db2, c, map[string]talaash.Sender{"telegram": tg})
	w2.Drain(context.Background())
	if tg.count() != 2 {
		t.Fatalf("sent %d, want each item once", tg.count())
	}
	if len(items(t, db2)) != 0 {
		t.Fatal("items left")
	}
}

func TestPacing(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	tg := &fakeSender{clock: c}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	for i := range 3 {
		enqueue(t, db, t0, fmt.Sprint("a", i), "telegram", "A", fmt.Sprint("a", i))
	}
	enqueue(t, db, t0, "b", "telegram", "B", "b")
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var a []time.Time
	var b time.Time
	for _, s := range tg.sent {
		if s.msg.To == "A" {
			a = append(a, s.at)
			if want := fmt.Sprint("a", len(a)-1); s.msg.Text != want {
				t.Fatalf("chat A got %q, want %q (order)", s.msg.Text, want)
			}
		} else {
			b = s.at
		}
	}
	if len(a) != 3 {
		t.Fatalf("chat A got %d", len(a))
	}
	for i := 1; i < len(a); i++ {
		if gap := a[i].Sub(a[i-1]); gap < time.Second {
			t.Fatalf("chat A gap %v < 1s", gap)
		}
	}
	if b.Sub(t0) >= time.Second {
		t.Fatalf("chat B waited %v behind chat A", b.Sub(t0))
	}

	// 90 chats at 30 a second take about 3 seconds.
	tg.sent = nil
	start := c.Now()
	for i := range 90 {
		enqueue(t, db, start, fmt.Sprint("m", i), "telegram", fmt.Sprint("chat", i), "x")
	}
	w.Drain(context.Background())
	if tg.count() != 90 {
		t.Fatalf("sent %d", tg.count())
	}
	if took := tg.sent[89].at.Sub(tg.sent[0].at); took < 2900*time.Millisecond || took > 4*time.Second {
		t.Fatalf("90 messages took %v, want about 3s at 30/s", took)
	}
}

func TestNoSenderRetried(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	w := newWorker(db, c, map[string]talaash.Sender{})
	enqueue(t, db, t0, "k", "whatsapp", "+919876543210", "x")
	w.Drain(context.Background())
	its := items(t, db)
	if len(its) != 1 || its[0].Attempts != 1 || !its[0].Due.After(t0) {
		t.Fatalf("items %+v", its)
	}
}

func TestRunKick(t *testing.T) {
	db, _ := openDB(t)
	tg := &fakeSender{}
	w := &Worker{DB: db, Senders: map[string]talaash.Sender{"telegram": tg}, Poll: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	it := &talaash.OutboxItem{Kind: "alert", Key: "k", Msg: talaash.Outbound{Channel: "telegram", To: "1", Text: "x"}}
	db.Update(func(tx talaash.Tx) error { tx.OnCommit(w.Kick); return tx.Enqueue(it) })
	deadline := time.Now().Add(5 * time.Second)
	for tg.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if tg.count() != 1 {
		t.Fatalf("kicked worker sent %d", tg.count())
	}
}

func TestPrune(t *testing.T) {
	db, _ := openDB(t)
	db.Update(func(tx talaash.Tx) error {
		tx.PutSent(&talaash.Sent{Key: "old", Channel: "telegram", To: "1", SentID: "1", At: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		tx.PutSent(&talaash.Sent{Key: "new", Channel: "telegram", To: "1", SentID: "2", At: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
		return Prune(tx, t0)
	})
	db.View(func(tx talaash.Tx) error {
		_, old := Delivered(tx, "old", "telegram", "1")
		_, kept := Delivered(tx, "new", "telegram", "1")
		if old || !kept {
			t.Error("prune kept the old entry or dropped the new one")
		}
		return nil
	})
}

// TestFollowUpsWaitForTheirLead: an alert's photos (keys extending the
// alert's) are not delivered while the alert's text is retried, and go once
// it is through; an unrelated later message to the chat is not held back, nor
// is a follow-up whose lead went to another chat.
func TestFollowUpsWaitForTheirLead(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	fail := talaash.Errorf(talaash.EFAILED, "502")
	// Calls: the alert (fails), B's photo, A's other message, the alert again
	// (fails), then it and its photos go.
	tg := &fakeSender{clock: c, errs: []error{fail, nil, nil, fail}}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	enqueue(t, db, t0, "alert:M|S", "telegram", "A", "alert")
	enqueue(t, db, t0, "alert:M|S:photo:0", "telegram", "A", "photo 0")
	enqueue(t, db, t0, "alert:M|S:photo:1", "telegram", "A", "photo 1")
	enqueue(t, db, t0, "notify:other", "telegram", "A", "other")
	enqueue(t, db, t0, "alert:M|S:photo:0", "telegram", "B", "photo B")

	// Two failed attempts (backoff 5s, then 10s): meanwhile only the others go.
	w.Drain(context.Background())
	var got []string
	for _, s := range tg.sent {
		got = append(got, s.msg.To+":"+s.msg.Text)
	}
	slices.Sort(got)
	if want := []string{"A:other", "B:photo B"}; !slices.Equal(got, want) {
		t.Fatalf("while the alert is retried: sent %q, want %q", got, want)
	}
	for i := 0; i < 5 && len(items(t, db)) > 0; i++ {
		c.t = items(t, db)[0].Due
		w.Drain(context.Background())
	}
	got = nil
	for _, s := range tg.sent {
		if s.msg.To == "A" {
			got = append(got, s.msg.Text)
		}
	}
	if want := []string{"other", "alert", "photo 0", "photo 1"}; !slices.Equal(got, want) || tg.calls != 7 {
		t.Fatalf("chat A got %q (%d calls), want %q: the photos after the alert, once", got, tg.calls, want)
	}
	if n := len(items(t, db)); n != 0 {
		t.Fatalf("%d items left", n)
	}
}

func TestFollows(t *testing.T) {
	waiting := map[string]bool{"telegram:1|alert:M|S": true, "telegram:1|k": true}
	for _, c := range []struct {
		chat, key string
		want      bool
	}{
		{"telegram:1", "alert:M|S:photo:0", true},
		{"telegram:1", "alert:M|S:photo:10", true},
		{"telegram:2", "alert:M|S:photo:0", false},
		{"telegram:1", "alert:M|S", false}, // itself is no follow-up
		{"telegram:1", "alert:M|SX:photo:0", false},
		{"telegram:1", "k2", false},
		{"telegram:1", "", false},
	} {
		if got := follows(waiting, c.chat, c.key); got != c.want {
			t.Errorf("follows(%s, %q) = %v, want %v", c.chat, c.key, got, c.want)
		}
	}
}

// markSending puts an item in the state step 1 leaves it in, as a process
// that died during the call would have left it.
func markSending(t *testing.T, db talaash.Store, id uint64, at time.Time, lease time.Duration) {
	t.Helper()
	err := db.Update(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			if it.ID != id {
				return nil
			}
			it.Attempts, it.LastError, it.Due = 1, inFlight+" since "+at.Format(time.RFC3339Nano), at.Add(lease)
			return tx.PutOutbox(it)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSendingWaitsOutItsLease: an item found sending after a crash is not
// resent before its lease ends, then resent once and counted as unsure.
func TestSendingWaitsOutItsLease(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	id := enqueue(t, db, t0, "alert:M1:S1", "telegram", "1001", "alert")
	w := newWorker(db, c, nil)
	markSending(t, db, id, t0, w.lease())
	tg := &fakeSender{clock: c}
	w.Senders = map[string]talaash.Sender{"telegram": tg}
	c.Add(time.Second) // the restart
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tg.count() != 0 || w.Unsure() != 0 {
		t.Fatalf("resent within the lease: %d sends, %d unsure", tg.count(), w.Unsure())
	}
	c.Add(w.lease())
	w.Drain(context.Background())
	w.Drain(context.Background())
	if tg.count() != 1 || w.Unsure() != 1 || len(items(t, db)) != 0 {
		t.Fatalf("after the lease: %d sends, %d unsure, %d items", tg.count(), w.Unsure(), len(items(t, db)))
	}
}

// checker is a provider that can say what it sent.
type checker struct {
	fakeSender
	found bool
	err   error
	since []time.Time
}

func (c *checker) Sent(ctx context.Context, m talaash.Outbound, since time.Time) (string, bool, error) {
	c.since = append(c.since, since)
	return "prov-7", c.found, c.err
}

// TestCheckerBeforeResend: where the provider can tell, an unfinished
// attempt that went through is recorded, not resent; one that did not is
// sent; a failed check waits.
func TestCheckerBeforeResend(t *testing.T) {
	for _, c := range []struct {
		name      string
		found     bool
		err       error
		sends     int
		left      int
		delivered string
	}{
		{"went through", true, nil, 0, 0, "prov-7"},
		{"did not", false, nil, 1, 0, "msg-1"},
		{"cannot tell", false, talaash.Errorf(talaash.EFAILED, "down"), 0, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, _ := openDB(t)
			clk := &clock{t: t0}
			id := enqueue(t, db, t0, "alert:M1:S1", "telegram", "1001", "alert")
			markSending(t, db, id, t0, time.Minute)
			clk.Add(2 * time.Minute)
			p := &checker{fakeSender: fakeSender{clock: clk}, found: c.found, err: c.err}
			w := newWorker(db, clk, map[string]talaash.Sender{"telegram": p})
			if err := w.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
			if p.count() != c.sends || len(items(t, db)) != c.left || w.Unsure() != 0 {
				t.Fatalf("%d sends, %d items left, %d unsure", p.count(), len(items(t, db)), w.Unsure())
			}
			if len(p.since) != 1 || !p.since[0].Equal(t0) {
				t.Fatalf("checked since %v, want %v", p.since, t0)
			}
			db.View(func(tx talaash.Tx) error {
				d, ok := Delivered(tx, "alert:M1:S1", "telegram", "1001")
				if (c.delivered != "") != ok || d.SentID != c.delivered {
					t.Errorf("delivery log %+v %v, want %q", d, ok, c.delivered)
				}
				return nil
			})
		})
	}
}

// timedStore notes when each Update returns, committed.
type timedStore struct {
	talaash.Store
	mu      sync.Mutex
	commits []time.Time
}

func (s *timedStore) Update(fn func(tx talaash.Tx) error) error {
	err := s.Store.Update(fn)
	s.mu.Lock()
	s.commits = append(s.commits, time.Now())
	s.mu.Unlock()
	return err
}

// answerTimes is a provider that notes when it answers.
type answerTimes struct {
	mu  sync.Mutex
	at  []time.Time
	seq int
}

func (a *answerTimes) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	a.at = append(a.at, time.Now())
	return fmt.Sprint("p-", a.seq), nil
}

// duplicateWindows delivers n items through a bbolt file and returns, for
// each, the time from the provider's answer to the commit that records it:
// the window in which a crash repeats the message.
func duplicateWindows(tb testing.TB, n int) []time.Duration {
	path := filepath.Join(tb.TempDir(), "talaash.db")
	bdb, err := bolt.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer bdb.Close()
	db := &timedStore{Store: bdb}
	for i := range n {
		it := &talaash.OutboxItem{Kind: "alert", Key: fmt.Sprint("alert:M", i), Created: time.Now(),
			Msg: talaash.Outbound{Channel: "telegram", To: fmt.Sprint(1000 + i), Text: "alert"}}
		if err := bdb.Update(func(tx talaash.Tx) error { return tx.Enqueue(it) }); err != nil {
			tb.Fatal(err)
		}
	}
	p := &answerTimes{}
	w := &Worker{DB: db, Senders: map[string]talaash.Sender{"telegram": p}, Rate: map[string]float64{"telegram": 1e9},
		PerChat: time.Nanosecond, Log: slog.New(slog.DiscardHandler)}
	if err := w.Drain(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if len(p.at) != n {
		tb.Fatalf("%d sent, want %d", len(p.at), n)
	}
	var out []time.Duration
	for _, a := range p.at {
		i, _ := slices.BinarySearchFunc(db.commits, a, func(c, a time.Time) int { return c.Compare(a) })
		if i == len(db.commits) {
			tb.Fatal("an answer never committed")
		}
		out = append(out, db.commits[i].Sub(a))
	}
	slices.Sort(out)
	return out
}

// TestDuplicateWindow measures the window the package comment documents:
// from a fake provider's answer to the commit of the delivery, on a real
// bbolt file.
func TestDuplicateWindow(t *testing.T) {
	ws := duplicateWindows(t, 100)
	p50, p99, top := ws[len(ws)/2], ws[len(ws)*99/100], ws[len(ws)-1]
	t.Logf("provider's answer to commit over %d sends: p50 %v, p99 %v, max %v", len(ws), p50, p99, top)
	if p50 > time.Second {
		t.Errorf("the window is %v: the commit after a send waits on something", p50)
	}
}

// BenchmarkDuplicateWindow reports the window as "window-µs" (median) per send.
func BenchmarkDuplicateWindow(b *testing.B) {
	var all []time.Duration
	for b.Loop() {
		all = append(all, duplicateWindows(b, 50)...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "window-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-window-µs")
}
