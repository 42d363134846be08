package talaash

import (
	"context"
	"time"
)

// Elector is a Store that several processes share at once (PostgreSQL behind
// a set of replicas): work that must run once at a time — long polling,
// outbox delivery, reminders, retention — runs on the one that leads it, and
// each process follows the records the others put (cases.Follow). A Store
// that is not an Elector belongs to one process (bbolt holds its file's
// lock), which therefore leads every job.
type Elector interface {
	// Lead waits until this process leads job, or ctx ends (then it returns
	// ctx's error). The context it returns ends when the lead is lost — the
	// connection that holds it broke, so another process may take it — or
	// ctx ends; release gives the lead up at once and must be called.
	Lead(ctx context.Context, job string) (led context.Context, release func(), err error)
}

// Watcher is a Store that can say when another process may have put records,
// so a follower need not wait for its next poll. The channel is closed when
// ctx ends.
type Watcher interface {
	Changed(ctx context.Context) <-chan struct{}
}

// Shared reports whether other processes may write to db at the same time.
func Shared(db Store) bool {
	_, ok := db.(Elector)
	return ok
}

// Led runs fn whenever this process leads job on db, until ctx ends: at once
// on a Store that is no Elector; otherwise each time the lead is won, with a
// context that ends when it is lost. fn's error other than the end of its
// context ends Led. pause is how long to wait after fn returns by itself
// before leading again (a job that gave up).
func Led(ctx context.Context, db Store, job string, pause time.Duration, fn func(ctx context.Context) error) error {
	e, ok := db.(Elector)
	if !ok {
		return fn(ctx)
	}
	for ctx.Err() == nil {
		led, release, err := e.Lead(ctx, job)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		err = fn(led)
		lost := led.Err() != nil
		release()
		if err != nil && !lost {
			return err
		}
		if !lost {
			select {
			case <-ctx.Done():
			case <-time.After(pause):
			}
		}
	}
	return nil
}
