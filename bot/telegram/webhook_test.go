package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"talaash"
	"talaash/bot/telegram"
	"talaash/bot/telegram/telegramtest"
)

// TestWebhookBodies: what the webhook answers for each kind of body, and
// whether the core gets a turn. Only a well-formed update of a kind Talaash
// uses reaches the core; the Bot API posts a 4xx/5xx update again, a 200 one
// never.
func TestWebhookBodies(t *testing.T) {
	huge := `{"update_id": 520, "message": {"message_id": 1, "date": 1767225600, "chat": {"id": 4242, "type": "private"}, "text": "` +
		strings.Repeat("x", 1<<20) + `"}}`
	cases := []struct {
		name   string
		body   []byte
		token  string // "" is the right secret; "-" sends none
		status int
		turned string // update id the core gets; "" none
	}{
		{name: "text", body: fixture(t, "text.json"), status: 200, turned: "501"},
		{name: "bad JSON", body: fixture(t, "bad_json.json"), status: 400},
		{name: "empty body", body: nil, status: 400},
		{name: "no update_id", body: fixture(t, "no_update_id.json"), status: 400},
		{name: "update_id 0", body: fixture(t, "zero_update_id.json"), status: 400},
		{name: "message of the wrong type", body: fixture(t, "wrong_type.json"), status: 400},
		{name: "an array", body: fixture(t, "array.json"), status: 400},
		{name: "two values", body: fixture(t, "two_values.json"), status: 400},
		{name: "over 1 MiB", body: []byte(huge), status: 400},
		{name: "edited message ignored", body: fixture(t, "edited.json"), status: 200},
		{name: "channel post ignored", body: fixture(t, "channel_post.json"), status: 200},
		{name: "bot blocked ignored", body: fixture(t, "blocked.json"), status: 200},
		// The secret is checked first: a wrong one changes nothing, whatever the body.
		{name: "no secret", body: fixture(t, "text.json"), token: "-", status: 401},
		{name: "wrong secret", body: fixture(t, "text.json"), token: "wrong", status: 401},
		{name: "secret with a suffix", body: fixture(t, "text.json"), token: secret + "x", status: 401},
		{name: "wrong secret, bad body", body: fixture(t, "bad_json.json"), token: "wrong", status: 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := telegramtest.NewServer(t)
			core := newRecorder()
			ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
			token := secret
			switch tc.token {
			case "-":
				token = ""
			case "":
			default:
				token = tc.token
			}
			if code := post(t, ch.WebhookHandler(), token, tc.body); code != tc.status {
				t.Fatalf("status %d, want %d", code, tc.status)
			}
			if tc.turned == "" {
				core.none(t)
			} else if in := core.next(t); in.ID != tc.turned {
				t.Fatalf("turned update %s, want %s", in.ID, tc.turned)
			}
			if tc.turned == "" && len(api.Calls()) != 0 {
				t.Errorf("Bot API called for a refused or ignored update: %+v", api.Calls())
			}
		})
	}
}

// endless is a request body that never ends, counting what was read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestWebhookBodyLimitedBeforeRead(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := newRecorder()
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	body := &endless{}
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", body)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	rec := httptest.NewRecorder()
	ch.WebhookHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("endless body: status %d, want 400", rec.Code)
	}
	if body.n > 2<<20 {
		t.Fatalf("read %d bytes of an endless body, want about 1 MiB", body.n)
	}
	core.none(t)
}

// gateCore holds every turn until released and records when each ended.
type gateCore struct {
	gate   chan struct{}
	began  chan string // if set, gets each update id as its turn begins
	mu     sync.Mutex
	tries  map[string]int
	ended  []string
	failed map[string]int // update id -> turns to refuse first
}

func (g *gateCore) Handle(_ context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	if g.began != nil {
		g.began <- in.ID
	}
	<-g.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tries == nil {
		g.tries = map[string]int{}
	}
	g.tries[in.ID]++
	if g.failed[in.ID] > 0 {
		g.failed[in.ID]--
		return nil, talaash.Errorf(talaash.EFAILED, "store unavailable")
	}
	g.ended = append(g.ended, in.ID)
	return []talaash.Outbound{{To: in.Sender, Text: "got " + in.ID}}, nil
}

// TestWebhookAcksAfterCommit: the webhook answers only once the core has
// taken the update, and an update the core could not take is answered 5xx
// so that the Bot API posts it again.
func TestWebhookAcksAfterCommit(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := &gateCore{gate: make(chan struct{}), failed: map[string]int{"505": 1}}
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	wh := ch.WebhookHandler()
	answered := make(chan int, 1)
	go func() { answered <- post(t, wh, secret, fixture(t, "text.json")) }()
	select {
	case code := <-answered:
		t.Fatalf("answered %d before the turn ended", code)
	case <-time.After(200 * time.Millisecond):
	}
	close(core.gate)
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("status %d after the turn", code)
	}
	core.mu.Lock()
	ended := append([]string(nil), core.ended...)
	core.mu.Unlock()
	if len(ended) != 1 || ended[0] != "501" {
		t.Fatalf("turns ended %v at the acknowledgement, want [501]", ended)
	}
	api.WaitCalls(t, "sendMessage", 1, 5*time.Second)

	// The core fails the turn (the store refused it): not acknowledged, and
	// the repost is taken.
	if code := post(t, wh, secret, fixture(t, "location.json")); code < 500 {
		t.Fatalf("failed turn answered %d, want 5xx", code)
	}
	if code := post(t, wh, secret, fixture(t, "location.json")); code != http.StatusOK {
		t.Fatalf("repost answered %d", code)
	}
	if calls := api.WaitCalls(t, "sendMessage", 2, 5*time.Second); len(calls) != 2 || calls[1].Fields["text"] != "got 505" {
		t.Fatalf("replies %+v, want one to each taken update", calls)
	}
}

// TestWebhookRequestGoneWhileWaiting: an update whose request is abandoned
// while its chat is busy is not turned (the Bot API posts it again).
func TestWebhookRequestGoneWhileWaiting(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := &gateCore{gate: make(chan struct{}), began: make(chan string, 2)}
	ch := start(t, api, telegram.Config{WebhookSecret: secret}, core)
	wh := ch.WebhookHandler()
	first := make(chan int, 1)
	go func() { first <- post(t, wh, secret, fixture(t, "text.json")) }()
	if id := <-core.began; id != "501" {
		t.Fatalf("turn of %s began", id)
	}
	// 501 holds chat 4242 now.

	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(fixture(t, "location.json"))).WithContext(ctx)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { wh.ServeHTTP(rec, req); close(done) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	<-done
	if rec.Code == http.StatusOK {
		t.Fatalf("abandoned update answered 200")
	}
	close(core.gate)
	if code := <-first; code != 200 {
		t.Fatalf("first update: %d", code)
	}
	core.mu.Lock()
	defer core.mu.Unlock()
	if len(core.ended) != 1 || core.ended[0] != "501" {
		t.Fatalf("turns %v, want only 501", core.ended)
	}
}

// TestLongPollingOffsetAfterCommit: long polling confirms an update to the
// Bot API only once its turn has committed: one the core could not take
// comes again.
func TestLongPollingOffsetAfterCommit(t *testing.T) {
	api := telegramtest.NewServer(t)
	core := &gateCore{gate: make(chan struct{}), failed: map[string]int{"501": 1}}
	close(core.gate)
	start(t, api, telegram.Config{}, core)
	api.AddUpdate(fixture(t, "text.json"))
	api.WaitCalls(t, "sendMessage", 1, 10*time.Second)
	api.AddUpdate(fixture(t, "location.json"))
	calls := api.WaitCalls(t, "sendMessage", 2, 10*time.Second)
	if calls[0].Fields["text"] != "got 501" || calls[1].Fields["text"] != "got 505" {
		t.Fatalf("replies %q, %q: want 501, then 505", calls[0].Fields["text"], calls[1].Fields["text"])
	}
	time.Sleep(300 * time.Millisecond)
	core.mu.Lock()
	defer core.mu.Unlock()
	if core.tries["501"] != 2 || core.tries["505"] != 1 {
		t.Fatalf("tries %v: want 501 twice (refused, then taken on its second delivery), 505 once", core.tries)
	}
}

// TestLogsThroughGivenLogger: the adapter writes to the logger it is given,
// never the process's default one, and logs no name or message text.
func TestLogsThroughGivenLogger(t *testing.T) {
	var given, dflt bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&dflt, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	var mu sync.Mutex
	lg := slog.New(slog.NewTextHandler(&lockedWriter{mu: &mu, w: &given}, &slog.HandlerOptions{Level: slog.LevelDebug}))

	api := telegramtest.NewServer(t)
	api.Fail("sendMessage", 403, "Forbidden: bot was blocked by the user", 0)
	core := newRecorder()
	core.replies = func(in talaash.Inbound) []talaash.Outbound {
		return []talaash.Outbound{{To: in.Sender, Text: "Dhanyavaad"}}
	}
	ch := start(t, api, telegram.Config{WebhookSecret: secret, Logger: lg, WebhookURL: "http://127.0.0.1:1/telegram/webhook"}, core)
	post(t, ch.WebhookHandler(), secret, fixture(t, "bad_json.json"))
	post(t, ch.WebhookHandler(), secret, fixture(t, "text.json"))
	core.next(t)
	mu.Lock()
	logs := given.String()
	mu.Unlock()
	if dflt.Len() != 0 {
		t.Errorf("the default logger was written to:\n%s", dflt.String())
	}
	for _, want := range []string{"webhook body refused", "reply not sent"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"Asha", "Devi", "मेरा", "Dhanyavaad", api.Token} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs carry %q:\n%s", secret, logs)
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestWebhookRepliesBeforeAnswer: over a real connection, the 200 waits
// for the replies to be sent, so that a crash while sending them leaves the
// update unacknowledged (Telegram posts it again, and the replies are sent
// from the store) rather than answered and the replies lost.
func TestWebhookRepliesBeforeAnswer(t *testing.T) {
	api := telegramtest.NewServer(t)
	slow := make(chan struct{})
	var sending atomic.Bool
	bot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			sending.Store(true)
			<-slow
		}
		api.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(bot.Close)
	core := newRecorder()
	core.replies = func(in talaash.Inbound) []talaash.Outbound { return []talaash.Outbound{{To: in.Sender, Text: "ok"}} }
	ch, err := telegram.New(telegram.Config{Token: api.Token, APIURL: bot.URL, WebhookSecret: secret, HTTPClient: &http.Client{Timeout: 5 * time.Second}}, core)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ch.WebhookHandler())
	t.Cleanup(srv.Close)
	released := false
	t.Cleanup(func() {
		if !released {
			close(slow) // before srv.Close, which waits for the handler
		}
	})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/telegram/webhook", bytes.NewReader(fixture(t, "text.json")))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = io.ReadAll(resp.Body) // the whole answer, to its end
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
		}
		done <- err
	}()
	deadline := time.Now().Add(3 * time.Second)
	for !sending.Load() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !sending.Load() {
		t.Fatal("no reply was sent")
	}
	select {
	case err := <-done:
		t.Fatalf("answered (%v) while the reply was still being sent", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(slow)
	released = true
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no answer after the reply went")
	}
	if n := len(api.Calls("sendMessage")); n != 1 {
		t.Errorf("%d replies sent, want 1", n)
	}
	core.next(t)
}
