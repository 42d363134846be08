package main

// End-to-end tests of the whole service: the real program,
// built by NewMain from an environment map and run as `talaash serve`, talked
// to only from outside — Telegram updates through a fake Bot API (long
// polling), SMS as signed Twilio webhooks, outbound SMS caught by a fake
// Twilio REST server — with a real bbolt file underneath.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot/outbox"
	"talaash/bot/telegram/telegramtest"
	"talaash/bot/twilio/twiliotest"
	"talaash/cases"
	"talaash/gsm"
	"talaash/locales"
)

const (
	e2eAccount   = "AC0123456789abcdef0123456789abcdef"
	e2eToken     = "e2eAuthToken0123456789abcdef0123"
	e2eFrom      = "+15005550006"
	e2ePolice    = int64(90001) // pre-enrolled police chat
	e2eCode      = "k4npur"
	parentPhone  = "+919876543210"
	bystander    = "+919812345678"
	parentTyped  = "98765 43210"
	sightingText = "Seen boy about 8 yrs red shirt blue jeans mole on left cheek at Kanpur Central"
)

var refRE = regexp.MustCompile(`K-[0-9]{4,12}-[0-9]`)

// ---- fake Twilio REST ----

// twilioMsg is one message the service asked Twilio to send.
type twilioMsg struct{ To, From, Body string }

// fakeTwilioAPI records POSTed Messages and answers like Twilio, or fails the
// next sends with a given HTTP status and Twilio error code.
type fakeTwilioAPI struct {
	*httptest.Server
	mu    sync.Mutex
	msgs  []twilioMsg // accepted
	tries int         // every POST, accepted or not
	fails []int       // status*100000 + code, used first
	bad   []string    // what was wrong with a request
}

func newFakeTwilioAPI(t *testing.T) *fakeTwilioAPI {
	f := &fakeTwilioAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		user, pass, _ := r.BasicAuth()
		f.mu.Lock()
		defer f.mu.Unlock()
		f.tries++
		if want := "/2010-04-01/Accounts/" + e2eAccount + "/Messages.json"; r.Method != http.MethodPost || r.URL.Path != want {
			f.bad = append(f.bad, r.Method+" "+r.URL.Path)
		}
		if user != e2eAccount || pass != e2eToken {
			f.bad = append(f.bad, "basic auth "+user)
		}
		w.Header().Set("Content-Type", "application/json")
		if len(f.fails) > 0 {
			status, code := f.fails[0]/100000, f.fails[0]%100000
			f.fails = f.fails[1:]
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"code": %d, "message": "fake failure", "status": %d}`, code, status)
			return
		}
		m := twilioMsg{To: r.PostForm.Get("To"), From: r.PostForm.Get("From"), Body: r.PostForm.Get("Body")}
		f.msgs = append(f.msgs, m)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"sid": "SM%032d", "status": "queued", "to": %q, "from": %q, "account_sid": %q}`, len(f.msgs), m.To, m.From, e2eAccount)
	}))
	t.Cleanup(f.Close)
	t.Cleanup(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if len(f.bad) > 0 {
			t.Errorf("fake Twilio got bad requests: %q", f.bad)
		}
	})
	return f
}

// fail makes the next send answer HTTP status with Twilio error code.
func (f *fakeTwilioAPI) fail(status, code int) {
	f.mu.Lock()
	f.fails = append(f.fails, status*100000+code)
	f.mu.Unlock()
}

// to returns the accepted messages to a number.
func (f *fakeTwilioAPI) to(phone string) []twilioMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []twilioMsg
	for _, m := range f.msgs {
		if m.To == phone {
			out = append(out, m)
		}
	}
	return out
}

// ---- Twilio webhook signature ----

// ---- the service under test ----

// service is one run of `talaash serve` with its fakes.
type service struct {
	t      *testing.T
	db     string
	addr   string // host:port it listens on
	api    *telegramtest.Server
	tw     *fakeTwilioAPI
	m      *Main
	cancel context.CancelFunc
	done   chan error
	logs   *lockedBuffer
	sid    int // MessageSid counter
	upd    int // Telegram update id counter
	extra  map[string]string
	// updates, when set, delivers Telegram updates instead of the fake
	// Bot API's long polling (webhooks to replicas, say).
	updates func(body []byte)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr picks a loopback port that is free now, so that the public URL
// Twilio signs is known before serve starts.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// newService makes the fakes and a database; start runs the program.
func newService(t *testing.T) *service {
	t.Helper()
	s := &service{t: t, db: filepath.Join(t.TempDir(), "talaash.db"), api: telegramtest.NewServer(t), tw: newFakeTwilioAPI(t),
		logs: &lockedBuffer{}, upd: 5000}
	// The adapters log through slog's default logger: catch it too, so the
	// test can check that no phone number is logged in clear.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(s.logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	t.Cleanup(s.checkLogs)
	return s
}

func (s *service) env() map[string]string {
	e := map[string]string{
		"TALAASH_DB":              s.db,
		"TALAASH_LISTEN":          s.addr,
		"TALAASH_PUBLIC_URL":      "http://" + s.addr,
		"TALAASH_POLICE_CODE":     e2eCode,
		"TALAASH_POLICE_TELEGRAM": strconv.FormatInt(e2ePolice, 10),
		"TELEGRAM_BOT_TOKEN":      s.api.Token,
		"TELEGRAM_API_URL":        s.api.URL,
		"TWILIO_ACCOUNT_SID":      e2eAccount,
		"TWILIO_AUTH_TOKEN":       e2eToken,
		"TWILIO_FROM":             e2eFrom,
		"TWILIO_API_URL":          s.tw.URL,
	}
	for k, v := range s.extra {
		e[k] = v
	}
	return e
}

// start runs `talaash serve` until stop. wired may tune the parts before
// they run.
func (s *service) start(wired func(*Main)) {
	t := s.t
	t.Helper()
	if s.m != nil {
		t.Fatal("service already running")
	}
	s.addr = freeAddr(t)
	env := s.env()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, s.logs
	m.Logger = slog.New(slog.NewTextHandler(s.logs, nil))
	m.Getenv = func(k string) string { return env[k] }
	m.Wired = func(m *Main) {
		// Retries in milliseconds rather than seconds keep the tests quick;
		// the per-chat gap stays Telegram's, as throttling tests need it.
		m.Outbox.Backoff, m.Outbox.Poll = 50*time.Millisecond, 100*time.Millisecond
		if wired != nil {
			wired(m)
		}
	}
	listening := make(chan string, 1)
	m.Listening = listening
	ctx, cancel := context.WithCancel(context.Background())
	s.m, s.cancel, s.done = m, cancel, make(chan error, 1)
	go func() { s.done <- m.Run(ctx, []string{"serve"}) }()
	select {
	case got := <-listening:
		if got != s.addr {
			t.Fatalf("serve listens on %s, want %s", got, s.addr)
		}
	case err := <-s.done:
		t.Fatalf("serve ended at start: %v\n%s", err, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	t.Cleanup(s.stop)
}

// stop shuts the program down (as SIGTERM would) and closes the database.
func (s *service) stop() {
	if s.m == nil {
		return
	}
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		s.t.Error("serve did not stop")
	}
	if err := s.m.Close(); err != nil {
		s.t.Errorf("close: %v", err)
	}
	s.m = nil
}

// checkLogs: logs never carry a phone number in clear (DESIGN.md).
func (s *service) checkLogs() {
	logs := s.logs.String()
	for _, p := range []string{parentPhone, bystander, "9876543210", "9812345678", "9898989898"} {
		if strings.Contains(logs, p) {
			i := strings.Index(logs, p)
			s.t.Errorf("a phone number is logged in clear: ...%s...", logs[max(0, i-200):min(len(logs), i+60)])
		}
	}
}

// view reads the running service's database.
func (s *service) view(fn func(tx talaash.Tx) error) {
	s.t.Helper()
	if err := s.m.DB.View(fn); err != nil {
		s.t.Fatal(err)
	}
}

func (s *service) record(ref string) *talaash.Record {
	s.t.Helper()
	var r *talaash.Record
	s.view(func(tx talaash.Tx) (err error) { r, err = tx.Record(ref); return err })
	return r
}

func (s *service) countRecords() (n int) {
	s.view(func(tx talaash.Tx) error { n = tx.CountRecords(); return nil })
	return n
}

// ---- SMS in ----

type smsReply struct {
	status int
	body   string
}

// sms posts one inbound SMS as Twilio would: signed, with a new MessageSid
// unless sid is given.
func (s *service) sms(from, body string) (smsReply, url.Values) {
	s.sid++
	form := url.Values{
		"MessageSid": {fmt.Sprintf("SM%032d", 700000+s.sid)}, "AccountSid": {e2eAccount},
		"From": {from}, "To": {e2eFrom}, "Body": {body}, "NumMedia": {"0"},
	}
	return s.postSMS(form, ""), form
}

// postSMS posts form to /twilio/sms with the right signature, or with sig
// when it is not empty.
func (s *service) postSMS(form url.Values, sig string) smsReply {
	s.t.Helper()
	target := "http://" + s.addr + "/twilio/sms"
	if sig == "" {
		sig = twiliotest.Sign(e2eToken, target, form)
	}
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return smsReply{resp.StatusCode, string(b)}
}

// signedSMS is a request of Twilio's inbound webhook to addr, signed.
func signedSMS(addr string, form url.Values) *http.Request {
	target := "http://" + addr + "/twilio/sms"
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(e2eToken, target, form))
	return req
}

// twimlMessages returns the <Message> texts of a TwiML answer.
func twimlMessages(t *testing.T, body string) []string {
	t.Helper()
	var doc struct {
		Messages []string `xml:"Message"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("TwiML %q: %v", body, err)
	}
	return doc.Messages
}

// ---- Telegram in ----

var tgFrom = map[string]any{"is_bot": false, "first_name": "Sunita", "language_code": "en"}

func (s *service) tgUpdate(chat int64, text, data string, photo string) {
	s.upd++
	from := map[string]any{"id": chat}
	for k, v := range tgFrom {
		from[k] = v
	}
	var u map[string]any
	switch {
	case data != "":
		u = map[string]any{"update_id": s.upd, "callback_query": map[string]any{"id": fmt.Sprint("cb", s.upd), "from": from,
			"chat_instance": "ci", "data": data,
			"message": map[string]any{"message_id": 1, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}}}}
	default:
		msg := map[string]any{"message_id": s.upd, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}, "from": from}
		if photo != "" {
			msg["photo"] = []map[string]any{{"file_id": photo + "-small", "file_unique_id": "us", "width": 90, "height": 90},
				{"file_id": photo, "file_unique_id": "ub", "width": 800, "height": 600}}
		} else {
			msg["text"] = text
		}
		u = map[string]any{"update_id": s.upd, "message": msg}
	}
	b, _ := json.Marshal(u)
	if s.updates != nil {
		s.updates(b)
		return
	}
	s.api.AddUpdate(b)
}

// tgCall is one sendMessage or sendPhoto to a chat.
type tgCall struct {
	Method, Text, Photo, Markup string
}

func chatCalls(api *telegramtest.Server, chat int64) []tgCall {
	var out []tgCall
	id := strconv.FormatInt(chat, 10)
	for _, c := range api.Calls("sendMessage", "sendPhoto") {
		if c.Fields["chat_id"] == id {
			out = append(out, tgCall{c.Method, c.Fields["text"], c.Fields["photo"], c.Fields["reply_markup"]})
		}
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitChat waits until chat has received n calls in all and returns them.
func waitChat(t *testing.T, api *telegramtest.Server, chat int64, n int) []tgCall {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := chatCalls(api, chat)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("chat %d: waited for %d messages, got %d: %+v", chat, n, len(got), got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// step sends one Telegram update from chat and waits for n replies to it.
func (s *service) step(chat int64, text, data, photo string, n int) []tgCall {
	s.t.Helper()
	before := len(chatCalls(s.api, chat))
	s.tgUpdate(chat, text, data, photo)
	got := waitChat(s.t, s.api, chat, before+n)[before:]
	// No more than n: a reply too many would show the dialog is off script.
	time.Sleep(20 * time.Millisecond)
	if all := chatCalls(s.api, chat); len(all) != before+n {
		s.t.Fatalf("chat %d after %q%q: %d replies, want %d: %+v", chat, text, data, len(all)-before, n, all[before:])
	}
	return got
}

// reportReplies is how many messages a parent gets during report.
const reportReplies = 17

// report walks a parent's full report in English on Telegram, the dialog's
// own turns and buttons, and returns the reference it is given.
func (s *service) report(chat int64, photo string) string {
	s.t.Helper()
	s.draft(chat, photo)
	return s.confirmReport(chat, photo)
}

// draft walks a parent's report up to its confirmation question.
func (s *service) draft(chat int64, photo string) {
	t := s.t
	t.Helper()
	c := s.step(chat, "/start", "", "", 1)
	if !strings.Contains(c[0].Markup, `"callback_data":"lang:en"`) {
		t.Fatalf("language choice without buttons: %+v", c[0])
	}
	s.step(chat, "", "lang:en", "", 1)
	c = s.step(chat, "", "menu:report", "", 2)
	if c[1].Text != locales.Render("en", "report.name", nil) {
		t.Fatalf("name question %q", c[1].Text)
	}
	for _, a := range []struct{ text, data, photo string }{
		{"Ravi Kumar", "", ""}, {"8", "", ""}, {"", "g:male", ""}, {"wheatish", "", ""}, {"", "skip", ""},
		{"red shirt, blue jeans", "", ""}, {"mole on left cheek", "", ""}, {"Kanpur Central", "", ""},
		{"", "t:today", ""}, {"", "", photo}, {"Sunita Devi", "", ""}, {parentTyped, "", ""},
	} {
		if a.text == "" && a.data == "" && a.photo == "" {
			a.data = "skip" // no photo
		}
		s.step(chat, a.text, a.data, a.photo, 1)
	}
}

// confirmReport confirms a drafted report and checks the record it stored.
func (s *service) confirmReport(chat int64, photo string) string {
	t := s.t
	t.Helper()
	c := s.step(chat, "", "confirm", "", 1)
	ref := refRE.FindString(c[0].Text)
	if ref == "" || c[0].Text != locales.Render("en", "report.saved", map[string]any{"Ref": ref}) {
		t.Fatalf("confirmation %q", c[0].Text)
	}
	r := s.record(ref)
	lo, hi, _ := r.Ages()
	if r.Kind != talaash.KindMissing || r.Gender != "male" || lo != 8 || hi != 8 || r.Contact == nil || r.Contact.Phone != parentPhone ||
		r.Channel != talaash.ChannelTelegram || r.Address != strconv.FormatInt(chat, 10) || r.Language != "en" ||
		!strings.Contains(r.Clothes, "red shirt") || !strings.Contains(r.Marks, "mole") || r.Place == "" {
		t.Fatalf("parent's record %+v", r)
	}
	if photo != "" && (len(r.Photos) != 1 || r.Photos[0] != photo) {
		t.Fatalf("photos %q, want the largest size %q", r.Photos, photo)
	}
	return ref
}

// sighting sends the one-message sighting by SMS and returns its reference
// and the TwiML texts.
func (s *service) sighting(from, text string) (string, []string) {
	s.t.Helper()
	r, _ := s.sms(from, text)
	if r.status != http.StatusOK {
		s.t.Fatalf("sighting webhook: %d %s", r.status, r.body)
	}
	msgs := twimlMessages(s.t, r.body)
	ref := ""
	for _, m := range msgs {
		if ref = refRE.FindString(m); ref != "" {
			break
		}
	}
	if ref == "" {
		s.t.Fatalf("sighting answered without a reference: %q", msgs)
	}
	return ref, msgs
}

// alertButtons reads the inline keyboard of a message.
func alertButtons(t *testing.T, markup string) map[string]string {
	t.Helper()
	var kb struct {
		Inline [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &kb); err != nil || len(kb.Inline) == 0 {
		t.Fatalf("no inline keyboard in %q: %v", markup, err)
	}
	out := map[string]string{}
	for _, row := range kb.Inline {
		for _, b := range row {
			if len(b.Data) > 64 || b.Data == "" {
				t.Errorf("button %q has callback data of %d bytes", b.Text, len(b.Data))
			}
			out[b.Text] = b.Data
		}
	}
	return out
}

// alertsFor returns the messages to the police chat that are alerts for the
// pair (their title names both refs).
func alertsFor(api *telegramtest.Server, missing, sighting string) []tgCall {
	var out []tgCall
	for _, c := range chatCalls(api, e2ePolice) {
		if c.Method == "sendMessage" && strings.Contains(c.Text, missing) && strings.Contains(c.Text, sighting) && strings.Contains(c.Markup, "inline_keyboard") {
			out = append(out, c)
		}
	}
	return out
}

// alertState reads the review state of a pair.
func (s *service) alertState(missing, sighting string) (a *alerts.Alert) {
	s.view(func(tx talaash.Tx) error { a, _, _ = alerts.State(tx, missing, sighting); return nil })
	return a
}

// TestE2EReportSightingConfirm is scenario 1: a parent's report on Telegram,
// a matching one-message SMS sighting, the alert at the police chat with its
// buttons, Confirm pressed, and what the parent and the bystander are told.
func TestE2EReportSightingConfirm(t *testing.T) {
	s := newService(t)
	s.start(nil)
	const parent = int64(4242)
	mref := s.report(parent, "AgACparentphoto")

	sref, msgs := s.sighting(bystander, sightingText)
	if len(msgs) != 1 || msgs[0] != locales.RenderSMS("en", "quick.saved", map[string]any{"Ref": sref}) {
		t.Errorf("sighting answered %q", msgs)
	}
	sg := s.record(sref)
	lo, hi, _ := sg.Ages()
	if sg.Kind != talaash.KindSighting || sg.Gender != "male" || lo > 8 || hi < 8 || sg.Channel != talaash.ChannelSMS || sg.Address != bystander ||
		sg.Text != sightingText || sg.Place == "" {
		t.Errorf("sighting record %+v", sg)
	}

	// The alert with both records and the buttons, then the report's photo
	// (each its own outbox item, so each is delivered once).
	waitFor(t, "the alert and its photo at the police chat", 10*time.Second, func() bool {
		return len(alertsFor(s.api, mref, sref)) > 0 && len(chatCalls(s.api, e2ePolice)) >= 2
	})
	calls := chatCalls(s.api, e2ePolice)
	if len(calls) != 2 || calls[0].Method != "sendMessage" || calls[1].Method != "sendPhoto" || calls[1].Photo != "AgACparentphoto" {
		t.Fatalf("police chat got %+v, want the alert then the photo", calls)
	}
	alert := calls[0]
	for _, want := range []string{mref, sref, "Ravi Kumar", "red shirt", "mole", "Kanpur Central", parentPhone, bystander} {
		if !strings.Contains(alert.Text, want) {
			t.Errorf("alert lacks %q:\n%s", want, alert.Text)
		}
	}
	// An alert is a strong match: police must not read it as a weak one.
	if m := regexp.MustCompile(`\((\d+)%\)`).FindStringSubmatch(alert.Text); m == nil {
		t.Errorf("alert shows no score: %q", alert.Text)
	} else if p, _ := strconv.Atoi(m[1]); p < 50 {
		t.Errorf("alert shows a strong match as %d%%", p)
	}
	buttons := alertButtons(t, alert.Markup)
	confirm := buttons[locales.Render("en", "alerts.button.confirm", nil)]
	reject := buttons[locales.Render("en", "alerts.button.reject", nil)]
	open := buttons[locales.Render("en", "alerts.button.case", nil)]
	if confirm == "" || reject == "" || open == "" || len(buttons) != 3 {
		t.Fatalf("alert buttons %q", buttons)
	}
	if !strings.Contains(confirm, mref) || !strings.Contains(reject, mref) || !strings.Contains(open, mref) {
		t.Errorf("buttons do not name the report: %q", buttons)
	}
	if a := s.alertState(mref, sref); a == nil || a.State != talaash.AlertPending {
		t.Fatalf("alert state %+v", a)
	}

	// The bystander's sighting answered, nobody else heard of the alert yet.
	if n := len(chatCalls(s.api, parent)); n != reportReplies {
		t.Errorf("parent's chat got %d messages before Confirm, want the %d replies of the report", n, reportReplies)
	}

	// Confirm.
	before := len(chatCalls(s.api, e2ePolice))
	s.tgUpdate(e2ePolice, "", confirm, "")
	reply := waitChat(t, s.api, e2ePolice, before+1)[before]
	if !strings.Contains(reply.Text, mref) {
		t.Errorf("officer's answer to Confirm: %q", reply.Text)
	}
	waitFor(t, "both records matched", 5*time.Second, func() bool {
		return s.record(mref).Status == talaash.StatusMatched && s.record(sref).Status == talaash.StatusMatched
	})
	if a := s.alertState(mref, sref); a == nil || a.State != talaash.AlertConfirmed || a.ReviewedBy != "telegram:"+strconv.FormatInt(e2ePolice, 10) {
		t.Errorf("alert after Confirm %+v", a)
	}
	m := s.record(mref)
	if h := m.History[len(m.History)-1]; h.To != talaash.StatusMatched || h.By != "telegram:90001" || !strings.Contains(h.Why, sref) {
		t.Errorf("audit %+v", h)
	}

	// The parent hears, on their chat and in English, that police have a
	// possible match — and nothing of where, who or what was seen.
	got := waitChat(t, s.api, parent, reportReplies+1)[reportReplies]
	if want := locales.Render("en", "alerts.notify.match", map[string]any{"Ref": mref}); got.Text != want || got.Method != "sendMessage" {
		t.Errorf("parent told %q, want %q", got.Text, want)
	}
	for _, secret := range append([]string{sref, bystander, "9812345678", "Central", "AgAC", "red shirt"}, strings.Fields(sg.Place)...) {
		if strings.Contains(strings.ToLower(got.Text), strings.ToLower(secret)) {
			t.Errorf("parent's notification discloses %q: %q", secret, got.Text)
		}
	}
	// The bystander is thanked by SMS, through the Messages API.
	waitFor(t, "thanks to the bystander", 10*time.Second, func() bool { return len(s.tw.to(bystander)) > 0 })
	thanks := s.tw.to(bystander)
	if want := locales.RenderSMS("en", "alerts.notify.thanks", map[string]any{"Ref": sref}); len(thanks) != 1 || thanks[0].Body != want || thanks[0].From != e2eFrom {
		t.Errorf("bystander got %+v, want one %q", thanks, want)
	}
	if strings.Contains(thanks[0].Body, mref) || strings.Contains(thanks[0].Body, parentPhone) || strings.Contains(thanks[0].Body, "Ravi") {
		t.Errorf("thanks discloses the family: %q", thanks[0].Body)
	}

	// Pressing Confirm again changes nothing and tells nobody again.
	before = len(chatCalls(s.api, e2ePolice))
	s.tgUpdate(e2ePolice, "", confirm, "")
	again := waitChat(t, s.api, e2ePolice, before+1)[before]
	if again.Text == reply.Text {
		t.Errorf("second Confirm answered as the first: %q", again.Text)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(chatCalls(s.api, parent)); n != reportReplies+1 {
		t.Errorf("parent's chat got %d messages, want %d", n, reportReplies+1)
	}
	if n := len(s.tw.to(bystander)); n != 1 {
		t.Errorf("bystander got %d SMS, want 1", n)
	}

	// After shutdown the CLI sees both records matched.
	s.stop()
	out := talaashRun(t, s.db, "", "export")
	if out.code != 0 {
		t.Fatal(out.stderr)
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(out.stdout), "\n") {
		var r talaash.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if (r.Ref == mref || r.Ref == sref) && r.Status == talaash.StatusMatched {
			n++
		}
	}
	if n != 2 {
		t.Errorf("export shows %d of the pair matched:\n%s", n, out.stdout)
	}
}

// outboxAlerts counts the alert items (first sends or reminders) for a pair
// still waiting in the outbox.
func (s *service) outboxAlerts(missing, sighting string) (n int) {
	key := cases.PairKey(missing, sighting)
	s.view(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			if strings.HasSuffix(it.Key, ":"+key) && (it.Kind == "alert" || it.Kind == "reminder") {
				n++
			}
			return nil
		})
	})
	return n
}

// press sends a button press from the police chat and returns the answer.
func (s *service) press(data string) tgCall {
	s.t.Helper()
	before := len(chatCalls(s.api, e2ePolice))
	s.tgUpdate(e2ePolice, "", data, "")
	return waitChat(s.t, s.api, e2ePolice, before+1)[before]
}

// TestE2ENotAMatch is scenario 2: Not a match pressed; the sighting saved
// again (its missing age answered) and a new identical sighting do not alert
// that pair again.
func TestE2ENotAMatch(t *testing.T) {
	s := newService(t)
	s.start(nil)
	mref := s.report(4343, "")

	// A one-message sighting without the age: saved at once, then one question.
	r, _ := s.sms(bystander, "SEEN boy red shirt blue jeans mole on left cheek at Kanpur Central")
	msgs := twimlMessages(t, r.body)
	sref := refRE.FindString(strings.Join(msgs, "\n"))
	if len(msgs) != 1 || sref == "" || !strings.Contains(msgs[0], locales.RenderSMS("en", "quick.age", nil)) {
		t.Fatalf("sighting without age answered %q", msgs)
	}
	waitFor(t, "the alert", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, sref)) == 1 })
	buttons := alertButtons(t, alertsFor(s.api, mref, sref)[0].Markup)
	reject := buttons[locales.Render("en", "alerts.button.reject", nil)]
	got := s.press(reject)
	if want := locales.Render("en", "alerts.review.rejected", map[string]any{"Missing": mref, "Sighting": sref}); got.Text != want {
		t.Errorf("Not a match answered %q, want %q", got.Text, want)
	}
	if a := s.alertState(mref, sref); a == nil || a.State != talaash.AlertRejected {
		t.Fatalf("alert state %+v", a)
	}
	for _, ref := range []string{mref, sref} {
		rec := s.record(ref)
		if !rec.Status.Active() || rec.Status == talaash.StatusMatched || len(rec.History) == 0 || !strings.Contains(rec.History[len(rec.History)-1].Why, "not a match") {
			t.Errorf("%s after Not a match: status %q history %+v", ref, rec.Status, rec.History)
		}
	}

	// The bystander answers the age: the same record is saved again, matched
	// again, and the rejected pair stays quiet.
	policeBefore := len(chatCalls(s.api, e2ePolice))
	r, _ = s.sms(bystander, "about 8")
	msgs = twimlMessages(t, r.body)
	if len(msgs) != 1 || msgs[0] != locales.RenderSMS("en", "quick.saved", map[string]any{"Ref": sref}) {
		t.Fatalf("age answered %q", msgs)
	}
	if rec := s.record(sref); rec.Age == nil || *rec.Age != 8 {
		t.Fatalf("the answer did not update the sighting: %+v", rec)
	}
	// Any alert would have been enqueued in the commit that answered.
	if n := s.outboxAlerts(mref, sref); n != 0 {
		t.Errorf("saving the sighting again queued %d alerts for the rejected pair", n)
	}
	if a := s.alertState(mref, sref); a == nil || a.State != talaash.AlertRejected {
		t.Errorf("alert state after the edit %+v", a)
	}

	// A new identical sighting from someone else is a new record: the pair
	// police rejected is still not alerted.
	s2, _ := s.sighting("+919811111111", sightingText)
	if s2 == sref {
		t.Fatal("a new sighting got the old reference")
	}
	if n := s.outboxAlerts(mref, sref); n != 0 {
		t.Errorf("a new sighting queued %d alerts for the rejected pair", n)
	}
	if a := s.alertState(mref, s2); a != nil {
		// A new sighting is new evidence: police hear of it, as a new pair.
		waitFor(t, "the new pair's alert", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, s2)) == 1 })
		t.Logf("the new sighting %s was alerted as a new pair (%s)", s2, a.State)
	}
	time.Sleep(300 * time.Millisecond) // the outbox polls every 100 ms
	if n := len(alertsFor(s.api, mref, sref)); n != 1 {
		t.Errorf("the rejected pair was alerted %d times", n)
	}
	for _, c := range chatCalls(s.api, e2ePolice)[policeBefore:] {
		if strings.Contains(c.Text, sref) {
			t.Errorf("police heard of the rejected sighting again: %q", c.Text)
		}
	}
}

// TestE2EWebhookReplayAndSignature is scenario 3: Twilio retrying a webhook
// (same MessageSid) gets the same TwiML and makes one record; requests with a
// wrong or no signature get 403 and change nothing.
func TestE2EWebhookReplayAndSignature(t *testing.T) {
	s := newService(t)
	s.start(nil)
	first, form := s.sms(bystander, sightingText)
	if first.status != http.StatusOK || !strings.Contains(first.body, "<Message>") || refRE.FindString(first.body) == "" {
		t.Fatalf("first delivery: %d %s", first.status, first.body)
	}
	again := s.postSMS(form, "")
	if again.status != http.StatusOK || again.body != first.body {
		t.Errorf("replay answered %d %q, first %q", again.status, again.body, first.body)
	}
	if n := s.countRecords(); n != 1 {
		t.Fatalf("%d records after a replay, want 1", n)
	}

	target := "http://" + s.addr + "/twilio/sms"
	bad := url.Values{"MessageSid": {"SM" + strings.Repeat("9", 32)}, "From": {"+919811111111"}, "To": {e2eFrom}, "Body": {sightingText}, "NumMedia": {"0"}}
	tampered := url.Values{}
	for k, v := range bad {
		tampered[k] = v
	}
	tampered.Set("Body", "SEEN girl 6 pink frock Kanpur Central")
	for name, sig := range map[string]string{
		"wrong token":       twiliotest.Sign("not"+e2eToken, target, bad),
		"other URL":         twiliotest.Sign(e2eToken, "https://"+s.addr+"/twilio/sms", bad),
		"garbage":           "bm90IGEgc2lnbmF0dXJl",
		"signed other body": twiliotest.Sign(e2eToken, target, tampered),
	} {
		if r := s.postSMS(bad, sig); r.status != http.StatusForbidden || strings.Contains(r.body, "Message") {
			t.Errorf("%s: %d %q, want 403", name, r.status, r.body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(bad.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if n := s.countRecords(); n != 1 {
		t.Errorf("%d records after refused requests, want 1", n)
	}
	var sessions int
	s.view(func(tx talaash.Tx) error {
		if b, _ := tx.Session("sms:+919811111111"); b != nil {
			sessions++
		}
		return nil
	})
	if sessions != 0 {
		t.Error("a refused request left a session")
	}
	// The refused sender, once signed properly, is a fresh person.
	if r := s.postSMS(bad, ""); r.status != http.StatusOK || refRE.FindString(r.body) == "" {
		t.Errorf("signed after refusals: %d %s", r.status, r.body)
	}
}

// TestE2ECrashBetweenCommitAndSend is scenario 4: the alert is committed but
// the Bot API fails every send; the program stops and a new one on the same
// database, with a working Bot API, delivers it exactly once.
func TestE2ECrashBetweenCommitAndSend(t *testing.T) {
	s := newService(t)
	s.start(nil)
	mref := s.report(4444, "")
	for i := 0; i < 200; i++ {
		s.api.Fail("sendMessage", http.StatusBadGateway, "Bad Gateway", 0)
	}
	sref, _ := s.sighting(bystander, sightingText)
	old := s.api
	waitFor(t, "two failed alert sends", 10*time.Second, func() bool { return len(chatCalls(old, e2ePolice)) >= 2 })
	s.stop()
	if n := s.countAfterStop(); n != 2 {
		t.Fatalf("%d records after stop", n)
	}

	// Restart with a Bot API that works.
	s.api = telegramtest.NewServer(t)
	s.start(nil)
	waitFor(t, "the alert after restart", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, sref)) > 0 })
	time.Sleep(500 * time.Millisecond) // several outbox polls: nothing more may come
	if calls := chatCalls(s.api, e2ePolice); len(calls) != 1 || len(alertsFor(s.api, mref, sref)) != 1 {
		t.Errorf("police chat got %d messages after restart, want the one alert: %+v", len(calls), calls)
	}
	if n := s.outboxAlerts(mref, sref); n != 0 {
		t.Errorf("%d alert items left in the outbox", n)
	}
	s.view(func(tx talaash.Tx) error {
		if d, ok := outbox.Delivered(tx, "alert:"+cases.PairKey(mref, sref), talaash.ChannelTelegram, "90001"); !ok || d.SentID == "" {
			t.Errorf("delivery not logged: %+v %v", d, ok)
		}
		return nil
	})
	// A second restart sends nothing again.
	s.stop()
	s.api = telegramtest.NewServer(t)
	s.start(nil)
	time.Sleep(400 * time.Millisecond)
	if calls := chatCalls(s.api, e2ePolice); len(calls) != 0 {
		t.Errorf("the alert went out again after a second restart: %+v", calls)
	}
}

// countAfterStop counts records with the CLI once serve has let go of the database.
func (s *service) countAfterStop() int {
	s.t.Helper()
	r := talaashRun(s.t, s.db, "", "export")
	if r.code != 0 {
		s.t.Fatal(r.stderr)
	}
	return strings.Count(r.stdout, "\n")
}

// TestE2EThrottledAlert is scenario 5: the Bot API answers the first alert
// send with 429 and retry_after 1; the alert goes out after the wait, once.
func TestE2EThrottledAlert(t *testing.T) {
	s := newService(t)
	s.start(nil)
	mref := s.report(4545, "")
	s.api.Fail("sendMessage", http.StatusTooManyRequests, "Too Many Requests: retry after 1", 1)
	sref, _ := s.sighting(bystander, sightingText)
	waitChat(t, s.api, e2ePolice, 1)
	t1 := time.Now()
	waitFor(t, "the alert after retry_after", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, sref)) == 2 })
	if d := time.Since(t1); d < 900*time.Millisecond {
		t.Errorf("resent after %v, before retry_after (1s)", d)
	}
	time.Sleep(400 * time.Millisecond)
	// Two calls reached the Bot API: the refused one and the delivered one.
	if calls := chatCalls(s.api, e2ePolice); len(calls) != 2 {
		t.Errorf("police chat got %d calls, want 2 (429, then delivered): %+v", len(calls), calls)
	}
	s.view(func(tx talaash.Tx) error {
		if _, ok := outbox.Delivered(tx, "alert:"+cases.PairKey(mref, sref), talaash.ChannelTelegram, "90001"); !ok {
			t.Error("throttled alert not logged as delivered")
		}
		return nil
	})
}

// TestE2EPoliceBySMS is scenario 6: an officer asks to enrol by SMS with the
// general code, the Telegram officer approves by chat, the new officer gets
// the alert by SMS within two parts, and confirms with YES REF.
func TestE2EPoliceBySMS(t *testing.T) {
	s := newService(t)
	s.start(nil)
	const officer = "+919898989898"
	r, _ := s.sms(officer, "POLICE wrongcode")
	if msgs := twimlMessages(t, r.body); len(msgs) != 1 || msgs[0] != locales.RenderSMS("en", "core.enrol.wrong", map[string]any{"Left": 4}) {
		t.Errorf("wrong code answered %q", msgs)
	}
	r, _ = s.sms(officer, "POLICE "+e2eCode)
	if msgs := twimlMessages(t, r.body); len(msgs) != 1 || msgs[0] != locales.RenderSMS("en", "core.enrol.pending", map[string]any{"N": 1}) {
		t.Fatalf("enrolment answered %q", msgs)
	}
	waitFor(t, "the request told to the Telegram officer", 10*time.Second, func() bool {
		for _, c := range chatCalls(s.api, e2ePolice) {
			if strings.Contains(c.Text, "APPROVE 1") {
				return true
			}
		}
		return false
	})
	s.step(e2ePolice, "/approve 1", "", "", 1)
	approved := locales.RenderSMS("en", "core.enrol.approved", map[string]any{"N": 1})
	waitFor(t, "the approval told by SMS", 10*time.Second, func() bool {
		to := s.tw.to(officer)
		return len(to) > 0 && to[0].Body == approved
	})

	mref := s.report(4646, "AgACphoto4646")
	sref, _ := s.sighting(bystander, sightingText)
	waitFor(t, "the SMS alert", 10*time.Second, func() bool { return len(s.tw.to(officer)) > 1 })
	alert := s.tw.to(officer)[1].Body
	gsm, _, parts := gsm.Parts(alert)
	if !gsm || parts > 2 {
		t.Errorf("SMS alert is %d parts (GSM-7 %v):\n%s", parts, gsm, alert)
	}
	m := regexp.MustCompile(`YES (\S+)`).FindStringSubmatch(alert)
	if m == nil || !strings.Contains(alert, mref) || !strings.Contains(alert, sref) || !strings.Contains(alert, parentPhone) {
		t.Fatalf("SMS alert %q", alert)
	}
	// Photos are for Telegram police only: SMS carries none.
	if strings.Contains(alert, "AgAC") {
		t.Errorf("SMS alert carries a photo id: %q", alert)
	}
	waitFor(t, "the Telegram alert", 10*time.Second, func() bool { return len(alertsFor(s.api, mref, sref)) == 1 })

	r, _ = s.sms(officer, "YES "+m[1])
	msgs := twimlMessages(t, r.body)
	if len(msgs) != 1 || !strings.Contains(msgs[0], mref) || !strings.Contains(msgs[0], parentPhone) {
		t.Errorf("YES answered %q", msgs)
	}
	if s.record(mref).Status != talaash.StatusMatched || s.record(sref).Status != talaash.StatusMatched {
		t.Fatal("YES REF did not match the pair")
	}
	if a := s.alertState(mref, sref); a == nil || a.ReviewedBy != "sms:"+officer {
		t.Errorf("alert %+v", a)
	}
	// The Telegram officer hears who confirmed; the parent is told; the old
	// buttons now say it was reviewed.
	waitFor(t, "the other officer told", 10*time.Second, func() bool {
		for _, c := range chatCalls(s.api, e2ePolice) {
			if strings.Contains(c.Text, mref) && !strings.Contains(c.Markup, "inline_keyboard") && strings.Contains(c.Text, sref) {
				return true
			}
		}
		return false
	})
	for _, c := range chatCalls(s.api, e2ePolice) {
		if strings.Contains(c.Text, officer) && !strings.Contains(c.Markup, "inline_keyboard") {
			t.Errorf("the other officer sees the SMS officer's number in clear: %q", c.Text)
		}
	}
	waitFor(t, "the parent told", 10*time.Second, func() bool { return len(chatCalls(s.api, 4646)) == reportReplies+1 })
	confirm := alertButtons(t, alertsFor(s.api, mref, sref)[0].Markup)[locales.Render("en", "alerts.button.confirm", nil)]
	if got := s.press(confirm); !strings.Contains(got.Text, locales.Render("en", "alerts.state.confirmed", nil)) {
		t.Errorf("stale Confirm answered %q", got.Text)
	}
	// A second enrolment from a number that is not police changes nothing for the desk.
	r, _ = s.sms("+919811111111", "YES "+m[1])
	if msgs := twimlMessages(t, r.body); len(msgs) != 1 || strings.Contains(msgs[0], mref) || strings.Contains(msgs[0], parentPhone) {
		t.Errorf("a non-officer's YES answered %q", msgs)
	}
}

// TestE2ESightingWithoutPlace: a one-message sighting that names no place is
// saved and the bystander is asked where. It exposes a fault in
// match.Extract (which the dialog uses): "blue jeans" is read as the place
// Jhansi and "jeans" is lost from the clothes, so the bot never asks where.
func TestE2ESightingWithoutPlace(t *testing.T) {
	s := newService(t)
	s.start(nil)
	r, _ := s.sms(bystander, "SEEN boy about 8 red shirt blue jeans mole on left cheek")
	msgs := twimlMessages(t, r.body)
	ref := refRE.FindString(strings.Join(msgs, "\n"))
	if ref == "" {
		t.Fatalf("no reference in %q", msgs)
	}
	rec := s.record(ref)
	if rec.Place != "" || !strings.Contains(rec.Clothes, "jeans") {
		t.Errorf("place %q, clothes %q: %q is not a place and the jeans are clothes", rec.Place, rec.Clothes, "blue jeans")
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], locales.RenderSMS("en", "quick.place", nil)) {
		t.Errorf("a sighting without a place answered %q, want the place question", msgs)
	}
}

// TestE2ETelegramWebhookSecret: in webhook mode an update without the secret
// token is refused and changes nothing; with it, the bot answers.
func TestE2ETelegramWebhookSecret(t *testing.T) {
	s := newService(t)
	s.extra = map[string]string{"TELEGRAM_WEBHOOK_SECRET": "w3bh00k-s3cret"}
	s.start(nil)
	const chat = 4747
	post := func(secret string) int {
		s.upd++
		body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":%d,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"A","language_code":"en"},"text":"/start"}}`,
			s.upd, time.Now().Unix(), chat, chat)
		req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/telegram/webhook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, bad := range []string{"", "wrong"} {
		if code := post(bad); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", bad, code)
		}
	}
	time.Sleep(200 * time.Millisecond)
	s.view(func(tx talaash.Tx) error {
		if b, _ := tx.Session("telegram:4747"); b != nil {
			t.Error("a refused update made a session")
		}
		return nil
	})
	if n := len(chatCalls(s.api, chat)); n != 0 {
		t.Errorf("a refused update was answered %d times", n)
	}
	if code := post("w3bh00k-s3cret"); code != http.StatusOK {
		t.Fatalf("with the secret: %d", code)
	}
	if c := waitChat(t, s.api, chat, 1); !strings.Contains(c[0].Markup, "lang:en") {
		t.Errorf("answer %+v", c[0])
	}
	// The webhook was registered at the public URL with the secret.
	hooks := s.api.Calls("setWebhook")
	if len(hooks) != 1 || hooks[0].Fields["url"] != "http://"+s.addr+"/telegram/webhook" || hooks[0].Fields["secret_token"] != "w3bh00k-s3cret" {
		t.Errorf("setWebhook calls %+v", hooks)
	}
}
