package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"talaash"
	"talaash/bot/twilio"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve")
	fs.StringVar(&m.Config.Listen, "listen", m.Config.Listen, "HTTP `address` (env TALAASH_LISTEN)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"serve takes no arguments"}
	}
	maxConns, err := parseMaxConns(m.Config.MaxConns)
	if err != nil {
		return err
	}
	// Turns are taken while the matcher loads: a record saved meanwhile is
	// matched once it is loaded (cases.Service.LoadServing).
	m.loadServing = true
	if err := m.openChannels(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	m.routes(mux)
	m.conns = limitConns(ln, maxConns)
	m.server = newServer(mux, m.conns, m.Logger) // timeouts, body and connection limits: conns.go
	m.Logger.Info("serving", "addr", ln.Addr().String(), "db", m.DB.Path(), "max_conns", maxConns,
		"telegram", m.Config.TelegramEnabled(), "sms", m.Config.SMSEnabled(), "kannel", m.Kannel != nil)
	if !m.realChannel() {
		m.Logger.Warn("no chat channel configured: set TELEGRAM_BOT_TOKEN, or TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM, or KANNEL_SENDSMS_URL and the other KANNEL_ settings")
	}
	for _, w := range m.deploymentWarnings() {
		m.Logger.Warn(w)
	}
	m.logPages(ln.Addr().String())
	if m.Listening != nil {
		m.Listening <- ln.Addr().String()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1+len(m.Background))
	go func() { errc <- m.server.Serve(m.conns) }()
	var wg sync.WaitGroup
	for _, bg := range m.Background {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := bg(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- err
			}
		}()
	}

	select {
	case <-ctx.Done():
		err = nil
	case err = <-errc:
		// The server or a background task failed: stop the rest.
	}
	m.Logger.Info("shutting down")
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer scancel()
	if serr := m.server.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// routes adds every HTTP route; the channel adapters add theirs here.
func (m *Main) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", m.healthz)      // health.go
	mux.Handle("GET /metrics", m.metricsHandler()) // health.go
	m.siteRoutes().Routes(mux)
	m.deskRoutes(mux) // desk.go
	for _, a := range m.Channels.Adapters() {
		a.Routes(mux)
	}
}

// smsStatus records what Twilio says of a message we sent; a number that
// unsubscribed (21610) gets nothing more until it sends START. The adapter
// has logged failures already.
func (m *Main) smsStatus(ctx context.Context, st twilio.Status) {
	if st.MessageSid == "" {
		return
	}
	// The store keeps the last status by message SID (the outbox keeps the
	// SID of every message it sent).
	d := &talaash.DeliveryStatus{MessageID: st.MessageSid, Channel: st.Channel, Status: st.MessageStatus, Code: st.ErrorCode, At: m.now().UTC()}
	err := m.DB.Update(func(tx talaash.Tx) error {
		if err := tx.PutDeliveryStatus(d); err != nil {
			return err
		}
		if st.Failed() && st.Code() == talaash.ESTOPPED && st.To != "" {
			return tx.PutStopped(st.Channel, st.To, m.now())
		}
		return nil
	})
	if err != nil {
		m.Logger.Error("sms status", "err", err)
	}
}
