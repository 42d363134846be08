package kannel

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"talaash"
)

const testSecret = "s3cret"

var testNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

var _ talaash.Adapter = (*Channel)(nil)

func fixture(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(raw))
}

// fakeCore stands in for the core: it records what it was given and answers
// each message with reply.
type fakeCore struct {
	mu    sync.Mutex
	calls []talaash.Inbound
	reply []string
}

func (f *fakeCore) Handle(_ context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	var out []talaash.Outbound
	for _, s := range f.reply {
		out = append(out, talaash.Outbound{Channel: in.Channel, To: in.Sender, Text: s, Template: "en:test"})
	}
	return out, nil
}

// fakeSendsms is Kannel's sendsms on loopback: it records each request's
// query and answers as the case says.
type fakeSendsms struct {
	*httptest.Server
	mu     sync.Mutex
	got    []url.Values
	status int
	answer string
}

func newFakeSendsms(t *testing.T) *fakeSendsms {
	f := &fakeSendsms{status: http.StatusAccepted, answer: "0: Accepted for delivery"}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.got = append(f.got, r.URL.Query())
		status, answer := f.status, f.answer
		f.mu.Unlock()
		w.WriteHeader(status)
		w.Write([]byte(answer))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSendsms) requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.got...)
}

func newChannel(t *testing.T, send *fakeSendsms, h talaash.Handler, tune func(*Config)) *Channel {
	t.Helper()
	cfg := Config{
		SendURL: send.URL + "/cgi-bin/sendsms", Username: "talaash", Password: "pw", From: "TALASH",
		Secret: testSecret, Keyword: "TALASH", PublicURL: "https://talaash.example.org",
		Now: func() time.Time { return testNow },
	}
	if tune != nil {
		tune(&cfg)
	}
	c, err := New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIncoming(t *testing.T) {
	long := "id=8c1d2e3f-0000-4000-8000-000000000009&sender=919876543210&ts=1741944600&coding=0&secret=s3cret&message=" +
		url.QueryEscape(strings.Repeat("seen a boy ", 182)[:2000])
	at := time.Unix(1741944600, 0).UTC()
	in := func(id, text string) *talaash.Inbound {
		return &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: id, Text: text, At: at}
	}
	cases := []struct {
		name   string
		query  string // the raw query smsbox sends
		post   bool   // as a form body (post-url) instead of the query
		status int
		want   *talaash.Inbound // what the core receives; nil: the core is not called
		sends  []string         // texts sent through sendsms
	}{
		{name: "sms", query: fixture(t, "receive.txt"), status: 200,
			want:  in("3f2b6c1e-8d4a-4c1b-9e7f-2a5d6c8b9e01", "SEEN girl 6 pink frock Kanpur Central"),
			sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "posted", query: fixture(t, "receive.txt"), post: true, status: 200,
			want:  in("3f2b6c1e-8d4a-4c1b-9e7f-2a5d6c8b9e01", "SEEN girl 6 pink frock Kanpur Central"),
			sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "no secret", query: fixture(t, "receive_no_secret.txt"), status: 403},
		{name: "wrong secret", query: fixture(t, "receive_wrong_secret.txt"), status: 403},
		{name: "no id", query: fixture(t, "receive_no_id.txt"), status: 400},
		{name: "malformed ts", query: fixture(t, "receive_bad_ts.txt"), status: 400},
		{name: "empty message", query: fixture(t, "receive_empty.txt"), status: 200,
			want: in("8c1d2e3f-0000-4000-8000-000000000005", ""), sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "keyword stripped", query: fixture(t, "receive_keyword.txt"), status: 200,
			want: in("8c1d2e3f-0000-4000-8000-000000000004", "seen boy 8 red shirt"), sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "hindi utf-8 (mo-recode)", query: fixture(t, "receive_hindi_utf8.txt"), status: 200,
			want: in("8c1d2e3f-0000-4000-8000-000000000002", "लड़की 6 साल गुलाबी फ्रॉक सेंट्रल स्टेशन पर देखी"), sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "hindi ucs-2", query: fixture(t, "receive_hindi_ucs2.txt"), status: 200,
			want: in("8c1d2e3f-0000-4000-8000-000000000003", "मैं खो गया हूँ"), sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "ucs-2 latin without charset", query: fixture(t, "receive_ucs2_latin.txt"), status: 200,
			want: in("8c1d2e3f-0000-4000-8000-000000000006", "STOP"), sends: []string{"Thank you. Ref K-4821-7"}},
		{name: "2,000 characters", query: long, status: 200,
			sends: []string{"Your message is too long (over 1600 characters) and was not read. Please send a shorter one. Emergency: Childline 1098, Police 112."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			send := newFakeSendsms(t)
			core := &fakeCore{reply: []string{"Thank you. Ref K-4821-7"}}
			c := newChannel(t, send, core, nil)
			mux := http.NewServeMux()
			c.Routes(mux)
			var r *http.Request
			if tc.post {
				r = httptest.NewRequest(http.MethodPost, "/kannel/receive", strings.NewReader(tc.query))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				r = httptest.NewRequest(http.MethodGet, "/kannel/receive?"+tc.query, nil)
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", w.Code, tc.status, w.Body)
			}
			if w.Code == 200 && w.Body.Len() != 0 {
				t.Errorf("body %q, want empty: replies go through sendsms", w.Body)
			}
			switch {
			case tc.want == nil && len(core.calls) > 0:
				t.Errorf("core called with %+v", core.calls)
			case tc.want != nil && (len(core.calls) != 1 || !reflect.DeepEqual(core.calls[0], *tc.want)):
				t.Errorf("core got %+v\nwant %+v", core.calls, *tc.want)
			}
			var texts []string
			for _, q := range send.requests() {
				texts = append(texts, q.Get("text"))
			}
			if !reflect.DeepEqual(texts, tc.sends) {
				t.Errorf("sent %q, want %q", texts, tc.sends)
			}
		})
	}
}

// A retried get-url (smsbox did not get our answer) reaches the core, which
// answers from its dedupe table, but sends nothing twice.
func TestIncomingReplayed(t *testing.T) {
	send := newFakeSendsms(t)
	core := &fakeCore{reply: []string{"Thank you."}}
	c := newChannel(t, send, core, nil)
	for i := 0; i < 3; i++ {
		w := httptest.NewRecorder()
		c.InboundHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/kannel/receive?"+fixture(t, "receive.txt"), nil))
		if w.Code != 200 {
			t.Fatalf("attempt %d: status %d", i, w.Code)
		}
	}
	// smsbox may also deliver the same id twice at once.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptest.NewRequest(http.MethodGet, "/kannel/receive?"+strings.Replace(fixture(t, "receive.txt"), "3f2b6c1e", "00000000", 1), nil)
			c.InboundHandler().ServeHTTP(httptest.NewRecorder(), r)
		}()
	}
	wg.Wait()
	if n := len(send.requests()); n != 2 {
		t.Errorf("%d sends, want 2: one per message id", n)
	}
	for _, in := range core.calls {
		if !strings.HasSuffix(in.ID, "-8d4a-4c1b-9e7f-2a5d6c8b9e01") {
			t.Errorf("core got id %q", in.ID)
		}
	}
}

func TestStatus(t *testing.T) {
	send := newFakeSendsms(t)
	var got []Status
	c := newChannel(t, send, &fakeCore{}, func(cfg *Config) {
		cfg.OnStatus = func(_ context.Context, st Status) { got = append(got, st) }
	})
	id, err := c.Send(context.Background(), talaash.Outbound{Channel: "sms", To: "+919876543210", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	q := send.requests()[0]
	// Kannel replaces %d with the report type before it calls back.
	if want := "https://talaash.example.org/kannel/status?id=" + id + "&type=%d&secret=" + testSecret; q.Get("dlr-url") != want {
		t.Fatalf("dlr-url %q, want %q", q.Get("dlr-url"), want)
	}
	if q.Get("dlr-mask") != "27" {
		t.Errorf("dlr-mask %q", q.Get("dlr-mask"))
	}
	for _, tc := range []struct {
		fixture string
		status  int
		state   string
	}{
		{"status_no_secret.txt", 403, ""},
		{"status_delivered.txt", 200, "delivered"},
		{"status_failed.txt", 200, "failed"},
	} {
		got = nil
		query := strings.ReplaceAll(fixture(t, tc.fixture), "SENTID", id)
		w := httptest.NewRecorder()
		c.StatusHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/kannel/status?"+query, nil))
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.fixture, w.Code, tc.status)
		}
		if tc.state == "" {
			if len(got) != 0 {
				t.Errorf("%s: reported %+v", tc.fixture, got)
			}
			continue
		}
		if len(got) != 1 || got[0].ID != id || got[0].State != tc.state {
			t.Errorf("%s: reported %+v", tc.fixture, got)
		}
	}
}

func TestOutgoing(t *testing.T) {
	ucs2 := func(s string) string {
		u := utf16.Encode([]rune(s))
		b := make([]byte, 0, 2*len(u))
		for _, v := range u {
			b = append(b, byte(v>>8), byte(v))
		}
		return string(b)
	}
	cases := []struct {
		name     string
		msg      talaash.Outbound
		tune     func(*Config)
		status   int
		answer   string
		want     map[string]string // query fields that must be so ("" = absent)
		wantCode string            // error code; "" for a sent message
		sent     bool              // whether sendsms was called
	}{
		{name: "gsm-7", msg: talaash.Outbound{Channel: "sms", To: "09876543210", Text: "Reply 1 Boy, 2 Girl"}, sent: true,
			want: map[string]string{"text": "Reply 1 Boy, 2 Girl", "to": "919876543210", "from": "TALASH", "username": "talaash",
				"password": "pw", "coding": "", "charset": "", "priority": "", "meta-data": ""}},
		{name: "hindi as utf-16be", msg: talaash.Outbound{To: "+919876543210", Text: "रिपोर्ट मिल गई"}, sent: true,
			want: map[string]string{"text": ucs2("रिपोर्ट मिल गई"), "coding": "2", "charset": "UTF-16BE"}},
		{name: "curly quote makes it ucs-2", msg: talaash.Outbound{To: "+919876543210", Text: "it’s ok"}, sent: true,
			want: map[string]string{"text": ucs2("it’s ok"), "coding": "2"}},
		{name: "police alert first", msg: talaash.Outbound{To: "+919876543210", Text: "TALAASH ALERT", Urgent: true}, sent: true,
			want: map[string]string{"priority": "1"}},
		{name: "queued is sent", msg: talaash.Outbound{To: "+919876543210", Text: "x"}, answer: "3: Queued for later delivery", sent: true},
		{name: "auth failed", msg: talaash.Outbound{To: "+919876543210", Text: "x"}, status: 403, answer: "Authorization failed for sendsms", wantCode: talaash.EFAILED, sent: true},
		{name: "barred", msg: talaash.Outbound{To: "+919876543210", Text: "x"}, status: 403, answer: "Number(s) has/have been denied by white- and/or black-lists.", wantCode: talaash.ESTOPPED, sent: true},
		{name: "queue full", msg: talaash.Outbound{To: "+919876543210", Text: "x"}, status: 503, answer: "Message queue full", wantCode: talaash.ETHROTTLED, sent: true},
		{name: "sending failed", msg: talaash.Outbound{To: "+919876543210", Text: "x"}, status: 503, answer: "Sending failed.", wantCode: talaash.EFAILED, sent: true},
		{name: "not a number", msg: talaash.Outbound{To: "12", Text: "x"}, wantCode: talaash.EINVALID},
		{name: "empty", msg: talaash.Outbound{To: "+919876543210", Text: " "}, wantCode: talaash.EINVALID},
		{name: "dlt meta-data", sent: true,
			msg: talaash.Outbound{To: "+919876543210", Text: "Thank you. Ref K-1", Template: "en:core.thanks", Vars: map[string]string{"Ref": "K-1"}},
			tune: func(c *Config) {
				c.EntityID = "1101234567890"
				c.Templates = map[string]string{"en:core.thanks": "1107000000000000001"}
			},
			want: map[string]string{"meta-data": "?smpp?PE_ID=1101234567890&TEMPLATE_ID=1107000000000000001"}},
		{name: "dlt tlv names and bare id", sent: true,
			msg: talaash.Outbound{To: "+919876543210", Text: "x", Template: "hi:core.thanks"},
			tune: func(c *Config) {
				c.EntityID, c.EntityTLV, c.TemplateTLV = "11", "dlt_pe", "dlt_tpl"
				c.Templates = map[string]string{"core.thanks": "22"}
			},
			want: map[string]string{"meta-data": "?smpp?dlt_pe=11&dlt_tpl=22"}},
		{name: "dlt without template not sent", wantCode: talaash.EINVALID,
			msg:  talaash.Outbound{To: "+919876543210", Text: "x", Template: "en:core.unregistered"},
			tune: func(c *Config) { c.EntityID = "11"; c.Templates = map[string]string{"en:core.thanks": "22"} }},
		{name: "dlt variable shortened a word at a time", sent: true,
			msg: talaash.Outbound{To: "+919876543210", Text: "Seen: boy about 8 in red shirt and blue jeans near Kanpur Central. Ref S-1",
				Template: "en:x", Vars: map[string]string{"Desc": "boy about 8 in red shirt and blue jeans near Kanpur Central", "Ref": "S-1"}},
			tune: func(c *Config) { c.EntityID = "11"; c.Templates = map[string]string{"en:x": "22"} },
			want: map[string]string{"text": "Seen: boy about 8 in red shirt and. Ref S-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			send := newFakeSendsms(t)
			if tc.status != 0 {
				send.status = tc.status
			}
			if tc.answer != "" {
				send.answer = tc.answer
			}
			c := newChannel(t, send, &fakeCore{}, tc.tune)
			id, err := c.Send(context.Background(), tc.msg)
			if code := talaash.ErrorCode(err); code != tc.wantCode {
				t.Fatalf("error %v, want code %q", err, tc.wantCode)
			}
			if err == nil && id == "" {
				t.Error("no id returned")
			}
			reqs := send.requests()
			if (len(reqs) > 0) != tc.sent {
				t.Fatalf("%d sendsms calls, want sent=%v", len(reqs), tc.sent)
			}
			if len(reqs) == 0 {
				return
			}
			for k, v := range tc.want {
				if got := reqs[0].Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	ok := Config{SendURL: "http://127.0.0.1:13013/cgi-bin/sendsms", Username: "u", Password: "p", From: "TALASH", Secret: "s"}
	for name, tune := range map[string]func(*Config){
		"no secret":   func(c *Config) { c.Secret = "" },
		"no password": func(c *Config) { c.Password = "" },
		"no header":   func(c *Config) { c.From = " " },
		"bad url":     func(c *Config) { c.SendURL = "127.0.0.1:13013" },
	} {
		cfg := ok
		tune(&cfg)
		if _, err := New(cfg, nil); talaash.ErrorCode(err) != talaash.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := New(ok, nil); err != nil {
		t.Error(err)
	}
}

func TestStripKeyword(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"TALASH seen boy", "seen boy"},
		{"talash: seen boy", "seen boy"},
		{"  Talash\nSTOP", "STOP"},
		{"TALASH", ""},
		{"TALASHI seen", "TALASHI seen"},
		{"seen TALASH boy", "seen TALASH boy"},
	} {
		if got := stripKeyword(tc.in, "TALASH"); got != tc.want {
			t.Errorf("stripKeyword(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseTemplates(t *testing.T) {
	got, err := ParseTemplates(strings.NewReader("# registered 2025-03\nen:sms.too_long 1107000000000000001\nhi:sms.too_long=1107000000000000002\n\nsms.rate_limited,1107000000000000003\nen:sms.too_long+en:sms.rate_limited 1107000000000000004\n"), "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got["hi:sms.too_long"] != "1107000000000000002" || got["sms.rate_limited"] != "1107000000000000003" {
		t.Errorf("got %v", got)
	}
	// A list's templates by its number of values, per language or for both.
	got, err = ParseTemplates(strings.NewReader("en:choices.more.sms#2 11\nchoices.more.sms#3 12\n"), "t", nil)
	if err != nil || len(got) != 2 {
		t.Errorf("list templates: %v %v", got, err)
	}
	_, err = ParseTemplates(strings.NewReader("en:sms.too_long 1\nen:sms.no_such 2\nen:core.sorry\nen:choices.more.sms#9 4\n"), "t", nil)
	if err == nil || !strings.Contains(err.Error(), `line 2: "en:sms.no_such" is no SMS message id`) || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("unknown ids: %v", err)
	}
}

// A reply Kannel cannot take now goes to Retry (the outbox) rather than
// being lost; one it can never take does not.
func TestReplyRetry(t *testing.T) {
	for _, tc := range []struct {
		status int
		answer string
		retry  bool
	}{
		{503, "Sending failed.", true},
		{503, "Message queue full", true},
		{400, "Missing receiver number", false},
	} {
		send := newFakeSendsms(t)
		send.status, send.answer = tc.status, tc.answer
		var retried []talaash.Outbound
		c := newChannel(t, send, &fakeCore{reply: []string{"Thank you."}}, func(cfg *Config) {
			cfg.Retry = func(_ context.Context, m talaash.Outbound) { retried = append(retried, m) }
		})
		w := httptest.NewRecorder()
		c.InboundHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/kannel/receive?"+fixture(t, "receive.txt"), nil))
		if w.Code != 200 {
			t.Errorf("%s: status %d", tc.answer, w.Code)
		}
		if got := len(retried) == 1 && retried[0].Text == "Thank you." && retried[0].To == "+919876543210"; got != tc.retry {
			t.Errorf("%s: retried %+v, want retry=%v", tc.answer, retried, tc.retry)
		}
	}
}
