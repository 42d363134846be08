// Package outbox delivers the messages Talaash sends outside a reply — match
// alerts, notifications to parents and bystanders, reminders — from the
// store's outbox, where they were written in the same transaction as whatever
// caused them.
//
// Delivery protocol, per item:
//
//  1. In one Update the item is marked sending: Attempts is incremented,
//     LastError says "in flight since" the moment, and Due moves to the end of
//     a lease (Lease: SendTimeout plus a margin). A recipient marked stopped is
//     dropped here. Nothing is sent before this commits.
//  2. The channel's Sender is called, outside any transaction.
//  3. Its answer is committed at once, before any other work (logging,
//     pacing): on success one Update records the provider's message id in the
//     delivery log (the store's Sent entries, by the item's Key and recipient)
//     and deletes the item. On failure the item gets a new Due (throttled:
//     after RetryAfter; failed: exponential backoff) or is dropped (stopped,
//     or too old).
//
// Order: items to one recipient go in the order they were enqueued, paced,
// except that an item retried after a failure lets later ones pass — unless
// they are its follow-ups, whose Key extends its Key at a colon (an alert's
// photos, "alert:M|S:photo:0" after "alert:M|S"): those wait for it.
//
// The delivery log also makes an item's Key an idempotency key: a message with
// the same Key to the same recipient is delivered once, however often it was
// enqueued (Keys name what a message is about, e.g. "alert:MREF:SREF"; leave
// Key empty for messages that may repeat). Entries older than KeepLog are pruned.
//
// Nothing is lost by a crash: an item leaves the outbox only in the Update that
// records its delivery. What a crash can do is repeat one message: Telegram's
// Bot API and Twilio's Messages API take no idempotency key, so a message the
// provider accepted just before the process died, with step 3 not yet
// committed, is sent again. That window is the time from the provider's
// answer reaching us to the commit of step 3 (plus the answer's way back
// over the network, which no design here can shorten): one bbolt commit, its
// fsync. TestDuplicateWindow and BenchmarkDuplicateWindow measure it with a
// fake provider on a real file: a median of 0.6-1.9 ms and a p99 of 7-48 ms
// on the shared development machine's ext4 disk. A crash during the call
// itself leaves the outcome unknown as well: the provider may or may not
// have taken the message.
//
// Several workers on one store (replicas of a shared database: the outbox
// runs on the one leading it, but a replica that lost the lead may still be
// sending) each send an item only after marking it in a transaction that
// finds it as they last read it, and, on a shared store, whose first write is
// the item's claim counter (an attempt counter, "outbox:ID", that its
// delivery leaves). Of two workers marking the same item, the store commits
// one; the other's transaction conflicts on that row (PostgreSQL's
// REPEATABLE READ: a concurrent update; the item's own row would not do,
// since an upsert over a row deleted meanwhile conflicts with nothing) and is
// run again, finds the mark, or the item gone, and leaves it. So each item,
// and through the delivery log each (Key, recipient), is sent once, but for
// the window above: across replicas it is the provider's answer to the
// commit of step 3, one PostgreSQL commit, or a leader killed during the
// call.
//
// An item found sending (after a crash, or a replica that died mid-call) is
// not resent at once: it waits out its lease, so a call still under way
// elsewhere ends first — or, for a worker that took over from one that has
// stopped, Takeover from its start. Then, if the channel's Sender is also a Checker, the
// provider is asked whether the message went out since the attempt began,
// and a message found is recorded as delivered, not sent again; otherwise it
// is resent, logged and counted (Worker.Unsure, talaash_outbox_unsure on
// /metrics), as a possible duplicate. The Twilio adapter is a Checker (it
// lists the recipient's messages from our number): for SMS and WhatsApp text
// a crash mid-send repeats nothing; for Telegram, which offers no such list,
// the window above stands.
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"talaash"
	"talaash/metrics"
)

// inFlight marks an item handed to a provider whose answer is not recorded
// yet; LastError is inFlight + " since " + the attempt's start (RFC 3339).
const inFlight = "in flight"

// Checker is a Sender that can look up what it sent: Sent reports the
// provider's id of a message to m.To with m's text sent since the given
// moment, if there is one. The worker asks it before resending an item whose
// last attempt's outcome is unknown.
type Checker interface {
	Sent(ctx context.Context, m talaash.Outbound, since time.Time) (id string, found bool, err error)
}

// attemptStart reads when the unfinished attempt recorded in LastError began;
// ok is false for an item not marked sending.
func attemptStart(it *talaash.OutboxItem) (since time.Time, ok bool) {
	rest, ok := strings.CutPrefix(it.LastError, inFlight)
	if !ok {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(rest, " since ")); err == nil {
		return t, true
	}
	return it.Created, true
}

// Worker delivers the outbox. The zero values of the optional fields are
// sensible defaults; one Worker per database.
type Worker struct {
	DB talaash.Store
	// Channels gives each channel's sender and says how fast it may send
	// (Capabilities.Rate and RatePerTo); nil: talaash.Known(), no senders.
	Channels *talaash.Registry
	// Senders, if set, are the senders by channel name instead of those of
	// Channels.
	Senders map[string]talaash.Sender
	Now     func() time.Time

	// Rate overrides the messages per second of a channel (default its
	// Capabilities.Rate, else 1).
	Rate map[string]float64
	// PerChat overrides the least gap between two messages to one recipient
	// (default 1/Capabilities.RatePerTo, else 1s).
	PerChat time.Duration
	// Poll is how often Run looks at the outbox without a Kick (1s).
	Poll time.Duration
	// Backoff and MaxBackoff shape retries of failed sends (5s doubling, capped
	// at 30 min); GiveUp drops an item this long after it was created (24h).
	Backoff, MaxBackoff, GiveUp time.Duration
	// SendTimeout bounds one provider call (30s).
	SendTimeout time.Duration
	// Lease is how long an item marked sending is left alone before it counts
	// as abandoned and is checked or resent (SendTimeout + 10s).
	Lease time.Duration
	// Takeover, when set, is how long after Run starts an item found sending
	// from before the start waits, instead of the rest of its lease: where a
	// worker runs only while its process leads the outbox, such an item was
	// left by a worker that has stopped (a replica that died or lost the
	// lead, whose calls ended with it), so failover need not wait a lease.
	Takeover time.Duration
	// Sleep waits for d or ctx; tests replace it to move a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	Log   *slog.Logger
	// KeepLog is how long the delivery log remembers a message (30 days).
	KeepLog time.Duration

	unsure  atomic.Int64 // items resent after an attempt of unknown outcome
	started atomic.Int64 // Unix nanoseconds when Run last started

	mu       sync.Mutex // one Drain at a time; guards the pacing maps
	wake     chan struct{}
	wakeOnce sync.Once
	nextChat map[string]time.Time // "channel:to" -> earliest next send
	nextChan map[string]time.Time // channel -> earliest next send
}

// Unsure counts the items this worker resent after finding them sending with
// no recorded outcome: each one a message the recipient may get twice.
func (w *Worker) Unsure() int64 { return w.unsure.Load() }

func (w *Worker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return dur(w.SendTimeout, 30*time.Second) + 10*time.Second
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}

func dur(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (w *Worker) caps(channel string) talaash.Capabilities {
	reg := w.Channels
	if reg == nil {
		reg = known
	}
	c, _ := reg.Caps(channel)
	return c
}

var known = talaash.Known()

func (w *Worker) sender(channel string) talaash.Sender {
	if w.Senders != nil {
		return w.Senders[channel]
	}
	s, _ := w.Channels.Sender(channel)
	return s
}

func (w *Worker) rate(channel string) float64 {
	if r, ok := w.Rate[channel]; ok && r > 0 {
		return r
	}
	if r := w.caps(channel).Rate; r > 0 {
		return r
	}
	return 1
}

// perTo is the least gap between two messages to one recipient on channel.
func (w *Worker) perTo(channel string) time.Duration {
	if w.PerChat > 0 {
		return w.PerChat
	}
	if r := w.caps(channel).RatePerTo; r > 0 {
		return time.Duration(float64(time.Second) / r)
	}
	return time.Second
}

func (w *Worker) sleep(ctx context.Context, d time.Duration) error {
	if w.Sleep != nil {
		return w.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (w *Worker) wakeCh() chan struct{} {
	w.wakeOnce.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// Kick tells a running worker that something was enqueued. It never blocks;
// pass it to tx.OnCommit so the worker looks only after the commit.
func (w *Worker) Kick() {
	select {
	case w.wakeCh() <- struct{}{}:
	default:
	}
}

// Run delivers the outbox until ctx ends, looking every Poll and whenever
// kicked.
func (w *Worker) Run(ctx context.Context) {
	w.started.Store(w.now().UnixNano())
	poll := dur(w.Poll, time.Second)
	t := time.NewTicker(poll)
	defer t.Stop()
	var pruned time.Time
	for {
		if now := w.now(); now.Sub(pruned) > 24*time.Hour {
			pruned = now
			err := w.DB.Update(func(tx talaash.Tx) error { return Prune(tx, now.Add(-dur(w.KeepLog, 30*24*time.Hour))) })
			if err != nil {
				w.log().Error("outbox prune", "err", err)
			}
		}
		if err := w.Drain(ctx); err != nil && ctx.Err() == nil {
			w.log().Error("outbox drain", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wakeCh():
		case <-t.C:
		}
	}
}

// Drain delivers every item that is due now, pacing sends per recipient and
// per channel, and returns when none is left due (items rescheduled into the
// future stay for a later Drain).
func (w *Worker) Drain(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.nextChat == nil {
		w.nextChat = map[string]time.Time{}
		w.nextChan = map[string]time.Time{}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		due, err := w.due()
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return nil
		}
		var wait time.Time // earliest moment a waiting item may go
		blocked := map[string]bool{}
		for _, it := range due {
			chat := recipient(it.Msg)
			if blocked[chat] {
				continue // keep one recipient's messages in order
			}
			now := w.now()
			ready := later(w.nextChat[chat], w.nextChan[it.Msg.Channel])
			if ready.After(now) {
				blocked[chat] = true
				if wait.IsZero() || ready.Before(wait) {
					wait = ready
				}
				continue
			}
			if err := w.deliver(ctx, it); err != nil {
				return err
			}
		}
		if !wait.IsZero() {
			if d := wait.Sub(w.now()); d > 0 {
				if err := w.sleep(ctx, d); err != nil {
					return err
				}
			}
		}
	}
}

// due lists the items whose Due has come, in ID order, less follow-ups whose
// lead is still waiting (see follows).
func (w *Worker) due() ([]*talaash.OutboxItem, error) {
	now := w.now()
	var out []*talaash.OutboxItem
	waiting := map[string]bool{} // recipient|Key of the items met so far
	err := w.DB.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			chat := recipient(it.Msg)
			if (!it.Due.After(now) || w.left(it, now)) && !follows(waiting, chat, it.Key) {
				c := *it
				out = append(out, &c)
			}
			if it.Key != "" {
				waiting[chat+"|"+it.Key] = true
			}
			return nil
		})
	})
	return out, err
}

// left reports whether it is marked sending by a worker that stopped before
// Run started, and Takeover has passed since (see Takeover).
func (w *Worker) left(it *talaash.OutboxItem, now time.Time) bool {
	start := w.started.Load()
	if w.Takeover <= 0 || start == 0 {
		return false
	}
	since, sending := attemptStart(it)
	t0 := time.Unix(0, start)
	return sending && since.Before(t0) && !now.Before(t0.Add(w.Takeover))
}

// follows reports whether an item keyed key is a follow-up of an earlier item
// to the same recipient still in the outbox: its key extends that one's at a
// colon ("alert:M|S:photo:0" follows "alert:M|S"). A follow-up waits while its
// lead is retried, so an alert's photos never arrive before the alert. Only
// follow-ups wait: other messages to the chat go on, so one message that keeps
// failing does not hold back every later alert to that officer.
func follows(waiting map[string]bool, chat, key string) bool {
	for {
		i := strings.LastIndexByte(key, ':')
		if i <= 0 {
			return false
		}
		key = key[:i]
		if waiting[chat+"|"+key] {
			return true
		}
	}
}

func recipient(m talaash.Outbound) string { return m.Channel + ":" + m.To }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// deliver sends one item through the protocol in the package comment. Only
// store failures are returned; provider failures reschedule or drop the item.
func (w *Worker) deliver(ctx context.Context, it *talaash.OutboxItem) error {
	chat := recipient(it.Msg)
	logger := w.log().With("item", it.ID, "kind", it.Kind, "key", it.Key,
		"channel", it.Msg.Channel, "to", talaash.MaskPhone(it.Msg.To))
	s := w.sender(it.Msg.Channel)

	// An earlier attempt that never recorded its outcome: ask the provider if
	// it can tell, else resend knowing it may be a duplicate.
	if since, unsure := attemptStart(it); unsure && s != nil {
		if c, ok := s.(Checker); ok {
			cctx, cancel := context.WithTimeout(ctx, dur(w.SendTimeout, 30*time.Second))
			id, found, err := c.Sent(cctx, it.Msg, since)
			cancel()
			switch {
			case err != nil:
				logger.Warn("outbox: cannot check an unfinished attempt; will retry", "err", talaash.ErrorMessage(err))
				return w.DB.Update(func(tx talaash.Tx) error {
					it.Due = w.now().Add(w.backoff(it.Attempts))
					return tx.PutOutbox(it)
				})
			case found:
				err := w.DB.Update(func(tx talaash.Tx) error { return w.delivered(tx, it, id, w.now()) })
				if err == nil {
					logger.Info("outbox: an unfinished attempt had gone through; not resent", "attempts", it.Attempts)
				}
				return err
			}
		} else {
			w.unsure.Add(1)
			logger.Warn("outbox: resending after an attempt of unknown outcome; the recipient may get it twice",
				"attempts", it.Attempts, "since", since)
		}
	}

	// 1. Mark sending, or drop for a stopped recipient.
	var dropped bool
	start, due := w.now(), it.Due
	err := w.DB.Update(func(tx talaash.Tx) error {
		dropped = false
		// Claimed only as it was read: another worker on the same store
		// (a replica still sending when it lost the lead) that marked it
		// first has it. Every claim of an item first writes its claim
		// counter, a row its delivery does not delete, so two claims always
		// write one same row: where they overlap the store commits one and
		// runs the other again, which then finds the mark (or the item gone).
		// A store of one process runs one Update at a time on what is
		// committed, so there the second claim simply reads the first's.
		if talaash.Shared(w.DB) {
			if err := tx.PutAttempts(claimKey(it.ID), talaash.Attempts{Since: start, Count: it.Attempts + 1}); err != nil {
				return err
			}
		}
		if cur, err := current(tx, it.ID); err != nil {
			return err
		} else if cur == nil || cur.Attempts != it.Attempts || cur.LastError != it.LastError || !cur.Due.Equal(it.Due) {
			dropped = true
			logger.Info("outbox: taken by another worker")
			return nil
		}
		stopped, err := tx.Stopped(it.Msg.Channel, it.Msg.To)
		if err != nil {
			return err
		}
		if stopped {
			dropped = true
			logger.Info("outbox: recipient stopped, dropped")
			return tx.DeleteOutbox(it.ID)
		}
		if it.Key != "" {
			_, err := tx.Sent(it.Key, it.Msg.Channel, it.Msg.To)
			if err == nil {
				dropped = true // the same message already reached this recipient
				logger.Info("outbox: already delivered, dropped")
				return tx.DeleteOutbox(it.ID)
			} else if talaash.ErrorCode(err) != talaash.ENOTFOUND {
				return err
			}
		}
		it.Attempts++
		it.LastError = inFlight + " since " + start.UTC().Format(time.RFC3339Nano)
		it.Due = start.Add(w.lease())
		return tx.PutOutbox(it)
	})
	if err != nil || dropped {
		return err
	}

	// 2. Send.
	var id string
	if s == nil {
		err = talaash.Errorf(talaash.EFAILED, "no sender for channel %q", it.Msg.Channel)
	} else {
		sctx, cancel := context.WithTimeout(ctx, dur(w.SendTimeout, 30*time.Second))
		id, err = s.Send(sctx, it.Msg)
		cancel()
	}

	// 3. Record the outcome at once: until this commits, a crash repeats a
	// message the provider took. Logging and pacing come after.
	now := w.now()
	code := talaash.ErrorCode(err)
	var ra time.Duration
	gaveUp := false
	if err == nil { // the provider took it, whatever step 3 makes of it
		metrics.Out(it.Msg.Channel, metrics.OutOutbox, 1)
		if it.Kind == "alert" {
			metrics.Alert(metrics.AlertSent)
		}
	}
	cerr := w.DB.Update(func(tx talaash.Tx) error {
		if err == nil {
			return w.delivered(tx, it, id, now)
		}
		it.LastError = talaash.ErrorMessage(err)
		switch code {
		case talaash.ESTOPPED:
			if err := tx.PutStopped(it.Msg.Channel, it.Msg.To, now); err != nil {
				return err
			}
			return tx.DeleteOutbox(it.ID)
		case talaash.EINVALID:
			// The provider refused this message for good (no such chat, a
			// bad photo id, an invalid number): retrying cannot help.
			return tx.DeleteOutbox(it.ID)
		case talaash.ETHROTTLED:
			ra = retryAfter(err)
			it.Due = now.Add(ra)
			return tx.PutOutbox(it)
		}
		created := it.Created
		if created.IsZero() {
			created = due
		}
		if now.Sub(created) >= dur(w.GiveUp, 24*time.Hour) {
			gaveUp = true
			return tx.DeleteOutbox(it.ID)
		}
		it.Due = now.Add(w.backoff(it.Attempts))
		return tx.PutOutbox(it)
	})

	w.nextChat[chat] = start.Add(w.perTo(it.Msg.Channel))
	w.nextChan[it.Msg.Channel] = start.Add(time.Duration(float64(time.Second) / w.rate(it.Msg.Channel)))
	if cerr != nil {
		return cerr
	}
	switch {
	case err == nil:
		logger.Info("outbox: delivered", "attempts", it.Attempts)
	case code == talaash.ESTOPPED:
		logger.Info("outbox: recipient stopped by provider, dropped")
	case code == talaash.EINVALID:
		logger.Warn("outbox: refused by provider, dropped", "err", it.LastError)
	case code == talaash.ETHROTTLED:
		// The provider's limit is the bot's or the account's, not one
		// chat's: every message on the channel waits it out.
		w.nextChat[chat] = it.Due
		w.nextChan[it.Msg.Channel] = later(w.nextChan[it.Msg.Channel], it.Due)
		logger.Info("outbox: throttled", "retry_after", ra)
	case gaveUp:
		logger.Warn("outbox: giving up", "attempts", it.Attempts, "err", it.LastError)
	default:
		logger.Info("outbox: send failed, will retry", "attempts", it.Attempts, "due", it.Due, "err", it.LastError)
	}
	return nil
}

// claimKey is the attempt counter of item id's claims (pruned with the other
// attempt counters, long after the item has gone).
func claimKey(id uint64) string { return "outbox:" + strconv.FormatUint(id, 10) }

// errFound ends a walk of the outbox at the item sought.
var errFound = errors.New("found")

// current is item id as the store holds it now, nil if it left the outbox.
func current(tx talaash.Tx, id uint64) (*talaash.OutboxItem, error) {
	var cur *talaash.OutboxItem
	err := tx.EachOutbox(func(it *talaash.OutboxItem) error {
		if it.ID != id {
			return nil
		}
		c := *it
		cur = &c
		return errFound
	})
	if errors.Is(err, errFound) {
		err = nil
	}
	return cur, err
}

// delivered records that it reached its recipient as the provider's id and
// takes it out of the outbox.
func (w *Worker) delivered(tx talaash.Tx, it *talaash.OutboxItem, id string, now time.Time) error {
	it.SentID, it.LastError = id, ""
	if it.Key != "" {
		d := &talaash.Sent{Key: it.Key, Channel: it.Msg.Channel, To: it.Msg.To, SentID: id, At: now, ItemID: it.ID}
		if err := tx.PutSent(d); err != nil {
			return err
		}
	}
	return tx.DeleteOutbox(it.ID)
}

// backoff is the wait after the n-th failed attempt: Backoff, doubling, capped.
func (w *Worker) backoff(n int) time.Duration {
	d, max := dur(w.Backoff, 5*time.Second), dur(w.MaxBackoff, 30*time.Minute)
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d
}

func retryAfter(err error) time.Duration {
	var e *talaash.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		return e.RetryAfter
	}
	return time.Second
}

// Delivered reports the delivery log entry of message key to recipient
// channel:to, if it was delivered.
func Delivered(tx talaash.Tx, key, channel, to string) (talaash.Sent, bool) {
	if key == "" || channel == "" || to == "" {
		return talaash.Sent{}, false
	}
	d, err := tx.Sent(key, channel, to)
	if err != nil {
		return talaash.Sent{}, false
	}
	return *d, true
}

// Prune drops delivery log entries from before the given time (Run does it
// daily; the log only guards against enqueuing the same message twice).
func Prune(tx talaash.Tx, before time.Time) error {
	_, err := tx.PruneSent(before)
	return err
}
