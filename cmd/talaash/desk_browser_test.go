package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"talaash"
	"talaash/police"
)

func (s *service) invite(name string) string {
	s.t.Helper()
	var code string
	err := s.m.DB.Update(func(tx talaash.Tx) error {
		_, c, err := s.m.Police.Invite(tx, police.Invitation{Name: name, Station: "Kotwali", By: "cli"}, time.Now())
		code = c
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return code
}

// TestBrowserDeskConfirm: a parent's report on Telegram and a matching SMS
// sighting make an alert; an officer's first login at the desk with the
// setup code of their invitation, the alert side by side, Confirm pressed,
// and the parent's notice delivered, free of place, numbers and photo.
func TestBrowserDeskConfirm(t *testing.T) {
	ctx := browser(t)
	s := newService(t)
	s.start(nil)
	const parent = int64(4343)
	s.api.AddFile("AgACparentphoto", pixel) // what Telegram keeps of the parent's photo
	mref := s.report(parent, "AgACparentphoto")
	sref, _ := s.sighting(bystander, sightingText)
	waitFor(t, "the alert", 10*time.Second, func() bool {
		a := s.alertState(mref, sref)
		return a != nil && a.State == talaash.AlertPending
	})
	base := "http://" + s.addr
	code := s.invite("SI Verma")

	// Nothing without a session: the case page redirects, a POST is refused.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(base + "/desk/case?ref=" + url.QueryEscape(mref))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/desk/login" {
		t.Errorf("case page without a session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = http.PostForm(base+"/desk/review", url.Values{"m": {mref}, "s": {sref}, "decision": {"confirm"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || s.alertState(mref, sref).State != talaash.AlertPending {
		t.Errorf("review without a session or token: %d, alert %s", res.StatusCode, s.alertState(mref, sref).State)
	}

	before := len(chatCalls(s.api, parent))
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/desk"),
		chromedp.WaitVisible(`#setup`),
		chromedp.Click(`#setup`),
		chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, strings.ToLower(code)),
		chromedp.SendKeys(`#login`, "verma"),
		chromedp.SendKeys(`#password`, "a long desk password"),
		chromedp.SendKeys(`#password2`, "a long desk password"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#alerts`),
		chromedp.Click(`a.open-alert`),
		chromedp.WaitVisible(`#pair`),
	)
	if err != nil {
		t.Fatalf("first login and the alert: %v", err)
	}
	pair, err := chromedp.Run(ctx, chromedp.Text(`main`))
	if err != nil {
		t.Fatal(err)
	}
	// The parent's photo, fetched from Telegram through the desk: the 1x1
	// picture, not the card shown for one it cannot fetch.
	photo := `Array.from(document.querySelectorAll("#pair img")).filter(i => i.complete && i.naturalWidth == 1).length > 0`
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](photo, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the side-by-side view does not show the parent's Telegram photo: %v", err)
	}
	screenshot(t, ctx, "pair.png")
	for _, want := range []string{mref, sref, "Ravi Kumar", "red shirt", "agree", "Confirm match", "Not a match"} {
		if !strings.Contains(pair, want) {
			t.Errorf("side-by-side view lacks %q:\n%s", want, pair)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#confirm`), chromedp.WaitVisible(`#note`)); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	note, err := chromedp.Run(ctx, chromedp.Text(`#note`))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "confirmed.png")
	if !strings.Contains(note, mref) {
		t.Errorf("answer to Confirm %q", note)
	}
	if a := s.alertState(mref, sref); a.State != talaash.AlertConfirmed || a.ReviewedBy != "desk:verma" || a.ByName != "SI Verma" {
		t.Errorf("alert after Confirm at the desk: %+v", a)
	}
	calls := waitChat(t, s.api, parent, before+1)[before:]
	for _, c := range calls {
		if c.Method != "sendMessage" {
			t.Errorf("parent got a %s", c.Method)
		}
		for _, bad := range []string{"Kanpur", "Central", bystander, strings.TrimPrefix(bystander, "+91"), "AgAC"} {
			if strings.Contains(c.Text, bad) {
				t.Errorf("parent's notice carries %q: %s", bad, c.Text)
			}
		}
	}
	if !strings.Contains(calls[0].Text, mref) {
		t.Errorf("parent's notice %q does not name the case", calls[0].Text)
	}
	var views int
	s.view(func(tx talaash.Tx) error {
		return tx.AuditOf(mref, func(e *talaash.AuditEntry) error {
			if e.Officer == "desk:verma" && (e.Action == "view" || e.Action == "confirm") {
				views++
			}
			return nil
		})
	})
	if views < 2 {
		t.Errorf("access log of %s has %d desk entries, want the view and the confirmation", mref, views)
	}
}

// TestBrowserDeskWrongPassword: a login with a wrong password is refused on
// the page and opens no session.
func TestBrowserDeskWrongPassword(t *testing.T) {
	ctx := browser(t)
	s := newService(t)
	s.start(nil)
	base := "http://" + s.addr
	code := s.invite("HC Singh")
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/desk/setup?lang=hi"),
		chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, code),
		chromedp.SendKeys(`#login`, "singh"),
		chromedp.SendKeys(`#password`, "singh's own password"),
		chromedp.SendKeys(`#password2`, "singh's own password"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#logout`),
		chromedp.Click(`#logout`),
		chromedp.WaitVisible(`#password`),
		chromedp.SendKeys(`#login`, "singh"),
		chromedp.SendKeys(`#password`, "not the password"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#error`),
	)
	if err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(`#error`))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "wrong-password.png")
	if !strings.Contains(msg, "पासवर्ड ग़लत") {
		t.Errorf("refusal %q, want the Hindi message", msg)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/desk/cases"), chromedp.WaitVisible(`#password`))
	url1, lerr := chromedp.Run(ctx, chromedp.Location())
	if err != nil || lerr != nil || !strings.HasSuffix(url1, "/desk/login") {
		t.Errorf("after the refusal /desk/cases went to %q (%v), want the login", url1, err)
	}
	n := 0
	s.view(func(tx talaash.Tx) error {
		return tx.AuditOf("desk:singh", func(e *talaash.AuditEntry) error {
			if e.Action == "refuse" {
				n++
			}
			return nil
		})
	})
	if n != 1 {
		t.Errorf("%d refusals in the access log, want 1", n)
	}
}
