package twilio

import (
	"log/slog"
	"net/http"
	"strings"

	"talaash"
)

// writeTwiML answers a webhook with one <Message> per reply (none: an empty
// <Response/>, which sends nothing). Replies to the sender need no address;
// a reply the core addresses to another number carries a to attribute.
func writeTwiML(w http.ResponseWriter, in talaash.Inbound, out []talaash.Outbound, log *slog.Logger) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	b.WriteString("\n")
	n := 0
	for _, o := range out {
		ch := o.Channel
		if ch == "" {
			ch = in.Channel
		}
		if ch != talaash.ChannelSMS && ch != talaash.ChannelWhatsApp {
			log.Warn("reply for another channel dropped from TwiML", "channel", ch)
			continue
		}
		var media []string
		if ch == talaash.ChannelWhatsApp {
			media = mediaURLs(o.Photos) // SMS has no MMS in India and photos are police-only
		}
		if strings.TrimSpace(o.Text) == "" && len(media) == 0 {
			continue
		}
		if n == 0 {
			b.WriteString("<Response>")
		}
		n++
		b.WriteString("<Message")
		if o.To != "" && (o.To != in.Sender || ch != in.Channel) {
			b.WriteString(` to="`)
			escapeXML(&b, wire(ch, o.To))
			b.WriteString(`"`)
		}
		b.WriteString(">")
		if len(media) == 0 {
			escapeXML(&b, o.Text)
		} else {
			b.WriteString("<Body>")
			escapeXML(&b, o.Text)
			b.WriteString("</Body>")
			for _, u := range media {
				b.WriteString("<Media>")
				escapeXML(&b, u)
				b.WriteString("</Media>")
			}
		}
		b.WriteString("</Message>")
	}
	if n == 0 {
		b.WriteString("<Response/>")
	} else {
		b.WriteString("</Response>")
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// wire is a number as Twilio addresses it on a channel.
func wire(channel, phone string) string {
	phone = strings.TrimPrefix(phone, "whatsapp:")
	if channel == talaash.ChannelWhatsApp {
		return "whatsapp:" + phone
	}
	return phone
}

// mediaURLs keeps the photos Twilio can fetch: URLs, not other channels' file ids.
func mediaURLs(photos []string) []string {
	var out []string
	for _, p := range photos {
		if strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://") {
			out = append(out, p)
		}
	}
	return out
}

// escapeXML writes s as XML character data, dropping the characters XML 1.0
// cannot carry at all (which would make Twilio reject the whole answer).
func escapeXML(b *strings.Builder, s string) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteRune(r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			// not allowed in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
}
