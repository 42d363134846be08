package talaash

import (
	"context"
	"errors"
	"testing"
	"time"
)

// oneProcess is a Store that is not an Elector.
type oneProcess struct{ Store }

// elector leads each time it is asked, for as long as the test says.
type elector struct {
	oneProcess
	leads chan context.CancelFunc // each lead's end, handed to the test
}

func (e *elector) Lead(ctx context.Context, job string) (context.Context, func(), error) {
	led, end := context.WithCancel(ctx)
	select {
	case e.leads <- end:
	case <-ctx.Done():
		end()
		return nil, nil, ctx.Err()
	}
	return led, end, nil
}

// On a store of one process Led runs fn once, at once; on an Elector it runs
// fn each time the lead is won, ends it when the lead is lost, and returns
// fn's own error.
func TestLed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	runs := 0
	boom := errors.New("boom")
	if err := Led(ctx, oneProcess{}, "job", time.Millisecond, func(context.Context) error { runs++; return boom }); !errors.Is(err, boom) || runs != 1 {
		t.Fatalf("one process: %v after %d runs", err, runs)
	}
	if Shared(oneProcess{}) {
		t.Error("a store of one process reported shared")
	}

	e := &elector{leads: make(chan context.CancelFunc)}
	if !Shared(e) {
		t.Error("an Elector is not shared")
	}
	started := make(chan struct{}, 4)
	done := make(chan error, 1)
	lctx, lcancel := context.WithCancel(ctx)
	go func() {
		done <- Led(lctx, e, "job", time.Millisecond, func(led context.Context) error {
			started <- struct{}{}
			<-led.Done()
			return led.Err()
		})
	}()
	for i := 0; i < 2; i++ {
		end := <-e.leads // the lead is won
		<-started
		end() // and lost: fn must end, and Led lead again
	}
	<-e.leads
	<-started
	lcancel()
	if err := <-done; err != nil {
		t.Fatalf("Led after its context ended: %v", err)
	}
}
