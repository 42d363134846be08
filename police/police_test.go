package police_test

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"talaash"
	"talaash/police"
	"talaash/store/bolt"
)

func TestRoster(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "talaash.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	quiet := slog.New(slog.DiscardHandler)
	r := police.New([]string{" 100 ", ""}, []string{"098000-00001", "not a number"}, talaash.Known().PhoneChannels(), quiet)
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	is := func(tx talaash.Tx, ch, addr string) bool {
		t.Helper()
		ok, err := r.Is(tx, ch, addr)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	ids := func(tx talaash.Tx) string {
		t.Helper()
		list, err := r.Officers(tx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range list {
			out = append(out, e.ID())
		}
		return fmt.Sprint(out)
	}
	err = db.Update(func(tx talaash.Tx) error {
		// Configured: a phone number is police on SMS and WhatsApp, but
		// alerts go by SMS.
		for _, c := range []struct {
			ch, addr string
			want     bool
		}{
			{"telegram", "100", true}, {"sms", "+919800000001", true}, {"whatsapp", "+919800000001", true},
			{"telegram", "200", false}, {"sms", "not a number", false},
		} {
			if got := is(tx, c.ch, c.addr); got != c.want {
				t.Errorf("Is(%s, %s) = %v", c.ch, c.addr, got)
			}
		}
		if got := ids(tx); got != "[sms:+919800000001 telegram:100]" {
			t.Errorf("configured officers %s", got)
		}
		// Enrolled in the store: an officer on WhatsApp gets alerts there.
		if err := r.Enrol(tx, talaash.PoliceEntry{Channel: "telegram", Address: "200", Name: "SI Verma", Lang: "hi"}, now); err != nil {
			return err
		}
		if err := r.Enrol(tx, talaash.PoliceEntry{Channel: "whatsapp", Address: "+919800000001"}, now); err != nil {
			return err
		}
		if got := ids(tx); got != "[sms:+919800000001 telegram:100 telegram:200 whatsapp:+919800000001]" {
			t.Errorf("with enrolments %s", got)
		}
		// Revocation overrides a configured entry; re-enrolling keeps the name.
		if err := r.Revoke(tx, "telegram", "100", "cli", now); err != nil {
			return err
		}
		if err := r.Revoke(tx, "telegram", "200", "cli", now); err != nil {
			return err
		}
		if is(tx, "telegram", "100") || is(tx, "telegram", "200") {
			t.Error("revoked officer still police")
		}
		if got := ids(tx); got != "[sms:+919800000001 whatsapp:+919800000001]" {
			t.Errorf("after revoking %s", got)
		}
		if err := r.Enrol(tx, talaash.PoliceEntry{Channel: "telegram", Address: "200"}, now.Add(time.Hour)); err != nil {
			return err
		}
		e, ok, err := r.Officer(tx, "telegram", "200")
		if err != nil || !ok || e.Name != "SI Verma" || e.Lang != "hi" || !e.Enrolled.Equal(now.Add(time.Hour)) {
			t.Errorf("re-enrolled %+v %v %v", e, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A nil roster knows only the store's enrolments.
	var none *police.Roster
	db.View(func(tx talaash.Tx) error {
		if ok, _ := none.Is(tx, "telegram", "200"); !ok {
			t.Error("nil roster misses an enrolment")
		}
		if ok, _ := none.Is(tx, "sms", "+919800000001"); ok {
			t.Error("nil roster knows a configured number")
		}
		return nil
	})
}
