package kannel

import (
	"context"
	"sync"
	"time"
)

// healthEvery is how long a probe of sendsms stands for: health checks come
// every few seconds, and smsbox need not hear from us each time.
const healthEvery = 15 * time.Second

// health caches the last probe.
type health struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// Health reports whether Kannel's sendsms answers, probing it at most once
// every healthEvery.
func (c *Channel) Health(ctx context.Context) error {
	h := &c.health
	h.mu.Lock()
	defer h.mu.Unlock() // one probe at a time; the others wait for its answer
	if !h.at.IsZero() && time.Since(h.at) < healthEvery {
		return h.err
	}
	h.err, h.at = c.Probe(ctx), time.Now()
	return h.err
}
