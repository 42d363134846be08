package cases

import (
	"runtime"
	"sync"

	"talaash"
)

// preparer is a Matcher that can read a record apart from adding it (see
// match.Matcher.Prepare), so that Load reads on every core.
type preparer interface {
	Prepare(r *talaash.Record) (add func())
}

// loadChunk is how many records go to a worker at a time: enough to make the
// hand-over cheap, few enough to keep every core busy.
const loadChunk = 256

// loadParallel is Load for a preparer: the store's walk (which decodes) feeds
// chunks of active records to one worker per core, which prepare them, and
// the chunks are added in the walk's order, so the matcher ends as a serial
// Load would leave it. Memory stays bounded by the channels' capacity.
func (s *Service) loadParallel(db talaash.Store, p preparer) error {
	type chunk struct {
		recs []*talaash.Record
		adds []func()
		done chan struct{}
	}
	workers := max(runtime.GOMAXPROCS(0), 1)
	todo := make(chan *chunk, workers)
	inOrder := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				c.adds = make([]func(), len(c.recs))
				for i, r := range c.recs {
					c.adds[i] = p.Prepare(r)
				}
				close(c.done)
			}
		}()
	}
	added := make(chan struct{})
	go func() {
		defer close(added)
		for c := range inOrder {
			<-c.done
			for i, add := range c.adds {
				s.addLoaded(c.recs[i].Ref, add)
			}
		}
	}()

	cur := &chunk{done: make(chan struct{})}
	send := func() {
		inOrder <- cur
		todo <- cur
		cur = &chunk{done: make(chan struct{})}
	}
	err := db.View(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error {
			if !r.Status.Active() {
				return nil
			}
			cur.recs = append(cur.recs, r)
			if len(cur.recs) == loadChunk {
				send()
			}
			return nil
		})
	})
	if len(cur.recs) > 0 {
		send()
	}
	close(todo)
	close(inOrder)
	wg.Wait()
	<-added
	return err
}
