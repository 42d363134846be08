package twilio

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"talaash"
	"talaash/bot/twilio/twiliotest"
	"talaash/locales"
)

func TestIncoming(t *testing.T) {
	reply := func(texts ...string) func(talaash.Inbound) ([]talaash.Outbound, error) {
		return func(in talaash.Inbound) ([]talaash.Outbound, error) {
			var out []talaash.Outbound
			for _, s := range texts {
				out = append(out, talaash.Outbound{Channel: in.Channel, To: in.Sender, Text: s})
			}
			return out, nil
		}
	}
	media := "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Messages/MM33333333333333333333333333333333/Media/"
	cases := []struct {
		name    string
		fixture string
		target  string                              // path and query Twilio calls
		req     func(form url.Values) *http.Request // default: signedRequest(target, form)
		reply   func(talaash.Inbound) ([]talaash.Outbound, error)
		status  int
		body    string           // exact response body when status is 200
		want    *talaash.Inbound // what the core receives; nil: the core is not called
	}{
		{
			name: "sms", fixture: "sms_receive.txt", reply: reply("Thank you. Ref K-4821-7"),
			status: 200, body: xmlHead + "<Response><Message>Thank you. Ref K-4821-7</Message></Response>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{
			name: "wrong signature", fixture: "sms_receive.txt", status: 403,
			req: func(form url.Values) *http.Request {
				r := signedRequest("/twilio/sms", form)
				r.Header.Set("X-Twilio-Signature", twiliotest.Sign("0ther7oken", testPublic+"/twilio/sms", form))
				return r
			},
		},
		{
			name: "missing signature", fixture: "sms_receive.txt", status: 403,
			req: func(form url.Values) *http.Request {
				r := signedRequest("/twilio/sms", form)
				r.Header.Del("X-Twilio-Signature")
				return r
			},
		},
		{
			name: "signed for another URL", fixture: "sms_receive.txt", status: 403,
			req: func(form url.Values) *http.Request {
				r := signedRequest("/twilio/sms", form)
				r.Header.Set("X-Twilio-Signature", twiliotest.Sign(testToken, "http://talaash.example.org/twilio/sms", form))
				return r
			},
		},
		{
			name: "body changed after signing", fixture: "sms_receive.txt", status: 403,
			req: func(form url.Values) *http.Request {
				sig := twiliotest.Sign(testToken, testPublic+"/twilio/sms", form)
				form.Set("Body", "STOP")
				r := signedRequest("/twilio/sms", form)
				r.Header.Set("X-Twilio-Signature", sig)
				return r
			},
		},
		{
			name: "query string signed", fixture: "sms_receive.txt", target: "/twilio/sms?city=kanpur&v=2",
			status: 200, body: xmlHead + "<Response><Message>ok</Message></Response>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{
			name: "query string left out of the signature", fixture: "sms_receive.txt", status: 403,
			req: func(form url.Values) *http.Request {
				r := signedRequest("/twilio/sms?city=kanpur", form)
				r.Header.Set("X-Twilio-Signature", twiliotest.Sign(testToken, testPublic+"/twilio/sms", form))
				return r
			},
		},
		{
			name: "hindi, local number form", fixture: "sms_receive_hindi.txt", reply: reply("धन्यवाद। आपका नंबर K-4821-7 है।"),
			status: 200, body: xmlHead + "<Response><Message>धन्यवाद। आपका नंबर K-4821-7 है।</Message></Response>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM11111111111111111111111111111111",
				Text: "लड़की 6 साल गुलाबी फ्रॉक सेंट्रल स्टेशन पर देखी", At: testNow},
		},
		{
			name: "whatsapp address", fixture: "whatsapp_receive.txt", reply: reply("1 Report a missing child\n2 Report a child you saw"),
			status: 200, body: xmlHead + "<Response><Message>1 Report a missing child\n2 Report a child you saw</Message></Response>",
			want: &talaash.Inbound{Channel: "whatsapp", Sender: "+919876543210", ID: "SM22222222222222222222222222222222",
				Text: "madad", Name: "Ramesh", At: testNow},
		},
		{
			name: "whatsapp photos, voice note skipped", fixture: "whatsapp_media.txt",
			status: 200, body: xmlHead + "<Response><Message>ok</Message></Response>",
			want: &talaash.Inbound{Channel: "whatsapp", Sender: "+919812345678", ID: "MM33333333333333333333333333333333",
				Text: "ye bachcha station par mila", Name: "Sunita", At: testNow,
				Photos: []string{media + "ME1", media + "ME3"}},
		},
		{
			name: "whatsapp location", fixture: "whatsapp_location.txt",
			status: 200, body: xmlHead + "<Response><Message>ok</Message></Response>",
			want: &talaash.Inbound{Channel: "whatsapp", Sender: "+919812345678", ID: "SM44444444444444444444444444444444",
				Name: "Asha", At: testNow, Location: &talaash.Location{Lat: 26.4499, Lon: 80.3319}},
		},
		{
			name: "reply escaped", fixture: "sms_receive.txt", reply: reply(`Reply 1 <boy> & 2 "girl" it's`),
			status: 200, body: xmlHead + "<Response><Message>Reply 1 &lt;boy&gt; &amp; 2 &quot;girl&quot; it&apos;s</Message></Response>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{
			name: "several replies", fixture: "sms_receive.txt", reply: reply("Saved: K-4821-7", "Where did you see her?"),
			status: 200, body: xmlHead + "<Response><Message>Saved: K-4821-7</Message><Message>Where did you see her?</Message></Response>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{
			name: "no replies", fixture: "sms_receive.txt", reply: reply(),
			status: 200, body: xmlHead + "<Response/>",
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{
			name: "core fails", fixture: "sms_receive.txt", status: 500,
			reply: func(talaash.Inbound) ([]talaash.Outbound, error) {
				return nil, talaash.Errorf(talaash.EINTERNAL, "disk full")
			},
			want: &talaash.Inbound{Channel: "sms", Sender: "+919876543210", ID: "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Text: "SEEN girl 6 pink frock Kanpur Central", At: testNow},
		},
		{name: "no MessageSid", fixture: "sms_no_sid.txt", status: 400},
		// A sender that is no phone number cannot be answered or keyed: refused
		// as a bad request, never a failed turn.
		{name: "whatsapp, empty number", fixture: "whatsapp_empty_from.txt", status: 400},
		{name: "from a sender id", fixture: "sms_from_sender_id.txt", status: 400},
		{name: "from a number too short", fixture: "sms_from_short_number.txt", status: 400},
		{
			name: "GET", fixture: "sms_receive.txt", status: 405,
			req: func(form url.Values) *http.Request {
				return httptest.NewRequest(http.MethodGet, "/twilio/sms?"+form.Encode(), nil)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			core := &fakeCore{reply: tc.reply}
			c := newTestChannel(t, core, nil)
			form := fixture(t, tc.fixture)
			target := tc.target
			if target == "" {
				target = "/twilio/sms"
			}
			var r *http.Request
			if tc.req != nil {
				r = tc.req(form)
			} else {
				r = signedRequest(target, form)
			}
			w := serve(c.InboundHandler(), r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d (%s)", w.Code, tc.status, w.Body)
			}
			if tc.status == 200 {
				if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
					t.Errorf("content type %q, want text/xml", ct)
				}
				if w.Body.String() != tc.body {
					t.Errorf("body\n%s\nwant\n%s", w.Body, tc.body)
				}
			}
			switch {
			case tc.want == nil && core.n() != 0:
				t.Fatalf("core called %d times, want never: %+v", core.n(), core.calls)
			case tc.want != nil && core.n() != 1:
				t.Fatalf("core called %d times, want once", core.n())
			case tc.want != nil && !reflect.DeepEqual(core.calls[0], *tc.want):
				t.Errorf("inbound\n%+v\nwant\n%+v", core.calls[0], *tc.want)
			}
		})
	}
}

// twimlMessages parses a TwiML answer the way Twilio would.
type twimlMessage struct {
	To    string   `xml:"to,attr"`
	Text  string   `xml:",chardata"`
	Body  string   `xml:"Body"`
	Media []string `xml:"Media"`
}

func parseTwiML(t *testing.T, body string) []twimlMessage {
	t.Helper()
	var resp struct {
		XMLName  xml.Name       `xml:"Response"`
		Messages []twimlMessage `xml:"Message"`
	}
	if err := xml.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("TwiML does not parse: %v\n%s", err, body)
	}
	return resp.Messages
}

func TestTwiMLRoundTrip(t *testing.T) {
	texts := []string{
		"a & b < c > d \"e\" 'f'",
		"लापता बच्चा: K-4821-7 — पुलिस 112 😊",
		"line one\nline two\r\n\ttabbed",
		"]]> <![CDATA[ &amp; already escaped",
	}
	core := &fakeCore{reply: func(in talaash.Inbound) ([]talaash.Outbound, error) {
		var out []talaash.Outbound
		for _, s := range texts {
			out = append(out, talaash.Outbound{Channel: in.Channel, To: in.Sender, Text: s})
		}
		// Control characters cannot travel in XML at all: dropped, not fatal.
		out = append(out, talaash.Outbound{To: in.Sender, Text: "bell\x07 nul\x00 esc\x1b end"})
		return out, nil
	}}
	c := newTestChannel(t, core, nil)
	w := serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "sms_receive.txt")))
	got := parseTwiML(t, w.Body.String())
	want := append(append([]string(nil), texts...), "bell nul esc end")
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i := range want {
		// XML parsers normalise \r\n to \n, as Twilio's does.
		if w := strings.ReplaceAll(want[i], "\r\n", "\n"); got[i].Text != w || got[i].To != "" {
			t.Errorf("message %d = %q (to %q), want %q", i, got[i].Text, got[i].To, w)
		}
	}
}

func TestTwiMLAddressesAndMedia(t *testing.T) {
	core := &fakeCore{reply: func(in talaash.Inbound) ([]talaash.Outbound, error) {
		return []talaash.Outbound{
			{Channel: "whatsapp", To: in.Sender, Text: "Found child K-4821-7", Photos: []string{"https://example.org/p.jpg", "AgACAgUAAxkBAAIB"}},
			{Channel: "whatsapp", To: "+919812345678", Text: "Copy for the duty officer"},
			{Channel: "telegram", To: "123456", Text: "not deliverable by TwiML"},
			{Channel: "whatsapp", To: in.Sender, Text: "   "},
		}, nil
	}}
	c := newTestChannel(t, core, nil)
	w := serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "whatsapp_receive.txt")))
	got := parseTwiML(t, w.Body.String())
	want := []twimlMessage{
		{Body: "Found child K-4821-7", Media: []string{"https://example.org/p.jpg"}},
		{To: "whatsapp:+919812345678", Text: "Copy for the duty officer"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("messages %+v\nwant %+v\n%s", got, want, w.Body)
	}

	// On SMS photos are not attached (no MMS in India; photos are for police on Telegram).
	core.reply = func(in talaash.Inbound) ([]talaash.Outbound, error) {
		return []talaash.Outbound{{To: in.Sender, Text: "Alert K-1", Photos: []string{"https://example.org/p.jpg"}}}, nil
	}
	w = serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "sms_receive.txt")))
	if body := w.Body.String(); body != xmlHead+"<Response><Message>Alert K-1</Message></Response>" {
		t.Errorf("sms with photo: %s", body)
	}
}

func TestBodyLimit(t *testing.T) {
	cases := []struct {
		name, fixture, body string
		handled             bool
		lang                string
		render              func(lang, id string, data map[string]any) string
	}{
		{"english at the limit", "sms_receive.txt", strings.Repeat("a", MaxBody), true, "", nil},
		{"english over", "sms_receive.txt", strings.Repeat("a", MaxBody+1), false, "en", locales.RenderSMS},
		{"hindi at the limit", "sms_receive.txt", strings.Repeat("क", MaxBody), true, "", nil},
		{"hindi over", "sms_receive.txt", strings.Repeat("क", MaxBody+1), false, "hi", locales.RenderSMS},
		{"whatsapp over", "whatsapp_receive.txt", "मदद " + strings.Repeat("x", MaxBody), false, "hi", locales.Render},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			core := &fakeCore{}
			c := newTestChannel(t, core, nil)
			form := fixture(t, tc.fixture)
			form.Set("Body", tc.body)
			w := serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
			if w.Code != 200 {
				t.Fatalf("status %d", w.Code)
			}
			if tc.handled {
				if core.n() != 1 || utf8.RuneCountInString(core.calls[0].Text) != MaxBody {
					t.Fatalf("a %d-character body must reach the core whole", MaxBody)
				}
				return
			}
			if core.n() != 0 {
				t.Fatal("an over-long body reached the core")
			}
			notice := tc.render(tc.lang, MsgTooLong, map[string]any{"Max": MaxBody})
			if !locales.Has(tc.lang, MsgTooLong) || !strings.Contains(notice, "1600") {
				t.Fatalf("notice %q is not the localised message", notice)
			}
			got := parseTwiML(t, w.Body.String())
			if len(got) != 1 || got[0].Text != notice {
				t.Errorf("answer %+v, want the notice %q", got, notice)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	clk := &clock{t: testNow}
	core := &fakeCore{}
	c := newTestChannel(t, core, func(cfg *Config) { cfg.PerMinute = 3; cfg.Now = clk.now })
	send := func(fix, sid, body string) string {
		form := fixture(t, fix)
		form.Set("MessageSid", sid)
		if body != "" {
			form.Set("Body", body)
		}
		w := serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
		if w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
		return w.Body.String()
	}
	ok := xmlHead + "<Response><Message>ok</Message></Response>"
	empty := xmlHead + "<Response/>"
	notice := locales.RenderSMS("hi", MsgRateLimited, map[string]any{"PerMinute": 3})

	for i, sid := range []string{"SM1", "SM2", "SM3"} {
		if got := send("sms_receive.txt", sid, ""); got != ok {
			t.Fatalf("message %d within the limit: %s", i+1, got)
		}
	}
	// A Twilio retry of a counted message is not a new message.
	if got := send("sms_receive.txt", "SM2", ""); got != ok {
		t.Fatalf("retry of SM2: %s", got)
	}
	clk.add(10 * time.Second)
	if got := send("sms_receive.txt", "SM4", "बचाओ"); got != xmlHead+"<Response><Message>"+notice+"</Message></Response>" {
		t.Fatalf("first message over the limit should get the Hindi notice once, got %s", got)
	}
	for _, sid := range []string{"SM5", "SM6", "SM7"} {
		if got := send("sms_receive.txt", sid, ""); got != empty {
			t.Fatalf("%s over the limit: %s, want an empty answer", sid, got)
		}
	}
	if core.n() != 4 {
		t.Fatalf("core called %d times, want 4 (3 messages and one retry)", core.n())
	}
	// Another sender is not affected.
	if got := send("whatsapp_media.txt", "MM9", ""); got != ok {
		t.Fatalf("another sender: %s", got)
	}
	// A minute after the window opened the sender is heard again.
	clk.add(51 * time.Second)
	if got := send("sms_receive.txt", "SM8", ""); got != ok {
		t.Fatalf("next minute: %s", got)
	}
	if core.n() != 6 {
		t.Fatalf("core called %d times, want 6", core.n())
	}
	if en := locales.RenderSMS("en", MsgRateLimited, nil); en == MsgRateLimited || en == notice {
		t.Errorf("English notice %q must be its own wording", en)
	}
}

func TestRateLimitConcurrent(t *testing.T) {
	core := &fakeCore{}
	c := newTestChannel(t, core, nil) // 20 a minute
	base := fixture(t, "sms_receive.txt")
	var wg sync.WaitGroup
	var mu sync.Mutex
	notices := 0
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			form := url.Values{}
			for k, v := range base {
				form[k] = v
			}
			form.Set("MessageSid", "SMc"+string(rune('A'+i%26))+string(rune('a'+i/26)))
			w := serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
			if strings.Contains(w.Body.String(), "Too many") {
				mu.Lock()
				notices++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if core.n() != 20 || notices != 1 {
		t.Errorf("core saw %d, notices %d; want 20 and 1", core.n(), notices)
	}
}

func TestLimiterForgetsOldSenders(t *testing.T) {
	l := newLimiter(2)
	for i := 0; i < 1000; i++ {
		l.allow("+9198765"+string(rune('0'+i%10))+string(rune('0'+i/10%10))+string(rune('0'+i/100)), "SM", testNow)
	}
	if len(l.windows) != 1000 {
		t.Fatalf("%d windows, want 1000", len(l.windows))
	}
	l.allow("+919999999999", "SM", testNow.Add(2*time.Minute))
	if len(l.windows) != 1 {
		t.Errorf("%d windows after two quiet minutes, want 1", len(l.windows))
	}
}

func TestNoHandlerYet(t *testing.T) {
	c := newTestChannel(t, nil, nil)
	w := serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "sms_receive.txt")))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", w.Code)
	}
	core := &fakeCore{}
	c.SetHandler(core)
	w = serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "sms_receive.txt")))
	if w.Code != 200 || core.n() != 1 {
		t.Fatalf("after SetHandler: status %d, calls %d", w.Code, core.n())
	}
}

func TestNoPublicURLRefusesAll(t *testing.T) {
	core := &fakeCore{}
	c := newTestChannel(t, core, func(cfg *Config) { cfg.PublicURL = "" })
	w := serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, "sms_receive.txt")))
	if w.Code != 403 || core.n() != 0 {
		t.Fatalf("status %d, calls %d: without a public URL nothing can be verified", w.Code, core.n())
	}
}

func TestOversizedRequest(t *testing.T) {
	core := &fakeCore{}
	c := newTestChannel(t, core, nil)
	form := fixture(t, "sms_receive.txt")
	form.Set("Padding", strings.Repeat("x", maxRequest))
	w := serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
	if w.Code != http.StatusRequestEntityTooLarge || core.n() != 0 {
		t.Fatalf("status %d, calls %d", w.Code, core.n())
	}
}

func TestStatus(t *testing.T) {
	cases := []struct {
		fixture string
		want    Status
		code    string
	}{
		{"status_delivered.txt", Status{MessageSid: "SM55555555555555555555555555555555", MessageStatus: "delivered", To: "+919876543210", Channel: "sms"}, ""},
		{"status_failed_unsubscribed.txt", Status{MessageSid: "SM66666666666666666666666666666666", MessageStatus: "failed", ErrorCode: "21610", To: "+919876543210", Channel: "whatsapp"}, talaash.ESTOPPED},
		{"status_undelivered.txt", Status{MessageSid: "SM77777777777777777777777777777777", MessageStatus: "undelivered", ErrorCode: "30003", To: "+919876543210", Channel: "sms"}, talaash.EFAILED},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			var got []Status
			c := newTestChannel(t, &fakeCore{}, nil)
			h := c.StatusHandler(func(_ context.Context, st Status) { got = append(got, st) })
			form := fixture(t, tc.fixture)

			bad := signedRequest("/twilio/status", form)
			bad.Header.Set("X-Twilio-Signature", twiliotest.Sign(testToken, testPublic+"/twilio/sms", form))
			if w := serve(h, bad); w.Code != 403 || len(got) != 0 {
				t.Fatalf("status callback signed for another path: %d, %d calls", w.Code, len(got))
			}
			if w := serve(h, signedRequest("/twilio/status", form)); w.Code != http.StatusNoContent {
				t.Fatalf("status %d", w.Code)
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			if got[0].Code() != tc.code {
				t.Errorf("Code() = %q, want %q", got[0].Code(), tc.code)
			}
		})
	}
}

func TestNewValidates(t *testing.T) {
	good := Config{AccountSID: testAccount, AuthToken: testToken, From: testFrom}
	for name, mod := range map[string]func(*Config){
		"no sid":       func(c *Config) { c.AccountSID = "" },
		"token chars":  func(c *Config) { c.AuthToken = "tok/en" },
		"no from":      func(c *Config) { c.From = "whatsapp:" },
		"api url":      func(c *Config) { c.APIURL = "ftp://x" },
		"public url":   func(c *Config) { c.PublicURL = "not a url" },
		"api url host": func(c *Config) { c.APIURL = "http://" },
	} {
		cfg := good
		mod(&cfg)
		if _, err := New(cfg, nil); talaash.ErrorCode(err) != talaash.EINVALID {
			t.Errorf("%s: err %v, want EINVALID", name, err)
		}
	}
	c, err := New(good, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.APIURL != DefaultAPIURL || c.cfg.PerMinute != 20 || c.cfg.Now == nil {
		t.Errorf("defaults not applied: %+v", c.cfg)
	}
	var e *talaash.Error
	_, err = New(Config{}, nil)
	if !errors.As(err, &e) {
		t.Errorf("want *talaash.Error, got %T", err)
	}
}

// BenchmarkInbound measures the adapter's own cost per webhook: signature
// check, parsing, limits and TwiML, around a core that answers at once.
func BenchmarkInbound(b *testing.B) {
	t := &testing.T{}
	core := &fakeCore{reply: func(in talaash.Inbound) ([]talaash.Outbound, error) {
		return []talaash.Outbound{{To: in.Sender, Text: "Saved: K-4821-7. Where did you see her? Reply with the place."}}, nil
	}}
	c := newTestChannel(t, core, func(cfg *Config) { cfg.PerMinute = 1 << 30 })
	form := fixture(t, "sms_receive.txt")
	body := form.Encode()
	sig := twiliotest.Sign(testToken, testPublic+"/twilio/sms", form)
	h := c.InboundHandler()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(http.MethodPost, "/twilio/sms", strings.NewReader(body))
		r.Header.Set("X-Twilio-Signature", sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
