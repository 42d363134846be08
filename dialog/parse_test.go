package dialog

import (
	"testing"
	"time"

	"talaash"
)

func TestParseAge(t *testing.T) {
	cases := []struct {
		in     string
		lo, hi float64
		ok     bool
	}{
		{"8", 8, 8, true}, {"८", 8, 8, true}, {"8 saal", 8, 8, true}, {"आठ", 8, 8, true}, {"8 years", 8, 8, true},
		{"about 8", 8, 8, true}, {"8-10", 8, 10, true}, {"8 se 10 saal", 8, 10, true}, {"lagbhag 6 saal", 6, 6, true},
		{"आठ साल", 8, 8, true}, {"८ वर्ष", 8, 8, true}, {"aath", 8, 8, true}, {"twelve", 12, 12, true},
		{"6 months", 0.5, 0.5, true}, {"10 - 8", 8, 10, true}, {"छह साल की", 6, 6, true},
		{"", 0, 0, false}, {"abc", 0, 0, false}, {"45", 0, 0, false}, {"0", 0, 0, false},
		// A witness's range may end past childhood if it begins within it.
		{"16-22", 16, 22, true}, {"१६ से २२ साल", 16, 22, true}, {"21-25", 0, 0, false}, {"0-2", 0, 2, true},
		// What is no number is asked again.
		{"-3", 0, 0, false}, {"NaN", 0, 0, false}, {"Inf", 0, 0, false}, {"21A", 0, 0, false}, {"1e9", 0, 0, false},
		{"99999999999999999999", 0, 0, false}, {"8-99999999999999999999", 0, 0, false}, {"1e400 saal", 0, 0, false},
		{"99999999999999 months", 0, 0, false}, {"240 months", 0, 0, false},
	}
	for _, c := range cases {
		lo, hi, ok := ParseAge(c.in)
		if ok != c.ok || lo != c.lo || hi != c.hi {
			t.Errorf("ParseAge(%q) = %v %v %v, want %v %v %v", c.in, lo, hi, ok, c.lo, c.hi, c.ok)
		}
	}
}

func TestReadAgeWhy(t *testing.T) {
	for in, want := range map[string]string{
		"8": "", "16-22": "", "21-25": ageAdult, "25": ageAdult, "19 saal": ageAdult, "NaN": ageUnread, "-3": ageUnread,
		"500": ageUnread, "abc": ageUnread, "8-500": ageUnread,
	} {
		if _, _, why := readAgeText(in); why != want {
			t.Errorf("readAgeText(%q): %q, want %q", in, why, want)
		}
	}
}

func TestParseGender(t *testing.T) {
	for in, want := range map[string]string{
		"boy": "male", "Girl": "female", "ladka": "male", "ladki": "female", "लड़का": "male", "लड़की": "female",
		"लडकी": "female", "beta": "male", "beti": "female", "m": "male", "F": "female", "a small girl": "female",
		"\u0932\u095C\u0915\u093E": "male", // precomposed ड़ (U+095C)
	} {
		if got, ok := ParseGender(in); !ok || got != want {
			t.Errorf("ParseGender(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "xyz", "boy and girl", "8"} {
		if got, ok := ParseGender(in); ok {
			t.Errorf("ParseGender(%q) = %q, want no answer", in, got)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	for in, want := range map[string]bool{
		"haan": true, "han": true, "हाँ": true, "हां": true, "ji": true, "yes": true, "Y": true, "ji haan": true,
		"nahi": false, "नहीं": false, "no": false, "ji nahi": false, "N": false, "nahin": false,
	} {
		yes, ok := ParseYesNo(in)
		if !ok || yes != want {
			t.Errorf("ParseYesNo(%q) = %v %v, want %v", in, yes, ok, want)
		}
	}
	for _, in := range []string{"", "maybe", "kanpur central station ke paas wala"} {
		if _, ok := ParseYesNo(in); ok {
			t.Errorf("ParseYesNo(%q) should not answer", in)
		}
	}
}

func TestParsePhone(t *testing.T) {
	for _, in := range []string{"98765 43210", "098765-43210", "+91-98765-43210", "९८७६५४३२१०", "+919876543210"} {
		if got, err := ParsePhone(in); err != nil || got != "+919876543210" {
			t.Errorf("ParsePhone(%q) = %q %v", in, got, err)
		}
	}
	for _, in := range []string{"12345", "0512 2345678", "+1 415 555 0100", "abc", ""} {
		if got, err := ParsePhone(in); err == nil {
			t.Errorf("ParsePhone(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2025, 6, 14, 10, 30, 0, 0, talaash.IST) // a Saturday morning
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2025, mo, d, h, m, 0, 0, talaash.IST) }
	cases := []struct {
		in   string
		want time.Time
	}{
		{"now", now}, {"abhi", now}, {"अभी", now}, {"today", now}, {"aaj", now}, {"आज", now},
		// A day without a time is taken as its noon.
		{"yesterday", at(6, 13, 12, 0)}, {"kal", at(6, 13, 12, 0)}, {"कल", at(6, 13, 12, 0)},
		{"2 ghante pehle", now.Add(-2 * time.Hour)}, {"2 hours ago", now.Add(-2 * time.Hour)}, {"२ घंटे पहले", now.Add(-2 * time.Hour)},
		{"30 min ago", now.Add(-30 * time.Minute)}, {"3 din pehle", now.AddDate(0, 0, -3)},
		{"12/06 5pm", at(6, 12, 17, 0)}, {"12/06/2025", at(6, 12, 12, 0)}, {"12-06 17:00", at(6, 12, 17, 0)},
		{"kal shaam 5 baje", at(6, 13, 17, 0)}, {"aaj subah 9 baje", at(6, 14, 9, 0)}, {"कल शाम 6 बजे", at(6, 13, 18, 0)},
		{"5pm", at(6, 13, 17, 0)}, // said at 10:30: yesterday's 5pm
		{"12/12", time.Date(2024, 12, 12, 12, 0, 0, 0, talaash.IST)},
	}
	for _, c := range cases {
		got, ok := ParseTime(c.in, now)
		if !ok || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v %v, want %v", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"", "blah", "31/02", "12/06/2031", "25:00", "13/13"} {
		if got, ok := ParseTime(in, now); ok {
			t.Errorf("ParseTime(%q) = %v, want failure", in, got)
		}
	}
}

func TestParseHeight(t *testing.T) {
	for in, want := range map[string]float64{
		"120": 120, "120 cm": 120, "१२० सेमी": 120, "1.2 m": 120, "4 feet": 122, "4 feet 2 inch": 127, "4'2": 127,
		"चार फुट": 122, "4 fit": 122, "4": 122,
	} {
		if got, ok := ParseHeight(in); !ok || got != want {
			t.Errorf("ParseHeight(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "tall", "500", "1"} {
		if got, ok := ParseHeight(in); ok {
			t.Errorf("ParseHeight(%q) = %v, want failure", in, got)
		}
	}
}

func TestDigitsAndScript(t *testing.T) {
	if got := ASCIIDigits("९८७६५४३२१० and ०"); got != "9876543210 and 0" {
		t.Errorf("ASCIIDigits: %q", got)
	}
	if !talaash.Devanagari("मैं") || talaash.Devanagari("main ८") || talaash.Devanagari("hello") {
		t.Error("Devanagari detection is wrong")
	}
	if !Hinglish("ladki 6 saal gulabi frock") || Hinglish("girl six pink frock") {
		t.Error("Hinglish detection is wrong")
	}
}

func TestParseCommand(t *testing.T) {
	cases := []struct {
		in   string
		want Command
	}{
		{"HELP", Command{Name: CmdHelp}}, {"मदद", Command{Name: CmdHelp}}, {"madad", Command{Name: CmdHelp}}, {"/help", Command{Name: CmdHelp}},
		{"STOP", Command{Name: CmdStop}}, {"बंद", Command{Name: CmdStop}}, {"band", Command{Name: CmdStop}},
		{"START", Command{Name: CmdStart}}, {"/start", Command{Name: CmdMenu}}, {"/start@TalaashBot", Command{Name: CmdMenu}},
		{"menu", Command{Name: CmdMenu}},
		{"REPORT", Command{Name: CmdReport}}, {"शिकायत", Command{Name: CmdReport}}, {"shikayat", Command{Name: CmdReport}},
		{"SEEN", Command{Name: CmdSeen}}, {"देखा", Command{Name: CmdSeen}}, {"dekha", Command{Name: CmdSeen}},
		{"STATUS", Command{Name: CmdStatus}}, {"status k-4821-7", Command{Name: CmdStatus, Ref: "K-4821-7"}},
		{"LANG HI", Command{Name: CmdLang, Arg: "hi"}}, {"lang en", Command{Name: CmdLang, Arg: "en"}}, {"/lang", Command{Name: CmdLang}},
		{"hindi", Command{Name: CmdLang, Arg: "hi"}}, {"हिंदी", Command{Name: CmdLang, Arg: "hi"}}, {"English", Command{Name: CmdLang, Arg: "en"}},
		{"POLICE Kx92", Command{Name: CmdPolice, Arg: "Kx92"}}, {"/police Kx92", Command{Name: CmdPolice, Arg: "Kx92"}},
		{"/police revoke", Command{Name: CmdRevoke}}, {"/police", Command{Name: CmdPolice}},
		{"/case K-4821-7", Command{Name: CmdCase, Ref: "K-4821-7"}},
		{"YES K-4821-7", Command{Name: CmdReview, Ref: "K-4821-7", Arg: "yes"}}, {"no K-4821-7", Command{Name: CmdReview, Ref: "K-4821-7", Arg: "no"}},
		{"/reunited K-4821-7", Command{Name: CmdReunited, Ref: "K-4821-7"}}, {"REUNITED K-4821-7", Command{Name: CmdReunited, Ref: "K-4821-7"}},
		{"/close K-4821-7 duplicate report", Command{Name: CmdClose, Ref: "K-4821-7", Arg: "duplicate report"}},
		{"/open", Command{Name: CmdOpen}}, {"/open 2", Command{Name: CmdOpen, Arg: "2"}}, {"/matches", Command{Name: CmdMatches}}, {"/stats", Command{Name: CmdStats}},
		{"status k 4821 7", Command{Name: CmdStatus, Ref: "K 4821 7"}}, {"STATUS ४८२१७", Command{Name: CmdStatus, Ref: "48217"}},
		{"rv:y:K-4821-7--K-1093-2", Command{Name: CmdReview, Ref: "K-4821-7--K-1093-2", Arg: "yes"}},
		{"rv:n:K-4821-7", Command{Name: CmdReview, Ref: "K-4821-7", Arg: "no"}}, {"case:K-4821-7", Command{Name: CmdCase, Ref: "K-4821-7"}},
		{"/cancel", Command{Name: CmdCancel}}, {"रद्द", Command{Name: CmdCancel}}, {"back", Command{Name: CmdBack}}, {"पीछे", Command{Name: CmdBack}},
	}
	for _, c := range cases {
		got, ok := ParseCommand(c.in)
		if !ok || got != c.want {
			t.Errorf("ParseCommand(%q) = %+v %v, want %+v", c.in, got, ok, c.want)
		}
	}
	for _, in := range []string{"", "yes", "no", "8", "SEEN girl 6 pink frock", "help me find my son", "Ravi", "close the door", "no way", "yes it is", "no 8", "haan 12 saal", "status of my son"} {
		if got, ok := ParseCommand(in); ok {
			t.Errorf("ParseCommand(%q) = %+v, want none", in, got)
		}
	}
}

func TestIsLost(t *testing.T) {
	for _, in := range []string{"I am lost", "i'm lost", "मैं खो गया हूँ", "main kho gaya hoon", "Main kho gayi hu", "help I am lost near station"} {
		if !IsLost(in) {
			t.Errorf("IsLost(%q) = false", in)
		}
	}
	for _, in := range []string{"mera beta kho gaya", "my son is lost", "lost and found", "मेरी बेटी खो गई"} {
		if IsLost(in) {
			t.Errorf("IsLost(%q) = true", in)
		}
	}
}
