package bot_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/bot"
	"talaash/dialog"
	"talaash/locales"
	"talaash/store/bolt"
)

// env is a core over a real bbolt file in a temp dir, with a clock the test moves.
type env struct {
	t    *testing.T
	path string
	db   talaash.Store
	b    *bot.Bot
	cfg  bot.Config
	opts []bot.Option
	now  time.Time
	seq  int
}

func newEnv(t *testing.T, cfg bot.Config, opts ...bot.Option) *env {
	t.Helper()
	e := &env{t: t, path: filepath.Join(t.TempDir(), "data", "talaash.db"), cfg: cfg, opts: opts,
		now: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)}
	e.cfg.Now = func() time.Time { return e.now }
	e.open()
	t.Cleanup(func() { e.db.Close() })
	return e
}

func (e *env) open() {
	e.t.Helper()
	db, err := bolt.Open(e.path)
	if err != nil {
		e.t.Fatal(err)
	}
	e.db = db
	e.b = bot.New(db, e.cfg, e.opts...)
}

// restart closes the database and opens it again with a fresh core, as a
// process restart would.
func (e *env) restart() {
	e.t.Helper()
	if err := e.db.Close(); err != nil {
		e.t.Fatal(err)
	}
	e.open()
}

// msg is what a person sends in one turn.
type msg struct {
	text, cb string
	loc      *talaash.Location
	contact  *talaash.Contact
	id       string // provider id; a fresh one when empty
}

func (e *env) send(channel, sender string, m msg) []talaash.Outbound {
	e.t.Helper()
	id := m.id
	if id == "" {
		e.seq++
		id = "m" + strconv.Itoa(e.seq)
	}
	e.now = e.now.Add(30 * time.Second)
	in := talaash.Inbound{Channel: channel, Sender: sender, ID: id, Text: m.text, Callback: m.cb,
		Location: m.loc, Contact: m.contact, At: e.now}
	outs, err := e.b.Handle(context.Background(), in)
	if err != nil {
		e.t.Fatalf("Handle(%+v): %v", in, err)
	}
	for _, o := range outs {
		if o.Channel != channel || o.To != sender || o.Text == "" {
			e.t.Fatalf("reply not addressed to the sender: %+v", o)
		}
	}
	return outs
}

func (e *env) session(channel, sender string) *dialog.Session {
	e.t.Helper()
	var s *dialog.Session
	err := e.db.View(func(tx talaash.Tx) error {
		raw, err := tx.Session(channel + ":" + sender)
		if err != nil || raw == nil {
			return err
		}
		s, err = dialog.Unmarshal(raw)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if s == nil {
		return &dialog.Session{}
	}
	return s
}

func (e *env) records(channel, sender string) []*talaash.Record {
	e.t.Helper()
	var out []*talaash.Record
	if err := e.db.View(func(tx talaash.Tx) error {
		return tx.RecordsByReporter(channel, sender, func(r *talaash.Record) error { out = append(out, r); return nil })
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) put(r *talaash.Record) {
	e.t.Helper()
	if err := e.db.Update(func(tx talaash.Tx) error { return tx.PutRecord(r) }); err != nil {
		e.t.Fatal(err)
	}
}

// pattern is message id rendered in lang as a regexp, whatever its template
// data: the template is rendered with markers, which become wildcards.
func pattern(lang, id string, sms bool) string {
	const mark = "\x00"
	data := map[string]any{}
	for _, k := range []string{"Ref", "Summary", "Short", "Options", "N", "Name", "Lines", "Left", "Kind", "Status",
		"Details", "Page", "Next", "Max", "Date", "Score", "Reasons", "Who", "Count", "Field"} {
		data[k] = mark
	}
	render := locales.Render
	if sms {
		render = locales.RenderSMS
	}
	parts := strings.Split(render(lang, id, data), mark)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	other := strings.Join(parts, ".*?")
	// A message with a singular form, rendered for a count of one.
	data["N"], data["Left"] = 1, 1
	parts = strings.Split(render(lang, id, data), mark)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	if one := strings.Join(parts, ".*?"); one != other {
		return "(?:" + other + "|" + one + ")"
	}
	return other
}

// matches tells whether a text is message id rendered in lang.
func matches(lang, id, text string, sms bool) bool {
	return regexp.MustCompile(`(?s)^` + pattern(lang, id, sms)).MatchString(text)
}

// expect checks that outs are exactly the messages ids, in order. On SMS the
// core joins a turn's replies into one message where they fit, so there the
// texts are compared joined.
func expect(t *testing.T, lang string, outs []talaash.Outbound, ids ...string) {
	t.Helper()
	if len(outs) > 0 && outs[0].Channel == talaash.ChannelSMS && len(ids) > 0 {
		var ps []string
		for _, id := range ids {
			ps = append(ps, pattern(lang, id, true))
		}
		joined := strings.Join(texts(outs), "\n")
		if !regexp.MustCompile(`(?s)^` + strings.Join(ps, `.*?\n`)).MatchString(joined) {
			t.Fatalf("SMS replies %q, want messages %v (%s)", texts(outs), ids, lang)
		}
		return
	}
	if len(outs) != len(ids) {
		t.Fatalf("got %d replies %q, want %v", len(outs), texts(outs), ids)
	}
	for i, id := range ids {
		if !matches(lang, id, outs[i].Text, outs[i].Channel == talaash.ChannelSMS) {
			t.Fatalf("reply %d = %q, want message %s (%s): %q", i, outs[i].Text, id, lang,
				locales.Render(lang, id, nil))
		}
	}
}

func texts(outs []talaash.Outbound) []string {
	var s []string
	for _, o := range outs {
		s = append(s, o.Text)
	}
	return s
}
