package twilio

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"talaash"
)

// sendTimeout bounds one Messages API call when the context has no deadline.
const sendTimeout = 15 * time.Second

// defaultRetryAfter is the wait suggested for a throttled send when Twilio
// does not say: Twilio queues per number, so a short pause is enough.
const defaultRetryAfter = 2 * time.Second

// Send delivers m through the Messages API from TWILIO_FROM (whatsapp:FROM for
// channel "whatsapp") and returns the message SID. Text goes as is: on SMS the
// core has already rendered choices as numbered lines. Errors are coded
// ESTOPPED (the number unsubscribed), ETHROTTLED, EINVALID (a number or body
// Twilio can never take) or EFAILED (worth retrying).
func (c *Channel) Send(ctx context.Context, m talaash.Outbound) (string, error) {
	ch := m.Channel
	if ch == "" {
		ch = talaash.ChannelSMS
	}
	if ch != talaash.ChannelSMS && ch != talaash.ChannelWhatsApp {
		return "", talaash.Errorf(talaash.EINVALID, "sms: cannot send on channel %q", ch)
	}
	var media []string
	if ch == talaash.ChannelWhatsApp {
		media = mediaURLs(m.Photos)
	}
	if strings.TrimSpace(m.Text) == "" && len(media) == 0 {
		return "", talaash.Errorf(talaash.EINVALID, "sms: empty message")
	}
	if n := utf8.RuneCountInString(m.Text); n > MaxBody {
		return "", talaash.Errorf(talaash.EINVALID, "sms: message of %d characters is over Twilio's %d", n, MaxBody)
	}
	to, err := talaash.NormalizePhone(m.To)
	if err != nil {
		return "", talaash.Errorf(talaash.EINVALID, "sms: recipient %s is not a phone number", talaash.MaskPhone(m.To))
	}

	params := &openapi.CreateMessageParams{}
	params.SetTo(wire(ch, to))
	params.SetFrom(wire(ch, c.cfg.From))
	if m.Text != "" {
		params.SetBody(m.Text)
	}
	if len(media) > 0 {
		params.SetMediaUrl(media)
	}
	if c.cfg.PublicURL != "" {
		params.SetStatusCallback(c.cfg.PublicURL + "/twilio/status")
	}

	call := &apiCall{base: c.api, next: c.transport, ctx: ctx}
	msg, err := c.service(call).CreateMessage(params)
	log := c.log.With("channel", ch, "to", talaash.MaskPhone(to))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", talaash.Errorf(talaash.EFAILED, "sms: send interrupted: %v", ctxErr)
		}
		e := mapError(err, call.status, call.retryAfter)
		log.Warn("twilio send failed", "code", e.Code, "err", e.Message)
		return "", e
	}
	if msg == nil || msg.Sid == nil || *msg.Sid == "" {
		return "", talaash.Errorf(talaash.EFAILED, "sms: Twilio accepted the message without a SID")
	}
	log.Debug("sent", "sid", *msg.Sid)
	return *msg.Sid, nil
}

// service builds a Messages API client for one call. twilio-go neither takes a
// context nor lets the API base be set, so each call gets an HTTP client whose
// transport carries the context and sends to TWILIO_API_URL; the connection
// pool underneath is shared.
func (c *Channel) service(call *apiCall) *openapi.ApiService {
	cl := &client.Client{
		Credentials: client.NewCredentials(c.cfg.AccountSID, c.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport: call,
			Timeout:   sendTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		UserAgentExtensions: []string{"talaash"},
	}
	cl.SetAccountSid(c.cfg.AccountSID)
	h := client.NewRequestHandler(cl)
	h.Edge, h.Region = "", "" // the host is ours to choose (TWILIO_API_URL), not the environment's
	return openapi.NewApiService(h)
}

// apiCall is the transport of one API call: it rewrites twilio-go's fixed
// https://api.twilio.com to the configured base, binds the caller's context,
// and remembers the HTTP status and Retry-After, which twilio-go drops when an
// error body is not Twilio's JSON.
type apiCall struct {
	base       *url.URL
	next       http.RoundTripper
	ctx        context.Context
	status     int
	retryAfter time.Duration
}

func (t *apiCall) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := t.ctx
	if ctx == nil {
		ctx = r.Context()
	}
	out := r.Clone(ctx)
	out.URL.Scheme = t.base.Scheme
	out.URL.Host = t.base.Host
	out.URL.Path = strings.TrimSuffix(t.base.Path, "/") + r.URL.Path
	out.URL.RawPath = ""
	out.Host = ""
	resp, err := t.next.RoundTrip(out)
	if resp != nil {
		t.status = resp.StatusCode
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			t.retryAfter = time.Duration(s) * time.Second
		}
	}
	return resp, err
}

// mapError turns a twilio-go error into a talaash error. Twilio's message text
// is left out: it can quote the phone number.
func mapError(err error, status int, retryAfter time.Duration) *talaash.Error {
	code := 0
	var rest *client.TwilioRestError
	var v1 *client.RestErrorV1
	switch {
	case errors.As(err, &rest):
		code = rest.Code
		if rest.Status != 0 {
			status = rest.Status
		}
	case errors.As(err, &v1):
		code = v1.Code
		if v1.HttpStatusCode != 0 {
			status = v1.HttpStatusCode
		}
	}
	e := talaash.Errorf(codeFor(code, status), "sms: Twilio error %d (HTTP %d)", code, status)
	if code == 0 && status == 0 {
		e.Message = "sms: cannot reach Twilio: " + err.Error()
	}
	if e.Code == talaash.ETHROTTLED {
		e.RetryAfter = retryAfter
		if e.RetryAfter <= 0 {
			e.RetryAfter = defaultRetryAfter
		}
	}
	return e
}

// codeFor maps a Twilio error code and HTTP status to a talaash error code.
func codeFor(code, status int) string {
	switch {
	case code == 21610: // the recipient replied STOP to our number
		return talaash.ESTOPPED
	case code == 20429 || code == 14107 || status == http.StatusTooManyRequests:
		return talaash.ETHROTTLED
	case code == 21211 || code == 21614 || // not a valid number, not a mobile
		code == 21617 || // body over 1,600 characters
		code == 30005 || code == 30006: // delivery: unknown number, landline
		return talaash.EINVALID
	default: // 5xx, network, anything else: worth another try later
		return talaash.EFAILED
	}
}
