package bot_test

import (
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/gsm"
	"talaash/locales"
)

// The SMS cost rule, checked on what the core really sends: whole
// conversations over SMS, turn by turn through bot.Handle on a real bbolt file
// with the police desk of package alerts wired as cmd/talaash wires it,
// and every reply measured with gsm.Segments, as the SMS adapter counts parts. English:
// pure GSM-7 and one part per turn (two messages cost as much as two parts, so
// a turn may not split); Hindi: every message within two UCS-2 parts (134).
// WhatsApp has no such limit but is plain text like SMS: no Markdown, no
// buttons to tap, nothing to share that SMS cannot carry.

// line is one turn of a cost conversation: what the person writes in the
// English and the Hindi run ("" in hi: the same as en). "{ref}" becomes the
// reference of the sender's latest record.
type line struct{ en, hi string }

// conversation is one person's whole exchange.
type conversation struct {
	name  string
	lines []line
}

const policeCode = "KNP-2026"

var costConversations = []conversation{
	{name: "parent's report", lines: []line{
		{"hello", "नमस्ते"},
		{"2", "१"}, // language
		{"REPORT", "शिकायत"},
		{"Anjali Kumari Sharma", "अंजलि कुमारी शर्मा"},
		{"not sure", "पता नहीं"},
		{"8 years", "आठ साल"},
		{"back", "पीछे"},
		{"8", "८"},
		{"HELP", "मदद"},
		{"maybe", "शायद"}, // wrong gender
		{"2", "२"},
		{"LANG HI", "LANG EN"},
		{"LANG EN", "हिंदी"},
		{"2", "२"},            // wheatish
		{"very tall", "बहुत"}, // wrong height
		{"4 feet", "4 फुट"},
		{"red shirt, blue jeans", "लाल कमीज़, नीली जींस"},
		{"mole on left cheek", "बाएँ गाल पर तिल"},
		{"Moti Jheel, Swaroop Nagar", "मोती झील, स्वरूप नगर"},
		{"someday", "कभी"}, // wrong time
		{"2", "२"},         // yesterday
		{"hello?", "नमस्ते?"},
		{"1", "१"}, // skip the photo
		{"STATUS", "STATUS"},
		{"Ramesh Kumar Gupta", "रमेश कुमार गुप्ता"},
		{"12345", "१२३४५"},
		{"1", "१"}, // this number
		{"what", "क्या"},
		{"2", "२"}, // edit
		{"6", "६"}, // clothes
		{"red shirt, blue jeans, black shoes", "लाल कमीज़, नीली जींस, काले जूते"},
		{"1", "१"}, // confirm
		{"STATUS", "स्थिति"},
		{"STATUS {ref}", "STATUS {ref}"},
		{"STATUS K-0000-0", "STATUS K-0000-0"},
		{"menu", "मेनू"},
	}},
	{name: "parent cancels and starts again", lines: []line{
		{"hi", "नमस्ते"},
		{"REPORT", "शिकायत"},
		{"Ravi", "रवि"},
		{"CANCEL", "रद्द"},
		{"my son is missing", "मेरा बेटा गुम हो गया"},
		{"Ravi", "रवि"},
		{"back", "पीछे"},
		{"back", "पीछे"},
		{"Ravi", "रवि"},
		{"{+25h}", ""},
		{"8", "८"},
	}},
	{name: "sighting by steps", lines: []line{
		{"hi", "नमस्ते"},
		{"2", "१"}, // language
		{"2", "२"}, // I saw a child
		{"1", "१"}, // boy
		{"old", "बड़ा"},
		{"21-25", "२१-२५ साल"}, // not a child's: Talaash is for children
		{"NaN", "-3"},          // no age
		{"5-7", "5-7"},
		{"1", "१"}, // skip clothes
		{"limps, cut on hand", "लंगड़ाता है, हाथ पर चोट"},
		{"Kanpur Central platform 3", "कानपुर सेंट्रल प्लेटफॉर्म 3"},
		{"1", "१"}, // now
		{"1", "१"}, // skip photo
		{"maybe", "शायद"},
		{"3", "३"}, // in danger
		{"9876", "9876"},
		{"1", "१"}, // this number
		{"1", "१"}, // confirm
	}},
	{name: "sighting with no number", lines: []line{
		{"SEEN", "देखा"},
		{"girl", "लड़की"},
		{"6", "६"},
		{"pink frock", "गुलाबी फ्रॉक"},
		{"1", "१"}, // none
		{"Bada Chauraha", "बड़ा चौराहा"},
		{"5pm", "शाम 5 बजे"},
		{"1", "१"},
		{"2", "२"}, // safe
		{"2", "२"}, // skip
		{"2", "२"}, // edit
		{"3", "३"},
		{"pink frock, red slippers", "गुलाबी फ्रॉक, लाल चप्पल"},
		{"1", "१"},
	}},
	{name: "one-message sighting, complete", lines: []line{
		{"SEEN girl 6 pink frock Kanpur Central", "लड़की 6 साल गुलाबी फ्रॉक सेंट्रल स्टेशन पर देखी"},
		{"STATUS", "STATUS"},
	}},
	{name: "one-message sighting, Hinglish", lines: []line{
		{"ladki 6 saal gulabi frock central station par dekhi", "ladki 6 saal gulabi frock central station par dekhi"},
	}},
	{name: "one-message sighting, place and age missing", lines: []line{
		{"saw a boy crying alone, blue shirt", "एक लड़का अकेला रो रहा था, नीली कमीज़"},
		{"?", "?"},
		{"near Phool Bagh gate", "फूल बाग गेट के पास"},
		{"old", "बड़ा"},
		{"30 years", "३० साल"},
		{"about 9", "लगभग 9"},
	}},
	{name: "one-message sighting, an adult's age", lines: []line{
		{"seen a boy 21-25 years red shirt crying at Kanpur Central", "देखा लड़का २१-२५ साल लाल शर्ट कानपुर सेंट्रल पर रो रहा था"},
		{"16-22", "16 से 22 साल"},
	}},
	{name: "one-message sighting, Hinglish, in danger", lines: []line{
		{"ek ladka akela ro raha tha, chot lagi hai", "ek ladka akela ro raha tha, chot lagi hai"},
		{"Rawatpur crossing", "Rawatpur crossing"},
		{"8", "8"},
	}},
	{name: "lost child", lines: []line{
		{"I am lost", "मैं खो गया हूँ"},
		{"Sonu", "सोनू"},
		{"7", "७"},
		{"near a big temple", "बड़े मंदिर के पास"},
	}},
	{name: "lost child, Hinglish", lines: []line{
		{"main kho gaya hoon", "main kho gaya hoon"},
		{"1", "1"},
		{"1", "1"},
		{"railway station", "railway station"},
	}},
	{name: "police", lines: []line{
		{"hello", "नमस्ते"},
		{"2", "१"},
		{"POLICE 1234", "पुलिस 1234"},
		{"POLICE " + policeCode, "पुलिस " + policeCode},
		{"HELP", "मदद"},
		{"menu", "मेनू"},
		{"3", "३"}, // record a found child
		{"1", "१"}, // name not known
		{"7-9", "7-9"},
		{"1", "१"},
		{"3", "३"},
		{"1", "१"},
		{"blue shorts, no shirt", "नीली निकर, बिना कमीज़"},
		{"scar on right knee", "दाएँ घुटने पर निशान"},
		{"Kanpur Central platform 1", "कानपुर सेंट्रल प्लेटफॉर्म 1"},
		{"2", "२"},
		{"1", "१"},
		{"Kotwali, Kanpur Nagar", "कोतवाली, कानपुर नगर"},
		{"1", "१"},
		{"CASE {ref}", "CASE {ref}"},
		{"CASE K-0000-0", "CASE K-0000-0"},
		{"YES {ref}", "हाँ {ref}"},
		{"NO {ref}", "nahi {ref}"},
		{"OPEN", "OPEN"},
		{"OPEN 2", "OPEN 2"},
		{"MATCHES", "MATCHES"},
		{"STATS", "STATS"},
		{"REUNITED {ref}", "REUNITED {ref}"},
		{"CLOSE {ref} duplicate", "CLOSE {ref} दोहरा"},
		{"STATUS", "STATUS"},
		{"FOUND", "मिला"},
		{"CANCEL", "रद्द"},
		{"FOUND", "मिला"},
		{"{+25h}", ""},
		{"hello", "नमस्ते"},
		{"POLICE REVOKE", "POLICE REVOKE"},
		{"FOUND", "mila"},
	}},
	{name: "wrong police codes", lines: []line{
		{"POLICE", "पुलिस"},
		{"POLICE 1", "पुलिस 1"}, {"POLICE 2", "पुलिस 2"}, {"POLICE 3", "पुलिस 3"}, {"POLICE 4", "पुलिस 4"},
		{"POLICE 5", "पुलिस 5"}, {"POLICE 6", "पुलिस 6"},
		{"CASE", "CASE"},
		{"CASE K-4821-7", "CASE K-4821-7"},
	}},
	{name: "stop and start", lines: []line{
		{"hello", "नमस्ते"},
		{"STOP", "बंद"},
		{"hello", "नमस्ते"},
		{"REPORT", "शिकायत"},
		{"START", "शुरू"},
		{"menu", "मेनू"},
		{"band", "band"},
		{"shuru", "shuru"},
	}},
	{name: "Devanagari in an English conversation", lines: []line{
		{"hello", "hello"},
		{"2", "2"}, // English
		{"मदद", "मदद"},
		{"LANG EN", "LANG EN"},
		{"1", "1"},
		{"मेरा बेटा", "मेरा बेटा"},
	}},
}

// keywords are every keyword the dialog knows, in its three ways of writing; each is
// sent at the menu and in the middle of a report.
var keywords = [][]string{
	{"HELP", "मदद", "madad"},
	{"STOP", "बंद", "band"},
	{"START", "शुरू", "shuru"},
	{"MENU", "मेनू", "namaste"},
	{"REPORT", "शिकायत", "shikayat"},
	{"SEEN", "देखा", "dekha"},
	{"FOUND", "मिला", "mila"},
	{"LOST", "मैं खो गया हूँ", "main kho gaya hoon"},
	{"CANCEL", "रद्द", "radd"},
	{"BACK", "पीछे", "peeche"},
	{"STATUS", "स्थिति", "sthiti"},
	{"STATUS K-4821-7", "स्थिति K-4821-7", "sthiti K 4821 7"},
	{"LANG HI", "हिंदी", "hindi"},
	{"LANG EN", "अंग्रेजी", "english"},
	{"POLICE", "पुलिस", "pulis"},
	{"POLICE 0000", "पुलिस 0000", "pulis 0000"},
	{"CASE K-4821-7", "CASE K-4821-7", "case K 4821 7"},
	{"YES K-4821-7", "हाँ K-4821-7", "haan K-4821-7"},
	{"NO K-4821-7", "नहीं K-4821-7", "nahi K-4821-7"},
	{"REUNITED K-4821-7", "REUNITED K-4821-7", "reunited K-4821-7"},
	{"CLOSE K-4821-7 duplicate", "CLOSE K-4821-7 दोहरा", "close K-4821-7 duplicate"},
	{"OPEN", "OPEN", "open"},
	{"MATCHES", "MATCHES", "matches"},
	{"STATS", "STATS", "stats"},
	{"POLICE REVOKE", "पुलिस REVOKE", "pulis revoke"},
}

// sent is one message the core sent, measured.
type sent struct {
	channel, lang, conv, wrote, text string
	enc                              string
	units, parts                     int
}

// costRun plays conversations on one channel and keeps every reply.
type costRun struct {
	t        *testing.T
	e        *env
	channel  string
	seq      int
	all      []sent
	reported map[string]bool
	turns    int // turns answered
	split    int // turns answered with more than one message
	// caseParts is what an English SMS answer to CASE REF may take: the
	// alerts desk's /case answer by SMS may run to two parts.
	caseParts int
}

func newCostRun(t *testing.T, channel string) *costRun {
	quiet := bot.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &costRun{t: t, e: newEnv(t, bot.Config{PoliceCode: policeCode}, quiet), channel: channel, caseParts: 1}
}

// sender is a fresh Indian mobile number for each conversation.
func (c *costRun) sender() string {
	c.seq++
	return fmt.Sprintf("+9198%08d", 10000000+c.seq)
}

// turn sends one message and checks every reply; the replies' language is the
// session's after the turn, which is what the core renders in.
func (c *costRun) turn(conv, from, text string) []talaash.Outbound {
	t := c.t
	t.Helper()
	if d, ok := strings.CutPrefix(text, "{+"); ok {
		wait, err := time.ParseDuration(strings.TrimSuffix(d, "}"))
		if err != nil {
			t.Fatal(err)
		}
		c.e.now = c.e.now.Add(wait)
		return nil
	}
	if strings.Contains(text, "{ref}") {
		rs := c.e.records(c.channel, from)
		if len(rs) == 0 {
			t.Fatalf("%s: %q needs a record, there is none", conv, text)
		}
		text = strings.ReplaceAll(text, "{ref}", rs[len(rs)-1].Ref)
	}
	outs := c.e.send(c.channel, from, msg{text: text})
	if strings.HasSuffix(text, " "+policeCode) {
		c.e.approveAll() // the general code only asks; an officer approves
	}
	lang := c.e.session(c.channel, from).Lang
	if lang == "" {
		lang = "en"
	}
	limit := 1
	if strings.HasPrefix(strings.ToUpper(text), "CASE ") {
		limit = c.caseParts
	}
	c.turns++
	if len(outs) > 1 {
		c.split++
		if testing.Verbose() {
			t.Logf("%s, %s: %q answered with %d SMS: %q", lang, conv, text, len(outs), texts(outs))
		}
	}
	total := 0
	for _, o := range outs {
		enc, parts := gsm.Segments(o.Text)
		s := sent{channel: c.channel, lang: lang, conv: conv, wrote: text, text: o.Text, enc: enc,
			units: gsm.Length(o.Text), parts: parts}
		c.all = append(c.all, s)
		total += parts
		c.check(s, o, limit)
	}
	if c.channel == talaash.ChannelSMS && lang == "en" && total > limit {
		t.Errorf("%s: %q got %d English SMS parts in %d messages, want %d: %q", conv, text, total, len(outs), limit, texts(outs))
	}
	return outs
}

// forbidden are words SMS and WhatsApp replies must not contain: there are no
// buttons to tap, and SMS cannot share a location or a contact.
var forbidden = map[string][]string{
	talaash.ChannelSMS: {"tap", "press", "button", "click", "share", "choose", "चुन", "दबा", "बटन", "शेयर", "लोकेशन भेज", "कॉन्टैक्ट", "📍", "📞",
		"chunein", "dabayein", "location bhej", "contact bhi bhej"},
	talaash.ChannelWhatsApp: {"tap ", "press", "button", "click", "दबा", "बटन"},
}

// breach reports a problem with a reply once, however many turns send it.
func (c *costRun) breach(s sent, format string, args ...any) {
	c.t.Helper()
	what := fmt.Sprintf(format, args...)
	if key := s.lang + "\x00" + s.text + "\x00" + what; !c.reported[key] {
		if c.reported == nil {
			c.reported = map[string]bool{}
		}
		c.reported[key] = true
		c.t.Errorf("%s/%s, after %q: %s: %q", s.lang, s.conv, s.wrote, what, s.text)
	}
}

func (c *costRun) check(s sent, o talaash.Outbound, limit int) {
	c.t.Helper()
	if len(o.Choices) > 0 || o.Inline || o.Ask != talaash.AskNone {
		c.breach(s, "buttons on a text channel: %+v", o)
	}
	if strings.ContainsAny(s.text, "*_`~") {
		c.breach(s, "Markdown characters in a plain-text message")
	}
	low := strings.ToLower(s.text)
	for _, w := range forbidden[c.channel] {
		if strings.Contains(low, w) {
			c.breach(s, "mentions %q, which a %s user cannot do", w, c.channel)
		}
	}
	if strings.Contains(s.text, "<no value>") || strings.Contains(s.text, "{{") {
		c.breach(s, "template not filled")
	}
	if c.channel != talaash.ChannelSMS {
		return
	}
	switch {
	case s.lang == "en" && s.enc != gsm.GSM7:
		c.breach(s, "English SMS is %s (%q), not GSM-7", s.enc, nonGSMRune(s.text))
	case s.lang == "en" && s.parts > limit:
		c.breach(s, "English SMS of %d units takes %d parts", s.units, s.parts)
	case s.lang == "hi" && s.parts > 2:
		c.breach(s, "Hindi SMS of %d units takes %d parts", s.units, s.parts)
	case s.lang == locales.HiLatn && s.enc != gsm.GSM7:
		c.breach(s, "Hinglish SMS is %s (%q), not GSM-7", s.enc, nonGSMRune(s.text))
	case s.lang == locales.HiLatn && s.parts > limit:
		c.breach(s, "Hinglish SMS of %d units takes %d parts", s.units, s.parts)
	}
}

func nonGSMRune(s string) string {
	for _, r := range s {
		if enc, _ := gsm.Segments(string(r)); enc != gsm.GSM7 {
			return string(r)
		}
	}
	return ""
}

// play runs every conversation, and withKeywords every keyword, in one language.
func (c *costRun) play(lang string, withKeywords bool) {
	for _, cv := range costConversations {
		from := c.sender()
		for _, l := range cv.lines {
			text := l.en
			if lang == "hi" && l.hi != "" {
				text = l.hi
			}
			c.turn(cv.name, from, text)
		}
	}
	if !withKeywords {
		return
	}
	// Every keyword in its three writings at the menu; in the middle of a
	// report and by an officer in Latin letters and in Devanagari (which also
	// switches the language). The three writings are one command, so the
	// Hinglish one adds nothing there.
	lng := map[string]string{"en": "LANG EN", "hi": "LANG HI"}[lang]
	report := map[string][]string{"en": {"REPORT", "Ravi"}, "hi": {"शिकायत", "रवि"}}[lang]
	for _, kw := range keywords {
		for i, w := range kw {
			scripts := [][]string{{lng}}
			if i < 2 {
				scripts = append(scripts, report, []string{"POLICE " + policeCode, lng})
			}
			for _, script := range scripts {
				from := c.sender()
				for _, s := range script {
					c.turn("keyword", from, s)
				}
				c.turn("keyword "+w, from, w)
				c.turn("keyword "+w+", then", from, "1")
			}
		}
	}
}

func TestSMSConversationCost(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			c := newCostRun(t, talaash.ChannelSMS)
			c.caseParts = 2
			wired(t, c.e)
			c.play(lang, true)
			if len(c.all) < 200 {
				t.Fatalf("only %d replies measured", len(c.all))
			}
			t.Logf("%s: %d turns, %d of them answered with more than one SMS", lang, c.turns, c.split)
			longest(t, c.all, 12)
		})
	}
}

func TestWhatsAppConversationPlain(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			c := newCostRun(t, talaash.ChannelWhatsApp)
			wired(t, c.e)
			c.play(lang, false)
			if len(c.all) < 100 {
				t.Fatalf("only %d replies measured", len(c.all))
			}
		})
	}
}

// longest logs a table of the longest replies, the ones closest to the limits.
func longest(t *testing.T, all []sent, n int) {
	t.Helper()
	seen := map[string]bool{}
	var uniq []sent
	for _, s := range all {
		if !seen[s.text] {
			seen[s.text] = true
			uniq = append(uniq, s)
		}
	}
	sort.SliceStable(uniq, func(i, j int) bool { return uniq[i].units > uniq[j].units })
	var b strings.Builder
	fmt.Fprintf(&b, "%d replies (%d distinct); longest:\n%-4s %-5s %5s %5s  %s\n", len(all), len(uniq), "lang", "enc", "units", "parts", "text")
	for i, s := range uniq {
		if i == n {
			break
		}
		fmt.Fprintf(&b, "%-4s %-5s %5d %5d  %s\n", s.lang, s.enc, s.units, s.parts, strings.ReplaceAll(s.text, "\n", " | "))
	}
	t.Log(b.String())
}

// TestSMSScriptAndDigits: on SMS, writing Devanagari gets Hindi replies, and
// numbers in either script pick the numbered choices.
func TestSMSScriptAndDigits(t *testing.T) {
	c := newCostRun(t, talaash.ChannelSMS)
	from := c.sender()
	state := func(wantState, wantLang string) *talaash.Record {
		t.Helper()
		s := c.e.session(talaash.ChannelSMS, from)
		if s.State != wantState || s.Lang != wantLang {
			t.Fatalf("session %q in %q, want %q in %q", s.State, s.Lang, wantState, wantLang)
		}
		return s.Draft
	}
	last := func(outs []talaash.Outbound) string {
		t.Helper()
		if len(outs) == 0 {
			t.Fatal("no reply")
		}
		return outs[len(outs)-1].Text
	}
	if out := last(c.turn("digits", from, "hello")); !strings.Contains(out, "Reply: 1 Hindi, 2 English") {
		t.Errorf("language choice by SMS: %q", out)
	}
	c.turn("digits", from, "२") // English, typed on a Hindi keypad
	state("menu", "en")
	c.turn("digits", from, "१") // Missing child
	state("report.name", "en")
	if out := last(c.turn("digits", from, "रवि")); !talaash.Devanagari(out) {
		t.Errorf("a Devanagari answer got a reply not in Hindi: %q", out)
	}
	state("report.age", "hi")
	if out := last(c.turn("digits", from, "८")); !strings.Contains(out, "जवाब दें: 1 लड़का, 2 लड़की") {
		t.Errorf("gender question by SMS: %q", out)
	}
	c.turn("digits", from, "२")
	if d := state("report.complexion", "hi"); d == nil || d.Gender != "female" || d.Name != "रवि" {
		t.Fatalf("draft after the numbered answers: %+v", d)
	}
	c.turn("digits", from, "3") // ASCII digits in a Hindi conversation too
	if d := state("report.height", "hi"); d.Complex != "dark" {
		t.Errorf("complexion %q, want dark", d.Complex)
	}
	// A Hindi SMS says what to write, never what to press.
	for _, s := range c.all {
		if s.lang == "hi" && !strings.Contains(s.text, "जवाब दें") && strings.Contains(s.text, "1 ") {
			t.Errorf("numbered choices without the Hindi reply prompt: %q", s.text)
		}
	}
}

// hinglishConversations are conversations written in Hindi in Latin letters,
// as people write it on phones; the replies are Hinglish, GSM-7, one part a
// message.
var hinglishConversations = []conversation{
	{name: "parent's report, Hinglish", lines: []line{
		{en: "namaste"},
		{en: "3"}, // Hinglish
		{en: "shikayat"},
		{en: "uska naam Anjali hai"},
		{en: "pata nahi kitni"},
		{en: "8 saal"},
		{en: "peeche"},
		{en: "8"},
		{en: "madad"},
		{en: "shayad"}, // no gender
		{en: "2"},
		{en: "2"},           // wheatish
		{en: "bahut lambi"}, // no height
		{en: "4 foot"},
		{en: "laal kameez, neeli jeans"},
		{en: "baayein gaal par til"},
		{en: "Moti Jheel, Swaroop Nagar"},
		{en: "kabhi"}, // no time
		{en: "kal shaam 5 baje"},
		{en: "1"}, // skip the photo
		{en: "Ramesh Kumar Gupta, main uska papa hoon"},
		{en: "12345"},
		{en: "1"}, // this number
		{en: "kya"},
		{en: "1"}, // confirm
		{en: "STATUS {ref}"},
	}},
	{name: "sighting by steps, Hinglish", lines: []line{
		{en: "maine ek bachcha dekha hai"},
		{en: "dekha"},
		{en: "1"}, // boy
		{en: "lagbhag 7 saal"},
		{en: "neeli shirt"},
		{en: "haath par chot hai, ro raha tha"},
		{en: "Kanpur Central platform 3 ke paas"},
		{en: "1"}, // now
		{en: "1"}, // skip photo
		{en: "3"}, // in danger
		{en: "1"}, // this number
		{en: "haan"},
	}},
	{name: "one-message sightings, Hinglish", lines: []line{
		{en: "ladki 6 saal gulabi frock central station par dekhi"},
		{en: "ek ladka akela ro raha tha, chot lagi hai"},
		{en: "Rawatpur crossing"},
		{en: "8"},
	}},
	{name: "lost child, Hinglish", lines: []line{
		{en: "mummy nahi mil rahi"},
		{en: "Sonu"},
		{en: "7 saal"},
		{en: "1"},
		{en: "bade mandir ke paas"},
	}},
	{name: "keywords, Hinglish", lines: []line{
		{en: "namaste ji, madad chahiye"},
		{en: "madad"}, {en: "shikayat"}, {en: "peeche"}, {en: "radd"}, {en: "sthiti"}, {en: "band"}, {en: "shuru"},
		{en: "english pls"}, {en: "hinglish"}, {en: "hindi mein"}, {en: "LANG ROMAN"},
	}},
}

// TestSMSHinglishCost: Hinglish conversations by SMS get Hinglish replies,
// every message GSM-7 in one part (160 characters, not Hindi's 70).
func TestSMSHinglishCost(t *testing.T) {
	c := newCostRun(t, talaash.ChannelSMS)
	wired(t, c.e)
	for _, cv := range hinglishConversations {
		from := c.sender()
		for _, l := range cv.lines {
			c.turn(cv.name, from, l.en)
		}
	}
	n, parts := 0, 0
	for _, s := range c.all {
		if s.lang == locales.HiLatn {
			n++
			parts += s.parts
		}
	}
	if n < 50 || parts != n {
		t.Errorf("%d Hinglish replies of %d measured took %d parts, want one each", n, len(c.all), parts)
	}
	t.Logf("%d turns, %d answered with more than one SMS; %d Hinglish replies, %d parts", c.turns, c.split, n, parts)
	longest(t, c.all, 8)
}
