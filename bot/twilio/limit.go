package twilio

import (
	"sync"
	"time"
)

type limitResult int

const (
	limitOK     limitResult = iota // within the limit: handle the message
	limitNotify                    // the first message over the limit: send the notice
	limitDrop                      // over the limit and already told: ignore
)

// limiter counts inbound messages per sender in fixed one-minute windows that
// open with the sender's first message, so a flood costs us at most one notice
// a minute instead of a reply per message.
type limiter struct {
	per       int
	mu        sync.Mutex
	windows   map[string]*window
	lastSweep time.Time
}

type window struct {
	start    time.Time
	sids     map[string]bool // counted messages: a Twilio retry is not a new message
	notified bool
}

// newLimiter returns a limiter of per messages a minute, or nil (no limit)
// when per < 0.
func newLimiter(per int) *limiter {
	if per < 0 {
		return nil
	}
	return &limiter{per: per, windows: make(map[string]*window)}
}

func (l *limiter) allow(sender, sid string, now time.Time) limitResult {
	if l == nil {
		return limitOK
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= time.Minute {
		// Forget closed windows so memory follows the senders of the last minute.
		for k, w := range l.windows {
			if now.Sub(w.start) >= time.Minute {
				delete(l.windows, k)
			}
		}
		l.lastSweep = now
	}
	w := l.windows[sender]
	if w == nil || now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		w = &window{start: now, sids: make(map[string]bool)}
		l.windows[sender] = w
	}
	if w.sids[sid] {
		return limitOK
	}
	if len(w.sids) < l.per {
		w.sids[sid] = true
		return limitOK
	}
	if !w.notified {
		w.notified = true
		return limitNotify
	}
	return limitDrop
}
