package main

// Limits on inbound messages, asked by the core before each turn: one per
// sender on the channels that reach a phone (kept in the store, written in
// the turn's own transaction, so a restart resets nothing and no fsync is
// added), and one across all senders (in memory: it protects the service,
// and a restart is no way around it).

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"talaash"
)

// Default limits. SenderPerMinute keeps a looping or flooding phone from
// costing a reply per message; DefaultInboundRate is above what one machine
// commits (about 2,000 turns a second on two cores), so it only meets a
// flood, refused at once instead of queued behind the database.
const (
	SenderPerMinute    = 20
	DefaultInboundRate = 5000
	// rateLimitedMsg is the notice a sender gets once a window.
	rateLimitedMsg = "sms.rate_limited"
)

// inboundRate reads TALAASH_INBOUND_RATE: messages a second across all
// senders; 0 or "off" turns the limit off.
func inboundRate(v string) (int, error) {
	switch v = strings.TrimSpace(v); v {
	case "":
		return DefaultInboundRate, nil
	case "off":
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, talaash.Errorf(talaash.EINVALID, "TALAASH_INBOUND_RATE %q is not a number of messages a second", v)
	}
	return n, nil
}

// limits is the core's bot.Gate.
type limits struct {
	perMinute int
	phone     func(channel string) bool // channels limited per sender
	global    *bucket                   // nil: no limit on all senders
}

// Admit takes a token from the global bucket; without one the message is
// refused, ETHROTTLED, before any work (the adapters answer 5xx, so Telegram
// and Kannel send it again).
func (l *limits) Admit(in talaash.Inbound, now time.Time) error {
	if l.global == nil || l.global.take(now) {
		return nil
	}
	return &talaash.Error{Code: talaash.ETHROTTLED, Message: "too many messages from all senders; try again shortly", RetryAfter: time.Second}
}

// Allow counts a sender's messages in one-minute windows that open with
// their first message ("rate:CHANNEL:ADDRESS" in the store's attempt
// counters, pruned with them). The first message over the limit gets the
// notice; later ones in the window are dropped without a write.
func (l *limits) Allow(tx talaash.Tx, in talaash.Inbound, now time.Time) (bool, string, map[string]any, error) {
	if l.perMinute <= 0 || !l.phone(in.Channel) {
		return true, "", nil, nil
	}
	k := "rate:" + in.Channel + ":" + in.Sender
	a, err := tx.Attempts(k)
	if err != nil {
		return false, "", nil, err
	}
	if now.Sub(a.Since) >= time.Minute || now.Before(a.Since) {
		a = talaash.Attempts{Since: now}
	}
	if a.Count > l.perMinute {
		return false, "", nil, nil // told already
	}
	a.Count++
	if err := tx.PutAttempts(k, a); err != nil {
		return false, "", nil, err
	}
	if a.Count > l.perMinute {
		return false, rateLimitedMsg, map[string]any{"PerMinute": l.perMinute}, nil
	}
	return true, "", nil, nil
}

// bucket is a token bucket of rate tokens a second holding at most one
// second's worth.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	last   time.Time
}

func newBucket(rate int) *bucket {
	if rate <= 0 {
		return nil
	}
	return &bucket{rate: float64(rate), tokens: float64(rate)}
}

func (b *bucket) take(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.rate, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
