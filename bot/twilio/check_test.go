package twilio

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot/outbox"
)

var _ outbox.Checker = (*Channel)(nil)

// listed answers a Messages list like Twilio, newest first.
type listed struct {
	sid, body string
	created   time.Time
}

func messageList(msgs ...listed) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var items []string
		for _, m := range msgs {
			items = append(items, fmt.Sprintf(`{"sid": %q, "body": %q, "to": %q, "from": %q, "status": "queued", "date_created": %q, "date_sent": null}`,
				m.sid, m.body, r.Form.Get("To"), r.Form.Get("From"), m.created.UTC().Format(time.RFC1123Z)))
		}
		fmt.Fprintf(w, `{"messages": [%s], "next_page_uri": null, "page": 0, "page_size": 50}`, strings.Join(items, ","))
	}
}

// TestSentChecksTwilio: after a crash mid-send the outbox asks whether the
// message went out; Sent lists the recipient's messages from our number and
// finds the one with the same text created since the attempt began.
func TestSentChecksTwilio(t *testing.T) {
	since := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	text := "Possible match for K-4821-7. Reply YES K-4821-7 or NO K-4821-7"
	cases := []struct {
		name    string
		msg     talaash.Outbound
		respond http.HandlerFunc
		sid     string // "" : not found
		code    string // an error's
		asked   bool
	}{
		{name: "sent", msg: talaash.Outbound{Channel: "sms", To: "098765 43210", Text: text}, asked: true,
			respond: messageList(listed{"SMother", "Something else", since.Add(time.Second)}, listed{"SMsent", text, since.Add(time.Second)}),
			sid:     "SMsent"},
		{name: "the earliest of two since the attempt", msg: talaash.Outbound{To: "+919876543210", Text: text}, asked: true,
			respond: messageList(listed{"SMlater", text, since.Add(time.Minute)}, listed{"SMfirst", text, since.Add(time.Second)}, listed{"SMold", text, since.Add(-time.Hour)}),
			sid:     "SMfirst"},
		{name: "only an older one", msg: talaash.Outbound{To: "+919876543210", Text: text}, asked: true,
			respond: messageList(listed{"SMold", text, since.Add(-time.Minute)})},
		{name: "a second early: clocks differ", msg: talaash.Outbound{To: "+919876543210", Text: text}, asked: true,
			respond: messageList(listed{"SMskew", text, since.Add(-time.Second)}), sid: "SMskew"},
		{name: "none", msg: talaash.Outbound{To: "+919876543210", Text: text}, asked: true, respond: messageList()},
		{name: "whatsapp", msg: talaash.Outbound{Channel: "whatsapp", To: "+919876543210", Text: text}, asked: true,
			respond: messageList(listed{"SMwa", text, since}), sid: "SMwa"},
		{name: "Twilio fails", msg: talaash.Outbound{To: "+919876543210", Text: text}, asked: true,
			respond: twilioError(500, 20500, "Internal Server Error"), code: talaash.EFAILED},
		{name: "photos only: cannot tell", msg: talaash.Outbound{Channel: "whatsapp", To: "+919876543210", Photos: []string{"x"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeTwilio(t)
			f.respond = func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet {
					t.Errorf("%s %s", r.Method, r.URL.Path)
				}
				tc.respond(w, r)
			}
			c := newTestChannel(t, nil, func(cfg *Config) { cfg.APIURL = f.URL })
			sid, found, err := c.Sent(context.Background(), tc.msg, since)
			if talaash.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if sid != tc.sid || found != (tc.sid != "") {
				t.Errorf("Sent = %q %v, want %q", sid, found, tc.sid)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if !tc.asked {
				if len(f.reqs) != 0 {
					t.Errorf("asked Twilio %d times", len(f.reqs))
				}
				return
			}
			if len(f.reqs) != 1 {
				t.Fatalf("%d requests", len(f.reqs))
			}
			q, _ := f.lastQuery()
			wantTo, wantFrom := "+919876543210", testFrom
			if tc.msg.Channel == "whatsapp" {
				wantTo, wantFrom = "whatsapp:"+wantTo, "whatsapp:"+wantFrom
			}
			if p := f.reqs[0].Path; p != "/2010-04-01/Accounts/"+testAccount+"/Messages.json" || q.Get("To") != wantTo || q.Get("From") != wantFrom ||
				f.reqs[0].User != testAccount || f.reqs[0].Pass != testToken {
				t.Errorf("asked %s %v as %s", p, q, f.reqs[0].User)
			}
		})
	}
}
