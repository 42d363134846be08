package desk

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"talaash"
	"talaash/alerts"
	"talaash/cases"
	"talaash/cases/casestest"
	"talaash/locales"
	"talaash/police"
	"talaash/store/bolt"
)

type env struct {
	t      *testing.T
	db     talaash.Store
	roster *police.Roster
	srv    *Server
	web    *httptest.Server
	now    time.Time
	mu     sync.Mutex
	m, s   *talaash.Record
}

func setup(t *testing.T) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, now: time.Date(2026, 6, 12, 10, 0, 0, 0, time.UTC)}
	cs := &cases.Service{Matcher: &casestest.Matcher{}, Decide: func([]talaash.Candidate) {}}
	e.roster = police.New(nil, nil, talaash.Known().PhoneChannels(), nil)
	log := slog.New(slog.DiscardHandler)
	al := &alerts.Service{Cases: cs, Roster: e.roster, Channels: talaash.Known(), Now: e.clock, Log: log}
	cs.OnAlert = al.OnAlert
	e.srv = &Server{DB: db, Alerts: al, Roster: e.roster, Save: func(tx talaash.Tx, r *talaash.Record) error { return cs.Save(tx, r, true) },
		PhotoDir: filepath.Join(t.TempDir(), "photos"), Places: locales.Places, Now: e.clock, Log: log, BcryptCost: bcrypt.MinCost}
	mux := http.NewServeMux()
	e.srv.Routes(mux)
	e.web = httptest.NewServer(mux)
	t.Cleanup(e.web.Close)

	// A parent's report and a sighting of the same child, alerted.
	age := 8.0
	e.m = &talaash.Record{Kind: talaash.KindMissing, Name: "Ramesh Kumar", Gender: "male", Age: &age, Clothes: "red shirt",
		Place: "Kanpur Central", Time: e.now.Add(-5 * time.Hour), Channel: "telegram", Address: "555",
		Contact: &talaash.Contact{Name: "Sunita", Phone: "+919812345678"}, Language: "en"}
	e.s = &talaash.Record{Kind: talaash.KindSighting, Name: "रमेश", Gender: "male", Age: &age, Clothes: "red shirt, blue shorts",
		Place: "Jhakarkati bus stand", Time: e.now.Add(-time.Hour), Channel: "sms", Address: "+919898989898", Language: "hi"}
	e.update(func(tx talaash.Tx) error {
		for _, r := range []*talaash.Record{e.m, e.s} {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return tx.PutAlert(&talaash.Alert{Missing: e.m.Ref, Sighting: e.s.Ref, Score: 6.5, State: talaash.AlertPending,
			Reasons: []talaash.Reason{{En: "same name across scripts", Hi: "नाम मेल खाता है"}}, Created: e.now.Add(-time.Hour)})
	})
	return e
}

func (e *env) clock() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }

func (e *env) update(fn func(tx talaash.Tx) error) {
	e.t.Helper()
	if err := e.db.Update(fn); err != nil {
		e.t.Fatal(err)
	}
}

// invite makes an invitation and returns its code.
func (e *env) invite(name string) string {
	e.t.Helper()
	var code string
	e.update(func(tx talaash.Tx) error {
		_, c, err := e.roster.Invite(tx, police.Invitation{Name: name, Station: "Kotwali", By: "cli"}, e.clock())
		code = c
		return err
	})
	return code
}

// browser is one officer's browser: a cookie jar that does not follow redirects.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.e.t.Helper()
	res, err := b.c.Get(b.e.web.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.e.t.Helper()
	res, err := b.c.PostForm(b.e.web.URL+path, form)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

var reHidden = regexp.MustCompile(`name="(csrf|nonce)" value="([^"]*)"`)

// hidden returns the csrf and nonce of the first form on a page.
func hidden(body string) (csrf, nonce string) {
	for _, m := range reHidden.FindAllStringSubmatch(body, -1) {
		if m[1] == "csrf" && csrf == "" {
			csrf = m[2]
		}
		if m[1] == "nonce" && nonce == "" {
			nonce = m[2]
		}
	}
	return
}

const password = "correct horse battery"

// enrolled is a browser logged in as a fresh desk officer, through the
// first-login page.
func (e *env) enrolled(login, lang string) *browser {
	e.t.Helper()
	code := e.invite("SI " + login)
	b := e.browser()
	_, page, _ := b.get("/desk/setup?lang=" + lang)
	csrf, _ := hidden(page)
	st, body, h := b.post("/desk/setup", url.Values{"csrf": {csrf}, "code": {code}, "login": {login}, "password": {password}, "password2": {password}})
	if st != http.StatusSeeOther || h.Get("Location") != "/desk" {
		e.t.Fatalf("setup: %d %s", st, body)
	}
	return b
}

func (e *env) alertState() string {
	e.t.Helper()
	var st string
	e.update(func(tx talaash.Tx) error {
		a, err := tx.Alert(e.m.Ref, e.s.Ref)
		if err == nil {
			st = a.State
		}
		return err
	})
	return st
}

func (e *env) outbox() []*talaash.OutboxItem {
	var out []*talaash.OutboxItem
	e.update(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error { out = append(out, it); return nil })
	})
	return out
}

func (e *env) audits(ref string) []talaash.AuditEntry {
	var out []talaash.AuditEntry
	e.update(func(tx talaash.Tx) error {
		return tx.AuditOf(ref, func(a *talaash.AuditEntry) error { out = append(out, *a); return nil })
	})
	return out
}

func has(body string, want ...string) []string {
	var missing []string
	for _, w := range want {
		if !strings.Contains(body, w) {
			missing = append(missing, w)
		}
	}
	return missing
}
