// Package kannel is the SMS adapter over Kannel, the SMPP gateway that Indian
// SMS routes need: inbound SMS arrive from smsbox's get-url at
// /kannel/receive, replies and other messages leave through smsbox's sendsms
// API, and delivery reports come back to /kannel/status. Kannel signs nothing,
// so both routes take a shared secret. With a DLT entity id set, every send
// carries its registered template id as SMPP TLVs and a message without one
// is not sent.
package kannel

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"talaash"
	"talaash/locales"
)

// Config configures a Channel. SendURL, Username, Password, From and Secret
// are required.
type Config struct {
	SendURL  string // KANNEL_SENDSMS_URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms
	Username string // KANNEL_USERNAME
	Password string // KANNEL_PASSWORD
	From     string // KANNEL_FROM: the DLT sender header
	Secret   string // KANNEL_SECRET: get-url and dlr-url carry it as secret=
	Keyword  string // KANNEL_KEYWORD: stripped from the front of inbound text
	// PublicURL is the base Kannel calls back on (TALAASH_PUBLIC_URL): the
	// dlr-url is PublicURL + /kannel/status.
	PublicURL string
	// DLRMask is which delivery reports Kannel sends (default 27: delivered,
	// failed, accepted by the SMSC, rejected by the SMSC).
	DLRMask int

	// EntityID (TALAASH_DLT_ENTITY_ID) turns DLT on: every send carries the
	// entity id and the template id from Templates, and a message whose
	// Template has no registered id is refused.
	EntityID  string
	Templates map[string]string // "lang:id" (or "id" for both languages) -> template id
	// EntityTLV and TemplateTLV name the SMPP TLVs of the smsc's smpp-tlv
	// groups that carry them (default PE_ID and TEMPLATE_ID).
	EntityTLV, TemplateTLV string

	// OnStatus, if set, hears every delivery report.
	OnStatus func(ctx context.Context, st Status)
	// Retry, if set, takes a reply that could not be sent now (EFAILED,
	// ETHROTTLED), so it goes later through the outbox; else it is logged
	// and lost, as a lost SMS would be.
	Retry func(ctx context.Context, m talaash.Outbound)

	Client *http.Client // default: a client with a 15 s timeout
	Now    func() time.Time
}

// MaxText is the longest inbound text read, in characters; longer messages
// get the too-long notice. It is what Twilio takes, so both SMS routes treat
// a person alike.
const MaxText = 1600

// maxRequest bounds a get-url request: 1,600 Devanagari characters are about
// 43 KB URL-encoded.
const maxRequest = 256 << 10

// replyTimeout bounds sending one turn's replies.
const replyTimeout = 30 * time.Second

// Message ids of the notices the adapter sends itself (locales/sms.*.toml).
const MsgTooLong = "sms.too_long"

// Channel is the Kannel adapter. It implements talaash.Adapter.
type Channel struct {
	cfg     Config
	send    *url.URL
	handler atomic.Pointer[handlerBox]
	log     *slog.Logger

	mu      sync.Mutex
	replied map[string]time.Time  // inbound ids whose replies went out: a get-url retry sends nothing again
	pending map[string]pendingMsg // our message ids awaiting a final delivery report

	health health // the last probe of sendsms (Health)
}

type handlerBox struct{ h talaash.Handler }

type pendingMsg struct {
	msg talaash.Outbound
	at  time.Time
}

// New returns a Channel handing inbound messages to h. h may be nil when the
// core is built after the channel (it needs the channel as its Sender); set it
// with SetHandler before serving.
func New(cfg Config, h talaash.Handler) (*Channel, error) {
	if cfg.Secret == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "kannel: KANNEL_SECRET must be set: Kannel signs nothing, the secret is all that tells its calls from anyone's")
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "kannel: KANNEL_USERNAME and KANNEL_PASSWORD must be set")
	}
	if strings.TrimSpace(cfg.From) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "kannel: KANNEL_FROM (the DLT sender header) must be set")
	}
	u, err := url.Parse(cfg.SendURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "kannel: KANNEL_SENDSMS_URL %q is not an http(s) URL", cfg.SendURL)
	}
	cfg.PublicURL = strings.TrimSuffix(cfg.PublicURL, "/")
	if cfg.DLRMask <= 0 {
		cfg.DLRMask = 27
	}
	if cfg.EntityTLV == "" {
		cfg.EntityTLV = "PE_ID"
	}
	if cfg.TemplateTLV == "" {
		cfg.TemplateTLV = "TEMPLATE_ID"
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Channel{
		cfg: cfg, send: u,
		log:     slog.Default().With("adapter", "kannel"),
		replied: map[string]time.Time{},
		pending: map[string]pendingMsg{},
	}
	c.SetHandler(h)
	return c, nil
}

// SetHandler sets the core inbound messages go to.
func (c *Channel) SetHandler(h talaash.Handler) { c.handler.Store(&handlerBox{h}) }

// SetLogger sets the logger (default slog.Default()).
func (c *Channel) SetLogger(l *slog.Logger) { c.log = l.With("adapter", "kannel") }

// Caps are what an SMS through Kannel carries: GSM-7 or UCS-2 parts, numbered
// choices, phone numbers as addresses.
var Caps = talaash.Capabilities{
	Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2,
	PhoneAddress: true, Conversation: true, Rate: 10, RatePerTo: 1,
}

// Channels reports the one channel Kannel serves: SMS, taking registered
// templates only when DLT is on (an entity id is set), since every send is
// then refused without one.
func (c *Channel) Channels() []talaash.ChannelSpec {
	caps := Caps
	caps.Templates = c.cfg.EntityID != ""
	return []talaash.ChannelSpec{{Name: talaash.ChannelSMS, Caps: caps}}
}

// Routes adds /kannel/receive (GET and POST, as get-url or post-url call it)
// and GET /kannel/status.
func (c *Channel) Routes(mux *http.ServeMux) {
	mux.Handle("GET /kannel/receive", c.InboundHandler())
	mux.Handle("POST /kannel/receive", c.InboundHandler())
	mux.Handle("GET /kannel/status", c.StatusHandler())
}

// Run checks that sendsms answers, then forgets old dedupe and delivery
// entries hourly until ctx ends.
func (c *Channel) Run(ctx context.Context) error {
	if err := c.Probe(ctx); err != nil {
		// A warning, not a failure: Kannel may start after us, and sends
		// retry through the outbox meanwhile.
		c.log.Warn("kannel sendsms does not answer", "err", talaash.ErrorMessage(err))
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			c.prune(c.cfg.Now())
		}
	}
}

// Probe asks sendsms for nothing (no credentials): any HTTP answer means
// Kannel's smsbox is there.
func (c *Channel) Probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	u := *c.send
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return talaash.Errorf(talaash.EINVALID, "kannel: %v", err)
	}
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		return talaash.Errorf(talaash.EFAILED, "kannel: cannot reach sendsms at %s", u.Host)
	}
	resp.Body.Close()
	return nil
}

// prune forgets replies older than a day (smsbox retries within minutes) and
// messages whose final report never came after two days.
func (c *Channel) prune(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, at := range c.replied {
		if now.Sub(at) > 24*time.Hour {
			delete(c.replied, id)
		}
	}
	for id, p := range c.pending {
		if now.Sub(p.at) > 48*time.Hour {
			delete(c.pending, id)
		}
	}
}

// authorised compares secret= with KANNEL_SECRET in constant time.
func (c *Channel) authorised(form url.Values) bool {
	return subtle.ConstantTimeCompare([]byte(form.Get("secret")), []byte(c.cfg.Secret)) == 1
}

// readForm parses the query and, for POST, the form body, within maxRequest.
// It answers the request itself when it returns false; a wrong secret is
// answered 403 and nothing else happens.
func (c *Channel) readForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	if !c.authorised(r.Form) {
		c.log.Warn("kannel request without the right secret refused", "path", r.URL.Path, "secret_given", r.Form.Get("secret") != "")
		http.Error(w, "forbidden", http.StatusForbidden)
		return nil, false
	}
	return r.Form, true
}

// InboundHandler serves /kannel/receive. The answer is always empty: replies
// go out through sendsms, and the sms-service has max-messages = 0 so Kannel
// never sends a body as an SMS either.
func (c *Channel) InboundHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, ok := c.readForm(w, r)
		if !ok {
			return
		}
		in, err := c.parseInbound(form)
		if err != nil {
			c.log.Warn("kannel inbound refused", "err", talaash.ErrorMessage(err))
			http.Error(w, talaash.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		log := c.log.With("from", talaash.MaskPhone(in.Sender), "id", in.ID)

		var out []talaash.Outbound
		if n := utf8.RuneCountInString(in.Text); n > MaxText {
			log.Info("message too long, refused", "chars", n)
			lang := scriptLang(in.Text)
			out = []talaash.Outbound{{Channel: in.Channel, To: in.Sender,
				Text:     locales.RenderSMS(lang, MsgTooLong, map[string]any{"Max": MaxText}),
				Template: locales.SMSTemplate(lang, MsgTooLong), Vars: map[string]string{"Max": strconv.Itoa(MaxText)}}}
		} else {
			box := c.handler.Load()
			if box == nil || box.h == nil {
				log.Error("no handler set")
				http.Error(w, "not ready", http.StatusServiceUnavailable)
				return
			}
			out, err = box.h.Handle(r.Context(), in)
			if err != nil {
				log.Error("handler failed", "code", talaash.ErrorCode(err), "err", talaash.ErrorMessage(err))
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
		}
		// Checked and marked at once, after the core: of two deliveries of
		// one id, only the first sends.
		c.mu.Lock()
		_, done := c.replied[in.ID]
		if !done {
			c.replied[in.ID] = c.cfg.Now()
		}
		c.mu.Unlock()
		if done {
			// The core answered from its dedupe table; these replies left
			// the first time.
			log.Info("replayed message: replies not sent again")
			w.WriteHeader(http.StatusOK)
			return
		}
		// The turn is committed: its replies go out even if smsbox stops
		// waiting for our answer (its retry would find them sent).
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), replyTimeout)
		defer cancel()
		for _, m := range out {
			if m.To == "" {
				m.To = in.Sender
			}
			if _, err := c.Send(ctx, m); err != nil {
				code := talaash.ErrorCode(err)
				log.Warn("reply not sent", "code", code, "template", m.Template)
				if c.cfg.Retry != nil && (code == talaash.EFAILED || code == talaash.ETHROTTLED) {
					c.cfg.Retry(ctx, m)
				}
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

// parseInbound translates get-url's fields into an Inbound.
func (c *Channel) parseInbound(form url.Values) (talaash.Inbound, error) {
	id, sender := strings.TrimSpace(form.Get("id")), strings.TrimSpace(form.Get("sender"))
	if id == "" || sender == "" {
		return talaash.Inbound{}, talaash.Errorf(talaash.EINVALID, "id and sender are required")
	}
	at := c.cfg.Now()
	if ts := form.Get("ts"); ts != "" {
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || sec <= 0 {
			return talaash.Inbound{}, talaash.Errorf(talaash.EINVALID, "ts is not epoch seconds")
		}
		at = time.Unix(sec, 0).UTC()
	}
	text := decodeText(form.Get("message"), form.Get("coding"), form.Get("charset"))
	return talaash.Inbound{
		Channel: talaash.ChannelSMS,
		Sender:  phone(sender),
		ID:      id,
		Text:    stripKeyword(text, c.cfg.Keyword),
		At:      at,
	}, nil
}

// phone returns an E.164 number for sender; other senders (short codes,
// alphanumeric ids) stay as they came so the core sees one stable sender.
// smsbox gives international numbers without the plus.
func phone(sender string) string {
	if len(sender) > 10 && sender[0] != '+' && sender[0] != '0' {
		if p, err := talaash.NormalizePhone("+" + sender); err == nil {
			return p
		}
	}
	if p, err := talaash.NormalizePhone(sender); err == nil {
		return p
	}
	return sender
}

// decodeText turns %a as smsbox sends it into text. With mo-recode (the
// setting Talaash needs) Hindi arrives as UTF-8 with coding 0; a UCS-2
// message that was not recoded (coding 2, or charset UTF-16BE, with bytes
// that are not UTF-8) is decoded as UTF-16BE.
func decodeText(msg, coding, charset string) string {
	cs := strings.ToUpper(strings.ReplaceAll(charset, "-", ""))
	// UTF-16BE of Latin text is valid UTF-8 too, but people never type NUL.
	raw := !utf8.ValidString(msg) || strings.IndexByte(msg, 0) >= 0
	ucs2 := cs == "UTF16BE" || cs == "UCS2" || (coding == "2" && cs != "UTF8" && raw)
	if ucs2 && len(msg)%2 == 0 {
		u := make([]uint16, len(msg)/2)
		for i := range u {
			u[i] = uint16(msg[2*i])<<8 | uint16(msg[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	if !utf8.ValidString(msg) {
		return strings.ToValidUTF8(msg, "\uFFFD")
	}
	return msg
}

// stripKeyword drops the routing keyword when it is the first word of text
// ("TALASH seen boy", "talash: seen boy").
func stripKeyword(text, keyword string) string {
	if keyword == "" {
		return text
	}
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	if len(t) < len(keyword) || !strings.EqualFold(t[:len(keyword)], keyword) {
		return text
	}
	rest := t[len(keyword):]
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return text // a longer word that starts like the keyword
	}
	return strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// scriptLang picks the language of an adapter notice from the script of what
// the person wrote: any Devanagari means Hindi.
func scriptLang(text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Devanagari, r) {
			return "hi"
		}
	}
	return "en"
}
