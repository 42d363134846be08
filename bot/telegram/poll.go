package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"

	"talaash"
)

const (
	pollBatch = 100 // updates a getUpdates call may return (the Bot API's maximum)
	// maxPollBackoff is the longest pause between failing getUpdates calls.
	maxPollBackoff = 5 * time.Second
	// confirmTimeout bounds the last getUpdates on shutdown, which tells the
	// Bot API that the updates handled so far need not come again.
	confirmTimeout = 2 * time.Second
)

// allowedUpdates are the update kinds Talaash asks the Bot API for.
var allowedUpdates = []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}

// poll receives updates by long polling until ctx ends. The Bot API forgets
// an update once getUpdates is called with an offset past it, so the offset
// moves past a batch only when every turn of the batch has committed: a crash
// before then gets the batch again, and the core answers the updates it had
// already taken from the store.
func (c *Channel) poll(ctx context.Context) {
	var (
		offset  int64
		backoff time.Duration
		turns   sync.WaitGroup // turns still sending replies after their commit
	)
	defer turns.Wait()
loop:
	for ctx.Err() == nil {
		if backoff > 0 {
			select {
			case <-ctx.Done():
				break loop // still confirm what was taken
			case <-time.After(backoff):
			}
		}
		batch, err := c.getUpdates(ctx, offset, c.pollWait, pollBatch)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			c.contact(err)
			var te *talaash.Error
			switch {
			case errors.As(err, &te) && te.Code == talaash.ETHROTTLED:
				backoff = te.RetryAfter
			case backoff == 0:
				backoff = 100 * time.Millisecond
			default:
				backoff = min(2*backoff, maxPollBackoff)
			}
			c.log.Warn("telegram getUpdates failed", "code", talaash.ErrorCode(err), "error", talaash.ErrorMessage(err), "retry_in", backoff)
			continue
		}
		backoff = 0
		c.contact(nil)
		// Tickets are taken here, in update order, so one chat's updates of
		// the batch are turned in that order; chats run in parallel.
		var committed sync.WaitGroup
		var mu sync.Mutex
		firstFailed := int64(-1)
		fail := func(id int64) {
			mu.Lock()
			if firstFailed < 0 || id < firstFailed {
				firstFailed = id
			}
			mu.Unlock()
		}
		for _, u := range batch {
			offset = max(offset, u.id+1)
			if u.upd == nil {
				c.log.Warn("telegram update skipped: cannot read it", "update", u.id)
				continue
			}
			chat, ok := chatOf(u.upd)
			if !ok {
				continue // a kind Talaash does not use
			}
			t := c.lines.enqueue(chat, u.id)
			committed.Add(1)
			turns.Add(1)
			go func(id int64, upd *models.Update) {
				defer turns.Done()
				// An accepted update is finished, not dropped half-way, even
				// after ctx ends.
				tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), turnTimeout)
				defer cancel()
				if err := c.lines.wait(tctx, t); err != nil {
					fail(id)
					committed.Done()
					return
				}
				defer c.lines.done(t)
				in, outs, err := c.handle(tctx, upd)
				if err != nil {
					fail(id)
				}
				committed.Done()
				if err == nil {
					c.reply(tctx, upd, in, outs)
				}
			}(u.id, u.upd)
		}
		committed.Wait()
		if firstFailed >= 0 {
			// The core did not take an update: keep the offset at it so the
			// Bot API gives it again (any committed after it come back too,
			// answered from the store).
			offset = firstFailed
			if ctx.Err() == nil {
				backoff = time.Second
			}
		}
	}
	if offset > 0 {
		// Confirm the last batch now, or a restart would get it again and
		// send its replies twice. What this call returns is not taken.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), confirmTimeout)
		defer cancel()
		if _, err := c.getUpdates(cctx, offset, 0, 1); err != nil {
			c.log.Info("telegram: could not confirm the last updates; a restart may get them again", "code", talaash.ErrorCode(err))
		}
	}
}

// polled is one update of a getUpdates answer; upd is nil when it could not
// be read as an update.
type polled struct {
	id  int64
	upd *models.Update
}

// getUpdates asks the Bot API for the updates from offset on, waiting up to
// wait for one to come.
func (c *Channel) getUpdates(ctx context.Context, offset int64, wait time.Duration, limit int) ([]polled, error) {
	allowed, _ := json.Marshal(allowedUpdates)
	form := url.Values{
		"offset":          {strconv.FormatInt(offset, 10)},
		"timeout":         {strconv.Itoa(int(wait / time.Second))},
		"limit":           {strconv.Itoa(limit)},
		"allowed_updates": {string(allowed)},
	}
	api := strings.TrimRight(c.cfg.APIURL, "/")
	if api == "" {
		api = defaultAPIURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/bot"+c.cfg.Token+"/getUpdates", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: getUpdates request: %s", c.redact(err.Error()))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: getUpdates: %s", c.redact(err.Error()))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: getUpdates: reading the answer: %v", err)
	}
	var ans struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: getUpdates: HTTP %d, not a Bot API answer", resp.StatusCode)
	}
	if !ans.OK {
		if ans.ErrorCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusTooManyRequests {
			wait := time.Duration(ans.Parameters.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			return nil, &talaash.Error{Code: talaash.ETHROTTLED, Message: "telegram: getUpdates: too many requests", RetryAfter: wait}
		}
		// 409 Conflict: a webhook is set, or another poller runs.
		return nil, talaash.Errorf(talaash.EFAILED, "telegram: getUpdates: %d %s", ans.ErrorCode, ans.Description)
	}
	out := make([]polled, 0, len(ans.Result))
	for _, raw := range ans.Result {
		var head struct {
			ID int64 `json:"update_id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			continue // without an id it can be neither handled nor confirmed
		}
		p := polled{id: head.ID}
		var u models.Update
		if err := json.Unmarshal(raw, &u); err == nil {
			p.upd = &u
		}
		out = append(out, p)
	}
	return out, nil
}

// redact keeps the bot token out of an error that quotes a Bot API URL.
func (c *Channel) redact(s string) string {
	return strings.ReplaceAll(s, c.cfg.Token, "***")
}
