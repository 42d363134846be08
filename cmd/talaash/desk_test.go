package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var reCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestDeskRevoke: an officer invited by talaash police add makes their desk
// account with the code and is logged in; talaash police revoke --desk ends
// the session at once (the service restarted on the same database) and the
// code makes no second account.
func TestDeskRevoke(t *testing.T) {
	s := newService(t)
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
	form := url.Values{"csrf": {csrf[1]}, "code": {m[1]}, "login": {"verma"}, "password": {"a long desk password"}, "password2": {"a long desk password"}}
	res, err := c.PostForm("http://"+s.addr+"/desk/setup", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.StatusCode)
	}
	if st, _, _ := get("/desk"); st != http.StatusOK {
		t.Fatalf("logged in: /desk answers %d", st)
	}
	s.stop()
	r = talaashRun(t, s.db, "", "police", "revoke", "--desk", "verma")
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
