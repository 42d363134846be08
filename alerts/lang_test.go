package alerts

import (
	"strings"
	"testing"

	"talaash"
	"talaash/dialog"
	"talaash/gsm"
	"talaash/locales"
)

var (
	yadav   = Officer{Channel: "telegram", Address: "1003"}
	smsLatn = Officer{Channel: "sms", Address: "+919800000003"}
)

// hasDevanagari is any Devanagari letter in s.
func hasDevanagari(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x0900 && r <= 0x097F })
}

// TestAlertInOfficersLanguage: each officer gets the alert in their language,
// Hindi or Hindi in Latin letters, on chat and by SMS, every time with its
// zone; an officer who chose a language in chat gets that one.
func TestAlertInOfficersLanguage(t *testing.T) {
	e := setup(t)
	e.update(func(tx talaash.Tx) error {
		tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1003", Lang: locales.HiLatn, Name: "SI Yadav"})
		tx.PutPolice(&talaash.PoliceEntry{Channel: "sms", Address: "+919800000003", Lang: locales.HiLatn})
		return nil
	})
	m, s, items := e.pair()
	mWhen := func(l string) string { return locales.Time(l, m.Time, true) }

	hi := to(items, "telegram", "1002")[0].Msg
	for _, want := range []string{"लापता", "नाम: Ramesh", "लड़का", "समय: " + mWhen("hi"), "IST"} {
		if !strings.Contains(hi.Text, want) {
			t.Errorf("Hindi alert lacks %q:\n%s", want, hi.Text)
		}
	}
	hl := to(items, "telegram", "1003")[0].Msg
	for _, want := range []string{"Milta-julta bachcha (100%): " + m.Ref + " aur " + s.Ref, "LAAPATA " + m.Ref, "DEKHA GAYA " + s.Ref,
		"Naam: Ramesh", "ladka, 8 saal", "Kapde: red shirt blue jeans", "Samay: " + mWhen(locales.HiLatn), "Batane wale: Sunita Devi, +919876543210",
		"Kyon: wahi red shirt", "Is message ke baad photo: " + m.Ref + " ki 1, " + s.Ref + " ki 1."} {
		if !strings.Contains(hl.Text, want) {
			t.Errorf("Hinglish alert lacks %q:\n%s", want, hl.Text)
		}
	}
	if hasDevanagari(hl.Text) || strings.Contains(hl.Text, "same red shirt") || !strings.Contains(mWhen(locales.HiLatn), " IST") {
		t.Errorf("Hinglish alert in Devanagari, with English reasons or without the zone:\n%s", hl.Text)
	}
	if len(hl.Choices) != 3 || hl.Choices[0].Label != "Haan, yahi bachcha" || hl.Choices[1].Label != "Nahi, yeh nahi" {
		t.Errorf("Hinglish buttons %+v", hl.Choices)
	}
	sms := to(items, "sms", "+919800000003")[0].Msg
	ok, _, parts := gsm.Parts(sms.Text)
	if !ok || parts > MaxSMSParts || !strings.Contains(sms.Text, "Jawab: YES "+s.Ref+" ya NO "+s.Ref) ||
		!strings.Contains(sms.Text, "ladka, 8 saal") || !strings.Contains(sms.Text, " IST") || sms.Template != "hi-Latn:alerts.alert.sms" {
		t.Errorf("Hinglish SMS alert (gsm %v, %d parts, template %s):\n%s", ok, parts, sms.Template, sms.Text)
	}

	// SI Verma, enrolled in English, chose Hinglish in chat: the next alert
	// comes in Hinglish. A language only guessed from writing does not
	// overrule the enrolment's.
	// The sessions as the dialog writes them.
	session := func(o Officer, text string) []byte {
		ds := dialog.NewSession(o.Channel, o.Address)
		dialog.Step(ds, talaash.Inbound{Channel: o.Channel, Sender: o.Address, Text: text}, dialog.Env{Now: e.clk.Now()})
		b, err := ds.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	e.update(func(tx talaash.Tx) error {
		tx.PutSession(verma.ID(), session(verma, "LANG HINGLISH"))
		tx.PutSession(singh.ID(), session(singh, "ek ladka laal shirt mein mila"))
		return nil
	})
	e.db.View(func(tx talaash.Tx) error {
		list, err := e.svc.officers(tx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{verma.ID(): locales.HiLatn, singh.ID(): "hi", yadav.ID(): locales.HiLatn, smsLatn.ID(): locales.HiLatn, smsOf.ID(): "en"}
		for _, o := range list {
			if want[o.ID()] != o.Lang {
				t.Errorf("%s gets alerts in %q, want %q", o.ID(), o.Lang, want[o.ID()])
			}
		}
		return nil
	})
}

// TestDeskInHinglish: the chat desk answers an officer in Hinglish.
func TestDeskInHinglish(t *testing.T) {
	e := setup(t)
	e.update(func(tx talaash.Tx) error {
		tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1003", Lang: locales.HiLatn})
		tx.PutPolice(&talaash.PoliceEntry{Channel: "sms", Address: "+919800000003", Lang: locales.HiLatn})
		return nil
	})
	m, s, _ := e.pair()
	act := func(o Officer, kind, ref, arg string) string {
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, o, kind, ref, arg, false); return })
		if len(out) != 1 {
			t.Fatalf("%s: %+v", kind, out)
		}
		if hasDevanagari(out[0].Text) {
			t.Errorf("%s %s answered in Devanagari:\n%s", o.ID(), kind, out[0].Text)
		}
		return out[0].Text
	}
	for _, c := range []struct {
		o              Officer
		kind, ref, arg string
		want           []string
		smsParts       int
	}{
		{yadav, "case", m.Ref, "", []string{"LAAPATA " + m.Ref + " [khula]", "Naam: Ramesh", "Samay: " + locales.Time(locales.HiLatn, m.Time, true),
			"Milte-julte records:", s.Ref + " 100% (alert baaki) — wahi red shirt"}, 0},
		{yadav, "case", "K-0000-0", "", []string{"K-0000-0 number ka koi case nahi mila"}, 0},
		{yadav, "open", "", "", []string{"Khule laapata bachchon ke case: 1 (page 1)", m.Ref}, 0},
		{yadav, "matches", "", "", []string{"Jaanch ke liye baaki alert: 1", m.Ref + " aur " + s.Ref, "Jawab mein YES REF ya NO REF"}, 0},
		{yadav, "stats", "", "", []string{"Talaash ke aankde", "Aaj: shikayat ", "Is mahine: shikayat "}, 0},
		{smsLatn, "case", m.Ref, "", []string{"LAPATA ref " + m.Ref + " [khula]", "ladka, 8 saal", " IST", "Milte-julte:"}, 2},
		{smsLatn, "matches", "", "", []string{"Jaanch baaki alert: 1", "Jawab: YES REF ya NO REF"}, 2},
		{smsLatn, "stats", "", "", []string{"Aaj: shikayat ", "Mahina: shikayat "}, 1},
	} {
		got := act(c.o, c.kind, c.ref, c.arg)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s %s lacks %q:\n%s", c.o.ID(), c.kind, w, got)
			}
		}
		if c.smsParts > 0 {
			if ok, _, p := gsm.Parts(got); !ok || p > c.smsParts {
				t.Errorf("%s %s by SMS: gsm %v, %d parts:\n%s", c.o.ID(), c.kind, ok, p, got)
			}
		}
	}
}
