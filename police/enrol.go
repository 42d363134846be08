package police

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"talaash"
)

// CodeAlphabet is what invitation codes are made of: capitals and digits
// without the look-alikes (0/O, 1/I/L), so a code read aloud over the phone
// arrives intact.
const CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLen is the number of characters of an invitation code: 31^8, about 2^39
// codes, against at most a few dozen guesses an hour.
const CodeLen = 8

// InviteTTL is how long an invitation stays valid unless told otherwise.
const InviteTTL = 72 * time.Hour

// NewCode returns a fresh random invitation code, written "ABCD-EFGH".
func NewCode() (string, error) {
	b := make([]byte, CodeLen)
	if _, err := rand.Read(b); err != nil {
		return "", talaash.Errorf(talaash.EINTERNAL, "no randomness for a code: %v", err)
	}
	out := make([]byte, 0, CodeLen+1)
	for i, c := range b {
		if i == CodeLen/2 {
			out = append(out, '-')
		}
		// 256 % 31 leaves a bias of under 1%: not worth a rejection loop for
		// a code that expires and is tried a few times an hour at most.
		out = append(out, CodeAlphabet[int(c)%len(CodeAlphabet)])
	}
	return string(out), nil
}

// FoldCode is the form codes are compared in: upper case, without spaces
// and dashes, so "abcd efgh" is "ABCD-EFGH".
func FoldCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r != ' ' && r != '-' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CodeHash is the key an invitation is stored under: the code itself never
// is. The desk's first login finds the invitation the same way.
func CodeHash(code string) string {
	h := sha256.Sum256([]byte(FoldCode(code)))
	return hex.EncodeToString(h[:])
}

// Audit writes one line of the access log about subject (an officer's
// "channel:address", "invite:N"): who did what, when.
func Audit(tx talaash.Tx, by, subject, action, detail string, at time.Time) error {
	if by == "" {
		by = subject
	}
	return tx.Audit(&talaash.AuditEntry{Officer: by, At: at.UTC(), Ref: subject, Action: action, Detail: detail})
}

// InviteRef is how an invitation is named in the audit log.
func InviteRef(id uint64) string { return fmt.Sprintf("invite:%d", id) }

// Invitation is what Invite is asked for.
type Invitation struct {
	Name, Station string
	Telegram      string // only this chat may use the code (optional)
	SMS           string // only this phone may (optional, any common form)
	TTL           time.Duration
	By            string // "cli" or an officer's "channel:address"
}

// Invite stores an invitation and returns it with its code, which is shown
// once and never stored.
func (r *Roster) Invite(tx talaash.Tx, w Invitation, now time.Time) (*talaash.Invite, string, error) {
	w.Name, w.Station, w.Telegram = strings.TrimSpace(w.Name), strings.TrimSpace(w.Station), strings.TrimSpace(w.Telegram)
	if w.Name == "" || w.Station == "" {
		return nil, "", talaash.Errorf(talaash.EINVALID, "an invitation needs the officer's name and station")
	}
	if w.SMS = strings.TrimSpace(w.SMS); w.SMS != "" {
		p, err := talaash.NormalizePhone(w.SMS)
		if err != nil {
			return nil, "", talaash.Errorf(talaash.EINVALID, "--sms: not a phone number")
		}
		w.SMS = p
	}
	if w.TTL <= 0 {
		w.TTL = InviteTTL
	}
	code, err := NewCode()
	if err != nil {
		return nil, "", err
	}
	inv := &talaash.Invite{Hash: CodeHash(code), Name: w.Name, Station: w.Station, Telegram: w.Telegram, SMS: w.SMS,
		By: w.By, Created: now.UTC(), Expires: now.Add(w.TTL).UTC()}
	if _, err := tx.Invite(inv.Hash); err == nil {
		return nil, "", talaash.Errorf(talaash.ECONFLICT, "code collision; try again")
	}
	if err := tx.PutInvite(inv); err != nil {
		return nil, "", err
	}
	detail := fmt.Sprintf("%s, %s, until %s", inv.Name, inv.Station, inv.Expires.Format(time.RFC3339))
	subjects := []string{InviteRef(inv.ID)}
	if inv.Telegram != "" {
		subjects = append(subjects, key(talaash.ChannelTelegram, inv.Telegram))
	}
	if inv.SMS != "" {
		subjects = append(subjects, key(talaash.ChannelSMS, inv.SMS))
	}
	for _, s := range subjects {
		if err := Audit(tx, w.By, s, "invite", detail, now); err != nil {
			return nil, "", err
		}
	}
	return inv, code, nil
}

// Outcome is what came of a code.
type Outcome int

// Outcomes of Redeem.
const (
	NoInvite  Outcome = iota // no invitation has this code
	Enrolled                 // the sender is enrolled with the invitation's name and station
	Expired                  // the invitation's time is up
	Used                     // the invitation was used already
	Elsewhere                // the invitation is for another chat or phone
)

func (o Outcome) String() string {
	return [...]string{"no invitation", "enrolled", "expired", "used", "for another sender"}[o]
}

// Redeem enrols channel:address with the invitation whose code is code, if
// it is theirs, unused and in time. Refusals go into the audit log of the
// sender (and of the invitation); a code of no invitation is left to the
// caller, which limits guesses.
func (r *Roster) Redeem(tx talaash.Tx, code, channel, address, lang string, now time.Time) (Outcome, *talaash.Invite, error) {
	inv, err := tx.Invite(CodeHash(code))
	if talaash.ErrorCode(err) == talaash.ENOTFOUND {
		return NoInvite, nil, nil
	} else if err != nil {
		return NoInvite, nil, err
	}
	who := key(channel, address)
	out := Enrolled
	switch {
	case !inv.Used.IsZero():
		out = Used
	case !now.Before(inv.Expires):
		out = Expired
	case !r.bound(inv, channel, address):
		out = Elsewhere
	}
	if out != Enrolled {
		for _, s := range []string{who, InviteRef(inv.ID)} {
			if err := Audit(tx, who, s, "refuse", fmt.Sprintf("invitation %d: %s", inv.ID, out), now); err != nil {
				return out, inv, err
			}
		}
		return out, inv, nil
	}
	if inv, err = tx.UseInvite(inv.Hash, who, now); err != nil {
		return NoInvite, nil, err
	}
	e := talaash.PoliceEntry{Channel: channel, Address: address, Name: inv.Name, Station: inv.Station, Lang: lang}
	if err := r.Enrol(tx, e, now); err != nil {
		return out, inv, err
	}
	detail := fmt.Sprintf("invitation %d: %s, %s", inv.ID, inv.Name, inv.Station)
	for _, s := range []string{who, InviteRef(inv.ID)} {
		if err := Audit(tx, who, s, "enrol", detail, now); err != nil {
			return out, inv, err
		}
	}
	return out, inv, nil
}

// bound reports whether channel:address may use inv: anyone when it names
// nobody, else its Telegram chat or its phone on any phone channel.
func (r *Roster) bound(inv *talaash.Invite, channel, address string) bool {
	if inv.Telegram == "" && inv.SMS == "" {
		return true
	}
	if inv.Telegram != "" && channel == talaash.ChannelTelegram && address == inv.Telegram {
		return true
	}
	return inv.SMS != "" && r != nil && r.phone[channel] && address == inv.SMS
}

// Ask records a pending enrolment request of channel:address (the general
// code was right) and returns it; a sender who asks again gets their pending
// request back, with fresh false.
func (r *Roster) Ask(tx talaash.Tx, channel, address, lang string, now time.Time) (q *talaash.Request, fresh bool, err error) {
	err = tx.EachRequest(func(p *talaash.Request) error {
		if p.Channel == channel && p.Address == address && p.State == talaash.RequestPending {
			q = p
		}
		return nil
	})
	if err != nil || q != nil {
		return q, false, err
	}
	q = &talaash.Request{Channel: channel, Address: address, Lang: lang, At: now.UTC(), State: talaash.RequestPending}
	if err := tx.PutRequest(q); err != nil {
		return nil, false, err
	}
	who := key(channel, address)
	return q, true, Audit(tx, who, who, "request", fmt.Sprintf("request %d", q.ID), now)
}

// Pending lists the requests waiting for an officer, oldest first.
func (r *Roster) Pending(tx talaash.Tx) ([]talaash.Request, error) {
	var out []talaash.Request
	err := tx.EachRequest(func(q *talaash.Request) error {
		if q.State == talaash.RequestPending {
			out = append(out, *q)
		}
		return nil
	})
	return out, err
}

// Approve enrols the sender of pending request id; by is who approved it
// ("cli" or an officer's "channel:address"). A request that is not pending is
// ECONFLICT, an unknown one ENOTFOUND.
func (r *Roster) Approve(tx talaash.Tx, id uint64, by string, now time.Time) (*talaash.Request, error) {
	q, err := tx.Request(id)
	if err != nil {
		return nil, err
	}
	if q.State != talaash.RequestPending {
		return q, talaash.Errorf(talaash.ECONFLICT, "request %d is %s already", id, q.State)
	}
	q.State, q.By, q.Decided = talaash.RequestApproved, by, now.UTC()
	if err := tx.PutRequest(q); err != nil {
		return nil, err
	}
	if err := r.Enrol(tx, talaash.PoliceEntry{Channel: q.Channel, Address: q.Address, Lang: q.Lang}, now); err != nil {
		return nil, err
	}
	return q, Audit(tx, by, key(q.Channel, q.Address), "approve", fmt.Sprintf("request %d", q.ID), now)
}
