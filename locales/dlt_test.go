package locales

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
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
	// Hinglish has no pages (desk, web): its count is checked below.
	for _, l := range Languages {
		if l != HiLatn && langs[l] != langs[Languages[0]] {
			t.Errorf("templates per language: %v", langs)
		}
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

// longValues are realistic values at their longest: long names, long
// places, long lists, in both scripts.
var longValues = map[string][]string{
	"Name":        {"Anjali Kumari Sharma Chaurasiya Devi", "अंजलि कुमारी शर्मा चौरसिया देवी"},
	"Place":       {"Chhatrapati Shivaji Maharaj Terminus, platform 4, near the ticket counter", "छत्रपति शिवाजी महाराज टर्मिनस, प्लेटफ़ॉर्म 4, टिकट खिड़की के पास"},
	"Options":     {"1 Missing child, 2 I saw a child, 3 Found child, 4 I am lost, 5 Help, 6 Police station, 7 Don't know", "1 गुम बच्चा, 2 बच्चा देखा, 3 मिला बच्चा, 4 मैं खो गया/गई, 5 मदद, 6 थाना, 7 पता नहीं"},
	"Short":       {"Anjali Kumari Sharma, 8, girl, red frock with yellow flowers, Moti Jheel", "अंजलि कुमारी शर्मा, 8, लड़की, पीले फूलों वाली लाल फ्रॉक, मोती झील"},
	"Description": {"Anjali Kumari Sharma, girl, 8y, red frock with yellow flowers, mole on left cheek, Moti Jheel Swaroop Nagar, 14Mar 09:30"},
	"Summary":     {"Anjali Kumari Sharma Chaurasiya, girl, 8 yrs, Chhatrapati Shivaji Maharaj Terminus"},
	"List":        {"K-4821-7/K-93017-4 87% 13h, K-4821-7/K-5512-3 64% 9h, K-4833-1/K-93101-4 58% 2h, K-4840-2/K-93200-1 51% 1h"},
}

const longDefault = "Kanpur Central railway station near platform number four and the bus stand"

// FitDLT leaves no variable of any SMS over 30 characters and cuts none
// inside a word, whatever the values, and names a template that is listed.
func TestFitDLTLongValues(t *testing.T) {
	listed := map[string]Template{}
	for _, tp := range SMSTemplates() {
		listed[tp.Name] = tp
	}
	n, longest := 0, ""
	for _, lang := range Languages {
		for _, id := range IDsOf(lang) {
			base := strings.TrimSuffix(id, ".sms")
			if (base != id && Has(lang, base)) || Fragment(base) {
				continue
			}
			tp, _ := template(lang, base)
			for variant := 0; variant < 2; variant++ {
				data := map[string]any{}
				for _, v := range tp.Vars {
					switch vs, ok := longValues[v]; {
					case fixedVars[v] > 0:
						data[v] = strings.Repeat("7", min(fixedVars[v], 8))
					case ok:
						data[v] = vs[variant%len(vs)]
					default:
						data[v] = longDefault
					}
				}
				name, fitted, vars := FitDLT(lang, base, data)
				lt, ok := listed[name]
				if !ok {
					t.Errorf("%s %s: FitDLT names %q, which sms-templates does not list", lang, base, name)
					continue
				}
				distinct := map[string]bool{}
				for _, v := range lt.Vars {
					distinct[v] = true
				}
				if len(vars) != len(distinct) {
					t.Errorf("%s: %d variables sent, %d registered (%v)", name, len(vars), len(lt.Vars), vars)
				}
				text := RenderSMS(lang, base, fitted)
				for k, v := range vars {
					n++
					if l := len([]rune(v)); l > len([]rune(longest)) {
						longest = v
					}
					if l := len([]rune(v)); l > DLTVarMax {
						t.Errorf("%s: variable %s is %d characters: %q", name, k, l, v)
					}
					if !strings.Contains(text, v) {
						t.Errorf("%s: variable %s %q is not in the SMS %q", name, k, v, text)
					}
					orig := strings.TrimRight(k, "0123456789")
					if _, ok := data[k]; ok {
						orig = k
					}
					words := map[string]bool{}
					for _, w := range strings.Fields(fmt.Sprint(data[orig])) {
						words[w] = true
						words[strings.TrimRight(w, ",")] = true
					}
					for _, w := range strings.Fields(v) {
						if !words[strings.TrimRight(w, ",")] {
							t.Errorf("%s: variable %s %q has %q, cut inside a word of %q", name, k, v, w, data[orig])
						}
					}
				}
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d variables checked", n)
	}
	t.Logf("%d variables checked; the longest, %d characters: %q", n, len([]rune(longest)), longest)
}

// A template whose fixed text depends on the data is refused: {{if}} and
// plural forms worded apart.
func TestDLTFixedTextVaries(t *testing.T) {
	for _, tc := range []struct {
		m    i18n.Message
		want string
	}{
		{i18n.Message{Other: "Case {{.Ref}} closed.{{if .Reason}} Reason: {{.Reason}}.{{end}}"}, "fixed text depends on the data"},
		{i18n.Message{One: "{{.Left}} more try", Other: "{{.Left}} more tries"}, "plural forms have different fixed text"},
		{i18n.Message{One: "Tries left: {{.Left}}", Other: "Tries left: {{.Left}}"}, ""},
		{i18n.Message{Other: "Case {{.Ref}} closed. Reason: {{.Reason}}."}, ""},
	} {
		got := strings.Join(DLTProblems(fromMessage("en:x", "en", "x", &tc.m)), "; ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%+v: %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestChunks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"1 Boy, 2 Girl", []string{"1 Boy, 2 Girl"}},
		{"1 Missing child, 2 I saw a child, 3 Found child, 4 I am lost, 5 Help",
			[]string{"1 Missing child", "2 I saw a child, 3 Found child", "4 I am lost, 5 Help"}},
		{"Chhatrapati Shivaji Maharaj Terminus platform 4, girl", []string{"Chhatrapati Shivaji Maharaj", "girl"}},
		{"", nil},
	} {
		got := Chunks(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Chunks(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Each list template is listed for 1..DLTListMax variables.
func TestListVariants(t *testing.T) {
	names := map[string]Template{}
	for _, tp := range SMSTemplates("report.confirm") {
		names[tp.Name] = tp
	}
	for _, lang := range Languages {
		tp, ok := names[lang+":report.confirm.sms#2+"+lang+":choices.sms#3"]
		if !ok {
			t.Fatalf("%s: no report.confirm.sms#2+choices.sms#3", lang)
		}
		if got := strings.Join(tp.Vars, ","); got != "Short1,Short2,Options1,Options2,Options3" || strings.Count(tp.Text, "{#var#}") != 5 {
			t.Errorf("%s: %s\n%s", tp.Name, got, tp.Text)
		}
		if _, ok := names[lang+":choices.more.sms#3"]; !ok {
			t.Errorf("%s: no continuation template", lang)
		}
	}
}
