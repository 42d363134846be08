package bot_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/gsm"
	"talaash/locales"
)

// turn is one line of a transcript: what the person sends (per language), the
// message ids the bot must answer with, and the dialog state after.
type turn struct {
	en, hi  msg
	ids     []string
	state   string
	other   bool // the answer comes in the other language (after a switch)
	restart bool // close the database and start a fresh core before this turn
	advance time.Duration
}

var kanpur = &talaash.Location{Lat: 26.4499, Lon: 80.3319}

// reportTranscript is a parent's whole report on Telegram, with a wrong
// answer, back, a language switch there and back, and a restart mid-flow.
var reportTranscript = []turn{
	{en: msg{text: "hello"}, hi: msg{text: "नमस्ते"}, ids: []string{"choose_language"}, state: "choose_language"},
	{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, ids: []string{"menu"}, state: "menu"},
	{en: msg{cb: "menu:report"}, hi: msg{cb: "menu:report"}, ids: []string{"report.start", "report.name"}, state: "report.name"},
	{en: msg{text: "Ravi Kumar"}, hi: msg{text: "रवि कुमार"}, ids: []string{"report.age"}, state: "report.age"},
	{en: msg{text: "not sure"}, hi: msg{text: "पता नहीं"}, ids: []string{"err.age", "report.age"}, state: "report.age"},
	{en: msg{text: "8 years"}, hi: msg{text: "आठ"}, ids: []string{"report.gender"}, state: "report.gender"},
	{en: msg{text: "back"}, hi: msg{text: "पीछे"}, ids: []string{"report.age"}, state: "report.age"},
	{en: msg{text: "8"}, hi: msg{text: "८"}, ids: []string{"report.gender"}, state: "report.gender"},
	{en: msg{cb: "g:male"}, hi: msg{cb: "g:male"}, ids: []string{"report.complexion"}, state: "report.complexion"},
	{en: msg{text: "/lang"}, hi: msg{text: "/lang"}, ids: []string{"lang.changed", "report.complexion"}, state: "report.complexion", other: true},
	{en: msg{text: "/lang"}, hi: msg{text: "/lang"}, ids: []string{"lang.changed", "report.complexion"}, state: "report.complexion"},
	{en: msg{text: "wheatish"}, hi: msg{text: "गेहुआं"}, ids: []string{"report.height"}, state: "report.height"},
	{en: msg{cb: "skip"}, hi: msg{cb: "skip"}, ids: []string{"report.clothes"}, state: "report.clothes", restart: true},
	{en: msg{text: "red shirt, blue jeans"}, hi: msg{text: "लाल कमीज़, नीली जींस"}, ids: []string{"report.marks"}, state: "report.marks"},
	{en: msg{cb: "skip"}, hi: msg{cb: "skip"}, ids: []string{"report.place"}, state: "report.place"},
	{en: msg{loc: kanpur}, hi: msg{loc: kanpur}, ids: []string{"report.time"}, state: "report.time"},
	{en: msg{cb: "t:today"}, hi: msg{cb: "t:today"}, ids: []string{"report.photo"}, state: "report.photo"},
	{en: msg{cb: "skip"}, hi: msg{cb: "skip"}, ids: []string{"report.guardian"}, state: "report.guardian", restart: true},
	{en: msg{text: "Asha Devi"}, hi: msg{text: "आशा देवी"}, ids: []string{"report.phone"}, state: "report.phone"},
	{en: msg{text: "12345"}, hi: msg{text: "१२३४५"}, ids: []string{"err.phone", "report.phone"}, state: "report.phone"},
	{en: msg{text: "098765 43210"}, hi: msg{text: "९८७६५ ४३२१०"}, ids: []string{"report.confirm"}, state: "report.confirm"},
	{en: msg{cb: "confirm"}, hi: msg{cb: "confirm"}, ids: []string{"report.saved"}, state: "done"},
	{en: msg{text: "/status"}, hi: msg{text: "/status"}, ids: []string{"core.status.missing.reported"}, state: "done"},
}

func other(lang string) string {
	if lang == "hi" {
		return "en"
	}
	return "hi"
}

// run plays a transcript for one sender and returns the last replies.
func run(t *testing.T, e *env, channel, sender, lang string, script []turn) []talaash.Outbound {
	t.Helper()
	var outs []talaash.Outbound
	for i, tr := range script {
		if tr.restart {
			e.restart()
		}
		e.now = e.now.Add(tr.advance)
		m := tr.en
		if lang == "hi" {
			m = tr.hi
		}
		outs = e.send(channel, sender, m)
		want := lang
		if tr.other {
			want = other(lang)
		}
		func() {
			defer func() {
				if t.Failed() {
					t.Logf("turn %d: sent %+v", i, m)
				}
			}()
			expect(t, want, outs, tr.ids...)
		}()
		if got := e.session(channel, sender).State; got != tr.state {
			t.Fatalf("turn %d (%+v): state %q, want %q", i, m, got, tr.state)
		}
	}
	return outs
}

func TestReportTranscript(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
			outs := run(t, e, talaash.ChannelTelegram, "4242", lang, reportTranscript)
			recs := e.records(talaash.ChannelTelegram, "4242")
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			r := recs[0]
			if r.Kind != talaash.KindMissing || r.Language != lang || r.Gender != "male" || r.Lat == nil ||
				r.Contact == nil || r.Contact.Phone != "+919876543210" || r.Ref == "" {
				t.Errorf("record %+v contact %+v", r, r.Contact)
			}
			if lo, _, ok := r.Ages(); !ok || lo != 8 {
				t.Errorf("age %v", lo)
			}
			if !strings.Contains(outs[0].Text, r.Ref) {
				t.Errorf("status %q lacks the ref %s", outs[0].Text, r.Ref)
			}
			// The confirmation carried the reference the store gave.
			if s := e.session(talaash.ChannelTelegram, "4242"); s.Lang != lang {
				t.Errorf("session language %q", s.Lang)
			}
		})
	}
}

func TestTelegramButtonsAndAsk(t *testing.T) {
	e := newEnv(t, bot.Config{})
	outs := e.send(talaash.ChannelTelegram, "7", msg{text: "hi"})
	if len(outs) != 1 || !outs[0].Inline || len(outs[0].Choices) != 3 || outs[0].Choices[1].Data != "lang:en" || outs[0].Choices[2].Data != "lang:hi-Latn" {
		t.Fatalf("language choice: %+v", outs)
	}
	e.send(talaash.ChannelTelegram, "7", msg{cb: "lang:en"})
	e.send(talaash.ChannelTelegram, "7", msg{cb: "menu:report"})
	for _, a := range []string{"Ravi", "8", "boy", "fair", "skip", "red shirt", "none"} {
		outs = e.send(talaash.ChannelTelegram, "7", msg{text: a})
	}
	last := outs[len(outs)-1]
	if last.Ask != talaash.AskLocation || len(last.Choices) == 0 || last.Choices[0].Data != "location" ||
		last.Choices[0].Label != locales.Render("en", "core.ask.location", nil) {
		t.Fatalf("place question: %+v", last)
	}
}

// smsTranscript is the same kind of report by SMS: numbered choices, SMS wording.
var smsTranscript = []turn{
	{en: msg{text: "HELLO"}, hi: msg{text: "नमस्ते"}, ids: []string{"choose_language"}, state: "choose_language"},
	{en: msg{text: "2"}, hi: msg{text: "1"}, ids: []string{"menu"}, state: "menu"},
	{en: msg{text: "1"}, hi: msg{text: "1"}, ids: []string{"report.start", "report.name"}, state: "report.name"},
	{en: msg{text: "Ravi"}, hi: msg{text: "रवि"}, ids: []string{"report.age"}, state: "report.age"},
	{en: msg{text: "8 saal"}, hi: msg{text: "8 साल"}, ids: []string{"report.gender"}, state: "report.gender", restart: true},
	{en: msg{text: "1"}, hi: msg{text: "1"}, ids: []string{"report.complexion"}, state: "report.complexion"},
	{en: msg{text: "CANCEL"}, hi: msg{text: "रद्द"}, ids: []string{"cancelled", "menu"}, state: "menu"},
}

func TestSMSTranscript(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{})
			outs := run(t, e, talaash.ChannelSMS, "+919812345678", lang, smsTranscript)
			// "Cancelled" and the menu fit one SMS, so they go as one.
			if len(outs) != 1 {
				t.Fatalf("cancel by SMS sent %d messages, want one: %q", len(outs), texts(outs))
			}
			if len(outs[0].Choices) != 0 || !strings.Contains(outs[0].Text, "\n") {
				t.Errorf("SMS menu should carry numbered choices in its text: %+v", outs[0])
			}
			if !strings.Contains(outs[0].Text, "1 ") {
				t.Errorf("no numbered choice in %q", outs[0].Text)
			}
			if n := len(e.records(talaash.ChannelSMS, "+919812345678")); n != 0 {
				t.Errorf("cancelled report stored %d records", n)
			}
		})
	}
}

func TestExpiry(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{})
			run(t, e, talaash.ChannelTelegram, "9", lang, []turn{
				{en: msg{cb: "lang:en"}, hi: msg{cb: "lang:hi"}, ids: []string{"menu"}, state: "menu"},
				{en: msg{cb: "menu:report"}, hi: msg{cb: "menu:report"}, ids: []string{"report.start", "report.name"}, state: "report.name"},
				{en: msg{text: "Ravi"}, hi: msg{text: "रवि"}, ids: []string{"report.age"}, state: "report.age"},
				{en: msg{text: "8"}, hi: msg{text: "8"}, ids: []string{"expired", "menu"}, state: "menu", advance: 25 * time.Hour, restart: true},
			})
		})
	}
}

func TestDuplicateInboundHandledOnce(t *testing.T) {
	e := newEnv(t, bot.Config{})
	const from = "+919812345678"
	script := []string{"hi", "2", "2"} // English, "I saw a child alone"
	for _, s := range script {
		e.send(talaash.ChannelSMS, from, msg{text: s})
	}
	// Answer the sighting questions until the summary, then confirm twice with
	// the same provider id, as Twilio does when our first answer was slow.
	for i := 0; i < 20 && !strings.HasSuffix(e.session(talaash.ChannelSMS, from).State, ".confirm"); i++ {
		var m msg
		switch st := e.session(talaash.ChannelSMS, from).State; st {
		case "sighting.gender":
			m.text = "girl"
		case "sighting.age":
			m.text = "6"
		case "sighting.clothes":
			m.text = "pink frock"
		case "sighting.place":
			m.text = "Kanpur Central"
		case "sighting.time":
			m.text = "1"
		case "sighting.safe":
			m.text = "1"
		default:
			m.text = "skip"
		}
		e.send(talaash.ChannelSMS, from, m)
	}
	if st := e.session(talaash.ChannelSMS, from).State; st != "sighting.confirm" {
		t.Fatalf("state %q", st)
	}
	first := e.send(talaash.ChannelSMS, from, msg{text: "yes", id: "SM-dup"})
	second := e.send(talaash.ChannelSMS, from, msg{text: "yes", id: "SM-dup"})
	if !reflect.DeepEqual(first, second) {
		t.Errorf("retry got other replies:\n%q\n%q", texts(first), texts(second))
	}
	if n := len(e.records(talaash.ChannelSMS, from)); n != 1 {
		t.Fatalf("%d records after a retried confirmation, want 1", n)
	}
	// The same id on another channel is another message.
	if outs := e.send(talaash.ChannelTelegram, "55", msg{text: "hi", id: "SM-dup"}); len(outs) == 0 {
		t.Error("same id on another channel treated as a duplicate")
	}
}

func missingRecord(e *env) *talaash.Record {
	r := &talaash.Record{Kind: talaash.KindMissing, Name: "Anjali Sharma", Gender: "female", Age: talaash.Num(6),
		Clothes: "pink frock", Place: "Moti Jheel", Time: e.now.Add(-time.Hour), Language: "hi",
		Contact: &talaash.Contact{Name: "Ramesh", Phone: "+919876543210"}, Channel: talaash.ChannelSMS, Address: "+919876543210",
		Photos: []string{"photo-file-id"}}
	e.put(r)
	return r
}

func TestCaseLookupPoliceOnly(t *testing.T) {
	e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
	wired(t, e)
	r := missingRecord(e)
	e.send(talaash.ChannelTelegram, "200", msg{cb: "lang:en"})
	outs := e.send(talaash.ChannelTelegram, "200", msg{text: "/case " + r.Ref})
	expect(t, "en", outs, "police.only")
	for _, o := range outs {
		if strings.Contains(o.Text, "Anjali") || strings.Contains(o.Text, "9876") || len(o.Photos) > 0 {
			t.Fatalf("non-police saw the record: %+v", o)
		}
	}
	// Non-police asking for someone else's case by status: not found, nothing leaked.
	outs = e.send(talaash.ChannelTelegram, "200", msg{text: "STATUS " + r.Ref})
	expect(t, "en", outs, "core.not_found")

	e.send(talaash.ChannelTelegram, "100", msg{cb: "lang:en"})
	outs = e.send(talaash.ChannelTelegram, "100", msg{text: "/case " + strings.ToLower(r.Ref)})
	if len(outs) != 1 || !strings.Contains(outs[0].Text, r.Ref) || !strings.Contains(outs[0].Text, "Anjali Sharma") || !strings.Contains(outs[0].Text, "+919876543210") ||
		!reflect.DeepEqual(outs[0].Photos, []string{"photo-file-id"}) {
		t.Fatalf("police case lookup: %+v", outs[0])
	}
	expect(t, "en", e.send(talaash.ChannelTelegram, "100", msg{text: "/case K-0000-0"}), "alerts.not_found")
}

// The per-sender limit on wrong codes: four explained, the fifth and any
// more refused for an hour, even the right code, across a restart.
func TestEnrolmentPerSenderLimit(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceCode: "KNP-7781"})
			wired(t, e)
			r := missingRecord(e)
			const other = "4040"
			e.send(talaash.ChannelTelegram, other, msg{cb: "lang:" + lang})
			for i := 1; i <= 4; i++ {
				outs := e.send(talaash.ChannelTelegram, other, msg{text: "/police guess" + string(rune('0'+i))})
				expect(t, lang, outs, "core.enrol.wrong")
			}
			expect(t, lang, e.send(talaash.ChannelTelegram, other, msg{text: "/police guess5"}), "core.enrol.limited")
			expect(t, lang, e.send(talaash.ChannelTelegram, other, msg{text: "/police KNP-7781"}), "core.enrol.limited")
			e.restart()
			expect(t, lang, e.send(talaash.ChannelTelegram, other, msg{text: "/case " + r.Ref}), "police.only")
			e.now = e.now.Add(61 * time.Minute)
			expect(t, lang, e.send(talaash.ChannelTelegram, other, msg{text: "/police knp-7781"}), "core.enrol.pending")
			expect(t, lang, e.send(talaash.ChannelTelegram, other, msg{text: "/case " + r.Ref}), "police.only")
		})
	}
}

func TestEnrolmentOffAndPreEnrolled(t *testing.T) {
	e := newEnv(t, bot.Config{PoliceSMS: []string{"098765 43210"}})
	wired(t, e)
	expect(t, "en", e.send(talaash.ChannelTelegram, "1", msg{text: "/police anything"}), "core.enrol.off")
	r := missingRecord(e)
	outs := e.send(talaash.ChannelSMS, "+919876543210", msg{text: "CASE " + r.Ref})
	if len(outs) != 1 || !strings.Contains(outs[0].Text, r.Ref) {
		t.Fatalf("pre-enrolled officer's SMS case lookup: %q", texts(outs))
	}
	// The desk's SMS case lookup may take two parts (the record and its candidates).
	if gsm, _, parts := gsm.Parts(outs[0].Text); !gsm || parts > 2 {
		t.Errorf("SMS case lookup is %d parts (gsm %v): %q", parts, gsm, outs[0].Text)
	}
	var police []talaash.PoliceEntry
	e.db.View(func(tx talaash.Tx) error { police, _ = e.b.Roster().Officers(tx); return nil })
	if len(police) != 1 || police[0].Channel != talaash.ChannelSMS || police[0].Address != "+919876543210" {
		t.Errorf("Police() = %+v", police)
	}
}

func TestStopStartSMS(t *testing.T) {
	e := newEnv(t, bot.Config{})
	const from = "+919812345678"
	e.send(talaash.ChannelSMS, from, msg{text: "hello"})
	expect(t, "en", e.send(talaash.ChannelSMS, from, msg{text: "STOP"}), "core.stopped")
	if outs := e.send(talaash.ChannelSMS, from, msg{text: "hello"}); len(outs) != 0 {
		t.Fatalf("stopped number got replies: %q", texts(outs))
	}
	var stopped bool
	e.db.View(func(tx talaash.Tx) error { stopped, _ = tx.Stopped(talaash.ChannelSMS, from); return nil })
	if !stopped {
		t.Fatal("STOP not kept in the store")
	}
	expect(t, "en", e.send(talaash.ChannelSMS, from, msg{text: "START"}), "core.started")
	if outs := e.send(talaash.ChannelSMS, from, msg{text: "hello"}); len(outs) == 0 {
		t.Fatal("no reply after START")
	}
}

func TestStatusShowsOwnRecordsOnly(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
			theirs := missingRecord(e)
			mine := &talaash.Record{Kind: talaash.KindMissing, Name: "Ravi", Time: e.now, Channel: talaash.ChannelTelegram, Address: "77"}
			e.put(mine)
			e.send(talaash.ChannelTelegram, "77", msg{cb: "lang:" + lang})
			outs := e.send(talaash.ChannelTelegram, "77", msg{text: "/status"})
			expect(t, lang, outs, "core.status.missing.reported")
			if !strings.Contains(outs[0].Text, mine.Ref) || strings.Contains(outs[0].Text, theirs.Ref) {
				t.Errorf("status %q", outs[0].Text)
			}
			expect(t, lang, e.send(talaash.ChannelTelegram, "77", msg{text: "status " + theirs.Ref}), "core.not_found")
			e.send(talaash.ChannelTelegram, "78", msg{cb: "lang:" + lang})
			expect(t, lang, e.send(talaash.ChannelTelegram, "78", msg{text: "/status"}), "core.status.none")
		})
	}
}

func TestReunitedAndCloseAudited(t *testing.T) {
	e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
	wired(t, e)
	a, b := missingRecord(e), missingRecord(e)
	e.send(talaash.ChannelTelegram, "100", msg{cb: "lang:en"})
	expect(t, "en", e.send(talaash.ChannelTelegram, "100", msg{text: "/reunited " + a.Ref}), "alerts.reunited.done")
	expect(t, "en", e.send(talaash.ChannelTelegram, "100", msg{text: "/close " + b.Ref + " duplicate report"}), "alerts.closed.done")
	expect(t, "en", e.send(talaash.ChannelTelegram, "200", msg{text: "/close " + a.Ref + " x"}), "police.only")
	e.db.View(func(tx talaash.Tx) error {
		ra, _ := tx.Record(a.Ref)
		rb, _ := tx.Record(b.Ref)
		if ra.Status != talaash.StatusReunited || len(ra.History) != 1 || ra.History[0].By != "telegram:100" {
			t.Errorf("reunited record %+v", ra)
		}
		if rb.Status != talaash.StatusClosed || rb.History[0].Why != "duplicate report" {
			t.Errorf("closed record %+v", rb)
		}
		return nil
	})
}

// TestDesk: the core hands every police desk action to the desk, refs as the
// officer gave them, and answers them itself only when there is no desk.
func TestDesk(t *testing.T) {
	var got []string
	desk := bot.DeskFunc(func(tx talaash.Tx, o bot.Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
		got = append(got, strings.Join(strings.Fields(kind+" "+ref+" "+arg+" "+strconv.FormatBool(confirm)+" "+o.Address), " "))
		return []talaash.Outbound{{Channel: o.Channel, To: o.Address, Text: kind}}, nil
	})
	e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}}, bot.WithDesk(desk))
	e.send(talaash.ChannelTelegram, "100", msg{cb: "lang:en"})
	for _, m := range []string{"YES K-4821-7", "NO K-4821-7--K-93017-4", "/stats", "/matches", "/open 2", "/case K-4821-7"} {
		e.send(talaash.ChannelTelegram, "100", msg{text: m})
	}
	want := []string{"review K-4821-7 true 100", "review K-4821-7--K-93017-4 false 100", "stats false 100", "matches false 100",
		"open 2 false 100", "case K-4821-7 false 100"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("desk calls %q, want %q", got, want)
	}

	e = newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
	e.send(talaash.ChannelTelegram, "100", msg{cb: "lang:en"})
	for _, m := range []string{"/open", "/stats", "/case K-4821-7", "YES K-4821-7"} {
		expect(t, "en", e.send(talaash.ChannelTelegram, "100", msg{text: m}), "core.not_available")
	}
}

func TestFailedTurnKeepsSession(t *testing.T) {
	fail := true
	e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}}, bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error {
		if fail {
			return errors.New("disk on fire")
		}
		return tx.PutRecord(r)
	}))
	const chat = "66"
	e.send(talaash.ChannelTelegram, chat, msg{cb: "lang:hi"})
	// A lost child: three questions, then the record is saved.
	e.send(talaash.ChannelTelegram, chat, msg{text: "मैं खो गया हूँ"})
	e.send(talaash.ChannelTelegram, chat, msg{text: "रवि"})
	e.send(talaash.ChannelTelegram, chat, msg{text: "7"})
	e.send(talaash.ChannelTelegram, chat, msg{text: "लड़का"})
	if st := e.session(talaash.ChannelTelegram, chat).State; st != "lost.place" {
		t.Fatalf("state %q", st)
	}
	outs := e.send(talaash.ChannelTelegram, chat, msg{text: "कानपुर सेंट्रल", id: "u-1"})
	expect(t, "hi", outs, "core.sorry")
	if st := e.session(talaash.ChannelTelegram, chat).State; st != "lost.place" {
		t.Fatalf("failed turn moved the session to %q", st)
	}
	fail = false
	// The provider's retry of the same update is handled afresh: the failure was not remembered.
	outs = e.send(talaash.ChannelTelegram, chat, msg{text: "कानपुर सेंट्रल", id: "u-1"})
	expect(t, "hi", outs, "lost.saved")
	if n := len(e.records(talaash.ChannelTelegram, chat)); n != 1 {
		t.Fatalf("%d records", n)
	}
}

func TestHandleRejectsAnonymous(t *testing.T) {
	e := newEnv(t, bot.Config{})
	if _, err := e.b.Handle(context.Background(), talaash.Inbound{Channel: "sms", Text: "hi"}); talaash.ErrorCode(err) != talaash.EINVALID {
		t.Fatalf("no sender: %v", err)
	}
}

// TestCoreSMSWordings renders every core message a person can get by SMS with
// long realistic values: English must be one GSM-7 part, Hindi two UCS-2 parts.
func TestCoreSMSWordings(t *testing.T) {
	data := map[string]map[string]any{
		"en": {"Ref": "K-4821-7", "Left": 4, "Kind": "missing child", "Status": "police are checking a possible match",
			"Short": strings.Repeat("x", 80), "Lines": "K-4821-7: missing child, police are checking a possible match (since 14/03/2026)",
			"Page": 12, "Next": "OPEN 13", "Date": "14/03/2026", "N": 1234, "Who": "WhatsApp +919876543210", "Count": 20},
		"hi": {"Ref": "K-4821-7", "Left": 4, "Kind": "गुमशुदा बच्चा", "Status": "खुला",
			"Short": strings.Repeat("क", 50), "Lines": "K-4821-7: गुमशुदा बच्चा, पुलिस संभावित मिलान की जाँच कर रही है (14/03/2026 से)",
			"Page": 12, "Next": "OPEN 13", "Date": "14/03/2026", "N": 1234, "Who": "WhatsApp +919876543210", "Count": 20},
	}
	sms := []string{"core.sorry", "core.not_found", "core.not_police", "core.status.list", "core.status.none",
		"core.enrol.ok", "core.enrol.wrong", "core.enrol.limited", "core.enrol.off", "core.revoked", "core.stopped",
		"core.started", "core.not_available", "core.enrol.pending", "core.enrol.expired", "core.enrol.used", "core.enrol.already",
		"core.enrol.approved", "core.enrol.request", "core.enrol.alarm", "core.approve.ok", "core.approve.unknown",
		"core.approve.decided", "core.approve.none"}
	// Each stage of a case and each answer to a follow-up question goes alone.
	for _, id := range locales.IDs() {
		if (strings.HasPrefix(id, "core.status.") || strings.HasPrefix(id, "core.question.")) && !strings.HasSuffix(id, ".sms") {
			sms = append(sms, id)
		}
	}
	for _, id := range sms {
		en := locales.RenderSMS("en", id, data["en"])
		if gsm, units, parts := gsm.Parts(en); !gsm || parts != 1 {
			t.Errorf("en %s: gsm %v, %d units: %q", id, gsm, units, en)
		}
		if hi := locales.RenderSMS("hi", id, data["hi"]); len([]rune(hi)) > 134 {
			t.Errorf("hi %s: %d characters: %q", id, len([]rune(hi)), hi)
		}
	}
	for _, id := range locales.IDs() {
		if strings.HasPrefix(id, "core.") && locales.Description("en", id) == "" {
			t.Errorf("%s has no description", id)
		}
	}
}

// TestRefusedRecordAskedAgain: a record the store refuses as invalid is not
// answered with "send that again" (it would be refused again): the person is
// told what is wrong and asked for it, the rest of the draft kept, in their
// language; the provider's retry of the message gets the same answer.
func TestRefusedRecordAskedAgain(t *testing.T) {
	for _, c := range []struct {
		lang, name, age, gender, place string
	}{{"en", "Ravi", "7", "boy", "Kanpur Central"}, {"hi", "रवि", "सात", "लड़का", "कानपुर सेंट्रल"}} {
		t.Run(c.lang, func(t *testing.T) {
			// Refused until the person answers again: a turn may be run more
			// than once (its commit shared with others), and a store refuses
			// the same record every time.
			refuse := true
			e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}}, bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error {
				if refuse {
					r.Age = talaash.Num(99) // as a store with stricter rules would refuse it
				}
				return tx.PutRecord(r)
			}))
			const chat = "67"
			e.send(talaash.ChannelTelegram, chat, msg{cb: "lang:" + c.lang})
			e.send(talaash.ChannelTelegram, chat, msg{text: "/lost"})
			e.send(talaash.ChannelTelegram, chat, msg{text: c.name})
			e.send(talaash.ChannelTelegram, chat, msg{text: c.age})
			e.send(talaash.ChannelTelegram, chat, msg{text: c.gender})
			outs := e.send(talaash.ChannelTelegram, chat, msg{text: c.place, id: "u-9"})
			expect(t, c.lang, outs, "err.save.field", "lost.age")
			if s := e.session(talaash.ChannelTelegram, chat); s.State != "lost.age" || s.Draft == nil || s.Draft.Name != c.name || s.Draft.Age != nil {
				t.Fatalf("session %+v", s)
			}
			expect(t, c.lang, e.send(talaash.ChannelTelegram, chat, msg{text: c.place, id: "u-9"}), "err.save.field", "lost.age")
			refuse = false
			// lost has no summary to come back to: the questions after age follow.
			expect(t, c.lang, e.send(talaash.ChannelTelegram, chat, msg{text: c.age}), "lost.gender")
			expect(t, c.lang, e.send(talaash.ChannelTelegram, chat, msg{text: c.gender}), "lost.place")
			expect(t, c.lang, e.send(talaash.ChannelTelegram, chat, msg{text: c.place}), "lost.saved")
			if n := len(e.records(talaash.ChannelTelegram, chat)); n != 1 {
				t.Fatalf("%d records", n)
			}
		})
	}
	// A refusal no question can fix keeps the person where they were.
	e := newEnv(t, bot.Config{}, bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error {
		return talaash.Errorf(talaash.EINVALID, "refused")
	}))
	e.send(talaash.ChannelTelegram, "68", msg{cb: "lang:en"})
	e.send(talaash.ChannelTelegram, "68", msg{text: "/lost"})
	e.send(talaash.ChannelTelegram, "68", msg{text: "Ravi"})
	e.send(talaash.ChannelTelegram, "68", msg{text: "7"})
	e.send(talaash.ChannelTelegram, "68", msg{text: "boy"})
	expect(t, "en", e.send(talaash.ChannelTelegram, "68", msg{text: "Kanpur Central"}), "err.save", "lost.place")
	if st := e.session(talaash.ChannelTelegram, "68").State; st != "lost.place" {
		t.Fatalf("state %q", st)
	}
}
