// Package alerts turns the matcher's alert decisions into messages police can
// act on, and closes the loop with parents and bystanders.
//
// Everything here runs inside the caller's store transaction and only writes:
// records' statuses (with audit), its own store entries, and outbox items
// that bot/outbox delivers after the commit. So an alert is enqueued in the
// same transaction as the record that caused it, or not at all.
//
// Safe disclosure: only enrolled police get alerts and records. A parent hears
// "police have a possible match and will contact you" — never the child's
// location, photo or the reporter's number; a bystander is thanked, nothing more.
//
// What it keeps in the store: each alerted pair's review state (talaash.Alert,
// indexed by state and ref), the time of each parent's last weekly status,
// and the access log of officers' views and decisions.
package alerts

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"talaash"
	"talaash/cases"
	"talaash/locales"
	"talaash/metrics"
	"talaash/police"
	"talaash/render"
)

// Reminder and status intervals.
const (
	RemindAfter = 2 * time.Hour
	WeeklyEvery = 7 * 24 * time.Hour
)

// Alert is the review state of one alerted pair; the store's type, named here
// for the renderers.
type Alert = talaash.Alert

// Officer is an enrolled police recipient.
//
// Its fields are those of bot.Officer, so the core's hooks convert one to the
// other with alerts.Officer(o).
type Officer struct {
	Channel, Address, Lang string
}

// ID is the officer's "channel:address", as audit entries name them.
func (o Officer) ID() string { return o.Channel + ":" + o.Address }

// label is how other officers see this one: the name given at enrolment if
// any, else a masked address (the audit keeps the full one).
func (s *Service) label(tx talaash.Tx, o Officer) (string, error) {
	e, _, err := s.Roster.Officer(tx, o.Channel, o.Address)
	if err != nil {
		return "", err
	}
	if e.Name != "" {
		return e.Name, nil
	}
	return o.Channel + " " + talaash.MaskPhone(o.Address), nil
}

// ErrNotPolice is returned when the acting sender is not an enrolled officer.
var ErrNotPolice = &talaash.Error{Code: talaash.EINVALID, Message: "only enrolled police officers can do this"}

// Service composes alerts, takes reviews and answers the police desk.
type Service struct {
	// Cases rejects pairs and drops reunited or closed records out of matching.
	// Nil: a zero cases.Service (pairs are still rejected; the matcher keeps
	// closed records until restart).
	Cases *cases.Service
	// Roster says who is police, shared with the bot core. Nil: only the
	// officers enrolled in the store.
	Roster *police.Roster
	// Channels says what each channel carries, which decides how a message
	// is written for it; nil: talaash.Known().
	Channels *talaash.Registry
	Now      func() time.Time
	// Kick is called after a commit that enqueued something (outbox.Worker.Kick).
	Kick func()
	Log  *slog.Logger

	mu         sync.Mutex
	lastWeekly time.Time // the last look for weekly statuses
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

var known = talaash.Known()

func (s *Service) channels() *talaash.Registry {
	if s.Channels != nil {
		return s.Channels
	}
	return known
}

// caps is what channel carries; an unknown channel gets plain chat text.
func (s *Service) caps(channel string) talaash.Capabilities {
	c, _ := s.channels().Caps(channel)
	return c
}

// officers lists everyone who gets alerts, each in their language.
func (s *Service) officers(tx talaash.Tx) ([]Officer, error) {
	list, err := s.Roster.Officers(tx)
	if err != nil {
		return nil, err
	}
	out := make([]Officer, len(list))
	for i, e := range list {
		out[i] = Officer{Channel: e.Channel, Address: e.Address, Lang: officerLang(tx, e.ID(), e.Lang)}
	}
	return out, nil
}

func (s *Service) cases() *cases.Service {
	if s.Cases != nil {
		return s.Cases
	}
	return &cases.Service{}
}

// enrolled returns officer with their language if they are police now. The
// language the core passes with an action (the session's current one) wins;
// else officerLang.
func (s *Service) enrolled(tx talaash.Tx, o Officer) (Officer, bool, error) {
	e, ok, err := s.Roster.Officer(tx, o.Channel, o.Address)
	if err != nil || !ok {
		return o, false, err
	}
	if o.Lang == "" {
		o.Lang = officerLang(tx, o.ID(), e.Lang)
	}
	o.Lang = lang(o.Lang)
	return o, true, nil
}

// officerLang is the language an officer reads: the one they last chose in
// chat (LANG HI, a language button), else the enrolment's, else their chat's.
func officerLang(tx talaash.Tx, id, enrolled string) string {
	l, chosen := sessionLang(tx, id)
	if enrolled != "" && !chosen {
		return lang(enrolled)
	}
	return l
}

// sessionLang reads the language of a chat session, and whether the person
// chose it, without depending on the dialog package's types: any JSON with
// "lang" and "lang_chosen" fields.
func sessionLang(tx talaash.Tx, key string) (l string, chosen bool) {
	b, _ := tx.Session(key)
	var v struct {
		Lang   string `json:"lang"`
		Chosen bool   `json:"lang_chosen"`
	}
	if json.Unmarshal(b, &v) == nil && v.Lang != "" {
		return lang(v.Lang), v.Chosen
	}
	return "en", false
}

func lang(l string) string { return locales.Lang(l) }

// State returns the review state of a pair, if it was ever alerted.
func State(tx talaash.Tx, missing, sighting string) (*talaash.Alert, bool, error) {
	a, err := tx.Alert(missing, sighting)
	switch {
	case err == nil:
		return a, true, nil
	case notFound(err):
		return nil, false, nil
	}
	return nil, false, err
}

// enqueue puts one message in the outbox (unless its recipient stopped us) and
// wakes the worker after the commit.
func (s *Service) enqueue(tx talaash.Tx, kind, key string, m talaash.Outbound) error {
	if m.To == "" {
		return nil
	}
	if stopped, err := tx.Stopped(m.Channel, m.To); err != nil || stopped {
		return err
	}
	now := s.now()
	if err := tx.Enqueue(&talaash.OutboxItem{Kind: kind, Key: key, Msg: m, Due: now, Created: now}); err != nil {
		return err
	}
	if s.Kick != nil {
		tx.OnCommit(s.Kick)
	}
	return nil
}

// OnAlert is the cases.Service hook: it records the pair as pending and
// enqueues the alert to every enrolled officer, in the caller's transaction.
func (s *Service) OnAlert(tx talaash.Tx, c talaash.Candidate) error {
	if _, ok, err := State(tx, c.Missing, c.Sighting); err != nil || ok {
		return err // if alerted once, reviews and reminders take it from here
	}
	m, err := tx.Record(c.Missing)
	if err != nil {
		return err
	}
	sg, err := tx.Record(c.Sighting)
	if err != nil {
		return err
	}
	if m.Test != sg.Test {
		// No officer may hear of it: the simulator's police must not see a
		// real record, nor real police a simulated one.
		s.log().Info("alert between a test and a real record dropped", "missing", m.Ref, "sighting", sg.Ref)
		return nil
	}
	a := &talaash.Alert{Missing: m.Ref, Sighting: sg.Ref, Score: c.Score, Reasons: c.Reasons, State: talaash.AlertPending, Created: s.now()}
	if err := tx.PutAlert(a); err != nil {
		return err
	}
	s.log().Info("alert", "missing", a.Missing, "sighting", a.Sighting, "score", a.Score)
	tx.OnCommit(func() { metrics.Alert(metrics.AlertRaised) })
	return s.sendAlert(tx, a, m, sg, false)
}

func (s *Service) sendAlert(tx talaash.Tx, a *talaash.Alert, m, sg *talaash.Record, reminder bool) error {
	kind, key := "alert", "alert:"+cases.PairKey(a.Missing, a.Sighting)
	if reminder {
		kind, key = "reminder", "remind:"+cases.PairKey(a.Missing, a.Sighting)
	}
	ref, err := s.answerRef(tx, a)
	if err != nil {
		return err
	}
	officers, err := s.officers(tx)
	if err != nil {
		return err
	}
	for _, o := range officers {
		if !s.hears(o, m.Test) {
			continue
		}
		msg := composeAlert(s.channels(), o, s.caps(o.Channel), a, m, sg, ref, reminder)
		photos := msg.Photos
		msg.Photos = nil
		if err := s.enqueue(tx, kind, key, msg); err != nil {
			return err
		}
		// Each photo is an item of its own after the text, so a retried text
		// never sends a photo twice, nor a failed photo the text. They keep the
		// first alert's keys: a reminder sends them only to officers who did not
		// get them (enrolled since), as the outbox's delivery log skips the rest.
		for i, p := range photos {
			ph := talaash.Outbound{Channel: msg.Channel, To: msg.To, Photos: []string{p}}
			if err := s.enqueue(tx, "photo", PhotoKey(a.Missing, a.Sighting, i), ph); err != nil {
				return err
			}
		}
	}
	return nil
}

// PhotoKey is the outbox key of the n-th photo (from 0: the report's, then the
// sighting's) sent with the alert of a pair, "alert:MREF|SREF:photo:N".
func PhotoKey(missing, sighting string, n int) string {
	return "alert:" + cases.PairKey(missing, sighting) + ":photo:" + strconv.Itoa(n)
}

// answerRef picks the reference an SMS officer answers with: the side that is
// in no other pending alert, else the pair as one token.
func (s *Service) answerRef(tx talaash.Tx, a *talaash.Alert) (string, error) {
	count := func(ref string) (int, error) {
		n := 0
		err := tx.AlertsOf(ref, func(x *talaash.Alert) error {
			if x.State == talaash.AlertPending && (x.Missing == ref || x.Sighting == ref) {
				n++
			}
			return nil
		})
		return n, err
	}
	ns, err := count(a.Sighting)
	if err != nil || ns <= 1 {
		return a.Sighting, err
	}
	nm, err := count(a.Missing)
	if err != nil || nm <= 1 {
		return a.Missing, err
	}
	return talaash.PairRef(a.Missing, a.Sighting), nil
}

// reporterAddress is where the reporter of r hears from us: the chat the
// record came from, unless it has none or it is an officer's (a report taken
// by police over the phone), in which case the contact number on the first
// channel that reaches a phone (SMS).
func (s *Service) reporterAddress(tx talaash.Tx, r *talaash.Record) (channel, to string, err error) {
	if c, ok := s.channels().Caps(r.Channel); ok && c.Conversation && r.Address != "" {
		police, err := s.Roster.Is(tx, r.Channel, r.Address)
		if err != nil {
			return "", "", err
		}
		if !police {
			return r.Channel, r.Address, nil
		}
	}
	if ch := s.channels().PhoneChannel(); ch != "" && r.Contact != nil && r.Contact.Phone != "" {
		if p, err := talaash.NormalizePhone(r.Contact.Phone); err == nil {
			return ch, p, nil
		}
	}
	return "", "", nil
}

// notify enqueues message id to the reporter of r, in their language.
func (s *Service) notify(tx talaash.Tx, r *talaash.Record, kind, key, id string, data map[string]any) error {
	ch, to, err := s.reporterAddress(tx, r)
	if err != nil {
		return err
	}
	if to == "" {
		s.log().Info("alerts: reporter cannot be reached", "ref", r.Ref, "message", id)
		return nil
	}
	l := r.Language
	if l == "" {
		l = "hi" // most reporters in Kanpur write Hindi
	}
	return s.enqueue(tx, kind, key, render.Notice(s.caps(ch), ch, to, lang(l), id, data))
}

// hears reports whether officer o is told of a record: the simulator's
// officers (on a Test channel) of test records only, the others of real ones.
func (s *Service) hears(o Officer, test bool) bool { return s.caps(o.Channel).Test == test }

// tellOthers enqueues message id to every officer but the one who acted, of
// those who hear of test records if test, else of real ones.
func (s *Service) tellOthers(tx talaash.Tx, by Officer, test bool, key, id string, data map[string]any) error {
	officers, err := s.officers(tx)
	if err != nil {
		return err
	}
	for _, o := range officers {
		if o.ID() == by.ID() || !s.hears(o, test) {
			continue
		}
		m := render.Notice(s.caps(o.Channel), o.Channel, o.Address, o.Lang, id, data)
		if err := s.enqueue(tx, "notify", key, m); err != nil {
			return err
		}
	}
	return nil
}

func notFound(err error) bool { return talaash.ErrorCode(err) == talaash.ENOTFOUND }
