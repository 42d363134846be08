// Package twilio is the SMS and WhatsApp adapter over Twilio. It turns Twilio's
// signed webhooks into talaash.Inbound messages for the core and the core's
// replies into TwiML, and sends messages outside a reply through the Messages
// API. Beyond translating payloads and errors it only protects the service:
// signatures, body size and a per-sender rate limit.
package twilio

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twilio/twilio-go/client"

	"talaash"
	"talaash/render"
)

// Config configures a Channel. AccountSID, AuthToken and From are required.
type Config struct {
	AccountSID, AuthToken, From string // TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM
	APIURL                      string // TWILIO_API_URL, default https://api.twilio.com
	PublicURL                   string // TALAASH_PUBLIC_URL: signatures are checked against PublicURL + request path + query
	PerMinute                   int    // inbound messages per sender per minute before the notice (default 20; < 0: none here, the core limits)
	Now                         func() time.Time
	// OnStatus receives the delivery reports on POST /twilio/status; nil
	// drops them (failures are logged either way).
	OnStatus func(ctx context.Context, st Status)
	// Logger receives the adapter's logs; nil discards them. Phone numbers
	// reach it masked, names and message text not at all.
	Logger *slog.Logger
}

// SMS and WhatsApp are the channels the adapter serves and what they carry.
// SMS: GSM-7 or UCS-2 in paid parts, so an English reply keeps to one GSM-7
// part and a Hindi one to two UCS-2 parts; choices as numbered lines; a long
// code sends about one a second. WhatsApp: any Unicode, but plain text with
// no buttons; addresses of both are phone numbers.
var (
	SMS = talaash.ChannelSpec{Name: talaash.ChannelSMS, Caps: talaash.Capabilities{
		Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2,
		Conversation: true, PhoneAddress: true, Rate: 1, RatePerTo: 1,
	}}
	WhatsApp = talaash.ChannelSpec{Name: talaash.ChannelWhatsApp, Caps: talaash.Capabilities{
		Conversation: true, PhoneAddress: true, Rate: 20, RatePerTo: 1,
	}}
)

// DefaultAPIURL is Twilio's REST base.
const DefaultAPIURL = "https://api.twilio.com"

// MaxBody is the longest body, in characters, the adapter accepts or sends:
// Twilio's own limit for one message.
const MaxBody = 1600

// maxRequest bounds a webhook request before it is read: a full
// 1,600-character Devanagari body is about 15 KB form-encoded (9 bytes a
// letter), ten media URLs and the other fields a few KB more.
const maxRequest = 64 << 10

// Locale message ids of the adapter's own notices (locales/sms.*.toml).
const (
	MsgTooLong     = "sms.too_long"
	MsgRateLimited = "sms.rate_limited"
)

// Channel is the Twilio adapter: webhook handlers and a talaash.Sender; it
// implements talaash.Adapter.
type Channel struct {
	cfg       Config
	api       *url.URL
	validator client.RequestValidator
	handler   atomic.Pointer[handlerBox]
	limit     *limiter
	transport http.RoundTripper
	log       *slog.Logger
}

type handlerBox struct{ h talaash.Handler }

var alnum = func(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// New returns a Channel delivering inbound messages to h. h may be nil when the
// core is built after the channel (it needs the channel as its Sender); set it
// with SetHandler before serving.
func New(cfg Config, h talaash.Handler) (*Channel, error) {
	// twilio-go refuses credentials with other characters at every request;
	// saying so at start-up is kinder than failing every send.
	if !alnum(cfg.AccountSID) || !alnum(cfg.AuthToken) {
		return nil, talaash.Errorf(talaash.EINVALID, "sms: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set (letters and digits)")
	}
	if strings.TrimSpace(strings.TrimPrefix(cfg.From, "whatsapp:")) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "sms: TWILIO_FROM must be set")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	api, err := url.Parse(cfg.APIURL)
	if err != nil || (api.Scheme != "http" && api.Scheme != "https") || api.Host == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "sms: TWILIO_API_URL %q is not an http(s) URL", cfg.APIURL)
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.PublicURL != "" {
		if u, err := url.Parse(cfg.PublicURL); err != nil || u.Host == "" {
			return nil, talaash.Errorf(talaash.EINVALID, "sms: TALAASH_PUBLIC_URL %q is not a URL", cfg.PublicURL)
		}
	}
	if cfg.PerMinute == 0 {
		cfg.PerMinute = 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Channel{
		cfg:       cfg,
		api:       api,
		validator: client.NewRequestValidator(cfg.AuthToken),
		limit:     newLimiter(cfg.PerMinute), // nil when cfg.PerMinute < 0
		transport: http.DefaultTransport.(*http.Transport).Clone(),
		log:       logger(cfg.Logger).With("adapter", "twilio"),
	}
	c.SetHandler(h)
	return c, nil
}

// logger is l, or one that discards when none is given: the adapter never
// writes to the process's default logger.
func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Channels are SMS and WhatsApp.
func (c *Channel) Channels() []talaash.ChannelSpec { return []talaash.ChannelSpec{SMS, WhatsApp} }

// Routes adds the inbound webhook (POST /twilio/sms) and the delivery reports
// (POST /twilio/status).
func (c *Channel) Routes(mux *http.ServeMux) {
	mux.Handle("POST /twilio/sms", c.InboundHandler())
	mux.Handle("POST /twilio/status", c.StatusHandler(c.cfg.OnStatus))
}

// Run returns at once: Twilio calls us, there is nothing to poll.
func (c *Channel) Run(context.Context) error { return nil }

// Health reports whether the channel can take webhooks: Twilio calls us, so
// being configured is all there is, and without a public URL no signature
// can be checked.
func (c *Channel) Health(context.Context) error {
	if c.cfg.PublicURL == "" {
		return talaash.Errorf(talaash.EINVALID, "no public URL: every webhook is refused")
	}
	return nil
}

// SetHandler sets the core that inbound messages go to.
func (c *Channel) SetHandler(h talaash.Handler) { c.handler.Store(&handlerBox{h}) }

// InboundHandler serves POST /twilio/sms: Twilio's webhook for incoming SMS and
// WhatsApp messages, answered with TwiML.
func (c *Channel) InboundHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := c.verify(w, r)
		if !ok {
			return
		}
		now := c.cfg.Now()
		in, err := parseInbound(form, now)
		if err != nil {
			c.log.Warn("twilio inbound refused", "err", talaash.ErrorMessage(err))
			http.Error(w, "bad From or missing MessageSid", http.StatusBadRequest)
			return
		}
		log := c.log.With("channel", in.Channel, "from", talaash.MaskPhone(in.Sender), "sid", in.ID)
		lang := scriptLang(in.Text)

		switch c.limit.allow(in.Sender, in.ID, now) {
		case limitNotify:
			log.Warn("sender over the per-minute limit: notice sent, further messages ignored")
			c.writeNotice(w, in, lang, MsgRateLimited, map[string]any{"PerMinute": c.cfg.PerMinute})
			return
		case limitDrop:
			writeTwiML(w, in, nil, log)
			return
		}
		if utf8.RuneCountInString(in.Text) > MaxBody {
			log.Info("body too long, refused", "chars", utf8.RuneCountInString(in.Text))
			c.writeNotice(w, in, lang, MsgTooLong, map[string]any{"Max": MaxBody})
			return
		}

		box := c.handler.Load()
		if box == nil || box.h == nil {
			log.Error("no handler set")
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		start := time.Now()
		out, err := box.h.Handle(r.Context(), in)
		if err != nil {
			// No reply rather than a guess: Twilio logs the failure and the
			// person can write again; the core decides what a person is told.
			log.Error("handler failed", "code", talaash.ErrorCode(err), "err", talaash.ErrorMessage(err))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		log.Debug("inbound handled", "replies", len(out), "took", time.Since(start))
		writeTwiML(w, in, out, log)
	})
}

// Status is a delivery report Twilio posts to the status callback.
type Status struct {
	MessageSid    string
	MessageStatus string // queued, sent, delivered, undelivered, failed, read, ...
	ErrorCode     string // Twilio's numeric code as sent, "" when none
	To            string // E.164, without the whatsapp: prefix
	Channel       string // sms | whatsapp
}

// Failed reports whether the message will not arrive.
func (s Status) Failed() bool { return s.MessageStatus == "failed" || s.MessageStatus == "undelivered" }

// Code maps a failed delivery to a talaash error code (ESTOPPED for a number
// that unsubscribed, EINVALID for one that cannot take SMS, else EFAILED);
// "" when the message did not fail.
func (s Status) Code() string {
	if !s.Failed() {
		return ""
	}
	n, _ := strconv.Atoi(s.ErrorCode)
	return codeFor(n, 0)
}

// StatusHandler serves POST /twilio/status: signed delivery reports, handed to
// fn (which may be nil) and answered 204.
func (c *Channel) StatusHandler(fn func(ctx context.Context, st Status)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := c.verify(w, r)
		if !ok {
			return
		}
		st := Status{
			MessageSid:    form.Get("MessageSid"),
			MessageStatus: form.Get("MessageStatus"),
			ErrorCode:     form.Get("ErrorCode"),
			Channel:       talaash.ChannelSMS,
		}
		if st.MessageStatus == "" {
			st.MessageStatus = form.Get("SmsStatus") // older callbacks
		}
		if st.MessageSid == "" {
			st.MessageSid = form.Get("SmsSid")
		}
		st.To, st.Channel = address(form.Get("To"))
		if st.MessageSid == "" || st.MessageStatus == "" {
			http.Error(w, "missing MessageSid or MessageStatus", http.StatusBadRequest)
			return
		}
		if st.Failed() {
			c.log.Warn("delivery failed", "sid", st.MessageSid, "to", talaash.MaskPhone(st.To), "status", st.MessageStatus, "twilio_code", st.ErrorCode)
		}
		if fn != nil {
			fn(r.Context(), st)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// verify reads the form body and checks X-Twilio-Signature against the public
// URL Twilio called. It answers the request itself when it returns false.
func (c *Channel) verify(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := readBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read body", http.StatusBadRequest)
		}
		return nil, false
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if c.cfg.PublicURL == "" || sig == "" || !c.validator.ValidateBody(c.signedURL(r), body, sig) {
		// Unauthenticated requests change nothing, and say nothing of why.
		c.log.Warn("twilio webhook signature rejected", "path", r.URL.Path, "signed", sig != "", "public_url_set", c.cfg.PublicURL != "")
		http.Error(w, "forbidden", http.StatusForbidden)
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	return form, true
}

// signedURL is the URL Twilio was configured with: the public base plus the
// path and query this request arrived on.
func (c *Channel) signedURL(r *http.Request) string {
	u := c.cfg.PublicURL + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
	defer r.Body.Close()
	return io.ReadAll(r.Body)
}

// address splits a Twilio address into an E.164 number and its channel.
// Addresses that are not phone numbers (short codes, sender ids) are kept as
// they came; inbound messages from them are refused by parseInbound.
func address(a string) (phone, channel string) {
	channel = talaash.ChannelSMS
	if rest, ok := strings.CutPrefix(a, "whatsapp:"); ok {
		a, channel = rest, talaash.ChannelWhatsApp
	}
	a = strings.TrimSpace(a)
	if p, err := talaash.NormalizePhone(a); err == nil {
		return p, channel
	}
	return a, channel
}

// parseInbound translates Twilio's webhook form into an Inbound.
func parseInbound(form url.Values, now time.Time) (talaash.Inbound, error) {
	from, sid := form.Get("From"), form.Get("MessageSid")
	if sid == "" {
		sid = form.Get("SmsMessageSid")
	}
	if strings.TrimSpace(from) == "" || sid == "" {
		return talaash.Inbound{}, talaash.Errorf(talaash.EINVALID, "From and MessageSid are required")
	}
	in := talaash.Inbound{ID: sid, Text: form.Get("Body"), At: now, Name: form.Get("ProfileName")}
	in.Sender, in.Channel = address(from)
	// The core keys sessions, police rosters and replies by phone number: a
	// sender that is none ("whatsapp:" alone, a short code) cannot be answered.
	if _, err := talaash.NormalizePhone(in.Sender); err != nil {
		return talaash.Inbound{}, talaash.Errorf(talaash.EINVALID, "From is not a phone number")
	}
	n, _ := strconv.Atoi(form.Get("NumMedia"))
	for i := 0; i < n && i < 10; i++ { // Twilio sends at most 10
		u := form.Get("MediaUrl" + strconv.Itoa(i))
		ct := form.Get("MediaContentType" + strconv.Itoa(i))
		// Voice notes and documents are not photos of a child.
		if u != "" && (ct == "" || strings.HasPrefix(ct, "image/")) {
			in.Photos = append(in.Photos, u)
		}
	}
	// WhatsApp shares a location as coordinates on the same webhook.
	if lat, err1 := strconv.ParseFloat(form.Get("Latitude"), 64); err1 == nil {
		if lon, err2 := strconv.ParseFloat(form.Get("Longitude"), 64); err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
			in.Location = &talaash.Location{Lat: lat, Lon: lon}
		}
	}
	return in, nil
}

// scriptLang picks the language of an adapter notice from the script of what
// the person wrote: any Devanagari means Hindi.
func scriptLang(text string) string {
	if talaash.Devanagari(text) {
		return "hi"
	}
	return "en"
}

func (c *Channel) writeNotice(w http.ResponseWriter, in talaash.Inbound, lang, id string, data map[string]any) {
	caps := SMS.Caps
	if in.Channel == talaash.ChannelWhatsApp {
		caps = WhatsApp.Caps
	}
	writeTwiML(w, in, []talaash.Outbound{{Channel: in.Channel, To: in.Sender, Text: render.Text(caps, lang, id, data)}}, c.log)
}
