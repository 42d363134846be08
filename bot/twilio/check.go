package twilio

import (
	"context"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"talaash"
)

// checkPage is how many of the latest messages to a recipient Sent reads:
// the outbox asks within minutes of the attempt, and a recipient gets a few
// messages a minute at most.
const checkPage = 50

// checkSkew is how much earlier than the attempt a message Twilio created may
// be and still count as the attempt's: Twilio's clock and ours differ, and
// Twilio's times are whole seconds.
const checkSkew = 2 * time.Second

// Sent makes Channel an outbox.Checker: it reads, through the Messages API
// (GET Messages.json?To=&From=), the latest messages from TWILIO_FROM to
// m.To and reports the SID of the first whose body is m's text and which
// Twilio created since the attempt began. The outbox asks after a crash
// during a send, so that a message Twilio took is recorded as delivered
// rather than sent again.
//
// The list is filtered by the time Twilio created a message, not by DateSent:
// a message accepted a moment before the crash is still queued and has no
// DateSent yet. Of several matches the earliest is the attempt's, since the
// outbox sends one recipient's items in order and the unfinished one first.
// A message of photos only (no text) cannot be told apart: not found, it is
// sent again.
func (c *Channel) Sent(ctx context.Context, m talaash.Outbound, since time.Time) (string, bool, error) {
	ch := m.Channel
	if ch == "" {
		ch = talaash.ChannelSMS
	}
	to, err := talaash.NormalizePhone(m.To)
	if err != nil || m.Text == "" || (ch != talaash.ChannelSMS && ch != talaash.ChannelWhatsApp) {
		return "", false, nil
	}
	params := &openapi.ListMessageParams{}
	params.SetTo(wire(ch, to))
	params.SetFrom(wire(ch, c.cfg.From))
	params.SetPageSize(checkPage)
	params.SetLimit(checkPage)
	call := &apiCall{base: c.api, next: c.transport, ctx: ctx}
	msgs, err := c.service(call).ListMessage(params)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return "", false, talaash.Errorf(talaash.EFAILED, "sms: check interrupted: %v", ctxErr)
		}
		return "", false, mapError(err, call.status, call.retryAfter)
	}
	var (
		sid   string
		first time.Time
	)
	for _, msg := range msgs {
		if msg.Sid == nil || msg.Body == nil || *msg.Body != m.Text || msg.DateCreated == nil {
			continue
		}
		at, err := time.Parse(time.RFC1123Z, *msg.DateCreated)
		if err != nil || at.Before(since.Add(-checkSkew)) {
			continue
		}
		if sid == "" || at.Before(first) {
			sid, first = *msg.Sid, at
		}
	}
	c.log.Debug("checked an unfinished send", "channel", ch, "to", talaash.MaskPhone(to), "found", sid != "")
	return sid, sid != "", nil
}
