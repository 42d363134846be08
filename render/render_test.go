package render_test

import (
	"strings"
	"testing"

	"talaash"
	"talaash/locales"
	"talaash/render"
)

var (
	buttons = talaash.Capabilities{Buttons: true}
	sms     = talaash.Capabilities{Encoding: talaash.EncodingSMS, PartsEn: 1, PartsHi: 2}
	plain   = talaash.Capabilities{}
)

func TestReplyByCapabilities(t *testing.T) {
	m := render.Message{ID: "choose_language", Inline: true, Ask: talaash.AskLocation,
		Choices: []render.Choice{{ID: "lang.hi", Data: "lang:hi"}, {ID: "lang.en", Data: "lang:en"}}}

	out := render.Reply(buttons, "chat", "7", "en", m)
	if out.Channel != "chat" || out.To != "7" || out.Text != locales.Render("en", "choose_language", nil) ||
		len(out.Choices) != 3 || out.Choices[0].Data != "location" || !out.Inline || out.Ask != talaash.AskLocation {
		t.Errorf("with buttons: %+v", out)
	}

	out = render.Reply(sms, "sms", "+91", "en", m)
	if len(out.Choices) != 0 || out.Ask != talaash.AskNone ||
		!strings.HasPrefix(out.Text, locales.RenderSMS("en", "choose_language", nil)+"\n") || !strings.Contains(out.Text, "1 ") {
		t.Errorf("SMS: %+v", out)
	}

	// Without buttons but with free encoding: the chat wording, numbered choices.
	out = render.Reply(plain, "wa", "+91", "en", m)
	if len(out.Choices) != 0 || !strings.HasPrefix(out.Text, locales.Render("en", "choose_language", nil)+"\n") {
		t.Errorf("plain: %+v", out)
	}
}

func TestFitsAndJoin(t *testing.T) {
	short, long := "That is not a number.", strings.Repeat("x", 150)
	if !render.Fits(sms, "en", short) || render.Fits(sms, "en", long+long) || render.Fits(sms, "en", "curly ’") {
		t.Error("English SMS: one GSM-7 part")
	}
	if !render.Fits(sms, "hi", strings.Repeat("क", 134)) || render.Fits(sms, "hi", strings.Repeat("क", 135)) {
		t.Error("Hindi SMS: two UCS-2 parts")
	}
	if !render.Fits(plain, "en", long+long+long) {
		t.Error("free encoding: anything fits")
	}
	outs := []talaash.Outbound{{To: "a", Text: short}, {To: "a", Text: "Age?"}, {To: "a", Text: long}}
	if got := render.Join(sms, "en", outs); len(got) != 2 || got[0].Text != short+"\nAge?" {
		t.Errorf("Join on SMS: %+v", got)
	}
	if got := render.Join(buttons, "en", outs); len(got) != 3 {
		t.Errorf("Join elsewhere changed the replies: %+v", got)
	}
}

func TestCut(t *testing.T) {
	text := strings.Repeat("line of the list\n", 30) + "OPEN 2"
	got := render.Cut(text, 2, true)
	if !strings.HasSuffix(got, "\n..\nOPEN 2") || !render.Fits(talaash.Capabilities{Encoding: talaash.EncodingSMS, PartsEn: 2}, "en", got) {
		t.Errorf("Cut kept %q", got)
	}
	if render.Cut("short", 1, false) != "short" {
		t.Error("Cut changed a text that fits")
	}
}
