package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"talaash"
	"talaash/bot/telegram"
	"talaash/bot/telegram/telegramtest"
)

const secret = "s3cret-token"

// recorder is a core that records what it is given and answers with replies.
type recorder struct {
	mu      sync.Mutex
	got     []talaash.Inbound
	replies func(in talaash.Inbound) []talaash.Outbound
	seen    chan talaash.Inbound
}

func newRecorder() *recorder { return &recorder{seen: make(chan talaash.Inbound, 100)} }

func (r *recorder) Handle(_ context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	r.mu.Lock()
	r.got = append(r.got, in)
	r.mu.Unlock()
	r.seen <- in
	if r.replies == nil {
		return nil, nil
	}
	return r.replies(in), nil
}

func (r *recorder) next(t *testing.T) talaash.Inbound {
	t.Helper()
	select {
	case in := <-r.seen:
		return in
	case <-time.After(5 * time.Second):
		t.Fatal("no update reached the core")
		return talaash.Inbound{}
	}
}

func (r *recorder) none(t *testing.T) {
	t.Helper()
	select {
	case in := <-r.seen:
		t.Fatalf("unexpected update reached the core: %+v", in)
	case <-time.After(100 * time.Millisecond):
	}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// start runs a channel against the fake until the test ends.
func start(t *testing.T, api *telegramtest.Server, cfg telegram.Config, h talaash.Handler) *telegram.Channel {
	t.Helper()
	cfg.Token, cfg.APIURL = api.Token, api.URL
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	ch, err := telegram.New(cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ch.Run(ctx); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return ch
}

func post(t *testing.T, h http.Handler, token string, body []byte) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

func TestIncoming(t *testing.T) {
	at := time.Unix(1767225600, 0).UTC()
	cases := []struct {
		fixture  string
		want     *talaash.Inbound // nil: the update is ignored
		callback string           // the callback query the adapter must answer
	}{
		{fixture: "text.json", want: &talaash.Inbound{ID: "501", Sender: "4242", Text: "मेरा बेटा खो गया है", LangHint: "hi", Name: "Asha Devi", At: at}},
		{fixture: "command.json", want: &talaash.Inbound{ID: "502", Sender: "4242", Text: "/start", LangHint: "en", Name: "Asha", At: at.Add(time.Second)}},
		{fixture: "callback.json", callback: "cbq-77", want: &talaash.Inbound{ID: "503", Sender: "4242", Callback: "lang:hi", LangHint: "hi", Name: "Asha"}},
		{fixture: "callback_inaccessible.json", callback: "cbq-78", want: &talaash.Inbound{ID: "504", Sender: "5151", Callback: "menu", Name: "Ravi"}},
		{fixture: "location.json", want: &talaash.Inbound{ID: "505", Sender: "4242", Location: &talaash.Location{Lat: 26.4499, Lon: 80.3319}, Name: "Asha", At: at.Add(2 * time.Second)}},
		{fixture: "contact.json", want: &talaash.Inbound{ID: "506", Sender: "4242", Contact: &talaash.Contact{Name: "Asha Devi", Phone: "+919876543210"}, Name: "Asha", At: at.Add(3 * time.Second)}},
		{fixture: "contact_typed.json", want: &talaash.Inbound{ID: "507", Sender: "4242", Contact: &talaash.Contact{Name: "Ramesh", Phone: "+919876543210"}, Name: "Asha", At: at.Add(4 * time.Second)}},
		{fixture: "photo.json", want: &talaash.Inbound{ID: "508", Sender: "4242", Text: "this is him", Photos: []string{"large-id"}, LangHint: "en", Name: "Asha", At: at.Add(5 * time.Second)}},
		{fixture: "edited.json"},
	}
	api := telegramtest.NewServer(t)
	core := newRecorder()
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	wh := ch.WebhookHandler()
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			if code := post(t, wh, secret, fixture(t, tc.fixture)); code != http.StatusOK {
				t.Fatalf("webhook answered %d", code)
			}
			if tc.want == nil {
				core.none(t)
				return
			}
			got := core.next(t)
			want := *tc.want
			want.Channel = talaash.ChannelTelegram
			if want.At.IsZero() { // button presses carry no date: stamped on arrival
				if time.Since(got.At) > time.Minute {
					t.Errorf("callback At = %v, want about now", got.At)
				}
				got.At = time.Time{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("inbound\n got %+v\nwant %+v", got, want)
			}
			if tc.callback != "" {
				calls := api.WaitCalls(t, "answerCallbackQuery", 1, 5*time.Second)
				if id := calls[len(calls)-1].Fields["callback_query_id"]; id != tc.callback {
					t.Errorf("answered callback %q, want %q", id, tc.callback)
				}
			}
		})
	}
}

func TestInboundDirect(t *testing.T) {
	// The translation alone, without a server: an update kind Talaash ignores.
	in, ok := telegram.Inbound(mustUpdate(t, fixture(t, "edited.json")), time.Now())
	if ok {
		t.Fatalf("edited message translated: %+v", in)
	}
}

func TestLongPolling(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := newRecorder()
	core.replies = func(in talaash.Inbound) []talaash.Outbound {
		return []talaash.Outbound{{Channel: talaash.ChannelTelegram, To: in.Sender, Text: "got " + in.ID}}
	}
	start(t, api, telegram.Config{}, core)
	api.AddUpdate(fixture(t, "text.json"))
	api.AddUpdate(fixture(t, "location.json"))
	if a, b := core.next(t), core.next(t); a.ID != "501" || b.ID != "505" {
		t.Fatalf("updates out of order: %s, %s", a.ID, b.ID)
	}
	sends := api.WaitCalls(t, "sendMessage", 2, 5*time.Second)
	if sends[0].Fields["text"] != "got 501" || sends[1].Fields["text"] != "got 505" || sends[0].Fields["chat_id"] != "4242" {
		t.Fatalf("replies: %+v", sends)
	}
	// A reply without choices clears the keyboard of the question it answers.
	if !sameJSON(t, sends[0].Fields["reply_markup"], `{"remove_keyboard":true}`) {
		t.Errorf("reply markup %q", sends[0].Fields["reply_markup"])
	}
	// Polling moves on: a later update is delivered once, the earlier ones not again.
	api.AddUpdate(fixture(t, "photo.json"))
	if in := core.next(t); in.ID != "508" {
		t.Fatalf("third update = %s, want 508", in.ID)
	}
	core.none(t)
}

func TestWebhookSecret(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := newRecorder()
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	wh := ch.WebhookHandler()
	body := fixture(t, "text.json")
	for _, token := range []string{"", "wrong", secret + "x"} {
		if code := post(t, wh, token, body); code != http.StatusUnauthorized {
			t.Errorf("token %q: status %d, want 401", token, code)
		}
	}
	core.none(t)
	req := httptest.NewRequest(http.MethodGet, "/telegram/webhook", nil)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	rec := httptest.NewRecorder()
	wh.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
	if code := post(t, wh, secret, body); code != http.StatusOK {
		t.Fatalf("right secret: status %d", code)
	}
	if in := core.next(t); in.ID != "501" {
		t.Fatalf("got update %s", in.ID)
	}
	if len(api.Calls()) != 0 {
		t.Errorf("calls to the Bot API for a core that said nothing: %+v", api.Calls())
	}
}

func TestWebhookOffWithoutSecret(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := newRecorder()
	ch := start(t, api, telegram.Config{}, core) // polling mode
	if code := post(t, ch.WebhookHandler(), "", fixture(t, "text.json")); code != http.StatusUnauthorized {
		t.Fatalf("webhook in polling mode: status %d, want 401", code)
	}
	core.none(t)
}

func TestDuplicateUpdatePassesSameID(t *testing.T) {
	// Telegram redelivers an update it thinks was lost; dedupe is the core's job,
	// keyed by the id the adapter passes, so both deliveries must carry the same id.
	api := telegramtest.NewServer(t)
	core := newRecorder()
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	body := fixture(t, "contact.json")
	post(t, ch.WebhookHandler(), secret, body)
	post(t, ch.WebhookHandler(), secret, body)
	a, b := core.next(t), core.next(t)
	if a.ID != "506" || a.ID != b.ID || a.Sender != b.Sender {
		t.Fatalf("ids %q/%q senders %q/%q", a.ID, b.ID, a.Sender, b.Sender)
	}
}

func TestOutgoing(t *testing.T) {
	yesNo := []talaash.Choice{{Label: "Yes", Data: "yes"}, {Label: "No", Data: "no"}}
	cases := []struct {
		name    string
		msg     talaash.Outbound
		methods []string            // calls in order
		fields  []map[string]string // fields checked per call (reply_markup compared as JSON)
	}{
		{
			// A notice outside a turn leaves the person's keyboard alone (replies
			// without choices clear it: see the incoming tests).
			name:    "a notice leaves the keyboard alone",
			msg:     talaash.Outbound{To: "4242", Text: "Thank you"},
			methods: []string{"sendMessage"},
			fields:  []map[string]string{{"chat_id": "4242", "text": "Thank you", "reply_markup": ""}},
		},
		{
			name:    "reply keyboard",
			msg:     talaash.Outbound{To: "4242", Text: "Is the child with you?", Choices: yesNo},
			methods: []string{"sendMessage"},
			fields:  []map[string]string{{"reply_markup": `{"keyboard":[[{"text":"Yes"},{"text":"No"}]],"resize_keyboard":true,"one_time_keyboard":true}`}},
		},
		{
			name: "inline buttons, long labels one a row",
			msg: talaash.Outbound{To: "-100200", Text: "Alert", Inline: true, Choices: []talaash.Choice{
				{Label: "Confirm match ✅", Data: "review:K-4821-7:S-1002-3:yes"}, {Label: "Not a match — reject", Data: "review:K-4821-7:S-1002-3:no"}}},
			methods: []string{"sendMessage"},
			fields:  []map[string]string{{"chat_id": "-100200", "reply_markup": `{"inline_keyboard":[[{"text":"Confirm match ✅","callback_data":"review:K-4821-7:S-1002-3:yes"}],[{"text":"Not a match — reject","callback_data":"review:K-4821-7:S-1002-3:no"}]]}`}},
		},
		{
			name: "ask location",
			msg: talaash.Outbound{To: "4242", Text: "Where?", Ask: talaash.AskLocation, Choices: []talaash.Choice{
				{Label: "📍 Share location", Data: "location"}, {Label: "Skip", Data: "skip"}}},
			methods: []string{"sendMessage"},
			fields:  []map[string]string{{"reply_markup": `{"keyboard":[[{"text":"📍 Share location","request_location":true},{"text":"Skip"}]],"resize_keyboard":true,"one_time_keyboard":true}`}},
		},
		{
			name: "ask contact wins over inline",
			msg: talaash.Outbound{To: "4242", Text: "Your number?", Inline: true, Ask: talaash.AskContact, Choices: []talaash.Choice{
				{Label: "📞 Share my number", Data: "contact"}}},
			methods: []string{"sendMessage"},
			fields:  []map[string]string{{"reply_markup": `{"keyboard":[[{"text":"📞 Share my number","request_contact":true}]],"resize_keyboard":true,"one_time_keyboard":true}`}},
		},
		{
			name:    "photos then text with the buttons",
			msg:     talaash.Outbound{To: "77", Text: "Both records", Photos: []string{"photo-a", "https://example.org/b.jpg"}, Inline: true, Choices: yesNo},
			methods: []string{"sendPhoto", "sendPhoto", "sendMessage"},
			fields: []map[string]string{{"chat_id": "77", "photo": "photo-a"}, {"photo": "https://example.org/b.jpg"},
				{"text": "Both records", "reply_markup": `{"inline_keyboard":[[{"text":"Yes","callback_data":"yes"},{"text":"No","callback_data":"no"}]]}`}},
		},
		{
			name:    "long text split",
			msg:     talaash.Outbound{To: "77", Text: strings.Repeat("तलाश ", 1000)},
			methods: []string{"sendMessage", "sendMessage"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := telegramtest.NewServer(t)
			ch, err := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL}, newRecorder())
			if err != nil {
				t.Fatal(err)
			}
			id, err := ch.Send(context.Background(), tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			calls := api.Calls()
			if len(calls) != len(tc.methods) {
				t.Fatalf("calls %+v, want methods %v", calls, tc.methods)
			}
			if id == "" || id == "0" {
				t.Errorf("message id %q", id)
			}
			for i, m := range tc.methods {
				if calls[i].Method != m {
					t.Errorf("call %d = %s, want %s", i, calls[i].Method, m)
				}
				if i >= len(tc.fields) {
					continue
				}
				for k, want := range tc.fields[i] {
					got := calls[i].Fields[k]
					if k == "reply_markup" && want != "" {
						if !sameJSON(t, got, want) {
							t.Errorf("call %d reply_markup\n got %s\nwant %s", i, got, want)
						}
					} else if got != want {
						t.Errorf("call %d %s = %q, want %q", i, k, got, want)
					}
				}
			}
			if tc.name == "long text split" {
				var total string
				for _, c := range calls {
					if n := len([]rune(c.Fields["text"])); n > 4096 {
						t.Errorf("part of %d characters", n)
					}
					total += c.Fields["text"]
				}
				if strings.Count(total, "तलाश") != 1000 {
					t.Errorf("split lost words: %d", strings.Count(total, "तलाश"))
				}
				if _, ok := calls[0].Fields["reply_markup"]; ok {
					t.Errorf("markup on the first part, want it on the last only")
				}
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	cases := []struct {
		name  string
		setup func(api *telegramtest.Server)
		code  string
		retry time.Duration
		msg   string
	}{
		{"blocked", func(a *telegramtest.Server) { a.Fail("sendMessage", 403, "Forbidden: bot was blocked by the user", 0) }, talaash.ESTOPPED, 0, "blocked"},
		{"deactivated", func(a *telegramtest.Server) { a.Fail("sendMessage", 403, "Forbidden: user is deactivated", 0) }, talaash.ESTOPPED, 0, "deactivated"},
		{"throttled", func(a *telegramtest.Server) { a.Fail("sendMessage", 429, "Too Many Requests: retry after 7", 7) }, talaash.ETHROTTLED, 7 * time.Second, ""},
		{"server error", func(a *telegramtest.Server) { a.Fail("sendMessage", 500, "Internal Server Error", 0) }, talaash.EFAILED, 0, "500"},
		{"bad request", func(a *telegramtest.Server) { a.Fail("sendMessage", 400, "Bad Request: chat not found", 0) }, talaash.EINVALID, 0, "chat not found"},
		{"network", func(a *telegramtest.Server) { a.Close() }, talaash.EFAILED, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := telegramtest.NewServer(t)
			ch, err := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL, HTTPClient: &http.Client{Timeout: 2 * time.Second}}, newRecorder())
			if err != nil {
				t.Fatal(err)
			}
			tc.setup(api)
			_, err = ch.Send(context.Background(), talaash.Outbound{To: "4242", Text: "hello"})
			if talaash.ErrorCode(err) != tc.code {
				t.Fatalf("error %v: code %q, want %q", err, talaash.ErrorCode(err), tc.code)
			}
			var te *talaash.Error
			if tc.retry > 0 && (!asError(err, &te) || te.RetryAfter != tc.retry) {
				t.Errorf("RetryAfter of %v, want %v", err, tc.retry)
			}
			if tc.msg != "" && !strings.Contains(talaash.ErrorMessage(err), tc.msg) {
				t.Errorf("message %q lacks %q", talaash.ErrorMessage(err), tc.msg)
			}
			if strings.Contains(err.Error(), api.Token) {
				t.Errorf("error leaks the bot token: %v", err)
			}
		})
	}
	api := telegramtest.NewServer(t)
	ch, _ := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL}, newRecorder())
	if _, err := ch.Send(context.Background(), talaash.Outbound{To: "not-a-chat", Text: "x"}); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Errorf("bad chat id: %v", err)
	}
}

func TestRepliesRetriedAfterThrottle(t *testing.T) {
	// A 429 on a reply is waited out once (retry_after 1 s) rather than dropped.
	api := telegramtest.NewServer(t)
	api.Fail("sendMessage", 429, "Too Many Requests: retry after 1", 1)
	core := newRecorder()
	core.replies = func(in talaash.Inbound) []talaash.Outbound {
		return []talaash.Outbound{{To: in.Sender, Text: "reply"}}
	}
	start(t, api, telegram.Config{}, core)
	api.AddUpdate(fixture(t, "text.json"))
	calls := api.WaitCalls(t, "sendMessage", 2, 5*time.Second)
	if calls[1].Fields["text"] != "reply" {
		t.Fatalf("calls %+v", calls)
	}
}

func TestSetWebhook(t *testing.T) {
	api := telegramtest.NewServer(t)
	ch, _ := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL, WebhookSecret: secret}, newRecorder())
	if err := ch.SetWebhook(context.Background(), "https://talaash.example/telegram/webhook"); err != nil {
		t.Fatal(err)
	}
	c := api.Calls("setWebhook")
	if len(c) != 1 || c[0].Fields["url"] != "https://talaash.example/telegram/webhook" || c[0].Fields["secret_token"] != secret {
		t.Fatalf("setWebhook calls %+v", c)
	}
}

func TestNewRefusesEmptyToken(t *testing.T) {
	if _, err := telegram.New(telegram.Config{}, newRecorder()); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("empty token: %v", err)
	}
}

func mustUpdate(t *testing.T, b []byte) *models.Update {
	t.Helper()
	var u models.Update
	if err := json.Unmarshal(b, &u); err != nil {
		t.Fatal(err)
	}
	return &u
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		return false
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatalf("bad expected JSON %s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}

func asError(err error, te **talaash.Error) bool {
	e, ok := err.(*talaash.Error)
	*te = e
	return ok
}

// TestPhoto: a chat photo's file id is fetched through getFile and the file
// URL, both on the API server; an unknown id is refused, and no error names
// the token.
func TestPhoto(t *testing.T) {
	api := telegramtest.NewServer(t)
	ch, err := telegram.New(telegram.Config{Token: api.Token, APIURL: api.URL}, newRecorder())
	if err != nil {
		t.Fatal(err)
	}
	api.AddFile("AgACphoto", []byte("\x89PNG\r\n\x1a\nrest"))
	b, err := ch.Photo(context.Background(), "AgACphoto")
	if err != nil || string(b) != "\x89PNG\r\n\x1a\nrest" {
		t.Fatalf("photo: %q %v", b, err)
	}
	if calls := api.Calls("getFile", "file"); len(calls) != 2 || calls[0].Fields["file_id"] != "AgACphoto" || calls[1].Fields["path"] != "AgACphoto" {
		t.Errorf("calls %+v: want getFile then the file", calls)
	}
	_, err = ch.Photo(context.Background(), "nope")
	if talaash.ErrorCode(err) != talaash.EINVALID || strings.Contains(err.Error(), api.Token) {
		t.Errorf("unknown file id: %v, want EINVALID without the token", err)
	}
}
