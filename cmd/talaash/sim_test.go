package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram"
	"talaash/bot/web"
	"talaash/stats"
)

func TestSimulatorOn(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, true}, // loopback and no channel
		{map[string]string{"TALAASH_LISTEN": "0.0.0.0:8080"}, true},
		{map[string]string{"TALAASH_LISTEN": "[::1]:8080", "TELEGRAM_BOT_TOKEN": "x"}, true},
		{map[string]string{"TALAASH_LISTEN": "localhost:8080", "TELEGRAM_BOT_TOKEN": "x"}, true},
		{map[string]string{"TALAASH_LISTEN": ":8080", "TELEGRAM_BOT_TOKEN": "x"}, false},
		{map[string]string{"TALAASH_LISTEN": "10.0.0.5:8080", "TWILIO_ACCOUNT_SID": "a", "TWILIO_AUTH_TOKEN": "b", "TWILIO_FROM": "+1"}, false},
		{map[string]string{"TALAASH_LISTEN": ":8080", "TELEGRAM_BOT_TOKEN": "x", "TALAASH_SIMULATOR": "on"}, true},
		{map[string]string{"TALAASH_SIMULATOR": "off"}, false},
		{map[string]string{"TALAASH_SIMULATOR": "OFF", "TALAASH_LISTEN": "0.0.0.0:8080"}, false},
	} {
		cfg := ConfigFromEnv(func(k string) string { return c.env[k] })
		if got := cfg.SimulatorOn(); got != c.want {
			t.Errorf("%v: simulator on = %v, want %v", c.env, got, c.want)
		}
	}
}

// simService is the real program serving on loopback on a temp database.
type simService struct {
	t    *testing.T
	m    *Main
	url  string
	logs *lockedBuffer
	last int
	seen []web.Message
}

// startSim runs `talaash serve` with env (TALAASH_DB and TALAASH_LISTEN
// set unless given) until the test ends; wired may tune the parts.
func startSim(t *testing.T, env map[string]string, wired func(*Main)) *simService {
	t.Helper()
	full := map[string]string{"TALAASH_DB": filepath.Join(t.TempDir(), "t.db"), "TALAASH_LISTEN": "127.0.0.1:0"}
	for k, v := range env {
		full[k] = v
	}
	s := &simService{t: t, logs: &lockedBuffer{}}
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, s.logs
	m.Logger = slog.New(slog.NewTextHandler(s.logs, nil))
	m.Getenv = func(k string) string { return full[k] }
	m.Wired = func(m *Main) {
		m.Outbox.Backoff, m.Outbox.Poll = 50*time.Millisecond, 100*time.Millisecond
		if wired != nil {
			wired(m)
		}
	}
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case addr := <-listening:
		s.url = "http://" + addr
	case err := <-done:
		t.Fatalf("serve ended at start: %v\n%s", err, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	s.m = m
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
		m.Close()
	})
	return s
}

func (s *simService) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// send posts what a phone's holder does.
func (s *simService) send(role string, req map[string]any) {
	s.t.Helper()
	req["role"] = role
	b, _ := json.Marshal(req)
	resp, err := http.Post(s.url+"/sim/api/send", "application/json", bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		s.t.Fatalf("send %v: %d %s", req, resp.StatusCode, body)
	}
}

// wait returns the first new message to role containing want, or fails.
func (s *simService) wait(role, want string) web.Message {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, m := range s.seen {
			if m.Role == role && !m.Mine && strings.Contains(m.Text, want) {
				return m
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no message to %s with %q; got %+v", role, want, s.seen)
		}
		_, body := s.get("/sim/api/messages?wait=1&after=" + itoa(s.last))
		var msgs []web.Message
		if err := json.Unmarshal([]byte(body), &msgs); err != nil {
			s.t.Fatal(err)
		}
		for _, m := range msgs {
			s.last = max(s.last, m.Seq)
		}
		s.seen = append(s.seen, msgs...)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// spy stands in for the Telegram adapter's sender, to see what real
// officers would get.
type spy struct {
	mu   sync.Mutex
	sent []talaash.Outbound
}

func (s *spy) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return "1", nil
}
func (s *spy) Channels() []talaash.ChannelSpec { return []talaash.ChannelSpec{telegram.Spec} }
func (s *spy) Routes(*http.ServeMux)           {}
func (s *spy) Run(context.Context) error       { return nil }
func (s *spy) to(addr string) []talaash.Outbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []talaash.Outbound
	for _, m := range s.sent {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// report runs the parent's report on the simulator's chat phone, pressing
// the buttons a person would, and returns the reference.
func (s *simService) report() string {
	s.send("parent", map[string]any{"text": "hello"})
	s.wait("parent", "Choose your language")
	s.send("parent", map[string]any{"callback": "lang:en", "label": "English"})
	s.wait("parent", "How can we help")
	s.send("parent", map[string]any{"callback": "menu:report", "label": "Report a missing child"})
	s.wait("parent", "name")
	for _, step := range []struct {
		req  map[string]any
		next string
	}{
		{map[string]any{"text": "Raju"}, "How old"},
		{map[string]any{"text": "8"}, "boy or a girl"},
		{map[string]any{"callback": "g:male", "label": "Boy"}, "complexion"},
		{map[string]any{"callback": "c:wheatish", "label": "Wheatish"}, "How tall"},
		{map[string]any{"callback": "skip", "label": "Skip"}, "wearing"},
		{map[string]any{"text": "red shirt, blue jeans"}, "mark"},
		{map[string]any{"text": "mole on left cheek"}, "last seen?"},
		{map[string]any{"place": "kanpur-central"}, "When was"},
		{map[string]any{"callback": "t:today", "label": "Today"}, "photo"},
		{map[string]any{"callback": "skip", "label": "Skip"}, "Your name"},
		{map[string]any{"text": "Sunita"}, "mobile number"},
		{map[string]any{"contact": true}, "Is this correct"},
	} {
		s.send("parent", step.req)
		s.wait("parent", step.next)
	}
	s.send("parent", map[string]any{"callback": "confirm", "label": "Confirm"})
	saved := s.wait("parent", "Reference:")
	ref := strings.TrimSuffix(strings.Fields(saved.Text[strings.Index(saved.Text, "Reference:"):])[1], ".")
	return ref
}

// The simulator's records are test records: out of the figures, alerted to
// the simulator's police phone and never to a real officer; a real record's
// alert goes to real officers and never to the simulator's phone, which may
// not look up real cases either.
func TestSimulatorTestRecords(t *testing.T) {
	sp := &spy{}
	s := startSim(t, map[string]string{"TALAASH_POLICE_TELEGRAM": "1001"}, func(m *Main) { m.Channels.Register(sp) })

	ref := s.report()
	s.send("bystander", map[string]any{"text": "Seen boy about 8 yrs red shirt blue jeans mole on left cheek at Kanpur Central"})
	s.wait("bystander", "saved as")
	alert := s.wait("police", "Possible match")
	if !strings.Contains(alert.Text, ref) || len(alert.Choices) == 0 {
		t.Errorf("alert %q", alert.Text)
	}
	s.send("police", map[string]any{"callback": alert.Choices[0].Data, "label": alert.Choices[0].Label})
	s.wait("police", "Confirmed")
	s.wait("parent", "possible match")
	time.Sleep(300 * time.Millisecond) // the outbox would have sent to real police by now
	if got := sp.to("1001"); len(got) != 0 {
		t.Errorf("a real officer heard of a test record: %+v", got)
	}
	var rep *stats.Report
	s.m.DB.View(func(tx talaash.Tx) (err error) {
		r, err := tx.Record(ref)
		if err == nil && !r.Test {
			t.Errorf("record %s from the simulator is not a test record", ref)
		}
		rep, err = stats.Compute(tx, time.Now(), talaash.IST)
		return err
	})
	if rep.Records != 0 || rep.All.Reported != 0 || rep.All.Seen != 0 {
		t.Errorf("test records counted in the figures: %+v", rep)
	}

	// A real report and sighting, as an import would store them.
	real := []*talaash.Record{
		{Kind: talaash.KindMissing, Language: "en", Name: "Meena", Gender: "female", Age: talaash.Num(6), Clothes: "yellow frock",
			Marks: "scar on chin", Place: "Parade", Time: time.Now().Add(-3 * time.Hour), Channel: talaash.ChannelTelegram, Address: "5005"},
		{Kind: talaash.KindSighting, Language: "en", Gender: "female", Age: talaash.Num(6), Clothes: "yellow frock",
			Marks: "scar on chin", Place: "Parade", Time: time.Now().Add(-time.Hour), Channel: talaash.ChannelTelegram, Address: "5006"},
	}
	if err := s.m.DB.Update(func(tx talaash.Tx) error { return s.m.Cases.SaveBatch(tx, real, true) }); err != nil {
		t.Fatal(err)
	}
	s.m.Outbox.Kick()
	deadline := time.Now().Add(5 * time.Second)
	for len(sp.to("1001")) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(sp.to("1001")) == 0 {
		t.Fatalf("the real officer got no alert for real records\n%s", s.logs)
	}
	s.send("police", map[string]any{"text": "/case " + real[0].Ref})
	refusal := s.wait("police", "test records only")
	_ = refusal
	for _, p := range []string{"9000000003", "9000000001", "Sunita", "Raju"} {
		if strings.Contains(s.logs.String(), p) {
			t.Errorf("the logs carry %q", p)
		}
	}
	for _, m := range s.seen {
		if m.Role == "police" && (strings.Contains(m.Text, real[0].Ref) && strings.Contains(m.Text, "Meena")) {
			t.Errorf("the simulator's police phone was shown a real record: %q", m.Text)
		}
	}
}

func TestSimulatorOff(t *testing.T) {
	s := startSim(t, map[string]string{"TALAASH_SIMULATOR": "off"}, nil)
	if code, _ := s.get("/sim"); code != http.StatusNotFound {
		t.Errorf("/sim with the simulator off: %d", code)
	}
	resp, err := http.Post(s.url+"/sim/api/send", "application/json", strings.NewReader(`{"role":"parent","text":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/sim/api/send with the simulator off: %d", resp.StatusCode)
	}
	if code, body := s.get("/"); code != 200 || strings.Contains(body, `href="/sim`) || !strings.Contains(body, "/desk") {
		t.Errorf("home with the simulator off: %d\n%s", code, body)
	}
	if !strings.Contains(s.logs.String(), "simulator=off") {
		t.Errorf("the startup log does not say the simulator is off:\n%s", s.logs)
	}
}

func TestSimulatorOnByDefault(t *testing.T) {
	s := startSim(t, nil, nil)
	if code, body := s.get("/sim"); code != 200 || !strings.Contains(body, `id="phone-police"`) {
		t.Errorf("/sim: %d", code)
	}
	if !strings.Contains(s.logs.String(), "url="+s.url+"/") {
		t.Errorf("the startup log does not print the home page's URL:\n%s", s.logs)
	}
	if !strings.Contains(s.logs.String(), "no chat channel configured") {
		t.Errorf("the simulator hides that no real channel is configured:\n%s", s.logs)
	}
	// Sample cases match at once: their alerts reach the police phone.
	resp, err := http.Post(s.url+"/sim/api/samples", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ N int }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out.N != 12 {
		t.Errorf("sample records loaded: %d", out.N)
	}
	s.wait("police", "SIM-")
	var rep *stats.Report
	s.m.DB.View(func(tx talaash.Tx) (err error) { rep, err = stats.Compute(tx, time.Now(), talaash.IST); return })
	if rep.Records != 0 {
		t.Errorf("sample records counted in the figures: %d", rep.Records)
	}
}
