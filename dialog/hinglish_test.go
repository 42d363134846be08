package dialog

import (
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
)

// runHinglish plays transcripts written in Hinglish (their en text) from a
// phone set to Hindi: how the person writes, not the phone, decides.
func runHinglish(t *testing.T, trs []transcript) {
	for _, tr := range trs {
		if tr.hint == "" {
			tr.hint = "hi"
		}
		t.Run(tr.name, func(t *testing.T) { run(t, tr, locales.HiLatn) })
	}
}

// inLang checks the session's language after a turn.
func inLang(want string) func(t *testing.T, lang string, s *Session, r Result) {
	return func(t *testing.T, _ string, s *Session, _ Result) {
		t.Helper()
		if s.Lang != want {
			t.Errorf("session language %q, want %q", s.Lang, want)
		}
	}
}

func hl(text string, want []string, state string) turnCase { return say(text, "", want, state) }

// smsParts renders a turn's replies as one SMS each, the way the SMS channel
// sends them, and reports the most parts any of them takes.
func smsParts(t *testing.T, s *Session, r Result) (maxParts int) {
	t.Helper()
	for _, rp := range r.Replies {
		data := map[string]any{"Ref": "K-48217-3"}
		for k, v := range rp.Data {
			if k != "Ref" {
				data[k] = v
			}
		}
		text := locales.RenderSMS(s.Lang, rp.ID, data)
		ok, _, parts := gsm.Parts(text)
		if !ok {
			t.Errorf("%s %q is not GSM-7: %q", s.Lang, rp.ID, text)
		}
		maxParts = max(maxParts, parts)
	}
	return maxParts
}

// TestHinglishReport: a parent writes Hindi in Latin letters from a phone set
// to Hindi, chooses Hinglish at the language prompt, and is asked and
// answered in Hinglish to the end; the record keeps the language.
func TestHinglishReport(t *testing.T) {
	runHinglish(t, []transcript{{
		name: "parent's report in Hinglish",
		turns: []turnCase{
			{en: msg{text: "namaste"}, want: ids("choose_language"), state: StateLanguage,
				check: func(t *testing.T, _ string, s *Session, r Result) {
					cs := r.Replies[0].Choices
					if len(cs) != 3 || cs[2].ID != "lang.hinglish" || cs[2].Data != "lang:hi-Latn" {
						t.Errorf("language choices %+v", cs)
					}
				}},
			{en: msg{cb: "lang:hi-Latn"}, want: ids("menu"), state: StateMenu,
				check: func(t *testing.T, _ string, s *Session, _ Result) {
					if s.Lang != locales.HiLatn || !s.LangChosen {
						t.Errorf("lang %q chosen %v", s.Lang, s.LangChosen)
					}
				}},
			hl("shikayat", ids("report.start", "report.name"), "report.name"),
			hl("uska naam Priya hai", ids("report.age"), "report.age"),
			hl("8 saal", ids("report.gender"), "report.gender"),
			hl("ladki", ids("report.complexion"), "report.complexion"),
			hl("gehuan", ids("report.height"), "report.height"),
			hl("pata nahi", ids("report.clothes"), "report.clothes"),
			hl("peela kurta aur neeli salwar", ids("report.marks"), "report.marks"),
			hl("koi nahi", ids("report.place"), "report.place"),
			hl("Govind Nagar", ids("report.time"), "report.time"),
			hl("kal shaam 5 baje", ids("report.photo"), "report.photo"),
			hl("chhodo", ids("report.guardian"), "report.guardian"),
			hl("Sunita Devi, main uski maa hoon", ids("report.phone"), "report.phone"),
			{en: msg{text: "98765 43210"}, want: ids("report.confirm"), state: "report.confirm",
				check: func(t *testing.T, _ string, s *Session, r Result) {
					text := locales.Render(s.Lang, "report.confirm", r.Replies[0].Data)
					for _, want := range []string{"Naam: Priya", "Umar: 8", "Ling: Ladki", "Rang: Gehuan",
						"Samay: 13 Jun, shaam 5:00 IST", "Guardian: Sunita Devi (maa)", "Kya yeh sahi hai?"} {
						if !strings.Contains(text, want) {
							t.Errorf("summary lacks %q:\n%s", want, text)
						}
					}
				}},
			{en: msg{text: "haan"}, want: ids("report.saved"), state: StateDone,
				check: func(t *testing.T, _ string, s *Session, r Result) {
					rec := r.Save
					if rec == nil || rec.Name != "Priya" || rec.Gender != "female" || rec.Complex != "wheatish" || rec.Marks != "" ||
						rec.Language != locales.HiLatn || rec.Contact == nil || rec.Contact.Relation != "mother" {
						t.Fatalf("saved %+v", rec)
					}
					if err := validCopy(rec); err != nil || rec.Language != locales.HiLatn {
						t.Errorf("the store keeps the language as %q: %v", rec.Language, err)
					}
					if want := time.Date(2025, 6, 13, 17, 0, 0, 0, talaash.IST); !rec.Time.Equal(want) {
						t.Errorf("time %v", rec.Time)
					}
				}},
		},
	}})
}

// TestHinglishSMS: a one-message sighting and a lost child, written in
// Hinglish by SMS with no language chosen, get Hinglish replies, every one
// GSM-7 in one part.
func TestHinglishSMS(t *testing.T) {
	onePart := func(t *testing.T, _ string, s *Session, r Result) {
		t.Helper()
		if s.Lang != locales.HiLatn {
			t.Errorf("session language %q", s.Lang)
		}
		if p := smsParts(t, s, r); p != 1 {
			t.Errorf("a reply takes %d SMS parts", p)
		}
	}
	with := func(c turnCase, check func(*testing.T, string, *Session, Result)) turnCase {
		c.check = check
		return c
	}
	runHinglish(t, []transcript{
		{name: "one-message sighting", channel: talaash.ChannelSMS, sender: "+919812345678", hint: "en", turns: []turnCase{
			with(hl("ladki 6 saal gulabi frock central station par dekhi", ids("quick.saved"), StateDone),
				func(t *testing.T, lang string, s *Session, r Result) {
					onePart(t, lang, s, r)
					if r.Save == nil || r.Save.Gender != "female" || r.Save.Language != locales.HiLatn {
						t.Errorf("saved %+v", r.Save)
					}
				}),
		}},
		{name: "one-message sighting missing the place", channel: talaash.ChannelSMS, sender: "+919812345678", hint: "en", turns: []turnCase{
			with(hl("ek ladka laal shirt mein ro raha tha", ids("quick.thanks", "quick.place"), "quick.place"), onePart),
			with(hl("Moti Jheel ke paas", ids("quick.age"), "quick.age"), onePart),
			with(hl("lagbhag 7 saal", ids("quick.saved"), StateDone), onePart),
		}},
		{name: "a lost child", channel: talaash.ChannelSMS, sender: "+919812345671", turns: []turnCase{
			with(hl("mummy nahi mil rahi", ids("lost.help", "lost.name"), "lost.name"), func(t *testing.T, lang string, s *Session, r Result) {
				onePart(t, lang, s, r)
				if text := locales.RenderSMS(s.Lang, "lost.help", nil); !strings.Contains(text, "1098") || !strings.Contains(text, "112") {
					t.Errorf("lost.help %q", text)
				}
			}),
			with(hl("Ravi", ids("lost.age"), "lost.age"), onePart),
			with(hl("7 saal", ids("lost.gender"), "lost.gender"), onePart),
			with(hl("ladka", ids("lost.place"), "lost.place"), onePart),
			with(hl("bada chauraha", ids("lost.saved"), StateDone), func(t *testing.T, lang string, s *Session, r Result) {
				onePart(t, lang, s, r)
				if r.Save == nil || r.Save.Safe != talaash.SafeLost || r.Save.Gender != "male" || r.Save.Language != locales.HiLatn {
					t.Errorf("saved %+v", r.Save)
				}
			}),
		}},
	})
}

// TestHinglishSwitching: the language follows what people ask for and how
// they write, mid-dialog, and the draft survives every switch.
func TestHinglishSwitching(t *testing.T) {
	runHinglish(t, []transcript{{
		name: "switching mid-dialog",
		turns: []turnCase{
			{en: msg{text: "mera beta kho gaya hai, report karni hai"}, want: ids("choose_language"), state: StateLanguage, check: inLang(locales.HiLatn)},
			{en: msg{text: "REPORT"}, want: ids("report.start", "report.name"), state: "report.name", check: inLang(locales.HiLatn)},
			{en: msg{text: "english pls"}, want: ids("lang.changed", "report.name"), state: "report.name", check: inLang("en")},
			{en: msg{text: "Ravi"}, want: ids("report.age"), state: "report.age", check: inLang("en")},
			// English was chosen: a few Hindi words in Latin letters keep it.
			{en: msg{text: "8 saal ka hai"}, want: ids("report.gender"), state: "report.gender", check: inLang("en")},
			{en: msg{text: "hindi mein"}, want: ids("lang.changed", "report.gender"), state: "report.gender", check: inLang("hi")},
			// Hindi, then Latin letters: Hinglish.
			{en: msg{text: "ladka hai ji"}, want: ids("report.complexion"), state: "report.complexion", check: inLang(locales.HiLatn)},
			// Devanagari: Hindi.
			{en: msg{text: "गेहुँआ"}, want: ids("report.height"), state: "report.height", check: inLang("hi")},
			{en: msg{text: "LANG ROMAN"}, want: ids("lang.changed", "report.height"), state: "report.height", check: inLang(locales.HiLatn)},
			{en: msg{text: "LANG EN"}, want: ids("lang.changed", "report.height"), state: "report.height", check: inLang("en")},
			{en: msg{text: "LANG HINGLISH"}, want: ids("lang.changed", "report.height"), state: "report.height",
				check: func(t *testing.T, lang string, s *Session, r Result) {
					inLang(locales.HiLatn)(t, lang, s, r)
					d := s.Draft
					if d == nil || d.Name != "Ravi" || d.Gender != "male" || d.Complex != "wheatish" || d.Age == nil || *d.Age != 8 {
						t.Errorf("draft after the switches %+v", d)
					}
					if got := locales.Render(s.Lang, "lang.changed", nil); !strings.Contains(got, "Theek hai") {
						t.Errorf("lang.changed %q", got)
					}
				}},
		},
	}})
}

// TestLanguagePrompt: the ways people answer the language question.
func TestLanguagePrompt(t *testing.T) {
	for text, want := range map[string]string{
		"english pls": "en", "english please": "en", "angrezi": "en", "in english": "en", "English.": "en",
		"hindi mein": "hi", "hindi pls": "hi", "हिंदी में": "hi", "hindi": "hi",
		"hinglish": locales.HiLatn, "roman": locales.HiLatn, "LANG HINGLISH": locales.HiLatn, "lang roman": locales.HiLatn,
		"hinglish mein": locales.HiLatn, "3": locales.HiLatn, "Hinglish": locales.HiLatn, "en": "en", "Roman.": locales.HiLatn,
	} {
		s := NewSession(talaash.ChannelSMS, "+919812345678")
		Step(s, talaash.Inbound{Text: "hello"}, envOn(s.Channel, t0))
		if s.State != StateLanguage {
			t.Fatalf("after hello: %q", s.State)
		}
		res := Step(s, talaash.Inbound{Text: text}, envOn(s.Channel, t0))
		if s.Lang != want || !s.LangChosen || s.State != StateMenu || len(res.Replies) != 1 || res.Replies[0].ID != "menu" {
			t.Errorf("%q at the language prompt: lang %q chosen %v state %q replies %+v", text, s.Lang, s.LangChosen, s.State, res.Replies)
		}
	}
	// Not a language outside the prompt: "hi please" is a greeting, "main
	// road" an answer, "Roman" and "en" may be names.
	for _, text := range []string{"hi please", "main road", "Roman", "en"} {
		if c, ok := ParseCommand(text); ok && c.Name == CmdLang {
			t.Errorf("%q read as a language: %+v", text, c)
		}
	}
}

// TestHinglishDetection: who gets what at the first message and after.
func TestHinglishDetection(t *testing.T) {
	for _, c := range []struct{ text, hint, want string }{
		{"ek ladka laal shirt mein", "", locales.HiLatn},
		{"ek ladka laal shirt mein", "en", locales.HiLatn},
		{"एक लड़का लाल शर्ट में", "en", "hi"},
		{"a boy in a red shirt", "hi", "hi"},
		{"a boy in a red shirt", "", "en"},
	} {
		if got := guessLang(c.text, c.hint); got != c.want {
			t.Errorf("guessLang(%q, %q) = %q, want %q", c.text, c.hint, got, c.want)
		}
	}
	// A session stored before Hinglish (no lang_chosen) still loads, and its
	// Hindi reader who writes in Latin letters gets Hinglish.
	s, err := Unmarshal([]byte(`{"channel":"sms","sender":"+919812345678","lang":"hi","state":"report.clothes","draft":{"kind":"missing","name":"रवि"}}`))
	if err != nil || s.Lang != "hi" || s.LangChosen {
		t.Fatalf("old session: %+v %v", s, err)
	}
	res := Step(s, talaash.Inbound{Text: "neeli shirt aur kaali pant"}, envOn(s.Channel, t0))
	if s.Lang != locales.HiLatn || s.Draft.Name != "रवि" || len(res.Replies) != 1 || res.Replies[0].ID != "report.marks" {
		t.Errorf("old Hindi session, Latin answer: lang %q draft %+v replies %+v", s.Lang, s.Draft, res.Replies)
	}
}
