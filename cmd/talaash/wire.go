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
	"talaash/bot/sms"
	"talaash/bot/telegram"
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
	m.Police = police.New(m.Config.PoliceTelegram, m.Config.PoliceSMS, m.Logger)
	m.Alerts = &alerts.Service{
		Cases:  m.Cases,
		Roster: m.Police,
		Log:    m.Logger,
	}
	m.Cases.OnAlert = m.Alerts.OnAlert
	return m.Cases.Load(m.DB)
}

// openChannels builds the conversation core, the configured channels and the
// outbox worker, and registers their routes and background work.
func (m *Main) openChannels() error {
	if err := m.openMatching(); err != nil {
		return err
	}
	act := func(kind string) func(tx talaash.Tx, o bot.Officer, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
		return func(tx talaash.Tx, o bot.Officer, ref, arg string, confirm bool) ([]talaash.Outbound, error) {
			return m.Alerts.Act(tx, alerts.Officer(o), kind, ref, arg, confirm)
		}
	}
	review, reunited, closeCase := act("review"), act("reunited"), act("close")
	m.Core = bot.New(m.DB, bot.Config{
		PoliceCode:     m.Config.PoliceCode,
		PoliceTelegram: m.Config.PoliceTelegram,
		PoliceSMS:      m.Config.PoliceSMS,
	},
		bot.WithLogger(m.Logger),
		bot.WithRoster(m.Police),
		bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error { return m.Cases.Save(tx, r, true) }),
		bot.WithExtract(m.Matcher.Extract),
		bot.WithStatusHook(func(tx talaash.Tx, r *talaash.Record) error { return m.Cases.Save(tx, r, true) }),
		bot.WithDesk(bot.Desk{
			Review: func(tx talaash.Tx, o bot.Officer, missing, sighting string, yes bool) ([]talaash.Outbound, error) {
				ref := missing
				if sighting != "" {
					ref = alerts.PairRef(missing, sighting)
				}
				return review(tx, o, ref, "", yes)
			},
			// Act resolves a single ref itself, so that "several alerts" is
			// answered in the officer's language rather than as an error.
			Resolve: func(tx talaash.Tx, ref string) (string, string, error) { return ref, "", nil },
			Reunited: func(tx talaash.Tx, o bot.Officer, ref string) ([]talaash.Outbound, error) {
				return reunited(tx, o, ref, "", false)
			},
			Close: func(tx talaash.Tx, o bot.Officer, ref, why string) ([]talaash.Outbound, error) {
				return closeCase(tx, o, ref, why, false)
			},
			Desk: func(tx talaash.Tx, o bot.Officer, cmd, arg string) ([]talaash.Outbound, error) {
				return m.Alerts.Act(tx, alerts.Officer(o), cmd, arg, arg, false)
			},
		}),
	)

	senders := map[string]talaash.Sender{}
	if m.Config.TelegramEnabled() {
		tg, err := telegram.New(telegram.Config{
			Token:         m.Config.TelegramToken,
			APIURL:        m.Config.TelegramAPIURL,
			WebhookSecret: m.Config.TelegramWebhookSecret,
		}, m.Core)
		if err != nil {
			return err
		}
		m.Telegram = tg
		senders[talaash.ChannelTelegram] = tg
		m.Background = append(m.Background, func(ctx context.Context) error {
			if m.Config.TelegramWebhookSecret != "" {
				// Tell the Bot API where to post; if it cannot be reached now,
				// the webhook set on an earlier start still holds.
				if err := tg.SetWebhook(ctx, m.Config.Public()+"/telegram/webhook"); err != nil {
					m.Logger.Warn("telegram setWebhook failed", "code", talaash.ErrorCode(err))
				}
			}
			tg.Run(ctx)
			return nil
		})
	}
	if m.Config.SMSEnabled() {
		ch, err := sms.New(sms.Config{
			AccountSID: m.Config.TwilioAccountSID,
			AuthToken:  m.Config.TwilioAuthToken,
			From:       m.Config.TwilioFrom,
			APIURL:     m.Config.TwilioAPIURL,
			PublicURL:  m.Config.Public(),
		}, m.Core)
		if err != nil {
			return err
		}
		m.SMS = ch
		senders[talaash.ChannelSMS] = ch
		senders[talaash.ChannelWhatsApp] = ch
	}
	m.Outbox = &outbox.Worker{DB: m.DB, Senders: senders, Log: m.Logger, Now: m.now}
	m.Alerts.Kick = m.Outbox.Kick
	m.Alerts.Now = m.now
	m.Background = append(m.Background,
		func(ctx context.Context) error { m.Outbox.Run(ctx); return nil },
		func(ctx context.Context) error { m.Alerts.Loop(ctx, m.DB, time.Minute); return nil },
		m.pruneSeen,
		m.adminSocket, m.retentionLoop, // admin.go, retention.go
	)
	if m.Wired != nil {
		m.Wired(m)
	}
	return nil
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
