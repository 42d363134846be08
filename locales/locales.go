// Package locales holds every user-facing message of Talaash in English and
// Hindi as go-i18n v2 message files, embedded in the binary. Each part's
// messages live in their own NAME.en.toml / NAME.hi.toml pair in this folder;
// all *.toml files are loaded into one bundle.
//
// A third way of speaking, Hindi in Latin letters (HiLatn, "Hinglish"), has
// NAME.hi-Latn.toml files for everything a chat user or an officer can
// receive (core, dialog, alerts, sms): people who write Hindi that way read
// it best, and their SMS stays GSM-7. Pages (desk, web) have none; a message
// missing in Hinglish is rendered in English, the other language in Latin
// letters, so an SMS stays GSM-7 even then.
//
// A message "ID.sms" is the SMS wording of "ID", used when the chat wording
// is too long or not pure GSM-7 for a text message.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// HiLatn is the tag of Hindi written in Latin letters.
const HiLatn = "hi-Latn"

// Languages are the languages Talaash speaks. Every message exists in en and
// hi; HiLatn lacks the pages' messages (see the package comment).
var Languages = []string{"en", "hi", HiLatn}

type catalogue struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	ids        map[string]map[string]*i18n.Message // lang -> id -> message
	err        error
}

var (
	loadOnce sync.Once
	cat      *catalogue
)

// load parses every embedded file once. A broken file is reported by Check and
// logged; the messages of the other files still render.
func load() *catalogue {
	loadOnce.Do(func() {
		c := &catalogue{
			bundle:     i18n.NewBundle(language.English),
			localizers: map[string]*i18n.Localizer{},
			ids:        map[string]map[string]*i18n.Message{},
		}
		c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		names, _ := fs.Glob(files, "*.toml")
		sort.Strings(names)
		var errs []string
		for _, name := range names {
			buf, err := files.ReadFile(name)
			if err == nil {
				var mf *i18n.MessageFile
				mf, err = c.bundle.ParseMessageFileBytes(buf, name)
				if err == nil {
					lang := mf.Tag.String()
					if c.ids[lang] == nil {
						c.ids[lang] = map[string]*i18n.Message{}
					}
					for _, m := range mf.Messages {
						if _, dup := c.ids[lang][m.ID]; dup {
							errs = append(errs, fmt.Sprintf("%s: message %q defined twice", name, m.ID))
						}
						c.ids[lang][m.ID] = m
					}
				}
			}
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s: %v", name, err))
			}
		}
		for _, l := range Languages {
			c.localizers[l] = i18n.NewLocalizer(c.bundle, l)
		}
		if len(errs) > 0 {
			c.err = fmt.Errorf("locales: %s", strings.Join(errs, "; "))
			slog.Error("locales: message files do not load", "err", c.err)
		}
		cat = c
	})
	return cat
}

// Check reports any error met while loading the message files.
func Check() error { return load().err }

// Lang returns lang if it is a language we speak, else "en": "hi-Latn" (in
// any case, or "hinglish") is HiLatn, any other "hi..." tag Hindi.
func Lang(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	switch {
	case l == "hinglish" || strings.HasPrefix(strings.ReplaceAll(l, "_", "-"), "hi-latn"):
		return HiLatn
	case strings.HasPrefix(l, "hi"):
		return "hi"
	}
	return "en"
}

// From is the language message id renders from in lang: lang itself, or for
// a message Hinglish lacks, English (see the package comment).
func From(lang, id string) string {
	lang = Lang(lang)
	if lang == HiLatn {
		if _, ok := load().ids[lang][id]; !ok {
			return "en"
		}
	}
	return lang
}

// Has reports whether message id renders in lang.
func Has(lang, id string) bool {
	_, ok := load().ids[From(lang, id)][id]
	return ok
}

// Description returns the description (the translator's note) of a message.
func Description(lang, id string) string {
	if m := load().ids[From(lang, id)][id]; m != nil {
		return m.Description
	}
	return ""
}

// IDs returns every message id, sorted: the union over the languages (the
// locales test keeps en and hi equal, and HiLatn a subset).
func IDs() []string {
	c := load()
	seen := map[string]bool{}
	var out []string
	for _, l := range Languages {
		for id := range c.ids[l] {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	sort.Strings(out)
	return out
}

// IDsOf returns the message ids defined in one language, sorted.
func IDsOf(lang string) []string {
	var out []string
	for id := range load().ids[Lang(lang)] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// pluralKeys are the template data that choose a message's plural form.
var pluralKeys = []string{"N", "Left", "Days"}

// isCount reports whether v can choose a plural form; any other value leaves
// the message in its "other" form rather than failing it.
func isCount(v any) bool {
	switch n := v.(type) {
	case int, int64, float64:
		return true
	case string:
		_, err := strconv.ParseFloat(n, 64)
		return err == nil
	}
	return false
}

// Localize renders message id in lang with data, returning go-i18n's error.
func Localize(lang, id string, data map[string]any) (string, error) {
	c := load()
	l := c.localizers[From(lang, id)]
	var td, count any
	if data != nil {
		td = data
		// The counts that messages word as one or many.
		for _, k := range pluralKeys {
			if v, ok := data[k]; ok && isCount(v) {
				count = v
				break
			}
		}
	}
	return l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: td, PluralCount: count})
}

// Render returns the chat wording of id in lang. It never fails: an unknown id
// falls back to English, then to the id itself, so a missing message shows up
// in tests and logs rather than crashing a conversation.
func Render(lang, id string, data map[string]any) (s string) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("locales: render panicked", "id", id, "panic", r)
			s = id
		}
	}()
	out, err := Localize(lang, id, data)
	if err != nil {
		slog.Warn("locales: cannot render", "lang", lang, "id", id, "err", err)
		if out == "" {
			return id
		}
	}
	return out
}

// RenderSMS returns the "ID.sms" variant when there is one, else the chat wording.
func RenderSMS(lang, id string, data map[string]any) string {
	if Has(lang, id+".sms") {
		return Render(lang, id+".sms", data)
	}
	return Render(lang, id, data)
}
