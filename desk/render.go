package desk

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"talaash"
	"talaash/locales"
)

// page is what every template gets.
type page struct {
	Lang    string
	Officer *visitor
	CSRF    string
	Nonce   string
	Msg     string // a message id, or text already in the officer's language (Note)
	Note    string
	Err     string // a message id
	ErrArg  string
	Path    string // the page itself, for the language switch
	Data    any
}

var funcs = template.FuncMap{
	// t renders a desk message in lang; ids of other parts (alerts.status.*) too.
	"t": func(lang, id string) string { return locales.Render(lang, id, nil) },
	"tf": func(lang, id string, kv ...any) string {
		d := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			d[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return locales.Render(lang, id, d)
	},
	"status": func(lang string, st talaash.Status) string {
		if st == "" {
			st = talaash.StatusOpen
		}
		return locales.Render(lang, "alerts.status."+string(st), nil)
	},
	// The desk's own kind labels: the chat's carry emoji, which a station
	// computer may not have a font for.
	"kind":     func(lang string, k talaash.Kind) string { return locales.Render(lang, "desk.kind."+string(k), nil) },
	"date":     dateText,
	"q":        url.QueryEscape,
	"contains": strings.Contains,
	"list":     func(s ...string) []string { return s },
	"add":      func(a, b int) int { return a + b },
}

// render writes template name; a template failure becomes the generic error
// page, never a trace.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, p *page) {
	if p.Lang == "" {
		p.Lang = "en"
	}
	if p.Path == "" {
		q := r.URL.Query()
		q.Del("lang")
		p.Path = r.URL.Path
		if r.Method != http.MethodGet {
			p.Path = "/desk"
		} else if e := q.Encode(); e != "" {
			p.Path += "?" + e
		}
	}
	if p.Officer != nil && p.CSRF == "" {
		p.CSRF = p.Officer.Session.CSRF
	}
	if p.Nonce == "" {
		p.Nonce = token()
	}
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, p); err != nil {
		s.log().Error("desk template", "page", name, "err", err)
		code = http.StatusInternalServerError
		b.Reset()
		fmt.Fprintf(&b, "<!doctype html><meta charset=utf-8><p>%s</p>", template.HTMLEscapeString(locales.Render(p.Lang, "desk.err.internal", nil)))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes())
}

// fail answers a store failure: logged by its code (no names, no numbers),
// shown as a short apology.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, lang string, err error) {
	code := http.StatusInternalServerError
	msg := "desk.err.internal"
	switch talaash.ErrorCode(err) {
	case talaash.ENOTFOUND:
		code, msg = http.StatusNotFound, "desk.err.not_found"
	case talaash.EINVALID:
		code, msg = http.StatusBadRequest, "desk.err.form"
	default:
		s.log().Error("desk", "path", r.URL.Path, "code", talaash.ErrorCode(err))
	}
	s.render(w, r, code, "message", &page{Lang: lang, Err: msg})
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(talaash.IST).Format(talaash.DateTime)
}
