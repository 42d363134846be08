package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot"
	"talaash/bot/web"
	"talaash/locales"
	"talaash/recordfile"
	"talaash/render"
	"talaash/site"
)

// SimulatorOn reports whether /sim is served: TALAASH_SIMULATOR=on or off
// decides; unset, it is on when the service listens on loopback (only this
// computer can reach it) or no real channel is configured (nothing real to
// disturb).
func (c Config) SimulatorOn() bool {
	switch strings.ToLower(c.Simulator) {
	case "on", "true", "1", "yes":
		return true
	case "off", "false", "0", "no":
		return false
	}
	return loopback(c.Listen) || !(c.TelegramEnabled() || c.SMSEnabled())
}

// loopback reports whether addr (host:port) listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// simPolice is the simulator's police phone as the roster enrols it.
var simPolice, _ = web.PhoneOf("police")

// simulator builds the web adapter when the simulator is on, and enrols its
// police phone, which hears of test records only (alerts decide by the
// channel's Test capability).
func (m *Main) simulator() (talaash.Adapter, error) {
	if !m.Config.SimulatorOn() {
		return nil, nil
	}
	places, err := m.places()
	if err != nil {
		return nil, err
	}
	m.sitePlaces = places
	err = m.DB.Update(func(tx talaash.Tx) error {
		return m.Police.Enrol(tx, talaash.PoliceEntry{Channel: simPolice.Channel, Address: simPolice.Address,
			Name: "Simulator", Station: "Simulator"}, m.now())
	})
	if err != nil {
		return nil, err
	}
	return web.New(m.Core, web.Config{
		PhotoDir: m.photoDir(),
		Place: func(key string) (talaash.Location, string, bool) {
			p, ok := site.Find(places, key)
			return p.Loc, p.En, ok
		},
		Log: m.Logger,
	}), nil
}

// places reads the gazetteer the matcher reads, for the places a phone can share.
func (m *Main) places() ([]site.Place, error) {
	if m.Config.Places == "" {
		return site.ReadPlaces(bytes.NewReader(locales.Places))
	}
	f, err := os.Open(m.Config.Places)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return site.ReadPlaces(f)
}

// siteRoutes serves the home page and, when on, the simulator's page.
func (m *Main) siteRoutes() *site.Site {
	return site.New(site.Config{Simulator: m.Config.SimulatorOn(), Places: m.sitePlaces, Samples: m.loadSamples, Log: m.Logger})
}

// logPages prints where the pages are, so a newcomer knows what to open.
func (m *Main) logPages(addr string) {
	base := "http://" + addr
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "::" || host == "0.0.0.0") {
		base = "http://localhost:" + port
	}
	if m.Config.SimulatorOn() {
		m.Logger.Info("open the home page", "url", base+"/", "simulator", base+"/sim")
	} else {
		m.Logger.Info("open the home page", "url", base+"/", "simulator", "off")
	}
}

// realChannel reports whether an adapter other than the simulator's is
// configured: without one, nobody outside this page can write.
func (m *Main) realChannel() bool {
	for _, a := range m.Channels.Adapters() {
		for _, ch := range a.Channels() {
			if !ch.Caps.Test {
				return true
			}
		}
	}
	return false
}

// photoDir is where the simulator keeps attached photos: beside a bbolt
// file, or under data/ when the store is a database server.
func (m *Main) photoDir() string {
	if p := m.DB.Path(); p != "" && !strings.Contains(p, "://") {
		return filepath.Join(filepath.Dir(p), "sim-photos")
	}
	return filepath.Join("data", "sim-photos")
}

// testRecord marks a record made on a Test channel (the simulator's) as a test record.
func (m *Main) testRecord(r *talaash.Record) *talaash.Record {
	if c, _ := m.Channels.Caps(r.Channel); c.Test {
		r.Test = true
	}
	return r
}

// testDesk keeps the simulator's police phone to test records: it may look
// up and decide on those alone, and gets no lists or figures of real cases.
// It returns the refusal, or nil to let the desk answer.
func (m *Main) testDesk(tx talaash.Tx, o bot.Officer, kind, ref, arg string) []talaash.Outbound {
	caps, _ := m.Channels.Caps(o.Channel)
	if !caps.Test {
		return nil
	}
	refuse := func(shown string) []talaash.Outbound {
		return []talaash.Outbound{{Channel: o.Channel, To: o.Address,
			Text: render.Text(caps, locales.Lang(o.Lang), "web.sim.desk.test_only", map[string]any{"Ref": shown})}}
	}
	switch kind {
	case "open", "matches", "stats":
		return refuse("")
	}
	token := strings.TrimSpace(ref)
	if token == "" {
		token = strings.TrimSpace(arg)
	}
	if _, r, _, ok := alerts.ParseCallback(token); ok {
		token = r
	}
	a, b := talaash.SplitPair(token)
	for _, x := range []string{a, b} {
		if x == "" {
			continue
		}
		if r, err := tx.Record(x); err == nil && !r.Test {
			return refuse(x)
		}
	}
	return nil
}

// loadSamples stores the bundled sample cases as test records, moved in time
// so the newest is an hour old, and matches them as any import would: their
// alerts reach the simulator's police phone at once. Loading them again
// updates the same records.
func (m *Main) loadSamples(ctx context.Context) (int, error) {
	var rs []*talaash.Record
	var bad error
	err := recordfile.NewReader(bytes.NewReader(site.Sample), "sample.jsonl", recordfile.JSONL).Read(func(it recordfile.Item) bool {
		if it.Record == nil {
			bad = talaash.Errorf(talaash.EINTERNAL, "sample line %d: %s", it.Line, it.Reason)
			return false
		}
		rs = append(rs, it.Record)
		return true
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return 0, err
	}
	var newest time.Time
	for _, r := range rs {
		if r.Time.After(newest) {
			newest = r.Time
		}
	}
	shift := m.now().Add(-time.Hour).Sub(newest)
	for _, r := range rs {
		r.Time = r.Time.Add(shift)
		r.Test = true
		// Their reporters are on no phone: notices to them go nowhere real.
		r.Channel, r.Address = web.ChannelSMS, "sample:"+r.Ref
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	err = m.DB.Update(func(tx talaash.Tx) error { return m.Cases.SaveBatch(tx, rs, true) })
	if err != nil {
		return 0, err
	}
	if m.Outbox != nil {
		m.Outbox.Kick()
	}
	m.Logger.Info("sample cases loaded", "records", len(rs))
	return len(rs), nil
}
