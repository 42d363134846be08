package bot

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/dialog"
	"talaash/locales"
	"talaash/metrics"
	"talaash/police"
	"talaash/render"
)

// Limits on wrong enrolment codes, kept in the store so a restart resets
// nothing: per sender, and across all senders so that many numbers cannot
// share the guessing. Officers are told once a window when the wrong codes
// of all senders reach EnrolAlarm; at EnrolAllTries every code is refused,
// a right one too, until the window ends.
const (
	EnrolTries    = 5
	EnrolAllTries = 20
	EnrolAlarm    = 10
	EnrolWindow   = time.Hour
)

// Attempts keys of the global limit and of the last alarm's window.
const (
	keyEnrolAll  = "enrol:*"
	keyEnrolTold = "enrol:*told"
)

// Roster is the police roster the core uses (for tests and the CLI).
func (b *Bot) Roster() *police.Roster { return b.roster }

// window returns the counter under k, restarted if its window is over.
func (t *turnCtx) window(k string) (talaash.Attempts, error) {
	a, err := t.tx.Attempts(k)
	if err != nil {
		return a, err
	}
	if t.now.Sub(a.Since) >= EnrolWindow {
		a = talaash.Attempts{Since: t.now}
	}
	return a, nil
}

// enrol takes a police code: an invitation's code enrols its officer; the
// general code (compared in constant time, over hashes so the length does
// not leak either) only makes a request an officer must approve. Wrong codes
// are limited per sender and in all; codes are never logged or stored.
func (t *turnCtx) enrol(code string) ([]talaash.Outbound, error) {
	b := t.b
	if t.police {
		return t.say("core.enrol.already", nil), nil
	}
	rk := "enrol:" + t.by()
	mine, err := t.window(rk)
	if err != nil {
		return nil, err
	}
	all, err := t.window(keyEnrolAll)
	if err != nil {
		return nil, err
	}
	if mine.Count >= EnrolTries || all.Count >= EnrolAllTries {
		b.log.Warn("police enrolment refused: too many wrong codes", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender),
			"global", all.Count >= EnrolAllTries)
		t.tx.OnCommit(func() { metrics.EnrolFailed("limited") })
		return t.say("core.enrol.limited", nil), nil
	}
	out, inv, err := b.roster.Redeem(t.tx, code, t.in.Channel, t.in.Sender, t.lang, t.now)
	if err != nil {
		return nil, err
	}
	switch out {
	case police.Enrolled:
		if err := t.tx.DeleteAttempts(rk); err != nil {
			return nil, err
		}
		b.log.Info("police enrolled by invitation", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender), "invite", inv.ID)
		return t.say("core.enrol.ok", nil), nil
	case police.Expired, police.Used, police.Elsewhere:
		b.log.Warn("police enrolment: invitation refused", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender),
			"invite", inv.ID, "why", out.String())
		id := map[police.Outcome]string{police.Expired: "core.enrol.expired", police.Used: "core.enrol.used"}[out]
		return t.wrong(rk, mine, all, id)
	}
	if b.cfg.PoliceCode == "" {
		if err := police.Audit(t.tx, t.by(), t.by(), "refuse", "wrong code", t.now); err != nil {
			return nil, err
		}
		return t.wrong(rk, mine, all, "core.enrol.off")
	}
	want, got := sha256.Sum256([]byte(police.FoldCode(b.cfg.PoliceCode))), sha256.Sum256([]byte(police.FoldCode(code)))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		if err := police.Audit(t.tx, t.by(), t.by(), "refuse", "wrong code", t.now); err != nil {
			return nil, err
		}
		return t.wrong(rk, mine, all, "")
	}
	q, fresh, err := b.roster.Ask(t.tx, t.in.Channel, t.in.Sender, t.lang, t.now)
	if err != nil {
		return nil, err
	}
	if fresh {
		b.log.Info("police enrolment requested", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender), "request", q.ID)
		err := b.tellOfficers(t.tx, fmt.Sprintf("enrol-request:%d", q.ID), "core.enrol.request",
			map[string]any{"N": q.ID, "Who": who(q.Channel, q.Address)}, t.now)
		if err != nil {
			return nil, err
		}
	}
	return t.say("core.enrol.pending", map[string]any{"N": q.ID}), nil
}

// wrong counts a refused code against the sender and all senders, tells the
// officers once a window when the wrong codes of all reach EnrolAlarm, and
// answers with id ("": how many tries are left).
func (t *turnCtx) wrong(rk string, mine, all talaash.Attempts, id string) ([]talaash.Outbound, error) {
	b := t.b
	mine.Count++
	all.Count++
	if err := t.tx.PutAttempts(rk, mine); err != nil {
		return nil, err
	}
	if err := t.tx.PutAttempts(keyEnrolAll, all); err != nil {
		return nil, err
	}
	b.log.Warn("police enrolment: wrong code", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender),
		"tries", mine.Count, "all", all.Count)
	reason := map[string]string{"core.enrol.expired": "expired", "core.enrol.used": "used", "core.enrol.off": "off"}[id]
	if reason == "" {
		reason = "wrong"
	}
	t.tx.OnCommit(func() { metrics.EnrolFailed(reason) })
	if all.Count >= EnrolAlarm {
		told, err := t.tx.Attempts(keyEnrolTold)
		if err != nil {
			return nil, err
		}
		if !told.Since.Equal(all.Since) {
			if err := t.tx.PutAttempts(keyEnrolTold, talaash.Attempts{Since: all.Since, Count: 1}); err != nil {
				return nil, err
			}
			b.log.Warn("police enrolment: many wrong codes; officers told", "all", all.Count)
			key := "enrol-alarm:" + strconv.FormatInt(all.Since.Unix(), 10)
			if err := b.tellOfficers(t.tx, key, "core.enrol.alarm", map[string]any{"Count": all.Count}, t.now); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case mine.Count >= EnrolTries || all.Count >= EnrolAllTries:
		return t.say("core.enrol.limited", nil), nil
	case id != "":
		return t.say(id, nil), nil
	}
	return t.say("core.enrol.wrong", map[string]any{"Left": EnrolTries - mine.Count}), nil
}

// who is how officers see a requester: the channel and the chat id or phone,
// masked as in logs, since officers never see each other's numbers in clear;
// the requester knows their request's number, which the approver can ask
// for, and the CLI shows the address whole.
func who(channel, address string) string {
	name, ok := map[string]string{talaash.ChannelTelegram: "Telegram", talaash.ChannelSMS: "SMS", talaash.ChannelWhatsApp: "WhatsApp"}[channel]
	if !ok {
		name = channel
	}
	return name + " " + talaash.MaskPhone(address)
}

// tellOfficers queues message id to every active officer, each in their
// language, through the outbox (sent after the commit).
func (b *Bot) tellOfficers(tx talaash.Tx, key, id string, data map[string]any, now time.Time) error {
	list, err := b.roster.Officers(tx)
	if err != nil {
		return err
	}
	for _, o := range list {
		if err := notify(tx, b.channels, o.Channel, o.Address, langOf(tx, o.Channel, o.Address, o.Lang), key, id, data, now); err != nil {
			return err
		}
	}
	return nil
}

// langOf is lang, else the language of channel:address's session.
func langOf(tx talaash.Tx, channel, address, lang string) string {
	if lang == "" {
		if raw, _ := tx.Session(key(channel, address)); raw != nil {
			if s, err := dialog.Unmarshal(raw); err == nil {
				lang = s.Lang
			}
		}
	}
	return locales.Lang(lang)
}

// notify queues one core message to channel:to in the outbox.
func notify(tx talaash.Tx, channels *talaash.Registry, channel, to, lang, k, id string, data map[string]any, now time.Time) error {
	if channels == nil {
		channels = talaash.Known()
	}
	c, _ := channels.Caps(channel)
	m := render.Reply(c, channel, to, lang, render.Message{ID: id, Data: data})
	return tx.Enqueue(&talaash.OutboxItem{Kind: "notify", Key: k, Msg: m, Due: now, Created: now})
}

// Approve accepts enrolment request id for by ("cli" or an officer's
// "channel:address") and queues the news to the requester. The CLI and the
// chat's APPROVE N share it.
func Approve(tx talaash.Tx, r *police.Roster, channels *talaash.Registry, id uint64, by string, now time.Time) (*talaash.Request, error) {
	q, err := r.Approve(tx, id, by, now)
	if err != nil {
		return q, err
	}
	k := fmt.Sprintf("enrol-approved:%d", q.ID)
	return q, notify(tx, channels, q.Channel, q.Address, langOf(tx, q.Channel, q.Address, q.Lang), k, "core.enrol.approved",
		map[string]any{"N": q.ID}, now)
}

// approve answers an officer's APPROVE N, or lists the waiting requests.
func (t *turnCtx) approve(arg string) ([]talaash.Outbound, error) {
	if !t.police {
		return t.say("core.not_police", nil), nil
	}
	if arg == "" {
		list, err := t.b.roster.Pending(t.tx)
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return t.say("core.approve.none", nil), nil
		}
		var lines []string
		for _, q := range list {
			lines = append(lines, locales.Render(t.lang, "core.approve.item",
				map[string]any{"N": q.ID, "Who": who(q.Channel, q.Address), "Date": t.date(q.At)}))
		}
		return t.say("core.approve.list", map[string]any{"Lines": strings.Join(lines, "\n")}), nil
	}
	n, err := strconv.ParseUint(arg, 10, 64)
	if err != nil {
		return t.say("core.approve.unknown", map[string]any{"N": arg}), nil
	}
	q, err := Approve(t.tx, t.b.roster, t.b.channels, n, t.by(), t.now)
	switch talaash.ErrorCode(err) {
	case "":
	case talaash.ENOTFOUND:
		return t.say("core.approve.unknown", map[string]any{"N": n}), nil
	case talaash.ECONFLICT:
		return t.say("core.approve.decided", map[string]any{"N": n}), nil
	default:
		return nil, err
	}
	t.b.log.Info("police enrolment approved", "request", q.ID, "channel", q.Channel, "sender", talaash.MaskPhone(q.Address),
		"by_channel", t.in.Channel, "by", talaash.MaskPhone(t.in.Sender))
	return t.say("core.approve.ok", map[string]any{"N": q.ID, "Who": who(q.Channel, q.Address)}), nil
}

// revoke takes the sender off the police list, including a configured entry.
func (t *turnCtx) revoke() ([]talaash.Outbound, error) {
	if !t.police {
		return t.say("core.not_police", nil), nil
	}
	if err := t.b.roster.Revoke(t.tx, t.in.Channel, t.in.Sender, t.by(), t.now); err != nil {
		return nil, err
	}
	t.b.log.Info("police enrolment revoked", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender))
	return t.say("core.revoked", nil), nil
}

func (t *turnCtx) stop() ([]talaash.Outbound, error) {
	if err := t.tx.PutStopped(t.in.Channel, t.in.Sender, t.now); err != nil {
		return nil, err
	}
	return t.say("core.stopped", nil), nil
}

func (t *turnCtx) start() ([]talaash.Outbound, error) {
	if err := t.tx.DeleteStopped(t.in.Channel, t.in.Sender); err != nil {
		return nil, err
	}
	return t.say("core.started", nil), nil
}

func (t *turnCtx) date(at time.Time) string {
	if at.IsZero() {
		at = t.now
	}
	return at.In(talaash.IST).Format("02/01/2006")
}
