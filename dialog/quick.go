package dialog

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"talaash"
)

var (
	seenW = set("seen", "saw", "see", "spotted", "sighted", "noticed", "dekha", "dekhi", "dekhe", "dekhaa", "dikha", "dikhi", "dikhe",
		"देखा", "देखी", "देखे", "दिखा", "दिखी", "दिखे", "dekhā")
	aloneW = set("alone", "crying", "lost", "roaming", "wandering", "begging", "akela", "akeli", "akele", "rota", "roti", "ro",
		"bhatak", "अकेला", "अकेली", "अकेले", "रोता", "रोती", "रो", "भटक", "भीख", "bheekh", "bhikh")
	missingW = set("missing", "lapata", "laapata", "लापता", "गुम", "gum", "gumshuda", "गुमशुदा", "kidnapped", "agwa", "अगवा",
		"kho", "खो", "khoya", "खोया", "khoyi", "खोई")
	dangerW = set("danger", "dangerous", "khatra", "khatre", "खतरा", "खतरे", "hurt", "injured", "bleeding", "blood", "ghayal", "घायल",
		"chot", "चोट", "kidnap", "kidnapping", "kidnapper", "agwa", "अगवा", "beating", "beaten", "pitai", "पिटाई", "maar", "मार",
		"unconscious", "behosh", "बेहोश", "trafficking", "trafficker", "emergency", "bachao", "बचाओ", "help!", "sick", "bimar", "बीमार")
	clothesW = set("shirt", "tshirt", "t-shirt", "frock", "dress", "pant", "pants", "jeans", "shorts", "nikar", "nikkar", "kurta",
		"kurti", "salwar", "suit", "uniform", "skirt", "sweater", "jacket", "topi", "cap", "chappal", "shoes", "kameez", "kamij",
		"banyan", "baniyan", "lehenga", "saree", "sari", "pajama", "payjama", "hoodie", "top", "half-pant", "halfpant",
		"शर्ट", "कमीज", "कमीज़", "फ्रॉक", "फ्राक", "ड्रेस", "पैंट", "जींस", "निकर", "कुर्ता", "सलवार", "सूट", "वर्दी", "स्वेटर",
		"जैकेट", "टोपी", "चप्पल", "जूते", "बनियान", "स्कर्ट", "पजामा", "टीशर्ट", "टी-शर्ट", "यूनिफॉर्म", "यूनिफार्म", "स्कूल")
	colourW = set("red", "blue", "green", "yellow", "pink", "white", "black", "grey", "gray", "brown", "orange", "purple", "maroon",
		"navy", "dark", "light", "lal", "laal", "neela", "neeli", "nila", "nili", "hara", "hari", "peela", "peeli", "pila", "pili",
		"gulabi", "safed", "kala", "kali", "bhura", "bhuri", "narangi", "baingani", "aasmani", "asmani", "school",
		"लाल", "नीला", "नीली", "नीले", "हरा", "हरी", "हरे", "पीला", "पीली", "पीले", "गुलाबी", "सफेद", "सफ़ेद", "काला", "काली", "काले",
		"भूरा", "भूरी", "नारंगी", "बैंगनी", "आसमानी", "धारीदार", "checked", "striped", "checkdar")
	marksW = set("mole", "til", "तिल", "scar", "nishan", "nishaan", "निशान", "birthmark", "daag", "दाग", "mark", "marks", "tattoo",
		"lasson", "lahsun", "burn", "jala", "जला", "cut", "kata", "कटा", "missing-tooth", "limp", "langda", "लंगड़ा", "squint")
	bodyW = set("left", "right", "cheek", "forehead", "chin", "neck", "hand", "arm", "leg", "foot", "face", "ear", "nose", "lip",
		"eye", "back", "knee", "wrist", "baayen", "bayen", "baen", "daayen", "dayen", "daen", "dahine", "gaal", "maatha", "matha",
		"माथे", "माथा", "गाल", "गर्दन", "हाथ", "पैर", "बाएं", "बाएँ", "दाएं", "दाएँ", "दाहिने", "बायें", "दायें")
	aboutW = set("about", "around", "approx", "approximately", "aged", "age", "umar", "umr", "उम्र", "उमर", "lagbhag", "लगभग",
		"karib", "kareeb", "qareeb", "करीब", "क़रीब", "takreeban", "taqriban", "तकरीबन")
	placeAfterW  = set("at", "near", "outside", "inside", "in", "on", "behind", "opposite", "from")
	placeBeforeW = set("par", "pe", "par.", "paas", "pass", "mein", "me", "pr", "पर", "पे", "पास", "में", "मे", "se", "से")
	placeW       = set("station", "stand", "chauraha", "crossing", "mandir", "temple", "masjid", "park", "bazaar", "bazar", "market", "ghat",
		"mall", "hospital", "school", "chowk", "gate", "road", "marg", "nagar", "colony", "bridge", "pul", "junction", "central",
		"स्टेशन", "स्टैंड", "चौराहा", "चौराहे", "मंदिर", "मस्जिद", "पार्क", "बाजार", "बाज़ार", "घाट", "मॉल", "अस्पताल", "स्कूल",
		"चौक", "गेट", "रोड", "मार्ग", "नगर", "कॉलोनी", "पुल", "सेंट्रल", "जंक्शन")
	fillerW = set("a", "an", "the", "is", "was", "and", "with", "who", "child", "kid", "i", "we", "have", "has", "just", "today",
		"now", "here", "there", "he", "she", "it", "his", "her", "years", "year", "old", "yrs", "yr", "saal", "sal", "wearing",
		"in", "of", "ek", "ki", "ka", "ke", "hai", "thi", "tha", "huyi", "hui", "hua", "baccha", "bachcha", "bachchi",
		"एक", "की", "का", "के", "है", "थी", "था", "हुई", "हुआ", "बच्चा", "बच्ची", "साल", "वर्ष", "पहने", "पहनी", "पहना", "pehne",
		"pehni", "pehna", "rahi", "raha", "रही", "रहा", "pe", "par", "पर", "me", "mein", "में", "को", "ko", "se", "से")
	reAgeNear = regexp.MustCompile(`(\d{1,2})\s*(?:-|to|se|से)\s*(\d{1,2})\s*(?:saal|sal|years?|yrs?|साल|वर्ष|y)\b`)
)

// Danger reports whether text says the child is hurt or in danger.
func Danger(text string) bool {
	ws := words(fold(text))
	if hasAny(ws, dangerW) {
		return true
	}
	f := " " + strings.Join(ws, " ") + " "
	for _, p := range []string{" le ja raha", " le ja rahe", " le ja rahi", " खींच ", " ले जा रहा", " ले जा रहे", " pull", " drag"} {
		if strings.Contains(f, p) {
			return true
		}
	}
	return false
}

// missingWords reports text that reads like a parent's "my child is missing".
func missingWords(text string) bool {
	return hasAny(words(fold(text)), missingW) && !hasAny(words(fold(text)), seenW)
}

// IsSighting reports whether one message describes a child someone saw: a
// "seen" word with something more, or a boy/girl seen alone or crying.
func IsSighting(text string) bool {
	ws := words(fold(text))
	if len(ws) < 2 {
		return false
	}
	if hasAny(ws, seenW) && !hasAny(ws, missingW) {
		return true
	}
	_, g := ParseGender(text)
	return g && hasAny(ws, aloneW) && len(ws) >= 3
}

// Extract reads what the dialog can from a free-text sighting: gender, age
// (or a range), clothes, marks and place. The core may pass the matcher's
// richer reader in Env.Extract instead.
func Extract(text string) talaash.Record {
	var r talaash.Record
	if g, ok := ParseGender(text); ok {
		r.Gender = g
	}
	f := spellDigits(fold(text))
	if m := reAgeNear.FindStringSubmatch(fold(ASCIIDigits(text))); m != nil {
		a, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[2], 64)
		if a > 0 && a < b && b <= MaxAge {
			setAge(&r, a, b)
		}
	}
	ws := strings.Fields(f)
	// A number next to "saal"/"about" is the age; failing that, a lone small
	// number that is not "2 ghante" or "3 din".
	for pass := 0; pass < 2; pass++ {
		if _, _, ok := r.Ages(); ok {
			break
		}
		for i, w := range ws {
			v, err := strconv.ParseFloat(strings.Trim(w, ".,"), 64)
			if err != nil || v <= 0 || v > MaxAge {
				continue
			}
			next, prev := "", ""
			if i+1 < len(ws) {
				next = strings.Trim(ws[i+1], ".,")
			}
			if i > 0 {
				prev = strings.Trim(ws[i-1], ".,")
			}
			strict := yearsW[next] || aboutW[prev]
			loose := !reAgo.MatchString(w+" "+next) && !monthsW[next] && !isWordNumber(text, i)
			if strict || (pass == 1 && loose) {
				setAge(&r, v, v)
				break
			}
		}
	}
	r.Clothes = phrases(text, clothesW, colourW)
	r.Marks = marksPhrase(text)
	r.Place = place(text)
	return r
}

// tokens splits text into words as written (case kept) with their folded forms.
func tokens(text string) (orig, folded []string) {
	orig = strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '-')
	})
	folded = make([]string, len(orig))
	for i, w := range orig {
		folded[i] = fold(w)
	}
	return orig, folded
}

// phrases finds each head word (a garment) with the modifiers (colours) just
// before or after it: "pink frock", "लाल कमीज़", "frock gulabi".
func phrases(text string, heads, mods map[string]bool) string {
	orig, f := tokens(text)
	var out []string
	used := make([]bool, len(f))
	for i := range f {
		if !heads[f[i]] {
			continue
		}
		lo := i
		for lo > 0 && mods[f[lo-1]] && !used[lo-1] {
			lo--
		}
		hi := i
		if lo == i && i+1 < len(f) && mods[f[i+1]] {
			hi = i + 1
		}
		for k := lo; k <= hi; k++ {
			used[k] = true
		}
		out = append(out, strings.Join(orig[lo:hi+1], " "))
	}
	return clip(strings.Join(out, ", "), maxField)
}

// marksPhrase keeps the words around a mark word ("mole on left cheek").
func marksPhrase(text string) string {
	orig, f := tokens(text)
	for i := range f {
		if marksW[f[i]] {
			lo, hi := max(0, i-3), min(len(f), i+4)
			return strings.Join(orig[lo:hi], " ")
		}
	}
	return ""
}

// isDescription reports words that describe the child, not the place.
func isDescription(w string) bool {
	if _, err := strconv.ParseFloat(w, 64); err == nil {
		return true
	}
	return maleW[w] || femaleW[w] || colourW[w] || clothesW[w] || seenW[w] || aloneW[w] || fillerW[w] || aboutW[w] ||
		yearsW[w] || monthsW[w] || dangerW[w] || numberWords[w] != "" || marksW[w] || bodyW[w]
}

// place finds where: the words after "at"/"near", or before "par"/"पर"/"में",
// or around a place word ("station", "चौराहा"), or what is left over.
func place(text string) string {
	// Cut at clause ends first, so "at X, crying" stops at the comma.
	clauses := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '.' || r == ';' || r == '।' || r == '|' })
	for _, c := range clauses {
		orig, f := tokens(c)
		for i := len(f) - 1; i >= 0; i-- {
			// "mole on left cheek": after a mark comes a body part, not a place.
			if placeAfterW[f[i]] && i+1 < len(f) && (i == 0 || !marksW[f[i-1]]) {
				var p []string
				for k := i + 1; k < len(f) && len(p) < 5; k++ {
					if isDescription(f[k]) && !placeW[f[k]] {
						break
					}
					p = append(p, orig[k])
				}
				if len(p) > 0 {
					return clip(strings.Join(p, " "), 100)
				}
			}
		}
	}
	for _, c := range clauses {
		orig, f := tokens(c)
		for i := range f {
			if placeBeforeW[f[i]] && i > 0 {
				var p []string
				for k := i - 1; k >= 0 && len(p) < 4; k-- {
					if isDescription(f[k]) && !placeW[f[k]] {
						break
					}
					p = append([]string{orig[k]}, p...)
				}
				if len(p) > 0 {
					return clip(strings.Join(p, " "), 100)
				}
			}
		}
	}
	for _, c := range clauses {
		orig, f := tokens(c)
		for i := range f {
			if placeW[f[i]] {
				lo := i
				for lo > 0 && !isDescription(f[lo-1]) && i-lo < 3 {
					lo--
				}
				hi := i
				for hi+1 < len(f) && placeW[f[hi+1]] {
					hi++
				}
				return clip(strings.Join(orig[lo:hi+1], " "), 100)
			}
		}
	}
	// "SEEN girl 6 pink frock Kanpur Central": the words left after the description.
	orig, f := tokens(text)
	var p []string
	for i := range f {
		if isDescription(f[i]) || placeBeforeW[f[i]] || placeAfterW[f[i]] {
			if len(p) > 0 {
				break
			}
			continue
		}
		p = append(p, orig[i])
	}
	if len(p) > 0 && len(p) <= 5 && hasLetters(strings.Join(p, ""), 3) {
		return strings.Join(p, " ")
	}
	return ""
}

// quickStart handles a one-message sighting: the record is saved at once and
// only the missing essentials (where, about how old) are asked for.
func (t *turn) quickStart() bool {
	if t.text == "" || !IsSighting(t.text) {
		return false
	}
	var r talaash.Record
	if t.env.Extract != nil {
		r = t.env.Extract(t.text)
	}
	own := Extract(t.text)
	if r.Gender == "" {
		r.Gender = own.Gender
	}
	if _, _, ok := r.Ages(); !ok {
		r.Age, r.AgeMin, r.AgeMax = own.Age, own.AgeMin, own.AgeMax
	}
	if r.Clothes == "" {
		r.Clothes = own.Clothes
	}
	if r.Marks == "" {
		r.Marks = own.Marks
	}
	if r.Place == "" {
		r.Place = own.Place
	}
	d := &talaash.Record{
		Kind: talaash.KindSighting, Text: clip(t.text, 1000),
		Gender: r.Gender, Age: r.Age, AgeMin: r.AgeMin, AgeMax: r.AgeMax, HeightCM: r.HeightCM,
		Complex: clip(r.Complex, maxField), Clothes: clip(r.Clothes, maxField), Marks: clip(r.Marks, maxField),
		Place: clip(r.Place, maxField), Lat: r.Lat, Lon: r.Lon, Name: clip(r.Name, maxName),
	}
	if at, ok := ParseTime(t.text, t.env.Now); ok {
		d.Time = at.UTC().Truncate(1e9)
	}
	if len(t.in.Photos) > 0 {
		d.Photos = append(d.Photos, t.in.Photos...)
	}
	if l := t.in.Location; l != nil {
		d.Lat, d.Lon = talaash.Num(l.Lat), talaash.Num(l.Lon)
	}
	if Danger(t.text) {
		d.Safe = "danger"
	}
	t.s.Draft, t.s.Ref, t.s.Editing = d, "", false
	t.res.Save = t.record()
	// The quick replies carry 1098 and 112 themselves; the separate emergency
	// message would cost an SMS a second part for the same numbers.
	if d.Safe == "danger" && !t.env.Caps.SMS() {
		t.emergency()
	}
	t.danger = true
	need := t.quickNeed()
	if need == "" {
		t.fire(evQuickPfx + "place")
		t.fire(evFinish)
		t.s.Draft = nil
		t.reply("quick.saved").Data = map[string]any{"Ref": ""}
		return true
	}
	t.reply("quick.thanks").Data = map[string]any{"Ref": ""}
	t.fire(evQuickPfx + need)
	t.ask()
	return true
}

// quickNeed names the first essential a one-message sighting lacks.
func (t *turn) quickNeed() string {
	d := t.draft()
	if d.Place == "" && (d.Lat == nil || d.Lon == nil) {
		return "place"
	}
	if _, _, ok := d.Ages(); !ok {
		return "age"
	}
	return ""
}

// quickNext saves the enriched sighting (same Ref) and asks for what is still missing.
func (t *turn) quickNext() {
	t.res.Save = t.record()
	switch need := t.quickNeed(); {
	case need == "age" && t.s.State == "quick.place":
		t.fire(evAnswer)
		t.ask()
	default:
		t.fire(evFinish)
		t.s.Draft = nil
		t.reply("quick.saved").Data = map[string]any{"Ref": t.s.Ref}
	}
}

// isWordNumber reports whether the i-th word was spelled out ("ek" = "a"):
// spelled numbers count as an age only next to "saal" or "about".
func isWordNumber(text string, i int) bool {
	ws := words(fold(text))
	return i < len(ws) && numberWords[ws[i]] != "" && !reNumber.MatchString(ws[i])
}
