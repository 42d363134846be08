package locales

import (
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
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
	if Has(lang, id+".sms") {
		id += ".sms"
	}
	return From(lang, id) + ":" + id
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
	Lang string   // en | hi | hi-Latn
	ID   string   // the message id rendered
	Text string   // the fixed text with {#var#} for each value
	Vars []string // the values' names, in order
	// Varies says how the fixed text would depend on the data ({{if}},
	// plural forms worded apart): such a message cannot be one template.
	Varies string
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
	"web.", "choice.", "choices", "gender.", "complexion.", "time.", "safe.", "lang.en", "lang.hi", "lang.hinglish",
	"menu.report", "menu.seen", "menu.found", "menu.lost", "menu.help", "menu.status", "field.", "value.",
	"core.ask.", "core.kind.", "core.state.", "core.status.item", "core.approve.item",
	"alerts.kind.", "alerts.status.", "alerts.state.", "alerts.gender.", "alerts.age", "alerts.button.",
	"alerts.alert.title", "alerts.alert.reasons", "alerts.alert.photos", "alerts.alert.photos.of",
	"alerts.alert.reply", "alerts.alert.reminder",
	"alerts.desk.candidate", "alerts.desk.candidates",
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

// SMSTemplates returns, as DLT templates sorted by name in every language,
// every SMS Talaash can send: each message that goes as an SMS of its own
// (not a Fragment), in its ".sms" wording where it has one; the Joined
// messages; and each message of asked, which a question may be asked with,
// with its choices line, named "lang:id+lang:choices.sms" as render.Reply
// names it. A message with a list value is listed for each number of
// variables it may go as (variants: "#2", "#3").
func SMSTemplates(asked ...string) []Template {
	var out []Template
	for _, lang := range Languages {
		for _, id := range IDsOf(lang) {
			base := strings.TrimSuffix(id, ".sms")
			if (base != id && Has(lang, base)) || Fragment(base) {
				continue // listed under its message, or never sent alone
			}
			if t, ok := template(lang, base); ok {
				out = append(out, variants(t)...)
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
				out = append(out, joins(" ", parts...)...)
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
				out = append(out, joins("\n", t, choices)...)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// joins are the templates of messages sent as one SMS, sep between their
// texts: one for each of their variants together.
func joins(sep string, ts ...Template) []Template {
	out := [][]Template{nil}
	for _, t := range ts {
		var next [][]Template
		for _, prefix := range out {
			for _, v := range variants(t) {
				next = append(next, append(append([]Template(nil), prefix...), v))
			}
		}
		out = next
	}
	js := make([]Template, len(out))
	for i, parts := range out {
		js[i] = join(sep, parts...)
	}
	return js
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
	rid := name[strings.IndexByte(name, ':')+1:]
	m := load().ids[lang][rid]
	if m == nil {
		return Template{}, false // not in lang: the other language's is listed
	}
	return fromMessage(name, lang, rid, m), true
}

// fromMessage is message m as the template name: its fixed text and values,
// and whether the fixed text varies with the data.
func fromMessage(name, lang, rid string, m *i18n.Message) Template {
	t := Template{Name: name, Lang: lang, ID: rid}
	for _, form := range []string{m.Other, m.One, m.Zero, m.Two, m.Few, m.Many} {
		if form == "" {
			continue
		}
		text, vars, ctl := fixed(form)
		switch {
		case t.Text == "" && t.Vars == nil:
			t.Text, t.Vars = text, vars
		case text != t.Text && t.Varies == "":
			t.Varies = "plural forms have different fixed text"
		}
		if ctl && t.Varies == "" {
			t.Varies = "fixed text depends on the data ({{if}}, {{range}}, ...)"
		}
	}
	return t
}

// fixed is one wording as a template's fixed text, the names of its values,
// and whether an action ({{if}}, {{range}}, ...) makes the text vary.
func fixed(text string) (string, []string, bool) {
	var vars []string
	ctl := false
	out := tmplVar.ReplaceAllStringFunc(text, func(v string) string {
		inner := tmplVar.FindStringSubmatch(v)[1]
		if control.MatchString(inner) {
			ctl = true
			return ""
		}
		if f := fieldRef.FindStringSubmatch(inner); f != nil {
			vars = append(vars, f[1])
		}
		return "{#var#}"
	})
	return out, vars, ctl
}

// fixedVars are values that must reach the person whole, so they cannot be
// shortened to DLTVarMax at send time, with the most characters each can have.
var fixedVars = map[string]int{
	"Ref": 20, "Missing": 20, "Sighting": 20, "Score": 3, "Max": 5, "PerMinute": 4,
	"N": 6, "Count": 6, "Page": 4, "Pages": 4, "Contact": 30, "Phone": 16,
}

// DLTProblems lists how a template breaks the DLT rules: a fixed text that
// varies with the data, a URL in it, two values side by side, a value that
// must go whole but can be longer than DLTVarMax. Other values are fitted to
// DLTVarMax when sent (FitDLT).
func DLTProblems(t Template) []string {
	var out []string
	if t.Varies != "" {
		out = append(out, t.Varies)
	}
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

// ListVars are values that are lists joined by ", ": the numbered choices, a
// summary's values, a record's description, the desk's lists. A DLT variable
// holds 30 characters, which such a list soon passes, so on a DLT route it goes
// as up to DLTListMax variables, whole items packed into each, with the ", "
// between them in the fixed text: the SMS reads the same, and no item is cut
// to fit another. The template for k > 1 variables is named with "#k" after
// the message ("en:choices.sms#2"; with two list values "#k.j").
var ListVars = map[string]bool{"Options": true, "Short": true, "Description": true, "Summary": true, "List": true, "Record": true,
	"MissingDesc": true, "SightingDesc": true}

// DLTListMax is the most variables a list value goes as; further items are
// left out, or, for choices, sent on in a continuation (choices.more).
const DLTListMax = 3

const listSep = ", "

// Chunks packs list value v into variables of at most DLTVarMax characters:
// its items (split at ", ") kept whole and in order, an item longer than a
// variable shortened a word at a time. Joined by ", " they are v again, but
// for the shortened items.
func Chunks(v string) []string {
	var out []string
	cur, n := "", 0
	for _, it := range strings.Split(v, listSep) {
		it = ShortenVar(strings.TrimSpace(it), DLTVarMax)
		l := utf8.RuneCountInString(it)
		switch {
		case l == 0:
		case n == 0:
			cur, n = it, l
		case n+len(listSep)+l <= DLTVarMax:
			cur, n = cur+listSep+it, n+len(listSep)+l
		default:
			out = append(out, cur)
			cur, n = it, l
		}
	}
	if n > 0 {
		out = append(out, cur)
	}
	return out
}

// listSuffix names a template by the number of variables each list value
// goes as, in order: "" when each goes as one, else "#k" for one list
// value, "#k.j" for two.
func listSuffix(counts []int) string {
	var parts []string
	more := false
	for _, k := range counts {
		parts = append(parts, strconv.Itoa(k))
		more = more || k > 1
	}
	if !more {
		return ""
	}
	return "#" + strings.Join(parts, ".")
}

// variants are t as registered for each number of variables (1 to
// DLTListMax) each of its list values may go as, named by listSuffix.
func variants(t Template) []Template {
	parts := strings.Split(t.Text, "{#var#}")
	var lists []int // indexes in t.Vars
	for i, v := range t.Vars {
		if ListVars[v] {
			lists = append(lists, i)
		}
	}
	if len(lists) == 0 || len(parts) != len(t.Vars)+1 {
		return []Template{t}
	}
	var out []Template
	counts := make([]int, len(lists))
	var expand func(n int)
	expand = func(n int) {
		if n < len(lists) {
			for k := 1; k <= DLTListMax; k++ {
				counts[n] = k
				expand(n + 1)
			}
			return
		}
		v := Template{Lang: t.Lang, ID: t.ID, Name: t.Name + listSuffix(counts), Varies: t.Varies}
		var text strings.Builder
		text.WriteString(parts[0])
		li := 0
		for i, name := range t.Vars {
			k := 1
			if li < len(lists) && lists[li] == i {
				k = counts[li]
				li++
			}
			for j := 1; j <= k; j++ {
				if j > 1 {
					text.WriteString(listSep)
				}
				text.WriteString("{#var#}")
				if k > 1 {
					v.Vars = append(v.Vars, name+strconv.Itoa(j))
				} else {
					v.Vars = append(v.Vars, name)
				}
			}
			text.WriteString(parts[i+1])
		}
		v.Text = text.String()
		out = append(out, v)
	}
	expand(0)
	return out
}

// FitDLT fits message id's data in lang to a DLT route: a list value packed
// into variables (Chunks, at most DLTListMax, the template named "#k" after
// them), any other value over DLTVarMax shortened a word at a time (but the
// refs and numbers of fixedVars, which the locales check keeps short). It
// returns the template's name, the data to render the SMS from, and the
// variables as sent.
func FitDLT(lang, id string, data map[string]any) (string, map[string]any, map[string]string) {
	name := SMSTemplate(lang, id)
	t, ok := template(lang, id)
	if !ok || len(data) == 0 {
		return name, data, TemplateVars(data)
	}
	fitted := make(map[string]any, len(data))
	maps.Copy(fitted, data)
	vars := map[string]string{}
	var counts []int
	for _, v := range t.Vars {
		val, ok := data[v]
		if !ok {
			if ListVars[v] {
				counts = append(counts, 1)
			}
			continue
		}
		s := fmt.Sprint(val)
		if ListVars[v] {
			cs := Chunks(s)
			cs = cs[:min(len(cs), DLTListMax)]
			counts = append(counts, max(len(cs), 1))
			if len(cs) > 1 {
				for i, c := range cs {
					vars[v+strconv.Itoa(i+1)] = c
				}
			} else {
				vars[v] = strings.Join(cs, "")
			}
			fitted[v] = strings.Join(cs, listSep)
			continue
		}
		if _, whole := fixedVars[v]; !whole && utf8.RuneCountInString(s) > DLTVarMax {
			s = ShortenVar(s, DLTVarMax)
			fitted[v] = s
		}
		vars[v] = s
	}
	return name + listSuffix(counts), fitted, vars
}
