package twilio

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/bot/twilio/twiliotest"
)

const (
	testAccount = "AC00000000000000000000000000000000"
	testToken   = "5ecre7t0ken0f7wi1io0000000000000"
	testFrom    = "+15005550006"
	testPublic  = "https://talaash.example.org"
)

var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func fixture(t *testing.T, name string) url.Values {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	form, err := url.ParseQuery(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return form
}

// signedRequest builds a webhook POST to target (a path with any query) with
// the signature Twilio would send for testPublic+target.
func signedRequest(target string, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Twilio-Signature", twiliotest.Sign(testToken, testPublic+target, form))
	return r
}

// fakeCore stands in for the core: it records what it was given and answers
// with reply.
type fakeCore struct {
	mu    sync.Mutex
	calls []talaash.Inbound
	reply func(in talaash.Inbound) ([]talaash.Outbound, error)
}

func (f *fakeCore) Handle(_ context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in)
	f.mu.Unlock()
	if f.reply == nil {
		return []talaash.Outbound{{Channel: in.Channel, To: in.Sender, Text: "ok"}}, nil
	}
	return f.reply(in)
}

func (f *fakeCore) n() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// clock is a settable time source for the rate limit.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestChannel(t *testing.T, h talaash.Handler, mod func(*Config)) *Channel {
	t.Helper()
	cfg := Config{AccountSID: testAccount, AuthToken: testToken, From: testFrom, PublicURL: testPublic,
		Now: func() time.Time { return testNow }}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
