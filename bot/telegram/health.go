package telegram

import (
	"context"
	"sync"
	"time"

	"talaash"
)

// health is what the last exchange with the Bot API said: a getUpdates, the
// setWebhook at start, or a webhook update with the right secret (Telegram
// reaching us is as good as us reaching it).
type health struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

// contact records an exchange's outcome.
func (c *Channel) contact(err error) {
	c.health.mu.Lock()
	c.health.at, c.health.err = time.Now(), err
	c.health.mu.Unlock()
}

// Health reports whether the last exchange with the Bot API succeeded
// (nil before the first: a getUpdates may wait a minute for its answer).
func (c *Channel) Health(context.Context) error {
	c.health.mu.Lock()
	defer c.health.mu.Unlock()
	if c.health.err != nil {
		return talaash.Errorf(talaash.ErrorCode(c.health.err), "telegram: %s (%s ago)", talaash.ErrorMessage(c.health.err),
			time.Since(c.health.at).Round(time.Second))
	}
	return nil
}
