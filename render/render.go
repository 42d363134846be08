// Package render turns what Talaash says — dialog replies, alerts, desk
// answers, notices — into what a channel can carry, driven by the channel's
// talaash.Capabilities and never by its name: buttons where it has them, else
// "Reply 1 X, 2 Y"; on SMS channels the shorter SMS wording (locale id +
// ".sms"), joined replies and texts kept within the parts a reply may cost,
// with Devanagari free text written in Latin letters where GSM-7 must hold;
// on a route of registered DLT templates, each message one template with its
// values fitted to the DLT limits.
package render

import (
	"maps"
	"strconv"
	"strings"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
)

// Text is message id in lang as channel c carries it: on SMS channels the
// SMS wording where there is one, else the chat wording.
func Text(c talaash.Capabilities, lang, id string, data map[string]any) string {
	if c.SMS() {
		return locales.RenderSMS(lang, id, data)
	}
	return locales.Render(lang, id, data)
}

// Choice is an option offered with a Message: the locale id of its label and
// what choosing it sends back.
type Choice struct {
	ID   string
	Data string
}

// Message is one reply by locale message id, not yet fitted to a channel.
type Message struct {
	ID      string
	Data    map[string]any
	Choices []Choice
	Inline  bool        // inline buttons (callbacks) rather than a reply keyboard
	Ask     talaash.Ask // a location or contact request, where the channel has the button
}

// Reply renders m in lang for channel (which carries c) to the address to:
// with buttons, the labels as buttons plus a request button for an Ask;
// without, one compact line of numbered choices under the text, with the
// short SMS labels ("Reply 1 Boy, 2 Girl").
func Reply(c talaash.Capabilities, channel, to, lang string, m Message) talaash.Outbound {
	out := talaash.Outbound{Channel: channel, To: to}
	if c.Buttons {
		out.Text = locales.Render(lang, m.ID, m.Data)
		for _, ch := range m.Choices {
			out.Choices = append(out.Choices, talaash.Choice{Label: locales.Render(lang, ch.ID, nil), Data: ch.Data})
		}
		out.Inline = m.Inline
		if m.Ask != talaash.AskNone {
			out.Ask = m.Ask
			has := false
			for _, ch := range out.Choices {
				has = has || ch.Data == string(m.Ask)
			}
			if !has {
				ask := talaash.Choice{Label: locales.Render(lang, "core.ask."+string(m.Ask), nil), Data: string(m.Ask)}
				out.Choices = append([]talaash.Choice{ask}, out.Choices...)
			}
		}
		return out
	}
	if c.Templates {
		return Replies(c, channel, to, lang, m)[0] // a message with many choices wants Replies
	}
	out.Text = Text(c, lang, m.ID, m.Data)
	out.Template, out.Vars = locales.SMSTemplate(lang, m.ID), locales.TemplateVars(m.Data)
	if len(m.Choices) > 0 {
		options := strings.Join(options(lang, m.Choices), ", ")
		line := locales.ChoicesLine(lang, m.ID)
		out.Text += "\n" + locales.RenderSMS(lang, line, map[string]any{"Options": options})
		// The choices line is part of the question's template
		// (locales.SMSTemplates lists it so), the options its last value.
		out.Template += "+" + locales.SMSTemplate(lang, line)
		out.Vars = joinVars(out.Vars, map[string]string{"Options": options})
	}
	return out
}

// options are the numbered SMS labels of choices: "1 Boy".
func options(lang string, choices []Choice) []string {
	opts := make([]string, len(choices))
	for i, ch := range choices {
		opts[i] = strconv.Itoa(i+1) + " " + locales.RenderSMS(lang, ch.ID, nil)
	}
	return opts
}

// Replies is Reply, but on a route that takes registered templates only
// (c.Templates), where it may take several messages: each value fitted to
// a DLT variable (locales.FitDLT), and the choices that do not go in the
// question's template — more than locales.DLTListMax variables of them, or
// more than the reply's parts — sent on, numbered on, in continuation
// messages (choices.more), each its own template.
func Replies(c talaash.Capabilities, channel, to, lang string, m Message) []talaash.Outbound {
	if !c.Templates || c.Buttons {
		return []talaash.Outbound{Reply(c, channel, to, lang, m)}
	}
	name, data, vars := locales.FitDLT(lang, m.ID, m.Data)
	out := talaash.Outbound{Channel: channel, To: to, Text: locales.RenderSMS(lang, m.ID, data), Template: name, Vars: vars}
	if len(m.Choices) == 0 {
		return []talaash.Outbound{out}
	}
	chunks := locales.Chunks(strings.Join(options(lang, m.Choices), ", "))
	n := min(len(chunks), locales.DLTListMax)
	first := withOptions(lang, "choices", out, chunks[:n])
	for n > 1 && !Fits(c, lang, first.Text) {
		n--
		first = withOptions(lang, "choices", out, chunks[:n])
	}
	outs := []talaash.Outbound{first}
	for rest := chunks[n:]; len(rest) > 0; {
		k := min(len(rest), locales.DLTListMax)
		outs = append(outs, withOptions(lang, "choices.more", talaash.Outbound{Channel: channel, To: to}, rest[:k]))
		rest = rest[k:]
	}
	return outs
}

// withOptions is out with the line of message id (choices, choices.more)
// naming the options chunks under its text, in its template.
func withOptions(lang, id string, out talaash.Outbound, chunks []string) talaash.Outbound {
	name, data, vars := locales.FitDLT(lang, id, map[string]any{"Options": strings.Join(chunks, ", ")})
	line := locales.RenderSMS(lang, id, data)
	if out.Text == "" {
		out.Text, out.Template, out.Vars = line, name, vars
		return out
	}
	out.Text += "\n" + line
	out.Template += "+" + name
	out.Vars = joinVars(out.Vars, vars)
	return out
}

// Notice is message id for one recipient outside a reply (an alert's
// follow-up, a notice to a family): its text for a channel that carries c,
// with the template and values an SMS route registers it by.
func Notice(c talaash.Capabilities, channel, to, lang, id string, data map[string]any) talaash.Outbound {
	if c.Templates {
		name, fitted, vars := locales.FitDLT(lang, id, data)
		return talaash.Outbound{Channel: channel, To: to, Text: locales.RenderSMS(lang, id, fitted), Template: name, Vars: vars}
	}
	return talaash.Outbound{Channel: channel, To: to, Text: Text(c, lang, id, data),
		Template: locales.SMSTemplate(lang, id), Vars: locales.TemplateVars(data)}
}

// Fits reports whether text may go as one reply in lang on a channel that
// carries c: on SMS channels an English or Hinglish reply must be GSM-7 within
// PartsEn parts, a Hindi one within PartsHi parts; other channels take any
// text.
func Fits(c talaash.Capabilities, lang, text string) bool {
	if !c.SMS() {
		return true
	}
	gsm7, _, parts := gsm.Parts(text)
	if locales.Lang(lang) == "hi" {
		return parts <= c.PartsHi
	}
	return gsm7 && parts <= c.PartsEn
}

// Join sends the replies of one turn ("That is not a number." and the question
// again) as one message wherever the joined text still fits, on SMS channels,
// where two messages cost as much as two parts. Replies are joined in order
// and only with their neighbours, so the question stays last. Other channels'
// replies are left as they are, and so are those of a route that takes
// registered templates only (c.Templates): each reply is its own template,
// where a joined text would match none.
func Join(c talaash.Capabilities, lang string, outs []talaash.Outbound) []talaash.Outbound {
	if !c.SMS() || c.Templates || len(outs) < 2 {
		return outs
	}
	joined := []talaash.Outbound{outs[0]}
	for _, o := range outs[1:] {
		last := &joined[len(joined)-1]
		if both := last.Text + "\n" + o.Text; last.To == o.To && Fits(c, lang, both) {
			// One SMS of two messages is registered as their two templates.
			last.Text = both
			last.Template, last.Vars = last.Template+"+"+o.Template, joinVars(last.Vars, o.Vars)
			continue
		}
		joined = append(joined, o)
	}
	return joined
}

// Cut shortens text to at most parts SMS parts, at a line end where it can,
// marking the cut with "..". With keepLast the last line (a hint or the next
// page's command, under a list) is kept and the list's end gives way.
func Cut(text string, parts int, keepLast bool) string {
	if _, _, p := gsm.Parts(text); p <= parts {
		return text
	}
	lines := strings.Split(text, "\n")
	tail := []string{}
	if keepLast && len(lines) > 2 {
		tail = lines[len(lines)-1:]
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 1 {
		lines = lines[:len(lines)-1]
		t := strings.Join(append(append(lines[:len(lines):len(lines)], ".."), tail...), "\n")
		if _, _, p := gsm.Parts(t); p <= parts {
			return t
		}
	}
	rs := []rune(text)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		if _, _, p := gsm.Parts(string(rs) + ".."); p <= parts {
			break
		}
	}
	return string(rs) + ".."
}

// joinVars merges the values of two messages sent as one SMS.
func joinVars(a, b map[string]string) map[string]string {
	if len(b) == 0 {
		return a
	}
	out := make(map[string]string, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}
