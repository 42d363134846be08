package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"talaash"
	"talaash/desk"
	"talaash/dialog"
)

// How long what is not a case is kept (README, "What is kept"). A case's
// personal data is kept TALAASH_RETENTION days after it closes.
const (
	DefaultRetentionDays = 365
	KeepSessions         = 7 * 24 * time.Hour  // idle conversations without a draft
	KeepDrafts           = 30 * 24 * time.Hour // conversations holding an unfinished report
	KeepAttempts         = 7 * 24 * time.Hour  // wrong-code counters: windows are an hour
	KeepSent             = 30 * 24 * time.Hour // the outbox's delivery log (its own KeepLog)
	KeepDelivery         = 30 * 24 * time.Hour // providers' delivery statuses
	KeepNonces           = 2 * desk.SessionTTL // a used form's nonce: longer than the form's session lives
	RetentionEvery       = time.Hour
)

// Audit entries of retention: one per case scrubbed (under its ref), and one
// per run that removed anything (under RetentionRef).
const (
	RetentionOfficer = "system:retention"
	RetentionRef     = "RETENTION"
)

// scrubBatch bounds one write transaction, so turns wait little behind a
// first run over years of closed cases.
const scrubBatch = 200

// retentionPeriod reads TALAASH_RETENTION (whole days, at least 1).
func (m *Main) retentionPeriod() (time.Duration, error) {
	s := strings.TrimSpace(m.Getenv("TALAASH_RETENTION"))
	if s == "" {
		return DefaultRetentionDays * 24 * time.Hour, nil
	}
	d, err := strconv.Atoi(s)
	if err != nil || d < 1 {
		return 0, talaash.Errorf(talaash.EINVALID, "TALAASH_RETENTION is %q: want a whole number of days, 1 or more", s)
	}
	return time.Duration(d) * 24 * time.Hour, nil
}

// Removed is what one retention run removed, by kind.
type Removed struct {
	Cases    int `json:"cases"`    // closed cases that lost their personal data
	Sessions int `json:"sessions"` // of which Drafts held an unfinished report
	Drafts   int `json:"drafts"`
	Attempts int `json:"attempts"`
	Sent     int `json:"sent"`
	Delivery int `json:"delivery"`
	Seen     int `json:"seen"`
	Desk     int `json:"desk_sessions"` // expired desk logins
	Nonces   int `json:"nonces"`        // spent desk form nonces
}

func (r Removed) any() bool { return r != Removed{} }

func (r Removed) String() string {
	return fmt.Sprintf("cases=%d sessions=%d drafts=%d attempts=%d sent=%d delivery=%d seen=%d desk=%d nonces=%d",
		r.Cases, r.Sessions, r.Drafts, r.Attempts, r.Sent, r.Delivery, r.Seen, r.Desk, r.Nonces)
}

// retainMu keeps the hourly run and one asked for on the socket apart, so
// that a case is scrubbed, and audited, once.
var retainMu sync.Mutex

// retain removes, as of now, what is kept no longer: the personal data of
// cases closed longer than the retention period, idle sessions and drafts,
// old counters and delivery records. Counts go into the audit log.
func (m *Main) retain(now time.Time) (Removed, error) {
	retainMu.Lock()
	defer retainMu.Unlock()
	var out Removed
	period, err := m.retentionPeriod()
	if err != nil {
		return out, err
	}
	due, err := m.closedBefore(now.Add(-period))
	if err != nil {
		return out, err
	}
	place := func(text string) string {
		if m.Matcher == nil {
			return "" // no gazetteer to name the place: it goes
		}
		return m.Matcher.Extract(text).Place
	}
	for len(due) > 0 {
		batch := due[:min(scrubBatch, len(due))]
		due = due[len(batch):]
		n := 0
		err := m.DB.Update(func(tx talaash.Tx) error {
			n = 0
			for _, ref := range batch {
				removed, err := tx.Scrub(ref, now, place)
				if talaash.ErrorCode(err) == talaash.ECONFLICT {
					continue // reopened since it was read
				} else if err != nil {
					return err
				}
				detail := "personal data removed"
				if len(removed) > 0 {
					detail += ": " + strings.Join(removed, ", ")
				}
				if err := tx.Audit(&talaash.AuditEntry{Officer: RetentionOfficer, At: now, Ref: ref, Action: "scrubbed", Detail: detail}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		out.Cases += n
	}

	err = m.DB.Update(func(tx talaash.Tx) error {
		c := Removed{Cases: out.Cases}
		officer := func(key string) bool {
			ch, addr, ok := strings.Cut(key, ":")
			if !ok || m.Police == nil {
				return false
			}
			is, _ := m.Police.Is(tx, ch, addr)
			return is
		}
		draft := func(v []byte) bool {
			s, err := dialog.Unmarshal(v)
			return err == nil && s.Draft != nil
		}
		// An officer's session keeps their language for alerts: officers are
		// not the public, and their entry is removed by revocation.
		n, err := tx.PruneSessions(now.Add(-KeepDrafts), func(key string, v []byte) bool {
			if officer(key) {
				return true
			}
			if draft(v) {
				c.Drafts++
			}
			return false
		})
		if err != nil {
			return err
		}
		c.Sessions += n
		if n, err = tx.PruneSessions(now.Add(-KeepSessions), func(key string, v []byte) bool {
			return officer(key) || draft(v)
		}); err != nil {
			return err
		}
		c.Sessions += n
		if c.Attempts, err = tx.PruneAttempts(now.Add(-KeepAttempts)); err != nil {
			return err
		}
		if c.Sent, err = tx.PruneSent(now.Add(-KeepSent)); err != nil {
			return err
		}
		if c.Delivery, err = tx.PruneDelivery(now.Add(-KeepDelivery)); err != nil {
			return err
		}
		if c.Seen, err = tx.PruneSeen(now.Add(-KeepSeen)); err != nil {
			return err
		}
		if c.Desk, err = tx.PruneDeskSessions(now); err != nil {
			return err
		}
		if c.Nonces, err = tx.PruneNonces(now.Add(-KeepNonces)); err != nil {
			return err
		}
		if c.any() {
			detail := c.String() + fmt.Sprintf(" (cases kept %d days after closing)", int(period.Hours()/24))
			if err := tx.Audit(&talaash.AuditEntry{Officer: RetentionOfficer, At: now, Ref: RetentionRef, Action: "retention", Detail: detail}); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if err != nil {
		return out, err
	}
	if out.any() {
		m.Logger.Info("retention", "cases", out.Cases, "sessions", out.Sessions, "drafts", out.Drafts,
			"attempts", out.Attempts, "sent", out.Sent, "delivery", out.Delivery, "seen", out.Seen, "desk", out.Desk, "nonces", out.Nonces)
	}
	return out, nil
}

// closedBefore lists the closed cases (every kind) not yet scrubbed that
// closed before cutoff.
func (m *Main) closedBefore(cutoff time.Time) ([]string, error) {
	var refs []string
	err := m.DB.View(func(tx talaash.Tx) error {
		for _, k := range []talaash.Kind{talaash.KindMissing, talaash.KindSighting, talaash.KindFound} {
			for _, st := range []talaash.Status{talaash.StatusReunited, talaash.StatusClosed} {
				err := tx.RecordsBy(k, st, func(r *talaash.Record) error {
					if at, closed := r.ClosedAt(); closed && r.Scrubbed.IsZero() && at.Before(cutoff) {
						refs = append(refs, r.Ref)
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	return refs, err
}

// retentionLoop runs retention in the service at start and then hourly.
func (m *Main) retentionLoop(ctx context.Context) error {
	if _, err := m.retentionPeriod(); err != nil {
		return err
	}
	t := time.NewTicker(RetentionEvery)
	defer t.Stop()
	for {
		if _, err := m.retain(m.now()); err != nil {
			m.Logger.Error("retention", "code", talaash.ErrorCode(err), "err", talaash.ErrorMessage(err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// runRetention runs retention once: in the running service if there is one
// (it holds the database), else on the file.
func (m *Main) runRetention(ctx context.Context, args []string) error {
	fs := m.flags("retention")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"retention takes no arguments"}
	}
	if _, err := m.retentionPeriod(); err != nil {
		return err
	}
	var c Removed
	via := "the running service"
	resp, err := askService(ctx, m.Config.DB, "POST", "/retention")
	switch {
	case err == nil:
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
			return talaash.Errorf(talaash.EFAILED, "retention: unreadable answer from the service: %v", err)
		}
	case errors.Is(err, errNoService):
		via = "the file"
		if err := m.openMatching(); err != nil {
			return err
		}
		if c, err = m.retain(m.now()); err != nil {
			return err
		}
	default:
		return err
	}
	fmt.Fprintf(m.Stdout, "retention through %s removed %s\n", via, c)
	return nil
}
