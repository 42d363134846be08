package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"talaash"
	"talaash/store/pgtest"
)

func quick(dsn string) *Coordinator {
	return &Coordinator{DSN: dsn, Retry: 100 * time.Millisecond, Check: 100 * time.Millisecond}
}

// One process leads a job at a time; when the leader's connection dies (as
// when its process is killed) it learns it lost the lead and another takes
// over; a released lead passes on at once.
func TestLeadFailover(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, b := quick(dsn), quick(dsn)
	defer a.Close()
	defer b.Close()

	ledA, releaseA, err := a.Lead(ctx, "outbox")
	if err != nil {
		t.Fatal(err)
	}
	defer releaseA()
	// Another job is another lock: b may lead it meanwhile.
	ledOther, releaseOther, err := b.Lead(ctx, "reminders")
	if err != nil || ledOther.Err() != nil {
		t.Fatalf("b cannot lead another job: %v", err)
	}
	releaseOther()

	got := make(chan context.Context, 1)
	go func() {
		led, _, err := b.Lead(ctx, "outbox")
		if err == nil {
			got <- led
		}
	}()
	select {
	case <-got:
		t.Fatal("two processes lead the same job")
	case <-time.After(time.Second):
	}

	// The server ends a's lock connection, as it does when a's process dies.
	a.mu.Lock()
	pid := a.conn.PgConn().PID()
	a.mu.Unlock()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	killed := time.Now()
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ledA.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a did not notice it lost the lead")
	}
	var ledB context.Context
	select {
	case ledB = <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("b did not take over")
	}
	t.Logf("b leads %v after a's connection ended", time.Since(killed).Round(time.Millisecond))
	if ledB.Err() != nil {
		t.Fatal("b's lead ended at once")
	}

	// a cannot lead while b does; b's release hands it over.
	tctx, tcancel := context.WithTimeout(ctx, 500*time.Millisecond)
	if _, _, err := a.Lead(tctx, "outbox"); err == nil {
		t.Fatal("a leads while b does")
	}
	tcancel()
	b.Close()
	if ledB.Err() == nil {
		t.Fatal("b's lead outlived Close")
	}
	led, release, err := a.Lead(ctx, "outbox")
	if err != nil || led.Err() != nil {
		t.Fatalf("a cannot lead after b closed: %v", err)
	}
	release()
}

// A record written, by any connection, reaches a listener as a
// notification at the commit; other writes do not.
func TestChanged(t *testing.T) {
	db := openTemp(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ch := db.Changed(ctx)
	select { // the first signal says it listens
	case <-ch:
	case <-ctx.Done():
		t.Fatal("no listener")
	}
	other, err := Open(db.DSN()) // another replica
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.Update(func(tx talaash.Tx) error { return tx.PutSession("sms:+15550001", []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
		t.Fatal("a session's write notified")
	case <-time.After(300 * time.Millisecond):
	}
	r := &talaash.Record{Kind: talaash.KindSighting, Language: "en", Gender: "male", Clothes: "red shirt", Time: time.Now()}
	if err := other.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("the record's write was not notified")
	}
	cancel()
	for range ch { // closed once ctx ends
	}
}
