package match

import (
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"talaash"
)

// This file rewords the development file the way another generator (or other
// witnesses) might write the same records, and scores the matcher on the
// rewording. The words and forms below are the test's own, not the
// vocabulary's: the test measures whether the matcher generalises, not
// whether it remembers lexicon.csv.

// rewrite changes one free-text field; rng is seeded per record and field.
type rewrite func(rng *rand.Rand, field, s string) string

// synonyms: words and phrases a witness may use for the same thing; any
// member of a group may be written for any other.
var synonyms = [][]string{
	{"shirt", "kameez", "kamij", "कमीज़", "shart", "कमीज", "kamiz", "शर्ट", "qamees"},
	{"trousers", "pants", "pajama", "पतलून", "pant", "patloon", "पैंट", "pent", "pyjama", "पाजामा", "lower"},
	{"frock", "dress", "फ्रॉक", "frok", "ड्रेस", "farak"},
	{"slippers", "chappal", "हवाई चप्पल", "chappals", "चप्पल", "hawai chappal", "chapal", "flip flops"},
	{"shoes", "joote", "जूते", "jute", "juta", "sneakers", "जूता"},
	{"jeans", "jeens", "जींस", "denim", "jeans pant", "जीन्स"},
	{"shorts", "half pant", "nikkar", "निक्कर", "हाफ पैंट", "nicker", "halfpant", "chaddi", "knickers"},
	{"tshirt", "t-shirt", "टीशर्ट", "टी-शर्ट", "tee", "t shirt", "tee shirt", "tishirt"},
	{"sweater", "swetar", "स्वेटर", "jersey", "sweatshirt", "jarsi"},
	{"kurta", "kurtaa", "कुर्ता", "कुरता", "kurtha"},
	{"cap", "topi", "टोपी", "topee"},
	{"skirt", "स्कर्ट", "iskirt", "iskart"},
	{"uniform", "school dress", "स्कूल ड्रेस", "vardi", "वर्दी", "school uniform", "school ki vardi"},
	{"salwar suit", "salwar kameez", "सलवार सूट", "suit", "सलवार कमीज़", "salvar suit"},
	{"maroon", "dark red", "कत्थई", "mehroon", "मैरून", "kathai"},
	{"red", "laal", "लाल", "lal", "surkh"},
	{"blue", "neela", "नीला", "nila", "neeli", "नीली", "blu"},
	{"green", "hara", "हरा", "hari", "हरी", "harra"},
	{"yellow", "peela", "पीला", "pila", "peeli", "पीली"},
	{"black", "kaala", "काला", "kala", "kaali", "काली"},
	{"white", "safed", "सफ़ेद", "safaid", "सफेद", "sufed"},
	{"orange", "narangi", "नारंगी", "kesari", "naranji", "orenge"},
	{"pink", "gulabi", "गुलाबी", "gulaabi"},
	{"grey", "gray", "ग्रे", "sleti", "स्लेटी", "saleti", "slaty"},
	{"brown", "bhura", "भूरा", "bhoora", "bhuri", "भूरी", "bhure"},
	{"mole", "til", "masa", "तिल", "massa", "मस्सा"},
	{"birthmark", "birth mark", "जन्म का निशान", "janam ka nishan", "janm nishan", "lehsun"},
	{"burn mark", "jale ka nishan", "जले का निशान", "burn scar", "jalne ka nishan"},
	{"cut mark", "kate ka nishan", "कटे का निशान", "cut scar", "taanke ka nishan"},
	{"scar", "daag", "दाग", "dag", "nishaan"},
	{"cheek", "gaal", "गाल", "gal"},
	{"chin", "thuddi", "ठुड्डी", "thodi", "ठोड़ी"},
	{"forehead", "matha", "माथा", "माथे", "maathe", "lalat"},
	{"neck", "gardan", "गर्दन", "gala"},
	{"hand", "haath", "हाथ", "hath"},
	{"arm", "baanh", "बांह", "baju", "बाजू", "bazu"},
	{"leg", "taang", "टांग", "pair", "पैर", "paon"},
	{"left", "baayan", "बाईं", "ulta", "baayen", "बाएं", "bayen", "left side", "बायें"},
	{"right", "daayan", "दाईं", "seedha", "daayen", "दाएं", "dahina", "दाहिने", "right side"},
	{"wheatish", "gehua", "गेहुआं", "gehuan", "गेहुँआ", "genhua", "gehuwa"},
	{"fair", "gora", "गोरा", "gori", "गोरी", "saaf rang"},
	{"dusky", "saanwla", "साँवला", "sanwla", "सांवला", "sanvla", "saawla"},
	{"dark", "kala", "pakka rang", "पक्का रंग", "dark skin"},
	{"glasses", "chashma", "चश्मा", "spectacles", "specs", "ainak"},
	{"limps", "langda ke chalta", "लंगड़ा कर चलता", "limping", "langdata hai"},
	{"stammers", "haklata", "हकलाता", "stutters", "haklaata hai"},
	{"broken tooth", "toota daant", "टूटा दांत", "tuta dant", "broken teeth"},
	{"boy", "ladka", "लड़का", "larka", "balak", "बालक"},
	{"girl", "ladki", "लड़की", "larki", "balika", "बालिका"},
	{"small", "chhota", "छोटा", "chota", "little"},
	{"seen", "dekha", "देखा", "spotted", "saw"},
}

// devanagari: whole-word Latin -> Devanagari for transliterating fields.
var devanagari = map[string]string{
	"red": "लाल", "laal": "लाल", "lal": "लाल", "blue": "नीला", "neela": "नीला", "neeli": "नीली", "nila": "नीला",
	"green": "हरा", "hara": "हरा", "hari": "हरी", "yellow": "पीला", "peela": "पीला", "peeli": "पीली", "pila": "पीला",
	"black": "काला", "kala": "काला", "kaala": "काला", "kali": "काली", "white": "सफेद", "safed": "सफेद", "safaid": "सफेद",
	"orange": "नारंगी", "narangi": "नारंगी", "pink": "गुलाबी", "gulabi": "गुलाबी", "grey": "ग्रे", "gray": "ग्रे", "sleti": "स्लेटी",
	"brown": "भूरा", "bhura": "भूरा", "bhoora": "भूरा", "maroon": "मैरून",
	"shirt": "शर्ट", "kameez": "कमीज़", "kamiz": "कमीज़", "tshirt": "टीशर्ट", "jeans": "जींस", "jeens": "जींस", "pants": "पैंट",
	"pant": "पैंट", "trousers": "पतलून", "patloon": "पतलून", "shorts": "निक्कर", "nikkar": "निक्कर", "half": "हाफ",
	"frock": "फ्रॉक", "frok": "फ्रॉक", "dress": "ड्रेस", "skirt": "स्कर्ट", "kurta": "कुर्ता", "kurtaa": "कुर्ता", "sweater": "स्वेटर",
	"swetar": "स्वेटर", "cap": "टोपी", "topi": "टोपी", "shoes": "जूते", "joote": "जूते", "jute": "जूते", "slippers": "चप्पल",
	"chappal": "चप्पल", "chappals": "चप्पल", "salwar": "सलवार", "suit": "सूट", "school": "स्कूल", "uniform": "वर्दी",
	"mole": "तिल", "til": "तिल", "birthmark": "जन्म का निशान", "burn": "जले", "jale": "जले", "cut": "कटे", "kate": "कटे",
	"mark": "का निशान", "nishan": "निशान", "scar": "दाग", "cheek": "गाल", "gaal": "गाल", "gal": "गाल", "chin": "ठुड्डी",
	"thuddi": "ठुड्डी", "forehead": "माथे", "matha": "माथा", "mathe": "माथे", "neck": "गर्दन", "gardan": "गर्दन",
	"hand": "हाथ", "haath": "हाथ", "hath": "हाथ", "arm": "बांह", "baanh": "बांह", "baju": "बाजू", "leg": "टांग",
	"taang": "टांग", "pair": "पैर", "left": "बाएं", "baayen": "बाएं", "bayen": "बायें", "right": "दाएं", "daayen": "दाएं",
	"dahine": "दाहिने", "on": "पर", "par": "पर", "and": "और", "aur": "और", "ka": "का", "ki": "की", "hai": "है",
	"wheatish": "गेहुआं", "gehua": "गेहुआं", "gehuan": "गेहुँआ", "fair": "गोरा", "gora": "गोरा", "gori": "गोरी",
	"dusky": "साँवला", "saanwla": "साँवला", "sanwla": "सांवला", "sanvli": "सांवली", "dark": "पक्का रंग", "glasses": "चश्मा",
	"chashma": "चश्मा", "spectacles": "चश्मा", "limps": "लंगड़ाता है", "stammers": "हकलाता है", "haklata": "हकलाता",
	"broken": "टूटा", "toota": "टूटा", "tooth": "दांत", "daant": "दांत", "boy": "लड़का", "ladka": "लड़का", "girl": "लड़की",
	"ladki": "लड़की", "small": "छोटा", "chhota": "छोटा", "chhoti": "छोटी", "years": "साल", "yrs": "साल", "saal": "साल",
	"about": "करीब", "karib": "करीब", "age": "उम्र", "umar": "उम्र", "seen": "देखा", "dekha": "देखा", "saw": "देखा",
	"at": "पर", "near": "के पास", "a": "एक", "ek": "एक", "wears": "पहनता है", "station": "स्टेशन", "railway": "रेलवे",
	"bus": "बस", "stand": "स्टैंड", "nagar": "नगर", "mila": "मिला", "found": "मिला",
}

// latinOf: the test's own Devanagari -> Latin letters, written the way
// people type Hinglish, varying long vowels (aa/a, ee/i, oo/u) by rng.
var latinCons = map[rune]string{
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'च': "ch", 'छ': "chh", 'ज': "j", 'झ': "jh", 'ट': "t", 'ठ': "th",
	'ड': "d", 'ढ': "dh", 'ण': "n", 'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n", 'प': "p", 'फ': "ph",
	'ब': "b", 'भ': "bh", 'म': "m", 'य': "y", 'र': "r", 'ल': "l", 'व': "v", 'श': "sh", 'ष': "sh", 'स': "s", 'ह': "h",
}
var latinVowel = map[rune][2]string{ // independent / matra: [long spelling, short spelling]
	'अ': {"a", "a"}, 'आ': {"aa", "a"}, 'इ': {"i", "i"}, 'ई': {"ee", "i"}, 'उ': {"u", "u"}, 'ऊ': {"oo", "u"},
	'ए': {"e", "e"}, 'ऐ': {"ai", "ai"}, 'ओ': {"o", "o"}, 'औ': {"au", "ou"}, 'ऑ': {"o", "o"},
	'ा': {"aa", "a"}, 'ि': {"i", "i"}, 'ी': {"ee", "i"}, 'ु': {"u", "u"}, 'ू': {"oo", "u"}, 'े': {"e", "e"},
	'ै': {"ai", "e"}, 'ो': {"o", "o"}, 'ौ': {"au", "ou"}, 'ॉ': {"o", "o"},
}

func latinOf(rng *rand.Rand, w string) string {
	long := rng.IntN(2) == 0
	vowel := func(v [2]string) string {
		if long {
			return v[0]
		}
		return v[1]
	}
	// syllables: a consonant (or none) with its vowel; inherent marks the
	// unwritten "a" that Hindi may leave unspoken
	type syl struct {
		c, v     string
		inherent bool
		nasal    bool
	}
	var ss []syl
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r < 0x0900 || r > 0x097F:
			ss = append(ss, syl{c: string(r)})
		case r >= '०' && r <= '९':
			ss = append(ss, syl{c: string('0' + r - '०')})
		case latinCons[r] != "":
			c := latinCons[r]
			if i+1 < len(rs) && rs[i+1] == '़' {
				switch r {
				case 'ज':
					c = "z"
				case 'फ':
					c = "f"
				case 'ड':
					c = "d" // ड़: people type d (ladka)
				}
				i++
			}
			ss = append(ss, syl{c: c, v: "a", inherent: true})
		case r == '्' && len(ss) > 0:
			ss[len(ss)-1].v, ss[len(ss)-1].inherent = "", false
		case (r == 'ं' || r == 'ँ') && len(ss) > 0:
			ss[len(ss)-1].nasal = true
		default:
			if v, ok := latinVowel[r]; ok {
				if r >= 'ा' && len(ss) > 0 && ss[len(ss)-1].inherent {
					ss[len(ss)-1].v, ss[len(ss)-1].inherent = vowel(v), false
				} else {
					ss = append(ss, syl{v: vowel(v)})
				}
			}
		}
	}
	// schwa deletion: at the end of a word, and between a spoken vowel and
	// a syllable with a vowel (ladka, not ladaka)
	for k := range ss {
		s := &ss[k]
		if !s.inherent || s.nasal || k == 0 {
			continue
		}
		if k == len(ss)-1 || ss[k-1].v != "" && ss[k+1].v != "" {
			s.v = ""
		}
	}
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.c + s.v)
		if s.nasal {
			b.WriteString("n")
		}
	}
	return b.String()
}

var wordRE = regexp.MustCompile(`[\p{L}\p{M}\p{N}]+(?:[-'][\p{L}\p{M}\p{N}]+)*`)

// words applies f to every word of s, keeping the separators.
func words(s string, f func(w string) string) string {
	return wordRE.ReplaceAllStringFunc(s, f)
}

func deva(s string) bool {
	for _, r := range s {
		if r >= 0x0900 && r <= 0x097F {
			return true
		}
	}
	return false
}

// rwTranslit writes a whole field in the other script: Devanagari as
// Hinglish, Latin words it knows in Devanagari (others stay Latin).
func rwTranslit(rng *rand.Rand, field, s string) string {
	if deva(s) {
		return words(s, func(w string) string { return latinOf(rng, w) })
	}
	if field == "name" {
		return s
	}
	return words(s, func(w string) string {
		if d, ok := devanagari[strings.ToLower(w)]; ok {
			return d
		}
		return w
	})
}

// rwSpelling varies Latin spellings: aa/a, ee/i, oo/u, w/v, sh/s, z/j,
// doubled consonants, dropped inner vowels.
func rwSpelling(rng *rand.Rand, field, s string) string {
	swaps := [][2]string{{"aa", "a"}, {"ee", "i"}, {"oo", "u"}, {"w", "v"}, {"v", "w"}, {"sh", "s"}, {"z", "j"},
		{"i", "ee"}, {"u", "oo"}, {"ph", "f"}, {"kh", "k"}, {"a", "aa"}}
	return words(s, func(w string) string {
		if deva(w) || len(w) < 3 || unicode.IsDigit(rune(w[0])) || rng.IntN(3) == 0 {
			return w
		}
		switch rng.IntN(4) {
		case 0, 1:
			sw := swaps[rng.IntN(len(swaps))]
			if i := strings.Index(w[1:], sw[0]); i >= 0 {
				return w[:i+1] + sw[1] + w[i+1+len(sw[0]):]
			}
		case 2: // double a consonant
			i := 1 + rng.IntN(len(w)-1)
			if !strings.ContainsRune("aeiouAEIOU", rune(w[i])) {
				return w[:i] + w[i:i+1] + w[i:]
			}
		case 3: // drop an inner vowel
			for i := 1; i < len(w)-1; i++ {
				if strings.ContainsRune("aeiou", rune(w[i])) && rng.IntN(2) == 0 {
					return w[:i] + w[i+1:]
				}
			}
		}
		return w
	})
}

// synIndex maps each lower-case synonym (one to three words) to its group.
var synIndex = func() map[string]int {
	m := map[string]int{}
	for g, ws := range synonyms {
		for _, w := range ws {
			if _, dup := m[w]; !dup {
				m[w] = g
			}
		}
	}
	return m
}()

// rwSynonyms replaces known words and phrases by another of their group.
func rwSynonyms(rng *rand.Rand, field, s string) string {
	if field == "name" {
		return s
	}
	locs := wordRE.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for i := 0; i < len(locs); {
		done := false
		for n := 3; n >= 1 && !done; n-- {
			if i+n > len(locs) {
				continue
			}
			phrase := strings.ToLower(s[locs[i][0]:locs[i+n-1][1]])
			g, ok := synIndex[phrase]
			if !ok || strings.Count(phrase, " ") != n-1 {
				continue
			}
			b.WriteString(s[last:locs[i][0]])
			b.WriteString(synonyms[g][rng.IntN(len(synonyms[g]))])
			last = locs[i+n-1][1]
			i += n
			done = true
		}
		if !done {
			i++
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// rwOrder puts a colour after its garment ("shirt red") and shuffles the
// comma-separated parts of clothes and marks.
func rwOrder(rng *rand.Rand, field, s string) string {
	if field == "name" || field == "place" {
		return s
	}
	if field == "clothes" || field == "marks" {
		parts := strings.Split(s, ",")
		rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		for i, p := range parts {
			f := strings.Fields(p)
			if len(f) == 2 && field == "clothes" {
				f[0], f[1] = f[1], f[0]
			}
			parts[i] = strings.Join(f, " ")
		}
		return strings.Join(parts, ", ")
	}
	return s
}

// rwInflect changes Hindi adjective endings (नीला/नीली/नीले/नीलें, neela/neeli/neele).
func rwInflect(rng *rand.Rand, field, s string) string {
	deva := []string{"ा", "ी", "े", "ें"}
	latin := []string{"a", "i", "e", "ey"}
	return words(s, func(w string) string {
		if _, ok := synIndex[strings.ToLower(w)]; !ok || rng.IntN(2) == 0 || field == "name" {
			return w
		}
		for _, e := range deva {
			if base, ok := strings.CutSuffix(w, e); ok && len([]rune(base)) >= 2 {
				return base + deva[rng.IntN(len(deva))]
			}
		}
		// Latin: Hinglish adjectives only (neela, kaali), not English words
		if !strings.HasSuffix(w, "aa") && len(w) >= 4 && strings.ContainsAny(w[len(w)-1:], "ai") {
			for _, e := range latin[:2] {
				if base, ok := strings.CutSuffix(w, e); ok && strings.ContainsAny(base[len(base)-1:], "lrdtn") {
					return base + latin[rng.IntN(len(latin))]
				}
			}
		}
		return w
	})
}

// rwAbbrev writes units of age in other forms.
func rwAbbrev(rng *rand.Rand, field, s string) string {
	units := []string{"yrs", "y", "saal", "sal", "वर्ष", "बरस", "yr", "years", "baras", "sala", "varsh"}
	return words(s, func(w string) string {
		switch strings.ToLower(w) {
		case "years", "yrs", "saal", "साल", "वर्ष", "year":
			return units[rng.IntN(len(units))]
		}
		return w
	})
}

// rwTypo swaps or drops one letter of a longer word.
func rwTypo(rng *rand.Rand, field, s string) string {
	return words(s, func(w string) string {
		rs := []rune(w)
		if len(rs) < 5 || rng.IntN(3) != 0 || unicode.IsDigit(rs[0]) {
			return w
		}
		i := 1 + rng.IntN(len(rs)-2)
		if rng.IntN(2) == 0 {
			rs[i], rs[i+1] = rs[i+1], rs[i]
			return string(rs)
		}
		return string(append(rs[:i:i], rs[i+1:]...))
	})
}

// places: aliases and misspellings of the gazetteer's places, the test's own.
var placeAliases = map[string][]string{
	"kanpur central railway station": {"Kanpur Central stn", "Central Railway Station Kanpur", "Kanpur Centrl", "कानपुर सेन्ट्रल", "Kanpur railway station"},
	"कानपुर सेंट्रल स्टेशन":          {"कानपुर सेन्ट्रल", "कानपुर सेंट्रल रेलवे स्टेशन", "Kanpur Central stn"},
	"jhakarkati bus stand":           {"Jhakarkatti bus adda", "Jhakarkati busstand", "Jhakarkathi", "झकरकटी बस स्टैंड"},
	"झकरकटी बस अड्डा":                {"झकरकटी बस स्टैंड", "Jhakar Katti bus stand", "झकरकटी"},
	"kidwai nagar":  {"Kidvai Nagar", "Kidwai Ngr", "किदवई नगर", "Kidwaee Nagar"},
	"govind nagar":  {"Gobind Nagar", "Govind Ngr", "गोविन्द नगर"},
	"swaroop nagar": {"Swarup Ngr", "Sawroop Nagar", "स्वरुप नगर", "Svaroop Nagar"},
	"स्वरूप नगर":    {"स्वरुप नगर", "Swaroop Nagar"},
	"shyam nagar":   {"Shyaam Nagar", "Syam Nagar", "श्यामनगर"},
	"श्याम नगर":     {"श्यामनगर", "Shyam Ngr"},
	"harbans mohal": {"Harbansmohal", "Harbans Mohaal", "हरबंस मोहल्ला"},
	"civil lines":   {"Civil Line", "Sivil Lines", "सिविल लाइन्स"},
	"moti jheel":    {"Moti Jhil", "Motijhil", "मोतीझील"},
	"kakadeo":       {"Kakadev", "Kaka Deo", "काकादेओ"},
	"gwaltoli":      {"Gwal Toli", "Gwaltoly", "ग्वाल टोली"},
	"juhi":          {"Joohi", "Juhee", "जुही"},
	"जूही":          {"जुही", "Juhi"},
	"nawabganj":     {"Nawab Ganj", "Navabganj", "नवाबगञ्ज"},
	"fazalganj":     {"Fajalganj", "Fazal Ganj", "फ़ज़लगंज"},
	"kalyanpur":     {"Kalyaanpur", "Kalyanpoor", "कल्यानपुर"},
	"rawatpur":      {"Ravatpur", "Rawatpoor", "रावतपूर"},
	"naubasta":      {"Naubsta", "Nau Basta", "नौबसता"},
	"armapur":       {"Armapoor", "Armaapur", "आर्मापुर"},
	"chakeri":       {"Chakery", "Chakeree", "चकेड़ी"},
	"panki":         {"Panky", "Pankee", "पंकी"},
	"barra":         {"Bara", "Barraa", "बर्रा 2"},
	"parade":        {"Pared", "Parade Chowk", "परेड चौराहा"},
	"unnao":         {"Unnav", "Unaao"},
	"jhansi":        {"Jhansee", "Jhaansi"},
	"fatehpur":      {"Fatehpoor", "Fathepur"},
}

var placeKeys = func() []string {
	var ks []string
	for k := range placeAliases {
		ks = append(ks, k)
	}
	// longest first, so "kanpur central railway station" wins over a part
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if len(ks[j]) > len(ks[i]) || len(ks[j]) == len(ks[i]) && ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}()

// rwPlace replaces a place's name (in place or inside a message) by an alias
// or misspelling.
func rwPlace(rng *rand.Rand, field, s string) string {
	if field != "place" && field != "text" {
		return s
	}
	low := strings.ToLower(s)
	for _, k := range placeKeys {
		if i := strings.Index(low, k); i >= 0 {
			as := placeAliases[k]
			return s[:i] + as[rng.IntN(len(as))] + s[i+len(k):]
		}
	}
	return s
}

var numWords = [][]string{{}, {"ek", "एक", "one"}, {"do", "दो", "two"}, {"teen", "तीन", "three"}, {"char", "चार", "four"},
	{"paanch", "पांच", "five"}, {"chhah", "छह", "six"}, {"saat", "सात", "seven"}, {"aath", "आठ", "eight"},
	{"nau", "नौ", "nine"}, {"das", "दस", "ten"}, {"gyarah", "ग्यारह", "eleven"}, {"barah", "बारह", "twelve"},
	{"terah", "तेरह", "thirteen"}, {"chaudah", "चौदह", "fourteen"}, {"pandrah", "पंद्रह", "fifteen"},
	{"solah", "सोलह", "sixteen"}, {"satrah", "सत्रह", "seventeen"}, {"atharah", "अठारह", "eighteen"}}

// rwNumbers writes ages in words (aath saal, आठ साल) or Devanagari digits.
func rwNumbers(rng *rand.Rand, field, s string) string {
	if field != "text" {
		return s
	}
	hi := deva(s)
	return words(s, func(w string) string {
		n, err := strconv.Atoi(w)
		if err != nil || n <= 0 || n >= len(numWords) {
			return w
		}
		switch rng.IntN(3) {
		case 0:
			var b strings.Builder
			for _, r := range w {
				b.WriteRune('०' + r - '0')
			}
			return b.String()
		case 1:
			if hi {
				return numWords[n][1]
			}
			return numWords[n][0]
		}
		if hi {
			return numWords[n][0]
		}
		return numWords[n][2]
	})
}

var families = []struct {
	name string
	f    rewrite
}{
	{"translit", rwTranslit}, {"spelling", rwSpelling}, {"synonyms", rwSynonyms}, {"order", rwOrder},
	{"inflect", rwInflect}, {"abbrev", rwAbbrev}, {"typo", rwTypo}, {"place", rwPlace}, {"numbers", rwNumbers},
}

// reword copies records with the rewrites applied to their free-text fields;
// each record and field gets its own seeded generator, so the copy is the
// same on every run.
func reword(recs []*talaash.Record, seed uint64, fs ...rewrite) []*talaash.Record {
	out := make([]*talaash.Record, len(recs))
	for i, r := range recs {
		c := *r
		for _, fp := range []struct {
			name string
			p    *string
		}{{"name", &c.Name}, {"complexion", &c.Complex}, {"clothes", &c.Clothes}, {"marks", &c.Marks}, {"place", &c.Place}, {"text", &c.Text}} {
			if *fp.p == "" {
				continue
			}
			h := fnv.New64a()
			h.Write([]byte(c.Ref + "/" + fp.name))
			rng := rand.New(rand.NewPCG(seed, h.Sum64()))
			for _, f := range fs {
				*fp.p = f(rng, fp.name, *fp.p)
			}
		}
		out[i] = &c
	}
	return out
}

// score adds every record and matches every sighting and found record, top
// 5, and scores the pairs as the shared scorer does.
func scoreRecs(t testing.TB, recs []*talaash.Record, truth map[string]string) metrics {
	m := newDevMatcher(t)
	for _, r := range recs {
		m.Add(r)
	}
	var x metrics
	for _, r := range recs {
		if r.Kind == talaash.KindMissing {
			continue
		}
		cs := m.Match(r, 5)
		want, reported := truth[r.Ref]
		if reported {
			x.n++
		} else {
			x.unrep++
		}
		for i, c := range cs {
			if reported && c.Missing == want {
				x.r5++
				if i == 0 {
					x.r1++
				}
			}
			if c.Alert {
				x.alerts++
				if reported && c.Missing == want {
					x.tp++
				}
				if !reported {
					x.unrepAlerts++
				}
			}
		}
	}
	return x
}

func (x metrics) recall5() float64   { return float64(x.r5) / float64(max(x.n, 1)) }
func (x metrics) precision() float64 { return float64(x.tp) / float64(max(x.alerts, 1)) }
func (x metrics) alertRecall() float64 {
	return float64(x.tp) / float64(max(x.n, 1))
}

// unrepRate is alerts per 100 sightings of children nobody reported.
func (x metrics) unrepRate() float64 {
	return 100 * float64(x.unrepAlerts) / float64(max(x.unrep, 1))
}

// rewordSeeds word the held-out copies. The weights and the alert decision
// were fitted on copies of other seeds; these only measure.
var rewordSeeds = []uint64{21, 22, 23, 24, 25}

// TestReworded scores the matcher on reworded copies of the development
// file, all rewrites together, one copy a seed. Pooled over the copies the
// figures must meet the targets (one copy holds only 200 sightings of
// unreported children, so one alert moves its rate by 0.5); each copy alone
// must stay near them, so that one badly read copy still fails. With -v it
// also shows each family of rewrites alone.
func TestReworded(t *testing.T) {
	recs, truth := loadCases(t)
	var all []rewrite
	for _, f := range families {
		all = append(all, f.f)
	}
	if testing.Verbose() {
		t.Logf("%-9s %v", "original", scoreRecs(t, recs, truth))
		for _, f := range families {
			t.Logf("%-9s %v", f.name, scoreRecs(t, reword(recs, rewordSeeds[0], f.f), truth))
		}
	}
	var pooled metrics
	for _, seed := range rewordSeeds {
		x := scoreRecs(t, reword(recs, seed, all...), truth)
		t.Logf("seed %d: %v", seed, x)
		pooled = pooled.add(x)
		if x.recall5() < targets.recall5 || x.precision() < targets.precision || x.alertRecall() < targets.alertRecall-0.015 ||
			x.unrepRate() > targets.unrepRate+1 {
			t.Errorf("seed %d: recall@5 %.3f precision %.3f alert recall %.3f unreported alerts %.1f/100, far from the targets",
				seed, x.recall5(), x.precision(), x.alertRecall(), x.unrepRate())
		}
	}
	t.Logf("pooled: %v", pooled)
	x := pooled
	if x.recall5() < targets.recall5 || x.precision() < targets.precision || x.alertRecall() < targets.alertRecall ||
		x.unrepRate() >= targets.unrepRate {
		t.Errorf("pooled over seeds %v: recall@5 %.3f precision %.3f alert recall %.3f unreported alerts %.1f/100, below the targets",
			rewordSeeds, x.recall5(), x.precision(), x.alertRecall(), x.unrepRate())
	}
}

// TestRewordSamples shows the rewrites do what they say on a few fields,
// so the figures above measure what they claim.
func TestRewordSamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	if got := latinOf(rng, "लड़का"); got != "ladka" && got != "ladkaa" {
		t.Errorf("latinOf(लड़का) = %q", got)
	}
	if got := rwTranslit(rng, "clothes", "red shirt"); got != "लाल शर्ट" {
		t.Errorf("translit(red shirt) = %q", got)
	}
	if got := rwOrder(rng, "clothes", "red shirt"); got != "shirt red" {
		t.Errorf("order(red shirt) = %q", got)
	}
	changed := 0
	for i := range 20 {
		rng := rand.New(rand.NewPCG(uint64(i), 3))
		if rwSynonyms(rng, "clothes", "maroon shirt, blue trousers") != "maroon shirt, blue trousers" {
			changed++
		}
	}
	if changed < 15 {
		t.Errorf("synonyms changed only %d of 20", changed)
	}
	for _, s := range []string{"8 saal ka ladka", "Seen boy about 8 yrs"} {
		seen := map[string]bool{}
		for i := range 30 {
			seen[rwNumbers(rand.New(rand.NewPCG(uint64(i), 4)), "text", s)] = true
		}
		if len(seen) < 3 {
			t.Errorf("numbers(%q): only %v", s, seen)
		}
	}
}
