package bot

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
	"talaash/police"
)

// Wrong enrolment codes allowed per sender per window.
const (
	EnrolTries  = 5
	EnrolWindow = time.Hour
)

// Roster is the police roster the core uses (for tests and the CLI).
func (b *Bot) Roster() *police.Roster { return b.roster }

// enrol checks a police code. Codes are compared in constant time (over their
// hashes, so the length does not leak either) and wrong ones are limited per
// sender; the code itself is never logged or stored.
func (t *turnCtx) enrol(code string) ([]talaash.Outbound, error) {
	b := t.b
	if b.cfg.PoliceCode == "" {
		return t.say("core.enrol.off", nil), nil
	}
	rk := "enrol:" + t.by()
	at, err := t.tx.Attempts(rk)
	if err != nil {
		return nil, err
	}
	if t.now.Sub(at.Since) >= EnrolWindow {
		at = talaash.Attempts{Since: t.now}
	}
	if at.Count >= EnrolTries {
		b.log.Warn("police enrolment refused: too many wrong codes", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender))
		return t.say("core.enrol.limited", nil), nil
	}
	want, got := sha256.Sum256([]byte(b.cfg.PoliceCode)), sha256.Sum256([]byte(strings.TrimSpace(code)))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		at.Count++
		if err := t.tx.PutAttempts(rk, at); err != nil {
			return nil, err
		}
		b.log.Warn("police enrolment: wrong code", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender), "tries", at.Count)
		if at.Count >= EnrolTries {
			return t.say("core.enrol.limited", nil), nil
		}
		return t.say("core.enrol.wrong", map[string]any{"Left": EnrolTries - at.Count}), nil
	}
	if err := b.roster.Enrol(t.tx, talaash.PoliceEntry{Channel: t.in.Channel, Address: t.in.Sender}, t.now); err != nil {
		return nil, err
	}
	if err := t.tx.DeleteAttempts(rk); err != nil {
		return nil, err
	}
	b.log.Info("police enrolled", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender))
	return t.say("core.enrol.ok", nil), nil
}

// revoke takes the sender off the police list, including a configured entry.
func (t *turnCtx) revoke() ([]talaash.Outbound, error) {
	if !t.police {
		return t.say("core.not_police", nil), nil
	}
	if err := t.b.roster.Revoke(t.tx, t.in.Channel, t.in.Sender, t.now); err != nil {
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

// status lists the sender's own records: reference, kind, status and date,
// never anything about matches. A ref that is not theirs is "not found", so
// nobody can probe other people's cases.
func (t *turnCtx) status(ref string) ([]talaash.Outbound, error) {
	var lines []string
	err := t.tx.RecordsByReporter(t.in.Channel, t.in.Sender, func(r *talaash.Record) error {
		if ref != "" && talaash.CanonicalRef(r.Ref) != talaash.CanonicalRef(ref) {
			return nil
		}
		lines = append(lines, t.statusLine(r))
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case len(lines) == 0 && ref != "":
		return t.say("core.not_found", map[string]any{"Ref": ref}), nil
	case len(lines) == 0:
		return t.say("core.status.none", nil), nil
	}
	// Newest last in the store's order; show the newest few first.
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	max := 10
	if !t.caps.Buttons {
		max = 1 // one SMS part; STATUS REF asks for another
	}
	if len(lines) > max {
		lines = lines[:max]
	}
	return t.say("core.status.list", map[string]any{"Lines": strings.Join(lines, "\n")}), nil
}

func (t *turnCtx) statusLine(r *talaash.Record) string {
	return locales.Render(t.lang, "core.status.item", map[string]any{
		"Ref": r.Ref, "Kind": t.kind(r.Kind), "Status": t.state(r.Status), "Date": t.date(r.Created),
	})
}

func (t *turnCtx) kind(k talaash.Kind) string {
	return locales.Render(t.lang, "core.kind."+string(k), nil)
}

func (t *turnCtx) state(s talaash.Status) string {
	if s == "" {
		s = talaash.StatusOpen
	}
	return locales.Render(t.lang, "core.state."+string(s), nil)
}

func (t *turnCtx) date(at time.Time) string {
	if at.IsZero() {
		at = t.now
	}
	return at.In(talaash.IST).Format("02/01/2006")
}
