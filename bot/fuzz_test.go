package bot_test

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot"
	"talaash/cases"
	"talaash/match"
	"talaash/police"
)

// FuzzTurn: whatever a person sends, in whatever order, the core wired as
// served (matching, the matcher's reader, the desk) never answers with the
// apology that asks them to send it again: that apology is for a failing
// disk, which sending again can cure, not for an input, which it cannot.
func FuzzTurn(f *testing.F) {
	for _, s := range []struct {
		a, b, c string
		ch      uint8
	}{
		{"seen boy 21-25 years red shirt at Kanpur Central", "Kanpur Central", "8", 1},
		{"seen boy 8-NaN saal at station", "NaN", "16-22", 0},
		{"SEEN", "2", "21-25", 1},
		{"REPORT", "Ravi", "25", 0},
		{"/found", "skip", "40-50", 0},
		{"I am lost", "Ravi", "-3", 1},
		{"देखा लड़का २१-२५ साल स्टेशन पर", "१e९", "Infinity", 1},
		{"seen girl 99999999999999999999 years 31/02 99:99pm", "1e308 cm", "+91 00000 00000", 0},
		{"saw a crying girl about 5 at Moti Jheel, she is hurt", "yes", "STATUS", 2},
		{"मैं खो गया हूँ", "रवि", "सात", 1},
	} {
		f.Add(s.a, s.b, s.c, s.ch)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	mt, err := match.New(match.Options{})
	if err != nil {
		f.Fatal(err)
	}
	sorry := []*regexp.Regexp{}
	for _, lang := range []string{"en", "hi"} {
		for _, sms := range []bool{false, true} {
			sorry = append(sorry, regexp.MustCompile(`(?s)`+pattern(lang, "core.sorry", sms)))
		}
	}
	f.Fuzz(func(t *testing.T, a, b, c string, ch uint8) {
		// A turn must also be quick: an input that stalls the core is a
		// failure too, and a panic here names it.
		slow := time.AfterFunc(time.Minute, func() { panic(fmt.Sprintf("turns stalled on %q %q %q", a, b, c)) })
		defer slow.Stop()
		e := newEnv(t, bot.Config{PoliceTelegram: []string{"7"}})
		cs := &cases.Service{Matcher: mt, Decide: match.Decide}
		al := &alerts.Service{Cases: cs, Roster: police.New([]string{"7"}, nil, talaash.Known().PhoneChannels(), quiet),
			Now: func() time.Time { return e.now }, Log: quiet}
		cs.OnAlert = al.OnAlert
		e.opts = []bot.Option{bot.WithLogger(quiet), bot.WithRoster(al.Roster),
			bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error { return cs.Save(tx, r, true) }),
			bot.WithExtract(mt.Extract)}
		e.restart()
		channel, sender := talaash.ChannelTelegram, "7" // an officer, so /found is open too
		switch ch % 3 {
		case 1:
			channel, sender = talaash.ChannelSMS, "+919812345678"
		case 2:
			channel, sender = talaash.ChannelWhatsApp, "+919812345679"
		}
		for _, text := range []string{a, b, c, b, "Kanpur Central", "yes", "confirm"} {
			for _, o := range e.send(channel, sender, msg{text: text}) {
				for _, re := range sorry {
					if re.MatchString(o.Text) {
						t.Fatalf("%q after %q %q %q on %s: the turn failed", text, a, b, c, channel)
					}
				}
			}
		}
	})
}
