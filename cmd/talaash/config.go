package main

import (
	"path/filepath"
	"strings"
)

// Config is every setting of DESIGN.md, read from the environment; flags may
// override some.
type Config struct {
	DB         string // TALAASH_DB
	Listen     string // TALAASH_LISTEN
	PublicURL  string // TALAASH_PUBLIC_URL; "http://" + Listen when empty
	Places     string // TALAASH_PLACES: gazetteer CSV
	PoliceCode string // TALAASH_POLICE_CODE: enrolment code; empty turns enrolment off

	PoliceTelegram []string // TALAASH_POLICE_TELEGRAM: pre-enrolled chat ids
	PoliceSMS      []string // TALAASH_POLICE_SMS: pre-enrolled phone numbers

	TelegramToken         string // TELEGRAM_BOT_TOKEN: enables Telegram
	TelegramAPIURL        string // TELEGRAM_API_URL
	TelegramWebhookSecret string // TELEGRAM_WEBHOOK_SECRET: webhook mode; else long polling

	TwilioAccountSID string // TWILIO_ACCOUNT_SID, with the two below: enables SMS
	TwilioAuthToken  string // TWILIO_AUTH_TOKEN
	TwilioFrom       string // TWILIO_FROM
	TwilioAPIURL     string // TWILIO_API_URL

	// Kannel (kannel.go): SMS on Indian routes, with DLT templates.
	Kannel KannelConfig

	Simulator string // TALAASH_SIMULATOR: on | off; empty: see SimulatorOn

	// HTTP hardening and inbound limits (conns.go, limits.go), read by serve.
	MaxConns    string // TALAASH_MAX_CONNS: open HTTP connections at most; default from the file descriptor limit, at most 1024
	InboundRate string // TALAASH_INBOUND_RATE: inbound messages a second from all senders (default 5000; "off")
}

// Defaults.
const (
	DefaultListen         = "127.0.0.1:8080"
	DefaultTelegramAPIURL = "https://api.telegram.org"
	DefaultTwilioAPIURL   = "https://api.twilio.com"
)

// DefaultDB is data/talaash.db under the working directory.
var DefaultDB = filepath.Join("data", "talaash.db")

// ConfigFromEnv reads the configuration through getenv (os.Getenv, or a map in tests).
func ConfigFromEnv(getenv func(string) string) Config {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	return Config{
		DB:                    env("TALAASH_DB", DefaultDB),
		Listen:                env("TALAASH_LISTEN", DefaultListen),
		PublicURL:             strings.TrimRight(env("TALAASH_PUBLIC_URL", ""), "/"),
		Places:                env("TALAASH_PLACES", ""),
		PoliceCode:            env("TALAASH_POLICE_CODE", ""),
		PoliceTelegram:        list(getenv("TALAASH_POLICE_TELEGRAM")),
		PoliceSMS:             list(getenv("TALAASH_POLICE_SMS")),
		TelegramToken:         env("TELEGRAM_BOT_TOKEN", ""),
		TelegramAPIURL:        strings.TrimRight(env("TELEGRAM_API_URL", DefaultTelegramAPIURL), "/"),
		TelegramWebhookSecret: env("TELEGRAM_WEBHOOK_SECRET", ""),
		TwilioAccountSID:      env("TWILIO_ACCOUNT_SID", ""),
		TwilioAuthToken:       env("TWILIO_AUTH_TOKEN", ""),
		TwilioFrom:            env("TWILIO_FROM", ""),
		TwilioAPIURL:          strings.TrimRight(env("TWILIO_API_URL", DefaultTwilioAPIURL), "/"),
		Kannel:                kannelConfigFromEnv(env),
		Simulator:             env("TALAASH_SIMULATOR", ""),
		MaxConns:              env("TALAASH_MAX_CONNS", ""),
		InboundRate:           env("TALAASH_INBOUND_RATE", ""),
	}
}

// Public returns the base URL providers call: TALAASH_PUBLIC_URL, else "http://" + Listen.
func (c Config) Public() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	return "http://" + c.Listen
}

// TelegramEnabled and SMSEnabled say whether a channel is configured.
func (c Config) TelegramEnabled() bool { return c.TelegramToken != "" }

// SMSEnabled reports whether Twilio is configured.
func (c Config) SMSEnabled() bool {
	return c.TwilioAccountSID != "" && c.TwilioAuthToken != "" && c.TwilioFrom != ""
}

// list splits a comma list, dropping blanks.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
