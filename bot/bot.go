// Package bot is Talaash's channel-agnostic core. Each inbound message is one
// turn in one store transaction: dedupe by the provider's message id, load the
// person's session, run the dialog, store any record it produced, answer the
// actions only the core can do (case lookup, status, police enrolment,
// stop/start, the police desk), render every reply in the person's language for
// their channel (on SMS, the turn's replies joined into one message wherever
// they fit the cost limits), save the session and remember the message id with
// the replies. Replies leave only after the commit; a retried message gets the same
// replies and changes nothing.
package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"talaash"
	"talaash/dialog"
	"talaash/gsm"
	"talaash/locales"
	"talaash/police"
)

// Config is the core's configuration.
type Config struct {
	PoliceCode     string   // TALAASH_POLICE_CODE; "" turns enrolment off
	PoliceTelegram []string // pre-enrolled Telegram chat ids, unless WithRoster
	PoliceSMS      []string // pre-enrolled phone numbers (SMS and WhatsApp), unless WithRoster
	Now            func() time.Time
}

// Officer is an enrolled police officer as the desk sees one. Its fields match
// the alerts package's Officer so one converts to the other.
type Officer struct {
	Channel, Address, Lang string
}

// Desk is the police desk of the alerts package. Every hook is optional: a nil
// hook gets the core's own simpler answer (or "not available yet").
type Desk struct {
	Review   func(tx talaash.Tx, o Officer, missing, sighting string, confirm bool) ([]talaash.Outbound, error)
	Resolve  func(tx talaash.Tx, ref string) (missing, sighting string, err error)
	Reunited func(tx talaash.Tx, o Officer, ref string) ([]talaash.Outbound, error)
	Close    func(tx talaash.Tx, o Officer, ref, reason string) ([]talaash.Outbound, error)
	Desk     func(tx talaash.Tx, o Officer, cmd, arg string) ([]talaash.Outbound, error)
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

// WithStatusHook is called, inside the turn's transaction, after the core
// itself changes a record's status (reunited, closed), e.g. to drop it from
// the matcher on commit.
func WithStatusHook(fn func(tx talaash.Tx, r *talaash.Record) error) Option {
	return func(b *Bot) { b.statusHook = fn }
}

// WithDesk hands the police desk actions to the alerts package.
func WithDesk(d Desk) Option {
	return func(b *Bot) { b.desk = d }
}

// WithRoster sets the police roster, shared with alerts; the default is one
// of the Config's pre-enrolled lists.
func WithRoster(r *police.Roster) Option {
	return func(b *Bot) { b.roster = r }
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(b *Bot) { b.log = l }
}

// Bot is the core. It implements talaash.Handler and is safe for concurrent
// use: concurrent turns share commits (Store.Batch), each running alone
// inside the transaction.
type Bot struct {
	db         talaash.Store
	cfg        Config
	save       func(tx talaash.Tx, r *talaash.Record) error
	extract    func(string) talaash.Record
	statusHook func(tx talaash.Tx, r *talaash.Record) error
	desk       Desk
	log        *slog.Logger
	roster     *police.Roster
}

// New makes the core over db.
func New(db talaash.Store, cfg Config, opts ...Option) *Bot {
	b := &Bot{db: db, cfg: cfg, log: slog.Default()}
	if b.cfg.Now == nil {
		b.cfg.Now = time.Now
	}
	b.save = func(tx talaash.Tx, r *talaash.Record) error { return tx.PutRecord(r) }
	for _, o := range opts {
		o(b)
	}
	if b.roster == nil {
		b.roster = police.New(cfg.PoliceTelegram, cfg.PoliceSMS, b.log)
	}
	return b
}

func key(channel, sender string) string { return channel + ":" + sender }

// textChannel reports whether replies on the channel are plain text with
// numbered choices rather than buttons.
func textChannel(channel string) bool {
	return channel == talaash.ChannelSMS || channel == talaash.ChannelWhatsApp
}

// stopgapCaps is a TEMPORARY stand-in for the channel registry, which will
// fill dialog.Env.Caps: it gives each channel name what the dialog used to
// infer from the name (Telegram has buttons, SMS pays by the part, any other
// channel addresses phone numbers and numbers its choices).
func stopgapCaps(channel string) talaash.Capabilities {
	switch channel {
	case talaash.ChannelTelegram:
		return talaash.Capabilities{Buttons: true, Photos: true, Location: true, Contact: true, Conversation: true}
	case talaash.ChannelSMS:
		return talaash.Capabilities{Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2, PhoneAddress: true, Conversation: true}
	}
	return talaash.Capabilities{PhoneAddress: true, Conversation: true}
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
	var outs []talaash.Outbound
	dup := false
	// Batch: concurrent turns share a commit. The function may run more than
	// once, so it starts from nothing each time; sends wait for the commit.
	err := b.db.Batch(func(tx talaash.Tx) error {
		outs, dup = nil, false
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
		if outs, err = b.turn(tx, in, now); err != nil {
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
	if err != nil {
		// The transaction rolled back: the session is as it was before this
		// message, so the person can simply send it again.
		b.log.Error("turn failed", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "id", in.ID,
			"code", talaash.ErrorCode(err), "error", talaash.ErrorMessage(err))
		return b.sorry(in), nil
	}
	if dup {
		b.log.Info("duplicate message answered from the store", "channel", in.Channel, "id", in.ID)
	}
	return outs, nil
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
		if dialog.Devanagari(in.Text) {
			lang = "hi"
		}
	}
	return []talaash.Outbound{b.text(in.Channel, in.Sender, locales.Lang(lang), "core.sorry", nil)}
}

// turn is the body of one turn, inside the transaction.
func (b *Bot) turn(tx talaash.Tx, in talaash.Inbound, now time.Time) ([]talaash.Outbound, error) {
	k := key(in.Channel, in.Sender)
	stopped, err := tx.Stopped(in.Channel, in.Sender)
	if err != nil {
		return nil, err
	}
	if textChannel(in.Channel) && stopped {
		// A number that sent STOP hears nothing until START.
		if c, ok := dialog.ParseCommand(in.Text); !ok || c.Name != dialog.CmdStart {
			return nil, nil
		}
	}
	s := dialog.NewSession(in.Channel, in.Sender)
	if raw, err := tx.Session(k); err != nil {
		return nil, err
	} else if raw != nil {
		if s, err = dialog.Unmarshal(raw); err != nil {
			// A session we cannot read is a bug; starting afresh beats a stuck person.
			b.log.Error("unreadable session replaced", "channel", in.Channel, "sender", talaash.MaskPhone(in.Sender), "error", err)
			s = dialog.NewSession(in.Channel, in.Sender)
		}
	}
	police, err := b.roster.Is(tx, in.Channel, in.Sender)
	if err != nil {
		return nil, err
	}
	res := dialog.Step(s, in, dialog.Env{Now: now, Police: police, Extract: b.extract, Caps: stopgapCaps(in.Channel)})

	ref := ""
	if r := res.Save; r != nil {
		if r.Channel == "" {
			r.Channel, r.Address = in.Channel, in.Sender
		}
		if err := b.save(tx, r); err != nil {
			return nil, err
		}
		if r.Ref == "" {
			return nil, talaash.Errorf(talaash.EINTERNAL, "saved record got no reference")
		}
		s.Saved(r.Ref)
		ref = r.Ref
	}

	t := &turnCtx{b: b, tx: tx, in: in, now: now, lang: locales.Lang(s.Lang), police: police}
	var outs []talaash.Outbound
	for _, r := range res.Replies {
		if _, ok := r.Data["Ref"]; ok && ref != "" {
			r.Data["Ref"] = ref
		}
		outs = append(outs, t.render(r))
	}
	for _, a := range res.Actions {
		o, err := t.act(a)
		if err != nil {
			return nil, err
		}
		outs = append(outs, o...)
	}
	if in.Channel == talaash.ChannelSMS {
		outs = joinSMS(t.lang, outs)
	}
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
	return renderReply(channel, to, lang, dialog.Reply{ID: id, Data: data})
}

func (t *turnCtx) render(r dialog.Reply) talaash.Outbound {
	return renderReply(t.in.Channel, t.in.Sender, t.lang, r)
}

// renderReply turns a dialog reply into a message for the channel: buttons on
// Telegram (plus a request button for an Ask), the SMS wording and numbered
// choices on SMS, chat wording with numbered choices on WhatsApp.
func renderReply(channel, to, lang string, r dialog.Reply) talaash.Outbound {
	out := talaash.Outbound{Channel: channel, To: to}
	if !textChannel(channel) {
		out.Text = locales.Render(lang, r.ID, r.Data)
		for _, c := range r.Choices {
			out.Choices = append(out.Choices, talaash.Choice{Label: locales.Render(lang, c.ID, nil), Data: c.Data})
		}
		out.Inline = r.Inline
		if r.Ask != talaash.AskNone {
			out.Ask = r.Ask
			has := false
			for _, c := range out.Choices {
				has = has || c.Data == string(r.Ask)
			}
			if !has {
				ask := talaash.Choice{Label: locales.Render(lang, "core.ask."+string(r.Ask), nil), Data: string(r.Ask)}
				out.Choices = append([]talaash.Choice{ask}, out.Choices...)
			}
		}
		return out
	}
	render := locales.RenderSMS
	if channel == talaash.ChannelWhatsApp {
		render = locales.Render
	}
	out.Text = render(lang, r.ID, r.Data)
	if len(r.Choices) > 0 {
		// One compact line under the question, with the short SMS labels:
		// "Reply 1 Boy, 2 Girl".
		opts := make([]string, len(r.Choices))
		for i, c := range r.Choices {
			opts[i] = itoa(i+1) + " " + locales.RenderSMS(lang, c.ID, nil)
		}
		out.Text += "\n" + locales.RenderSMS(lang, "choices", map[string]any{"Options": strings.Join(opts, ", ")})
	}
	return out
}

// SMS cost limits (issue 5): an English SMS is one GSM-7 part, a Hindi one at
// most two UCS-2 parts (134 characters).
const (
	smsPartsEn = 1
	smsPartsHi = 2
)

// smsFits reports whether text may go as one SMS in lang.
func smsFits(lang, text string) bool {
	gsm, _, parts := gsm.Parts(text)
	if lang == "hi" {
		return parts <= smsPartsHi
	}
	return gsm && parts <= smsPartsEn
}

// joinSMS sends the replies of one turn ("That is not a number." and the
// question again) as one SMS wherever the joined text still fits: two
// messages cost as much as two parts. Replies are joined in order and only
// with their neighbours, so the question stays last.
func joinSMS(lang string, outs []talaash.Outbound) []talaash.Outbound {
	if len(outs) < 2 {
		return outs
	}
	joined := []talaash.Outbound{outs[0]}
	for _, o := range outs[1:] {
		last := &joined[len(joined)-1]
		if both := last.Text + "\n" + o.Text; last.To == o.To && smsFits(lang, both) {
			last.Text = both
			continue
		}
		joined = append(joined, o)
	}
	return joined
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// act answers one action of the dialog.
func (t *turnCtx) act(a dialog.Action) ([]talaash.Outbound, error) {
	switch a.Kind {
	case dialog.ActStatus:
		return t.status(a.Ref)
	case dialog.ActEnrol:
		return t.enrol(a.Arg)
	case dialog.ActRevoke:
		return t.revoke()
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
	case dialog.ActCase:
		return t.caseLookup(a.Ref)
	case dialog.ActReview:
		return t.review(a.Ref, a.Confirm)
	case dialog.ActReunited:
		return t.reunited(a.Ref)
	case dialog.ActClose:
		return t.close(a.Ref, a.Arg)
	case dialog.ActOpen:
		return t.open(a.Arg)
	case dialog.ActMatches, dialog.ActStats:
		return t.deskCommand(string(a.Kind), a.Arg)
	}
	t.b.log.Error("unknown dialog action", "kind", string(a.Kind))
	return t.say("core.not_available", nil), nil
}

// notFound turns a store ENOTFOUND into the "no such record" reply.
func (t *turnCtx) notFound(err error, ref string) ([]talaash.Outbound, error) {
	if talaash.ErrorCode(err) == talaash.ENOTFOUND {
		return t.say("core.not_found", map[string]any{"Ref": ref}), nil
	}
	return nil, err
}
