package police_test

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/police"
	"talaash/store/bolt"
)

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c, err := police.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != police.CodeLen+1 || c[4] != '-' {
			t.Fatalf("code %q: want ABCD-EFGH", c)
		}
		for _, r := range strings.ReplaceAll(c, "-", "") {
			if !strings.ContainsRune(police.CodeAlphabet, r) {
				t.Fatalf("code %q has %q", c, r)
			}
		}
		if seen[c] {
			t.Fatalf("code %q twice in 200", c)
		}
		seen[c] = true
	}
	if police.CodeHash("abcd efgh") != police.CodeHash("ABCD-EFGH") || police.CodeHash("ABCD-EFGH") == police.CodeHash("ABCD-EFGJ") {
		t.Error("CodeHash does not fold case, spaces and dashes, or folds too much")
	}
	if h := police.CodeHash("ABCD-EFGH"); strings.Contains(h, "ABCD") || len(h) != 64 {
		t.Errorf("hash %q", h)
	}
}

func TestInviteAndRequest(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "talaash.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := police.New(nil, nil, talaash.Known().PhoneChannels(), slog.New(slog.DiscardHandler))
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	err = db.Update(func(tx talaash.Tx) error {
		if _, _, err := r.Invite(tx, police.Invitation{Name: " ", Station: "Kotwali"}, now); talaash.ErrorCode(err) != talaash.EINVALID {
			t.Errorf("invitation without a name: %v", err)
		}
		if _, _, err := r.Invite(tx, police.Invitation{Name: "x", Station: "y", SMS: "12"}, now); talaash.ErrorCode(err) != talaash.EINVALID {
			t.Errorf("invitation for a bad phone: %v", err)
		}
		inv, code, err := r.Invite(tx, police.Invitation{Name: "HC Singh", Station: "Kotwali", SMS: "098000 00001", By: "cli"}, now)
		if err != nil {
			return err
		}
		if inv.SMS != "+919800000001" || !inv.Expires.Equal(now.Add(police.InviteTTL)) || inv.Hash != police.CodeHash(code) {
			t.Errorf("invitation %+v", inv)
		}
		// A phone-bound code works on any phone channel of that number, not on Telegram.
		if out, _, err := r.Redeem(tx, code, talaash.ChannelTelegram, "+919800000001", "en", now); err != nil || out != police.Elsewhere {
			t.Errorf("on Telegram: %v %v", out, err)
		}
		if out, _, err := r.Redeem(tx, code, talaash.ChannelWhatsApp, "+919800000002", "en", now); err != nil || out != police.Elsewhere {
			t.Errorf("another phone: %v %v", out, err)
		}
		if out, _, err := r.Redeem(tx, code, talaash.ChannelWhatsApp, "+919800000001", "hi", now); err != nil || out != police.Enrolled {
			t.Errorf("on WhatsApp: %v %v", out, err)
		}
		if o, ok, _ := r.Officer(tx, talaash.ChannelWhatsApp, "+919800000001"); !ok || o.Name != "HC Singh" || o.Lang != "hi" {
			t.Errorf("enrolled %+v %v", o, ok)
		}
		if out, _, _ := r.Redeem(tx, "ZZZZ-ZZZZ", talaash.ChannelSMS, "+919800000001", "en", now); out != police.NoInvite {
			t.Errorf("unknown code: %v", out)
		}

		// Requests: asking twice is one request; revoking refuses it.
		q, fresh, err := r.Ask(tx, talaash.ChannelSMS, "+919800000003", "en", now)
		if err != nil || !fresh || q.ID != 1 {
			t.Fatalf("Ask %+v %v %v", q, fresh, err)
		}
		if q2, fresh, _ := r.Ask(tx, talaash.ChannelSMS, "+919800000003", "en", now); fresh || q2.ID != q.ID {
			t.Errorf("asked again: %+v %v", q2, fresh)
		}
		if ok, _ := r.Is(tx, talaash.ChannelSMS, "+919800000003"); ok {
			t.Error("a request made police")
		}
		if err := r.Revoke(tx, talaash.ChannelSMS, "+919800000003", "cli", now); err != nil {
			return err
		}
		if _, err := r.Approve(tx, q.ID, "cli", now); talaash.ErrorCode(err) != talaash.ECONFLICT {
			t.Errorf("approving a refused request: %v", err)
		}
		if _, err := r.Approve(tx, 99, "cli", now); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("approving no request: %v", err)
		}
		q3, _, _ := r.Ask(tx, talaash.ChannelSMS, "+919800000004", "hi", now)
		if _, err := r.Approve(tx, q3.ID, "telegram:100", now); err != nil {
			return err
		}
		if o, ok, _ := r.Officer(tx, talaash.ChannelSMS, "+919800000004"); !ok || o.Lang != "hi" {
			t.Errorf("approved %+v %v", o, ok)
		}
		if list, _ := r.Pending(tx); len(list) != 0 {
			t.Errorf("pending %+v", list)
		}
		var log []string
		tx.AuditOf("sms:+919800000003", func(e *talaash.AuditEntry) error { log = append(log, e.Officer+" "+e.Action); return nil })
		if got := strings.Join(log, "; "); got != "sms:+919800000003 request; cli refuse; cli revoke" {
			t.Errorf("audit %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
