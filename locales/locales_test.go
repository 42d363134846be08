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
// none (the chat wording then goes by SMS): English pure GSM-7 in one part,
// Hindi at most 134 characters (two UCS-2 parts).
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
		en := Render("en", id, data("en", id))
		if gsm, units, parts := gsm.Parts(en); !gsm || parts != 1 {
			t.Errorf("en %q: gsm=%v, %d septets, %d parts: %q", id, gsm, units, parts, en)
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
