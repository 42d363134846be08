package kannel

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
)

// MaxParts is how many parts Kannel may split one message into (its
// sendsms-user group needs max-messages at least this).
const MaxParts = 10

// throttledWait is the pause suggested when Kannel's queue is full.
const throttledWait = 5 * time.Second

// Send delivers m through sendsms from KANNEL_FROM and returns the id the
// delivery reports will carry. GSM-7 text goes as it is; anything else as
// UTF-16BE with coding=2 and charset=UTF-16BE, so Kannel recodes nothing.
// Errors are coded ESTOPPED (the number is barred), ETHROTTLED (the queue is
// full), EINVALID (a message or number Kannel can never take, or no DLT
// template) or EFAILED (worth retrying).
func (c *Channel) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	if m.Channel != "" && m.Channel != talaash.ChannelSMS {
		return "", talaash.Errorf(talaash.EINVALID, "kannel: cannot send on channel %q", m.Channel)
	}
	if strings.TrimSpace(m.Text) == "" {
		return "", talaash.Errorf(talaash.EINVALID, "kannel: empty message")
	}
	to, err := talaash.NormalizePhone(m.To)
	if err != nil {
		return "", talaash.Errorf(talaash.EINVALID, "kannel: recipient %s is not a phone number", talaash.MaskPhone(m.To))
	}
	log := c.log.With("to", talaash.MaskPhone(to), "template", m.Template)

	text := m.Text
	form := url.Values{
		"username": {c.cfg.Username},
		"password": {c.cfg.Password},
		"from":     {c.cfg.From},
		"to":       {strings.TrimPrefix(to, "+")},
	}
	if c.cfg.EntityID != "" {
		tid := c.templateID(m.Template)
		if tid == "" {
			// The operator would drop it anyway, and bill the attempt.
			log.Error("SMS not sent: no DLT template registered for this message; add it to TALAASH_DLT_TEMPLATES", "message_id", m.Template)
			return "", talaash.Errorf(talaash.EINVALID, "kannel: no DLT template registered for %q", m.Template)
		}
		text = shortenVars(text, m.Vars)
		form.Set("meta-data", "?smpp?"+url.Values{
			c.cfg.EntityTLV:   {c.cfg.EntityID},
			c.cfg.TemplateTLV: {tid},
		}.Encode())
	}
	if _, _, parts := gsm.Parts(text); parts > MaxParts {
		return "", talaash.Errorf(talaash.EINVALID, "kannel: message of %d parts is over %d", parts, MaxParts)
	}
	if isGSM, _, _ := gsm.Parts(text); isGSM {
		form.Set("text", text)
		if !ascii(text) {
			form.Set("charset", "UTF-8") // £, é, ...: say what the bytes are
		}
	} else {
		form.Set("text", utf16be(text))
		form.Set("coding", "2")
		form.Set("charset", "UTF-16BE")
	}
	if m.Urgent {
		form.Set("priority", "1")
	}
	id := newID()
	if c.cfg.PublicURL != "" {
		form.Set("dlr-mask", strconv.Itoa(c.cfg.DLRMask))
		// %d is the report type, %A the SMSC's answer: Kannel fills them in.
		form.Set("dlr-url", c.cfg.PublicURL+"/kannel/status?id="+id+"&type=%d&secret="+url.QueryEscape(c.cfg.Secret))
	}

	u := *c.send
	if u.RawQuery != "" {
		u.RawQuery += "&" + form.Encode()
	} else {
		u.RawQuery = form.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", talaash.Errorf(talaash.EINVALID, "kannel: %v", err)
	}
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		// The URL carries the password: say only where.
		log.Warn("kannel send failed", "err", "cannot reach sendsms at "+u.Host)
		return "", talaash.Errorf(talaash.EFAILED, "kannel: cannot reach sendsms at %s", u.Host)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	resp.Body.Close()
	if e := mapAnswer(resp.StatusCode, strings.TrimSpace(string(body))); e != nil {
		log.Warn("kannel send refused", "code", e.Code, "err", e.Message)
		return "", e
	}
	c.mu.Lock()
	c.pending[id] = pendingMsg{msg: m, at: c.cfg.Now()}
	c.mu.Unlock()
	log.Debug("sent", "id", id)
	return id, nil
}

// templateID is the registered DLT template of a message, by "lang:id" or
// by the bare id for both languages.
func (c *Channel) templateID(name string) string {
	if name == "" {
		return ""
	}
	if t := c.cfg.Templates[name]; t != "" {
		return t
	}
	if _, id, ok := strings.Cut(name, ":"); ok && !strings.Contains(name, "+") {
		return c.cfg.Templates[id]
	}
	return ""
}

// shortenVars shortens, in text, each value longer than a DLT variable may be,
// a word at a time.
func shortenVars(text string, vars map[string]string) string {
	for _, v := range vars {
		if utf8.RuneCountInString(v) > locales.DLTVarMax {
			text = strings.Replace(text, v, locales.ShortenVar(v, locales.DLTVarMax), 1)
		}
	}
	return text
}

// mapAnswer maps sendsms's answer onto the core's errors; nil when Kannel
// took the message ("0: Accepted for delivery", "3: Queued for later
// delivery" while the SMSC is away: Kannel delivers it later itself).
func mapAnswer(status int, body string) *talaash.Error {
	if status/100 == 2 && (strings.HasPrefix(body, "0:") || strings.HasPrefix(body, "3:")) {
		return nil
	}
	lower := strings.ToLower(body)
	msg := "kannel: sendsms answered " + strconv.Itoa(status) + " " + clip(body, 80)
	switch {
	case strings.Contains(lower, "barred") || strings.Contains(lower, "black-list") || strings.Contains(lower, "denied by white"):
		return talaash.Errorf(talaash.ESTOPPED, "%s", msg)
	case status == http.StatusTooManyRequests || strings.Contains(lower, "queue full") || strings.Contains(lower, "throttl"):
		e := talaash.Errorf(talaash.ETHROTTLED, "%s", msg)
		e.RetryAfter = throttledWait
		return e
	case status == http.StatusBadRequest || strings.Contains(lower, "missing receiver") || strings.Contains(lower, "invalid"):
		return talaash.Errorf(talaash.EINVALID, "%s", msg)
	}
	// Authorization failed, sending failed, 5xx, anything unknown: another
	// try later may go through (Kannel restarted, credentials fixed).
	return talaash.Errorf(talaash.EFAILED, "%s", msg)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// utf16be returns text as UTF-16BE bytes (in a string, for url.Values).
func utf16be(text string) string {
	u := utf16.Encode([]rune(text))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		b[2*i], b[2*i+1] = byte(v>>8), byte(v)
	}
	return string(b)
}

func newID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
