package locales

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// India's DLT rules register every commercial SMS as a template: fixed text
// with {#var#} where a value goes, each value at most DLTVarMax characters, no
// two values side by side, no URL that was not registered with it. Operators
// drop messages that match no registered template.

// DLTVarMax is the most characters one {#var#} may stand for.
const DLTVarMax = 30

// SMSTemplate names the template an SMS of message id renders from in lang:
// "lang:id", with the ".sms" wording where the message has one (RenderSMS
// renders that). Several messages sent as one SMS are named by their names
// joined with "+".
func SMSTemplate(lang, id string) string {
	lang = Lang(lang)
	if Has(lang, id+".sms") {
		id += ".sms"
	}
	return lang + ":" + id
}

// TemplateVars returns data as the strings the rendered text shows, for
// Outbound.Vars; nil for no data.
func TemplateVars(data map[string]any) map[string]string {
	if len(data) == 0 {
		return nil
	}
	out := make(map[string]string, len(data))
	for k, v := range data {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// ShortenVar cuts s to at most max characters a word at a time, never inside a
// word; a first word longer than max is all that is dropped to nothing, so a
// value is empty rather than cut mid-word. Trailing punctuation left by the
// cut goes too.
func ShortenVar(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	fields := strings.FieldsFunc(s, unicode.IsSpace)
	var b strings.Builder
	n := 0
	for _, f := range fields {
		l := utf8.RuneCountInString(f)
		if n > 0 {
			l++ // the space before it
		}
		if n+l > max {
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
		n += l
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool { return unicode.IsPunct(r) && r != ')' })
}

// Template is one SMS as a deployer registers it on a DLT portal.
type Template struct {
	Name string   // "lang:id", as SMSTemplate names it
	Lang string   // en | hi
	ID   string   // the message id rendered
	Text string   // the fixed text with {#var#} for each value
	Vars []string // the values' names, in order
}

var (
	tmplVar  = regexp.MustCompile(`\{\{-?\s*([^}]*?)\s*-?\}\}`)
	fieldRef = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`)
	control  = regexp.MustCompile(`^(if|else|end|range|with|define|template|block)\b`)
	urlLike  = regexp.MustCompile(`(?i)\b(https?://|www\.|t\.me/|bit\.ly/)|\b[a-z0-9-]+\.(com|in|org|net|io|gov\.in)\b`)
)

// SMSTemplates returns the SMS wording of every message in both languages as
// DLT templates, sorted by name: the ".sms" wording where a message has one,
// else the message itself (the SMS channel renders any message that way).
func SMSTemplates() []Template {
	var out []Template
	for _, lang := range Languages {
		for _, id := range IDsOf(lang) {
			if strings.HasSuffix(id, ".sms") && Has(lang, strings.TrimSuffix(id, ".sms")) {
				continue // listed under its message
			}
			name := SMSTemplate(lang, id)
			rid := strings.TrimPrefix(name, lang+":")
			m := load().ids[lang][rid]
			if m == nil {
				continue
			}
			text := m.Other
			if text == "" {
				text = m.One
			}
			t := Template{Name: name, Lang: lang, ID: rid}
			t.Text = tmplVar.ReplaceAllStringFunc(text, func(v string) string {
				inner := tmplVar.FindStringSubmatch(v)[1]
				if control.MatchString(inner) {
					return "" // {{if}}, {{end}}, ...: the text around it is fixed
				}
				if f := fieldRef.FindStringSubmatch(inner); f != nil {
					t.Vars = append(t.Vars, f[1])
				}
				return "{#var#}"
			})
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// fixedVars are values that must reach the person whole, so they cannot be
// shortened to DLTVarMax at send time, with the most characters each can have.
var fixedVars = map[string]int{
	"Ref": 20, "Missing": 20, "Sighting": 20, "Score": 3, "Max": 5, "PerMinute": 4,
	"N": 6, "Count": 6, "Page": 4, "Pages": 4, "Contact": 30, "Phone": 16,
}

// DLTProblems lists how a template breaks the DLT rules: a URL in the fixed
// text, two values side by side, a value that must go whole but can be longer
// than DLTVarMax. Other values are shortened to DLTVarMax when sent.
func DLTProblems(t Template) []string {
	var out []string
	if urlLike.MatchString(t.Text) {
		out = append(out, "contains a URL")
	}
	if rest := strings.Split(t.Text, "{#var#}"); len(rest) > 2 {
		for _, between := range rest[1 : len(rest)-1] {
			if strings.TrimSpace(between) == "" {
				out = append(out, "two variables side by side")
				break
			}
		}
	}
	for _, v := range t.Vars {
		if n, ok := fixedVars[v]; ok && n > DLTVarMax {
			out = append(out, fmt.Sprintf("variable %s can be %d characters, over %d", v, n, DLTVarMax))
		}
	}
	return out
}
