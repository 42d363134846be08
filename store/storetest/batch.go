package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
)

// testBatch: concurrent Batch calls all commit, each OnCommit runs once after
// its writes are visible, and a failing call rolls back only its own writes,
// whatever it shared a transaction with.
func testBatch(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	const writers, each = 16, 20
	boom := errors.New("boom")
	var (
		wg        sync.WaitGroup
		committed [writers * each]atomic.Int32
		mu        sync.Mutex
		problems  []string
	)
	fail := func(i int) bool { return i%7 == 3 }
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for j := 0; j < each; j++ {
				i := w*each + j
				key := fmt.Sprint("batch:", i)
				err := db.Batch(func(tx talaash.Tx) error {
					if err := tx.PutAttempts(key, talaash.Attempts{Count: i, Since: time.Now()}); err != nil {
						return err
					}
					if err := tx.MarkSeen("sms", key, []byte(key), time.Now()); err != nil {
						return err
					}
					tx.OnCommit(func() { committed[i].Add(1) })
					if fail(i) {
						return boom
					}
					return nil
				})
				var problem string
				switch {
				case fail(i) && !errors.Is(err, boom):
					problem = fmt.Sprintf("%d: failing batch returned %v", i, err)
				case !fail(i) && err != nil:
					problem = fmt.Sprintf("%d: %v", i, err)
				case !fail(i) && committed[i].Load() != 1:
					problem = fmt.Sprintf("%d: OnCommit ran %d times before Batch returned", i, committed[i].Load())
				}
				if problem == "" && !fail(i) {
					// What Batch returned for is committed and visible.
					db.View(func(tx talaash.Tx) error {
						if a, _ := tx.Attempts(key); a.Count != i {
							problem = fmt.Sprintf("%d: not visible after Batch returned", i)
						}
						return nil
					})
				}
				if problem != "" {
					mu.Lock()
					problems = append(problems, problem)
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	db.View(func(tx talaash.Tx) error {
		for i := 0; i < writers*each; i++ {
			key := fmt.Sprint("batch:", i)
			a, _ := tx.Attempts(key)
			reply, seen := tx.Seen("sms", key)
			switch {
			case fail(i) && (a.Count != 0 || seen):
				t.Errorf("%d: a failing batch's writes were kept", i)
			case fail(i) && committed[i].Load() != 0:
				t.Errorf("%d: OnCommit of a failing batch ran", i)
			case !fail(i) && (a.Count != i || !seen || string(reply) != key):
				t.Errorf("%d: committed batch's writes lost (%+v, %v)", i, a, seen)
			case !fail(i) && committed[i].Load() != 1:
				t.Errorf("%d: OnCommit ran %d times", i, committed[i].Load())
			}
		}
		return nil
	})

	// A lone Batch commits like Update, and a failing one like a failing Update.
	ran := 0
	must(t, db.Batch(func(tx talaash.Tx) error {
		ran++
		if !tx.Writable() {
			t.Error("Batch tx not writable")
		}
		return tx.PutAttempts("lone", talaash.Attempts{Count: 1})
	}))
	if err := db.Batch(func(tx talaash.Tx) error {
		tx.PutAttempts("lone", talaash.Attempts{Count: 2})
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("failing lone batch: %v", err)
	}
	db.View(func(tx talaash.Tx) error {
		if a, _ := tx.Attempts("lone"); a.Count != 1 || ran < 1 {
			t.Errorf("lone batches: %+v after %d runs", a, ran)
		}
		return nil
	})
}
