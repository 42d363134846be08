package locales

import (
	"strings"
	"testing"
)

// Every SMS Talaash can send must be registrable as a DLT template.
func TestSMSTemplatesDLT(t *testing.T) {
	ts := SMSTemplates()
	if len(ts) < 100 {
		t.Fatalf("only %d templates", len(ts))
	}
	langs := map[string]int{}
	for _, tp := range ts {
		langs[tp.Lang]++
		if strings.Contains(tp.Text, "{{") {
			t.Errorf("%s: template action left in %q", tp.Name, tp.Text)
		}
		if strings.Count(tp.Text, "{#var#}") < len(tp.Vars) {
			t.Errorf("%s: %d variables named, fewer {#var#}", tp.Name, len(tp.Vars))
		}
		if p := DLTProblems(tp); len(p) > 0 {
			t.Errorf("%s breaks the DLT rules: %s\n%s", tp.Name, strings.Join(p, "; "), tp.Text)
		}
	}
	if langs["en"] != langs["hi"] {
		t.Errorf("templates per language: %v", langs)
	}
	// Every SMS Hinglish has is registered in Hinglish too, under its own name.
	names := map[string]bool{}
	for _, tp := range ts {
		names[tp.Name] = true
	}
	n := 0
	for _, tp := range ts {
		if tp.Lang != "en" || From(HiLatn, tp.ID) != HiLatn {
			continue
		}
		n++
		if twin := strings.ReplaceAll(tp.Name, "en:", HiLatn+":"); !names[twin] {
			t.Errorf("%s has no Hinglish template %s", tp.Name, twin)
		}
	}
	if n < 100 || langs[HiLatn] != n {
		t.Errorf("%d Hinglish templates, %d English ones with a Hinglish wording", langs[HiLatn], n)
	}
}

func TestDLTProblems(t *testing.T) {
	for _, tc := range []struct {
		text string
		vars []string
		want string
	}{
		{"Your case {#var#} is open.", []string{"Ref"}, ""},
		{"See https://talaash.example.org/{#var#}", []string{"Ref"}, "contains a URL"},
		{"Visit www.talaash.in today", nil, "contains a URL"},
		{"Case {#var#} {#var#} open", []string{"Ref", "Kind"}, "two variables side by side"},
		{"Case {#var#}{#var#} open", []string{"Ref", "Kind"}, "two variables side by side"},
		{"Case {#var#}, kind {#var#}", []string{"Ref", "Kind"}, ""},
	} {
		got := strings.Join(DLTProblems(Template{Text: tc.text, Vars: tc.vars}), "; ")
		if got != tc.want {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
	fixedVars["TestLongFixed"] = 40
	defer delete(fixedVars, "TestLongFixed")
	if p := DLTProblems(Template{Text: "x {#var#}", Vars: []string{"TestLongFixed"}}); len(p) != 1 || !strings.Contains(p[0], "over 30") {
		t.Errorf("long fixed variable: %q", p)
	}
}

func TestShortenVar(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"red shirt", "red shirt"},
		{"boy about 8 in red shirt and blue jeans near Kanpur", "boy about 8 in red shirt and"},
		{"लाल कमीज़ और नीली जींस, कानपुर सेंट्रल स्टेशन के पास", "लाल कमीज़ और नीली जींस, कानपुर"},
		{"red, blue, green, yellow, orange, pink", "red, blue, green, yellow"},
		{"Supercalifragilisticexpialidocious!!", ""},
	} {
		got := ShortenVar(tc.in, DLTVarMax)
		if got != tc.want {
			t.Errorf("ShortenVar(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if n := len([]rune(got)); n > DLTVarMax {
			t.Errorf("ShortenVar(%q) is %d characters", tc.in, n)
		}
	}
}

func TestSMSTemplateName(t *testing.T) {
	if got := SMSTemplate("hi", "choices"); got != "hi:choices.sms" {
		t.Errorf("SMSTemplate(hi, choices) = %q", got)
	}
	if got := SMSTemplate("en-IN", "sms.too_long"); got != "en:sms.too_long" {
		t.Errorf("SMSTemplate(en-IN, sms.too_long) = %q", got)
	}
}
