package bot_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot"
	"talaash/cases"
	"talaash/gsm"
	"talaash/locales"
	"talaash/match"
	"talaash/police"
)

// The same check with the core wired as cmd/talaash wires it: the matcher,
// cases and the alerts desk answer the police commands, and matches put
// alerts and notifications in the outbox. Those texts are package alerts';
// the SMS match alert and an SMS /case answer may take two parts.

// wired returns a core over e's database with matching and the alerts desk.
func wired(t *testing.T, e *env) *alerts.Service {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	mt, err := match.New(match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs := &cases.Service{Matcher: mt, Decide: match.Decide}
	al := &alerts.Service{Cases: cs, Roster: police.New(e.cfg.PoliceTelegram, e.cfg.PoliceSMS, talaash.Known().PhoneChannels(), quiet), Now: func() time.Time { return e.now }, Log: quiet}
	cs.OnAlert = al.OnAlert
	e.opts = []bot.Option{bot.WithLogger(quiet), bot.WithRoster(al.Roster),
		bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error { return cs.Save(tx, r, true) }),
		bot.WithExtract(mt.Extract),
		bot.WithDesk(bot.DeskFunc(func(tx talaash.Tx, o bot.Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
			return al.Act(tx, alerts.Officer(o), kind, ref, arg, confirm)
		}))}
	e.restart()
	return al
}

// flowCost is what the main SMS flows of one language cost: parts and
// messages of every reply to the parent's report (REPORT to the saved
// reference, 14 turns), of the reply to a one-message sighting, of the SMS
// alert to the officer.
type flowCost struct{ reportParts, reportSMS, sightingParts, alertParts int }

func TestSMSDeskAndAlertsCost(t *testing.T) {
	costs := map[string]*flowCost{}
	for _, lang := range []string{"en", "hi", locales.HiLatn} {
		fc := &flowCost{}
		costs[lang] = fc
		t.Run(lang, func(t *testing.T) {
			c := newCostRun(t, talaash.ChannelSMS)
			c.caseParts = 2
			wired(t, c.e)
			pick := func(en, hi, hl string) string {
				return map[string]string{"en": en, "hi": hi, locales.HiLatn: hl}[lang]
			}
			officer, parent, bystander := c.sender(), c.sender(), c.sender()
			c.turn("officer", officer, pick("hello", "नमस्ते", "namaste"))
			c.turn("officer", officer, pick("2", "१", "3"))
			c.turn("officer", officer, "POLICE "+policeCode)
			report := map[string][]string{
				"en": {"REPORT", "Anjali", "6", "2", "1", "1", "pink frock", "1", "Moti Jheel", "1", "1", "Ramesh Kumar", "1", "1"},
				"hi": {"शिकायत", "अंजलि", "६", "२", "१", "१", "गुलाबी फ्रॉक", "१", "मोती झील", "१", "१", "रमेश कुमार", "१", "१"},
				// Hinglish: the first message says it, in Hindi words.
				locales.HiLatn: {"bachchi kho gayi hai, shikayat karni hai", "3", "shikayat", "Anjali", "6 saal", "2", "1", "1", "gulabi frock", "1",
					"Moti Jheel", "1", "1", "Ramesh Kumar", "1", "1"},
			}[lang]
			for i, s := range report {
				outs := c.turn("parent", parent, s)
				if len(report)-i > 14 {
					continue // the greeting: the report's prompts follow
				}
				for _, o := range outs {
					_, parts := gsm.Segments(o.Text)
					fc.reportParts += parts
					fc.reportSMS++
				}
			}
			if got := c.e.session(talaash.ChannelSMS, parent).Lang; got != lang {
				t.Errorf("the parent was answered in %q", got)
			}
			missing := c.e.records(talaash.ChannelSMS, parent)
			if len(missing) != 1 {
				t.Fatalf("parent's report not stored: %d records", len(missing))
			}
			for _, o := range c.turn("bystander", bystander, pick("SEEN girl about 6 pink frock crying alone at Moti Jheel",
				"मोती झील पर गुलाबी फ्रॉक में 6 साल की लड़की अकेली रोती देखी", "Moti Jheel par gulabi frock mein 6 saal ki ladki akeli roti dekhi")) {
				_, parts := gsm.Segments(o.Text)
				fc.sightingParts += parts
			}
			seen := c.e.records(talaash.ChannelSMS, bystander)
			if len(seen) != 1 {
				t.Fatalf("sighting not stored: %d records", len(seen))
			}
			// The outbox: alerts to the officer, notices to the parent. Read now
			// and at the end, since closing a case drops its pending alerts.
			queued := map[uint64]talaash.OutboxItem{}
			outbox := func() {
				if err := c.e.db.View(func(tx talaash.Tx) error {
					return tx.EachOutbox(func(it *talaash.OutboxItem) error { queued[it.ID] = *it; return nil })
				}); err != nil {
					t.Fatal(err)
				}
			}
			outbox()
			m, s := missing[0].Ref, seen[0].Ref
			for _, cmd := range []string{"CASE " + m, "MATCHES", "OPEN", "STATS", "YES " + m, "NO " + s, "CASE " + s,
				"REUNITED " + m, "CLOSE " + s + " duplicate", "STATUS"} {
				c.turn("officer", officer, cmd)
			}
			c.turn("parent", parent, "STATUS "+m)
			outbox()

			alerted := false
			for _, it := range queued {
				if it.Msg.Channel != talaash.ChannelSMS {
					continue
				}
				enc, parts := gsm.Segments(it.Msg.Text)
				if it.Kind == "alert" && !alerted {
					fc.alertParts = parts
					if wantLang := map[string]string{"en": "Reply YES", "hi": "Jawab: YES", locales.HiLatn: "Jawab: YES"}[lang]; !strings.Contains(it.Msg.Text, wantLang) ||
						!strings.Contains(it.Msg.Text, " IST") {
						t.Errorf("%s SMS alert not in the officer's language or without the zone: %q", lang, it.Msg.Text)
					}
				}
				alerted = alerted || it.Kind == "alert"
				c.all = append(c.all, sent{channel: "outbox", lang: lang, conv: it.Kind, text: it.Msg.Text, enc: enc,
					units: gsm.Length(it.Msg.Text), parts: parts})
				limit := 1
				if lang == "hi" || it.Kind == "alert" || it.Kind == "reminder" {
					limit = 2
				}
				if (lang != "hi" && enc != gsm.GSM7) || parts > limit {
					t.Errorf("package alerts: %s SMS %s, %d parts (limit %d): %q", it.Kind, enc, parts, limit, it.Msg.Text)
				}
			}
			if !alerted {
				t.Errorf("no SMS alert queued for the officer; outbox: %d items", len(queued))
			}
			longest(t, c.all, 8)
		})
	}
	// Hinglish SMS are GSM-7: the same flows cost fewer parts than in Hindi.
	for _, l := range []string{"en", "hi", locales.HiLatn} {
		f := costs[l]
		t.Logf("%-7s report: %d parts in %d SMS; one-message sighting reply: %d parts; SMS alert: %d parts", l, f.reportParts, f.reportSMS, f.sightingParts, f.alertParts)
	}
	hi, hl := costs["hi"], costs[locales.HiLatn]
	if hl.reportParts == 0 || hl.reportParts > hl.reportSMS || hl.reportParts >= hi.reportParts || hl.sightingParts >= hi.sightingParts || hl.alertParts > hi.alertParts {
		t.Errorf("Hinglish flows cost %+v, Hindi %+v: Hinglish must cost one part an SMS and less than Hindi", *hl, *hi)
	}
}
