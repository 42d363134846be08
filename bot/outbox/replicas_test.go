package outbox

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/store/pgtest"
	"talaash/store/postgres"
)

// slowSender takes a while over each message, so two workers' drains overlap,
// and counts what each recipient got by text.
type slowSender struct {
	mu   sync.Mutex
	got  map[string]int
	wait time.Duration
}

func (s *slowSender) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	time.Sleep(s.wait)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[m.To+"|"+m.Text]++
	return fmt.Sprintf("id-%d", len(s.got)), nil
}

// TwoWorkersSendOnce is the outbox across replicas: two workers drain one
// store at the same time and every item reaches its recipient once. It takes
// any store, so a shared one runs it too.
func TwoWorkersSendOnce(t *testing.T, db talaash.Store) {
	t.Helper()
	now := time.Now()
	const n = 40
	for i := range n {
		// Half keyed (the delivery log guards them too), half not: the claim
		// alone must hold.
		key := ""
		if i%2 == 0 {
			key = fmt.Sprintf("alert:M%d|S%d", i, i)
		}
		enqueue(t, db, now, key, "telegram", fmt.Sprint(1000+i), fmt.Sprintf("alert %d", i))
	}
	s := &slowSender{got: map[string]int{}, wait: 2 * time.Millisecond}
	var wg sync.WaitGroup
	for range 2 {
		w := &Worker{DB: db, Senders: map[string]talaash.Sender{"telegram": s}, PerChat: time.Nanosecond, Rate: map[string]float64{"telegram": 1e9}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Drain(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(s.got) != n {
		t.Errorf("%d of %d messages sent", len(s.got), n)
	}
	for k, c := range s.got {
		if c != 1 {
			t.Errorf("%s sent %d times", k, c)
		}
	}
	if left := items(t, db); len(left) != 0 {
		t.Errorf("%d items left in the outbox", len(left))
	}
}

func TestTwoWorkersSendOnce(t *testing.T) {
	db, _ := openDB(t)
	TwoWorkersSendOnce(t, db)
}

// A worker that takes the outbox over (Takeover) sends what the last one was
// sending soon after it starts, not at the end of the item's lease; items
// marked sending after it started keep their lease.
func TestTakeoverSendsWhatWasLeft(t *testing.T) {
	db, _ := openDB(t)
	c := &clock{t: t0}
	left := enqueue(t, db, t0, "alert:M1|S1", "telegram", "1001", "left")
	tg := &fakeSender{clock: c}
	w := newWorker(db, c, map[string]talaash.Sender{"telegram": tg})
	w.Takeover = 5 * time.Second
	markSending(t, db, left, t0, w.lease())
	c.Add(time.Second) // the old leader died; this one starts
	ctx, cancel := context.WithCancel(context.Background())
	go w.Run(ctx)
	defer cancel()
	for w.started.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	mine := enqueue(t, db, c.Now(), "alert:M2|S2", "telegram", "1002", "mine")
	markSending(t, db, mine, c.Now(), w.lease()) // as if this worker's call were under way
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if tg.count() != 0 {
		t.Fatalf("sent %d before Takeover passed", tg.count())
	}
	c.Add(w.Takeover)
	if err := w.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if tg.count() != 1 || tg.sent[0].msg.Text != "left" {
		t.Fatalf("after Takeover: %v sent, want the item left over only", tg.sent)
	}
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// On PostgreSQL two claims of one item do overlap: one commits, the other
// conflicts, runs again and finds the mark.
func TestTwoWorkersSendOncePostgres(t *testing.T) {
	db, err := postgres.Open(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	TwoWorkersSendOnce(t, db)
}
