package bolt

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
)

// BenchmarkTurnCommits is 32 writers each committing a turn's writes (a
// session and a seen id) as Update or as Batch, with a little work between
// commits as a turn has, on a file on disk.
func BenchmarkTurnCommits(b *testing.B) {
	for _, mode := range []string{"update", "batch"} {
		b.Run(mode, func(b *testing.B) {
			db := openTemp(b)
			var next atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			b.ResetTimer()
			for w := 0; w < 32; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1)
						if i > int64(b.N) {
							return
						}
						fn := func(tx talaash.Tx) error {
							if err := tx.PutSession(fmt.Sprint("sms:", i), make([]byte, 300)); err != nil {
								return err
							}
							return tx.MarkSeen("sms", fmt.Sprint("SM", i), make([]byte, 200), time.Now())
						}
						var err error
						if mode == "update" {
							err = db.Update(fn)
						} else {
							err = db.Batch(fn)
						}
						if err != nil {
							b.Error(err)
							return
						}
						time.Sleep(200 * time.Microsecond) // the rest of a turn
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "turns/s")
		})
	}
}
