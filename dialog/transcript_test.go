package dialog

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/locales"
	"talaash/match"
)

// msg is what the person sends in one turn.
type msg struct {
	text, cb string
	loc      *talaash.Location
	contact  *talaash.Contact
	photos   []string
}

// turnCase is one row of a transcript: what the person sends in English and in
// Hindi (hi zero = the same as en), the replies the bot must answer with (by
// message id; actions as "act:KIND"), and the state after.
type turnCase struct {
	en, hi msg
	want   []string
	state  string
	wait   time.Duration // time passing before this turn
	check  func(t *testing.T, lang string, s *Session, r Result)
}

type transcript struct {
	name    string
	channel string
	sender  string
	police  bool
	// noPolice: no officer would hear of this person's records (Env.NoPolice).
	noPolice bool
	turns    []turnCase
	hint     string // the client's language, if not the run's
}

var t0 = time.Date(2025, 6, 14, 10, 30, 0, 0, talaash.IST)

// testCaps is what each channel the tests simulate can carry, as the core's
// channel registry tells the dialog in Env.Caps.
var testCaps = map[string]talaash.Capabilities{
	talaash.ChannelTelegram: {Buttons: true, Photos: true, Location: true, Contact: true},
	talaash.ChannelSMS:      {Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2, PhoneAddress: true},
	talaash.ChannelWhatsApp: {PhoneAddress: true},
}

// matcher reads free text for the tests as the core's reader does: the
// dialog has no reader of its own.
var matcher = func() *match.Matcher {
	m, err := match.New(match.Options{})
	if err != nil {
		panic(err)
	}
	return m
}()

// envOn is the Env of a turn on a channel of testCaps.
func envOn(channel string, now time.Time) Env {
	return Env{Now: now, Caps: testCaps[channel], Extract: matcher.Extract}
}

func say(en, hi string, want []string, state string) turnCase {
	return turnCase{en: msg{text: en}, hi: msg{text: hi}, want: want, state: state}
}

func press(data string, want []string, state string) turnCase {
	return turnCase{en: msg{cb: data}, want: want, state: state}
}

func ids(ss ...string) []string { return ss }

// run plays a transcript in one language: the session goes through
// Marshal/Unmarshal between every turn, as the core stores it.
func run(t *testing.T, tr transcript, lang string) *Session {
	t.Helper()
	ch := tr.channel
	if ch == "" {
		ch = talaash.ChannelTelegram
	}
	sender := tr.sender
	if sender == "" {
		sender = "55501"
	}
	s := NewSession(ch, sender)
	now := t0
	refs := 0
	for i, tc := range tr.turns {
		b, err := s.Marshal()
		if err != nil {
			t.Fatalf("turn %d: marshal: %v", i, err)
		}
		if s, err = Unmarshal(b); err != nil {
			t.Fatalf("turn %d: unmarshal: %v", i, err)
		}
		now = now.Add(time.Minute + tc.wait)
		m := tc.en
		if lang == "hi" && (tc.hi.text != "" || tc.hi.cb != "" || tc.hi.loc != nil || tc.hi.contact != nil || tc.hi.photos != nil) {
			m = tc.hi
		}
		hint := lang
		if tr.hint != "" {
			hint = tr.hint
		}
		in := talaash.Inbound{Channel: ch, Sender: sender, ID: fmt.Sprint(i), Text: m.text, Callback: m.cb,
			Location: m.loc, Contact: m.contact, Photos: m.photos, LangHint: hint, At: now}
		env := envOn(ch, now)
		env.Police = tr.police
		if tr.noPolice {
			env.NoPolice = func() bool { return true }
		}
		res := Step(s, in, env)
		var got []string
		for _, r := range res.Replies {
			got = append(got, r.ID)
		}
		for _, a := range res.Actions {
			got = append(got, "act:"+string(a.Kind))
		}
		if !slices.Equal(got, tc.want) {
			t.Fatalf("turn %d (%q %q): replies %v, want %v", i, m.text, m.cb, got, tc.want)
		}
		if s.State != tc.state {
			t.Fatalf("turn %d (%q %q): state %q, want %q", i, m.text, m.cb, s.State, tc.state)
		}
		checkReplies(t, i, s, res)
		if tc.check != nil {
			tc.check(t, lang, s, res)
		}
		if res.Save != nil {
			if err := validCopy(res.Save); err != nil {
				t.Fatalf("turn %d: the record to save is refused: %v (%+v)", i, err, res.Save)
			}
			// The core stores the record, then tells the session its ref.
			ref := res.Save.Ref
			if ref == "" {
				refs++
				ref = fmt.Sprintf("K-482%d-7", refs)
			}
			s.Saved(ref)
		}
	}
	return s
}

// checkReplies: every reply exists in the session's language, renders, has
// choices that fit Telegram's callback limit, and a Hindi session gets Hindi.
func checkReplies(t *testing.T, i int, s *Session, res Result) {
	t.Helper()
	if len(res.Replies) == 0 && len(res.Actions) == 0 {
		t.Fatalf("turn %d: no reply and no action", i)
	}
	for _, r := range res.Replies {
		if !locales.Has(s.Lang, r.ID) {
			t.Errorf("turn %d: reply %q is not a %s message", i, r.ID, s.Lang)
		}
		data := map[string]any{"Ref": "K-4821-7"}
		for k, v := range r.Data {
			if k != "Ref" {
				data[k] = v
			}
		}
		text := locales.Render(s.Lang, r.ID, data)
		if text == r.ID || strings.Contains(text, "<no value>") {
			t.Errorf("turn %d: %q renders as %q", i, r.ID, text)
		}
		if s.Lang == "hi" && !talaash.Devanagari(text) {
			t.Errorf("turn %d: Hindi session got non-Hindi %q: %q", i, r.ID, text)
		}
		if s.Lang == locales.HiLatn && (talaash.Devanagari(text) || locales.From(s.Lang, r.ID) != locales.HiLatn) {
			t.Errorf("turn %d: Hinglish session got %q not in Hinglish: %q", i, r.ID, text)
		}
		for _, c := range r.Choices {
			if len(c.Data) > 64 || c.Data == "" || !locales.Has(s.Lang, c.ID) {
				t.Errorf("turn %d: bad choice %+v", i, c)
			}
		}
	}
}

// validCopy validates a copy of r as the store will, leaving r as the dialog
// made it.
func validCopy(r *talaash.Record) error {
	c := *r
	if r.Contact != nil {
		cc := *r.Contact
		c.Contact = &cc
	}
	return c.Validate()
}

func runBoth(t *testing.T, trs []transcript) {
	for _, tr := range trs {
		for _, lang := range []string{"en", "hi"} {
			t.Run(tr.name+"/"+lang, func(t *testing.T) {
				s := run(t, tr, lang)
				if s.Lang == "" {
					t.Error("session has no language")
				}
			})
		}
	}
}

var kanpur = &talaash.Location{Lat: 26.4545, Lon: 80.3513}

func TestReportTranscript(t *testing.T) {
	runBoth(t, []transcript{{
		name: "report with wrong answers, back and edit",
		turns: []turnCase{
			say("/start", "", ids("choose_language"), StateLanguage),
			{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
			press("menu:report", ids("report.start", "report.name"), "report.name"),
			say("Ravi Kumar", "रवि कुमार", ids("report.age"), "report.age"),
			say("old", "पता नहीं", ids("err.age", "report.age"), "report.age"),
			say("8 saal", "आठ साल", ids("report.gender"), "report.gender"),
			say("maybe", "शायद", ids("err.gender", "report.gender"), "report.gender"),
			press("g:male", ids("report.complexion"), "report.complexion"),
			say("wheatish", "गेहुँआ", ids("report.height"), "report.height"),
			say("back", "पीछे", ids("report.complexion"), "report.complexion"),
			press("c:wheatish", ids("report.height"), "report.height"),
			say("4 feet", "चार फुट", ids("report.clothes"), "report.clothes"),
			say("red shirt, blue jeans", "लाल कमीज़, नीली जींस", ids("report.marks"), "report.marks"),
			say("mole on left cheek", "बाएँ गाल पर तिल", ids("report.place"), "report.place"),
			{en: msg{loc: kanpur}, want: ids("report.time"), state: "report.time"},
			say("tomorrow?", "पता नहीं कब", ids("err.time", "report.time"), "report.time"),
			say("yesterday 5pm", "कल शाम 5 बजे", ids("report.photo"), "report.photo"),
			say("no photo here", "फ़ोटो नहीं है यहाँ", ids("err.photo", "report.photo"), "report.photo"),
			{en: msg{photos: []string{"file-1"}}, want: ids("report.guardian"), state: "report.guardian"},
			say("Sunita Devi", "सुनीता देवी", ids("report.phone"), "report.phone"),
			say("12345", "१२३४५", ids("err.phone", "report.phone"), "report.phone"),
			say("98765 43210", "९८७६५ ४३२१०", ids("report.confirm"), "report.confirm"),
			say("what?", "क्या?", ids("err.confirm", "report.confirm"), "report.confirm"),
			press("edit", ids("edit.which"), "report.confirm"),
			press("edit:age", ids("report.age"), "report.age"),
			say("9", "नौ", ids("report.confirm"), "report.confirm"),
			{en: msg{cb: "confirm"}, want: ids("report.saved"), state: StateDone, check: func(t *testing.T, lang string, s *Session, r Result) {
				rec := r.Save
				if rec == nil {
					t.Fatal("no record to save")
				}
				wantName := map[string]string{"en": "Ravi Kumar", "hi": "रवि कुमार"}[lang]
				lo, hi, _ := rec.Ages()
				if rec.Kind != talaash.KindMissing || rec.Name != wantName || lo != 9 || hi != 9 || rec.Gender != "male" ||
					rec.Complex != "wheatish" || rec.HeightCM == nil || *rec.HeightCM != 122 || rec.Clothes == "" || rec.Marks == "" ||
					rec.Lat == nil || *rec.Lat != kanpur.Lat || len(rec.Photos) != 1 || rec.Contact == nil ||
					rec.Contact.Phone != "+919876543210" || rec.Contact.Name == "" || rec.Language != lang ||
					rec.Channel != talaash.ChannelTelegram || rec.Address != "55501" || rec.Ref != "" {
					t.Errorf("saved record %+v", rec)
				}
				if want := time.Date(2025, 6, 13, 17, 0, 0, 0, talaash.IST); !rec.Time.Equal(want) {
					t.Errorf("time %v, want %v", rec.Time, want)
				}
				if s.Draft != nil {
					t.Error("draft kept after saving")
				}
			}},
			say("STATUS", "STATUS", ids("act:status"), StateDone),
		},
	}})
}

func TestSwitchCancelExpire(t *testing.T) {
	other := func(lang string) string {
		if lang == "hi" {
			return "en"
		}
		return "hi"
	}
	runBoth(t, []transcript{
		{
			name: "language switch mid-flow asks the same question again",
			turns: []turnCase{
				say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
				say("Ravi", "रवि", ids("report.age"), "report.age"),
				{en: msg{text: "hindi"}, hi: msg{text: "english"}, want: ids("lang.changed", "report.age"), state: "report.age",
					check: func(t *testing.T, lang string, s *Session, r Result) {
						if s.Lang != other(lang) {
							t.Errorf("language %q after switching from %q", s.Lang, lang)
						}
					}},
				say("8", "", ids("report.gender"), "report.gender"),
				say("/lang", "", ids("lang.changed", "report.gender"), "report.gender"),
				{en: msg{text: "LANG HI"}, hi: msg{text: "LANG HI"}, want: ids("lang.changed", "report.gender"), state: "report.gender",
					check: func(t *testing.T, lang string, s *Session, r Result) {
						if s.Lang != "hi" || s.Draft == nil || s.Draft.Name == "" {
							t.Errorf("after LANG HI: lang %q draft %+v", s.Lang, s.Draft)
						}
					}},
				say("/cancel", "रद्द", ids("cancelled", "menu"), StateMenu),
			},
		},
		{
			name: "a draft untouched for 24 hours expires",
			turns: []turnCase{
				say("/start", "", ids("choose_language"), StateLanguage),
				{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
				press("menu:report", ids("report.start", "report.name"), "report.name"),
				say("Ravi", "रवि", ids("report.age"), "report.age"),
				{en: msg{text: "8"}, wait: 25 * time.Hour, want: ids("expired", "menu"), state: StateMenu,
					check: func(t *testing.T, lang string, s *Session, r Result) {
						if s.Draft != nil || r.Save != nil {
							t.Error("expired draft kept or saved")
						}
					}},
				press("menu:report", ids("report.start", "report.name"), "report.name"),
				{en: msg{text: "REPORT"}, wait: 23 * time.Hour, want: ids("report.start", "report.name"), state: "report.name"},
				{en: msg{text: "Ravi"}, wait: 23 * time.Hour, want: ids("report.age"), state: "report.age"},
			},
		},
		{
			name: "back at the first question, help in a flow, unknown text at the menu",
			turns: []turnCase{
				say("hello", "नमस्ते", ids("choose_language"), StateLanguage),
				say("menu", "मेनू", ids("menu"), StateMenu),
				say("blah blah", "कुछ भी", ids("menu.unknown"), StateMenu),
				press("menu:report", ids("report.start", "report.name"), "report.name"),
				say("back", "पीछे", ids("back.first", "report.name"), "report.name"),
				say("/help", "मदद", ids("help", "report.name"), "report.name"),
				say("Ravi", "रवि", ids("report.age"), "report.age"),
				say("back", "पीछे", ids("report.name"), "report.name"),
				say("Ravi", "रवि", ids("report.age"), "report.age"),
				say("/start", "", ids("menu"), StateMenu),
			},
		},
	})
}

func TestSightingTranscriptSMS(t *testing.T) {
	runBoth(t, []transcript{{
		name:    "sighting question by question on SMS with numbered choices and danger",
		channel: talaash.ChannelSMS,
		sender:  "+919812345678",
		turns: []turnCase{
			say("SEEN", "देखा", ids("emergency", "sighting.gender"), "sighting.gender"),
			say("2", "", ids("sighting.age"), "sighting.age"),
			say("about 6", "लगभग ६", ids("sighting.clothes"), "sighting.clothes"),
			say("1", "", ids("sighting.marks"), "sighting.marks"),
			say("crying, hurt on hand", "रो रही थी, हाथ पर चोट", ids("emergency", "sighting.place"), "sighting.place"),
			say("x", "", ids("err.place", "sighting.place"), "sighting.place"),
			say("Kanpur Central", "कानपुर सेंट्रल", ids("sighting.time"), "sighting.time"),
			say("1", "", ids("sighting.photo"), "sighting.photo"),
			say("skip", "छोड़ें", ids("sighting.safe"), "sighting.safe"),
			say("7", "", ids("err.choice", "sighting.safe"), "sighting.safe"),
			say("3", "", ids("emergency", "sighting.contact"), "sighting.contact"),
			say("1", "", ids("sighting.confirm"), "sighting.confirm"),
			{en: msg{text: "yes"}, hi: msg{text: "हाँ"}, want: ids("sighting.saved"), state: StateDone,
				check: func(t *testing.T, lang string, s *Session, r Result) {
					rec := r.Save
					if rec == nil || rec.Kind != talaash.KindSighting || rec.Gender != "female" || rec.Age == nil || *rec.Age != 6 ||
						rec.Place == "" || rec.Safe != "danger" || rec.Contact == nil || rec.Contact.Phone != "+919812345678" ||
						rec.Channel != talaash.ChannelSMS || rec.Language != lang || !rec.Time.Equal(t0.Add(8*time.Minute).UTC()) {
						t.Errorf("saved %+v", rec)
					}
				}},
		},
	}})
}

func TestFoundAndLostTranscripts(t *testing.T) {
	runBoth(t, []transcript{
		{
			name:   "police record a found child",
			police: true,
			turns: []turnCase{
				say("/police s3cret", "/police s3cret", ids("act:enrol"), StateNew),
				say("/found", "", ids("found.start", "found.name"), "found.name"),
				press("skip", ids("found.age"), "found.age"),
				say("7-9", "७-९ साल", ids("found.gender"), "found.gender"),
				say("boy", "लड़का", ids("found.complexion"), "found.complexion"),
				press("skip", ids("found.height"), "found.height"),
				press("skip", ids("found.clothes"), "found.clothes"),
				say("blue school uniform", "नीली स्कूल की वर्दी", ids("found.marks"), "found.marks"),
				press("skip", ids("found.place"), "found.place"),
				say("Bada Chauraha", "बड़ा चौराहा", ids("found.time"), "found.time"),
				press("t:now", ids("found.photo"), "found.photo"),
				{en: msg{photos: []string{"f1", "f2"}}, want: ids("found.station"), state: "found.station"},
				say("Kotwali", "कोतवाली", ids("found.confirm"), "found.confirm"),
				press("confirm", ids("found.saved"), StateDone),
				say("/case K-4821-7", "", ids("act:case"), StateDone),
				say("YES K-4821-7", "", ids("act:review"), StateDone),
				say("/close K-4821-7 duplicate", "", ids("act:close"), StateDone),
				say("/stats", "", ids("act:stats"), StateDone),
			},
		},
		{
			name: "non-police cannot use the desk",
			turns: []turnCase{
				say("/case K-4821-7", "", ids("police.only"), StateNew),
				say("/found", "", ids("police.only"), StateNew),
				say("/police", "", ids("police.usage"), StateNew),
				say("/matches", "", ids("police.only"), StateNew),
				say("/police revoke", "", ids("act:revoke"), StateNew),
			},
		},
		{
			name:    "a lost child",
			channel: talaash.ChannelSMS,
			sender:  "+919812345678",
			turns: []turnCase{
				say("I am lost", "मैं खो गया हूँ", ids("lost.help", "lost.name"), "lost.name"),
				say("Ravi", "रवि", ids("lost.age"), "lost.age"),
				say("7", "सात", ids("lost.gender"), "lost.gender"),
				say("girl", "लड़की", ids("lost.place"), "lost.place"),
				{en: msg{loc: kanpur}, want: ids("lost.saved"), state: StateDone, check: func(t *testing.T, lang string, s *Session, r Result) {
					rec := r.Save
					if rec == nil || rec.Kind != talaash.KindFound || rec.Lat == nil || rec.Contact == nil || rec.Contact.Phone != "+919812345678" ||
						rec.Gender != "female" || rec.Safe != talaash.SafeLost {
						t.Errorf("saved %+v", rec)
					}
				}},
			},
		},
		{
			name: "a lost child in Hinglish",
			turns: []turnCase{
				say("main kho gaya hoon", "main kho gayi hoon", ids("lost.help", "lost.name"), "lost.name"),
			},
		},
		// Any way of saying it, typos included, is the first message and is
		// answered with 1098 and 112 before anything is asked.
		{name: "lost: can't find my mummy", channel: talaash.ChannelSMS, sender: "+919812345671", turns: []turnCase{
			say("help i lost my mom", "मम्मी नहीं मिल रही", ids("lost.help", "lost.name"), "lost.name"),
			say("Ravi", "रवि", ids("lost.age"), "lost.age"),
		}},
		{name: "lost in Hinglish: mummy nahi mil rahi", turns: []turnCase{
			say("mummy nahi mil rahi", "papa kho gaye", ids("lost.help", "lost.name"), "lost.name"),
		}},
		{name: "lost: typos", turns: []turnCase{
			say("i cant find my mumy", "मैं खो गया हूँ", ids("lost.help", "lost.name"), "lost.name"),
		}},
	})
}

// TestQuickSightings: one message is understood at once, saved, and only the
// missing essentials are asked, each answer enriching the same record.
func TestQuickSightings(t *testing.T) {
	full := func(gender string, age float64) func(t *testing.T, lang string, s *Session, r Result) {
		return func(t *testing.T, lang string, s *Session, r Result) {
			rec := r.Save
			if rec == nil || rec.Kind != talaash.KindSighting || rec.Gender != gender || rec.Age == nil || *rec.Age != age ||
				rec.Place == "" || rec.Clothes == "" || rec.Text == "" || rec.Ref != "" {
				t.Fatalf("saved %+v", rec)
			}
		}
	}
	for _, ch := range []string{talaash.ChannelSMS, talaash.ChannelTelegram} {
		runBoth(t, []transcript{
			{
				name: ch + " one message, English / Devanagari", channel: ch, sender: "+919812345678",
				turns: []turnCase{{
					en:   msg{text: "seen a girl about 6, pink frock, crying at Kanpur Central"},
					hi:   msg{text: "एक लड़की करीब 6 साल की, गुलाबी फ्रॉक, कानपुर सेंट्रल स्टेशन पर रोती हुई देखी"},
					want: ids("quick.saved"), state: StateDone, check: full("female", 6),
				}},
			},
			{
				name: ch + " one message, SEEN keyword / Hinglish", channel: ch, sender: "+919812345678",
				turns: []turnCase{{
					en:   msg{text: "SEEN girl 6 pink frock Kanpur Central"},
					hi:   msg{text: "ladki 6 saal gulabi frock central station par dekhi"},
					want: ids("quick.saved"), state: StateDone, check: full("female", 6),
				}},
			},
			{
				name: ch + " one message missing place and age", channel: ch, sender: "+919812345678",
				turns: []turnCase{
					{en: msg{text: "SEEN boy red shirt crying"}, hi: msg{text: "देखा लड़का लाल शर्ट रो रहा था"},
						want: ids("quick.thanks", "quick.place"), state: "quick.place",
						check: func(t *testing.T, lang string, s *Session, r Result) {
							if r.Save == nil || r.Save.Ref != "" || r.Save.Gender != "male" || r.Save.Place != "" {
								t.Fatalf("first save %+v", r.Save)
							}
						}},
					say("x", "", ids("err.place", "quick.place"), "quick.place"),
					{en: msg{text: "Rawatpur crossing"}, hi: msg{text: "रावतपुर क्रॉसिंग"}, want: ids("quick.age"), state: "quick.age",
						check: func(t *testing.T, lang string, s *Session, r Result) {
							if r.Save == nil || r.Save.Ref != "K-4821-7" || r.Save.Place == "" {
								t.Fatalf("enriching save %+v", r.Save)
							}
						}},
					{en: msg{text: "about 8"}, hi: msg{text: "लगभग आठ"}, want: ids("quick.saved"), state: StateDone,
						check: func(t *testing.T, lang string, s *Session, r Result) {
							if r.Save == nil || r.Save.Ref != "K-4821-7" || r.Save.Age == nil || *r.Save.Age != 8 || r.Save.Place == "" ||
								r.Save.Gender != "male" || r.Save.Language != lang {
								t.Fatalf("final save %+v", r.Save)
							}
						}},
				},
			},
			{
				name: ch + " one message with a danger word", channel: ch, sender: "+919812345678",
				turns: []turnCase{{
					en: msg{text: "saw a man pulling a crying girl about 5 at Moti Jheel, she is hurt"},
					hi: msg{text: "मोती झील पर एक आदमी रोती हुई 5 साल की लड़की को खींच रहा था, उसे चोट लगी है, देखा"},
					// quick.saved carries 1098 and 112; on SMS a separate
					// emergency message would only cost a second part.
					want: dangerWant(ch), state: StateDone,
					check: func(t *testing.T, lang string, s *Session, r Result) {
						if r.Save == nil || r.Save.Safe != "danger" {
							t.Fatalf("saved %+v", r.Save)
						}
					},
				}},
			},
		})
	}
}

// dangerWant is the answer to a one-message sighting of a child in danger.
func dangerWant(channel string) []string {
	if channel == talaash.ChannelSMS {
		return ids("quick.saved")
	}
	return ids("emergency", "quick.saved")
}

// TestKeywordsThreeWays: every keyword in English, Devanagari and Latin-letter
// Hindi, at the menu and in the middle of a report, in both languages.
func TestKeywordsThreeWays(t *testing.T) {
	kw := []struct {
		ways []string
		want []string
		// state after, when the keyword was sent mid-report
		state string
	}{
		{[]string{"HELP", "मदद", "madad"}, ids("help", "report.age"), "report.age"},
		{[]string{"STOP", "बंद", "band"}, ids("act:stop"), "report.age"},
		{[]string{"START", "शुरू", "shuru"}, ids("act:start"), "report.age"},
		{[]string{"REPORT", "शिकायत", "shikayat"}, ids("report.start", "report.name"), "report.name"},
		{[]string{"SEEN", "देखा", "dekha"}, ids("emergency", "sighting.gender"), "sighting.gender"},
		{[]string{"BACK", "पीछे", "peeche"}, ids("report.name"), "report.name"},
		{[]string{"CANCEL", "रद्द", "radd"}, ids("cancelled", "menu"), StateMenu},
		{[]string{"STATUS", "स्थिति", "sthiti"}, ids("act:status"), "report.age"},
		{[]string{"LANG HI", "हिंदी", "hindi"}, ids("lang.changed", "report.age"), "report.age"},
	}
	for _, k := range kw {
		for _, way := range k.ways {
			for _, lang := range []string{"en", "hi"} {
				t.Run(way+"/"+lang, func(t *testing.T) {
					for _, ch := range []string{talaash.ChannelSMS, talaash.ChannelTelegram} {
						want := k.want
						if k.want[0] == "help" && ch == talaash.ChannelSMS {
							// SMS points to the question above rather than paying for it again.
							want = ids("help.flow")
						}
						run(t, transcript{channel: ch, sender: "+919812345678", turns: []turnCase{
							say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
							say("Ravi", "रवि", ids("report.age"), "report.age"),
							{en: msg{text: way}, want: want, state: k.state},
						}}, lang)
					}
				})
			}
		}
	}
}

// TestReplyKeyboardLabels: on a reply keyboard the label comes back as text,
// in either language.
func TestReplyKeyboardLabels(t *testing.T) {
	runBoth(t, []transcript{{
		name: "labels typed or tapped",
		turns: []turnCase{
			say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
			say("Ravi", "रवि", ids("report.age"), "report.age"),
			say("8", "", ids("report.gender"), "report.gender"),
			say("Girl", "लड़की", ids("report.complexion"), "report.complexion"),
			say("Skip", "छोड़ें", ids("report.height"), "report.height"),
			say("1", "", ids("err.height", "report.height"), "report.height"), // numbers pick choices on SMS only
		},
	}})
}

func TestCallbacksFitTelegram(t *testing.T) {
	for _, st := range States() {
		q, ok := questions[st]
		if !ok || q.choices == nil {
			continue
		}
		tt := &turn{s: &Session{Channel: talaash.ChannelSMS, Sender: "+919812345678", State: st}, env: envOn(talaash.ChannelSMS, t0)}
		for _, c := range q.choices(tt) {
			if len(c.Data) > 64 || !locales.Has("en", c.ID) || !locales.Has("hi", c.ID) {
				t.Errorf("%s: choice %+v", st, c)
			}
		}
	}
	for _, st := range States() {
		if flowOf(st) == "" {
			continue
		}
		if !locales.Has("en", st) || !locales.Has("hi", st) {
			t.Errorf("question %q has no message", st)
		}
		if _, ok := questions[st]; !ok {
			t.Errorf("state %q has no question", st)
		}
	}
}

func TestMachine(t *testing.T) {
	if !Can("report.age", evBack) || Can("report.name", evBack) || !Can("report.confirm", "edit:age") || Can("menu", evConfirm) {
		t.Error("transitions are wrong")
	}
	s := &Session{State: "report.confirm"}
	if err := fire(s, evConfirm); err != nil || s.State != StateDone {
		t.Errorf("confirm: %v %q", err, s.State)
	}
	if err := fire(s, evAnswer); err == nil {
		t.Error("answer at done should not be allowed")
	}
}

func TestUnmarshalRejectsGarbage(t *testing.T) {
	if _, err := Unmarshal([]byte("{not json")); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Errorf("err = %v", err)
	}
}

// TestEnvExtract: the core's reader of free text alone decides what a
// one-message sighting says: nothing is added from a second reader, and
// without a reader the record keeps only the text and the questions ask.
func TestEnvExtract(t *testing.T) {
	calls := 0
	env := envOn(talaash.ChannelSMS, t0)
	env.Extract = func(text string) talaash.Record {
		calls++
		return talaash.Record{Gender: "female", AgeMin: talaash.Num(5), AgeMax: talaash.Num(7), Place: "Kanpur Central Station"}
	}
	const text = "seen small child in pink frock at the station, mole on left cheek"
	s := NewSession(talaash.ChannelSMS, "+919812345678")
	res := Step(s, talaash.Inbound{Text: text}, env)
	rec := res.Save
	if calls != 1 || rec == nil || rec.Place != "Kanpur Central Station" || rec.AgeMin == nil || *rec.AgeMin != 5 ||
		rec.Gender != "female" || rec.Clothes != "" || rec.Marks != "" || rec.Text != text {
		t.Fatalf("calls %d, saved %+v", calls, rec)
	}
	if len(res.Replies) != 1 || res.Replies[0].ID != "quick.saved" {
		t.Errorf("replies %+v", res.Replies)
	}
	env.Extract = nil
	s = NewSession(talaash.ChannelSMS, "+919812345678")
	res = Step(s, talaash.Inbound{Text: text}, env)
	rec = res.Save
	if rec == nil || rec.Kind != talaash.KindSighting || rec.Text != text || rec.Gender != "" || rec.Place != "" ||
		rec.Clothes != "" || rec.Age != nil || rec.AgeMin != nil {
		t.Fatalf("without a reader saved %+v", rec)
	}
	var got []string
	for _, r := range res.Replies {
		got = append(got, r.ID)
	}
	if !slices.Equal(got, ids("quick.thanks", "quick.place")) || s.State != "quick.place" {
		t.Errorf("without a reader: replies %v, state %q", got, s.State)
	}
}

// TestScriptDetection: Devanagari text switches an English session to Hindi;
// a Hindi session whose writer turns to Hindi in Latin letters gets Hinglish
// (see TestHinglishDetection).
func TestScriptDetection(t *testing.T) {
	s := &Session{Channel: talaash.ChannelTelegram, Sender: "1", State: "report.name", Lang: "en", Draft: &talaash.Record{Kind: talaash.KindMissing}}
	res := Step(s, talaash.Inbound{Text: "रवि"}, envOn(s.Channel, t0))
	if s.Lang != "hi" || len(res.Replies) != 1 || res.Replies[0].ID != "report.age" || s.Draft.Name != "रवि" {
		t.Fatalf("lang %q replies %+v", s.Lang, res.Replies)
	}
	Step(s, talaash.Inbound{Text: "aath saal"}, envOn(s.Channel, t0))
	if s.Lang != "hi" || s.State != "report.gender" {
		t.Errorf("lang %q state %q", s.Lang, s.State)
	}
	n := NewSession(talaash.ChannelSMS, "+919812345678")
	res = Step(n, talaash.Inbound{Text: "namaste", LangHint: ""}, envOn(n.Channel, t0))
	if n.Lang != "en" || res.Replies[0].ID != "choose_language" {
		t.Errorf("first Latin greeting: lang %q replies %+v", n.Lang, res.Replies)
	}
	n = NewSession(talaash.ChannelTelegram, "2")
	Step(n, talaash.Inbound{Text: "/start", LangHint: "hi-IN"}, envOn(n.Channel, t0))
	if n.Lang != "hi" || n.State != StateLanguage {
		t.Errorf("Telegram hint: lang %q state %q", n.Lang, n.State)
	}
}

// TestCapsDecide: the dialog goes by what the sender's channel can carry,
// whatever the channel is called.
func TestCapsDecide(t *testing.T) {
	step := func(s *Session, caps talaash.Capabilities, text string) []string {
		res := Step(s, talaash.Inbound{Text: text}, Env{Now: t0, Caps: caps, Extract: matcher.Extract})
		var got []string
		for _, r := range res.Replies {
			got = append(got, r.ID)
		}
		return got
	}
	// an SMS gateway of another name: the short help, numbered choices
	gw := NewSession("gateway", "+919812345678")
	step(gw, testCaps[talaash.ChannelSMS], "SEEN")
	if got := step(gw, testCaps[talaash.ChannelSMS], "HELP"); !slices.Equal(got, ids("help.flow")) {
		t.Errorf("help in a flow over SMS: %v", got)
	}
	if got := step(gw, testCaps[talaash.ChannelSMS], "2"); !slices.Equal(got, ids("sighting.age")) || gw.Draft.Gender != "female" {
		t.Errorf("numbered choice over SMS: %v, gender %q", got, gw.Draft.Gender)
	}
	// WhatsApp: numbered choices and "this number", but no SMS budget
	wa := NewSession(talaash.ChannelWhatsApp, "+919812345678")
	if got := step(wa, testCaps[talaash.ChannelWhatsApp], "saw a crying girl about 5 at Moti Jheel, she is hurt"); !slices.Equal(got, ids("emergency", "quick.saved")) {
		t.Errorf("danger on WhatsApp: %v", got)
	}
	for ch, want := range map[string]bool{talaash.ChannelWhatsApp: true, talaash.ChannelSMS: true, talaash.ChannelTelegram: false} {
		tt := &turn{s: &Session{Channel: ch, Sender: "+919812345678", State: "sighting.contact"}, env: envOn(ch, t0)}
		cs := questions["sighting.contact"].choices(tt)
		if got := slices.ContainsFunc(cs, func(c Choice) bool { return c.Data == "self" }); got != want {
			t.Errorf("%s: this number offered %v, want %v", ch, got, want)
		}
	}
}

// TestAgesTranscript: an age that is no child's is asked again kindly, one
// that is no number is asked again, and a witness's range that begins in
// childhood is kept as given.
func TestAgesTranscript(t *testing.T) {
	ages := func(lo, hi float64) func(t *testing.T, lang string, s *Session, r Result) {
		return func(t *testing.T, lang string, s *Session, r Result) {
			if l, h, ok := s.Draft.Ages(); !ok || l != lo || h != hi {
				t.Errorf("draft ages %v-%v %v, want %v-%v", l, h, ok, lo, hi)
			}
		}
	}
	runBoth(t, []transcript{
		{
			name: "a sighting's ages",
			turns: []turnCase{
				say("SEEN", "देखा", ids("emergency", "sighting.gender"), "sighting.gender"),
				press("g:male", ids("sighting.age"), "sighting.age"),
				say("21-25", "२१-२५ साल", ids("err.age.adult", "sighting.age"), "sighting.age"),
				// The same refusal twice is put in other words, then the way out.
				say("30 years", "३० साल", ids("err.again", "sighting.age"), "sighting.age"),
				say("NaN", "NaN", ids("err.age", "sighting.age"), "sighting.age"),
				say("-3", "-३", ids("err.again", "sighting.age"), "sighting.age"),
				say("21A", "1e9", ids("err.stuck", "sighting.age"), "sighting.age"),
				say("99999999999999999999", "Infinity", ids("err.stuck", "sighting.age"), "sighting.age"),
				{en: msg{text: "16-22"}, hi: msg{text: "16 से 22 साल"}, want: ids("sighting.clothes"), state: "sighting.clothes", check: ages(16, 22)},
				say("/cancel", "रद्द", ids("cancelled", "menu"), StateMenu),
			},
		},
		{
			name: "a parent's ages",
			turns: []turnCase{
				say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
				say("Ravi", "रवि", ids("report.age"), "report.age"),
				say("25", "पच्चीस 25", ids("err.age.adult", "report.age"), "report.age"),
				say("16-22", "१६-२२", ids("err.age", "report.age"), "report.age"),
				{en: msg{text: "16-18"}, hi: msg{text: "१६ से १८"}, want: ids("report.gender"), state: "report.gender", check: ages(16, 18)},
			},
		},
		{
			name:   "a found child's range",
			police: true,
			turns: []turnCase{
				say("/found", "", ids("found.start", "found.name"), "found.name"),
				press("skip", ids("found.age"), "found.age"),
				say("40-50", "४०-५०", ids("err.age.adult", "found.age"), "found.age"),
				{en: msg{text: "17-20"}, hi: msg{text: "१७-२०"}, want: ids("found.gender"), state: "found.gender", check: ages(17, 20)},
			},
		},
	})
}

// TestQuickAgesFromExtract: whatever age the core's reader gives a
// one-message sighting, the record to save is valid; an age that is no
// child's is dropped and asked again, saying why.
func TestQuickAgesFromExtract(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		rec  talaash.Record
		want []string
	}{
		{"21-25", talaash.Record{AgeMin: talaash.Num(21), AgeMax: talaash.Num(25), Place: "Kanpur Central"}, ids("quick.thanks", "quick.age.adult", "quick.age")},
		{"30", talaash.Record{Age: talaash.Num(30), Place: "Kanpur Central"}, ids("quick.thanks", "quick.age.adult", "quick.age")},
		{"NaN", talaash.Record{AgeMin: talaash.Num(8), AgeMax: &nan, Place: "Kanpur Central"}, ids("quick.thanks", "quick.age")},
		{"16-22", talaash.Record{AgeMin: talaash.Num(16), AgeMax: talaash.Num(22), Place: "Kanpur Central"}, ids("quick.saved")},
		{"bad place and height", talaash.Record{Age: talaash.Num(8), Lat: &nan, Lon: talaash.Num(500), HeightCM: &nan, Gender: "boy"}, ids("quick.thanks", "quick.place")},
	} {
		for _, lang := range []string{"en", "hi"} {
			t.Run(c.name+"/"+lang, func(t *testing.T) {
				env := envOn(talaash.ChannelSMS, t0)
				env.Extract = func(string) talaash.Record { return c.rec }
				s := NewSession(talaash.ChannelSMS, "+919812345678")
				s.Lang = lang
				res := Step(s, talaash.Inbound{Text: "seen a boy crying"}, env)
				var got []string
				for _, r := range res.Replies {
					got = append(got, r.ID)
				}
				if !slices.Equal(got, c.want) {
					t.Fatalf("replies %v, want %v", got, c.want)
				}
				checkReplies(t, 0, s, res)
				if res.Save == nil {
					t.Fatal("nothing to save")
				}
				if err := validCopy(res.Save); err != nil {
					t.Fatalf("refused: %v (%+v)", err, res.Save)
				}
				if c.name == "16-22" && (res.Save.AgeMin == nil || *res.Save.AgeMin != 16 || *res.Save.AgeMax != 22) {
					t.Errorf("range not kept as given: %+v", res.Save)
				}
			})
		}
	}
}

// TestAnswersReadTranscript: each answer is read for what its question asks,
// in English, Hindi and Hindi in Latin letters: a name out of a sentence, the
// guardian's name apart from their relation, "don't know" as no answer, an
// answer to another question asked again, a time still to come offered as
// the day before.
func TestAnswersReadTranscript(t *testing.T) {
	field := func(want map[string]string) func(t *testing.T, lang string, s *Session, r Result) {
		return func(t *testing.T, lang string, s *Session, r Result) {
			d := s.Draft
			got := map[string]string{"name": d.Name, "complexion": d.Complex, "marks": d.Marks, "place": d.Place}
			if d.Contact != nil {
				got["guardian"], got["relation"] = d.Contact.Name, d.Contact.Relation
			}
			for k, v := range want {
				if w := strings.Split(v, "|"); got[k] != w[0] && (len(w) < 2 || got[k] != w[1]) {
					t.Errorf("%s %q, want %q", k, got[k], v)
				}
			}
		}
	}
	at := func(want time.Time) func(t *testing.T, lang string, s *Session, r Result) {
		return func(t *testing.T, lang string, s *Session, r Result) {
			if !s.Draft.Time.Equal(want) {
				t.Errorf("time %v, want %v", s.Draft.Time.In(talaash.IST), want.In(talaash.IST))
			}
		}
	}
	yesterday11pm := time.Date(2025, 6, 13, 23, 0, 0, 0, talaash.IST)
	// way is one way of writing: English and Hindi, or Hinglish in both runs.
	way := func(name string, hinglish bool) transcript {
		w := func(en, hi, hl string) (string, string) {
			if hinglish {
				return hl, hl
			}
			return en, hi
		}
		tc := func(en, hi, hl string, want []string, state string, check func(*testing.T, string, *Session, Result)) turnCase {
			e, h := w(en, hi, hl)
			c := say(e, h, want, state)
			c.check = check
			return c
		}
		return transcript{name: name, turns: []turnCase{
			say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
			tc("her name is Priya", "उसका नाम प्रिया है", "uska naam Priya hai", ids("report.age"), "report.age",
				field(map[string]string{"name": "Priya|प्रिया"})),
			tc("8", "८", "8 saal", ids("report.gender"), "report.gender", nil),
			tc("girl", "लड़की", "ladki", ids("report.complexion"), "report.complexion", nil),
			tc("red shirt", "लाल कमीज़", "laal shirt", ids("err.complexion.clothes", "report.complexion"), "report.complexion", nil),
			tc("wheatish", "गेहुँआ", "gehua", ids("report.height"), "report.height", nil),
			tc("yesterday 5pm", "कल शाम 5 बजे", "kal shaam 5 baje", ids("err.height.time", "report.height"), "report.height", nil),
			tc("don't know", "पता नहीं", "nahi pata", ids("report.clothes"), "report.clothes", nil),
			tc("yellow kurta", "पीला कुर्ता", "peela kurta", ids("report.marks"), "report.marks", nil),
			tc("I don't know", "पता नहीं है", "pata nahi hai", ids("report.place"), "report.place",
				field(map[string]string{"marks": ""})),
			tc("pink frock", "गुलाबी फ्रॉक", "gulabi frock", ids("err.place.clothes", "report.place"), "report.place", nil),
			tc("Govind Nagar", "गोविंद नगर", "Govind Nagar", ids("report.time"), "report.time", nil),
			tc("today 11pm", "आज रात 11 बजे", "aaj raat 11 baje", ids("err.time.future"), "report.time", nil),
			tc("yes", "हाँ", "haan", ids("report.photo"), "report.photo", at(yesterday11pm)),
			tc("skip", "छोड़ें", "chhodo", ids("report.guardian"), "report.guardian", nil),
			tc("Sunita Devi, I am her mother", "सुनीता देवी, मैं उसकी माँ हूँ", "Sunita Devi, main uski maa hoon", ids("report.phone"), "report.phone",
				field(map[string]string{"guardian": "Sunita Devi|सुनीता देवी", "relation": "mother"})),
		}}
	}
	runBoth(t, []transcript{way("answers read as meant", false), way("answers read as meant, in Latin letters", true)})
}

// TestRefusalsTranscript: the same refusal is never said twice in the same
// words; after two, the way out; a stale button is named as such.
func TestRefusalsTranscript(t *testing.T) {
	runBoth(t, []transcript{{
		name: "refusals and a stale button",
		turns: []turnCase{
			say("REPORT", "शिकायत", ids("report.start", "report.name"), "report.name"),
			say("Ravi", "रवि", ids("report.age"), "report.age"),
			say("8", "८", ids("report.gender"), "report.gender"),
			press("g:male", ids("report.complexion"), "report.complexion"),
			press("g:female", ids("err.stale", "report.complexion"), "report.complexion"),
			press("c:fair", ids("report.height"), "report.height"),
			say("tall", "लंबा", ids("err.height", "report.height"), "report.height"),
			say("very tall", "बहुत लंबा", ids("err.again", "report.height"), "report.height"),
			say("tallish", "लंबा सा", ids("err.stuck.choices", "report.height"), "report.height"),
			say("skip", "छोड़ें", ids("report.clothes"), "report.clothes"),
		},
	}})
}
