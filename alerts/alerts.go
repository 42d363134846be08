// Package alerts turns the matcher's alert decisions into messages police can
// act on, and closes the loop with parents and bystanders.
//
// Everything here runs inside the caller's store transaction and only writes:
// records' statuses (with audit), its own small keyed values, and outbox items
// that bot/outbox delivers after the commit. So an alert is enqueued in the
// same transaction as the record that caused it, or not at all.
//
// Safe disclosure: only enrolled police get alerts and records. A parent hears
// "police have a possible match and will contact you" — never the child's
// location, photo or the reporter's number; a bystander is thanked, nothing more.
//
// Store namespaces owned here:
//
//	"alert"  "MREF|SREF" -> Alert (JSON): pending / confirmed / rejected, reminded, reviewer
//	"weekly" "REF"       -> RFC 3339 time of the last weekly status sent to a parent
package alerts

import (
	"encoding/json"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"talaash"
	"talaash/cases"
	"talaash/locales"
)

// Namespaces of the store's small keyed values.
const (
	NSAlert   = "alert"
	NSWeekly  = "weekly"
	NSPolice  = "police"  // the core's enrolment list, "channel:sender"
	NSStopped = "stopped" // the core's stopped list, "channel:sender"
)

// Alert states.
const (
	StatePending   = "pending"
	StateConfirmed = "confirmed"
	StateRejected  = "rejected"
)

// Reminder and status intervals.
const (
	RemindAfter = 2 * time.Hour
	WeeklyEvery = 7 * 24 * time.Hour
)

// Alert is the review state of one alerted pair.
type Alert struct {
	Missing    string           `json:"missing"`
	Sighting   string           `json:"sighting"`
	Score      float64          `json:"score"`
	Reasons    []talaash.Reason `json:"reasons,omitempty"`
	State      string           `json:"state"`
	Created    time.Time        `json:"created"`
	Reminded   time.Time        `json:"reminded,omitzero"`
	ReviewedBy string           `json:"reviewed_by,omitempty"` // "channel:address" of the officer
	ByName     string           `json:"by_name,omitempty"`     // how other officers see them
	Reviewed   time.Time        `json:"reviewed,omitzero"`
}

// Officer is an enrolled police recipient.
//
// Its fields are those of bot.Officer, so the core's hooks convert one to the
// other with alerts.Officer(o).
type Officer struct {
	Channel, Address, Lang string
}

// ID is the officer's "channel:address", as audit entries and kv keys name them.
func (o Officer) ID() string { return o.Channel + ":" + o.Address }

// label is how other officers see this one: the name given at enrolment (kv
// "police" JSON {"name": ...}) if any, else a masked address (the audit keeps
// the full one).
func label(tx talaash.Tx, o Officer) string {
	var meta struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(tx.Get(NSPolice, o.ID()), &meta) == nil && meta.Name != "" {
		return meta.Name
	}
	return o.Channel + " " + talaash.MaskPhone(o.Address)
}

// ErrNotPolice is returned when the acting sender is not an enrolled officer.
var ErrNotPolice = &talaash.Error{Code: talaash.EINVALID, Message: "only enrolled police officers can do this"}

// Service composes alerts, takes reviews and answers the police desk.
type Service struct {
	// Cases rejects pairs and drops reunited or closed records out of matching.
	// Nil: a zero cases.Service (pairs are still rejected; the matcher keeps
	// closed records until restart).
	Cases *cases.Service
	// Police lists the enrolled officers; nil: Enrolled(nil, nil).
	Police func(tx talaash.Tx) []Officer
	Now    func() time.Time
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

func (s *Service) police(tx talaash.Tx) []Officer {
	if s.Police != nil {
		return s.Police(tx)
	}
	return Enrolled(nil, nil)(tx)
}

func (s *Service) cases() *cases.Service {
	if s.Cases != nil {
		return s.Cases
	}
	return &cases.Service{}
}

// enrolled returns the stored form of officer (with its language) if enrolled.
func (s *Service) enrolled(tx talaash.Tx, o Officer) (Officer, bool) {
	for _, p := range s.police(tx) {
		if p.Channel == o.Channel && p.Address == o.Address {
			if o.Lang != "" {
				p.Lang = o.Lang
			}
			p.Lang = lang(p.Lang)
			return p, true
		}
	}
	return o, false
}

// Enrolled returns a Police function: the officers in kv "police" plus the
// configured Telegram chat ids and SMS numbers (TALAASH_POLICE_TELEGRAM /
// TALAASH_POLICE_SMS). A kv value "revoked" (or JSON {"revoked": true}) revokes
// a configured officer too. An officer's language comes from the kv value
// (JSON {"lang": ...}) or else their chat session, else English; the language
// the core passes with an action (the session's current one) wins over both.
func Enrolled(telegram, sms []string) func(tx talaash.Tx) []Officer {
	return func(tx talaash.Tx) []Officer {
		byID := map[string]Officer{}
		revoked := map[string]bool{}
		tx.Each(NSPolice, func(key string, v []byte) error {
			ch, addr, ok := strings.Cut(key, ":")
			if !ok || addr == "" {
				return nil
			}
			var meta struct {
				Lang    string `json:"lang"`
				Revoked bool   `json:"revoked"`
			}
			json.Unmarshal(v, &meta)
			if meta.Revoked || strings.TrimSpace(string(v)) == "revoked" {
				revoked[key] = true
				return nil
			}
			byID[key] = Officer{Channel: ch, Address: addr, Lang: meta.Lang}
			return nil
		})
		add := func(ch, addr string) {
			addr = strings.TrimSpace(addr)
			if addr == "" {
				return
			}
			if ch == talaash.ChannelSMS {
				if p, err := talaash.NormalizePhone(addr); err == nil {
					addr = p
				}
			}
			o := Officer{Channel: ch, Address: addr}
			if _, ok := byID[o.ID()]; !ok && !revoked[o.ID()] {
				byID[o.ID()] = o
			}
		}
		for _, a := range telegram {
			add(talaash.ChannelTelegram, a)
		}
		for _, a := range sms {
			add(talaash.ChannelSMS, a)
		}
		out := make([]Officer, 0, len(byID))
		for _, o := range byID {
			if o.Lang == "" {
				o.Lang = sessionLang(tx, o.ID())
			}
			out = append(out, o)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
		return out
	}
}

// sessionLang reads the language of a chat session without depending on the
// dialog package's types: any JSON with a "lang" field.
func sessionLang(tx talaash.Tx, key string) string {
	b, _ := tx.Session(key)
	var v struct{ Lang string }
	if json.Unmarshal(b, &v) == nil && v.Lang != "" {
		return lang(v.Lang)
	}
	return "en"
}

func lang(l string) string {
	if strings.HasPrefix(strings.ToLower(l), "hi") {
		return "hi"
	}
	return "en"
}

// Stopped reports whether channel:to asked for no more messages.
func Stopped(tx talaash.Tx, channel, to string) bool {
	return tx.Get(NSStopped, channel+":"+to) != nil
}

// State returns the review state of a pair, if it was ever alerted.
func State(tx talaash.Tx, missing, sighting string) (*Alert, bool) {
	b := tx.Get(NSAlert, cases.PairKey(missing, sighting))
	if b == nil {
		return nil, false
	}
	a := new(Alert)
	if json.Unmarshal(b, a) != nil {
		return nil, false
	}
	return a, true
}

func putState(tx talaash.Tx, a *Alert) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return tx.Put(NSAlert, cases.PairKey(a.Missing, a.Sighting), b)
}

// eachAlert lists every alert state (collected first, so the caller may write).
func eachAlert(tx talaash.Tx) ([]*Alert, error) {
	var out []*Alert
	err := tx.Each(NSAlert, func(_ string, v []byte) error {
		a := new(Alert)
		if json.Unmarshal(v, a) == nil {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// enqueue puts one message in the outbox (unless its recipient stopped us) and
// wakes the worker after the commit.
func (s *Service) enqueue(tx talaash.Tx, kind, key string, m talaash.Outbound) error {
	if m.To == "" || Stopped(tx, m.Channel, m.To) {
		return nil
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
	if _, ok := State(tx, c.Missing, c.Sighting); ok {
		return nil // already alerted once: reviews and reminders take it from here
	}
	m, err := tx.Record(c.Missing)
	if err != nil {
		return err
	}
	sg, err := tx.Record(c.Sighting)
	if err != nil {
		return err
	}
	a := &Alert{Missing: m.Ref, Sighting: sg.Ref, Score: c.Score, Reasons: c.Reasons, State: StatePending, Created: s.now()}
	if err := putState(tx, a); err != nil {
		return err
	}
	s.log().Info("alert", "missing", a.Missing, "sighting", a.Sighting, "score", a.Score)
	return s.sendAlert(tx, a, m, sg, false)
}

func (s *Service) sendAlert(tx talaash.Tx, a *Alert, m, sg *talaash.Record, reminder bool) error {
	kind, key := "alert", "alert:"+cases.PairKey(a.Missing, a.Sighting)
	if reminder {
		kind, key = "reminder", "remind:"+cases.PairKey(a.Missing, a.Sighting)
	}
	ref := s.answerRef(tx, a)
	for _, o := range s.police(tx) {
		msg := composeAlert(o, a, m, sg, ref, reminder)
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
func (s *Service) answerRef(tx talaash.Tx, a *Alert) string {
	all, _ := eachAlert(tx)
	nm, ns := 0, 0
	for _, x := range all {
		if x.State != StatePending {
			continue
		}
		if x.Missing == a.Missing {
			nm++
		}
		if x.Sighting == a.Sighting {
			ns++
		}
	}
	switch {
	case ns <= 1:
		return a.Sighting
	case nm <= 1:
		return a.Missing
	}
	return PairRef(a.Missing, a.Sighting)
}

// reporterAddress is where the reporter of r hears from us: the chat the
// record came from, unless it has none or it is an officer's (a report taken
// by police over the phone), in which case SMS to the contact number.
func (s *Service) reporterAddress(tx talaash.Tx, r *talaash.Record) (channel, to string) {
	switch r.Channel {
	case talaash.ChannelTelegram, talaash.ChannelSMS, talaash.ChannelWhatsApp:
		if r.Address != "" {
			if _, police := s.enrolled(tx, Officer{Channel: r.Channel, Address: r.Address}); !police {
				return r.Channel, r.Address
			}
		}
	}
	if r.Contact != nil && r.Contact.Phone != "" {
		if p, err := talaash.NormalizePhone(r.Contact.Phone); err == nil {
			return talaash.ChannelSMS, p
		}
	}
	return "", ""
}

// notify enqueues message id to the reporter of r, in their language.
func (s *Service) notify(tx talaash.Tx, r *talaash.Record, kind, key, id string, data map[string]any) error {
	ch, to := s.reporterAddress(tx, r)
	if to == "" {
		s.log().Info("alerts: reporter cannot be reached", "ref", r.Ref, "message", id)
		return nil
	}
	l := r.Language
	if l == "" {
		l = "hi" // most reporters in Kanpur write Hindi
	}
	return s.enqueue(tx, kind, key, talaash.Outbound{Channel: ch, To: to, Text: render(ch, lang(l), id, data),
		Template: locales.SMSTemplate(lang(l), id), Vars: locales.TemplateVars(data)})
}

// tellOthers enqueues message id to every officer but the one who acted.
func (s *Service) tellOthers(tx talaash.Tx, by Officer, key, id string, data map[string]any) error {
	for _, o := range s.police(tx) {
		if o.ID() == by.ID() {
			continue
		}
		m := talaash.Outbound{Channel: o.Channel, To: o.Address, Text: render(o.Channel, o.Lang, id, data),
			Template: locales.SMSTemplate(o.Lang, id), Vars: locales.TemplateVars(data)}
		if err := s.enqueue(tx, "notify", key, m); err != nil {
			return err
		}
	}
	return nil
}

func notFound(err error) bool { return talaash.ErrorCode(err) == talaash.ENOTFOUND }
