package locales

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"talaash/gsm"

	"github.com/BurntSushi/toml"
)

// sample holds realistic template values, long enough to catch an SMS that
// would overflow once filled. Unknown keys get fallback.
var sample = map[string]map[string]any{
	"en": {
		"Ref":     "K-4821-7",
		"Options": "1 Report a missing child, 2 I saw a child alone, 3 I am lost, 4 Help",
		"Summary": "Name: Ravi Kumar\nAge: 8\nBoy/girl: Boy\nClothes: red shirt, blue jeans\nPlace: Kanpur Central\nTime: 12/06 17:00",
		"Short":   "Ravi Kumar, 8, Boy, red shirt, blue jeans, Kanpur Centr",
		"N":       2,
		"Name":    "Ravi Kumar",
	},
	"hi": {
		"Ref":     "K-4821-7",
		"Options": "1 गुम बच्चे की शिकायत, 2 मैंने अकेला बच्चा देखा, 3 मदद",
		"Summary": "नाम: रवि कुमार\nउम्र: 8\nलड़का/लड़की: लड़का\nकपड़े: लाल कमीज़, नीली जींस\nजगह: कानपुर सेंट्रल\nसमय: 12/06 17:00",
		"Short":   "रवि कुमार, 8, लड़का, लाल कमीज़, नीली जींस, कानपुर सें",
		"N":       2,
		"Name":    "रवि कुमार",
	},
	HiLatn: {
		"Ref":     "K-4821-7",
		"Options": "1 Laapata bachcha, 2 Bachcha dekha, 3 Main kho gaya/gayi, 4 Madad",
		"Summary": "Naam: Ravi Kumar\nUmar: 8\nLing: Ladka\nKapde: laal shirt, neeli jeans\nJagah: Kanpur Central\nSamay: 12 Jun, shaam 5:00 IST",
		"Short":   "Ravi Kumar, 8, Ladka, laal shirt, neeli jeans, Kanpur Centr",
		"N":       2,
		"Name":    "Ravi Kumar",
	},
}

// common are realistic values of keys other message files use.
var common = map[string]any{
	"Missing": "K-4821-7", "Sighting": "S-1093-2", "Score": "0.82", "Status": "open", "Kind": "missing",
	"Contact": "+919876543210", "Place": "Kanpur Central", "Station": "Kotwali", "Date": "12/06", "Time": "12/06 17:00",
	"By": "telegram:1234567", "Who": "SI Verma", "Age": "8", "Clothes": "red shirt", "Marks": "mole on cheek",
	"Complexion": "wheatish", "Hours": "2", "Days": "3", "Page": "2", "Count": "12", "Total": "240", "Max": "20", "Left": "3",
	// The SMS alert's descriptions are shortened by code until it fits: the
	// fixed wording must leave room for the heads alone.
	"MissingTel": "+919876543210", "SightingTel": "+919812345678", "MissingDesc": "..", "SightingDesc": "..",
}

// reNumeric matches keys that hold a count: TReported, MShare, MMedian.
var reNumeric = regexp.MustCompile(`^[TM][A-Z]`)

const fallback = "Kanpur Central"

var reKey = regexp.MustCompile(`\{\{[^}]*?\.([A-Za-z_][A-Za-z0-9_]*)`)

// data returns sample values for every key a message's template uses.
func data(lang, id string) map[string]any {
	d := map[string]any{}
	src := load().ids[lang][id]
	if src == nil {
		return d
	}
	for _, m := range reKey.FindAllStringSubmatch(src.Other+src.One+src.Few+src.Many, -1) {
		if v, ok := sample[lang][m[1]]; ok {
			d[m[1]] = v
		} else if v, ok := common[m[1]]; ok {
			d[m[1]] = v
		} else if reNumeric.MatchString(m[1]) {
			d[m[1]] = "12"
		} else {
			d[m[1]] = fallback
		}
	}
	return d
}

func TestLoads(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if len(IDs()) < 50 {
		t.Fatalf("only %d messages loaded", len(IDs()))
	}
}

func TestSameIDsInBothLanguages(t *testing.T) {
	en, hi := IDsOf("en"), IDsOf("hi")
	for _, id := range en {
		if !slices.Contains(hi, id) {
			t.Errorf("%q is in English but not in Hindi", id)
		}
	}
	for _, id := range hi {
		if !slices.Contains(en, id) {
			t.Errorf("%q is in Hindi but not in English", id)
		}
	}
}

func TestEveryMessageHasDescriptionAndRenders(t *testing.T) {
	for _, lang := range Languages {
		for _, id := range IDsOf(lang) {
			if strings.TrimSpace(Description(lang, id)) == "" {
				t.Errorf("%s %q has no description", lang, id)
			}
			out, err := Localize(lang, id, data(lang, id))
			if err != nil {
				t.Errorf("%s %q does not render: %v", lang, id, err)
				continue
			}
			if strings.TrimSpace(out) == "" || strings.Contains(out, "<no value>") {
				t.Errorf("%s %q renders badly: %q", lang, id, out)
			}
		}
	}
}

// TestHindiIsDevanagari keeps Hindi wordings in Hindi: a message of the dialog
// that is longer than a label must contain Devanagari.
func TestHindiIsDevanagari(t *testing.T) {
	for _, id := range dialogIDs(t) {
		out := Render("hi", id, data("hi", id))
		if !strings.ContainsFunc(out, func(r rune) bool { return r >= 0x0900 && r <= 0x097F }) && id != "lang.en" {
			t.Errorf("hi %q has no Devanagari: %q", id, out)
		}
	}
}

// dialogIDs lists the ids of dialog.en.toml: every one of them may be sent by SMS.
func dialogIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("dialog.en.toml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// TestSMSFits checks every ".sms" variant, and every dialog message that has
// none (the chat wording then goes by SMS): English and Hinglish pure GSM-7 in
// one part, Hindi at most 134 characters (two UCS-2 parts).
func TestSMSFits(t *testing.T) {
	ids := map[string]bool{}
	for _, id := range IDs() {
		if strings.HasSuffix(id, ".sms") {
			ids[id] = true
		}
	}
	for _, id := range dialogIDs(t) {
		if !strings.HasSuffix(id, ".sms") && !Has("en", id+".sms") {
			ids[id] = true
		}
	}
	if len(ids) < 50 {
		t.Fatalf("only %d SMS wordings checked", len(ids))
	}
	for id := range ids {
		for _, l := range []string{"en", HiLatn} {
			text := Render(l, id, data(From(l, id), id))
			if gsm, units, parts := gsm.Parts(text); !gsm || parts != 1 {
				t.Errorf("%s %q: gsm=%v, %d septets, %d parts: %q", l, id, gsm, units, parts, text)
			}
		}
		hi := Render("hi", id, data("hi", id))
		if n := len(utf16.Encode([]rune(hi))); n > 134 {
			t.Errorf("hi %q: %d characters (max 134): %q", id, n, hi)
		}
	}
}

func TestRenderFallbacks(t *testing.T) {
	if got := Render("hi", "no.such.message", nil); got != "no.such.message" {
		t.Errorf("unknown id: %q", got)
	}
	if got := Render("en", "emergency", nil); !strings.Contains(got, "1098") || !strings.Contains(got, "112") {
		t.Errorf("emergency: %q", got)
	}
	if got := Render("hi-IN", "menu.help", nil); got != "मदद" {
		t.Errorf("hi-IN falls back to hi: %q", got)
	}
	if got := RenderSMS("en", "help", nil); got == Render("en", "help", nil) {
		t.Errorf("RenderSMS should use help.sms")
	}
	if got := RenderSMS("en", "emergency", nil); got != Render("en", "emergency", nil) {
		t.Errorf("RenderSMS without .sms should use the chat wording: %q", got)
	}
	if got := Render("en", "report.saved", map[string]any{"Ref": "K-1-2"}); !strings.Contains(got, "K-1-2") {
		t.Errorf("Ref not filled: %q", got)
	}
	if !Has("hi", "menu") || Has("en", "no.such.message") {
		t.Error("Has is wrong")
	}
}

// hinglishParts are the message files Hinglish has: everything a chat user or
// an officer can receive. Pages (desk, web) fall back to English.
var hinglishParts = []string{"core", "dialog", "alerts", "sms"}

// messageFile reads one message file as id -> plural form -> template.
func messageFile(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]string
	if err := toml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, m := range raw {
		delete(m, "description")
		delete(m, "hash")
	}
	return raw
}

// vars are the template values a message uses, sorted and unique.
func vars(forms map[string]string) []string {
	var out []string
	for _, f := range forms {
		for _, m := range reKey.FindAllStringSubmatch(f, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

func pluralForms(forms map[string]string) []string {
	var out []string
	for f := range forms {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// TestEveryMessageInEveryLanguage: each id of NAME.en.toml is in NAME.hi.toml
// and, for the parts Hinglish has, in NAME.hi-Latn.toml, with the same
// template values and the same plural forms; and no file has an id English
// lacks.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	for _, part := range hinglishParts {
		en := messageFile(t, part+".en.toml")
		for _, lang := range []string{"hi", HiLatn} {
			name := part + "." + lang + ".toml"
			other := messageFile(t, name)
			for id, forms := range en {
				o, ok := other[id]
				if !ok {
					t.Errorf("%s: %q is missing", name, id)
					continue
				}
				if a, b := vars(forms), vars(o); !slices.Equal(a, b) {
					t.Errorf("%s %q uses %v, English %v", name, id, b, a)
				}
				if a, b := pluralForms(forms), pluralForms(o); !slices.Equal(a, b) {
					t.Errorf("%s %q has plural forms %v, English %v", name, id, b, a)
				}
			}
			for id := range other {
				if _, ok := en[id]; !ok {
					t.Errorf("%s: %q is not in %s.en.toml", name, id, part)
				}
			}
		}
	}
}

// TestHinglishIsGSM7: every Hinglish message is plain ASCII, so any SMS of it
// is GSM-7 (160 characters a part, not 70), even filled in. Only the button
// naming Hindi is in Devanagari: a language is named in its own script.
func TestHinglishIsGSM7(t *testing.T) {
	ids := IDsOf(HiLatn)
	if len(ids) < 300 {
		t.Fatalf("only %d Hinglish messages", len(ids))
	}
	for _, id := range ids {
		if id == "lang.hi" {
			continue
		}
		m := load().ids[HiLatn][id]
		for _, f := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if i := strings.IndexFunc(f, func(r rune) bool { return r > 0x7e || (r < 0x20 && r != '\n') }); i >= 0 {
				t.Errorf("%q is not plain ASCII at %q", id, f[i:])
			}
		}
		out := Render(HiLatn, id, data(HiLatn, id))
		if ok, _, _ := gsm.Parts(out); !ok {
			t.Errorf("%q is not GSM-7: %q", id, out)
		}
	}
}

func TestLang(t *testing.T) {
	for in, want := range map[string]string{
		"hi": "hi", "hi-IN": "hi", "HI": "hi", "hi-Latn": HiLatn, "hi-latn": HiLatn, "hi_Latn_IN": HiLatn,
		"Hinglish": HiLatn, "en": "en", "en-GB": "en", "": "en", "fr": "en",
	} {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Render("hi-latn", "report.name", nil); got != "Bachche ka naam kya hai?" {
		t.Errorf("Hinglish report.name: %q", got)
	}
	// A page's message falls back to English, under English's template name.
	if got, want := Render(HiLatn, "web.title", nil), Render("en", "web.title", nil); Has("en", "web.title") && got != want {
		t.Errorf("Hinglish page text %q, want English %q", got, want)
	}
	if From(HiLatn, "report.name") != HiLatn || From(HiLatn, "no.such.message") != "en" {
		t.Error("From is wrong")
	}
}
