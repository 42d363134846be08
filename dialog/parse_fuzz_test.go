package dialog

import (
	"math"
	"strings"
	"testing"
	"time"

	"talaash"
)

// finite reports whether every v is a number, neither NaN nor infinite.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// FuzzParseAge: an age read is finite, within the limits, and a record
// carrying it validates for the kinds that may carry it.
func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"8", "८", "8 saal", "आठ", "about 8", "8-10", "8 se 10 saal", "6 months", "16-22", "21-25",
		"NaN", "nan-8", "8-NaN", "Inf", "-Inf", "+Inf", "1e9", "1e308", "21A", "-3", "−3", "0", "0-0", "0-2", "0 months",
		"99999999999999999999", "8-99999999999999999999", "99999999999999 months", "0.0000001 months", "18.0000000001",
		"१६ से २२ साल", "10 - 8", "8.5.5", "८-", "१e९", "1_000", "0x10", "8 or 9", "8 / 9", "\u200d8", "8\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lo, hi, ok := ParseAge(s)
		if !ok {
			if lo != 0 || hi != 0 {
				t.Fatalf("ParseAge(%q) refused but gave %v-%v", s, lo, hi)
			}
			return
		}
		if !finite(lo, hi) || lo < 0 || lo > hi || lo > MaxAge || hi > talaash.MaxAgeGiven || (lo == hi && lo <= 0) {
			t.Fatalf("ParseAge(%q) = %v-%v", s, lo, hi)
		}
		for _, k := range []talaash.Kind{talaash.KindSighting, talaash.KindFound} {
			r := &talaash.Record{Kind: k, Time: t0}
			setAge(r, lo, hi)
			if err := r.Validate(); err != nil {
				t.Fatalf("ParseAge(%q) = %v-%v, refused for a %s: %v", s, lo, hi, k, err)
			}
		}
		if hi <= MaxAge {
			r := &talaash.Record{Kind: talaash.KindMissing, Time: t0}
			setAge(r, lo, hi)
			if err := r.Validate(); err != nil {
				t.Fatalf("ParseAge(%q) = %v-%v, refused for a report: %v", s, lo, hi, err)
			}
		}
	})
}

// FuzzParseHeight: a height read is finite, 40-200 cm, and validates.
func FuzzParseHeight(f *testing.F) {
	for _, s := range []string{"120", "120 cm", "1.2 m", "4 feet 2 inch", "4'2", "4'2\"", "चार फुट", "4", "1.5", "NaN cm",
		"1e308 cm", "99999999999999999999 feet", "4 feet 99999999999999999999 inch", "-120", "0", "1e9", "Inf m", "4′2″",
		"4 ' 2", "२ मीटर", "3 fut 11 in", "1.99999999999 m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseHeight(s)
		if !ok {
			return
		}
		if !finite(v) || v < 40 || v > 200 {
			t.Fatalf("ParseHeight(%q) = %v", s, v)
		}
		r := &talaash.Record{Kind: talaash.KindMissing, Time: t0, HeightCM: talaash.Num(v)}
		if err := r.Validate(); err != nil {
			t.Fatalf("ParseHeight(%q) = %v refused: %v", s, v, err)
		}
	})
}

// FuzzParseTime: a time read is not in the future and validates.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"now", "today", "yesterday", "aaj", "kal", "आज", "कल", "2 ghante pehle", "3 days ago", "12/06 5pm",
		"12/06/2025", "5 baje", "shaam 5 baje", "raat 2 baje", "31/02", "31/02/2024", "99/99/9999", "12/12", "25:61",
		"99999999999999999999 days", "1e308 hours", "0.0000001 min", "12/06/00", "12/06/99999", "29/02/2023",
		"parso", "12:30", "12.30 pm", "12 am", "१२/०६ ५ बजे", "NaN hours", "-3 days"} {
		f.Add(s, int64(0))
	}
	f.Add("12/12", int64(-400*24*3600))
	f.Add("5pm", int64(-13*3600))
	f.Fuzz(func(t *testing.T, s string, shift int64) {
		now := t0.Add(time.Duration(shift%(50*365*24*3600)) * time.Second)
		at, ok := ParseTime(s, now)
		if !ok {
			return
		}
		if at.After(now.Add(5 * time.Minute)) {
			t.Fatalf("ParseTime(%q, %v) = %v, in the future", s, now, at)
		}
		r := &talaash.Record{Kind: talaash.KindSighting, Time: at.UTC().Truncate(time.Second)}
		if err := r.Validate(); err != nil {
			t.Fatalf("ParseTime(%q, %v) = %v refused: %v", s, now, at, err)
		}
	})
}

var commandNames = map[string]bool{CmdHelp: true, CmdStop: true, CmdStart: true, CmdMenu: true, CmdReport: true, CmdSeen: true,
	CmdFound: true, CmdLost: true, CmdStatus: true, CmdLang: true, CmdPolice: true, CmdRevoke: true, CmdCase: true, CmdReview: true,
	CmdReunited: true, CmdClose: true, CmdOpen: true, CmdMatches: true, CmdStats: true, CmdCancel: true, CmdBack: true}

// FuzzParseCommand: keywords and commands in any script never panic and
// name a known command; a ref is short enough for callback data.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"HELP", "मदद", "madad", "/police CODE", "/police revoke", "STATUS K-4821-7", "YES K-4821-7",
		"/close K-4821-7 reunited by family", "LANG HI", "hindi", "/start", "/start@talaash_bot", "rv:y:K-1--S-2", "case:",
		"case:K 1", "status K 4821 7", "status ४८२१७", "no 8", "/open 2", "/open x", "close", "close close", "/case",
		"lang xx", "भाषा", "\u200dhelp", "help \u200d", "/close\u200d K-11111 x", "reunited K-11111", strings.Repeat("a ", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseCommand(s)
		if !ok {
			return
		}
		if !commandNames[c.Name] {
			t.Fatalf("ParseCommand(%q) = unknown command %q", s, c.Name)
		}
		if len(c.Ref) > 300 {
			t.Fatalf("ParseCommand(%q): ref of %d bytes", s, len(c.Ref))
		}
	})
}

// FuzzParsePhone: a number read is an Indian mobile in E.164; a refusal is
// EINVALID.
func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"98765 43210", "098765-43210", "+91-98765-43210", "९८७६५ ४३२१०", "12345", "+1 415 555 2671",
		"whatsapp:+919876543210", "", "+", "0", "+91", "+9198765432109876543210", "tel:+919876543210", "98765\x0043210"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			if talaash.ErrorCode(err) != talaash.EINVALID || p != "" {
				t.Fatalf("ParsePhone(%q) = %q, %v", s, p, err)
			}
			return
		}
		if !talaash.IsIndianMobile(p) {
			t.Fatalf("ParsePhone(%q) = %q", s, p)
		}
		r := &talaash.Record{Kind: talaash.KindMissing, Time: t0, Contact: &talaash.Contact{Phone: p}}
		if err := r.Validate(); err != nil || r.Contact.Phone != p {
			t.Fatalf("ParsePhone(%q) = %q refused: %v", s, p, err)
		}
	})
}

// FuzzQuickSighting: a one-message sighting, whatever the text, read by the
// matcher's Extract and by a reader that gives anything (NaN, infinities, adults' ages, places off the
// globe), answers, and what it saves validates.
func FuzzQuickSighting(f *testing.F) {
	nan, inf := math.NaN(), math.Inf(1)
	f.Add("seen a girl about 6, pink frock, crying at Kanpur Central", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, "", uint8(0))
	f.Add("SEEN boy red shirt crying", 0.0, 21.0, 25.0, 0.0, 0.0, 0.0, "", uint8(1))
	f.Add("ladki 6 saal gulabi frock central station par dekhi", 6.0, 0.0, 0.0, 120.0, 26.45, 80.35, "female", uint8(2))
	f.Add("seen boy 8-NaN saal at station", 0.0, 8.0, nan, nan, nan, 500.0, "boy", uint8(0))
	f.Add("dekha ladka 1e400 saal", inf, -inf, inf, -1.0, 91.0, -181.0, "m", uint8(1))
	f.Add("देखा लड़का २१-२५ साल स्टेशन पर", 30.0, 16.0, 22.0, 400.0, 0.0, 0.0, "x", uint8(2))
	f.Add("seen girl 99999999999999999999 years at park 31/02 99:99pm", 0.0, 19.0, 1e300, 0.0, 0.0, 0.0, "", uint8(0))
	f.Add("seen a child alone 5pm", 0.0, 25.0, 16.0, 0.0, 0.0, 0.0, "", uint8(1))
	f.Fuzz(func(t *testing.T, text string, age, lo, hi, h, lat, lon float64, gender string, ch uint8) {
		channels := []string{talaash.ChannelTelegram, talaash.ChannelSMS, talaash.ChannelWhatsApp}
		channel := channels[int(ch)%len(channels)]
		env := envOn(channel, t0)
		env.Extract = func(string) talaash.Record {
			r := talaash.Record{Gender: gender, Place: "x"}
			if ch&4 == 0 {
				r.Place = ""
			}
			if age != 0 {
				r.Age = talaash.Num(age)
			}
			if lo != 0 {
				r.AgeMin = talaash.Num(lo)
			}
			if hi != 0 {
				r.AgeMax = talaash.Num(hi)
			}
			if h != 0 {
				r.HeightCM = talaash.Num(h)
			}
			if lat != 0 || lon != 0 {
				r.Lat, r.Lon = talaash.Num(lat), talaash.Num(lon)
			}
			return r
		}
		s := NewSession(channel, "+919812345678")
		for i, msg := range []string{text, text, "8", "Kanpur Central"} {
			if i == 1 {
				env.Extract = matcher.Extract // the core's reader, as served
				s = NewSession(channel, "+919812345678")
			}
			res := Step(s, talaash.Inbound{Channel: channel, Sender: s.Sender, Text: msg}, env)
			if len(res.Replies) == 0 && len(res.Actions) == 0 {
				t.Fatalf("no answer to %q", msg)
			}
			if res.Save != nil {
				if err := validCopy(res.Save); err != nil {
					t.Fatalf("%q: the record to save is refused: %v (%+v)", msg, err, res.Save)
				}
				s.Saved("K-4821-7")
			}
		}
	})
}
