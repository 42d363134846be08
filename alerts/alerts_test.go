package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"talaash"
	"talaash/bot/outbox"
	"talaash/cases"
	"talaash/cases/casestest"
	"talaash/dialog"
	"talaash/gsm"
	"talaash/locales"
	"talaash/police"
	"talaash/render"
	"talaash/stats"
	"talaash/store/bolt"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	t     *testing.T
	db    talaash.Store
	cases *cases.Service
	svc   *Service
	clk   *clock
	kicks int
}

var (
	verma = Officer{Channel: "telegram", Address: "1001"}
	singh = Officer{Channel: "telegram", Address: "1002"}
	smsOf = Officer{Channel: "sms", Address: "+919800000001"}
)

func setup(t *testing.T) *env {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{t: t, db: db, clk: &clock{t: time.Now()}}
	e.cases = &cases.Service{
		Matcher: &casestest.Matcher{},
		Decide: func(list []talaash.Candidate) {
			for i := range list {
				list[i].Alert = list[i].Score >= 0.5
			}
		},
	}
	e.svc = &Service{Cases: e.cases, Roster: police.New(nil, []string{"98000 00001"}, talaash.Known().PhoneChannels(), nil), Now: e.clk.Now, Kick: func() { e.kicks++ },
		Log: slog.New(slog.DiscardHandler)}
	e.cases.OnAlert = e.svc.OnAlert
	e.update(func(tx talaash.Tx) error {
		tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1001", Lang: "en", Name: "SI Verma"})
		tx.PutPolice(&talaash.PoliceEntry{Channel: "telegram", Address: "1002", Lang: "hi"})
		return nil
	})
	return e
}

func (e *env) update(fn func(tx talaash.Tx) error) {
	e.t.Helper()
	if err := e.db.Update(fn); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) save(r *talaash.Record) *talaash.Record {
	e.t.Helper()
	e.update(func(tx talaash.Tx) error { return e.cases.Save(tx, r, true) })
	return r
}

func (e *env) record(ref string) *talaash.Record {
	e.t.Helper()
	var r *talaash.Record
	e.db.View(func(tx talaash.Tx) (err error) { r, err = tx.Record(ref); return })
	if r == nil {
		e.t.Fatalf("no record %s", ref)
	}
	return r
}

// outbox returns the queued messages and empties the outbox.
func (e *env) outbox() []*talaash.OutboxItem {
	e.t.Helper()
	var out []*talaash.OutboxItem
	e.update(func(tx talaash.Tx) error {
		return tx.EachOutbox(func(it *talaash.OutboxItem) error {
			out = append(out, it)
			return tx.DeleteOutbox(it.ID)
		})
	})
	return out
}

func to(items []*talaash.OutboxItem, channel, addr string) []*talaash.OutboxItem {
	var out []*talaash.OutboxItem
	for _, it := range items {
		if it.Msg.Channel == channel && it.Msg.To == addr {
			out = append(out, it)
		}
	}
	return out
}

func missing() *talaash.Record {
	return &talaash.Record{Kind: talaash.KindMissing, Language: "hi", Name: "Ramesh", Gender: "male", Age: talaash.Num(8),
		Complex: "wheatish", Clothes: "red shirt blue jeans", Marks: "mole on left cheek", Place: "Govind Nagar",
		Time: time.Now().Add(-48 * time.Hour), Contact: &talaash.Contact{Name: "Sunita Devi", Phone: "+919876543210"},
		Channel: "telegram", Address: "5005", Photos: []string{"PHOTO_M"}}
}

func sighting(clothes string) *talaash.Record {
	return &talaash.Record{Kind: talaash.KindSighting, Language: "en", Gender: "male", AgeMin: talaash.Num(8), AgeMax: talaash.Num(10),
		Clothes: clothes, Place: "Kanpur Central", Lat: talaash.Num(26.4537), Lon: talaash.Num(80.3512), Time: time.Now().Add(-time.Hour),
		Contact: &talaash.Contact{Name: "Anil", Phone: "+919811111111"}, Channel: "sms", Address: "+919811111111", Photos: []string{"PHOTO_S"}}
}

// pair stores a report and a matching sighting and returns them with the alerts.
func (e *env) pair() (m, s *talaash.Record, items []*talaash.OutboxItem) {
	m = e.save(missing())
	s = e.save(sighting("red shirt"))
	return m, s, e.outbox()
}

func TestAlertInSameTransaction(t *testing.T) {
	e := setup(t)
	m := e.save(missing())
	boom := errors.New("boom")
	err := e.db.Update(func(tx talaash.Tx) error {
		if err := e.cases.Save(tx, sighting("red shirt"), true); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if items := e.outbox(); len(items) != 0 {
		t.Fatalf("rolled back save left %d outbox items", len(items))
	}
	e.kicks = 0
	s := e.save(sighting("red shirt"))
	items := e.outbox()
	// Per officer the alert text; per Telegram officer then each photo, the
	// report's first, as items of their own.
	if len(items) != 7 || e.kicks == 0 {
		t.Fatalf("%d alert items (kicks %d), want one per officer and two photos per Telegram officer", len(items), e.kicks)
	}
	for _, chat := range []string{"1001", "1002"} {
		its := to(items, "telegram", chat)
		if len(its) != 3 || its[0].Kind != "alert" || its[0].Key != "alert:"+cases.PairKey(m.Ref, s.Ref) || len(its[0].Msg.Photos) != 0 {
			t.Fatalf("chat %s: %+v", chat, its)
		}
		for i, want := range []string{"PHOTO_M", "PHOTO_S"} {
			ph := its[i+1]
			if ph.ID < its[0].ID || ph.Kind != "photo" || ph.Key != PhotoKey(m.Ref, s.Ref, i) || ph.Msg.Text != "" ||
				len(ph.Msg.Photos) != 1 || ph.Msg.Photos[0] != want || len(ph.Msg.Choices) != 0 {
				t.Errorf("chat %s photo %d: %+v", chat, i, ph)
			}
		}
	}
	e.db.View(func(tx talaash.Tx) error {
		if a, ok, _ := State(tx, m.Ref, s.Ref); !ok || a.State != talaash.AlertPending {
			t.Errorf("alert state %+v %v", a, ok)
		}
		return nil
	})

	en := to(items, "telegram", "1001")[0]
	for _, want := range []string{m.Ref, s.Ref, "Ramesh", "same red shirt", "+919876543210", "+919811111111", "Kanpur Central", "mole on left cheek", "MISSING", "SEEN", "100%"} {
		if !strings.Contains(en.Msg.Text, want) {
			t.Errorf("English alert lacks %q:\n%s", want, en.Msg.Text)
		}
	}
	if en.Kind != "alert" || !en.Msg.Inline || len(en.Msg.Choices) != 3 ||
		!strings.Contains(en.Msg.Text, "Photos follow this message: 1 of "+m.Ref+", 1 of "+s.Ref+".") {
		t.Errorf("alert item %+v", en)
	}
	wantData := []string{"YES " + m.Ref + "--" + s.Ref, "NO " + m.Ref + "--" + s.Ref, "/case " + m.Ref}
	for i, c := range en.Msg.Choices {
		if c.Data != wantData[i] || len(c.Data) > MaxCallback || c.Label == "" {
			t.Errorf("button %d = %+v, want data %q within 64 bytes", i, c, wantData[i])
		}
	}
	hi := to(items, "telegram", "1002")[0]
	for _, want := range []string{m.Ref, s.Ref, "वही लाल कमीज़", "+919876543210", "लापता", "लड़का"} {
		if !strings.Contains(hi.Msg.Text, want) {
			t.Errorf("Hindi alert lacks %q:\n%s", want, hi.Msg.Text)
		}
	}
	if hi.Msg.Choices[0].Label != locales.Render("hi", "alerts.button.confirm", nil) {
		t.Errorf("Hindi button %q", hi.Msg.Choices[0].Label)
	}
	sms := to(items, "sms", "+919800000001")[0]
	gsm, _, parts := gsm.Parts(sms.Msg.Text)
	if !gsm || parts > 2 || !strings.Contains(sms.Msg.Text, "Reply YES "+s.Ref+" or NO "+s.Ref) ||
		!strings.Contains(sms.Msg.Text, m.Ref) || !strings.Contains(sms.Msg.Text, "+919876543210") || len(sms.Msg.Photos) != 0 {
		t.Errorf("SMS alert (gsm %v, %d parts):\n%s", gsm, parts, sms.Msg.Text)
	}
}

func TestAlertSMSFitsTwoParts(t *testing.T) {
	long := strings.Repeat("red shirt with white stripes and a torn pocket, ", 6)
	m, s := missing(), sighting(long)
	m.Ref, s.Ref, m.Clothes, m.Marks = "M000028", "S000001", long, long
	a := &Alert{Missing: m.Ref, Sighting: s.Ref, Score: 0.87}
	for _, l := range []string{"en", "hi"} {
		text := alertSMS(known, l, a, m, s, s.Ref, true)
		gsm, _, parts := gsm.Parts(text)
		if !gsm || parts > 2 || !strings.Contains(text, "YES "+s.Ref) || !strings.Contains(text, m.Ref) {
			t.Errorf("%s: %d parts:\n%s", l, parts, text)
		}
	}
	// Devanagari free text is written in Latin letters: still GSM-7, two parts.
	m.Clothes = strings.Repeat("लाल कमीज़ और नीली जींस, ", 8)
	text := alertSMS(known, "en", a, m, s, s.Ref, false)
	if gsm, _, parts := gsm.Parts(text); !gsm || parts > 2 || !strings.Contains(text, "YES "+s.Ref) || !strings.Contains(text, "lal kamiz") {
		t.Errorf("Devanagari alert (gsm %v) %d parts:\n%s", gsm, parts, text)
	}
	// Nothing to shorten but a reporter with no number and a very long name:
	// the head is capped, the alert still fits.
	m.Contact, s.Contact = &talaash.Contact{Name: strings.Repeat("श्रीमती सुनीता देवी शर्मा ", 10)}, nil
	m.Clothes, m.Marks, s.Clothes = strings.Repeat("x", 400), "", strings.Repeat("y", 400)
	text = alertSMS(known, "hi", a, m, s, s.Ref, true)
	if gsm, _, parts := gsm.Parts(text); !gsm || parts > 2 || !strings.Contains(text, "YES "+s.Ref) || !strings.Contains(text, "Shrim") {
		t.Errorf("long head (gsm %v) %d parts:\n%s", gsm, parts, text)
	}
}

func TestConfirm(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) {
		// What the dialog makes of the Confirm button: YES REF with the pair token.
		_, ref, yes, _ := ParseCallback("YES " + m.Ref + "--" + s.Ref)
		out, err = e.svc.Act(tx, verma, "review", ref, "", yes)
		return
	})
	if len(out) != 1 || out[0].To != "1001" || !strings.Contains(out[0].Text, "+919876543210") || !strings.Contains(out[0].Text, "Confirmed") {
		t.Fatalf("reply %+v", out)
	}
	for _, ref := range []string{m.Ref, s.Ref} {
		r := e.record(ref)
		last := r.History[len(r.History)-1]
		if r.Status != talaash.StatusMatched || last.By != "telegram:1001" || last.To != talaash.StatusMatched || !last.At.Equal(e.clk.Now()) && last.At.Sub(e.clk.Now()).Abs() > time.Second {
			t.Errorf("%s: status %s, last event %+v", ref, r.Status, last)
		}
	}
	items := e.outbox()
	parent := to(items, "telegram", "5005")
	if len(parent) != 1 {
		t.Fatalf("parent got %d messages: %+v", len(parent), items)
	}
	p := parent[0].Msg
	if !strings.Contains(p.Text, m.Ref) || p.Text != locales.Render("hi", "alerts.notify.match", map[string]any{"Ref": m.Ref}) {
		t.Errorf("parent message (Hindi) %q", p.Text)
	}
	// Safe disclosure: nothing of where the child is or who saw it.
	for _, bad := range []string{"Kanpur Central", "26.45", "+919811111111", "Anil", s.Ref, "PHOTO_S", "red shirt"} {
		if strings.Contains(p.Text, bad) {
			t.Errorf("parent message discloses %q: %s", bad, p.Text)
		}
	}
	if len(p.Photos) != 0 || len(p.Choices) != 0 {
		t.Errorf("parent message carries photos or buttons: %+v", p)
	}
	thanks := to(items, "sms", "+919811111111")
	if len(thanks) != 1 || !strings.Contains(thanks[0].Msg.Text, s.Ref) || strings.Contains(thanks[0].Msg.Text, m.Ref) ||
		strings.Contains(thanks[0].Msg.Text, "+919876543210") || !strings.Contains(thanks[0].Msg.Text, "thank you") {
		t.Errorf("bystander thanks %+v", thanks)
	}
	for _, o := range []Officer{singh, smsOf} {
		told := to(items, o.Channel, o.Address)
		if len(told) != 1 || !strings.Contains(told[0].Msg.Text, "SI Verma") || !strings.Contains(told[0].Msg.Text, m.Ref) {
			t.Errorf("officer %s told %+v", o.ID(), told)
		}
	}
	if n := len(to(items, "telegram", "1001")); n != 0 {
		t.Errorf("confirming officer got %d extra messages", n)
	}

	// A second press changes nothing and says who reviewed it.
	e.update(func(tx talaash.Tx) (err error) {
		out, err = e.svc.Act(tx, singh, "review", m.Ref+":"+s.Ref, "", true)
		return
	})
	if !strings.Contains(out[0].Text, "SI Verma") || len(e.outbox()) != 0 {
		t.Errorf("second review: %+v", out)
	}
}

func TestParentWithoutChatToldBySMS(t *testing.T) {
	e := setup(t)
	m := missing()
	m.Channel, m.Address = talaash.ChannelImport, ""
	e.save(m)
	s := e.save(sighting("red shirt"))
	e.outbox()
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true); return err })
	got := to(e.outbox(), "sms", "+919876543210")
	if len(got) != 1 || got[0].Msg.Text != locales.RenderSMS("hi", "alerts.notify.match", map[string]any{"Ref": m.Ref}) {
		t.Fatalf("imported report's parent by SMS: %+v", got)
	}

	// A report taken by an officer on their own chat goes to the guardian's phone, not the officer.
	m2 := missing()
	m2.Channel, m2.Address, m2.Clothes = "telegram", "1002", "green kurta"
	e.save(m2)
	s2 := e.save(sighting("green kurta"))
	e.outbox()
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Review(tx, verma, m2.Ref, s2.Ref, true); return err })
	items := e.outbox()
	if len(to(items, "sms", "+919876543210")) != 1 {
		t.Fatalf("officer-taken report: %+v", items)
	}
	for _, it := range to(items, "telegram", "1002") {
		if strings.Contains(it.Msg.Text, "possible match for case") || strings.Contains(it.Msg.Text, "अच्छी खबर") {
			t.Errorf("officer got the parent's message: %q", it.Msg.Text)
		}
	}
}

func TestReject(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) {
		out, err = e.svc.Act(tx, verma, "review", "rv:n:"+m.Ref+":"+s.Ref, "", false)
		return
	})
	if !strings.Contains(out[0].Text, "not a match") {
		t.Fatalf("reply %+v", out)
	}
	items := e.outbox()
	if len(to(items, "telegram", "5005")) != 0 || len(to(items, "telegram", "1002")) != 1 {
		t.Errorf("after reject: %+v", items)
	}
	e.db.View(func(tx talaash.Tx) error {
		if rejected, _ := tx.Rejected(m.Ref, s.Ref); !rejected {
			t.Error("pair not rejected in cases")
		}
		if a, _, _ := State(tx, m.Ref, s.Ref); a.State != talaash.AlertRejected || a.ReviewedBy != "telegram:1001" {
			t.Errorf("state %+v", a)
		}
		return nil
	})
	if r := e.record(m.Ref); r.Status != talaash.StatusOpen || !strings.Contains(r.History[len(r.History)-1].Why, "not a match") {
		t.Errorf("missing after reject: %s %+v", r.Status, r.History)
	}
	// Edited and saved again, the pair is never alerted again.
	s.Clothes = "red shirt blue jeans"
	e.save(s)
	for _, it := range e.outbox() {
		if it.Kind == "alert" {
			t.Fatalf("rejected pair alerted again: %+v", it)
		}
	}
}

func TestOnlyEnrolledPolice(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	stranger := Officer{Channel: "telegram", Address: "666"}
	e.update(func(tx talaash.Tx) error {
		if _, err := e.svc.Review(tx, stranger, m.Ref, s.Ref, true); !errors.Is(err, ErrNotPolice) {
			t.Errorf("stranger review err %v", err)
		}
		out, err := e.svc.Act(tx, stranger, "case", m.Ref, "", false)
		if err != nil || len(out) != 1 || out[0].Text != locales.Render("en", "alerts.not_police", nil) {
			t.Errorf("stranger /case: %+v %v", out, err)
		}
		// Revoked: the buttons stop working.
		tx.DeletePolice("telegram", "1001")
		if _, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true); !errors.Is(err, ErrNotPolice) {
			t.Errorf("revoked review err %v", err)
		}
		// A configured officer revoked in the store.
		tx.PutPolice(&talaash.PoliceEntry{Channel: "sms", Address: "+919800000001", Revoked: e.clk.Now()})
		if _, err := e.svc.Desk(tx, smsOf, "matches", ""); !errors.Is(err, ErrNotPolice) {
			t.Errorf("revoked configured officer err %v", err)
		}
		return nil
	})
	if r := e.record(m.Ref); r.Status != talaash.StatusOpen {
		t.Errorf("status changed by non-police: %s", r.Status)
	}
	// New alerts skip revoked officers.
	e.save(sighting("red shirt blue"))
	for _, it := range e.outbox() {
		if it.Msg.To == "1001" || it.Msg.To == "+919800000001" {
			t.Errorf("revoked officer alerted: %+v", it.Msg)
		}
	}
}

func TestResolve(t *testing.T) {
	e := setup(t)
	m := e.save(missing())
	s1 := e.save(sighting("red shirt"))
	s2 := e.save(sighting("blue jeans"))
	e.outbox()
	e.update(func(tx talaash.Tx) error {
		if a, b, err := e.svc.Resolve(tx, s1.Ref); err != nil || a != m.Ref || b != s1.Ref {
			t.Errorf("Resolve(s1) = %s %s %v", a, b, err)
		}
		_, _, err := e.svc.Resolve(tx, m.Ref)
		if talaash.ErrorCode(err) != talaash.ECONFLICT || !strings.Contains(err.Error(), s1.Ref) || !strings.Contains(err.Error(), s2.Ref) {
			t.Errorf("ambiguous Resolve err %v", err)
		}
		out, err := e.svc.Act(tx, smsOf, "review", m.Ref, "", true)
		if err != nil || !strings.Contains(out[0].Text, s1.Ref) || !strings.Contains(out[0].Text, s2.Ref) {
			t.Errorf("ambiguous YES: %+v %v", out, err)
		}
		if a, b, err := e.svc.Resolve(tx, m.Ref+"--"+s2.Ref); err != nil || a != m.Ref || b != s2.Ref {
			t.Errorf("Resolve(pair token) = %s %s %v", a, b, err)
		}
		if _, _, err := e.svc.Resolve(tx, "K-0000-0"); talaash.ErrorCode(err) != talaash.ENOTFOUND {
			t.Errorf("unknown ref err %v", err)
		}
		// SMS "YES MREF SREF" names the pair.
		out, err = e.svc.Act(tx, smsOf, "review", m.Ref+" "+s2.Ref, "", true)
		if err != nil || !strings.Contains(out[0].Text, "Confirmed") {
			t.Errorf("YES M S: %+v %v", out, err)
		}
		if _, _, p := gsm.Parts(out[0].Text); p > 1 {
			t.Errorf("SMS reply takes %d parts: %q", p, out[0].Text)
		}
		out, _ = e.svc.Act(tx, smsOf, "review", s2.Ref, "", true)
		if !strings.Contains(out[0].Text, "No alert waiting") {
			t.Errorf("no pending alert: %+v", out)
		}
		return nil
	})
}

func TestReunitedAndClose(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true); return err })
	e.outbox()
	e.clk.Add(time.Hour)
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, singh, "reunited", s.Ref, "", false); return })
	if !strings.Contains(out[0].Text, s.Ref) {
		t.Fatalf("reply %+v", out)
	}
	for _, ref := range []string{m.Ref, s.Ref} {
		r := e.record(ref)
		last := r.History[len(r.History)-1]
		if r.Status != talaash.StatusReunited || last.By != "telegram:1002" || last.From != talaash.StatusMatched {
			t.Errorf("%s after reunited: %s %+v", ref, r.Status, last)
		}
	}
	items := e.outbox()
	p := to(items, "telegram", "5005")
	if len(p) != 1 || p[0].Msg.Text != locales.Render("hi", "alerts.notify.reunited", map[string]any{"Ref": m.Ref}) {
		t.Errorf("parent on reunion: %+v", items)
	}
	e.db.View(func(tx talaash.Tx) error {
		if c, _ := tx.Candidates(m.Ref); len(c) != 0 {
			t.Errorf("reunited record still has candidates %+v", c)
		}
		return nil
	})
	// Again: already reunited.
	e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, singh, "reunited", m.Ref, "", false); return })
	if !strings.Contains(out[0].Text, "पहले से") || len(e.outbox()) != 0 {
		t.Errorf("second reunited: %+v", out)
	}

	m2 := missing()
	m2.Language, m2.Clothes = "en", "yellow frock"
	e.save(m2)
	e.update(func(tx talaash.Tx) (err error) {
		out, err = e.svc.Act(tx, verma, "close", m2.Ref, "child returned home on her own", false)
		return
	})
	r := e.record(m2.Ref)
	if last := r.History[len(r.History)-1]; r.Status != talaash.StatusClosed || last.Why != "child returned home on her own" || last.By != "telegram:1001" {
		t.Errorf("closed: %s %+v", r.Status, last)
	}
	p = to(e.outbox(), "telegram", "5005")
	if len(p) != 1 || !strings.Contains(p[0].Msg.Text, "returned home") || !strings.Contains(p[0].Msg.Text, m2.Ref) {
		t.Errorf("parent on close: %+v", p)
	}
	e.update(func(tx talaash.Tx) (err error) {
		out, err = e.svc.Act(tx, verma, "close", "K-0000-0", "", false)
		return
	})
	if !strings.Contains(out[0].Text, "No case found") {
		t.Errorf("close unknown: %+v", out)
	}
}

func TestDesk(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	other := missing() // a second open case, matching nothing
	other.Clothes = "green kurta"
	e.save(other)
	e.outbox()
	act := func(o Officer, kind, ref, arg string) string {
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, o, kind, ref, arg, false); return })
		if len(out) != 1 {
			t.Fatalf("%s: %+v", kind, out)
		}
		return out[0].Text
	}
	c := act(verma, "case", m.Ref, "")
	for _, want := range []string{m.Ref, "Ramesh", "+919876543210", s.Ref, "100%", "alert pending", "open"} {
		if !strings.Contains(c, want) {
			t.Errorf("/case lacks %q:\n%s", want, c)
		}
	}
	if c := act(verma, "case", "nonsense", ""); !strings.Contains(c, "No case found") {
		t.Errorf("/case unknown: %s", c)
	}
	open := act(verma, "open", "", "")
	if !strings.Contains(open, m.Ref) || !strings.Contains(open, "Open missing-child cases: 2") {
		t.Errorf("/open:\n%s", open)
	}
	if p2 := act(verma, "open", "", "2"); !strings.Contains(p2, "No open") {
		t.Errorf("/open 2: %s", p2)
	}
	match := act(verma, "matches", "", "")
	if !strings.Contains(match, m.Ref) || !strings.Contains(match, s.Ref) || !strings.Contains(match, ": 1") {
		t.Errorf("/matches:\n%s", match)
	}
	if sm := act(smsOf, "matches", "", ""); !strings.Contains(sm, s.Ref) {
		t.Errorf("SMS /matches: %s", sm)
	}
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true); return err })
	e.clk.Add(time.Hour)
	e.update(func(tx talaash.Tx) error { _, err := e.svc.Reunited(tx, verma, m.Ref); return err })
	if match := act(verma, "matches", "", ""); !strings.Contains(match, "No alerts") {
		t.Errorf("/matches after review:\n%s", match)
	}
	var rep *stats.Report
	e.db.View(func(tx talaash.Tx) (err error) { rep, err = stats.Compute(tx, e.clk.Now(), talaash.IST); return })
	today, month := rep.Today, rep.Month
	if month.Reported != 2 || month.Seen != 1 || month.Matched != 1 || month.Reunited != 1 || month.Recovered != 1 || month.ShareText() != "1/2 (50%)" {
		t.Errorf("month figures %+v", month)
	}
	// Missing since 48h before, reunited an hour after the clock's start: about 2 days.
	if d := month.Median(); d < 1.9 || d > 2.2 {
		t.Errorf("median days %v", d)
	}
	st := act(singh, "stats", "", "")
	if !strings.Contains(st, "आज") || !strings.Contains(st, "1/2 (50%)") {
		t.Errorf("/stats hi:\n%s", st)
	}
	if sm := act(smsOf, "stats", "", ""); func() bool { _, _, p := gsm.Parts(sm); return p > 2 }() {
		t.Errorf("SMS /stats too long: %s", sm)
	}
	_ = today
}

func TestReminders(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	remind := func() []*talaash.OutboxItem {
		e.update(e.svc.Remind)
		return e.outbox()
	}
	e.clk.Add(time.Hour)
	if items := remind(); len(items) != 0 {
		t.Fatalf("reminded after 1h: %+v", items)
	}
	e.clk.Add(time.Hour + time.Minute)
	items := remind()
	if len(items) != 7 {
		t.Fatalf("after 2h: %d reminders, want one per officer and the photos again", len(items))
	}
	var texts []*talaash.OutboxItem
	for _, it := range items {
		if it.Kind == "photo" {
			// The first alert's keys: the outbox's log drops those delivered.
			if !strings.HasPrefix(it.Key, "alert:"+cases.PairKey(m.Ref, s.Ref)+":photo:") {
				t.Errorf("reminder photo %+v", it)
			}
			continue
		}
		texts = append(texts, it)
		if it.Kind != "reminder" || !strings.Contains(it.Msg.Text, s.Ref) || strings.Contains(it.Msg.Text, "Photos follow") {
			t.Errorf("reminder %+v", it)
		}
	}
	if len(texts) != 3 {
		t.Errorf("%d reminder texts, want one per officer", len(texts))
	}
	if !strings.Contains(to(items, "telegram", "1001")[0].Msg.Text, "Reminder") || !strings.HasPrefix(to(items, "sms", "+919800000001")[0].Msg.Text, "REMINDER") {
		t.Errorf("reminder wording: %+v", items)
	}
	e.clk.Add(5 * time.Hour)
	if items := remind(); len(items) != 0 {
		t.Fatalf("reminded twice: %+v", items)
	}

	// Weekly status to the parent while the case is open.
	e.clk.Add(7 * 24 * time.Hour)
	items = remind()
	p := to(items, "telegram", "5005")
	if len(p) != 1 || !strings.Contains(p[0].Msg.Text, m.Ref) || !strings.Contains(p[0].Msg.Text, "दिन") {
		t.Fatalf("weekly: %+v", items)
	}
	if len(to(items, "sms", "+919811111111")) != 0 {
		t.Error("bystander got a weekly status")
	}
	e.clk.Add(24 * time.Hour)
	if items := remind(); len(items) != 0 {
		t.Fatalf("weekly again after a day: %+v", items)
	}
	// A stopped parent hears nothing.
	e.update(func(tx talaash.Tx) error { return tx.PutStopped("telegram", "5005", e.clk.Now()) })
	e.clk.Add(7 * 24 * time.Hour)
	if items := remind(); len(to(items, "telegram", "5005")) != 0 {
		t.Fatalf("stopped parent told: %+v", items)
	}
	// Closed: no more weekly messages.
	e.update(func(tx talaash.Tx) error {
		tx.DeleteStopped("telegram", "5005")
		_, err := e.svc.Close(tx, verma, m.Ref, "")
		return err
	})
	e.outbox()
	e.clk.Add(8 * 24 * time.Hour)
	if items := remind(); len(items) != 0 {
		t.Fatalf("closed case still reminded: %+v", items)
	}
}

// TestSMSWordings checks every SMS wording of this package with realistic
// values: English pure GSM-7 in one part, Hindi within 134 characters.
func TestSMSWordings(t *testing.T) {
	data := map[string]any{
		"Ref": "K-4821-7", "Missing": "K-4821-7", "Sighting": "K-93017-4", "Score": "87", "Days": 21,
		"Contact": "Sunita Devi Sharma, +919876543210", "By": "SI Rajesh Kumar Verma", "State": "not a match",
		"Pairs": "K-4821-7/K-93017-4, K-4821-7/K-5512-3", "Status": "reunited", "Reason": "", "Next": 2, "Total": 312, "Page": 3, "Count": 4,
		"TReported": 12, "TFound": 3, "TMatched": 2, "TReunited": 1, "MReported": 312, "MFound": 57, "MMatched": 41, "MReunited": 33,
		"MShare": "33/312 (11%)", "MMedian": "4.5", "TSeen": 4, "MSeen": 80,
		"Age": "8-10", "Hours": 13, "Date": "14 Mar", "Summary": "Anjali Kumari Sharma, girl, 6 yrs, Moti Jheel",
		"Kind": "MISSING", "Name": "Anjali Kumari Sharma", "Who": "girl, 6 yrs", "Clothes": "red shirt, blue jeans",
		"Marks": "mole on left cheek", "Place": "Moti Jheel, Swaroop Nagar", "Time": "14 Mar 2025 09:30",
		"Record": "FOUND K-93017-4 +919876543210: Ravi, boy, 7y, Kanpur Central",
		"List":   "K-4821-75/K-93017-43 87% 13h, K-4821-75/K-5512-32 64% 9h, K-4833-12/K-93101-44 58% 2h",
	}
	n := 0
	for _, id := range locales.IDs() {
		// The alert is trimmed to two parts by code (TestAlertSMSFitsTwoParts), a
		// case lookup clipped to two parts by the desk.
		if !strings.HasPrefix(id, "alerts.") || !strings.HasSuffix(id, ".sms") || id == "alerts.alert.sms" || id == "alerts.record.sms" {
			continue
		}
		n++
		for _, l := range []string{"en", "hi"} {
			text := locales.Render(l, id, data)
			gsm, units, parts := gsm.Parts(text)
			if l == "en" && (!gsm || parts != 1) {
				t.Errorf("%s en: gsm %v, %d parts: %q", id, gsm, parts, text)
			}
			if l == "hi" && units > 134 {
				t.Errorf("%s hi: %d characters: %q", id, units, text)
			}
			if strings.Contains(text, "<no value>") {
				t.Errorf("%s %s: unfilled: %q", id, l, text)
			}
		}
	}
	if n < 15 {
		t.Fatalf("only %d SMS wordings checked", n)
	}
}

func TestEnrolledLanguages(t *testing.T) {
	e := setup(t)
	e.update(func(tx talaash.Tx) error {
		b, _ := json.Marshal(map[string]string{"Lang": "hi", "State": "menu"})
		tx.PutSession("sms:+919800000001", b)
		svc := &Service{Roster: police.New([]string{"1001", "777"}, []string{"098000-00001"}, talaash.Known().PhoneChannels(), nil)}
		got, err := svc.officers(tx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"sms:+919800000001": "hi", "telegram:1001": "en", "telegram:1002": "hi", "telegram:777": "en"}
		if len(got) != len(want) {
			t.Fatalf("officers %+v", got)
		}
		for _, o := range got {
			if want[o.ID()] != o.Lang {
				t.Errorf("%s lang %q, want %q", o.ID(), o.Lang, want[o.ID()])
			}
		}
		return nil
	})
}

func TestParseCallback(t *testing.T) {
	for _, c := range []struct {
		in, kind, ref string
		confirm, ok   bool
	}{
		{"rv:y:K-4821-7:K-93017-4", "review", "K-4821-7:K-93017-4", true, true},
		{"rv:n:M1:S1", "review", "M1:S1", false, true},
		{"YES K-4821-7--K-93017-4", "review", "K-4821-7--K-93017-4", true, true},
		{"no S1", "review", "S1", false, true},
		{"/case K-4821-7", "case", "K-4821-7", false, true},
		{"case:K-4821-7", "case", "K-4821-7", false, true},
		{"lang:hi", "", "", false, false},
	} {
		k, r, cf, ok := ParseCallback(c.in)
		if k != c.kind || r != c.ref || cf != c.confirm || ok != c.ok {
			t.Errorf("ParseCallback(%q) = %q %q %v %v", c.in, k, r, cf, ok)
		}
	}
	// Refs too long for a pair fall back to one ref; every button fits.
	bs := alertButtons("en", strings.Repeat("M", 30), strings.Repeat("S", 30), strings.Repeat("S", 30))
	if len(bs) != 3 || bs[0].Data != "YES "+strings.Repeat("S", 30) {
		t.Errorf("long refs: %+v", bs)
	}
	for _, b := range bs {
		if len(b.Data) > MaxCallback {
			t.Errorf("button data %d bytes", len(b.Data))
		}
	}
}

// TestButtonsReadByDialog: the dialog reads an alert's button data as the
// review and case commands the core hands back to this package.
func TestButtonsReadByDialog(t *testing.T) {
	bs := alertButtons("en", "K-4821-7", "K-93017-4", "K-93017-4")
	want := []struct{ name, ref, arg string }{
		{dialog.CmdReview, "K-4821-7--K-93017-4", "yes"},
		{dialog.CmdReview, "K-4821-7--K-93017-4", "no"},
		{dialog.CmdCase, "K-4821-7", ""},
	}
	for i, b := range bs {
		c, ok := dialog.ParseCommand(b.Data)
		if !ok || c.Name != want[i].name || c.Ref != want[i].ref || c.Arg != want[i].arg {
			t.Errorf("dialog reads %q as %+v %v, want %+v", b.Data, c, ok, want[i])
		}
	}
}

type recSender struct {
	mu   sync.Mutex
	got  []talaash.Outbound
	fail map[string]int // text prefix -> sends of it to fail first
}

func (r *recSender) Send(_ context.Context, m talaash.Outbound) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for p, n := range r.fail {
		if n > 0 && m.Text != "" && strings.HasPrefix(m.Text, p) {
			r.fail[p] = n - 1
			return "", talaash.Errorf(talaash.EFAILED, "502 Bad Gateway")
		}
	}
	r.got = append(r.got, m)
	return fmt.Sprint(len(r.got)), nil
}

// chat lists what reached one chat: "T" for a text, the photo id for a photo.
func (r *recSender) chat(to string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, g := range r.got {
		if g.To != to {
			continue
		}
		if g.Text != "" {
			out = append(out, "T")
		}
		out = append(out, g.Photos...)
	}
	return out
}

// TestDeliveredThroughOutbox: what this package enqueues, the outbox worker
// delivers, after a restart of the worker too: each alert text once, then
// each photo once, even when the text's first send fails, and a reminder does
// not send the photos again.
func TestDeliveredThroughOutbox(t *testing.T) {
	e := setup(t)
	m := e.save(missing())
	s := e.save(sighting("red shirt"))
	// The English officer's first alert send fails: retried after a backoff.
	tg, sms := &recSender{fail: map[string]int{locales.Render("en", "alerts.alert.title", map[string]any{"Score": "100", "Missing": m.Ref, "Sighting": s.Ref}): 1}}, &recSender{}
	senders := map[string]talaash.Sender{"telegram": tg, "sms": sms}
	clk := e.clk
	sleep := func(ctx context.Context, d time.Duration) error { clk.Add(d); return nil }
	w := &outbox.Worker{DB: e.db, Senders: senders, Now: clk.Now, Sleep: sleep, Log: slog.New(slog.DiscardHandler)}
	for range 5 { // the failed item is due again after its backoff
		if err := w.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Minute)
	}
	if tg.fail[locales.Render("en", "alerts.alert.title", map[string]any{"Score": "100", "Missing": m.Ref, "Sighting": s.Ref})] != 0 {
		t.Fatal("the failing send was never tried")
	}
	want := []string{"T", "PHOTO_M", "PHOTO_S"}
	for _, chat := range []string{"1001", "1002"} {
		if got := tg.chat(chat); !slices.Equal(got, want) {
			t.Errorf("chat %s got %q, want the alert once, then each photo once: %q", chat, got, want)
		}
	}
	if len(sms.got) != 1 || len(sms.got[0].Photos) != 0 || len(tg.got[0].Choices) != 3 {
		t.Fatalf("delivered sms %+v", sms.got)
	}
	e.clk.Add(RemindAfter)
	e.update(e.svc.Remind)
	w.Drain(context.Background())
	for _, chat := range []string{"1001", "1002"} {
		if got := tg.chat(chat); !slices.Equal(got, append(want, "T")) {
			t.Errorf("chat %s after the reminder got %q, want the reminder text only", chat, got)
		}
	}
	e.update(func(tx talaash.Tx) error { _, err := e.svc.ReviewRef(tx, verma, m.Ref, true); return err })
	w2 := &outbox.Worker{DB: e.db, Senders: senders, Now: clk.Now, Sleep: sleep, Log: slog.New(slog.DiscardHandler)}
	w2.Drain(context.Background())
	if got := tg.chat("5005"); len(got) != 1 || len(sms.got) != 4 { // + reminder, bystander thanks, SMS officer told
		t.Fatalf("after confirm: parent %q, sms %d", got, len(sms.got))
	}
}

// hindiRecords are a report and a sighting written in Devanagari, as Hindi
// reporters write them.
func hindiRecords() (m, s *talaash.Record) {
	m = &talaash.Record{Ref: "K-4821-7", Kind: talaash.KindMissing, Language: "hi", Name: "अंजलि कुमारी", Gender: "female", Age: talaash.Num(7),
		Complex: "गेहुआं", Clothes: "लाल कमीज़ और नीली जींस, पैरों में काली चप्पल", Marks: "बाएं गाल पर तिल, दाहिने हाथ पर जलने का निशान",
		Place: "गोविंद नगर, कानपुर", Time: time.Date(2025, 6, 12, 11, 0, 0, 0, time.UTC),
		Contact: &talaash.Contact{Name: "सुनीता देवी", Phone: "+919876543210"}, Channel: "telegram", Address: "5005"}
	s = &talaash.Record{Ref: "K-93017-4", Kind: talaash.KindSighting, Language: "hi", Gender: "female", AgeMin: talaash.Num(6), AgeMax: talaash.Num(8),
		Clothes: "लाल कमीज़, नीली जींस", Marks: "गाल पर तिल", Place: "कानपुर सेंट्रल स्टेशन, प्लेटफ़ॉर्म 3",
		Time: time.Date(2025, 6, 12, 15, 30, 0, 0, time.UTC), Contact: &talaash.Contact{Name: "अनिल", Phone: "+919811111111"}, Channel: "sms", Address: "+919811111111"}
	return m, s
}

// TestAlertSMSDevanagari: records written in Hindi still make a GSM-7 alert of
// at most two parts that carries the description police need, in both
// officers' languages, first send and reminder.
func TestAlertSMSDevanagari(t *testing.T) {
	m, s := hindiRecords()
	a := &Alert{Missing: m.Ref, Sighting: s.Ref, Score: 8.1}
	for _, l := range []string{"en", "hi", locales.HiLatn} {
		reply := map[string]string{"en": "Reply YES " + s.Ref + " or NO " + s.Ref, "hi": "Jawab: YES " + s.Ref + " ya NO " + s.Ref,
			locales.HiLatn: "Jawab: YES " + s.Ref + " ya NO " + s.Ref}[l]
		girl := locales.RenderSMS(l, "alerts.gender.female", nil)
		for _, reminder := range []bool{false, true} {
			text := alertSMS(known, l, a, m, s, s.Ref, reminder)
			gsm, units, parts := gsm.Parts(text)
			if !gsm || parts > MaxSMSParts {
				t.Errorf("%s: gsm %v, %d units, %d parts:\n%s", l, gsm, units, parts, text)
			}
			for _, want := range []string{m.Ref, s.Ref, "+919876543210", "+919811111111", reply, girl,
				locales.RenderSMS(l, "alerts.age", map[string]any{"Age": "7"}), locales.RenderSMS(l, "alerts.age", map[string]any{"Age": "6-8"}),
				"Anjali", "lal kamiz", "til", "Govind Nagar", "Kanpur", "12Jun 16:30 IST", "12Jun 21:00 IST"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s (reminder %v) lacks %q:\n%s", l, reminder, want, text)
				}
			}
			// Long fields give way a little each, not one field whole.
			if units < 250 {
				t.Errorf("%s: %d units: cut more than needed:\n%s", l, units, text)
			}
		}
	}
	// A one-message sighting in Devanagari: its words are the description.
	s2 := &talaash.Record{Ref: "K-5512-3", Kind: talaash.KindSighting, Text: "स्टेशन पर एक लड़की अकेली रो रही थी, लाल कमीज़, करीब 7 साल",
		Time: s.Time, Contact: &talaash.Contact{Phone: "+919811111111"}}
	text := alertSMS(known, "en", a, m, s2, s2.Ref, false)
	if gsm, _, parts := gsm.Parts(text); !gsm || parts > MaxSMSParts || !strings.Contains(text, "steshan par ek ladki") || !strings.Contains(text, "YES "+s2.Ref) {
		t.Errorf("one-message sighting (gsm %v, %d parts):\n%s", gsm, parts, text)
	}
	t.Logf("en:\n%s\nhi:\n%s", alertSMS(known, "en", a, m, s, s.Ref, false), alertSMS(known, "hi", a, m, s, s.Ref, false))
}

// TestSMSCommandsWithoutSlash: whatever this package sends by SMS names the
// commands as SMS users type them (CASE REF, not Telegram's /case REF), and
// the dialog reads what it names.
func TestSMSCommandsWithoutSlash(t *testing.T) {
	slash := regexp.MustCompile(`(^|[\s(:])/[A-Za-z]`)
	data := map[string]any{"Ref": "K-4821-7", "Missing": "K-4821-7", "Sighting": "K-93017-4", "Next": 2, "Days": 8, "Count": 3,
		"Pairs": "K-4821-7/K-93017-4", "Example": "K-4821-7 K-93017-4", "Score": "87", "By": "SI Verma", "State": "confirmed", "Status": "closed"}
	n := 0
	for _, id := range locales.IDs() {
		if !strings.HasPrefix(id, "alerts.") || strings.HasSuffix(id, ".sms") || strings.HasPrefix(id, "alerts.button.") {
			continue
		}
		for _, l := range []string{"en", "hi"} {
			n++
			if text := render.Text(smsWording, l, id, data); slash.MatchString(text) {
				t.Errorf("%s %s by SMS names a Telegram command: %q", id, l, text)
			}
		}
	}
	if n < 80 {
		t.Fatalf("only %d wordings checked", n)
	}

	e := setup(t)
	_, s, _ := e.pair()
	for range PageSize { // more open cases than a page holds
		r := missing()
		r.Clothes = "green kurta"
		e.save(r)
	}
	e.outbox()
	act := func(o Officer, kind, arg string) string {
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, o, kind, "", arg, false); return })
		if len(out) != 1 {
			t.Fatalf("%s: %+v", kind, out)
		}
		return out[0].Text
	}
	for _, c := range []struct {
		o             Officer
		kind, want    string
		cmd, ref, arg string
	}{
		{smsOf, "matches", "CASE REF", dialog.CmdCase, "K-4821-7", ""},
		{smsOf, "open", "OPEN 2", dialog.CmdOpen, "", "2"},
		{verma, "matches", "/case REF", dialog.CmdCase, "K-4821-7", ""},
		{verma, "open", "/open 2", dialog.CmdOpen, "", "2"},
	} {
		text := act(c.o, c.kind, "")
		if !strings.Contains(text, c.want) || (c.o.Channel == talaash.ChannelSMS && slash.MatchString(text)) {
			t.Errorf("%s %s lacks %q:\n%s", c.o.Channel, c.kind, c.want, text)
		}
		if cmd, ok := dialog.ParseCommand(strings.Replace(c.want, "REF", "K-4821-7", 1)); !ok || cmd.Name != c.cmd || cmd.Ref != c.ref || cmd.Arg != c.arg {
			t.Errorf("the dialog reads %q as %+v %v", c.want, cmd, ok)
		}
	}
	if text := act(smsOf, "matches", ""); !strings.Contains(text, s.Ref) {
		t.Errorf("SMS matches lacks the pending alert:\n%s", text)
	}
	// By SMS every open case is on some page, each page within two parts and
	// naming the next, in both languages, with names written in Devanagari.
	hm, _ := hindiRecords()
	hm.Ref, hm.Place = "", "गोविंद नगर, शास्त्री चौक के पास वाली गली"
	e.save(hm)
	e.outbox()
	for _, l := range []string{"en", "hi"} {
		o := smsOf
		o.Lang = l
		seen := map[string]bool{}
		all := ""
		pages := (PageSize + 2 + SMSPageSize - 1) / SMSPageSize
		for page := 1; page <= pages; page++ {
			text := act(o, "open", strconv.Itoa(page))
			all += text
			gsm, _, parts := gsm.Parts(text)
			if !gsm || parts > MaxSMSParts {
				t.Errorf("%s SMS open page %d: gsm %v, %d parts:\n%s", l, page, gsm, parts, text)
			}
			if next := "OPEN " + strconv.Itoa(page+1); (page < pages) != strings.Contains(text, next) {
				t.Errorf("%s SMS open page %d of %d, %q:\n%s", l, page, pages, next, text)
			}
			for _, r := range regexp.MustCompile(`K-\d+-\d`).FindAllString(text, -1) {
				seen[r] = true
			}
		}
		if len(seen) != PageSize+2 || !strings.Contains(all, "Anjali Kumari") {
			t.Errorf("%s: SMS pages show %d of %d open cases (Devanagari names in Latin letters):\n%s", l, len(seen), PageSize+2, all)
		}
	}

	// An answer that names no pending alert points to MATCHES.
	var out []talaash.Outbound
	e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, smsOf, "review", "K-1", "", true); return })
	if len(out) != 1 || slash.MatchString(out[0].Text) {
		t.Errorf("SMS review of an unknown ref: %+v", out)
	}
}

// TestCaseAndMatchesBySMS: a case lookup by SMS keeps the candidates (what
// the officer asked for) and the record's description within two GSM-7
// parts, in both languages, for records written in Devanagari too; so does
// the list of pending alerts.
func TestCaseAndMatchesBySMS(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	hm, hs := hindiRecords()
	hm.Ref, hs.Ref = "", ""
	hm.Clothes += ", red shirt"
	hs.Clothes = "red shirt"
	e.save(hm)
	e.save(hs)
	e.outbox()
	cands := map[string][]string{m.Ref: {s.Ref, hs.Ref}, s.Ref: {m.Ref, hm.Ref}, hm.Ref: {s.Ref, hs.Ref}, hs.Ref: {m.Ref, hm.Ref}}
	for _, l := range []string{"en", "hi"} {
		o := smsOf
		o.Lang = l
		for ref, others := range cands {
			var out []talaash.Outbound
			e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, o, "case", ref, "", false); return })
			text := out[0].Text
			gsm, _, parts := gsm.Parts(text)
			if !gsm || parts > MaxSMSParts {
				t.Errorf("%s CASE %s: gsm %v, %d parts:\n%s", l, ref, gsm, parts, text)
			}
			want := append([]string{ref + " [" + locales.RenderSMS(l, "alerts.status.open", nil) + "]", locales.RenderSMS(l, "alerts.desk.candidates", nil),
				locales.RenderSMS(l, "alerts.state.pending", nil)}, others...)
			if ref == hm.Ref {
				want = append(want, "Anjali Kumari", "+919876543210", "Govind Nagar")
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s CASE %s lacks %q:\n%s", l, ref, w, text)
				}
			}
		}
		var out []talaash.Outbound
		e.update(func(tx talaash.Tx) (err error) { out, err = e.svc.Act(tx, o, "matches", "", "", false); return })
		if gsm, _, parts := gsm.Parts(out[0].Text); !gsm || parts > MaxSMSParts || strings.Count(out[0].Text, "\n- ") != 4 || !strings.Contains(out[0].Text, "CASE REF") {
			t.Errorf("%s MATCHES: gsm %v, %d parts:\n%s", l, gsm, parts, out[0].Text)
		}
	}
}

// A case loaded from an old file (no conversation behind it) gets no weekly
// status: a bulk import must not start texting every family in it.
func TestNoWeeklyForImported(t *testing.T) {
	e := setup(t)
	old := e.save(&talaash.Record{Kind: talaash.KindMissing, Language: "hi", Gender: "male", Age: talaash.Num(9),
		Clothes: "green kurta", Time: e.clk.Now().Add(-30 * 24 * time.Hour), Contact: &talaash.Contact{Phone: "+919822222222"}})
	e.outbox()
	e.clk.Add(8 * 24 * time.Hour)
	e.update(e.svc.Remind)
	for _, it := range e.outbox() {
		if it.Msg.To == "+919822222222" || strings.Contains(it.Msg.Text, old.Ref) {
			t.Errorf("imported case got %+v", it)
		}
	}
}

// Every record an officer opens and every decision goes into the access log
// of the records concerned; a stranger's attempt leaves none.
func TestAccessLog(t *testing.T) {
	e := setup(t)
	m, s, _ := e.pair()
	e.update(func(tx talaash.Tx) error {
		if _, err := e.svc.Act(tx, Officer{Channel: "telegram", Address: "666"}, "case", m.Ref, "", false); err != nil {
			return err
		}
		if _, err := e.svc.Act(tx, verma, "case", m.Ref, "", false); err != nil {
			return err
		}
		if _, err := e.svc.Review(tx, verma, m.Ref, s.Ref, true); err != nil {
			return err
		}
		_, err := e.svc.Reunited(tx, verma, m.Ref)
		return err
	})
	e.db.View(func(tx talaash.Tx) error {
		for ref, want := range map[string]string{
			m.Ref: "[telegram:1001 view  telegram:1001 confirm " + s.Ref + " telegram:1001 reunited ]",
			s.Ref: "[telegram:1001 confirm " + m.Ref + " telegram:1001 reunited ]",
		} {
			var got []string
			tx.AuditOf(ref, func(a *talaash.AuditEntry) error {
				if !a.At.Equal(e.clk.Now()) {
					t.Errorf("%s: entry at %v, want the service's clock", ref, a.At)
				}
				got = append(got, a.Officer+" "+a.Action+" "+a.Detail)
				return nil
			})
			if fmt.Sprint(got) != want {
				t.Errorf("access log of %s:\n got %v\nwant %s", ref, got, want)
			}
		}
		return nil
	})
}
