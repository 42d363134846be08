package dialog

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"talaash"
)

// ASCIIDigits turns Devanagari digits (०-९) into ASCII ones.
func ASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '०' && r <= '९' {
			return '0' + (r - '०')
		}
		return r
	}, s)
}

// fold prepares text for matching words: NFC (which splits ड़ into ड + nukta),
// lower case, no nukta, chandrabindu read as anusvara (हाँ = हां), ASCII digits.
func fold(s string) string {
	s = norm.NFC.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u093C': // nukta: people often leave it out
			return -1
		case r == '\u0901':
			return '\u0902'
		case r >= '०' && r <= '९':
			return '0' + (r - '०')
		case r == '\u200c' || r == '\u200d': // zero-width (non-)joiners
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return s
}

// words splits folded text into words; Devanagari vowel signs are marks, so
// they stay inside their word.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '.')
	})
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[fold(w)] = true
	}
	return m
}

func hasAny(ws []string, m map[string]bool) bool {
	for _, w := range ws {
		if m[strings.Trim(w, ".")] {
			return true
		}
	}
	return false
}

// numberWords are the numbers people spell out for a child's age or height.
var numberWords = map[string]string{}

func init() {
	groups := [][]string{
		{"0", "zero", "शून्य", "shunya"},
		{"1", "one", "एक", "ek"},
		{"2", "two", "दो", "do"},
		{"3", "three", "तीन", "teen", "tin"},
		{"4", "four", "चार", "char", "chaar"},
		{"5", "five", "पाँच", "पांच", "paanch", "panch", "panc"},
		{"6", "six", "छह", "छः", "छे", "छै", "chhah", "chhe", "che", "chah", "chhay", "chha"},
		{"7", "seven", "सात", "saat", "sat"},
		{"8", "eight", "आठ", "aath", "ath", "aat"},
		{"9", "nine", "नौ", "nau"},
		{"10", "ten", "दस", "das"},
		{"11", "eleven", "ग्यारह", "gyarah", "gyara", "gyaarah"},
		{"12", "twelve", "बारह", "barah", "bara", "baarah"},
		{"13", "thirteen", "तेरह", "terah", "tera"},
		{"14", "fourteen", "चौदह", "chaudah", "chauda"},
		{"15", "fifteen", "पंद्रह", "पन्द्रह", "pandrah", "pandra"},
		{"16", "sixteen", "सोलह", "solah", "sola"},
		{"17", "seventeen", "सत्रह", "satrah", "satra"},
		{"18", "eighteen", "अठारह", "atharah", "athara"},
	}
	for _, g := range groups {
		for _, w := range g[1:] {
			numberWords[fold(w)] = g[0]
		}
	}
}

// spellDigits replaces spelled numbers by digits, word by word.
func spellDigits(s string) string {
	ws := words(s)
	for i, w := range ws {
		if d, ok := numberWords[w]; ok {
			ws[i] = d
		}
	}
	return strings.Join(ws, " ")
}

var (
	reRange  = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:-|–|to|se|से|or|ya|या|/)\s*(\d+(?:\.\d+)?)`)
	reNumber = regexp.MustCompile(`\d+(?:\.\d+)?`)
	monthsW  = set("month", "months", "mahina", "mahine", "mahino", "maheene", "महीना", "महीने", "महीनों", "माह", "maah", "mo")
	yearsW   = set("year", "years", "yr", "yrs", "saal", "sal", "varsh", "baras", "साल", "वर्ष", "बरस", "y", "yo")
)

// MaxAge is the oldest age (years) the dialog accepts for a child, and the
// highest low end of a witness's range ("16-22" is a child's, "21-25" not).
const MaxAge = talaash.MaxAge

// Why an age was not taken.
const (
	ageUnread = "unread" // no age could be read: ask again
	ageAdult  = "adult"  // an age, but not a child's: say Talaash is for children
)

var reNegative = regexp.MustCompile(`(?:^|\s)[-−]\s*\d`)

// ParseAge reads a child's age: "8", "८", "8 saal", "आठ", "8 years", "about 8",
// "8-10" (a range), "6 months". lo == hi for a single age. A witness's range
// may end past childhood ("16-22") if it begins within it. What is returned
// is finite, lo > 0 or a range from 0, and hi at most talaash.MaxAgeGiven.
func ParseAge(s string) (lo, hi float64, ok bool) {
	lo, hi, why := readAgeText(s)
	return lo, hi, why == ""
}

// readAgeText is ParseAge that also says why an age was not taken.
func readAgeText(s string) (lo, hi float64, why string) {
	t := spellDigits(fold(s))
	raw := fold(ASCIIDigits(s))
	// Re-join a range the word split broke apart ("8-10" survives; "8 se 10" is rebuilt).
	for _, text := range []string{raw, t} {
		if m := reRange.FindStringSubmatch(text); m != nil {
			a, err1 := strconv.ParseFloat(m[1], 64)
			b, err2 := strconv.ParseFloat(m[2], 64)
			if err1 != nil || err2 != nil {
				continue
			}
			if a > b {
				a, b = b, a
			}
			switch {
			case a == b || b <= 0:
			case a > MaxAge && b <= talaash.MaxAgeGiven:
				return 0, 0, ageAdult
			case b > talaash.MaxAgeGiven:
				return 0, 0, ageUnread
			default:
				return a, b, ""
			}
		}
	}
	if reNegative.MatchString(raw) {
		return 0, 0, ageUnread // "-3" is no age, whatever the dash meant
	}
	ws := strings.Fields(t)
	for i, w := range ws {
		if !reNumber.MatchString(w) || reNumber.FindString(w) != w {
			continue
		}
		v, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return 0, 0, ageUnread
		}
		if i+1 < len(ws) && monthsW[ws[i+1]] {
			if v > talaash.MaxAgeGiven*12 {
				return 0, 0, ageUnread
			}
			v = float64(int(v*10/12)) / 10 // one decimal is plenty for months
			if v <= 0 && w != "0" && strings.Trim(w, "0.") != "" {
				v = 0.1
			}
		}
		switch {
		case v <= 0 || v > talaash.MaxAgeGiven:
			return 0, 0, ageUnread
		case v > MaxAge:
			return 0, 0, ageAdult
		}
		return v, v, ""
	}
	return 0, 0, ageUnread
}

var (
	maleW = set("boy", "boys", "male", "son", "ladka", "ladaka", "larka", "ladke", "larke", "ladka.", "beta", "bachcha", "baccha",
		"लड़का", "लडका", "लड़के", "बेटा", "बालक", "पुत्र", "लड़का", "कुमार", "he", "his", "chhora", "chora", "launda")
	femaleW = set("girl", "girls", "female", "daughter", "ladki", "ladaki", "larki", "ladkiyan", "beti", "bachchi", "bacchi",
		"लड़की", "लडकी", "बेटी", "बालिका", "पुत्री", "she", "her", "chhori", "chori", "kumari", "कुमारी")
)

// ParseGender reads boy/girl in English, Hindi and Hinglish: "male" or "female".
func ParseGender(s string) (string, bool) {
	t := strings.TrimSpace(fold(s))
	switch t {
	case "m", "b", "म":
		return "male", true
	case "f", "g":
		return "female", true
	}
	ws := words(t)
	m, f := hasAny(ws, maleW), hasAny(ws, femaleW)
	switch {
	case m && !f:
		return "male", true
	case f && !m:
		return "female", true
	}
	return "", false
}

var (
	yesW = set("yes", "y", "yeah", "yep", "ya", "ok", "okay", "haan", "han", "haa", "ha", "haanji", "hanji", "ji", "jee", "hn",
		"हाँ", "हां", "हा", "जी", "हाँजी", "sahi", "सही", "theek", "thik", "ठीक", "confirm", "correct", "true")
	noW = set("no", "n", "nope", "nahi", "nahin", "nai", "na", "nahi.", "mat", "नहीं", "नही", "ना", "मत", "false")
)

// ParseYesNo reads yes/no in English, Hindi and Hinglish; "ji nahi" is no.
func ParseYesNo(s string) (yes, ok bool) {
	ws := words(fold(s))
	if len(ws) == 0 || len(ws) > 4 {
		return false, false
	}
	if hasAny(ws, noW) {
		return false, true
	}
	if hasAny(ws, yesW) {
		return true, true
	}
	return false, false
}

// ParsePhone reads an Indian mobile number in any usual form into E.164.
func ParsePhone(s string) (string, error) {
	p, err := talaash.NormalizePhone(s)
	if err != nil {
		return "", err
	}
	if !talaash.IsIndianMobile(p) {
		return "", talaash.Errorf(talaash.EINVALID, "%s is not an Indian mobile number", talaash.MaskPhone(p))
	}
	return p, nil
}

var (
	reAgo    = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(minutes?|mins?|मिनट|minat|hours?|hrs?|hr|ghante|ghanta|ghnte|घंटे|घंटा|घण्टे|days?|din|दिन|weeks?|hafte|hafta|हफ्ते|हफ्ता)`)
	reDate   = regexp.MustCompile(`\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b`)
	reClock  = regexp.MustCompile(`(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?|baje|बजे|bje)`)
	reClock2 = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`)
	nowW     = set("now", "abhi", "abi", "अभी", "just", "turant", "अभी-अभी", "right")
	todayW   = set("today", "aaj", "aj", "आज", "tonight")
	yestW    = set("yesterday", "kal", "कल", "kal.")
	twoDaysW = set("parso", "parson", "परसों", "परसो")
	eveningW = set("evening", "shaam", "sham", "शाम", "afternoon", "dopahar", "dopehar", "दोपहर", "night", "raat", "rat", "रात")
	morningW = set("morning", "subah", "subha", "सुबह")
)

// ParseTime reads when something happened, relative to now: "now", "today",
// "yesterday", "aaj", "kal", "आज", "कल", "2 ghante pehle", "3 days ago",
// "12/06 5pm", "12/06/2025", "5 baje". Dates are day/month; times are IST. A
// time that would lie in the future is taken as the last such time before now.
func ParseTime(s string, now time.Time) (time.Time, bool) {
	t := spellDigits(fold(s))
	raw := fold(ASCIIDigits(s))
	ws := words(t)
	now = now.In(talaash.IST)
	if m := reAgo.FindStringSubmatch(t); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		unit := time.Hour
		switch {
		case strings.HasPrefix(m[2], "min") || m[2] == "मिनट":
			unit = time.Minute
		case strings.HasPrefix(m[2], "day") || m[2] == "din" || m[2] == "दिन":
			unit = 24 * time.Hour
		case strings.HasPrefix(m[2], "week") || strings.HasPrefix(m[2], "haft") || strings.HasPrefix(m[2], "हफ्त"):
			unit = 7 * 24 * time.Hour
		}
		d := time.Duration(v * float64(unit))
		if d < 0 || d > 20*365*24*time.Hour {
			return time.Time{}, false
		}
		return now.Add(-d), true
	}
	day := time.Time{}
	switch {
	case hasAny(ws, twoDaysW):
		day = now.AddDate(0, 0, -2)
	case hasAny(ws, yestW):
		day = now.AddDate(0, 0, -1)
	case hasAny(ws, todayW):
		day = now
	}
	explicitYear := false
	if m := reDate.FindStringSubmatch(raw); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y := now.Year()
		if m[3] != "" {
			y, _ = strconv.Atoi(m[3])
			if y < 100 {
				y += 2000
			}
			explicitYear = true
		}
		if mo < 1 || mo > 12 || d < 1 || d > 31 || y < now.Year()-20 {
			return time.Time{}, false
		}
		day = time.Date(y, time.Month(mo), d, 12, 0, 0, 0, talaash.IST)
		if day.Day() != d { // 31/02 and the like
			return time.Time{}, false
		}
		raw = strings.Replace(raw, m[0], " ", 1)
	}
	hour, minute, haveClock := -1, 0, false
	if m := reClock.FindStringSubmatch(raw); m != nil {
		hour, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			minute, _ = strconv.Atoi(m[2])
		}
		haveClock = true
		if strings.HasPrefix(m[3], "p") && hour < 12 {
			hour += 12
		} else if strings.HasPrefix(m[3], "a") && hour == 12 {
			hour = 0
		}
	} else if m := reClock2.FindStringSubmatch(raw); m != nil {
		hour, _ = strconv.Atoi(m[1])
		minute, _ = strconv.Atoi(m[2])
		haveClock = true
	}
	if haveClock && hour < 12 && hasAny(ws, eveningW) && !hasAny(ws, morningW) {
		// "shaam 5 baje" is 17:00; "raat 2 baje" stays 02:00.
		if !(hasAny(ws, set("raat", "rat", "रात", "night")) && hour < 5) {
			hour += 12
		}
	}
	if haveClock && (hour > 23 || minute > 59) {
		return time.Time{}, false
	}
	if day.IsZero() && !haveClock {
		if hasAny(ws, nowW) {
			return now, true
		}
		return time.Time{}, false
	}
	if day.IsZero() {
		day = now
	}
	out := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, talaash.IST)
	if haveClock {
		out = time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, talaash.IST)
	} else if day.Year() == now.Year() && day.YearDay() == now.YearDay() {
		out = now
	}
	if out.After(now.Add(5 * time.Minute)) {
		switch {
		case explicitYear:
			return time.Time{}, false
		case !reDate.MatchString(fold(ASCIIDigits(s))) && !hasAny(ws, todayW):
			out = out.AddDate(0, 0, -1) // "5pm" said in the morning: yesterday's
		case reDate.MatchString(fold(ASCIIDigits(s))):
			out = out.AddDate(-1, 0, 0) // "12/12" said in June: last December
		default:
			return time.Time{}, false
		}
	}
	if out.After(now.Add(5 * time.Minute)) {
		return time.Time{}, false
	}
	return out, true
}

var (
	reFeet   = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:feet|foot|ft|fit|fut|फुट|फ़ुट|'|′)\s*(?:(\d+(?:\.\d+)?)\s*(?:inches|inch|in|इंच|"|″)?)?`)
	reCM     = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:cm|cms|centimet(?:er|re)s?|सेमी|सेंटीमीटर)`)
	reMetres = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:m|meter|metre|mtr|मीटर)\b`)
)

// ParseHeight reads a height in centimetres from "120", "120 cm", "1.2 m",
// "4 feet 2 inch", "4'2", "चार फुट". Heights outside 40-200 cm are refused.
func ParseHeight(s string) (float64, bool) {
	t := spellDigits(fold(s))
	t = strings.ReplaceAll(t, " ' ", "'")
	raw := fold(ASCIIDigits(s))
	ok := func(v float64) (float64, bool) {
		v = float64(int(v + 0.5))
		if v < 40 || v > 200 {
			return 0, false
		}
		return v, true
	}
	for _, src := range []string{raw, t} {
		if m := reCM.FindStringSubmatch(src); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			return ok(v)
		}
		if m := reFeet.FindStringSubmatch(src); m != nil {
			f, _ := strconv.ParseFloat(m[1], 64)
			in := 0.0
			if m[2] != "" {
				in, _ = strconv.ParseFloat(m[2], 64)
			}
			return ok(f*30.48 + in*2.54)
		}
		if m := reMetres.FindStringSubmatch(src); m != nil {
			v, _ := strconv.ParseFloat(m[1], 64)
			return ok(v * 100)
		}
	}
	n := reNumber.FindAllString(t, -1)
	if len(n) != 1 {
		return 0, false
	}
	v, _ := strconv.ParseFloat(n[0], 64)
	switch {
	case v >= 2 && v <= 7: // "4" for a child's height means feet
		return ok(v * 30.48)
	case v > 0.4 && v <= 2.2 && strings.Contains(n[0], "."):
		return ok(v * 100)
	}
	return ok(v)
}

var hinglishW = set("hai", "hain", "tha", "thi", "ka", "ki", "ke", "ko", "par", "pe", "mein", "mai", "main", "saal", "sal", "ladka", "ladki",
	"dekha", "dekhi", "mera", "meri", "hamara", "kho", "gaya", "gayi", "gai", "bachcha", "bachchi", "rang", "kapde", "kameez",
	"lal", "laal", "neela", "neeli", "peela", "hara", "gulabi", "kala", "kali", "safed", "ro", "rahi", "raha", "nahi", "haan", "ji", "kaha", "kahan",
	"uska", "uski", "unka", "naam", "umar", "umr", "mujhe", "hamari", "aapka", "kya", "kab", "kitna", "kitni", "bhi", "aur", "wala", "wali",
	"baje", "shaam", "subah", "raat", "dopahar", "kal", "aaj", "abhi", "ghante", "pehle", "baad", "bachche", "beta", "beti", "pata",
	"theek", "thik", "nahin", "hoon", "hu", "mil", "rahe", "paas", "ghar", "kuch", "koi", "chahiye", "karo", "karein", "likho")

// Hinglish reports whether Latin-letter text reads as Hindi (two or more
// common Hindi words), so that it is answered in Hinglish.
func Hinglish(s string) bool {
	n := 0
	for _, w := range words(fold(s)) {
		if hinglishW[w] {
			n++
		}
	}
	return n >= 2
}
