// Package telegram is the Telegram channel of Talaash, over github.com/go-telegram/bot.
//
// It translates Bot API updates into talaash.Inbound, hands them to the core
// (a talaash.Handler) one chat at a time, and turns the core's talaash.Outbound
// replies into sendMessage / sendPhoto calls with reply keyboards, inline
// buttons and request-location / request-contact buttons. Provider errors are
// mapped to the core's sending codes: ESTOPPED, ETHROTTLED, EFAILED. It does
// nothing else: no dedupe, no sessions, no wording.
//
// An update is acknowledged only once the core has committed its turn: the
// webhook answers 200 after the turn, long polling moves its offset past an
// update after the turn. The Bot API gives an unacknowledged update again,
// and the core answers a repeated update id from the store, so a crash loses
// no update and takes none twice. Replies are sent after the acknowledgement;
// a crash between the two loses that turn's replies, never the update.
package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
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
	// Logger receives the adapter's logs; nil discards them. Logs name chats
	// and updates by id, never a person's name, number or words.
	Logger *slog.Logger
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
	cfg      Config
	tg       *tgbot.Bot
	h        talaash.Handler
	log      *slog.Logger
	client   *http.Client
	pollWait time.Duration // how long one getUpdates may wait for an update
	lines    lines         // one turn at a time per chat, in update order
	health   health        // the last exchange with the Bot API (Health)
}

const (
	defaultAPIURL = "https://api.telegram.org"
	defaultPoll   = 60 * time.Second
	// turnTimeout bounds one update's handling and replies, including after Run's
	// context ends (an accepted update is finished, not dropped half-way).
	turnTimeout = 45 * time.Second
	// maxThrottleWait is the longest a reply waits on a 429 before giving up.
	maxThrottleWait = 30 * time.Second
	maxTextLen      = 4096 // Telegram's limit per message, in UTF-16 units
	// maxUpdate bounds a webhook body before it is read; an update is a few
	// KB, a long message with entities some tens.
	maxUpdate = 1 << 20
)

// New makes a Channel that hands updates to h. It makes no network call.
func New(cfg Config, h talaash.Handler) (*Channel, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: empty bot token")
	}
	if h == nil {
		return nil, talaash.Errorf(talaash.EINVALID, "telegram: nil handler")
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	c := &Channel{cfg: cfg, h: h, log: lg.With("channel", talaash.ChannelTelegram)}

	client, poll := cfg.HTTPClient, defaultPoll
	if client == nil {
		client = &http.Client{Timeout: defaultPoll + 10*time.Second}
	} else {
		poll = pollFor(client.Timeout)
	}
	// getUpdates asks the server to hold the request this long, in whole
	// seconds, less one so the answer beats the client's timeout.
	c.client, c.pollWait = client, max(poll-time.Second, 0)
	// The library only sends: updates are received here (poll,
	// WebhookHandler) so that they are acknowledged after their turn.
	opts := []tgbot.Option{
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(poll, client),
		tgbot.WithErrorsHandler(c.libError),
	}
	if cfg.APIURL != "" {
		opts = append(opts, tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")))
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
// post, when WebhookURL is set). Long polling returns once the updates already
// taken are handled; webhook requests are the HTTP server's to drain.
func (c *Channel) Run(ctx context.Context) error {
	if c.cfg.WebhookSecret != "" {
		if c.cfg.WebhookURL != "" {
			// If the Bot API cannot be reached now, the webhook set on an
			// earlier start still holds.
			err := c.SetWebhook(ctx, c.cfg.WebhookURL)
			if err != nil {
				c.log.Warn("telegram setWebhook failed", "code", talaash.ErrorCode(err))
			}
			c.contact(err)
		}
		c.log.Info("telegram webhook mode")
		<-ctx.Done()
		return nil
	}
	c.log.Info("telegram long polling")
	c.poll(ctx)
	return nil
}

// Exclusive reports that long polling must run in one process at a time; in
// webhook mode every replica takes the updates its load balancer hands it.
func (c *Channel) Exclusive() bool { return c.cfg.WebhookSecret == "" }

// SetWebhook asks the Bot API to post updates to url with the configured secret.
func (c *Channel) SetWebhook(ctx context.Context, url string) error {
	_, err := c.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            url,
		SecretToken:    c.cfg.WebhookSecret,
		AllowedUpdates: allowedUpdates,
	})
	return mapError(err)
}

// WebhookHandler serves POST /telegram/webhook. Requests without the configured
// secret token get 401 and change nothing; with no secret configured every
// request is refused (webhook mode is off). A body that is not an update (bad
// JSON, no update_id, over 1 MiB) gets 400; an update of a kind Talaash does
// not use gets 200 at once. Any other update waits for its chat's earlier
// updates, is turned, and gets 200 once the turn has committed; its replies
// follow. When the turn could not be taken the answer is 5xx, and the Bot API
// posts the update again.
func (c *Channel) WebhookHandler() http.Handler {
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
		c.contact(nil)
		upd, err := readUpdate(w, r)
		if err != nil {
			c.log.Warn("telegram webhook body refused", "error", talaash.ErrorMessage(err))
			http.Error(w, talaash.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		chat, ok := chatOf(upd)
		if !ok {
			w.WriteHeader(http.StatusOK) // a kind Talaash does not use: nothing to keep
			return
		}
		t := c.lines.enqueue(chat, upd.ID)
		if err := c.lines.wait(r.Context(), t); err != nil {
			// The Bot API gave up waiting; it posts the update again.
			c.log.Info("telegram update abandoned while waiting for its chat", "update", upd.ID)
			http.Error(w, "gave up waiting", http.StatusServiceUnavailable)
			return
		}
		defer c.lines.done(t)
		// The turn is finished even if the request goes away meanwhile: a
		// repeat of the update is then answered from the store.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), turnTimeout)
		defer cancel()
		in, outs, err := c.handle(ctx, upd)
		if err != nil {
			status := http.StatusInternalServerError
			if talaash.ErrorCode(err) == talaash.EINVALID {
				status = http.StatusBadRequest
			}
			http.Error(w, "update not taken", status)
			return
		}
		// The replies go before the 200: should the process die while
		// sending them, Telegram, having no 200, posts the update again, and
		// the core answers it from the store with the same replies, which
		// are sent again; a 200 first would lose them with no trace. The
		// empty answer has a length, so it is complete when written.
		c.reply(ctx, upd, in, outs)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	})
}

// readUpdate reads a webhook body, at most maxUpdate bytes, as one update
// with an update_id.
func readUpdate(w http.ResponseWriter, r *http.Request) (*models.Update, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdate))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, talaash.Errorf(talaash.EINVALID, "update over %d bytes", maxUpdate)
		}
		return nil, talaash.Errorf(talaash.EINVALID, "cannot read the body")
	}
	var head struct {
		ID *int64 `json:"update_id"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "body is not JSON")
	}
	if head.ID == nil || *head.ID <= 0 {
		return nil, talaash.Errorf(talaash.EINVALID, "no update_id")
	}
	var upd models.Update
	if err := json.Unmarshal(body, &upd); err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "not a Bot API update")
	}
	return &upd, nil
}

// libError logs the library's own errors. Some of them quote a payload, which
// may hold a person's words or number, so those are reduced to their kind.
func (c *Channel) libError(err error) {
	msg := err.Error()
	if strings.Contains(msg, "decode") || strings.Contains(msg, "body") {
		msg = "could not read a Bot API payload"
	}
	c.log.Warn("telegram library", "error", c.redact(msg))
}

// handle gives an update to the core; when it returns without error the turn
// has committed and outs are its replies.
func (c *Channel) handle(ctx context.Context, upd *models.Update) (talaash.Inbound, []talaash.Outbound, error) {
	in, ok := Inbound(upd, time.Now())
	if !ok {
		return in, nil, nil
	}
	outs, err := c.h.Handle(ctx, in)
	if err != nil {
		c.log.Error("handle update", "update", in.ID, "code", talaash.ErrorCode(err), "error", talaash.ErrorMessage(err))
	}
	return in, outs, err
}

// reply answers a pressed button and sends a committed turn's replies in
// order. The chat is still held, so the next turn's replies come after.
func (c *Channel) reply(ctx context.Context, upd *models.Update, in talaash.Inbound, outs []talaash.Outbound) {
	if upd.CallbackQuery != nil {
		// Stops the button's spinner; the answer itself comes as a message.
		if _, err := c.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: upd.CallbackQuery.ID}); err != nil {
			c.log.Warn("answer callback", "update", in.ID, "code", talaash.ErrorCode(mapError(err)))
		}
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
