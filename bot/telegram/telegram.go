// Package telegram is the Telegram channel of Talaash, over github.com/go-telegram/bot.
//
// It translates Bot API updates into talaash.Inbound, hands them to the core
// (a talaash.Handler) one chat at a time, and turns the core's talaash.Outbound
// replies into sendMessage / sendPhoto calls with reply keyboards, inline
// buttons and request-location / request-contact buttons. Provider errors are
// mapped to the core's sending codes: ESTOPPED, ETHROTTLED, EFAILED. It does
// nothing else: no dedupe, no sessions, no wording.
package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"talaash"
)

// Config says how to reach the Bot API.
type Config struct {
	Token string
	// APIURL is the Bot API server (TELEGRAM_API_URL); "" means https://api.telegram.org.
	APIURL string
	// WebhookSecret switches to webhook mode: updates arrive on WebhookHandler and
	// must carry this value in X-Telegram-Bot-Api-Secret-Token. "" means long polling.
	WebhookSecret string
	// WebhookURL, in webhook mode, is where Run asks the Bot API to post
	// updates (TALAASH_PUBLIC_URL + /telegram/webhook); "" leaves the webhook
	// as it was set before.
	WebhookURL string
	// HTTPClient is used for every Bot API call; nil gets a client with a timeout
	// longer than the long-polling wait.
	HTTPClient *http.Client
}

// Spec is the channel this adapter serves and what it carries: buttons,
// photos, shared locations and contacts, any Unicode in one message; the Bot
// API allows about 30 messages a second per bot and one a second per chat.
var Spec = talaash.ChannelSpec{Name: talaash.ChannelTelegram, Caps: talaash.Capabilities{
	Buttons: true, Photos: true, Location: true, Contact: true, Conversation: true,
	Rate: 30, RatePerTo: 1,
}}

// Channel is a running Telegram bot. It implements talaash.Adapter.
type Channel struct {
	cfg Config
	tg  *tgbot.Bot
	h   talaash.Handler
	log *slog.Logger

	mu    sync.Mutex
	chats map[int64]*chatQueue // updates waiting, per chat; a chat is present while it has a worker
	wg    sync.WaitGroup       // chat workers
}

// chatQueue holds one chat's updates in arrival order; a single worker drains it,
// so one chat's updates are handled one at a time while chats run in parallel.
type chatQueue struct {
	items []*models.Update
}

const (
	defaultPoll = 60 * time.Second
	// turnTimeout bounds one update's handling and replies, including after Run's
	// context ends (an accepted update is finished, not dropped half-way).
	turnTimeout = 45 * time.Second
	// maxThrottleWait is the longest a reply waits on a 429 before giving up.
	maxThrottleWait = 30 * time.Second
	maxTextLen      = 4096 // Telegram's limit per message, in UTF-16 units
)

// New makes a Channel that hands updates to h. It makes no network call.
func New(cfg Config, h talaash.Handler) (*Channel, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: empty bot token")
	}
	if h == nil {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: nil handler")
	}
	c := &Channel{cfg: cfg, h: h, log: slog.Default().With("channel", talaash.ChannelTelegram), chats: map[int64]*chatQueue{}}

	client, poll := cfg.HTTPClient, defaultPoll
	if client == nil {
		client = &http.Client{Timeout: defaultPoll + 10*time.Second}
	} else {
		poll = pollFor(client.Timeout)
	}
	opts := []tgbot.Option{
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(poll, client),
		// One worker calling handlers synchronously keeps updates in the order the
		// Bot API gave them; dispatch only queues, so the worker never waits on a turn.
		tgbot.WithWorkers(1),
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(c.dispatch),
		tgbot.WithErrorsHandler(c.libError),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
	}
	if cfg.WebhookSecret != "" {
		opts = append(opts, tgbot.WithWebhookSecretToken(cfg.WebhookSecret))
	}
	tg, err := tgbot.New(cfg.Token, opts...)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: %v", err)
	}
	c.tg = tg
	return c, nil
}

// pollFor picks the long-polling wait for a client timeout: the wait must end
// well before the client gives up on the request.
func pollFor(timeout time.Duration) time.Duration {
	switch {
	case timeout == 0:
		return defaultPoll
	case timeout > 20*time.Second:
		return timeout - 10*time.Second
	default:
		return time.Second // short polling
	}
}

// Channels is the one channel the adapter serves.
func (c *Channel) Channels() []talaash.ChannelSpec { return []talaash.ChannelSpec{Spec} }

// Routes adds POST /telegram/webhook in webhook mode; long polling needs none.
func (c *Channel) Routes(mux *http.ServeMux) {
	if c.cfg.WebhookSecret != "" {
		mux.Handle("POST /telegram/webhook", c.WebhookHandler())
	}
}

// Run receives updates until ctx ends: by long polling when no webhook secret is
// configured, otherwise from WebhookHandler (after telling the Bot API where to
// post, when WebhookURL is set). It returns once the updates already accepted
// are handled.
func (c *Channel) Run(ctx context.Context) error {
	if c.cfg.WebhookSecret != "" {
		if c.cfg.WebhookURL != "" {
			// If the Bot API cannot be reached now, the webhook set on an
			// earlier start still holds.
			if err := c.SetWebhook(ctx, c.cfg.WebhookURL); err != nil {
				c.log.Warn("telegram setWebhook failed", "code", talaash.ErrorCode(err))
			}
		}
		c.log.Info("telegram webhook mode")
		c.tg.StartWebhook(ctx)
	} else {
		c.log.Info("telegram long polling")
		c.tg.Start(ctx)
	}
	c.wg.Wait()
	return nil
}

// SetWebhook asks the Bot API to post updates to url with the configured secret.
func (c *Channel) SetWebhook(ctx context.Context, url string) error {
	_, err := c.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            url,
		SecretToken:    c.cfg.WebhookSecret,
		AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery},
	})
	return mapError(err)
}

// WebhookHandler serves POST /telegram/webhook. Requests without the configured
// secret token get 401 and change nothing; with no secret configured every
// request is refused (webhook mode is off).
func (c *Channel) WebhookHandler() http.Handler {
	inner := c.tg.WebhookHandler()
	secret := []byte(c.cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		inner(w, r)
	})
}

// libError logs the library's own errors. Some of them quote a payload, which
// may hold a person's words or number, so those are reduced to their kind.
func (c *Channel) libError(err error) {
	msg := err.Error()
	if strings.Contains(msg, "decode") || strings.Contains(msg, "body") {
		msg = "could not read a Bot API payload"
	}
	c.log.Warn("telegram library", "error", msg)
}

// dispatch queues an update on its chat's queue, starting the chat's worker if
// it has none. Called by the library's single worker, in update order.
func (c *Channel) dispatch(ctx context.Context, _ *tgbot.Bot, upd *models.Update) {
	chat, ok := chatOf(upd)
	if !ok {
		return // an update kind Talaash does not use
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if q, busy := c.chats[chat]; busy {
		q.items = append(q.items, upd)
		return
	}
	q := &chatQueue{items: []*models.Update{upd}}
	c.chats[chat] = q
	c.wg.Add(1)
	go c.drain(context.WithoutCancel(ctx), chat, q)
}

func (c *Channel) drain(ctx context.Context, chat int64, q *chatQueue) {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		if len(q.items) == 0 {
			delete(c.chats, chat)
			c.mu.Unlock()
			return
		}
		upd := q.items[0]
		q.items[0] = nil
		q.items = q.items[1:]
		c.mu.Unlock()
		c.turn(ctx, upd)
	}
}

// turn handles one update: answer a pressed button, ask the core, send the
// replies in order.
func (c *Channel) turn(ctx context.Context, upd *models.Update) {
	ctx, cancel := context.WithTimeout(ctx, turnTimeout)
	defer cancel()
	in, ok := Inbound(upd, time.Now())
	if !ok {
		return
	}
	if upd.CallbackQuery != nil {
		// Stops the button's spinner; the answer itself comes as a message.
		if _, err := c.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID}); err != nil {
			c.log.Warn("answer callback", "update", in.ID, "code", talaash.ErrorCode(mapError(err)))
		}
	}
	outs, err := c.h.Handle(ctx, in)
	if err != nil {
		c.log.Error("handle update", "update", in.ID, "code", talaash.ErrorCode(err), "error", talaash.ErrorMessage(err))
		return
	}
	for _, m := range outs {
		if m.To == "" {
			m.To = in.Sender
		}
		if m.Channel != "" && m.Channel != talaash.ChannelTelegram {
			c.log.Error("reply for another channel dropped", "update", in.ID, "to_channel", m.Channel)
			continue
		}
		_, err := c.send(ctx, m, true)
		var te *talaash.Error
		if errors.As(err, &te) && te.Code == talaash.ETHROTTLED && te.RetryAfter <= maxThrottleWait {
			select {
			case <-time.After(te.RetryAfter):
				_, err = c.send(ctx, m, true)
			case <-ctx.Done():
			}
		}
		if err != nil {
			c.log.Warn("reply not sent", "update", in.ID, "code", talaash.ErrorCode(err))
			if talaash.ErrorCode(err) == talaash.ESTOPPED {
				return
			}
		}
	}
}

// chatOf returns the chat an update belongs to, which is also its queue key.
func chatOf(upd *models.Update) (int64, bool) {
	switch {
	case upd.Message != nil:
		return upd.Message.Chat.ID, true
	case upd.CallbackQuery != nil:
		cq := upd.CallbackQuery
		switch {
		case cq.Message.Message != nil:
			return cq.Message.Message.Chat.ID, true
		case cq.Message.InaccessibleMessage != nil && cq.Message.InaccessibleMessage.Chat.ID != 0:
			return cq.Message.InaccessibleMessage.Chat.ID, true
		case cq.From.ID != 0:
			return cq.From.ID, true // private chats have the user's id
		}
	}
	return 0, false
}

// Inbound translates an update into the core's message; ok is false for update
// kinds Talaash does not use. now stamps button presses, which carry no date.
func Inbound(upd *models.Update, now time.Time) (in talaash.Inbound, ok bool) {
	chat, ok := chatOf(upd)
	if !ok {
		return in, false
	}
	in = talaash.Inbound{Channel: talaash.ChannelTelegram, Sender: strconv.FormatInt(chat, 10), ID: strconv.FormatInt(upd.ID, 10)}
	var from *models.User
	if m := upd.Message; m != nil {
		from = m.From
		in.Text = m.Text
		if in.Text == "" {
			in.Text = m.Caption
		}
		in.At = time.Unix(int64(m.Date), 0).UTC()
		if m.Location != nil {
			in.Location = &talaash.Location{Lat: m.Location.Latitude, Lon: m.Location.Longitude}
		}
		if m.Contact != nil {
			in.Contact = &talaash.Contact{
				Name:  strings.TrimSpace(m.Contact.FirstName + " " + m.Contact.LastName),
				Phone: contactPhone(m.Contact.PhoneNumber),
			}
		}
		if p := largest(m.Photo); p != "" {
			in.Photos = []string{p}
		}
	} else {
		cq := upd.CallbackQuery
		from = &cq.From
		in.Callback = cq.Data
		in.At = now.UTC()
	}
	if from != nil {
		in.LangHint = from.LanguageCode
		in.Name = strings.TrimSpace(from.FirstName + " " + from.LastName)
	}
	return in, true
}

// contactPhone normalises a shared contact's number. Telegram gives it in
// international form, usually without the "+"; a number that will not
// normalise is passed on as given so the dialog can explain what is wrong.
func contactPhone(p string) string {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, "+") {
		if e, err := talaash.NormalizePhone("+" + p); err == nil {
			return e
		}
	}
	if e, err := talaash.NormalizePhone(p); err == nil {
		return e
	}
	return p
}

// largest returns the file id of the biggest size of a photo.
func largest(sizes []models.PhotoSize) string {
	best, area := "", -1
	for _, s := range sizes {
		if a := s.Width * s.Height; a > area {
			best, area = s.FileID, a
		}
	}
	return best
}
