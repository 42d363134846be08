package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/police"
)

// Police enrolment: invitations enrol their own officer once and in time; the
// general code only asks, and the asker sees nothing until an officer
// approves; wrong codes are limited per sender and in all, and officers hear
// of a flood once; every step is in the audit log.

const generalCode = "KNP-7781"

// step is one line of an enrolment transcript: who sends what (Hindi text
// where it differs), and the message ids they must be answered with.
type step struct {
	ch, from string
	en, hi   string
	ids      []string
	advance  time.Duration
}

func play(t *testing.T, e *env, lang string, script []step) {
	t.Helper()
	for i, s := range script {
		e.now = e.now.Add(s.advance)
		text := s.en
		if lang == "hi" && s.hi != "" {
			text = s.hi
		}
		outs := e.send(s.ch, s.from, msg{text: text})
		func() {
			defer func() {
				if t.Failed() {
					t.Logf("step %d: %s:%s sent %q", i, s.ch, s.from, text)
				}
			}()
			if s.ids != nil {
				expect(t, lang, outs, s.ids...)
			}
		}()
	}
}

// speak sets each sender's language before a transcript.
func speak(e *env, lang string, senders ...[2]string) {
	for _, s := range senders {
		if s[0] == talaash.ChannelTelegram {
			e.send(s[0], s[1], msg{cb: "lang:" + lang})
		} else {
			e.send(s[0], s[1], msg{text: map[string]string{"en": "english", "hi": "hindi"}[lang]})
		}
	}
}

// invite makes an invitation in the store, as talaash police add does.
func (e *env) invite(w police.Invitation) string {
	e.t.Helper()
	var code string
	if err := e.db.Update(func(tx talaash.Tx) error {
		var err error
		_, code, err = e.b.Roster().Invite(tx, w, e.now)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return code
}

// outbox lists what is queued, by recipient "channel:to".
func (e *env) outbox() map[string][]talaash.OutboxItem {
	e.t.Helper()
	out := map[string][]talaash.OutboxItem{}
	if err := e.db.View(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			k := it.Msg.Channel + ":" + it.Msg.To
			out[k] = append(out[k], *it)
			return nil
		})
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// audit is the access log of subject as "officer action" lines.
func (e *env) audit(subject string) string {
	e.t.Helper()
	var lines []string
	e.db.View(func(tx talaash.Tx) error {
		return tx.AuditOf(subject, func(a *talaash.AuditEntry) error {
			lines = append(lines, a.Officer+" "+a.Action)
			return nil
		})
	})
	return strings.Join(lines, "; ")
}

// approveAll approves every pending request, as an officer would: for tests
// of other things that need an enrolled officer.
func (e *env) approveAll() {
	e.t.Helper()
	if err := e.db.Update(func(tx talaash.Tx) error {
		list, err := e.b.Roster().Pending(tx)
		for _, q := range list {
			if _, err := bot.Approve(tx, e.b.Roster(), nil, q.ID, "cli", e.now); err != nil {
				return err
			}
		}
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
}

func TestEnrolmentByInvitation(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{})
			wired(t, e)
			r := missingRecord(e)
			const verma, stranger, late, phone = "31337", "4040", "5050", "+919800000001"
			bound := e.invite(police.Invitation{Name: "SI Verma", Station: "Kalyanpur", Telegram: verma, By: "cli"})
			byPhone := e.invite(police.Invitation{Name: "HC Singh", Station: "Kotwali", SMS: "098000 00001", By: "cli"})
			short := e.invite(police.Invitation{Name: "SI Rao", Station: "Swaroop Nagar", TTL: time.Hour, By: "cli"})
			if len(bound) != 9 || strings.ContainsAny(bound, "01ILO") {
				t.Errorf("code %q: want ABCD-EFGH without look-alikes", bound)
			}
			tg, sms := talaash.ChannelTelegram, talaash.ChannelSMS
			speak(e, lang, [2]string{tg, verma}, [2]string{tg, stranger}, [2]string{tg, late}, [2]string{sms, phone})
			play(t, e, lang, []step{
				// Bound to Verma's chat: anyone else is refused as if wrong.
				{ch: tg, from: stranger, en: "/police " + bound, ids: []string{"core.enrol.wrong"}},
				{ch: tg, from: stranger, en: "/case " + r.Ref, ids: []string{"police.only"}},
				// Read aloud and typed in small letters with a space: still the code.
				{ch: tg, from: verma, en: "/police " + strings.ToLower(strings.Replace(bound, "-", " ", 1)), ids: []string{"core.enrol.ok"}},
				{ch: tg, from: verma, en: "/police " + bound, ids: []string{"core.enrol.already"}},
				// Bound to a phone: that phone, by SMS.
				{ch: sms, from: phone, en: "POLICE " + byPhone, hi: "पुलिस " + byPhone, ids: []string{"core.enrol.ok"}},
				// Once only.
				{ch: tg, from: late, en: "/police " + byPhone, ids: []string{"core.enrol.used"}},
				// In time only.
				{ch: tg, from: late, en: "/police " + short, ids: []string{"core.enrol.expired"}, advance: 61 * time.Minute},
				{ch: tg, from: late, en: "/case " + r.Ref, ids: []string{"police.only"}},
			})
			e.db.View(func(tx talaash.Tx) error {
				o, ok, err := e.b.Roster().Officer(tx, tg, verma)
				if err != nil || !ok || o.Name != "SI Verma" || o.Station != "Kalyanpur" || o.Lang != lang {
					t.Errorf("enrolled officer %+v %v %v", o, ok, err)
				}
				o, ok, _ = e.b.Roster().Officer(tx, sms, phone)
				if !ok || o.Name != "HC Singh" || o.Station != "Kotwali" {
					t.Errorf("officer by SMS %+v %v", o, ok)
				}
				return nil
			})
			if outs := e.send(tg, verma, msg{text: "/case " + r.Ref}); len(outs) != 1 || !strings.Contains(outs[0].Text, "Anjali Sharma") {
				t.Fatalf("invited officer's case lookup: %q", texts(outs))
			}
			play(t, e, lang, []step{
				{ch: tg, from: verma, en: "/police revoke", ids: []string{"core.revoked"}},
				{ch: tg, from: verma, en: "/case " + r.Ref, ids: []string{"police.only"}},
			})
			for subject, want := range map[string]string{
				"telegram:" + verma:    "cli invite; telegram:31337 enrol; telegram:31337 revoke",
				"telegram:" + stranger: "telegram:4040 refuse",
				"telegram:" + late:     "telegram:5050 refuse; telegram:5050 refuse",
				"sms:" + phone:         "cli invite; sms:+919800000001 enrol",
				"invite:2":             "cli invite; sms:+919800000001 enrol; telegram:5050 refuse",
			} {
				if got := e.audit(subject); got != want {
					t.Errorf("audit of %s: %q, want %q", subject, got, want)
				}
			}
		})
	}
}

func TestEnrolmentRequestSeesNothingUntilApproved(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceCode: generalCode, PoliceTelegram: []string{"100"}})
			al := wired(t, e)
			const asker, officer, bystander = "4040", "100", "+919811111111"
			tg := talaash.ChannelTelegram
			speak(e, lang, [2]string{tg, asker}, [2]string{tg, officer})
			missing := &talaash.Record{Kind: talaash.KindMissing, Name: "Anjali Sharma", Gender: "female", Age: talaash.Num(6),
				Clothes: "pink frock", Place: "Moti Jheel", Time: e.now.Add(-time.Hour), Language: "hi",
				Contact: &talaash.Contact{Name: "Ramesh", Phone: "+919876543210"}, Channel: talaash.ChannelSMS, Address: "+919876543210"}
			if err := e.db.Update(func(tx talaash.Tx) error { return al.Cases.Save(tx, missing, true) }); err != nil {
				t.Fatal(err)
			}
			play(t, e, lang, []step{
				{ch: tg, from: asker, en: "/police " + generalCode, ids: []string{"core.enrol.pending"}},
				{ch: tg, from: asker, en: "/case " + missing.Ref, ids: []string{"police.only"}},
				{ch: tg, from: asker, en: "/matches", ids: []string{"police.only"}},
				{ch: tg, from: asker, en: "/approve 1", ids: []string{"police.only"}},
				// Asking again is the same request: officers are not told twice.
				{ch: tg, from: asker, en: "/police " + generalCode, ids: []string{"core.enrol.pending"}},
			})
			box := e.outbox()
			if n := len(box["telegram:"+officer]); n != 1 || !strings.Contains(box["telegram:"+officer][0].Msg.Text, "APPROVE 1") ||
				!strings.Contains(box["telegram:"+officer][0].Msg.Text, talaash.MaskPhone(asker)) {
				t.Fatalf("officer's notices of the request: %+v", box["telegram:"+officer])
			}
			// A match happens: the alert reaches the officer, not the asker.
			e.send(talaash.ChannelSMS, bystander, msg{text: "SEEN girl about 6 pink frock crying alone at Moti Jheel"})
			box = e.outbox()
			alerted := false
			for _, it := range box["telegram:"+officer] {
				alerted = alerted || it.Kind == "alert"
			}
			if !alerted {
				t.Fatalf("no alert for the officer; outbox %+v", box)
			}
			if len(box["telegram:"+asker]) != 0 {
				t.Fatalf("the unapproved asker got %+v", box["telegram:"+asker])
			}
			// The officer approves by chat.
			play(t, e, lang, []step{
				{ch: tg, from: officer, en: "/approve", ids: []string{"core.approve.list"}},
				{ch: tg, from: officer, en: "/approve 9", ids: []string{"core.approve.unknown"}},
				{ch: tg, from: officer, en: "/approve 1", ids: []string{"core.approve.ok"}},
				{ch: tg, from: officer, en: "APPROVE 1", ids: []string{"core.approve.decided"}},
				{ch: tg, from: officer, en: "/approve", ids: []string{"core.approve.none"}},
			})
			told := e.outbox()["telegram:"+asker]
			if len(told) != 1 || !matches(lang, "core.enrol.approved", told[0].Msg.Text, false) {
				t.Fatalf("asker told %+v", told)
			}
			if outs := e.send(tg, asker, msg{text: "/case " + missing.Ref}); len(outs) != 1 || !strings.Contains(outs[0].Text, "Anjali Sharma") {
				t.Fatalf("approved officer's case lookup: %q", texts(outs))
			}
			if got, want := e.audit("telegram:"+asker), "telegram:4040 request; telegram:100 approve"; got != want {
				t.Errorf("audit %q, want %q", got, want)
			}
		})
	}
}

func TestEnrolmentGlobalLimit(t *testing.T) {
	for _, lang := range []string{"en", "hi"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t, bot.Config{PoliceCode: generalCode, PoliceTelegram: []string{"100"}})
			wired(t, e)
			speak(e, lang, [2]string{talaash.ChannelTelegram, "100"})
			sms := talaash.ChannelSMS
			sender := func(i int) string { return fmt.Sprintf("+9197%08d", i) }
			var script []step
			// Ten senders, two guesses each: under the per-sender limit, but
			// twenty wrong codes in all.
			for i := 1; i <= 10; i++ {
				script = append(script,
					step{ch: sms, from: sender(i), en: "POLICE 1111", hi: "पुलिस 1111", ids: []string{"core.enrol.wrong"}},
					step{ch: sms, from: sender(i), en: "POLICE 2222", hi: "पुलिस 2222", ids: []string{"core.enrol.wrong"}})
			}
			script[len(script)-1].ids = []string{"core.enrol.limited"}
			for i := 1; i <= 21; i++ {
				speak(e, lang, [2]string{sms, sender(i)})
			}
			play(t, e, lang, script)
			e.restart() // the limits are in the store
			// Now even the right code waits for the hour, for a new sender too.
			play(t, e, lang, []step{
				{ch: sms, from: sender(21), en: "POLICE " + generalCode, hi: "पुलिस " + generalCode, ids: []string{"core.enrol.limited"}},
				{ch: sms, from: sender(21), en: "POLICE " + generalCode, hi: "पुलिस " + generalCode, ids: []string{"core.enrol.pending"}, advance: time.Hour},
			})
			var alarms []talaash.OutboxItem
			for _, it := range e.outbox()["telegram:100"] {
				if strings.HasPrefix(it.Key, "enrol-alarm:") {
					alarms = append(alarms, it)
				}
			}
			if len(alarms) != 1 || !matches(lang, "core.enrol.alarm", alarms[0].Msg.Text, false) || !strings.Contains(alarms[0].Msg.Text, "10") {
				t.Errorf("officer told %d times of the wrong codes: %+v", len(alarms), alarms)
			}
			if got := e.audit("sms:" + sender(3)); got != "sms:+919700000003 refuse; sms:+919700000003 refuse" {
				t.Errorf("audit of a guesser: %q", got)
			}
		})
	}
}
