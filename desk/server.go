// Package desk is the police desk in the browser at /desk: enrolled officers
// log in with a password set at their first login with the one-time code of
// their invitation (talaash police add), review pending alerts with both
// records side by side, search and close cases, record a found child and
// read the figures. Every view of a record and every action goes into the
// access log. Nothing but the login pages is served without a session, and
// a session counts only while its officer is on the roster, so talaash
// police revoke ends it at the next request.
//
// A desk officer acts as "desk:LOGIN" on the roster. The invitation's code
// is usable once on chat and once for the desk: the chat enrolment marks the
// invitation used, the desk's first login records the account made with it.
package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"talaash"
	"talaash/alerts"
	"talaash/police"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Server serves the desk. Set the fields, then call Routes.
type Server struct {
	DB     talaash.Store
	Alerts *alerts.Service
	Roster *police.Roster
	// Save stores and matches a record the desk made (a found child).
	Save func(tx talaash.Tx, r *talaash.Record) error
	// PhotoDir holds the photos uploaded with found children.
	PhotoDir string
	// ChatPhoto, if set, fetches a photo a record's channel keeps (a
	// Telegram file id, a simulator phone's upload) for an officer's view.
	ChatPhoto func(ctx context.Context, channel, photo string) ([]byte, error)
	// Secure marks cookies Secure (the public URL is https).
	Secure bool
	// Places is the gazetteer CSV, for the map.
	Places []byte
	// Kick, if set, wakes the outbox after an action queued messages.
	Kick func()
	Now  func() time.Time
	Log  *slog.Logger
	// BcryptCost is the cost of new password hashes; 0 is bcrypt's default.
	BcryptCost int

	tmpl   *template.Template
	places []place
	index  index
	photos photoCache
}

// Limits of logins: per account and per address, in a window.
const (
	SessionTTL     = 12 * time.Hour
	LoginWindow    = 15 * time.Minute
	MaxPerAccount  = 5
	MaxPerAddress  = 20
	cookieSession  = "desk_session"
	cookiePre      = "desk_pre"
	cookieLang     = "desk_lang"
	minPasswordLen = 10
)

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Routes adds the desk's routes to mux.
func (s *Server) Routes(mux *http.ServeMux) {
	s.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(assets, "templates/*.html"))
	s.places = parsePlaces(s.Places)
	mux.Handle("GET /desk/static/", http.StripPrefix("/desk/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /desk/login", s.loginPage)
	mux.HandleFunc("POST /desk/login", s.login)
	mux.HandleFunc("GET /desk/setup", s.setupPage)
	mux.HandleFunc("POST /desk/setup", s.setup)
	mux.HandleFunc("POST /desk/logout", s.auth(s.logout))
	mux.HandleFunc("GET /desk", s.auth(s.alertList))
	mux.HandleFunc("GET /desk/{$}", s.auth(s.alertList))
	mux.HandleFunc("GET /desk/alert", s.auth(s.alertPage))
	mux.HandleFunc("POST /desk/review", s.auth(s.review))
	mux.HandleFunc("GET /desk/cases", s.auth(s.caseList))
	mux.HandleFunc("GET /desk/case", s.auth(s.casePage))
	mux.HandleFunc("POST /desk/finish", s.auth(s.finish))
	mux.HandleFunc("GET /desk/found", s.auth(s.foundPage))
	mux.HandleFunc("POST /desk/found", s.auth(s.found))
	mux.HandleFunc("GET /desk/figures", s.auth(s.figures))
	mux.HandleFunc("GET /desk/photo", s.auth(s.photo))
}

// visitor is who is asking: an officer with a session, or nobody.
type visitor struct {
	Account *talaash.DeskAccount
	Session *talaash.DeskSession
	Officer alerts.Officer
	Lang    string
}

// ID is the officer's "channel:address" in the access log.
func (v *visitor) ID() string { return v.Officer.ID() }

type handler func(w http.ResponseWriter, r *http.Request, v *visitor)

// auth serves h only to an officer whose session is live and who is on the
// roster now; others go to the login page (GET) or are refused (POST). A POST
// must carry the session's CSRF token.
func (s *Server) auth(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		noStore(w)
		v, err := s.visitor(r)
		if err != nil {
			s.fail(w, r, langOf(r, ""), err)
			return
		}
		if v == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/desk/login", http.StatusSeeOther)
				return
			}
			s.render(w, r, http.StatusForbidden, "message", &page{Lang: langOf(r, ""), Err: "desk.err.session"})
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
				s.render(w, r, http.StatusBadRequest, "message", &page{Lang: v.Lang, Err: "desk.err.form"})
				return
			}
			if !same(r.PostFormValue("csrf"), v.Session.CSRF) {
				s.render(w, r, http.StatusForbidden, "message", &page{Lang: v.Lang, Err: "desk.err.csrf"})
				return
			}
		}
		h(w, r, v)
	}
}

// visitor reads the session cookie; nil when there is no live session of an
// officer on the roster.
func (s *Server) visitor(r *http.Request) (*visitor, error) {
	c, err := r.Cookie(cookieSession)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	var v *visitor
	err = s.DB.View(func(tx talaash.Tx) error {
		sess, err := tx.DeskSession(hash(c.Value))
		if talaash.ErrorCode(err) == talaash.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if !s.now().Before(sess.Expires) {
			return nil
		}
		a, err := tx.DeskAccount(sess.Login)
		if talaash.ErrorCode(err) == talaash.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		ch, addr := a.Officer()
		_, ok, err := s.Roster.Officer(tx, ch, addr)
		if err != nil || !ok {
			return err
		}
		l := langOf(r, a.Lang)
		v = &visitor{Account: a, Session: sess, Officer: alerts.Officer{Channel: ch, Address: addr, Lang: l}, Lang: l}
		return nil
	})
	return v, err
}

// langOf is the page's language: ?lang=, else the cookie, else the account's,
// else what the browser asks for.
func langOf(r *http.Request, account string) string {
	for _, l := range []string{r.URL.Query().Get("lang"), cookie(r, cookieLang), account} {
		if l == "hi" || l == "en" {
			return l
		}
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "hi") {
		return "hi"
	}
	return "en"
}

func cookie(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, age time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/desk", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(age.Seconds())})
}

// noStore keeps record pages out of the browser's and proxies' caches.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

func token() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("desk: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func same(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// address is the client's IP for the per-address login limit.
func address(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}
