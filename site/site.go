// Package site serves Talaash's web pages: the home page at / and the
// simulator's page at /sim, in English and Hindi, server-rendered from
// embedded templates with every asset embedded, so they work with no
// internet. The simulator's phones talk to the core through package bot/web;
// this package only draws them.
package site

import (
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"talaash/bot/web"
	"talaash/locales"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed sample.jsonl
var Sample []byte

// pages holds each page parsed with the layout on its own, so that a page's
// "title" block is its own.
var pages = map[string]*template.Template{}

func init() {
	funcs := template.FuncMap{"t": func(lang, id string) string { return locales.Render(lang, id, nil) }}
	for _, name := range []string{"home.html", "sim.html", "off.html"} {
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name))
	}
}

// Config is what the pages need.
type Config struct {
	// Simulator turns /sim on; off, /sim answers 404.
	Simulator bool
	// Places are the gazetteer's places a phone can share.
	Places []Place
	// Samples loads the bundled sample cases and says how many records it stored.
	Samples func(ctx context.Context) (int, error)
	Log     *slog.Logger
}

// Site serves the pages.
type Site struct {
	cfg Config
}

// New makes the pages.
func New(cfg Config) *Site {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Site{cfg: cfg}
}

// Routes adds the pages' routes to mux.
func (s *Site) Routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheable(http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /sim", s.sim)
	if s.cfg.Simulator {
		mux.HandleFunc("POST /sim/api/samples", s.samples)
	}
}

func cacheable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// Lang is the page's language: ?lang= (remembered in a cookie), else the
// cookie, else the browser's first choice if it is Hindi, else English.
func Lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "hi" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "hi" || c.Value == "en") {
		return c.Value
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))), "hi") {
		return "hi"
	}
	return "en"
}

func other(lang string) string {
	if lang == "hi" {
		return "en"
	}
	return "hi"
}

type page struct {
	Lang, Other string
	Path        string
	Simulator   bool
	Phones      []phone
	Places      []Place
	Parts       string // the parts line with %E and %P for the script to fill
	Error       string // the error line with %S
}

type phone struct {
	Role, Title string
	Chat        bool
}

func (s *Site) render(w http.ResponseWriter, code int, name string, p page) {
	var b strings.Builder
	if err := pages[name].ExecuteTemplate(&b, name, p); err != nil {
		s.cfg.Log.Error("page", "page", name, "err", err)
		http.Error(w, "page unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write([]byte(b.String()))
}

func (s *Site) home(w http.ResponseWriter, r *http.Request) {
	l := Lang(w, r)
	s.render(w, http.StatusOK, "home.html", page{Lang: l, Other: other(l), Path: "/", Simulator: s.cfg.Simulator})
}

func (s *Site) sim(w http.ResponseWriter, r *http.Request) {
	l := Lang(w, r)
	p := page{Lang: l, Other: other(l), Path: "/sim", Simulator: s.cfg.Simulator}
	if !s.cfg.Simulator {
		s.render(w, http.StatusNotFound, "off.html", p)
		return
	}
	for _, ph := range web.Phones {
		p.Phones = append(p.Phones, phone{Role: ph.Role, Title: locales.Render(l, "web.sim.phone."+ph.Role, nil),
			Chat: ph.Channel == web.ChannelChat})
	}
	p.Places = s.cfg.Places
	p.Parts = locales.Render(l, "web.sim.parts", map[string]any{"Encoding": "%E", "Parts": "%P"})
	p.Error = locales.Render(l, "web.sim.error", map[string]any{"Error": "%S"})
	s.render(w, http.StatusOK, "sim.html", p)
}

// samples loads the sample cases; the answer is a line for the page.
func (s *Site) samples(w http.ResponseWriter, r *http.Request) {
	l := Lang(w, r)
	w.Header().Set("Content-Type", "application/json")
	// As the phones' messages: JSON only, so another site cannot load them.
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		w.WriteHeader(http.StatusUnsupportedMediaType)
		json.NewEncoder(w).Encode(map[string]string{"error": locales.Render(l, "web.sim.samples.failed", nil)})
		return
	}
	if s.cfg.Samples == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"error": locales.Render(l, "web.sim.samples.failed", nil)})
		return
	}
	n, err := s.cfg.Samples(r.Context())
	if err != nil {
		s.cfg.Log.Error("loading sample cases", "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		json.NewEncoder(w).Encode(map[string]string{"error": locales.Render(l, "web.sim.samples.failed", nil)})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"n": n, "message": locales.Render(l, "web.sim.samples.done", map[string]any{"N": n})})
}
