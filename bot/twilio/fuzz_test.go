package twilio

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"talaash"
)

// FuzzInbound: any form Twilio could post, signed as Twilio signs, goes
// through the webhook handler without panic; what reaches the core is one
// message on a Twilio channel with its id, a location on the globe and at
// most ten photos; the answer is TwiML that parses, or a 4xx; and the same
// form with a wrong signature never reaches the core.
func FuzzInbound(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(strings.TrimSpace(string(raw)), "", false)
	}
	for _, s := range []struct{ form, reply string }{
		{"From=%2B919876543210&MessageSid=SM1&Body=21-25", ""},
		{"From=whatsapp%3A%2B919876543210&MessageSid=SM2&Latitude=NaN&Longitude=Inf", ""},
		{"From=%2B919876543210&MessageSid=SM3&NumMedia=99999999999999999999&MediaUrl0=x", ""},
		{"From=%2B919876543210&MessageSid=SM4&NumMedia=-1", "<b>&amp;\"'</b>"},
		{"From=%20&MessageSid=SM5", ""},
		{"From=whatsapp%3A&MessageSid=SM9&Body=hi", ""},
		{"From=whatsapp%3A%20&MessageSid=SM10", ""},
		{"From=%2B919876543210&SmsMessageSid=SM6&Body=" + strings.Repeat("x", 2000), ""},
		{"From=12345&MessageSid=SM7&Body=%E0%A4%A6%E0%A5%87%E0%A4%96%E0%A4%BE", "देखा ]]> <![CDATA["},
		{"%gh&%ij", ""},
		{"From=%2B919876543210&MessageSid=SM8&Latitude=26.4&Longitude=80.3&Latitude=91", ""},
	} {
		f.Add(s.form, s.reply, false)
		f.Add(s.form, s.reply, true)
	}
	f.Fuzz(func(t *testing.T, body, reply string, badSig bool) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // Twilio posts a form; its signature is over the parsed form
		}
		core := &fakeCore{reply: func(in talaash.Inbound) ([]talaash.Outbound, error) {
			if in.Sender == "" {
				// as the core does
				return nil, talaash.Errorf(talaash.EINVALID, "inbound message without channel or sender")
			}
			return []talaash.Outbound{{Channel: in.Channel, To: in.Sender, Text: strings.ToValidUTF8(reply, "") + " ok"}}, nil
		}}
		c := newTestChannel(t, core, nil)
		r := signedRequest("/twilio/sms", form)
		if badSig {
			r.Header.Set("X-Twilio-Signature", "AAAA"+r.Header.Get("X-Twilio-Signature"))
		}
		w := serve(c.InboundHandler(), r)
		if badSig {
			if w.Code != http.StatusForbidden || core.n() != 0 {
				t.Fatalf("wrong signature: %d, %d calls", w.Code, core.n())
			}
			return
		}
		for _, in := range core.calls {
			if (in.Channel != talaash.ChannelSMS && in.Channel != talaash.ChannelWhatsApp) || in.ID == "" || len(in.Photos) > 10 {
				t.Fatalf("inbound %+v", in)
			}
			if l := in.Location; l != nil && !(l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180) {
				t.Fatalf("location %+v", l)
			}
		}
		switch {
		case w.Code == http.StatusOK:
			d := xml.NewDecoder(strings.NewReader(w.Body.String()))
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("TwiML does not parse: %v\n%s", err, w.Body.String())
				}
			}
		case w.Code >= 400 && w.Code < 500:
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	})
}
