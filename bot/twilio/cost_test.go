package twilio

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"talaash/gsm"
	"talaash/locales"
)

// Every SMS Talaash sends is paid per part: English must be pure GSM-7 in one
// part (160), Hindi at most two UCS-2 parts (134). This test renders every
// message of package locales that can go by SMS, with realistic data, in both
// languages and fails on each breach.

// twoParts are messages allowed two parts in English too, and why.
var twoParts = map[string]string{
	"alerts.alert.sms": "the SMS match alert carries both records, a compact text within two parts",
	"alerts.record":    "a /case answer by SMS is a desk answer, clipped by package alerts to two parts",
}

// chatOnly are messages the code that sends them never sends by SMS, though
// their descriptions do not say so.
var chatOnly = map[string]string{
	"alerts.alert.title": "alerts.composeAlert uses it for Telegram and WhatsApp; SMS alerts are alerts.alert.sms",
}

// trimmed are messages whose data the sending code shortens until the whole
// fits; they are checked with the data cut to its bare minimum (the record
// heads), so the fixed wording itself must leave room.
var trimmed = map[string]map[string]any{
	"alerts.alert.sms": {
		"MissingTel": "+919876543210", "MissingDesc": "..",
		"SightingTel": "+919812345678", "SightingDesc": "..", "Kind": "SEEN",
	},
}

// sample is realistic template data: a reference as people will see it, names
// of about 20 characters, places of about 25.
var sample = map[string]map[string]any{
	"en": {
		"Ref": "K-4821-7", "Missing": "K-4821-7", "Sighting": "K-5190-3", "Case": "K-4821-7",
		"Example": "K-4821-7 K-5190-3",
		"Pairs":   "K-4821-7/K-5190-3, K-4821-7/K-6032-1",
		"Name":    "Anjali Kumari Sharma", "By": "SI Rakesh Kumar Yadav", "Guardian": "Ramesh Kumar Gupta",
		"Officer": "SI Rakesh Kumar Yadav",
		"Contact": "Ramesh Kumar Gupta 9876543210",
		"Phone":   "+919876543210",
		"Place":   "Moti Jheel, Swaroop Nagar", "Station": "Kotwali, Kanpur Nagar", "Where": "Moti Jheel, Swaroop Nagar",
		"Clothes": "red shirt, blue jeans", "Marks": "mole on left cheek", "Complexion": "wheatish",
		"Who": "girl, 6 yrs", "Gender": "girl", "Age": "8", "Summary": "girl 6 yrs, Moti Jheel",
		"Text":   "Seen boy about 8 yrs red shirt at Kanpur Central",
		"Reason": "child found with family", "Reasons": "red shirt; age 8; Kanpur Central",
		"MissingLine":  "MISSING K-4821-7 girl 6y pink frock Moti Jheel 9876543210",
		"SightingLine": "SEEN K-5190-3 girl 6y pink frock Kanpur Central 9812345678",
		"Time":         "14 Mar 2026, 9:30 am IST", "Date": "14 Mar", "When": "14 Mar 2026, 9:30 am IST",
		"Status": "open", "State": "confirmed", "Kind": "MISSING", "Lang": "English",
		"Score": 87, "Days": 14, "Hours": 3, "Count": 12, "Total": 48, "Page": 2, "Next": 3,
		"Max": MaxBody, "PerMinute": 20, "N": 3, "Minutes": 10,
	},
	"hi": {
		"Ref": "K-4821-7", "Missing": "K-4821-7", "Sighting": "K-5190-3", "Case": "K-4821-7",
		"Example": "K-4821-7 K-5190-3",
		"Pairs":   "K-4821-7/K-5190-3, K-4821-7/K-6032-1",
		"Name":    "अंजलि कुमारी शर्मा", "By": "एसआई राकेश कुमार यादव", "Guardian": "रमेश कुमार गुप्ता",
		"Officer": "एसआई राकेश कुमार यादव",
		"Contact": "रमेश कुमार गुप्ता 9876543210",
		"Phone":   "+919876543210",
		"Place":   "मोती झील, स्वरूप नगर, कानपुर", "Station": "कोतवाली, कानपुर नगर", "Where": "मोती झील, स्वरूप नगर, कानपुर",
		"Clothes": "लाल कमीज़, नीली जींस", "Marks": "बाएं गाल पर तिल", "Complexion": "गेहुआं",
		"Who": "लड़की, 6 साल", "Gender": "लड़की", "Age": "8", "Summary": "लड़की 6 साल, मोती झील",
		"Text":   "लड़की 6 साल गुलाबी फ्रॉक सेंट्रल स्टेशन पर देखी",
		"Reason": "बच्चा परिवार के साथ मिला", "Reasons": "लाल कमीज़; उम्र 8; कानपुर सेंट्रल",
		"MissingLine":  "MISSING K-4821-7 girl 6y pink frock Moti Jheel 9876543210",
		"SightingLine": "SEEN K-5190-3 girl 6y pink frock Kanpur Central 9812345678",
		"Time":         "14 मार्च 2026, सुबह 9:30 IST", "Date": "14 मार्च", "When": "14 मार्च 2026, सुबह 9:30 IST",
		"Status": "खुला", "State": "पुष्टि", "Kind": "लापता", "Lang": "हिंदी",
		"Score": 87, "Days": 14, "Hours": 3, "Count": 12, "Total": 48, "Page": 2, "Next": 3,
		"Max": MaxBody, "PerMinute": 20, "N": 3, "Minutes": 10,
	},
}

// Hinglish samples are the English ones but for what is worded in Hindi.
func init() {
	hl := maps.Clone(sample["en"])
	maps.Copy(hl, map[string]any{
		"Clothes": "laal kameez, neeli jeans", "Marks": "baayein gaal par til", "Complexion": "gehuan",
		"Who": "ladki, 6 saal", "Gender": "ladki", "Summary": "ladki 6 saal, Moti Jheel",
		"Text": "ladki 6 saal gulabi frock central station par dekhi", "Reason": "bachcha parivaar ke saath mila",
		"MissingLine":  "LAPATA K-4821-7 ladki 6 saal gulabi frock Moti Jheel 9876543210",
		"SightingLine": "DEKHA K-5190-3 ladki 6 saal gulabi frock Kanpur Central 9812345678",
		"Time":         "14 Mar 2026, subah 9:30 IST", "When": "14 Mar 2026, subah 9:30 IST",
		"Status": "khula", "State": "pakka hua", "Kind": "LAPATA", "Lang": "Hinglish",
	})
	sample[locales.HiLatn] = hl
}

// defaultSample fills a template field this test does not know: about the size
// of a name.
var defaultSample = map[string]string{"en": "sample value of 20ch", "hi": "बीस अक्षरों का नमूना", locales.HiLatn: "bees akshar ka namuna"}

// numeric matches field names that are counts or figures (TReported, MShare, ...).
var numeric = regexp.MustCompile(`(?i)(count|total|days|hours|minutes|score|reported|found|matched|reunited|share|median|page|next|num|max|per|left)`)

var fieldRe = regexp.MustCompile(`\.([A-Z][A-Za-z0-9_]*)`)
var actionRe = regexp.MustCompile(`{{[^}]*}}`)

type rawMessage struct{ Description, Other string }

// rawMessages reads the message files of package locales for the template
// text and descriptions (locales renders, but does not expose templates).
func rawMessages(t *testing.T) map[string]map[string]rawMessage {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "locales", "*.toml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no locale files found: %v", err)
	}
	out := map[string]map[string]rawMessage{}
	for _, f := range files {
		parts := strings.Split(filepath.Base(f), ".")
		if len(parts) < 3 {
			continue
		}
		lang := parts[len(parts)-2]
		var m map[string]rawMessage
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := toml.Decode(string(b), &m); err != nil {
			continue // not a flat message file: locales' own test reports broken files
		}
		if out[lang] == nil {
			out[lang] = map[string]rawMessage{}
		}
		for id, msg := range m {
			out[lang][id] = msg
		}
	}
	return out
}

// bySMS reports whether message id can be sent by SMS as it stands, and why
// not. A message with an "ID.sms" variant is checked through the variant;
// buttons, and messages whose description says Telegram or WhatsApp but not
// SMS, never go by SMS. A locale owner marks any other message that is never
// sent by SMS with "chat only" (or "not sent by SMS") in its description.
func bySMS(id string, all map[string]bool, desc string) (bool, string) {
	d := strings.ToLower(desc)
	switch {
	case strings.HasSuffix(id, ".sms") && all[strings.TrimSuffix(id, ".sms")]:
		return false, "an SMS variant, checked through its base id"
	case strings.HasSuffix(id, ".sms"):
		return true, "" // an SMS-only message
	case strings.Contains(d, "chat only") || strings.Contains(d, "not sent by sms"):
		return false, "marked chat only"
	case all[id+".sms"]:
		return true, "" // RenderSMS picks the variant
	case strings.Contains(id, ".button.") || strings.HasPrefix(d, "button") || strings.HasPrefix(d, "label of a button"):
		return false, "a Telegram button"
	case strings.Contains(d, "telegram") && !strings.Contains(d, "sms"):
		return false, "Telegram only"
	case strings.Contains(d, "whatsapp") && !strings.Contains(d, "sms"):
		return false, "WhatsApp only (chat-length)"
	}
	return true, ""
}

func TestSMSCost(t *testing.T) {
	if err := locales.Check(); err != nil {
		t.Fatalf("locales do not load: %v", err)
	}
	ids := locales.IDs()
	if len(ids) == 0 {
		t.Fatal("package locales has no messages")
	}
	all := map[string]bool{}
	for _, id := range ids {
		all[id] = true
	}
	raw := rawMessages(t)
	checked, skipped := 0, map[string]string{}
	var breaches []string
	for _, id := range ids {
		desc := raw["en"][id].Description
		if why := chatOnly[id]; why != "" {
			skipped[id] = why
			continue
		}
		if ok, why := bySMS(id, all, desc); !ok {
			skipped[id] = why
			continue
		}
		for _, lang := range locales.Languages {
			// A message Hinglish lacks renders in English.
			src := locales.From(lang, id)
			tmpl := raw[src][id].Other
			if v := id + ".sms"; all[v] {
				src = locales.From(lang, v)
				tmpl = raw[src][v].Other
			}
			data := map[string]any{}
			for _, action := range actionRe.FindAllString(tmpl, -1) {
				for _, f := range fieldRe.FindAllStringSubmatch(action, -1) {
					if v, ok := sample[src][f[1]]; ok {
						data[f[1]] = v
					} else if numeric.MatchString(f[1]) {
						data[f[1]] = 12
					} else {
						data[f[1]] = defaultSample[src]
					}
				}
			}
			full := locales.RenderSMS(lang, id, data)
			if cut, ok := trimmed[id]; ok {
				if enc, parts := gsm.Segments(full); parts > 2 {
					t.Logf("%s/%s: %s, %d parts before the sending code trims it", lang, id, enc, parts)
				}
				for k, v := range cut {
					data[k] = v
				}
			}
			text := locales.RenderSMS(lang, id, data)
			if text == id || text == id+".sms" || strings.Contains(text, "<no value>") {
				t.Errorf("%s/%s does not render with sample data: %q", lang, id, text)
				continue
			}
			checked++
			enc, parts := gsm.Segments(text)
			limit := 1
			if lang == "hi" || twoParts[id] != "" {
				limit = 2
			}
			switch {
			case lang != "hi" && enc != gsm.GSM7:
				breaches = append(breaches, breach(lang, id, text, "not GSM-7 (char "+nonGSM(text)+")"))
			case parts > limit:
				breaches = append(breaches, breach(lang, id, text, "too long"))
			}
		}
	}
	sort.Strings(breaches)
	for _, b := range breaches {
		t.Error(b)
	}
	var skip []string
	for id, why := range skipped {
		skip = append(skip, id+" ("+why+")")
	}
	sort.Strings(skip)
	t.Logf("checked %d renderings of %d ids; %d breaches; not sent by SMS as such: %s",
		checked, len(ids)-len(skipped), len(breaches), strings.Join(skip, ", "))
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

func breach(lang, id, text, what string) string {
	enc, parts := gsm.Segments(text)
	return lang + "/" + id + ": " + what + ": " + enc + ", " + itoa(gsm.Length(text)) + " units, " + itoa(parts) + " parts: " + strings.ReplaceAll(text, "\n", `\n`)
}

func nonGSM(text string) string {
	for _, r := range text {
		if !gsm.Is7(r) {
			return string(r)
		}
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestSMSCostCatches(t *testing.T) {
	// The check itself must catch what it is for.
	for _, tc := range []struct {
		text      string
		lang      string
		breaching bool
	}{
		{"Your case K-4821-7 is open.", "en", false},
		{"Your case K-4821-7 is open – police are searching.", "en", true}, // en dash
		{strings.Repeat("a", 161), "en", true},
		{strings.Repeat("क", 134), "hi", false},
		{strings.Repeat("क", 135), "hi", true},
	} {
		enc, parts := gsm.Segments(tc.text)
		limit := map[string]int{"en": 1, "hi": 2}[tc.lang]
		got := (tc.lang == "en" && enc != gsm.GSM7) || parts > limit
		if got != tc.breaching {
			t.Errorf("%q: breach %v, want %v", tc.text, got, tc.breaching)
		}
	}
}
