package talaash

import (
	"context"
	"net/http"
)

// Encoding is how a channel's text travels and is paid for.
type Encoding uint8

const (
	// EncodingFree is any Unicode in one message (chat apps).
	EncodingFree Encoding = iota
	// EncodingSMS is GSM-7 or, with any other character, UCS-2, in paid parts.
	EncodingSMS
)

// Capabilities are what a channel can carry. The core decides by these, never
// by a channel's name.
type Capabilities struct {
	Buttons      bool     // choices as tappable buttons; otherwise "Reply 1 X, 2 Y"
	Encoding     Encoding // EncodingSMS: keep within PartsEn / PartsHi parts
	PartsEn      int      // with EncodingSMS: parts an English (GSM-7) reply may take
	PartsHi      int      // with EncodingSMS: parts a Hindi (UCS-2) reply may take
	Photos       bool     // photos can be sent (police see the children's photos with an alert)
	Location     bool     // people can be asked for a location with a button
	Contact      bool     // people can be asked for a contact card with a button
	Conversation bool     // two-way: people write to us on it (else send only)
	PhoneAddress bool     // addresses are E.164 phone numbers
	Rate         float64  // messages a second overall
	RatePerTo    float64  // messages a second to one recipient
	// Templates: every message must match a registered template (India's
	// DLT rules), so replies are not joined and a question's choices line
	// goes in the question's own template.
	Templates bool
	// Test marks a simulated channel: its records are test records, and its
	// officers hear of test records only.
	Test bool
}

// SMS reports whether replies on the channel are SMS parts.
func (c Capabilities) SMS() bool { return c.Encoding == EncodingSMS }

// ChannelSpec names one channel an adapter serves and what it can carry.
type ChannelSpec struct {
	Name string
	Caps Capabilities
}

// Adapter is one provider's channel package as the program wires it: the
// channels it serves, its HTTP routes, its background work and its sender.
type Adapter interface {
	Sender
	Channels() []ChannelSpec
	Routes(mux *http.ServeMux)
	// Run does the adapter's background work (long polling, say) until ctx
	// ends; an adapter with none returns at once.
	Run(ctx context.Context) error
}

// Exclusive is an Adapter whose background work must run in one process at a
// time: with replicas it runs on the one leading it (Elector). Telegram's
// getUpdates serves one poller per bot and answers a second with a conflict.
type Exclusive interface {
	Exclusive() bool
}
