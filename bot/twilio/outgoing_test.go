package twilio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
)

var _ talaash.Sender = (*Channel)(nil)

// fakeTwilio is a Twilio REST server on loopback: it records every request to
// the Messages API and answers with the case's response.
type fakeTwilio struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []fakeReq
	respond http.HandlerFunc
}

type fakeReq struct {
	Path, User, Pass string
	Form             url.Values
	Query            url.Values
}

// lastQuery is the query of the last request.
func (f *fakeTwilio) lastQuery() (url.Values, bool) {
	if len(f.reqs) == 0 {
		return nil, false
	}
	return f.reqs[len(f.reqs)-1].Query, true
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Errorf("fake twilio: %v", err)
		}
		user, pass, _ := r.BasicAuth()
		f.mu.Lock()
		f.reqs = append(f.reqs, fakeReq{Path: r.URL.Path, User: user, Pass: pass, Form: r.PostForm, Query: r.URL.Query()})
		respond := f.respond
		f.mu.Unlock()
		if respond == nil {
			created(w, r)
			return
		}
		respond(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// created answers like Twilio for an accepted message.
func created(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"sid": "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0", "status": "queued", "to": %q, "from": %q, "body": %q, "account_sid": %q}`,
		r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body"), testAccount)
}

// twilioError answers with Twilio's error payload.
func twilioError(status, code int, msg string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code": %d, "message": %q, "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}`, code, msg, code, status)
	}
}

func rawError(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func TestOutgoing(t *testing.T) {
	messagesPath := "/2010-04-01/Accounts/" + testAccount + "/Messages.json"
	cases := []struct {
		name    string
		msg     talaash.Outbound
		respond http.HandlerFunc
		form    url.Values // what Twilio must receive; nil: no request at all
		sid     string
		code    string
		retry   time.Duration
	}{
		{
			name: "sms",
			msg:  talaash.Outbound{Channel: "sms", To: "098765 43210", Text: "Possible match for K-4821-7. Reply YES K-4821-7 or NO K-4821-7"},
			form: url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Possible match for K-4821-7. Reply YES K-4821-7 or NO K-4821-7"},
				"StatusCallback": {testPublic + "/twilio/status"}},
			sid: "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
		},
		{
			name: "no channel means sms",
			msg:  talaash.Outbound{To: "+919876543210", Text: "Hi"},
			form: url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			sid:  "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
		},
		{
			name: "whatsapp with a photo",
			msg: talaash.Outbound{Channel: "whatsapp", To: "+919812345678", Text: "पुलिस के लिए: संभावित मिलान K-4821-7",
				Photos: []string{"https://media.example.org/a.jpg", "AgACAgUAAxkBAAIB"}},
			form: url.Values{"To": {"whatsapp:+919812345678"}, "From": {"whatsapp:" + testFrom}, "Body": {"पुलिस के लिए: संभावित मिलान K-4821-7"},
				"MediaUrl": {"https://media.example.org/a.jpg"}, "StatusCallback": {testPublic + "/twilio/status"}},
			sid: "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0",
		},
		{
			name: "unsubscribed", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(400, 21610, "Attempt to send to unsubscribed recipient +919876543210"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.ESTOPPED,
		},
		{
			name: "too many requests", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(429, 20429, "Too Many Requests", "Retry-After", "7"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.ETHROTTLED, retry: 7 * time.Second,
		},
		{
			name: "number rate exceeded", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(400, 14107, "SMS send rate limit exceeded"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.ETHROTTLED, retry: defaultRetryAfter,
		},
		{
			name: "429 without a Twilio body", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: rawError(429, "<html>slow down</html>", "Retry-After", "3"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.ETHROTTLED, retry: 3 * time.Second,
		},
		{
			name: "server error", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(500, 20500, "Internal Server Error"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.EFAILED,
		},
		{
			name: "gateway down", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: rawError(503, "<html>Service Unavailable</html>"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.EFAILED,
		},
		{
			name: "invalid number", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(400, 21211, "The 'To' number +919876543210 is not a valid phone number."),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.EINVALID,
		},
		{
			name: "not a mobile", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(400, 21614, "'To' number is not a valid mobile number"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.EINVALID,
		},
		{
			name: "other client error", msg: talaash.Outbound{To: "+919876543210", Text: "Hi"},
			respond: twilioError(400, 21606, "The From phone number is not a valid, SMS-capable inbound phone number"),
			form:    url.Values{"To": {"+919876543210"}, "From": {testFrom}, "Body": {"Hi"}, "StatusCallback": {testPublic + "/twilio/status"}},
			code:    talaash.EFAILED,
		},
		{name: "bad recipient", msg: talaash.Outbound{To: "12", Text: "Hi"}, code: talaash.EINVALID},
		{name: "empty", msg: talaash.Outbound{To: "+919876543210", Text: "  "}, code: talaash.EINVALID},
		{name: "telegram", msg: talaash.Outbound{Channel: "telegram", To: "+919876543210", Text: "Hi"}, code: talaash.EINVALID},
		{name: "over 1600", msg: talaash.Outbound{To: "+919876543210", Text: strings.Repeat("x", MaxBody+1)}, code: talaash.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFakeTwilio(t)
			fake.respond = tc.respond
			c := newTestChannel(t, &fakeCore{}, func(cfg *Config) { cfg.APIURL = fake.URL })
			sid, err := c.Send(context.Background(), tc.msg)
			if got := talaash.ErrorCode(err); got != tc.code {
				t.Fatalf("error %v (code %q), want code %q", err, got, tc.code)
			}
			if sid != tc.sid {
				t.Errorf("sid %q, want %q", sid, tc.sid)
			}
			if err != nil {
				var e *talaash.Error
				errors.As(err, &e)
				if e.RetryAfter != tc.retry {
					t.Errorf("RetryAfter %v, want %v", e.RetryAfter, tc.retry)
				}
				if strings.Contains(err.Error(), "9876543210") {
					t.Errorf("error %q carries the phone number", err)
				}
			}
			if tc.form == nil {
				if len(fake.reqs) != 0 {
					t.Fatalf("%d requests reached Twilio, want none", len(fake.reqs))
				}
				return
			}
			if len(fake.reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(fake.reqs))
			}
			r := fake.reqs[0]
			if r.Path != messagesPath || r.User != testAccount || r.Pass != testToken {
				t.Errorf("request to %s as %s:%s", r.Path, r.User, r.Pass)
			}
			if !reflect.DeepEqual(r.Form, tc.form) {
				t.Errorf("form\n%v\nwant\n%v", r.Form, tc.form)
			}
		})
	}
}

func TestOutgoingAPIURLWithPath(t *testing.T) {
	fake := newFakeTwilio(t)
	c := newTestChannel(t, &fakeCore{}, func(cfg *Config) { cfg.APIURL = fake.URL + "/twilio-proxy/"; cfg.PublicURL = "" })
	if _, err := c.Send(context.Background(), talaash.Outbound{To: "+919876543210", Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	if p := fake.reqs[0].Path; p != "/twilio-proxy/2010-04-01/Accounts/"+testAccount+"/Messages.json" {
		t.Errorf("path %s", p)
	}
	if _, ok := fake.reqs[0].Form["StatusCallback"]; ok {
		t.Error("no status callback can be given without a public URL")
	}
}

func TestOutgoingNetworkErrors(t *testing.T) {
	fake := newFakeTwilio(t)
	fake.Close() // nothing listens any more
	c := newTestChannel(t, &fakeCore{}, func(cfg *Config) { cfg.APIURL = fake.URL })
	if _, err := c.Send(context.Background(), talaash.Outbound{To: "+919876543210", Text: "Hi"}); talaash.ErrorCode(err) != talaash.EFAILED {
		t.Errorf("unreachable Twilio: %v, want EFAILED", err)
	}

	release := make(chan struct{})
	slow := newFakeTwilio(t)
	slow.respond = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	defer close(release)
	c = newTestChannel(t, &fakeCore{}, func(cfg *Config) { cfg.APIURL = slow.URL })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Send(ctx, talaash.Outbound{To: "+919876543210", Text: "Hi"})
	if talaash.ErrorCode(err) != talaash.EFAILED {
		t.Errorf("cancelled send: %v, want EFAILED", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the context did not stop the call: took %v", d)
	}
}
