package dialog

import (
	"testing"

	"talaash"
)

// TestQuestionTopics: a parent's follow-up questions are read by topic from
// vocab/questions.csv in English, Devanagari and Hindi in Latin letters,
// typos included; a sighting, a new report or a plain "okay" asks nothing.
func TestQuestionTopics(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"where is my child?", "where"},
		{"Where is my daughter now", "where"},
		{"wheres my son", "where"},
		{"whr is my son", "where"},
		{"बच्चा कहाँ मिला?", "where"},
		{"बच्चा कहां मिला", "where"},
		{"मेरा बेटा कहाँ है", "where"},
		{"bacha kahan mila", "where"},
		{"bachha kaha mila", "where"},
		{"mera beta kahan hai", "where"},
		{"beti kidhar hai?", "where"},
		{"when will they call", "when"},
		{"When will police call me?", "when"},
		{"wen will police call", "when"},
		{"पुलिस कब फ़ोन करेगी?", "when"},
		{"पुलिस कब फोन करेगी", "when"},
		{"police kab call karegi", "when"},
		{"kab phone karenge", "when"},
		{"koi khabar?", "when"},
		{"any news?", "when"},
		{"can I see the photo?", "photo"},
		{"show me his photo", "photo"},
		{"फोटो दिखाओ", "photo"},
		{"फ़ोटो दिखाइए", "photo"},
		{"photo dikhao", "photo"},
		{"foto bhejo", "photo"},
		{"who found him?", "who"},
		{"who found my daughter", "who"},
		{"किसने ढूंढा?", "who"},
		{"किसके पास है", "who"},
		{"kisne dhundha", "who"},
		{"kiske paas hai wo", "who"},
		{"uska number do", "who"},
		{"is she safe?", "safe"},
		{"is he ok", "safe"},
		{"is my child safe", "safe"},
		{"वो ठीक तो है?", "safe"},
		{"बेटी सुरक्षित है?", "safe"},
		{"theek to hai na", "safe"},
		{"thik hai kya wo", "safe"},
		{"kaisi hai meri beti", "safe"},
		// Who first: a question of two topics.
		{"who found him and where?", "who"},
		// Not questions about a case.
		{"saw a boy alone at the station, where is his mother", ""},
		{"ek ladka akela station par rota hua, kahan hai iski maa", ""},
		{"mera beta kho gaya", ""},
		{"theek hai", ""},
		{"ठीक है", ""},
		{"ok thanks", ""},
		{"red shirt blue jeans", ""},
		{"hello", ""},
	} {
		if got := Question(c.text); got != c.want {
			t.Errorf("Question(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// topic checks the turn handed the core a follow-up question of topic want.
func topic(want string) func(t *testing.T, lang string, s *Session, r Result) {
	return func(t *testing.T, lang string, s *Session, r Result) {
		t.Helper()
		if len(r.Actions) != 1 || r.Actions[0].Kind != ActQuestion || r.Actions[0].Arg != want {
			t.Fatalf("actions %+v, want a %q question", r.Actions, want)
		}
		if len(r.Replies) != 0 {
			t.Fatalf("replies %+v besides the question: the core answers it", r.Replies)
		}
	}
}

// shortReport is a parent's report from the menu to its summary, optional
// questions skipped.
var shortReport = []turnCase{
	{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
	press("menu:report", ids("report.start", "report.name"), "report.name"),
	say("Priya", "प्रिया", ids("report.age"), "report.age"),
	say("7", "सात", ids("report.gender"), "report.gender"),
	press("g:female", ids("report.complexion"), "report.complexion"),
	press("skip", ids("report.height"), "report.height"),
	press("skip", ids("report.clothes"), "report.clothes"),
	say("green kurta", "हरा कुर्ता", ids("report.marks"), "report.marks"),
	press("skip", ids("report.place"), "report.place"),
	say("Naveen Market", "नवीन मार्केट", ids("report.time"), "report.time"),
	press("t:today", ids("report.photo"), "report.photo"),
	press("skip", ids("report.guardian"), "report.guardian"),
	say("Sunita Devi", "सुनीता देवी", ids("report.phone"), "report.phone"),
	say("98765 43210", "९८७६५ ४३२१०", ids("report.confirm"), "report.confirm"),
}

// TestFollowUpQuestions: after a report, the parent's questions go to the
// core (which knows where the case stands) instead of "I did not
// understand" and the menu; on a first message too; never in the middle of a
// question, where they are an answer, nor from police.
func TestFollowUpQuestions(t *testing.T) {
	ask := func(en, hi, want string) turnCase {
		return turnCase{en: msg{text: en}, hi: msg{text: hi}, want: ids("act:question"), state: StateDone, check: topic(want)}
	}
	runBoth(t, []transcript{
		{
			name: "after a report, Telegram",
			turns: append(append([]turnCase{say("hello", "नमस्ते", ids("choose_language"), StateLanguage)}, shortReport...),
				turnCase{en: msg{cb: "confirm"}, want: ids("report.saved"), state: StateDone, check: func(t *testing.T, lang string, s *Session, r Result) {
					if c := r.Replies[0].Choices; len(c) != 1 || c[0].Data != "status" {
						t.Fatalf("saved report offers %+v, want the status button", c)
					}
				}},
				press("status", ids("act:status"), StateDone),
				ask("where is my child?", "बच्चा कहाँ मिला?", "where"),
				ask("when will police call?", "पुलिस कब फ़ोन करेगी?", "when"),
				ask("can I see the photo", "फोटो दिखाओ", "photo"),
				ask("who found her", "किसने ढूँढा?", "who"),
				ask("is she safe?", "वो ठीक तो है?", "safe"),
				ask("bacha kahan mila", "bacha kahan mila", "where"),
				ask("police kab call karegi", "police kab call karegi", "when"),
				say("STATUS", "STATUS", ids("act:status"), StateDone),
			),
		},
		{
			name: "a first message, SMS", channel: talaash.ChannelSMS, sender: "+919876543210",
			turns: []turnCase{
				{en: msg{text: "where is my son"}, hi: msg{text: "mera beta kahan hai"}, want: ids("act:question"), state: StateMenu, check: topic("where")},
			},
		},
		{
			name: "in the middle of a question it is an answer",
			turns: []turnCase{
				{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
				press("menu:report", ids("report.start", "report.name"), "report.name"),
				say("is she safe", "ठीक तो है", ids("report.age"), "report.age"),
			},
		},
		{
			name: "police look cases up with CASE", police: true,
			turns: []turnCase{
				{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
				say("where is he?", "कहाँ मिला?", ids("menu.unknown"), StateMenu),
			},
		},
	})
}

// TestSavedWithoutPolice: with no officer to hear of a record, nobody is
// told police will see or compare it; the reply says it is saved and gives
// 112 and 1098. With police the usual words stand.
func TestSavedWithoutPolice(t *testing.T) {
	quick := turnCase{en: msg{text: "seen a girl about 6, pink frock, crying at Kanpur Central"},
		hi: msg{text: "एक लड़की करीब 6 साल की, गुलाबी फ्रॉक, कानपुर सेंट्रल स्टेशन पर रोती हुई देखी"}}
	withIDs := func(tc turnCase, want ...string) turnCase { tc.want, tc.state = want, StateDone; return tc }
	runBoth(t, []transcript{
		{name: "quick sighting, no police", channel: talaash.ChannelSMS, sender: "+919812345678", noPolice: true,
			turns: []turnCase{withIDs(quick, "quick.saved.nopolice")}},
		{name: "quick sighting, police", channel: talaash.ChannelSMS, sender: "+919812345678",
			turns: []turnCase{withIDs(quick, "quick.saved")}},
		{name: "lost child, no police", noPolice: true,
			turns: []turnCase{
				say("i am lost", "मैं खो गया हूँ", ids("lost.help", "lost.name"), "lost.name"),
				say("Ravi", "रवि", ids("lost.age"), "lost.age"),
				say("7", "सात", ids("lost.gender"), "lost.gender"),
				press("g:male", ids("lost.place"), "lost.place"),
				say("Kanpur Central", "कानपुर सेंट्रल", ids("lost.saved.nopolice"), StateDone),
			}},
		{name: "sighting question by question, no police", noPolice: true,
			turns: []turnCase{
				{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, want: ids("menu"), state: StateMenu},
				press("menu:seen", ids("emergency", "sighting.gender"), "sighting.gender"),
				press("g:female", ids("sighting.age"), "sighting.age"),
				say("6", "छह", ids("sighting.clothes"), "sighting.clothes"),
				press("skip", ids("sighting.marks"), "sighting.marks"),
				press("skip", ids("sighting.place"), "sighting.place"),
				say("Kanpur Central", "कानपुर सेंट्रल", ids("sighting.time"), "sighting.time"),
				press("t:now", ids("sighting.photo"), "sighting.photo"),
				press("skip", ids("sighting.safe"), "sighting.safe"),
				press("safe:safe", ids("sighting.contact"), "sighting.contact"),
				press("skip", ids("sighting.confirm"), "sighting.confirm"),
				press("confirm", ids("sighting.saved.nopolice"), StateDone),
			}},
		{name: "report, no police", noPolice: true,
			turns: append(shortReport, press("confirm", ids("report.saved.nopolice"), StateDone))},
	})
}
