package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot"
	"talaash/bot/outbox"
	"talaash/bot/telegram"
	"talaash/bot/twilio"
	"talaash/bot/web"
	"talaash/cases"
	"talaash/locales"
	"talaash/match"
	"talaash/police"
)

// openMatching opens the database and builds matching over it: the matcher
// holding every active record, the cases service that saves and matches, and
// the alerts service it hands new alerts to. Import, matches and serve share it.
func (m *Main) openMatching() error {
	if err := m.openDB(); err != nil {
		return err
	}
	if m.Channels == nil {
		// Every channel a record or an officer may name, whether or not its
		// adapter is configured here: import composes alerts for all of them.
		// The simulator's are always known, so that alerts know its police
		// phone for a Test one even where the simulator is off.
		m.Channels = talaash.NewRegistry(telegram.Spec, twilio.SMS, twilio.WhatsApp, web.Chat, web.SMS)
	}
	if m.Cases != nil {
		return nil
	}
	opts := match.Options{}
	gazetteer := locales.PlacesName
	if m.Config.Places != "" {
		f, err := os.Open(m.Config.Places)
		if err != nil {
			return fmt.Errorf("TALAASH_PLACES: %w", err)
		}
		defer f.Close()
		opts.Places, gazetteer = f, m.Config.Places
	}
	mt, err := match.New(opts)
	if err != nil {
		return err
	}
	m.Logger.Info("gazetteer", "source", gazetteer, "places", mt.Places())
	m.Matcher = mt
	m.Cases = &cases.Service{Matcher: mt, Decide: match.Decide}
	// One roster for the core and alerts: both ask it who is police.
	m.Police = police.New(m.Config.PoliceTelegram, m.Config.PoliceSMS, m.Channels.PhoneChannels(), m.Logger)
	m.Alerts = &alerts.Service{
		Cases:    m.Cases,
		Roster:   m.Police,
		Channels: m.Channels,
		Log:      m.Logger,
	}
	m.Cases.OnAlert = m.Alerts.OnAlert
	if m.loadServing {
		m.Background = append(m.Background, m.loadMatcher(m.Cases.LoadServing(m.DB)))
		return nil
	}
	return m.Cases.Load(m.DB)
}

// loadMatcher waits for the matcher's load that serve runs beside the turns
// (cases.Service.LoadServing) and logs its end; a failed load stops serve.
func (m *Main) loadMatcher(done <-chan error) func(context.Context) error {
	start := time.Now()
	return func(ctx context.Context) error {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("loading the matcher: %w", err)
			}
			m.Logger.Info("matcher loaded", "records", m.Matcher.Len(), "took", time.Since(start).Round(time.Millisecond))
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// openChannels builds the conversation core, the configured channels and the
// outbox worker, and registers their routes and background work.
func (m *Main) openChannels() error {
	if err := m.openMatching(); err != nil {
		return err
	}
	rate, err := inboundRate(m.Config.InboundRate)
	if err != nil {
		return err
	}
	m.Core = bot.New(m.DB, bot.Config{
		PoliceCode:     m.Config.PoliceCode,
		PoliceTelegram: m.Config.PoliceTelegram,
		PoliceSMS:      m.Config.PoliceSMS,
	},
		bot.WithLogger(m.Logger),
		bot.WithRoster(m.Police),
		bot.WithChannels(m.Channels),
		bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error {
			if err := m.Cases.Save(tx, m.testRecord(r), true); err != nil {
				return err
			}
			return m.Alerts.OnSaved(tx, r)
		}),
		bot.WithExtract(m.Matcher.Extract),
		// limits.go: per sender in the store, and across all senders.
		bot.WithGate(&limits{perMinute: SenderPerMinute, global: newBucket(rate), phone: func(ch string) bool {
			c, _ := m.Channels.Caps(ch)
			return c.PhoneAddress
		}}),
		// Act reads the refs and answers an officer's mistakes (several
		// alerts, an unknown ref) in their language rather than as errors.
		bot.WithDesk(bot.DeskFunc(func(tx talaash.Tx, o bot.Officer, kind, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
			if out := m.testDesk(tx, o, kind, ref, arg); out != nil {
				return out, nil
			}
			return m.Alerts.Act(tx, alerts.Officer(o), kind, ref, arg, confirm)
		})),
	)

	adapters, err := m.adapters()
	if err != nil {
		return err
	}
	for _, a := range adapters {
		m.Channels.Register(a)
		if x, ok := a.(talaash.Exclusive); ok && x.Exclusive() {
			m.Background = append(m.Background, m.once("poll:"+a.Channels()[0].Name, a.Run))
		} else {
			m.Background = append(m.Background, a.Run)
		}
	}
	m.Outbox = &outbox.Worker{DB: m.DB, Channels: m.Channels, Log: m.Logger, Now: m.now}
	if talaash.Shared(m.DB) {
		m.Outbox.Takeover = Takeover
	}
	m.Alerts.Kick = m.Outbox.Kick
	m.Alerts.Now = m.now
	// Work that must run once across replicas runs on the one leading it
	// (replicas.go); the outbox paces sends per channel and recipient in
	// memory, so one worker sends for all.
	m.Background = append(m.Background,
		m.once("outbox", func(ctx context.Context) error { m.Outbox.Run(ctx); return nil }),
		m.once("reminders", func(ctx context.Context) error { m.Alerts.Loop(ctx, m.DB, time.Minute); return nil }),
		m.once("prune-seen", m.pruneSeen),
		m.adminSocket, m.once("retention", m.retentionLoop), // admin.go, retention.go
	)
	if talaash.Shared(m.DB) {
		m.Background = append(m.Background, m.follow)
	}
	if m.Wired != nil {
		m.Wired(m)
	}
	return nil
}

// adapters builds the channel adapters that are configured, each handing
// inbound messages to the core.
func (m *Main) adapters() ([]talaash.Adapter, error) {
	var out []talaash.Adapter
	// Kannel first: a channel two adapters serve stays with the first, and
	// Indian SMS needs Kannel (Twilio then keeps WhatsApp).
	if k, err := m.openKannel(); err != nil {
		return nil, err
	} else if k != nil {
		out = append(out, k)
	}
	if m.Config.TelegramEnabled() {
		cfg := telegram.Config{
			Token:         m.Config.TelegramToken,
			APIURL:        m.Config.TelegramAPIURL,
			WebhookSecret: m.Config.TelegramWebhookSecret,
			Logger:        m.Logger,
		}
		if cfg.WebhookSecret != "" {
			cfg.WebhookURL = m.Config.Public() + "/telegram/webhook"
		}
		tg, err := telegram.New(cfg, m.Core)
		if err != nil {
			return nil, err
		}
		out = append(out, tg)
	}
	if m.Config.SMSEnabled() {
		tw, err := twilio.New(twilio.Config{
			AccountSID: m.Config.TwilioAccountSID,
			AuthToken:  m.Config.TwilioAuthToken,
			From:       m.Config.TwilioFrom,
			APIURL:     m.Config.TwilioAPIURL,
			PublicURL:  m.Config.Public(),
			OnStatus:   m.smsStatus,
			Logger:     m.Logger,
			PerMinute:  -1, // the core's limit, kept in the store (limits.go)
		}, m.Core)
		if err != nil {
			return nil, err
		}
		out = append(out, tw)
	}
	if sim, err := m.simulator(); err != nil {
		return nil, err
	} else if sim != nil {
		out = append(out, sim)
	}
	return out, nil
}

// KeepSeen is how long inbound message ids are remembered: providers retry
// within minutes (Twilio) or hours (Telegram), never after days.
const KeepSeen = 7 * 24 * time.Hour

// pruneSeen forgets old inbound message ids, hourly, so the dedupe table does
// not grow without end.
func (m *Main) pruneSeen(ctx context.Context) error {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		err := m.DB.Update(func(tx talaash.Tx) error {
			_, err := tx.PruneSeen(m.now().Add(-KeepSeen))
			return err
		})
		if err != nil {
			m.Logger.Error("pruning seen message ids", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// now is the clock of the serving parts; tests may set Main.Now.
func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}
