package bolt

import (
	"errors"
	"fmt"
	"sync"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// maxBatch bounds the calls sharing one transaction, so that one failing
// call never makes more than that many run again.
const maxBatch = 256

// Batch runs fn in a transaction it may share with concurrent Batch calls;
// see talaash.Store.
//
// This is group commit without a timer, rather than bbolt's DB.Batch, which
// holds every batch for MaxBatchDelay: the first caller to find no batch
// running leads one with every call queued so far, calls that arrive while it
// commits queue up, and the first of them leads the next batch. An idle store
// commits a lone turn at once (bbolt's 10 ms wait made a lone SMS turn five
// times slower), and a busy one puts as many turns in one fsync as arrive
// during one commit. Like DB.Batch, a failing call is taken out, the others
// are run again without it, and it is run alone in its caller's goroutine.
func (db *DB) Batch(fn func(tx talaash.Tx) error) error {
	return db.group.do(db.bolt, func(btx *bbolt.Tx) error { return fn(kv.New(txn{btx})) })
}

// group is the queue of Batch calls; see Batch.
type group struct {
	mu    sync.Mutex
	queue []*call
	busy  bool // a leader is running a batch
}

type call struct {
	fn   func(*bbolt.Tx) error
	done chan error // the call's result, errSolo or errLead
}

var (
	errLead = errors.New("bolt: lead the next batch")
	errSolo = errors.New("bolt: run alone")
)

func (g *group) do(db *bbolt.DB, fn func(*bbolt.Tx) error) error {
	c := &call{fn: fn, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead {
		if err := <-c.done; err != errLead {
			return solo(db, fn, err)
		}
	}
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	calls := append([]*call(nil), g.queue[:n]...)
	g.queue = append(g.queue[:0:0], g.queue[n:]...)
	g.mu.Unlock()

	run(db, calls)

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- errLead // it waits with an empty channel
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	return solo(db, fn, <-c.done) // c was in calls: run has answered it
}

// solo runs fn alone when its batch said so.
func solo(db *bbolt.DB, fn func(*bbolt.Tx) error, err error) error {
	if err == errSolo {
		return db.Update(fn)
	}
	return err
}

// run commits calls in one transaction and answers each. A call that fails
// rolls the transaction back; it is told to run alone and the others run
// again without it. A failed commit is every call's error.
func run(db *bbolt.DB, calls []*call) {
	for len(calls) > 0 {
		failed := -1
		err := db.Update(func(tx *bbolt.Tx) error {
			for i, c := range calls {
				if err := safely(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 {
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		calls[failed].done <- errSolo
		calls = append(calls[:failed:failed], calls[failed+1:]...)
	}
}

// safely turns a panic into an error, so that one call's bug fails that call
// (run alone, it panics again in its own goroutine) and not its batch.
func safely(fn func(*bbolt.Tx) error, tx *bbolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return fn(tx)
}
