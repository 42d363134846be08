package main

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"talaash/bot/web"

	"talaash"
)

var reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestDeskRevoke: an officer invited by talaash police add makes their desk
// account with the code and is logged in; talaash police revoke --desk ends
// the session at once (the service restarted on the same database) and the
// code makes no second account.
func TestDeskRevoke(t *testing.T) {
	s := newService(t)
	_, get := deskOfficer(t, s, "verma")
	if st, _, _ := get("/desk"); st != http.StatusOK {
		t.Fatalf("logged in: /desk answers %d", st)
	}
	s.stop()
	r := talaashRun(t, s.db, "", "police", "revoke", "--desk", "verma")
	if r.code != 0 || !strings.Contains(r.stdout, "revoked desk:verma") {
		t.Fatalf("police revoke --desk: %d %s%s", r.code, r.stdout, r.stderr)
	}
	s.start(nil)
	if st, _, loc := get("/desk"); st != http.StatusSeeOther || loc != "/desk/login" {
		t.Errorf("after revoke: /desk answers %d to %q, want the login", st, loc)
	}
	s.stop()
	r = talaashRun(t, s.db, "", "audit", "desk:verma")
	for _, want := range []string{"enrol", "login", "revoke"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("talaash audit desk:verma lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestRetentionPrunesDesk: retention deletes desk sessions once they have
// expired and form nonces once no session that showed the form can be alive,
// and keeps the others.
func TestRetentionPrunesDesk(t *testing.T) {
	s := newService(t)
	s.start(nil)
	defer s.stop()
	now := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.m.DB.Update(func(tx talaash.Tx) error {
		must(tx.PutDeskSession(&talaash.DeskSession{Hash: "gone", Login: "verma", Created: now.Add(-13 * time.Hour), Expires: now.Add(-time.Hour)}))
		must(tx.PutDeskSession(&talaash.DeskSession{Hash: "live", Login: "verma", Created: now, Expires: now.Add(time.Hour)}))
		for _, n := range []struct {
			nonce string
			at    time.Time
		}{{"old", now.Add(-KeepNonces - time.Hour)}, {"new", now.Add(-time.Hour)}} {
			if _, err := tx.UseNonce(n.nonce, n.at); err != nil {
				return err
			}
		}
		return nil
	}))
	_, err := s.m.retain(now)
	must(err)
	s.view(func(tx talaash.Tx) error {
		// The service's own run at start may have come first: one run or
		// the other counted each.
		var runs []string
		must(tx.AuditOf(RetentionRef, func(e *talaash.AuditEntry) error { runs = append(runs, e.Detail); return nil }))
		if all := strings.Join(runs, "\n"); !strings.Contains(all, " desk=1 ") || !strings.Contains(all, " nonces=1 ") {
			t.Errorf("retention runs in the audit log: %q, want one desk session and one nonce", runs)
		}
		if _, err := tx.DeskSession("gone"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("expired desk session kept: %v", err)
		}
		if _, err := tx.DeskSession("live"); err != nil {
			t.Errorf("live desk session removed: %v", err)
		}
		return nil
	})
	must(s.m.DB.Update(func(tx talaash.Tx) error {
		if fresh, _ := tx.UseNonce("new", now); fresh {
			t.Error("a recent nonce was pruned: its form would count twice")
		}
		if fresh, _ := tx.UseNonce("old", now); !fresh {
			t.Error("an old nonce was kept")
		}
		return nil
	}))
}

// deskOfficer invites an officer with talaash police add, starts the
// service and makes their desk account through the first-login page: the
// client returned is logged in, get fetches a path with it (status, body,
// Location).
func deskOfficer(t *testing.T, s *service, login string) (*http.Client, func(path string) (int, string, string)) {
	t.Helper()
	r := talaashRun(t, s.db, "", "police", "add", "--name", "SI Verma", "--station", "Kotwali")
	m := reCode.FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("police add: %d %s%s", r.code, r.stdout, r.stderr)
	}
	s.start(nil)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, string) {
		t.Helper()
		res, err := c.Get("http://" + s.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header.Get("Location")
	}
	_, page, _ := get("/desk/setup")
	csrf := reCSRF.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatalf("setup page without a token:\n%s", page)
	}
	form := url.Values{"csrf": {csrf[1]}, "code": {m[1]}, "login": {login}, "password": {"a long desk password"}, "password2": {"a long desk password"}}
	res, err := c.PostForm("http://"+s.addr+"/desk/setup", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.StatusCode)
	}
	return c, get
}

// TestDeskChatPhotos: a Telegram parent's photo, kept as the chat's file id,
// is shown to a logged-in officer through the desk (getFile, then the file
// URL, on the Bot API server; a second view from memory), and so is a photo
// attached on the simulator's phone; a browser without a desk session gets
// the login page, and no call to Telegram. Each view is in the access log.
func TestDeskChatPhotos(t *testing.T) {
	s := newService(t)
	c, get := deskOfficer(t, s, "verma")
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	s.api.AddFile("AgACparentphoto", img.Bytes())
	simID := strings.Repeat("ab", 16) + ".img"
	if err := os.MkdirAll(s.m.photoDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.m.photoDir(), simID), img.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	tg := &talaash.Record{Kind: talaash.KindMissing, Name: "Ravi", Time: time.Now(), Channel: talaash.ChannelTelegram, Address: "4001", Photos: []string{"AgACparentphoto"}}
	sim := &talaash.Record{Kind: talaash.KindMissing, Name: "Sim child", Time: time.Now(), Channel: web.ChannelChat, Address: "sim-parent", Photos: []string{web.PhotoPrefix + simID}, Test: true}
	if err := s.m.DB.Update(func(tx talaash.Tx) error {
		if err := tx.PutRecord(tg); err != nil {
			return err
		}
		return tx.PutRecord(sim)
	}); err != nil {
		t.Fatal(err)
	}
	photo := func(c *http.Client, ref string) (int, string, []byte) {
		t.Helper()
		res, err := c.Get("http://" + s.addr + "/desk/photo?ref=" + url.QueryEscape(ref) + "&i=0")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	for i := 0; i < 2; i++ {
		if st, ct, b := photo(c, tg.Ref); st != http.StatusOK || ct != "image/png" || !bytes.Equal(b, img.Bytes()) {
			t.Errorf("view %d of the Telegram photo: %d %s, %d bytes", i+1, st, ct, len(b))
		}
	}
	if n := len(s.api.Calls("getFile")); n != 1 {
		t.Errorf("%d getFile calls for two views, want 1 (the second from memory)", n)
	}
	if st, ct, b := photo(c, sim.Ref); st != http.StatusOK || ct != "image/png" || !bytes.Equal(b, img.Bytes()) {
		t.Errorf("the simulator's photo: %d %s, %d bytes", st, ct, len(b))
	}
	if _, body, _ := get("/desk/case?ref=" + url.QueryEscape(tg.Ref)); !strings.Contains(body, "/desk/photo?ref="+url.QueryEscape(tg.Ref)) {
		t.Error("the case page does not show the photo")
	}
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if st, _, b := photo(anon, tg.Ref); st != http.StatusSeeOther || bytes.Contains(b, img.Bytes()) {
		t.Errorf("without a session: %d, %d bytes", st, len(b))
	}
	if n := len(s.api.Calls("getFile", "file")); n != 2 {
		t.Errorf("%d calls to Telegram's files, want the first view's 2", n)
	}
	s.view(func(tx talaash.Tx) error {
		n := 0
		tx.AuditOf(tg.Ref, func(e *talaash.AuditEntry) error {
			if e.Officer == "desk:verma" && e.Action == "view" && e.Detail == "photo 1" {
				n++
			}
			return nil
		})
		if n != 2 {
			t.Errorf("%d photo views in the access log, want 2", n)
		}
		return nil
	})
}
