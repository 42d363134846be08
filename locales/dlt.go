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

// Fragments are the messages that never go as an SMS of their own: page text,
// labels of choices and buttons (inside a choices line or on Telegram),
// words and lines that code puts inside another message (kinds, statuses,
// list lines), the parts of the chat alert (an SMS alert is
// alerts.alert.sms) and the choices line, which goes with its question.
// Each entry is an id or, ending in ".", a prefix.
var Fragments = []string{
	"web.", "choice.", "choices", "gender.", "complexion.", "time.", "safe.", "lang.en", "lang.hi",
	"menu.report", "menu.seen", "menu.found", "menu.lost", "menu.help", "menu.status", "field.", "value.",
	"core.ask.", "core.kind.", "core.state.", "core.status.item", "core.approve.item",
	"alerts.kind.", "alerts.status.", "alerts.state.", "alerts.gender.", "alerts.age", "alerts.button.",
	"alerts.alert.title", "alerts.alert.reasons", "alerts.alert.photos", "alerts.alert.photos.of",
	"alerts.alert.reply", "alerts.alert.reminder",
	"alerts.desk.candidate", "alerts.desk.candidates", "alerts.desk.no_candidates",
	"alerts.desk.open.line", "alerts.desk.open.header", "alerts.desk.open.more",
	"alerts.desk.matches.line", "alerts.desk.matches.header", "alerts.desk.matches.hint",
	"lost.choices",
}

// ChoicesLine is the id of the line of numbered choices that goes with
// message id on SMS: its flow's own ("lost.choices", in the words said to a
// child) where the flow has one, else "choices".
func ChoicesLine(lang, id string) string {
	if flow, _, ok := strings.Cut(id, "."); ok && Has(lang, flow+".choices.sms") {
		return flow + ".choices"
	}
	return "choices"
}

// Fragment reports whether message id (without ".sms") never goes as an
// SMS of its own.
func Fragment(id string) bool {
	for _, f := range Fragments {
		if id == f || (strings.HasSuffix(f, ".") && strings.HasPrefix(id, f)) {
			return true
		}
	}
	return false
}

// Joined are messages an SMS path sends as one SMS, in order, with a space
// between: the alert's reminder stands before the alert.
var Joined = [][]string{{"alerts.alert.reminder", "alerts.alert.sms"}}

// SMSTemplates returns, as DLT templates sorted by name in both languages,
// every SMS Talaash can send: each message that goes as an SMS of its own
// (not a Fragment), in its ".sms" wording where it has one; the Joined
// messages; and each message of asked, which a question may be asked with,
// with its choices line (the options as one value, Options), named
// "lang:id+lang:choices.sms" as render.Reply names it.
func SMSTemplates(asked ...string) []Template {
	var out []Template
	for _, lang := range Languages {
		for _, id := range IDsOf(lang) {
			base := strings.TrimSuffix(id, ".sms")
			if (base != id && Has(lang, base)) || Fragment(base) {
				continue // listed under its message, or never sent alone
			}
			if t, ok := template(lang, base); ok {
				out = append(out, t)
			}
		}
		for _, j := range Joined {
			var parts []Template
			for _, id := range j {
				if t, ok := template(lang, id); ok {
					parts = append(parts, t)
				}
			}
			if len(parts) == len(j) {
				out = append(out, join(" ", parts...))
			}
		}
		seen := map[string]bool{}
		for _, id := range asked {
			if seen[id] || !Has(lang, id) {
				continue
			}
			seen[id] = true
			choices, _ := template(lang, ChoicesLine(lang, id))
			if t, ok := template(lang, id); ok {
				out = append(out, join("\n", t, choices))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// join is the template of messages sent as one SMS, sep between their texts.
func join(sep string, ts ...Template) Template {
	j := Template{Lang: ts[0].Lang, ID: ts[0].ID}
	var names, texts []string
	for _, t := range ts {
		names, texts = append(names, t.Name), append(texts, t.Text)
		j.Vars = append(j.Vars, t.Vars...)
	}
	j.Name, j.Text = strings.Join(names, "+"), strings.Join(texts, sep)
	return j
}

// template is message id's SMS wording in lang as a DLT template.
func template(lang, id string) (Template, bool) {
	name := SMSTemplate(lang, id)
	rid := strings.TrimPrefix(name, lang+":")
	m := load().ids[lang][rid]
	if m == nil {
		return Template{}, false
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
	return t, true
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
