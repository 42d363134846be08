// Command talaash runs the Talaash service and its maintenance subcommands:
//
//	talaash [serve]   serve webhooks and /healthz until SIGINT or SIGTERM
//	talaash import [--db PATH] [--no-alerts] FILE.jsonl|FILE.csv|-
//	talaash export [--db PATH] [--kind K] [--format jsonl|csv]
//	talaash stats [--db PATH] [--json]
//	talaash matches [--db PATH] [--json]
//	talaash sms-templates   the DLT templates to register for every SMS
//	talaash backup|restore FILE, talaash compact, talaash retention
//	talaash migrate --from DB --to DB [--force]
//	talaash police add --name NAME --station STATION [--telegram ID] [--sms PHONE] [--valid 72h]
//	talaash police approve [N]
//	talaash police revoke (--telegram ID | --sms PHONE | --desk LOGIN)
//	talaash police list
//	talaash audit REF|CHANNEL:ADDRESS|invite:N
//	talaash loadtest [--url URL] [--concurrency N] [--duration D | --count N]
//
// The database is --db, else TALAASH_DB, else data/talaash.db; a
// postgres:// (or postgresql://) URL there is a PostgreSQL database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/bot"
	"talaash/bot/kannel"
	"talaash/bot/outbox"
	"talaash/cases"
	"talaash/match"
	"talaash/police"
	"talaash/site"
	"talaash/store/bolt"
	"talaash/store/kv"
	"talaash/store/postgres"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	// Libraries that log through slog's or log's default logger write in
	// the program's one format too.
	slog.SetDefault(m.Logger)
	err := m.Run(ctx, os.Args[1:])
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	os.Exit(exitCode(m.Stderr, err))
}

// exitCode reports err the way a shell user expects and picks the status:
// 0 fine, 1 failed (or some import lines rejected), 2 wrong usage.
func exitCode(stderr io.Writer, err error) int {
	var ue usageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errRejected):
		return 1 // each line and the summary are already printed
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "talaash: %s\n%s", ue.msg, usage)
		return 2
	}
	fmt.Fprintf(stderr, "talaash: %s\n", talaash.ErrorMessage(err))
	return 1
}

const usage = `usage:
  talaash [serve] [--db PATH] [--listen ADDR]
  talaash import [--db PATH] [--no-alerts] [--format auto|jsonl|csv] FILE.jsonl|-
  talaash export [--db PATH] [--kind missing|sighting|found] [--format jsonl|csv]
  talaash stats [--db PATH] [--json]
  talaash matches [--db PATH] [--json]
  talaash sms-templates
  talaash backup [--db PATH] FILE      (through the running service, or from the file)
  talaash restore [--db PATH] FILE     (service stopped; the old file is kept as DB.bak-TIME;
                                        PostgreSQL: into an empty database, or --force to replace)
  talaash compact [--db PATH]          (service stopped)
  talaash retention [--db PATH]        (remove what is kept no longer, now)
  talaash migrate --from DB --to DB [--force]  (copy everything between a bbolt file and PostgreSQL)
  talaash police add --name NAME --station STATION [--telegram ID] [--sms PHONE] [--valid 72h]
  talaash police approve [N]
  talaash police revoke (--telegram ID | --sms PHONE | --desk LOGIN)
  talaash police list
  talaash audit REF|CHANNEL:ADDRESS|invite:N
  talaash loadtest [--url URL] [--concurrency N] [--duration D | --count N] [--body TEXT] [--json]
`

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Main is the program: configuration, the open database and the hooks the
// rest of Talaash plugs into. Tests build one with NewMain and swap its fields.
type Main struct {
	Config Config
	// DB is the store; set before Run, it is used instead of opening
	// Config.DB (tests: a store that fails on purpose).
	DB talaash.Store

	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Logger         *slog.Logger

	// Background runs alongside the HTTP server in serve (outbox delivery,
	// Telegram long polling, ...); each gets a context cancelled on shutdown.
	Background []func(ctx context.Context) error

	// Listening, if set, receives the address serve listens on (tests listen
	// on port 0).
	Listening chan<- string

	// BatchSize is how many records import commits per transaction.
	BatchSize int

	// Now is the clock of the serving parts (time.Now when nil).
	Now func() time.Time

	// Wired, if set, is called by serve once every part is built and before
	// any of them runs, so tests can tune them (outbox retry timing, say)
	// without racing the background work.
	Wired func(m *Main)

	// Built by openMatching and openChannels; a Cases set before Run is used
	// as it is (tests: matching by a stand-in).
	Matcher  *match.Matcher
	Cases    *cases.Service
	Alerts   *alerts.Service
	Police   *police.Roster
	Core     *bot.Bot
	Channels *talaash.Registry // every known channel; the configured adapters registered
	Kannel   *kannel.Channel   // the Kannel adapter when configured (its delivery reports)
	Outbox   *outbox.Worker

	// loadServing: serve takes turns while the matcher loads (startup).
	loadServing bool

	server     *http.Server
	sitePlaces []site.Place // the places the simulator's phones can share
	conns      *connLimit   // the server's listener (conns.go)
	storeProbe storeProbe   // health.go
}

// NewMain returns a Main wired to the process: stdio, environment, slog on stderr.
func NewMain() *Main {
	return &Main{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, nil)),
		BatchSize: 1000,
	}
}

// Run runs the subcommand named by args[0] (serve if none) until it finishes
// or ctx is cancelled.
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	if m.Logger == nil {
		m.Logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
	}
	m.Config = ConfigFromEnv(m.Getenv)
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return m.runServe(ctx, args)
	case "import":
		return m.runImport(ctx, args)
	case "export":
		return m.runExport(ctx, args)
	case "stats":
		return m.runStats(ctx, args)
	case "matches":
		return m.runMatches(ctx, args)
	case "sms-templates":
		return m.runSMSTemplates(ctx, args)
	case "backup":
		return m.runBackup(ctx, args)
	case "restore":
		return m.runRestore(ctx, args)
	case "migrate":
		return m.runMigrate(ctx, args)
	case "compact":
		return m.runCompact(ctx, args)
	case "retention":
		return m.runRetention(ctx, args)
	case "police":
		return m.runPolice(ctx, args)
	case "audit":
		return m.runAudit(ctx, args)
	case "loadtest":
		return m.runLoadtest(ctx, args)
	case "help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// Close releases what Run opened.
func (m *Main) Close() error {
	if m.server != nil {
		m.server.Close()
	}
	if m.DB != nil {
		err := m.DB.Close()
		m.DB = nil
		return err
	}
	return nil
}

// openDB opens the configured database (once).
func (m *Main) openDB() error {
	if m.DB != nil {
		return nil
	}
	db, err := openStore(m.Config.DB)
	if err != nil {
		return err
	}
	m.DB = db
	return nil
}

// openStore opens a PostgreSQL database for a postgres:// URL, else the
// bbolt file at path.
func openStore(path string) (store, error) {
	if postgres.IsDSN(path) {
		return postgres.Open(path)
	}
	return bolt.Open(path)
}

// store is what both stores are: the contract, and buckets to copy.
type store interface {
	talaash.Store
	kv.Raw
}

// flags returns a flag set for a subcommand with --db bound to the config.
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("talaash "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.Config.DB, "db", m.Config.DB, "bbolt database `path`, or a postgres:// URL (env TALAASH_DB)")
	return fs
}

// parse parses flags wherever they stand among the arguments ("import FILE
// --no-alerts" as well as "import --no-alerts FILE") and returns the others.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		if args[0] == "-" || !strings.HasPrefix(args[0], "-") {
			rest = append(rest, args[0])
			args = args[1:]
		}
		if len(args) == 0 {
			return rest, nil
		}
	}
}
