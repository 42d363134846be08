package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"talaash"
	"talaash/desk"
	"talaash/locales"
)

// deskRoutes serves the police desk at /desk over the same services the
// chat uses: reviews through alerts, found children through cases.
func (m *Main) deskRoutes(mux *http.ServeMux) {
	places := locales.Places
	if m.Config.Places != "" {
		if b, err := os.ReadFile(m.Config.Places); err == nil {
			places = b
		}
	}
	d := &desk.Server{
		DB:        m.DB,
		Alerts:    m.Alerts,
		Roster:    m.Police,
		Save:      func(tx talaash.Tx, r *talaash.Record) error { return m.Cases.Save(tx, r, true) },
		PhotoDir:  filepath.Join(filepath.Dir(m.DB.Path()), "photos"),
		ChatPhoto: m.chatPhoto,
		Secure:    strings.HasPrefix(m.Config.Public(), "https://"),
		Places:    places,
		Now:       m.now,
		Log:       m.Logger,
	}
	if m.Outbox != nil {
		d.Kick = m.Outbox.Kick
	}
	d.Routes(mux)
}

// photoSource is an adapter that can fetch the photos its channel's records
// keep (a Telegram file id, a simulator upload).
type photoSource interface {
	Photo(ctx context.Context, photo string) ([]byte, error)
}

// chatPhoto fetches a record's photo through the adapter of its channel.
func (m *Main) chatPhoto(ctx context.Context, channel, photo string) ([]byte, error) {
	a, ok := m.Channels.Sender(channel)
	if !ok {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "channel %s is not configured", channel)
	}
	src, ok := a.(photoSource)
	if !ok {
		return nil, talaash.Errorf(talaash.ENOTFOUND, "channel %s gives no photos", channel)
	}
	return src.Photo(ctx, photo)
}

// revokeDesk ends the desk of the officers ids name: a "desk:LOGIN" entry
// directly, a chat id through the desk accounts its invitation was bound
// to. Their sessions are deleted too, though the roster check alone already
// refuses them.
func (m *Main) revokeDesk(tx talaash.Tx, ids []string) ([]string, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var done []string
	err := tx.EachDeskAccount(func(a *talaash.DeskAccount) error {
		ch, addr := a.Officer()
		id := ch + ":" + addr
		bound := want[talaash.ChannelTelegram+":"+a.Telegram] && a.Telegram != ""
		for _, pc := range m.Channels.PhoneChannels() {
			bound = bound || (a.SMS != "" && want[pc+":"+a.SMS])
		}
		if !want[id] && !bound {
			return nil
		}
		if _, err := tx.DeleteDeskSessions(a.Login); err != nil {
			return err
		}
		if ok, err := m.roster().Is(tx, ch, addr); err != nil {
			return err
		} else if !ok {
			return nil
		}
		if err := m.roster().Revoke(tx, ch, addr, cliBy, m.now()); err != nil {
			return err
		}
		done = append(done, id)
		return nil
	})
	return done, err
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
