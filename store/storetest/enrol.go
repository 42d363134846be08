package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"talaash"
)

func testInvites(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	verma := talaash.Invite{Hash: "aa01", Name: "SI Verma", Station: "Kalyanpur", Telegram: "1001", SMS: "+919800000001",
		By: "cli", Created: base, Expires: base.Add(72 * time.Hour)}
	singh := talaash.Invite{Hash: "bb02", Name: "HC Singh", Station: "Kotwali", Created: base, Expires: base.Add(time.Hour)}
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.Invite("aa01")
		code(t, "unknown invitation", err, talaash.ENOTFOUND)
		_, err = tx.UseInvite("aa01", "telegram:1001", base)
		code(t, "using an unknown invitation", err, talaash.ENOTFOUND)
		code(t, "invitation without hash", tx.PutInvite(&talaash.Invite{Name: "x"}), talaash.EINVALID)
		must(t, tx.PutInvite(&singh))
		must(t, tx.PutInvite(&verma))
		if singh.ID == 0 || verma.ID <= singh.ID {
			t.Errorf("invitation ids %d, %d: want increasing from 1", singh.ID, verma.ID)
		}
		return nil
	}))
	// Rolled back: nothing kept, not even the use.
	boom := errors.New("boom")
	err := db.Update(func(tx talaash.Tx) error {
		if _, err := tx.UseInvite("aa01", "telegram:1001", base); err != nil {
			return err
		}
		must(t, tx.PutInvite(&talaash.Invite{Hash: "cc03", Created: base}))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	must(t, db.Update(func(tx talaash.Tx) error {
		inv, err := tx.Invite("aa01")
		if err != nil || inv.Name != "SI Verma" || inv.Station != "Kalyanpur" || inv.Telegram != "1001" || inv.SMS != "+919800000001" ||
			inv.By != "cli" || !inv.Created.Equal(base) || !inv.Expires.Equal(verma.Expires) || !inv.Used.IsZero() || inv.ID != verma.ID {
			t.Errorf("Invite(aa01) = %+v, %v", inv, err)
		}
		if _, err := tx.Invite("cc03"); err == nil {
			t.Error("rolled back invitation kept")
		}
		// Used once only.
		inv, err = tx.UseInvite("aa01", "telegram:1001", base.Add(time.Minute))
		if err != nil || inv.UsedBy != "telegram:1001" || !inv.Used.Equal(base.Add(time.Minute)) {
			t.Errorf("UseInvite = %+v, %v", inv, err)
		}
		_, err = tx.UseInvite("aa01", "telegram:666", base.Add(2*time.Minute))
		code(t, "second use", err, talaash.ECONFLICT)
		return nil
	}))
	// EachInvite is by ID (whatever the hashes' order), and fn may write.
	var seen []string
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.EachInvite(func(inv *talaash.Invite) error {
			seen = append(seen, fmt.Sprintf("%d:%s:%v", inv.ID, inv.Name, !inv.Used.IsZero()))
			return tx.PutInvite(&talaash.Invite{Hash: inv.Hash + "x", Created: base})
		})
	}))
	if want := fmt.Sprint([]string{fmt.Sprintf("%d:HC Singh:false", singh.ID), fmt.Sprintf("%d:SI Verma:true", verma.ID)}); fmt.Sprint(seen) != want {
		t.Errorf("EachInvite %v, want %v", seen, want)
	}
	db.View(func(tx talaash.Tx) error {
		n := 0
		tx.EachInvite(func(*talaash.Invite) error { n++; return nil })
		if n != 4 {
			t.Errorf("%d invitations after writing in the walk, want 4", n)
		}
		return nil
	})
}

func testRequests(t *testing.T, open func(t *testing.T) talaash.Store) {
	db := open(t)
	a := talaash.Request{Channel: "telegram", Address: "4040", Lang: "hi", At: base, State: talaash.RequestPending}
	b := talaash.Request{Channel: "sms", Address: "+919800000002", At: base.Add(time.Minute), State: talaash.RequestPending}
	must(t, db.Update(func(tx talaash.Tx) error {
		_, err := tx.Request(1)
		code(t, "unknown request", err, talaash.ENOTFOUND)
		code(t, "request without address", tx.PutRequest(&talaash.Request{Channel: "sms"}), talaash.EINVALID)
		must(t, tx.PutRequest(&a))
		must(t, tx.PutRequest(&b))
		if a.ID == 0 || b.ID <= a.ID {
			t.Errorf("request ids %d, %d", a.ID, b.ID)
		}
		return nil
	}))
	must(t, db.Update(func(tx talaash.Tx) error {
		r, err := tx.Request(a.ID)
		if err != nil || r.Channel != "telegram" || r.Address != "4040" || r.Lang != "hi" || !r.At.Equal(base) || r.State != talaash.RequestPending {
			t.Errorf("Request(%d) = %+v, %v", a.ID, r, err)
		}
		r.State, r.By, r.Decided = talaash.RequestApproved, "telegram:1001", base.Add(time.Hour)
		return tx.PutRequest(r)
	}))
	var seen []string
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.EachRequest(func(r *talaash.Request) error {
			seen = append(seen, fmt.Sprintf("%d:%s:%s:%s", r.ID, r.Address, r.State, r.By))
			if r.ID == b.ID {
				r.State = talaash.RequestRefused
				return tx.PutRequest(r)
			}
			return nil
		})
	}))
	want := fmt.Sprint([]string{fmt.Sprintf("%d:4040:approved:telegram:1001", a.ID), fmt.Sprintf("%d:+919800000002:pending:", b.ID)})
	if fmt.Sprint(seen) != want {
		t.Errorf("EachRequest %v, want %v", seen, want)
	}
	db.View(func(tx talaash.Tx) error {
		if r, err := tx.Request(b.ID); err != nil || r.State != talaash.RequestRefused {
			t.Errorf("written in the walk: %+v %v", r, err)
		}
		return nil
	})
}
