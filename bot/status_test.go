package bot_test

import (
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
)

// finder is what a parent must never read: the sighting's place, the
// bystander's name and number.
var finder = []string{"Naveen Market", "नवीन मार्केट", "Suresh", "सुरेश", "98222", "+919822222222", "9822222222"}

func noFinder(t *testing.T, outs []talaash.Outbound) {
	t.Helper()
	for _, o := range outs {
		for _, f := range finder {
			if strings.Contains(o.Text, f) {
				t.Fatalf("a parent read %q: %q", f, o.Text)
			}
		}
		if len(o.Photos) > 0 {
			t.Fatalf("a parent got photos: %+v", o)
		}
	}
}

// TestStatusFollowsTheCase: STATUS, and the parent's follow-up questions,
// say where the case stands as police act on it — reported, a possible match
// being checked (an alert waits), police have a match and will call (after
// Confirm), reunited, closed — in Hindi and English, on Telegram and SMS,
// with the alerts stored and reviewed for real; no answer carries the
// finder's place, name or number. The bystander hears thanks only.
func TestStatusFollowsTheCase(t *testing.T) {
	for _, c := range []struct{ lang, channel, parent string }{
		{"en", talaash.ChannelTelegram, "4242"}, {"hi", talaash.ChannelTelegram, "4243"},
		{"en", talaash.ChannelSMS, "+919811111111"}, {"hi", talaash.ChannelSMS, "+919811111112"},
	} {
		t.Run(c.lang+"/"+c.channel, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
			wired(t, e)
			const bystander = "+919822222222"
			m := &talaash.Record{Kind: talaash.KindMissing, Name: "Priya", Gender: "female", Age: talaash.Num(7), Place: "Govind Nagar",
				Time: e.now.Add(-24 * time.Hour), Language: c.lang, Channel: c.channel, Address: c.parent,
				Contact: &talaash.Contact{Name: "Sunita Devi", Phone: "+919876543210"}}
			e.put(m)
			sg := &talaash.Record{Kind: talaash.KindSighting, Gender: "female", Age: talaash.Num(7), Place: "Naveen Market",
				Time: e.now.Add(-time.Hour), Language: "en", Channel: talaash.ChannelSMS, Address: bystander,
				Contact: &talaash.Contact{Name: "Suresh Yadav", Phone: bystander}}
			e.put(sg)
			e.send(c.channel, c.parent, msg{text: "LANG " + strings.ToUpper(c.lang)})
			e.send(talaash.ChannelTelegram, "100", msg{cb: "lang:en"})
			status := func(want string) {
				t.Helper()
				outs := e.send(c.channel, c.parent, msg{text: "STATUS"})
				expect(t, c.lang, outs, want)
				noFinder(t, outs)
				if !strings.Contains(outs[0].Text, m.Ref) {
					t.Fatalf("status without the case's ref: %q", outs[0].Text)
				}
			}
			type question struct{ en, hi, topic string }
			questions := []question{
				{"where is my child?", "बच्चा कहाँ मिला?", "where"},
				{"when will police call?", "पुलिस कब फ़ोन करेगी?", "when"},
				{"can I see the photo", "फोटो दिखाओ", "photo"},
				{"who found her?", "किसने ढूँढा?", "who"},
				{"is she safe?", "वो ठीक तो है?", "safe"},
				{"bacha kahan mila", "bacha kahan mila", "where"},
			}
			ask := func(suffix string) {
				t.Helper()
				for _, q := range questions {
					text := q.en
					if c.lang == "hi" {
						text = q.hi
					}
					outs := e.send(c.channel, c.parent, msg{text: text})
					want := "core.question." + q.topic + suffix
					if suffix == ".reunited" || suffix == ".closed" {
						want = "core.question" + suffix
					}
					expect(t, c.lang, outs, want)
					noFinder(t, outs)
					if st := e.session(c.channel, c.parent).State; st != "menu" {
						t.Fatalf("after %q the state is %q", text, st)
					}
				}
			}

			status("core.status.missing.reported")
			ask("")
			// An alert waits for an officer.
			if err := e.db.Update(func(tx talaash.Tx) error {
				return tx.PutAlert(&talaash.Alert{Missing: m.Ref, Sighting: sg.Ref, Score: 0.9, State: talaash.AlertPending})
			}); err != nil {
				t.Fatal(err)
			}
			status("core.status.missing.checking")
			ask("")
			by := e.send(talaash.ChannelSMS, bystander, msg{text: "STATUS"})
			expect(t, "en", by, "core.status.sighting.open")
			if strings.Contains(by[0].Text, m.Ref) || strings.Contains(by[0].Text, "Priya") || strings.Contains(by[0].Text, "98765") {
				t.Fatalf("the bystander read of the case: %q", by[0].Text)
			}
			expect(t, "en", e.send(talaash.ChannelSMS, bystander, msg{text: "who found her?"}), "core.question.reporter")

			// Police confirm: the parent is told police will call.
			e.send(talaash.ChannelTelegram, "100", msg{text: "YES " + m.Ref})
			status("core.status.missing.confirmed")
			ask(".confirmed")
			expect(t, "en", e.send(talaash.ChannelSMS, bystander, msg{text: "STATUS " + sg.Ref}), "core.status.sighting.matched")

			e.send(talaash.ChannelTelegram, "100", msg{text: "/reunited " + m.Ref})
			status("core.status.missing.reunited")
			ask(".reunited")
			expect(t, "en", e.send(talaash.ChannelSMS, bystander, msg{text: "STATUS"}), "core.status.sighting.closed")

			// Another report, closed by police: a kind line.
			m2 := &talaash.Record{Kind: talaash.KindMissing, Name: "Ravi", Time: e.now, Language: c.lang, Channel: c.channel, Address: c.parent}
			e.put(m2)
			e.send(talaash.ChannelTelegram, "100", msg{text: "/close " + m2.Ref + " found by the family"})
			outs := e.send(c.channel, c.parent, msg{text: "STATUS " + m2.Ref})
			expect(t, c.lang, outs, "core.status.missing.closed")
			if strings.Contains(outs[0].Text, "found by the family") {
				t.Fatalf("the officer's note reached the parent in status: %q", outs[0].Text)
			}
			// The newest report is asked about.
			expect(t, c.lang, e.send(c.channel, c.parent, msg{text: "koi khabar?"}), "core.question.closed")
		})
	}
}

// TestStatusSeveralReports: on Telegram several reports are listed, each
// with its own stage, newest first.
func TestStatusSeveralReports(t *testing.T) {
	e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
	wired(t, e)
	old := &talaash.Record{Kind: talaash.KindMissing, Name: "Ravi", Time: e.now, Channel: talaash.ChannelTelegram, Address: "77", Status: talaash.StatusReunited}
	e.put(old)
	e.now = e.now.Add(time.Hour)
	cur := &talaash.Record{Kind: talaash.KindMissing, Name: "Priya", Time: e.now, Channel: talaash.ChannelTelegram, Address: "77"}
	e.put(cur)
	e.send(talaash.ChannelTelegram, "77", msg{cb: "lang:en"})
	outs := e.send(talaash.ChannelTelegram, "77", msg{text: "/status"})
	expect(t, "en", outs, "core.status.list")
	lines := strings.Split(outs[0].Text, "\n")
	if len(lines) != 3 || !matches("en", "core.status.missing.reported", lines[1], false) || !strings.Contains(lines[1], cur.Ref) ||
		!matches("en", "core.status.missing.reunited", lines[2], false) || !strings.Contains(lines[2], old.Ref) {
		t.Fatalf("status list %q", outs[0].Text)
	}
}

// TestNoPoliceEnrolled: with no officer configured or enrolled on any
// channel, a bystander is not told police will compare the sighting: the
// reply says it is saved and gives 112 and 1098; STATUS and a parent's
// question say so too. An officer on the desk alone is police enough, and a
// simulated channel's officers hear of test records only.
func TestNoPoliceEnrolled(t *testing.T) {
	const sighting = "saw a girl about 6 in a pink frock crying at Kanpur Central"
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			text := sighting
			if lang == "hi" {
				text = "एक लड़की करीब 6 साल की, गुलाबी फ्रॉक, कानपुर सेंट्रल स्टेशन पर रोती हुई देखी"
			}
			e := newEnv(t, bot.Config{})
			wired(t, e)
			outs := e.send(talaash.ChannelSMS, "+919812345678", msg{text: text})
			expect(t, lang, outs, "quick.saved.nopolice")
			for _, o := range outs {
				if !strings.Contains(o.Text, "112") || !strings.Contains(o.Text, "1098") ||
					strings.Contains(o.Text, "compare") || strings.Contains(o.Text, "मिलाएगी") {
					t.Fatalf("no-police reply %q", o.Text)
				}
			}
			expect(t, lang, e.send(talaash.ChannelSMS, "+919812345678", msg{text: "STATUS"}), "core.status.sighting.saved")
			parent := &talaash.Record{Kind: talaash.KindMissing, Name: "Priya", Time: e.now, Channel: talaash.ChannelSMS, Address: "+919811111111", Language: lang}
			e.put(parent)
			e.send(talaash.ChannelSMS, "+919811111111", msg{text: "LANG " + strings.ToUpper(lang)})
			expect(t, lang, e.send(talaash.ChannelSMS, "+919811111111", msg{text: "STATUS"}), "core.status.missing.saved")
			expect(t, lang, e.send(talaash.ChannelSMS, "+919811111111", msg{text: "when will police call?"}), "core.question.nopolice")

			// An officer enrolled on the desk: the next sighting is compared.
			if err := e.db.Update(func(tx talaash.Tx) error {
				return tx.PutPolice(&talaash.PoliceEntry{Channel: talaash.ChannelDesk, Address: "verma", Enrolled: e.now})
			}); err != nil {
				t.Fatal(err)
			}
			expect(t, lang, e.send(talaash.ChannelSMS, "+919812345679", msg{text: text}), "quick.saved")
			expect(t, lang, e.send(talaash.ChannelSMS, "+919811111111", msg{text: "STATUS"}), "core.status.missing.reported")
		})
	}
	// Only a simulator's officer: a real sighting reaches nobody.
	sim := talaash.Known()
	sim.Describe(talaash.ChannelSpec{Name: "web", Caps: talaash.Capabilities{Buttons: true, Conversation: true, Test: true}})
	e := newEnv(t, bot.Config{})
	wired(t, e)
	e.opts = append(e.opts, bot.WithChannels(sim))
	e.restart()
	if err := e.db.Update(func(tx talaash.Tx) error {
		return tx.PutPolice(&talaash.PoliceEntry{Channel: "web", Address: "sim-police", Enrolled: e.now})
	}); err != nil {
		t.Fatal(err)
	}
	expect(t, "en", e.send(talaash.ChannelSMS, "+919812345678", msg{text: sighting}), "quick.saved.nopolice")
	expect(t, "en", e.send("web", "sim-bystander", msg{text: sighting}), "quick.saved")
}

// TestLostChildInOneRegister: the lost child is spoken to as तुम
// throughout, by SMS and on Telegram: the numbered choices ("जवाब दो", not
// "जवाब दें"), help in the middle, an answer not understood.
func TestLostChildInOneRegister(t *testing.T) {
	for _, ch := range []string{talaash.ChannelSMS, talaash.ChannelTelegram} {
		e := newEnv(t, bot.Config{PoliceTelegram: []string{"100"}})
		const child = "+919833333333"
		var all []string
		for _, text := range []string{"मैं खो गया हूँ", "रवि", "सात", "मदद", "हाँ", "हाँ", "1", "कानपुर सेंट्रल"} {
			all = append(all, texts(e.send(ch, child, msg{text: text}))...)
		}
		joined := strings.Join(all, "\n")
		if ch == talaash.ChannelSMS && !strings.Contains(joined, "जवाब दो:") {
			t.Errorf("%s: no choices line in a child's words:\n%s", ch, joined)
		}
		for _, formal := range []string{"जवाब दें", "करें", "लिखें", "चुनें", "भेजें", "कीजिए", "कृपया"} {
			if strings.Contains(joined, formal) {
				t.Errorf("%s: the lost child read %q:\n%s", ch, formal, joined)
			}
		}
	}
}
