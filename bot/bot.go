// Package bot is Talaash's channel-agnostic core. Each inbound message is one
// turn in one store transaction: dedupe by the provider's message id, load the
// person's session, run the dialog, store any record it produced, answer the
// actions only the core can do (status, police enrolment, stop/start), hand an
// officer's desk actions to the police desk (package alerts, through Desk),
// render every reply in the person's language for what their channel carries
// (package render: on SMS, the turn's replies joined into one message wherever
// they fit the cost limits), save the session and remember the message id with
// the replies. Replies leave only after the commit; a retried message gets the same
// replies and changes nothing.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"talaash"
	"talaash/dialog"
	"talaash/locales"
	"talaash/metrics"
	"talaash/police"
	"talaash/render"
)

// Config is the core's configuration.
type Config struct {
	PoliceCode     string   // TALAASH_POLICE_CODE: asks to enrol, for an officer to approve; "" leaves invitations only
	PoliceTelegram []string // pre-enrolled Telegram chat ids, unless WithRoster
	PoliceSMS      []string // pre-enrolled phone numbers (SMS and WhatsApp), unless WithRoster
	Now            func() time.Time
}

// Officer is an enrolled police officer as the desk sees one. Its fields match
// the alerts package's Officer so one converts to the other.
type Officer struct {
	Channel, Address, Lang string
}

// Option configures a Bot.
type Option func(*Bot)

// WithSave sets how a record from a conversation is stored (cmd/talaash
// plugs matching in here); the default is tx.PutRecord. It must set r.Ref.
func WithSave(fn func(tx talaash.Tx, r *talaash.Record) error) Option {
	return func(b *Bot) { b.save = fn }
}

// WithExtract passes the matcher's free-text reader to the dialogs.
func WithExtract(fn func(string) talaash.Record) Option {
	return func(b *Bot) { b.extract = fn }
}

// WithDesk hands the police desk actions (case lookup, reviews, reunited,
// close, open cases, matches, figures) to the desk; without one they are
// "not available".
func WithDesk(d Desk) Option {
	return func(b *Bot) { b.desk = d }
}

// WithRoster sets the police roster, shared with alerts; the default is one
// of the Config's pre-enrolled lists.
func WithRoster(r *police.Roster) Option {
	return func(b *Bot) { b.roster = r }
}

// WithChannels sets what each channel carries (default talaash.Known()):
// replies are rendered by it, and pre-enrolled police numbers hold on every
// channel that reaches a phone.
func WithChannels(r *talaash.Registry) Option {
	return func(b *Bot) { b.channels = r }
}

// Gate limits what the core takes (WithGate).
type Gate interface {
	// Admit runs before the turn's transaction (a limit on all senders): an
	// error refuses the message unseen and goes back to the adapter, whose
	// provider may send it again later.
	Admit(in talaash.Inbound, now time.Time) error
	// Allow runs inside the transaction, after dedupe (a limit per sender,
	// kept in the store so a restart resets nothing). A refused message
	// changes nothing but what Allow wrote; notice, when not "", is the
	// message id of the one reply it gets (remembered as the reply to that
	// message id), with data.
	Allow(tx talaash.Tx, in talaash.Inbound, now time.Time) (ok bool, notice string, data map[string]any, err error)
}

// WithGate sets the limits on inbound messages; none by default.
func WithGate(g Gate) Option {
	return func(b *Bot) { b.gate = g }
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(b *Bot) { b.log = l }
}

// Bot is the core. It implements talaash.Handler and is safe for concurrent
// use: concurrent turns share commits (Store.Batch), each running alone
// inside the transaction.
type Bot struct {
	db       talaash.Store
	cfg      Config
	save     func(tx talaash.Tx, r *talaash.Record) error
	extract  func(string) talaash.Record
	desk     Desk
	channels *talaash.Registry
	log      *slog.Logger
	roster   *police.Roster
	gate     Gate
}

// New makes the core over db.
func New(db talaash.Store, cfg Config, opts ...Option) *Bot {
	b := &Bot{db: db, cfg: cfg, log: slog.Default(), channels: talaash.Known()}
	if b.cfg.Now == nil {
		b.cfg.Now = time.Now
	}
	b.save = func(tx talaash.Tx, r *talaash.Record) error { return tx.PutRecord(r) }
	for _, o := range opts {
		o(b)
	}
	if b.roster == nil {
		b.roster = police.New(cfg.PoliceTelegram, cfg.PoliceSMS, b.channels.PhoneChannels(), b.log)
	}
	return b
}

func key(channel, sender string) string { return channel + ":" + sender }

// caps is what channel carries; an unknown channel gets plain text.
func (b *Bot) caps(channel string) talaash.Capabilities {
	c, _ := b.channels.Caps(channel)
	return c
}

// Handle runs one turn. It returns the replies to send once the turn is
// committed; an error means the message could not be taken at all (bad input
// or the database failing even for the apology).
func (b *Bot) Handle(ctx context.Context, in talaash.Inbound) ([]talaash.Outbound, error) {
	if in.Channel == "" || strings.TrimSpace(in.Sender) == "" {
		return nil, talaash.Errorf(talaash.EINVALID, "inbound message without channel or sender")
	}
	if err := ctx.Err(); err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "turn abandoned: %v", err)
	}
	now := b.cfg.Now()
	if in.At.IsZero() {
		in.At = now
	}
	start := time.Now()
	metrics.In(in.Channel)
	if b.gate != nil {
		if err := b.gate.Admit(in, now); err != nil {
			metrics.Turn(in.Channel, metrics.TurnLimited, 0)
			metrics.Limited(metrics.LimitGlobal)
			return nil, err
		}
	}
	var outs []talaash.Outbound
	dup, limited := false, false
	// Batch: concurrent turns share a commit. The function may run more than
	// once, so it starts from nothing each time; sends wait for the commit.
	err := b.db.Batch(func(tx talaash.Tx) error {
		outs, dup, limited = nil, false, false
		if in.ID != "" {
			if prev, ok := tx.Seen(in.Channel, in.ID); ok {
				dup = true
				if len(prev) > 0 {
					return json.Unmarshal(prev, &outs)
				}
				return nil
			}
		}
		var err error
		outs, limited, err = b.allow(tx, in, now)
		switch {
		case err != nil:
			return err
		case limited && len(outs) == 0:
			return nil // dropped: nothing to remember
		case !limited:
			if outs, err = b.turn(tx, in, now); err != nil {
				return err
			}
		}
		if in.ID == "" {
			return nil
		}
		raw, err := json.Marshal(outs)
		if err != nil {
			return err
		}
		return tx.MarkSeen(in.Channel, in.ID, raw, now)
	})
	var refused *refusal
	if errors.As(err, &refused) {
		// The record was refused as invalid: sending the same again would be
		// refused again, so the person is told what is wrong and asked for it.
		b.log.Warn("record refused; asking again", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "id", in.ID,
			"field", refused.field, "error", talaash.ErrorMessage(refused.err))
		err = b.db.Update(func(tx talaash.Tx) error {
			outs, dup = nil, false
			var err error
			if outs, err = b.refuse(tx, in, now, refused.field); err != nil {
				return err
			}
			if in.ID == "" {
				return nil
			}
			raw, err := json.Marshal(outs)
			if err != nil {
				return err
			}
			return tx.MarkSeen(in.Channel, in.ID, raw, now)
		})
	}
	if err != nil {
		// The transaction rolled back: the session is as it was before this
		// message, so the person can simply send it again.
		b.log.Error("turn failed", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "id", in.ID,
			"code", talaash.ErrorCode(err), "error", talaash.ErrorMessage(err))
		outs = b.sorry(in)
		metrics.Turn(in.Channel, metrics.TurnFailed, time.Since(start))
		metrics.Out(in.Channel, metrics.OutReply, len(outs))
		return outs, nil
	}
	switch {
	case dup:
		// Counted as out the first time.
		b.log.Info("duplicate message answered from the store", "channel", in.Channel, "id", in.ID)
		metrics.Turn(in.Channel, metrics.TurnDuplicate, 0)
		return outs, nil
	case limited:
		if len(outs) > 0 { // the first refusal of a window; later ones are quiet
			b.log.Warn("sender over the rate limit: notice sent, further messages ignored", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "id", in.ID)
		}
		metrics.Turn(in.Channel, metrics.TurnLimited, 0)
		metrics.Limited(metrics.LimitSender)
	default:
		metrics.Turn(in.Channel, metrics.TurnOK, time.Since(start))
	}
	metrics.Out(in.Channel, metrics.OutReply, len(outs))
	return outs, nil
}

// allow asks the gate's per-sender limit; a refused message gets at most the
// notice.
func (b *Bot) allow(tx talaash.Tx, in talaash.Inbound, now time.Time) (notice []talaash.Outbound, refused bool, err error) {
	if b.gate == nil {
		return nil, false, nil
	}
	ok, id, data, err := b.gate.Allow(tx, in, now)
	if err != nil || ok {
		return nil, false, err
	}
	if id == "" {
		return nil, true, nil
	}
	return []talaash.Outbound{b.text(in.Channel, in.Sender, scriptLang(in), id, data)}, true, nil
}

// scriptLang is the language of a notice sent before the session is read:
// the sender's hint, or Hindi for Devanagari.
func scriptLang(in talaash.Inbound) string {
	if talaash.Devanagari(in.Text) {
		return "hi"
	}
	return locales.Lang(in.LangHint)
}

// sorry is the apology for a failed turn, in the person's language as far as
// it can be known without the failed transaction.
func (b *Bot) sorry(in talaash.Inbound) []talaash.Outbound {
	lang := ""
	_ = b.db.View(func(tx talaash.Tx) error {
		if raw, _ := tx.Session(key(in.Channel, in.Sender)); raw != nil {
			if s, err := dialog.Unmarshal(raw); err == nil {
				lang = s.Lang
			}
		}
		return nil
	})
	if lang == "" {
		lang = in.LangHint
		if talaash.Devanagari(in.Text) {
			lang = "hi"
		}
	}
	return []talaash.Outbound{b.text(in.Channel, in.Sender, locales.Lang(lang), "core.sorry", nil)}
}

// refusal is a turn whose record the store refused as invalid (EINVALID);
// field is what talaash.Record.BadField names, "" if it names nothing.
type refusal struct {
	err   error
	field string
}

func (e *refusal) Error() string { return e.err.Error() }
func (e *refusal) Unwrap() error { return e.err }

// session loads the sender's session, or a new one.
func (b *Bot) session(tx talaash.Tx, in talaash.Inbound) (*dialog.Session, error) {
	s := dialog.NewSession(in.Channel, in.Sender)
	if raw, err := tx.Session(key(in.Channel, in.Sender)); err != nil {
		return nil, err
	} else if raw != nil {
		if s, err = dialog.Unmarshal(raw); err != nil {
			// A session we cannot read is a bug; starting afresh beats a stuck person.
			b.log.Error("unreadable session replaced", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "error", err)
			s = dialog.NewSession(in.Channel, in.Sender)
		}
	}
	return s, nil
}

// refuse answers a turn whose record was refused, in a transaction of its own
// (the turn's rolled back): the session as it was before, asked again.
func (b *Bot) refuse(tx talaash.Tx, in talaash.Inbound, now time.Time, field string) ([]talaash.Outbound, error) {
	if in.ID != "" {
		if prev, ok := tx.Seen(in.Channel, in.ID); ok && len(prev) > 0 {
			var outs []talaash.Outbound
			return outs, json.Unmarshal(prev, &outs)
		}
	}
	caps := b.caps(in.Channel)
	s, err := b.session(tx, in)
	if err != nil {
		return nil, err
	}
	police, err := b.roster.Is(tx, in.Channel, in.Sender)
	if err != nil {
		return nil, err
	}
	res := dialog.Refused(s, in, dialog.Env{Now: now, Police: police, Caps: caps}, field)
	t := &turnCtx{b: b, tx: tx, in: in, now: now, lang: locales.Lang(s.Lang), police: police, caps: caps}
	var outs []talaash.Outbound
	for _, r := range res.Replies {
		outs = append(outs, t.render(r)...)
	}
	outs = render.Join(caps, t.lang, outs)
	raw, err := s.Marshal()
	if err != nil {
		return nil, err
	}
	return outs, tx.PutSession(key(in.Channel, in.Sender), raw)
}

// turn is the body of one turn, inside the transaction.
func (b *Bot) turn(tx talaash.Tx, in talaash.Inbound, now time.Time) ([]talaash.Outbound, error) {
	k := key(in.Channel, in.Sender)
	caps := b.caps(in.Channel)
	stopped, err := tx.Stopped(in.Channel, in.Sender)
	if err != nil {
		return nil, err
	}
	if caps.PhoneAddress && stopped {
		// A number that sent STOP hears nothing until START.
		if c, ok := dialog.ParseCommand(in.Text); !ok || c.Name != dialog.CmdStart {
			return nil, nil
		}
	}
	s, err := b.session(tx, in)
	if err != nil {
		return nil, err
	}
	police, err := b.roster.Is(tx, in.Channel, in.Sender)
	if err != nil {
		return nil, err
	}
	t := &turnCtx{b: b, tx: tx, in: in, now: now, police: police, caps: caps}
	noPolice := func() bool {
		hear, err := t.policeHear()
		if err != nil {
			// Saying police will see it is the lesser harm than failing the turn.
			b.log.Error("police roster unreadable", "error", err)
			return false
		}
		return !hear
	}
	res := dialog.Step(s, in, dialog.Env{Now: now, Police: police, Extract: b.extract, Caps: caps, NoPolice: noPolice})

	ref := ""
	if r := res.Save; r != nil {
		if r.Channel == "" {
			r.Channel, r.Address = in.Channel, in.Sender
		}
		if err := b.save(tx, r); err != nil {
			if talaash.ErrorCode(err) == talaash.EINVALID {
				return nil, &refusal{err: err, field: r.BadField()}
			}
			return nil, err
		}
		if r.Ref == "" {
			return nil, talaash.Errorf(talaash.EINTERNAL, "saved record got no reference")
		}
		s.Saved(r.Ref)
		ref = r.Ref
	}

	t.lang = locales.Lang(s.Lang)
	var outs []talaash.Outbound
	for _, r := range res.Replies {
		if _, ok := r.Data["Ref"]; ok && ref != "" {
			r.Data["Ref"] = ref
		}
		outs = append(outs, t.render(r)...)
	}
	for _, a := range res.Actions {
		o, err := t.act(a)
		if err != nil {
			return nil, err
		}
		outs = append(outs, o...)
	}
	outs = render.Join(caps, t.lang, outs)
	raw, err := s.Marshal()
	if err != nil {
		return nil, err
	}
	if err := tx.PutSession(k, raw); err != nil {
		return nil, err
	}
	return outs, nil
}

// turnCtx is what an action needs to know about the turn.
type turnCtx struct {
	b      *Bot
	tx     talaash.Tx
	in     talaash.Inbound
	now    time.Time
	lang   string
	police bool
	caps   talaash.Capabilities // what the sender's channel carries
	hear   *bool                // whether officers hear of the sender's records, once known
}

func (t *turnCtx) officer() Officer {
	return Officer{Channel: t.in.Channel, Address: t.in.Sender, Lang: t.lang}
}

// by is how the sender appears in audit history.
func (t *turnCtx) by() string { return key(t.in.Channel, t.in.Sender) }

// say renders one core message to the sender.
func (t *turnCtx) say(id string, data map[string]any) []talaash.Outbound {
	return []talaash.Outbound{t.b.text(t.in.Channel, t.in.Sender, t.lang, id, data)}
}

// text renders a message without choices for a channel.
func (b *Bot) text(channel, to, lang, id string, data map[string]any) talaash.Outbound {
	return render.Reply(b.caps(channel), channel, to, lang, render.Message{ID: id, Data: data})
}

// render fits a dialog reply to the sender's channel: one message, or on a
// route of registered templates maybe a few (choices sent on).
func (t *turnCtx) render(r dialog.Reply) []talaash.Outbound {
	m := render.Message{ID: r.ID, Data: r.Data, Inline: r.Inline, Ask: r.Ask}
	for _, c := range r.Choices {
		m.Choices = append(m.Choices, render.Choice{ID: c.ID, Data: c.Data})
	}
	return render.Replies(t.caps, t.in.Channel, t.in.Sender, t.lang, m)
}

// act answers one action of the dialog.
func (t *turnCtx) act(a dialog.Action) ([]talaash.Outbound, error) {
	switch a.Kind {
	case dialog.ActStatus:
		return t.status(a.Ref)
	case dialog.ActQuestion:
		return t.question(a.Arg)
	case dialog.ActEnrol:
		return t.enrol(a.Arg)
	case dialog.ActRevoke:
		return t.revoke()
	case dialog.ActApprove:
		return t.approve(a.Arg)
	case dialog.ActStop:
		return t.stop()
	case dialog.ActStart:
		return t.start()
	}
	// Everything else is the police desk: refused outright to anyone else, so
	// no record, not even whether it exists, reaches a non-officer.
	if !t.police {
		return t.say("core.not_police", nil), nil
	}
	switch a.Kind {
	case dialog.ActCase, dialog.ActReview, dialog.ActReunited, dialog.ActClose, dialog.ActOpen, dialog.ActMatches, dialog.ActStats:
		return t.desk(a)
	}
	t.b.log.Error("unknown dialog action", "kind", string(a.Kind))
	return t.say("core.not_available", nil), nil
}
