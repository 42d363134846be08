package match

import (
	"strings"
	"testing"
	"time"

	"talaash"
	"talaash/devdata"
)

// devText is the development file, lower-cased: the phrases below must not
// be in it, so these tests check that the vocabulary generalises rather than
// that it remembers the file.
func devText(t *testing.T) string {
	t.Helper()
	return strings.ToLower(string(devdata.Read(t, devdata.CasesFile)))
}

func unseen(t *testing.T, dev, phrase string) {
	t.Helper()
	if strings.Contains(dev, strings.ToLower(phrase)) {
		t.Errorf("%q is in the development file: choose a phrase it lacks", phrase)
	}
}

func TestUnseenClothes(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := []struct{ in, want string }{
		{"aasmani kurta aur safed pajama", "blue kurta, white pants"},
		{"जामुनी स्वेटर, खाकी हाफ पैंट", "purple sweater, brown shorts"},
		{"maroon salwar suit with cream dupatta", "maroon salwar, white cap"},
		{"सुनहरा लहंगा", "yellow skirt"},
		{"navy blue school dress, kaale jute", "blue uniform, black shoes"},
		{"sky blue hoodie, grey lower", "blue sweater, grey pants"},
		{"baingani frock", "purple frock"},
		{"kathai jacket", "maroon sweater"},
		{"golden tee", "yellow T-shirt"},
		{"peeli tishirt aur neeli nikkar", "yellow T-shirt, blue shorts"},
		{"हरी चड्डी और सफ़ेद बनियान", "green shorts, white T-shirt"},
		{"red jersey, black chaddi, hawai chappal", "red sweater, black shorts, slippers"},
		{"मैरून कुर्ती और सफेद सलवार", "maroon kurta, white salwar"},
		{"कत्थई शॉल", "maroon sweater"},
		{"khaki half pant, safed topi", "brown shorts, white cap"},
		{"आसमानी रंग की फ्रॉक", "blue frock"},
		{"गुलाबी जूतियां", "pink shoes"},
		{"kesariya kurta pajama", "orange kurta, pants"},
		{"jamuni lehnga choli", "purple skirt"},
		{"doodhiya sweatshirt, bhuri sandal", "white sweater, brown shoes"},
		{"parrot green tshrt", "green T-shirt"},
		{"नेवी ब्लू ट्रैक सूट", "blue pants"},
	}
	for _, c := range cases {
		unseen(t, dev, c.in)
		if got := labels(m, m.clothes(c.in)); got != c.want {
			t.Errorf("clothes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestUnseenComplexion(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := map[string]uint8{"saaf rang": 1, "ujla": 1, "गोरा चिट्टा": 1, "gehuan rang": 2, "genhua": 2, "गेंहुआ": 2,
		"samvla": 3, "halka saanwla": 3, "सावला": 3, "shyam rang": 4, "bahut kala": 4, "very dark": 4}
	for in, want := range cases {
		unseen(t, dev, in)
		if got := m.complexion(in); got != want {
			t.Errorf("complexion(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestUnseenMarks(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := []struct{ in, want string }{
		{"baayi kalai par tattoo", "tattoo on left hand"},
		{"दाहिनी आँख के पास मस्सा", "mole on right eye"},
		{"ulte ghutne par taanke ke nishan", "cut mark on left leg"},
		{"peeth par jalne ka daag", "burn mark on back"},
		{"gale par janm ka nishan", "birthmark on neck"},
		{"बायीं भौंह पर कटा निशान", "cut mark on left eye"},
		{"seedhe haath ki ungli kati hui", "cut mark on right hand"},
		{"left knee pe purani chot", "injury on left leg"},
		{"गोदना दाहिने बाजू पर", "tattoo on right arm"},
		{"lehsun on back", "birthmark on back"},
		{"बाएँ कंधे पर सफेद दाग", "scar on left arm"},
		{"naak ke upar kala til", "mole on nose"},
		{"dahini pindli par zakham ka nishan", "injury on right leg"},
	}
	for _, c := range cases {
		unseen(t, dev, c.in)
		mk, _ := m.marksOf(c.in)
		var got []string
		for _, x := range mk {
			got = append(got, m.markLabel(x, false))
		}
		if g := strings.Join(got, ", "); g != c.want {
			t.Errorf("marks(%q) = %q, want %q", c.in, g, c.want)
		}
	}
	traits := map[string]string{"ainak lagata hai": "glasses", "ऐनक पहनती है": "glasses", "tutlata hai": "stammer", "लंगड़ाकर चलती है": "limp",
		"gunga hai": "mute", "ooncha sunta hai": "deaf", "dimag se kamzor hai": "slow", "मानसिक रूप से कमजोर": "slow",
		"aage ka daant tuta": "tooth", "polio se pair kharab": "limp", "atak kar bolta": "stammer"}
	for in, want := range traits {
		unseen(t, dev, in)
		_, tr := m.marksOf(in)
		var got []string
		for id := uint8(1); id < 16; id++ {
			if tr&(1<<id) != 0 {
				got = append(got, m.v.concept(catTrait, id).name)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("traits(%q) = %v, want %s", in, got, want)
		}
	}
}

func TestUnseenAgeAndGender(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := []struct {
		in     string
		gender string
		lo, hi float64
	}{
		{"takriban das baras ki ladki", "female", 10, 10},
		{"लगभग बारह वर्ष का बालक", "male", 12, 12},
		{"munni umar saat saal", "female", 7, 7},
		{"beta 9 yrs old", "male", 9, 9},
		{"बच्ची करीब छह साल की", "female", 6, 6},
		{"boy aged about eleven", "male", 11, 11},
		{"girl 5 years old", "female", 5, 5},
		{"chhota baccha teen saal ka", "male", 3, 3},
		{"बालिका उम्र १३ वर्ष", "female", 13, 13},
		{"son, fourteen years", "male", 14, 14},
		{"beti bees baras", "female", 20, 20},
		{"लड़का उम्र पंद्रह साल", "male", 15, 15},
		{"bachchi kareeb 4-5 sal", "female", 4, 5},
		{"ek ladka jiski umar lagbhag nau saal hai", "male", 9, 9},
		{"बालक आयु सात वर्ष", "male", 7, 7},
	}
	for _, c := range cases {
		unseen(t, dev, c.in)
		r := m.Extract(c.in)
		lo, hi := ageOf(r)
		if r.Gender != c.gender || lo != c.lo || hi != c.hi {
			t.Errorf("Extract(%q) = gender %q age %v-%v, want %s %v-%v", c.in, r.Gender, lo, hi, c.gender, c.lo, c.hi)
		}
	}
}

// TestUnseenNames: transliteration across scripts with nukta, chandrabindu,
// anusvara and schwa, and the common Latin spellings (ee/i, oo/u, w/v, sh/s,
// z/j, ou/au).
func TestUnseenNames(t *testing.T) {
	m := newDevMatcher(t)
	same := [][2]string{{"दीपक", "Deepak"}, {"Dipak", "Deepak"}, {"पूजा", "Puja"}, {"Puja", "Pooja"}, {"गौरव", "Gourav"},
		{"चंपा", "Champa"}, {"शबनम", "Shabnam"}, {"ज़ैनब", "Zainab"}, {"Jainab", "Zainab"}, {"अंकित", "Ankit"},
		{"विकास", "Vikas"}, {"Wikas", "Vikas"}, {"सूरज", "Suraj"}, {"Sooraj", "Suraj"}, {"खुशी", "Khushi"}, {"Kushi", "Khushi"},
		{"संजना", "Sanjana"}, {"अँजलि", "Anjali"}, {"आँचल", "Aanchal"}, {"फ़ैज़ान", "Faizan"}, {"फैजान", "Faizan"},
		{"शिवम", "Shivam"}, {"Sivam", "Shivam"}, {"सिमरन", "Simran"}, {"Sanjna", "संजना"}, {"शम्भू", "Shambhu"}, {"Sambhu", "शंभू"},
		{"मोहन", "Mohan"}, {"Rajkumar", "राजकुमार"}, {"नसरीन", "Nasreen"}}
	for _, p := range same {
		a, b := m.nameKeys(p[0]), m.nameKeys(p[1])
		if len(a) == 0 || len(b) == 0 || nameSim(a[0], b[0]) < 0.8 {
			t.Errorf("names %q ~ %q: keys %v %v not alike", p[0], p[1], a, b)
		}
	}
	diff := [][2]string{{"Deepak", "Deepika"}, {"Pooja", "Priya"}, {"Shivam", "Sohan"}, {"Mohan", "Rohan"}, {"अंकित", "Ankita Sharma"}}
	for _, p := range diff {
		a, b := m.nameKeys(p[0]), m.nameKeys(p[1])
		if len(a) > 0 && len(b) > 0 && nameSim(a[0], b[0]) >= 1 {
			t.Errorf("names %q and %q should not be the same (%v %v)", p[0], p[1], a, b)
		}
	}
}

// TestUnseenMessages: whole one-message sightings in the three ways of
// writing, with words the development file lacks.
func TestUnseenMessages(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := []struct {
		in                     string
		gender                 string
		age                    float64
		clothes, marks, place_ string
	}{
		{"ek chhoti bachchi ro rahi thi, gulaabi frock, lagbhag 5 saal, Naubasta ke paas ghoom rahi thi", "female", 5, "pink frock", "", "Naubasta"},
		{"रावतपुर में एक बालक भटकता मिला, उम्र लगभग दस वर्ष, आसमानी कमीज़ और खाकी निक्कर, बाएं हाथ पर गोदना", "male", 10, "blue shirt, brown shorts", "tattoo on left hand", "Rawatpur"},
		{"Spotted a little girl near Moti Jheel, maybe 7 yrs, navy frock, wears specs", "female", 7, "blue frock", "glasses", "Moti Jheel"},
		{"Gwaltoli mein ladka baitha hai takriban 12 sal, jamuni jersey, tutlata hai", "male", 12, "purple sweater", "stammer", "Gwaltoli"},
	}
	for _, c := range cases {
		unseen(t, dev, c.in)
		r := m.Extract(c.in)
		lo, hi := ageOf(r)
		if r.Gender != c.gender || lo != c.age || hi != c.age || r.Clothes != c.clothes || r.Marks != c.marks || r.Place != c.place_ {
			t.Errorf("Extract(%q) = gender %q age %v-%v clothes %q marks %q place %q", c.in, r.Gender, lo, hi, r.Clothes, r.Marks, r.Place)
		}
	}
}

// TestExtractName: a child's name is read when the message says it is one,
// and only then.
func TestExtractName(t *testing.T) {
	m := newDevMatcher(t)
	cases := map[string]string{
		"naam Ramesh, 8 saal, laal shirt":                  "Ramesh",
		"ladka mila hai, naam Ramesh Kumar hai, umar 8":    "Ramesh Kumar",
		"नाम रमेश, उम्र 8 साल":                             "रमेश",
		"बच्ची मिली, उसका नाम पूजा है, लगभग 6 साल":         "पूजा",
		"Found a boy, his name is Arjun, about 9 years":    "Arjun",
		"girl named Priya near Juhi":                       "Priya",
		"Name: Shabnam, 7 yrs":                             "Shabnam",
		"Ramesh, 8 saal, neeli shirt":                      "Ramesh",
		"रमेश कुमार, उम्र 8 साल":                           "रमेश कुमार",
		"Sonu naam ka ladka Barra mein ghoom raha tha":     "Sonu",
		"सोनू नाम का बच्चा रो रहा था":                      "सोनू",
		"naam Munni, 5 saal":                               "Munni",
		"ladki ne apna naam Kajal bataya":                  "Kajal",
		"naam nahi pata, ladka 8 saal":                     "",
		"name unknown, boy about 10":                       "",
		"Seen boy about 8 yrs red shirt at Kanpur Central": "",
		"ladka 8 saal laal shirt Kanpur Central par dekha": "",
		"लड़की, ११ साल, भूरी जूते अर्मापुर पर मिला": "",
		"chhoti ladki, 14 saal, laal kameez":        "",
		"ramesh 8 saal":                             "",
		"Please help, boy 8 years crying at Parade": "",
		"Urgent, 8 saal ka ladka":                   "",
		"naam 😀 8 saal":                             "",
	}
	for in, want := range cases {
		if got := m.Extract(in).Name; got != want {
			t.Errorf("Extract(%q).Name = %q, want %q", in, got, want)
		}
	}
	// the name reaches the features, so a one-message sighting matches by name
	miss := rec("M1", talaash.KindMissing, "male", 8, "", "", "Juhi", t0)
	miss.Name = "रमेश"
	m.Add(miss)
	s := &talaash.Record{Ref: "S1", Kind: talaash.KindSighting, Time: t0.Add(2 * time.Hour), Text: "ladka mila, naam Ramesh, 8 saal, Juhi"}
	en, _ := reasonsOf(t, m, s)
	if !strings.Contains(en, "same name: रमेश ~ Ramesh") {
		t.Errorf("reasons: %s", en)
	}
}

// TestSlips: typing slips measured on the word as written (a letter swapped
// or dropped, two in a long word, vowels left out), Hindi endings swapped on
// a word the vocabulary holds under another, and a slip in the first word
// of a phrase.
func TestSlips(t *testing.T) {
	m := newDevMatcher(t)
	dev := devText(t)
	cases := []struct{ in, want string }{
		{"geren kurta, back jeens", "green kurta, black jeans"},
		{"गलुाबी स्वटेर", "pink sweater"},
		{"नांगी कुरत्ा", "orange kurta"},
		{"slwar kameez, peli jote", "salwar, yellow shoes"},
		{"ग्री टोपे", "grey cap"},
		{"orenge t-hirt", "orange T-shirt"},
		{"yelow trowsers", "yellow pants"},
	}
	for _, c := range cases {
		unseen(t, dev, c.in)
		if got := labels(m, m.clothes(c.in)); got != c.want {
			t.Errorf("clothes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := m.complexion("kla"); got != 4 {
		t.Errorf("complexion(kla) = %d, want 4 (kala with a vowel left out)", got)
	}
	// a name after a cue stays a name though it is one slip from a word
	// (Kumar ~ kamar, a waist), and is not read as a mark
	if r := m.Extract("ladka mila, naam Ramesh Kumar, 8 saal"); r.Name != "Ramesh Kumar" || r.Marks != "" {
		t.Errorf("name %q marks %q, want Ramesh Kumar and no marks", r.Name, r.Marks)
	}
}

// TestPlaceInText: a place inside a one-message sighting, written split or
// by the one word only it holds, slipped.
func TestPlaceInText(t *testing.T) {
	m := newDevMatcher(t)
	cases := map[string]string{
		"ladki 9 saal hari frock Kaka Deo ke paas dekhi": "Kakadeo",
		"boy 8 yrs red shirt near Jhakarkathi bus adda":  "Jhakarkati bus stand",
	}
	for in, want := range cases {
		if got := m.Extract(in).Place; got != want {
			t.Errorf("Extract(%q).Place = %q, want %q", in, got, want)
		}
	}
	if got := m.Extract("ladka 8 saal laal shirt").Place; got != "" {
		t.Errorf("no place named, got %q", got)
	}
}
