package dialog

import (
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/locales"
)

// FuzzStep feeds random text, emoji, control characters, huge messages and
// random callbacks into every state: Step must never panic, always answer,
// keep the session serialisable and keep callback data within 64 bytes.
func FuzzStep(f *testing.F) {
	seeds := []struct {
		text, cb string
		state    uint8
		ch       uint8
	}{
		{"", "", 0, 0}, {"/start", "", 0, 0}, {"8", "", 3, 1}, {"😀😀😀", "", 5, 0}, {"\x00\x01\x1b[31m", "", 7, 1},
		{strings.Repeat("लड़की ", 2000), "", 9, 1}, {strings.Repeat("a", 10000), "", 12, 0}, {"", strings.Repeat("x", 100), 4, 0},
		{"", "edit:nonsense", 13, 0}, {"", "safe:🙂", 20, 1}, {"YES", "", 14, 1}, {"/close K-1 " + strings.Repeat("z", 500), "", 2, 0},
		{"seen girl 6 at 😀", "", 2, 1}, {"\xff\xfe broken utf8", "", 6, 1}, {"99999999999999999999", "", 3, 1},
		{"8-", "", 3, 0}, {"1e308 saal", "", 3, 0}, {"31/02/99999 99:99pm", "", 9, 0}, {"4'99\"", "", 5, 0},
		{"", "lang:xx", 1, 0}, {"0", "", 10, 1}, {"मैं खो गया हूँ", "", 30, 1}, {"\u200d\u093c\u0901", "", 3, 0},
		// Ages that once rolled a turn back, or that are no child's.
		{"21-25", "", 7, 1}, {"NaN", "", 7, 0}, {"16-22", "", 7, 2}, {"-3", "", 7, 1}, {"1e9", "", 7, 0}, {"Infinity", "", 7, 0},
		{"21A", "", 7, 1}, {"8-99999999999999999999", "", 7, 0}, {"seen boy 8-NaN saal at station", "", 0, 1},
		{"seen boy 21-25 years at station", "", 2, 1}, {"99999999999999999999 cm", "", 9, 0}, {"1e308 feet", "", 9, 0},
		{"99999999999999999999 days ago", "", 16, 1}, {"31/12/99999 5pm", "", 16, 0}, {"+91 00000 00000", "", 20, 1},
		{"", "confirm", 24, 0}, {"", "edit:age", 24, 1}, {"yes", "", 24, 1},
	}
	for _, s := range seeds {
		f.Add(s.text, s.cb, s.state, s.ch)
	}
	states := States()
	channels := []string{talaash.ChannelTelegram, talaash.ChannelSMS, talaash.ChannelWhatsApp}
	f.Fuzz(func(t *testing.T, text, cb string, state, ch uint8) {
		s := NewSession(channels[int(ch)%len(channels)], "+919812345678")
		s.State = states[int(state)%len(states)]
		s.Lang = []string{"", "en", "hi"}[int(state)%3]
		if flowOf(s.State) != "" {
			s.Draft = &talaash.Record{Kind: talaash.KindMissing}
		}
		s.Offered = []Choice{{ID: "choice.skip", Data: "skip"}, {ID: "gender.male", Data: "g:male"}}
		now := t0
		for i := 0; i < 3; i++ {
			in := talaash.Inbound{Channel: s.Channel, Sender: s.Sender, Text: text, Callback: cb}
			if i == 1 {
				in.Callback = ""
				in.Location = &talaash.Location{Lat: float64(state) - 100, Lon: float64(ch)}
			}
			env := envOn(s.Channel, now)
			env.Police = ch%2 == 0
			res := Step(s, in, env)
			if len(res.Replies) == 0 && len(res.Actions) == 0 {
				t.Fatalf("no reply to %q / %q in %q", text, cb, s.State)
			}
			for _, r := range res.Replies {
				if !locales.Has("en", r.ID) {
					t.Fatalf("unknown reply id %q", r.ID)
				}
				for _, c := range r.Choices {
					if len(c.Data) > 64 {
						t.Fatalf("callback data too long: %q", c.Data)
					}
				}
			}
			if res.Save != nil {
				if !res.Save.Kind.Valid() || len(res.Save.Text) > 4*1000 || len(res.Save.Clothes) > 4*maxField {
					t.Fatalf("bad record %+v", res.Save)
				}
				if err := validCopy(res.Save); err != nil {
					t.Fatalf("record to save refused: %v (%+v)", err, res.Save)
				}
				s.Saved("K-1-1")
			}
			b, err := s.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if s, err = Unmarshal(b); err != nil {
				t.Fatal(err)
			}
			now = now.Add(13 * time.Hour)
		}
	})
}

// TestStepNeverPanics drives a session through random turns quickly: the
// session-level complement of FuzzStep, running every time.
func TestStepRecoversFromBadSession(t *testing.T) {
	s := &Session{Channel: talaash.ChannelSMS, Sender: "+919812345678", State: "no.such.state", Lang: "hi"}
	res := Step(s, talaash.Inbound{Text: "8"}, envOn(s.Channel, t0))
	if len(res.Replies) == 0 {
		t.Fatal("no reply")
	}
	if s.State != StateMenu {
		t.Errorf("state %q after a bad state, want menu", s.State)
	}
	res = Step(nil, talaash.Inbound{Channel: talaash.ChannelSMS, Sender: "+919812345678", Text: "HELP"}, envOn(talaash.ChannelSMS, time.Time{}))
	if len(res.Replies) == 0 || res.Replies[0].ID != "help" {
		t.Errorf("nil session: %+v", res)
	}
}

// BenchmarkStepLongMessage: a 10,000-character message at the menu (the
// worst case the fuzz target feeds) must stay cheap.
func BenchmarkStepLongMessage(b *testing.B) {
	text := strings.Repeat("seen ladki 6 saal gulabi frock station par ", 250)[:10000]
	for b.Loop() {
		s := &Session{Channel: talaash.ChannelSMS, Sender: "+919812345678", State: StateMenu, Lang: "en"}
		Step(s, talaash.Inbound{Text: text}, envOn(s.Channel, t0))
	}
}

// BenchmarkReportTurn: one ordinary answer, session marshalled both ways as the core does.
func BenchmarkReportTurn(b *testing.B) {
	s := &Session{Channel: talaash.ChannelTelegram, Sender: "1", State: "report.age", Lang: "hi", Draft: &talaash.Record{Kind: talaash.KindMissing}}
	buf, _ := s.Marshal()
	for b.Loop() {
		s, _ := Unmarshal(buf)
		Step(s, talaash.Inbound{Text: "आठ साल"}, envOn(s.Channel, t0))
		_, _ = s.Marshal()
	}
}
