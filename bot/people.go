package bot

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
)

// Wrong enrolment codes allowed per sender per window.
const (
	EnrolTries  = 5
	EnrolWindow = time.Hour
)

// policeEntry is the value kept in NSPolice.
type policeEntry struct {
	At      time.Time `json:"at"`
	Revoked bool      `json:"revoked,omitempty"` // also overrides the configured lists
}

// attempts is the value kept in NSRateLimit.
type attempts struct {
	Since time.Time `json:"since"`
	Count int       `json:"count"`
}

// isPolice reports whether the sender is an enrolled officer: enrolled by code,
// or on a configured list and not revoked since.
func (b *Bot) isPolice(tx talaash.Tx, channel, sender string) bool {
	k := key(channel, sender)
	if v := tx.Get(NSPolice, k); v != nil {
		var e policeEntry
		if json.Unmarshal(v, &e) == nil {
			return !e.Revoked
		}
	}
	return b.police[k]
}

// Police returns every enrolled officer ("channel:address" split), sorted, for
// alert delivery. Lang is left empty: the officer's session knows it.
func (b *Bot) Police(tx talaash.Tx) []Officer {
	keys := map[string]bool{}
	for k := range b.police {
		keys[k] = true
	}
	_ = tx.Each(NSPolice, func(k string, v []byte) error {
		var e policeEntry
		if json.Unmarshal(v, &e) == nil {
			keys[k] = !e.Revoked
		}
		return nil
	})
	var out []Officer
	for k, ok := range keys {
		if !ok {
			continue
		}
		ch, addr, _ := strings.Cut(k, ":")
		// Configured phone numbers are listed for every channel that reaches a
		// phone; alerts go on the first of them (SMS) unless the officer
		// enrolled on another.
		if b.caps(ch).PhoneAddress && ch != b.channels.PhoneChannel() && b.police[k] && tx.Get(NSPolice, k) == nil {
			continue
		}
		o := Officer{Channel: ch, Address: addr}
		if raw, _ := tx.Session(k); raw != nil {
			var s struct {
				Lang string `json:"lang"`
			}
			if json.Unmarshal(raw, &s) == nil {
				o.Lang = s.Lang
			}
		}
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i].Channel, out[i].Address) < key(out[j].Channel, out[j].Address) })
	return out
}

// enrol checks a police code. Codes are compared in constant time (over their
// hashes, so the length does not leak either) and wrong ones are limited per
// sender; the code itself is never logged or stored.
func (t *turnCtx) enrol(code string) ([]talaash.Outbound, error) {
	b := t.b
	if b.cfg.PoliceCode == "" {
		return t.say("core.enrol.off", nil), nil
	}
	rk := "enrol:" + t.by()
	var at attempts
	if v := t.tx.Get(NSRateLimit, rk); v != nil {
		_ = json.Unmarshal(v, &at)
	}
	if t.now.Sub(at.Since) >= EnrolWindow {
		at = attempts{Since: t.now}
	}
	if at.Count >= EnrolTries {
		b.log.Warn("police enrolment refused: too many wrong codes", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender))
		return t.say("core.enrol.limited", nil), nil
	}
	want, got := sha256.Sum256([]byte(b.cfg.PoliceCode)), sha256.Sum256([]byte(strings.TrimSpace(code)))
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		at.Count++
		v, _ := json.Marshal(at)
		if err := t.tx.Put(NSRateLimit, rk, v); err != nil {
			return nil, err
		}
		b.log.Warn("police enrolment: wrong code", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender), "tries", at.Count)
		if at.Count >= EnrolTries {
			return t.say("core.enrol.limited", nil), nil
		}
		return t.say("core.enrol.wrong", map[string]any{"Left": EnrolTries - at.Count}), nil
	}
	v, _ := json.Marshal(policeEntry{At: t.now.UTC()})
	if err := t.tx.Put(NSPolice, t.by(), v); err != nil {
		return nil, err
	}
	if err := t.tx.Delete(NSRateLimit, rk); err != nil {
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
	v, _ := json.Marshal(policeEntry{At: t.now.UTC(), Revoked: true})
	if err := t.tx.Put(NSPolice, t.by(), v); err != nil {
		return nil, err
	}
	t.b.log.Info("police enrolment revoked", "channel", t.in.Channel, "sender", talaash.MaskPhone(t.in.Sender))
	return t.say("core.revoked", nil), nil
}

func (t *turnCtx) stop() ([]talaash.Outbound, error) {
	if err := t.tx.Put(NSStopped, t.by(), []byte(t.now.UTC().Format(time.RFC3339))); err != nil {
		return nil, err
	}
	return t.say("core.stopped", nil), nil
}

func (t *turnCtx) start() ([]talaash.Outbound, error) {
	if err := t.tx.Delete(NSStopped, t.by()); err != nil {
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
