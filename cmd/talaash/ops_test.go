package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot/kannel"
	"talaash/bot/outbox"
	"talaash/bot/telegram"
	"talaash/bot/twilio"
	"talaash/cases"
	"talaash/metrics"
	"talaash/store/bolt"
)

// fakeAdapter is a configured channel whose health the test sets.
type fakeAdapter struct {
	name string
	err  error
}

func (f *fakeAdapter) Send(context.Context, talaash.Outbound) (string, error) { return "", nil }
func (f *fakeAdapter) Channels() []talaash.ChannelSpec {
	return []talaash.ChannelSpec{{Name: f.name, Caps: talaash.Capabilities{Conversation: true}}}
}
func (f *fakeAdapter) Routes(*http.ServeMux)        {}
func (f *fakeAdapter) Run(context.Context) error    { return nil }
func (f *fakeAdapter) Health(context.Context) error { return f.err }
func (f *fakeAdapter) set(err error) *fakeAdapter   { f.err = err; return f }
func openTestStore(t *testing.T) talaash.Store {
	return mustOpen(t, filepath.Join(t.TempDir(), "t.db"))
}
func mustOpen(t *testing.T, path string) talaash.Store {
	t.Helper()
	s, err := bolt.Open(path)
	must(t, err)
	return s
}
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// healthOf asks m's /healthz.
func healthOf(t *testing.T, m *Main) (int, Health) {
	t.Helper()
	rec := httptest.NewRecorder()
	m.healthz(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	var h Health
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
		t.Fatalf("healthz body %q: %v", rec.Body.String(), err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return rec.Code, h
}

func TestHealthz(t *testing.T) {
	db := openTestStore(t)
	tg := &fakeAdapter{name: talaash.ChannelTelegram}
	sms := &fakeAdapter{name: talaash.ChannelSMS}
	second := &fakeAdapter{name: talaash.ChannelSMS} // registered after: not the SMS channel's
	reg := talaash.NewRegistry()
	reg.Register(tg)
	reg.Register(sms)
	reg.Register(second.set(errors.New("never asked")))
	m := &Main{DB: db, Channels: reg}

	if code, h := healthOf(t, m); code != http.StatusOK || h.Status != "ok" || h.Store != "ok" ||
		len(h.Channels) != 2 || h.Channels["telegram"] != "ok" || h.Channels["sms"] != "ok" {
		t.Errorf("all well: %d %+v", code, h)
	}
	tg.set(talaash.Errorf(talaash.EFAILED, "getUpdates: connection refused"))
	if code, h := healthOf(t, m); code != http.StatusServiceUnavailable || h.Status != "unavailable" ||
		!strings.Contains(h.Channels["telegram"], "connection refused") || h.Channels["sms"] != "ok" {
		t.Errorf("telegram down: %d %+v", code, h)
	}
	tg.set(nil)
	db.Close() // a store that takes no writes
	if code, h := healthOf(t, m); code != http.StatusServiceUnavailable || !strings.Contains(h.Store, "takes no writes") {
		t.Errorf("store closed: %d %+v", code, h)
	}
}

// The real adapters report their health.
func TestAdapterHealth(t *testing.T) {
	tw, err := twilio.New(twilio.Config{AccountSID: "AC1", AuthToken: "tok", From: "+15005550006", PublicURL: "http://127.0.0.1:1"}, nil)
	must(t, err)
	if err := tw.Health(context.Background()); err != nil {
		t.Errorf("twilio configured: %v", err)
	}
	noURL, _ := twilio.New(twilio.Config{AccountSID: "AC1", AuthToken: "tok", From: "+15005550006"}, nil)
	if err := noURL.Health(context.Background()); err == nil {
		t.Error("twilio without a public URL reports healthy")
	}

	// Kannel: sendsms must answer.
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	defer up.Close()
	for _, c := range []struct {
		url string
		ok  bool
	}{{up.URL, true}, {"http://127.0.0.1:9/cgi-bin/sendsms", false}} {
		k, err := kannel.New(kannel.Config{SendURL: c.url, Username: "u", Password: "p", From: "TALASH", Secret: "s"}, nil)
		must(t, err)
		if err := k.Health(context.Background()); (err == nil) != c.ok {
			t.Errorf("kannel at %s: %v", c.url, err)
		}
	}

	// Telegram: healthy until a getUpdates fails, and again once one succeeds.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte(`{"ok":false,"error_code":502,"description":"Bad Gateway"}`))
	}))
	defer down.Close()
	tg, err := telegram.New(telegram.Config{Token: "1:T", APIURL: down.URL, HTTPClient: &http.Client{Timeout: 2 * time.Second}}, nopHandler{})
	must(t, err)
	if err := tg.Health(context.Background()); err != nil {
		t.Errorf("telegram before any exchange: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tg.Run(ctx) }()
	waitFor(t, "telegram to report getUpdates failing", 5*time.Second, func() bool { return tg.Health(context.Background()) != nil })
	cancel()
	<-done
	if err := tg.Health(context.Background()); !strings.Contains(talaash.ErrorMessage(err), "getUpdates") {
		t.Errorf("telegram health: %v", err)
	}
}

type nopHandler struct{}

func (nopHandler) Handle(context.Context, talaash.Inbound) ([]talaash.Outbound, error) {
	return nil, nil
}

// The per-sender limit is kept in the store: a restart forgets nothing.
func TestSenderLimitSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	l := &limits{perMinute: 3, phone: func(ch string) bool { return ch == talaash.ChannelSMS }}
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	in := talaash.Inbound{Channel: talaash.ChannelSMS, Sender: "+919876543210"}
	allow := func(db talaash.Store, at time.Time) (ok bool, notice string) {
		t.Helper()
		must(t, db.Update(func(tx talaash.Tx) (err error) {
			ok, notice, _, err = l.Allow(tx, in, at)
			return err
		}))
		return ok, notice
	}
	for i := range 3 {
		if ok, _ := allow(db, now.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("message %d refused", i+1)
		}
	}
	must(t, db.Close())
	db = mustOpen(t, path) // a restart
	defer db.Close()
	if ok, notice := allow(db, now.Add(10*time.Second)); ok || notice != rateLimitedMsg {
		t.Errorf("4th message after a restart: ok=%v notice %q", ok, notice)
	}
	if ok, notice := allow(db, now.Add(11*time.Second)); ok || notice != "" {
		t.Errorf("5th message: ok=%v notice %q (the notice goes once a window)", ok, notice)
	}
	if ok, _ := allow(db, now.Add(61*time.Second)); !ok {
		t.Error("a new window refused")
	}
	tg := in
	tg.Channel = talaash.ChannelTelegram
	must(t, db.Update(func(tx talaash.Tx) error {
		for range 10 {
			if ok, _, _, err := l.Allow(tx, tg, now); !ok || err != nil {
				t.Fatalf("telegram limited per sender: %v %v", ok, err)
			}
		}
		return nil
	}))
}

func TestInboundRate(t *testing.T) {
	l := &limits{global: newBucket(10)}
	now := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	in := talaash.Inbound{Channel: talaash.ChannelTelegram, Sender: "1"}
	taken := 0
	for range 30 {
		if l.Admit(in, now) == nil {
			taken++
		}
	}
	if taken != 10 {
		t.Errorf("%d taken in one instant, want the burst of 10", taken)
	}
	err := l.Admit(in, now)
	if talaash.ErrorCode(err) != talaash.ETHROTTLED {
		t.Errorf("over the rate: %v", err)
	}
	if l.Admit(in, now.Add(200*time.Millisecond)) != nil {
		t.Error("no token after 200 ms at 10 a second")
	}
	for _, c := range []struct {
		v    string
		want int
		bad  bool
	}{{"", DefaultInboundRate, false}, {"off", 0, false}, {"0", 0, false}, {"250", 250, false}, {"x", 0, true}, {"-1", 0, true}} {
		if n, err := inboundRate(c.v); n != c.want || (err != nil) != c.bad {
			t.Errorf("inboundRate(%q) = %d, %v", c.v, n, err)
		}
	}
	if (&limits{}).Admit(in, now) != nil {
		t.Error("no global limit refused")
	}
}

// GET /metrics serves the core's counters and the outbox gauges.
func TestMetricsHandler(t *testing.T) {
	db := openTestStore(t)
	defer db.Close()
	now := time.Now()
	must(t, db.Update(func(tx talaash.Tx) error {
		return tx.Enqueue(&talaash.OutboxItem{Kind: "alert", Msg: talaash.Outbound{Channel: "telegram", To: "1", Text: "x"},
			Due: now, Created: now.Add(-90 * time.Second)})
	}))
	m := &Main{DB: db, Now: func() time.Time { return now }, Outbox: &outbox.Worker{DB: db}, Cases: &cases.Service{}}
	metrics.In("sms")
	metrics.Out("telegram", metrics.OutOutbox, 1)
	metrics.Turn("sms", metrics.TurnOK, 3*time.Millisecond)
	for _, e := range []string{metrics.AlertSent, metrics.AlertConfirmed, metrics.AlertRejected} {
		metrics.Alert(e)
	}
	metrics.Match(time.Millisecond)
	metrics.Limited(metrics.LimitGlobal)
	metrics.EnrolFailed("wrong_code")
	rec := httptest.NewRecorder()
	m.metricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`talaash_messages_in_total{channel="sms"}`, `talaash_turn_seconds_bucket{channel="sms",le="0.005"}`,
		`talaash_alerts_total{event="confirmed"}`, "talaash_outbox_items 1", "talaash_outbox_oldest_seconds 90",
		"go_goroutines", "talaash_http_connections ",
		// Every figure operations asks for: messages out per channel, alerts
		// sent and rejected, matcher latency, refusals, enrolment failures,
		// sends of unknown outcome, the matcher's load.
		`talaash_messages_out_total{channel="telegram",kind="outbox"}`, `talaash_alerts_total{event="sent"}`,
		`talaash_alerts_total{event="rejected"}`, "talaash_match_seconds_bucket", `talaash_rate_limited_total{limit="global"}`,
		`talaash_enrol_failures_total{reason="wrong_code"}`, "talaash_outbox_unsure 0", "talaash_matcher_loading 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}
