package main

// The Kannel channel's settings, wiring and delivery reports, kept in one file
// so they can move onto the channel registry as they are.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"talaash"
	"talaash/bot/kannel"
	"talaash/dialog"
	"talaash/locales"
)

// KannelConfig is the Kannel channel's part of Config.
type KannelConfig struct {
	SendURL  string // KANNEL_SENDSMS_URL: enables the channel
	Username string // KANNEL_USERNAME
	Password string // KANNEL_PASSWORD
	From     string // KANNEL_FROM: the DLT sender header
	Secret   string // KANNEL_SECRET (required)
	Keyword  string // KANNEL_KEYWORD

	DLTEntityID  string // TALAASH_DLT_ENTITY_ID: turns DLT on
	DLTTemplates string // TALAASH_DLT_TEMPLATES: file of registered template ids
	EntityTLV    string // KANNEL_TLV_ENTITY: TLV name for the entity id (PE_ID)
	TemplateTLV  string // KANNEL_TLV_TEMPLATE: TLV name for the template id (TEMPLATE_ID)
}

func kannelConfigFromEnv(env func(name, def string) string) KannelConfig {
	return KannelConfig{
		SendURL:      env("KANNEL_SENDSMS_URL", ""),
		Username:     env("KANNEL_USERNAME", ""),
		Password:     env("KANNEL_PASSWORD", ""),
		From:         env("KANNEL_FROM", ""),
		Secret:       env("KANNEL_SECRET", ""),
		Keyword:      env("KANNEL_KEYWORD", ""),
		DLTEntityID:  env("TALAASH_DLT_ENTITY_ID", ""),
		DLTTemplates: env("TALAASH_DLT_TEMPLATES", ""),
		EntityTLV:    env("KANNEL_TLV_ENTITY", ""),
		TemplateTLV:  env("KANNEL_TLV_TEMPLATE", ""),
	}
}

// Enabled reports whether any Kannel setting is given: a partial setting is
// then a named error at start rather than a channel silently off.
func (k KannelConfig) Enabled() bool {
	return k.SendURL != "" || k.Username != "" || k.Password != "" || k.From != ""
}

// MaxRedeliver is how often a message reported failed is sent again (after
// 1, 2, 4 minutes): a phone that is off is often back soon.
const MaxRedeliver = 3

// openKannel builds the Kannel adapter when configured.
func (m *Main) openKannel() (*kannel.Channel, error) {
	k := m.Config.Kannel
	if !k.Enabled() {
		return nil, nil
	}
	cfg := kannel.Config{
		SendURL: k.SendURL, Username: k.Username, Password: k.Password, From: k.From,
		Secret: k.Secret, Keyword: k.Keyword, PublicURL: m.Config.Public(),
		EntityID: k.DLTEntityID, EntityTLV: k.EntityTLV, TemplateTLV: k.TemplateTLV,
		OnStatus: m.kannelStatus, Retry: m.kannelRetry, Now: m.now,
	}
	switch {
	case k.DLTTemplates != "":
		t, err := kannel.LoadTemplates(k.DLTTemplates, smsTemplates())
		if err != nil {
			return nil, err
		}
		cfg.Templates = t
		if k.DLTEntityID == "" {
			m.Logger.Warn("TALAASH_DLT_TEMPLATES is set but TALAASH_DLT_ENTITY_ID is not: sends carry no DLT ids")
		}
		m.Logger.Info("DLT templates", "registered", len(t), "of", len(smsTemplates()))
	case k.DLTEntityID != "":
		return nil, talaash.Errorf(talaash.EINVALID, "TALAASH_DLT_ENTITY_ID needs TALAASH_DLT_TEMPLATES: without template ids no SMS may be sent")
	}
	ch, err := kannel.New(cfg, m.Core)
	if err != nil {
		return nil, err
	}
	ch.SetLogger(m.Logger)
	if m.Config.SMSEnabled() {
		m.Logger.Info("SMS goes out through Kannel; Twilio keeps WhatsApp")
	}
	m.Kannel = ch
	return ch, nil
}

// kannelStatus records a delivery report by message id and sends a message
// reported failed again, with backoff, through the outbox.
func (m *Main) kannelStatus(ctx context.Context, st kannel.Status) {
	now := m.now()
	err := m.DB.Update(func(tx talaash.Tx) error {
		d := &talaash.DeliveryStatus{MessageID: st.ID, Channel: talaash.ChannelSMS, Status: st.State, Code: strconv.Itoa(st.Type), At: now}
		if err := tx.PutDeliveryStatus(d); err != nil {
			return err
		}
		if st.State != "failed" || st.Msg == nil {
			return nil
		}
		sum := sha256.Sum256([]byte(st.Msg.Text))
		// Counted as attempts: "redeliver:channel:to|hash of text".
		key := "redeliver:" + talaash.ChannelSMS + ":" + st.Msg.To + "|" + hex.EncodeToString(sum[:8])
		tries, err := tx.Attempts(key)
		if err != nil {
			return err
		}
		n := tries.Count
		if n >= MaxRedeliver {
			m.Logger.Warn("kannel: delivery failed again, given up", "id", st.ID, "to", talaash.MaskPhone(st.Msg.To), "tries", n)
			return nil
		}
		if tries.Since.IsZero() {
			tries.Since = now
		}
		tries.Count++
		if err := tx.PutAttempts(key, tries); err != nil {
			return err
		}
		return m.enqueueSMS(tx, "redeliver", *st.Msg, now.Add(time.Minute<<n))
	})
	if err != nil {
		m.Logger.Error("kannel status", "err", err)
	}
}

// kannelRetry puts a reply that could not be sent now into the outbox.
func (m *Main) kannelRetry(ctx context.Context, msg talaash.Outbound) {
	err := m.DB.Update(func(tx talaash.Tx) error { return m.enqueueSMS(tx, "reply", msg, m.now()) })
	if err != nil {
		m.Logger.Error("kannel: reply lost", "to", talaash.MaskPhone(msg.To), "err", err)
	}
}

func (m *Main) enqueueSMS(tx talaash.Tx, kind string, msg talaash.Outbound, due time.Time) error {
	msg.Channel = talaash.ChannelSMS
	if err := tx.Enqueue(&talaash.OutboxItem{Kind: kind, Msg: msg, Due: due, Created: m.now()}); err != nil {
		return err
	}
	if m.Outbox != nil {
		tx.OnCommit(m.Outbox.Kick)
	}
	return nil
}

// smsTemplates is every SMS the core can send: the messages locales lists,
// and each dialog state's question with its choices line, as render.Reply
// sends a question that offers choices, and the other replies that offer
// some: the field picker, the menu after a message it did not understand or
// with the help, a time still to come offered as the day before.
func smsTemplates() []locales.Template {
	return locales.SMSTemplates(append(dialog.States(), "edit.which", "menu.unknown", "help", "err.time.future")...)
}

// runSMSTemplates prints every SMS Talaash can send as a deployer registers
// it on an operator's DLT portal.
func (m *Main) runSMSTemplates(ctx context.Context, args []string) error {
	fs := m.flags("sms-templates")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"sms-templates takes no arguments"}
	}
	header := m.Config.Kannel.From
	if header == "" {
		header = "(your header, KANNEL_FROM)"
	}
	ts := smsTemplates()
	w := m.Stdout
	fmt.Fprintf(w, "# %d SMS templates (%s) to register on your operator's DLT portal.\n", len(ts), strings.Join(locales.Languages, ", "))
	fmt.Fprintf(w, "# Header: %s. Each {#var#} stands for at most %d characters; longer values are\n", header, locales.DLTVarMax)
	fmt.Fprintf(w, "# shortened a word at a time. Map each name to its template id in TALAASH_DLT_TEMPLATES,\n")
	fmt.Fprintf(w, "# one \"NAME TEMPLATE_ID\" a line.\n")
	fmt.Fprintf(w, "# Listed is what goes by SMS: each message in its SMS wording (.sms where it has one),\n")
	fmt.Fprintf(w, "# each question with its choices line (NAME+LANG:choices.sms), and\n")
	fmt.Fprintf(w, "# the reminder joined to the alert. A list (the options, a summary, a description) goes\n")
	fmt.Fprintf(w, "# as up to %d variables of whole items: NAME#k is the template with k of them (the\n", locales.DLTListMax)
	fmt.Fprintf(w, "# alert, with two descriptions, NAME#k.j).\n")
	fmt.Fprintf(w, "# Not listed: web pages, button labels, and words or\n")
	fmt.Fprintf(w, "# lines that only go inside another message. With DLT on, each reply is its own SMS.\n")
	for _, t := range ts {
		fmt.Fprintf(w, "\n[%s]\nheader: %s\nlanguage: %s\n", t.Name, header, t.Lang)
		if len(t.Vars) > 0 {
			fmt.Fprintf(w, "variables: %s\n", strings.Join(t.Vars, ", "))
		}
		if p := locales.DLTProblems(t); len(p) > 0 {
			fmt.Fprintf(w, "warning: %s\n", strings.Join(p, "; "))
		}
		fmt.Fprintf(w, "text:\n%s\n", t.Text)
	}
	return nil
}
