package twilio

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"talaash/bot/twilio/twiliotest"
)

// endless is a request body that never ends, counting what was read of it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestFormLimitedBeforeRead(t *testing.T) {
	core := &fakeCore{}
	c := newTestChannel(t, core, nil)
	for _, path := range []string{"/twilio/sms", "/twilio/status"} {
		body := &endless{}
		r := httptest.NewRequest(http.MethodPost, path, body)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Twilio-Signature", "c2lnbmF0dXJl")
		mux := http.NewServeMux()
		c.Routes(mux)
		w := serve(mux, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", path, w.Code)
		}
		if body.n > 2*maxRequest {
			t.Errorf("%s: read %d bytes of an endless body, want about %d", path, body.n, maxRequest)
		}
	}
	if core.n() != 0 {
		t.Fatalf("an oversized form reached the core")
	}
	// Just within the limit is read and handled.
	form := fixture(t, "sms_receive.txt")
	form.Set("Padding", strings.Repeat("x", maxRequest-len(form.Encode())-len("&Padding=")))
	if n := len(form.Encode()); n != maxRequest {
		t.Fatalf("form of %d bytes, want %d", n, maxRequest)
	}
	if w := serve(c.InboundHandler(), signedRequest("/twilio/sms", form)); w.Code != 200 || core.n() != 1 {
		t.Fatalf("a form of exactly %d bytes: status %d, core calls %d", maxRequest, w.Code, core.n())
	}
}

// TestLogsThroughGivenLogger: the adapter writes to the logger it is given,
// never to the process's default one, and what it writes carries no phone
// number, name or message text in clear.
func TestLogsThroughGivenLogger(t *testing.T) {
	var given, dflt bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&dflt, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	lg := slog.New(slog.NewTextHandler(&given, &slog.HandlerOptions{Level: slog.LevelDebug}))

	core := &fakeCore{}
	c := newTestChannel(t, core, func(cfg *Config) { cfg.Logger = lg; cfg.PerMinute = 1 })
	for _, fix := range []string{"sms_receive.txt", "whatsapp_empty_from.txt", "sms_from_sender_id.txt"} {
		serve(c.InboundHandler(), signedRequest("/twilio/sms", fixture(t, fix)))
	}
	// Over the per-minute limit, a bad signature, a failed delivery report.
	form := fixture(t, "whatsapp_receive.txt")
	form.Set("MessageSid", "SMother")
	serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
	serve(c.InboundHandler(), signedRequest("/twilio/sms", form))
	bad := signedRequest("/twilio/sms", form)
	bad.Header.Set("X-Twilio-Signature", twiliotest.Sign("0ther7oken", testPublic+"/twilio/sms", form))
	serve(c.InboundHandler(), bad)
	serve(c.StatusHandler(nil), signedRequest("/twilio/status", fixture(t, "status_failed_unsubscribed.txt")))

	if dflt.Len() != 0 {
		t.Errorf("the default logger was written to:\n%s", dflt.String())
	}
	logs := given.String()
	for _, want := range []string{"signature rejected", "delivery failed", "twilio inbound refused", "per-minute limit"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"9876543210", "Ramesh", "madad", "SEEN girl", "VM-KNPPOL", "OTP"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs carry %q in clear:\n%s", secret, logs)
		}
	}
}
