package main

// GET /healthz and GET /metrics.

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"talaash"
	"talaash/metrics"
)

// healthTimeout bounds a health check: a store or provider slower than
// this is as good as down to whoever asks.
const healthTimeout = 3 * time.Second

// healther is an adapter that can say whether its channel is connected
// (Telegram: the last Bot API exchange; Kannel: sendsms answers; Twilio:
// configured).
type healther interface {
	Health(ctx context.Context) error
}

// Health is what GET /healthz answers: "ok" or what is wrong, for the store
// and for each configured channel.
type Health struct {
	Status   string            `json:"status"` // ok | unavailable
	Store    string            `json:"store"`
	Channels map[string]string `json:"channels"`
	// Matcher is "loading" while records saved are matched only once the
	// matcher has loaded (they are stored, and no match is lost).
	Matcher string `json:"matcher,omitempty"`
}

// healthz answers 200 when the store takes a write transaction and every
// configured channel is connected, else 503, in JSON either way. It says
// nothing about the records.
func (m *Main) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	h := Health{Status: "ok", Store: "ok", Channels: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	check := func(set func(string), fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := "ok"
			if err := fn(ctx); err != nil {
				msg = talaash.ErrorMessage(err)
			}
			mu.Lock()
			set(msg)
			mu.Unlock()
		}()
	}
	check(func(s string) { h.Store = s }, m.storeProbe.check(m.DB))
	for name, a := range m.channelHealth() {
		check(func(s string) { h.Channels[name] = s }, a.Health)
	}
	wg.Wait()
	if m.Cases != nil && m.Cases.Loading() {
		h.Matcher = "loading"
	}
	status := http.StatusOK
	if h.Store != "ok" {
		status = http.StatusServiceUnavailable
	}
	for _, s := range h.Channels {
		if s != "ok" {
			status = http.StatusServiceUnavailable
		}
	}
	if status != http.StatusOK {
		h.Status = "unavailable"
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(h)
}

// channelHealth maps each channel with a configured adapter to that adapter,
// where it can report its health.
func (m *Main) channelHealth() map[string]healther {
	out := map[string]healther{}
	for _, a := range m.Channels.Adapters() {
		h, ok := a.(healther)
		if !ok {
			continue
		}
		for _, c := range a.Channels() {
			// A channel two adapters serve is the first's (the registry's rule).
			if s, ok := m.Channels.Sender(c.Name); ok && s == talaash.Sender(a) {
				out[c.Name] = h
			}
		}
	}
	return out
}

// storeProbe checks that the store takes a write transaction (its commit
// writes and syncs the file's meta page). One check runs at a time; callers
// meanwhile share its answer, so a stuck store costs one goroutine, not one
// per request.
type storeProbe struct {
	mu   sync.Mutex
	done chan struct{} // closed when the running check ends; nil when none runs
	err  error
}

func (p *storeProbe) check(db talaash.Store) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		p.mu.Lock()
		if p.done == nil {
			done := make(chan struct{})
			p.done = done
			go func() {
				err := db.Update(func(tx talaash.Tx) error {
					if !tx.Writable() {
						return talaash.Errorf(talaash.EINTERNAL, "the store is read-only")
					}
					return nil
				})
				p.mu.Lock()
				p.err, p.done = err, nil
				p.mu.Unlock()
				close(done)
			}()
		}
		done := p.done
		p.mu.Unlock()
		select {
		case <-done:
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.err != nil {
				return talaash.Errorf(talaash.ErrorCode(p.err), "the store takes no writes: %s", talaash.ErrorMessage(p.err))
			}
			return nil
		case <-ctx.Done():
			return talaash.Errorf(talaash.EFAILED, "the store did not answer within %v", healthTimeout)
		}
	}
}

// metricsHandler serves GET /metrics: the core's counters (package metrics)
// and the outbox as the store holds it.
func (m *Main) metricsHandler() http.Handler {
	return metrics.Handler(
		metrics.Gauge{Name: "talaash_outbox_items", Help: "Messages waiting in the outbox (alerts, notices, retries).",
			Read: func() (float64, error) { n, _, err := m.outboxState(); return float64(n), err }},
		metrics.Gauge{Name: "talaash_outbox_oldest_seconds", Help: "Age of the oldest message waiting in the outbox; 0 when empty.",
			Read: func() (float64, error) { _, age, err := m.outboxState(); return age.Seconds(), err }},
		metrics.Gauge{Name: "talaash_outbox_unsure", Help: "Messages resent since start after an attempt whose outcome was unknown (a crash mid-send, the provider not asked or not sure): each may have reached its recipient twice.",
			Read: func() (float64, error) {
				if m.Outbox == nil {
					return 0, nil
				}
				return float64(m.Outbox.Unsure()), nil
			}},
		metrics.Gauge{Name: "talaash_matcher_loading", Help: "1 while the matcher loads at start (records saved meanwhile are matched once it is done), else 0.",
			Read: func() (float64, error) {
				if m.Cases != nil && m.Cases.Loading() {
					return 1, nil
				}
				return 0, nil
			}},
		metrics.Gauge{Name: "talaash_http_connections_limit", Help: "Open HTTP connections allowed (TALAASH_MAX_CONNS).",
			Read: func() (float64, error) { return float64(m.maxConns()), nil }},
	)
}

// outboxState counts the outbox and says how long its oldest item waits.
func (m *Main) outboxState() (n int, oldest time.Duration, err error) {
	now := m.now()
	err = m.DB.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			n++
			at := it.Created
			if at.IsZero() {
				at = it.Due
			}
			oldest = max(oldest, now.Sub(at))
			return nil
		})
	})
	return n, oldest, err
}
