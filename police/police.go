// Package police is the one roster of enrolled officers: the pre-enrolled
// lists of the configuration (TALAASH_POLICE_TELEGRAM, TALAASH_POLICE_SMS)
// and the store's enrolment entries. The bot core asks it whether a sender is
// police and enrols or revokes; alerts asks it who gets alerts, and an
// officer's name and language. A revoked entry in the store overrides a
// configured one.
//
// Nobody becomes police by a shared code alone: an invitation (talaash police
// add) carries a one-time code for one named officer, stored only as its
// hash, valid once and until it expires, and bound to a chat or phone if it
// names one; the general code (TALAASH_POLICE_CODE) only makes a request
// that an officer or talaash police approve accepts. Every invitation,
// enrolment, request, approval, refusal and revocation goes into the audit
// log under the subject's "channel:address" (and "invite:N"), which talaash
// audit prints.
package police

import (
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"talaash"
)

// Roster answers who is police. It holds only the configured lists; the
// enrolments are read from the transaction each time, so every replica of a
// shared store agrees.
type Roster struct {
	configured map[string]bool // "channel:address"
	alerted    map[string]bool // the configured ones alerts go to
	phone      map[string]bool // channels whose addresses are phone numbers
}

// New makes the roster of the pre-enrolled Telegram chat ids and phone
// numbers. A phone number counts on every channel in phoneChannels (those
// whose addresses are phone numbers) and gets alerts on the first of them; one
// that is not a phone number is ignored with a warning on log (nil:
// slog.Default()).
func New(telegram, phones, phoneChannels []string, log *slog.Logger) *Roster {
	if log == nil {
		log = slog.Default()
	}
	r := &Roster{configured: map[string]bool{}, alerted: map[string]bool{}, phone: map[string]bool{}}
	for _, ch := range phoneChannels {
		r.phone[ch] = true
	}
	for _, id := range telegram {
		if id = strings.TrimSpace(id); id != "" {
			k := key(talaash.ChannelTelegram, id)
			r.configured[k], r.alerted[k] = true, true
		}
	}
	for _, p := range phones {
		if strings.TrimSpace(p) == "" {
			continue
		}
		e, err := talaash.NormalizePhone(p)
		if err != nil {
			log.Warn("pre-enrolled police number ignored: not a phone number", "phone", talaash.MaskPhone(p))
			continue
		}
		for i, ch := range phoneChannels {
			r.configured[key(ch, e)] = true
			r.alerted[key(ch, e)] = i == 0
		}
	}
	return r
}

func key(channel, address string) string { return channel + ":" + address }

// Officer returns the officer channel:address as the roster knows them (the
// store's entry, or a bare one for a configured id), and whether they are
// police now.
func (r *Roster) Officer(tx talaash.Tx, channel, address string) (talaash.PoliceEntry, bool, error) {
	e, err := tx.Police(channel, address)
	switch {
	case err == nil:
		return *e, e.Active(), nil
	case talaash.ErrorCode(err) != talaash.ENOTFOUND:
		return talaash.PoliceEntry{}, false, err
	}
	o := talaash.PoliceEntry{Channel: channel, Address: address}
	return o, r != nil && r.configured[key(channel, address)], nil
}

// Is reports whether channel:address is police now.
func (r *Roster) Is(tx talaash.Tx, channel, address string) (bool, error) {
	_, ok, err := r.Officer(tx, channel, address)
	return ok, err
}

// Officers lists everyone who gets alerts, sorted by "channel:address". A
// configured phone number gets them on the first phone channel only, unless
// its officer enrolled on another. Lang is the entry's; empty for a configured officer.
func (r *Roster) Officers(tx talaash.Tx) ([]talaash.PoliceEntry, error) {
	byID := map[string]talaash.PoliceEntry{}
	revoked := map[string]bool{}
	err := tx.EachPolice(func(e *talaash.PoliceEntry) error {
		if e.Channel == talaash.ChannelDesk {
			return nil // the desk shows its pending alerts on its page; nothing is sent there
		}
		if e.Active() {
			byID[e.ID()] = *e
		} else {
			revoked[e.ID()] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if r != nil {
		for k := range r.configured {
			ch, addr, _ := strings.Cut(k, ":")
			if !r.alerted[k] || revoked[k] {
				continue
			}
			if _, ok := byID[k]; !ok {
				byID[k] = talaash.PoliceEntry{Channel: ch, Address: addr}
			}
		}
	}
	out := make([]talaash.PoliceEntry, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out, nil
}

// Serving reports whether any officer serves on a channel that keep accepts
// (nil: any), configured or enrolled, the desk included: whether a record
// reaches anyone who can act on it. It stops at the first one found.
func (r *Roster) Serving(tx talaash.Tx, keep func(channel string) bool) (bool, error) {
	ok := func(ch string) bool { return keep == nil || keep(ch) }
	if r != nil {
		for k := range r.configured {
			ch, addr, _ := strings.Cut(k, ":")
			if !ok(ch) {
				continue
			}
			e, err := tx.Police(ch, addr)
			switch {
			case err == nil && e.Active(), talaash.ErrorCode(err) == talaash.ENOTFOUND:
				return true, nil
			case err != nil:
				return false, err
			}
		}
	}
	found := false
	err := tx.EachPolice(func(e *talaash.PoliceEntry) error {
		if e.Active() && ok(e.Channel) {
			found = true
			return errFound
		}
		return nil
	})
	if found {
		return true, nil
	}
	return false, err
}

// errFound ends a walk that found what it looked for.
var errFound = errors.New("found")

// Enrol enrols e at at. An earlier entry's name, station and language stay
// unless e gives its own.
func (r *Roster) Enrol(tx talaash.Tx, e talaash.PoliceEntry, at time.Time) error {
	if old, err := tx.Police(e.Channel, e.Address); err == nil {
		e.Name, e.Station, e.Lang = or(e.Name, old.Name), or(e.Station, old.Station), or(e.Lang, old.Lang)
	} else if talaash.ErrorCode(err) != talaash.ENOTFOUND {
		return err
	}
	e.Enrolled, e.Revoked = at.UTC(), time.Time{}
	return tx.PutPolice(&e)
}

// Revoke takes channel:address off the roster at at, a configured officer
// too, and refuses any pending request of theirs; by (who did it) goes into
// the audit log.
func (r *Roster) Revoke(tx talaash.Tx, channel, address, by string, at time.Time) error {
	e, _, err := r.Officer(tx, channel, address)
	if err != nil {
		return err
	}
	e.Revoked = at.UTC()
	if err := tx.PutPolice(&e); err != nil {
		return err
	}
	err = tx.EachRequest(func(q *talaash.Request) error {
		if q.Channel != channel || q.Address != address || q.State != talaash.RequestPending {
			return nil
		}
		q.State, q.By, q.Decided = talaash.RequestRefused, by, at.UTC()
		if err := tx.PutRequest(q); err != nil {
			return err
		}
		return Audit(tx, by, e.ID(), "refuse", fmt.Sprintf("request %d", q.ID), at)
	})
	if err != nil {
		return err
	}
	return Audit(tx, by, e.ID(), "revoke", "", at)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
