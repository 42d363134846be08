package match

import "testing"

// TestExtractSightings: one-message sightings as bystanders write them, in
// English, Devanagari Hindi and Hinglish. A place the gazetteer lacks is
// kept as written after or before its cue word, without coordinates; ages
// come as ranges ("6-8", "5 se 7"); words for how the child was ("hurt",
// "scared") are not slips of clothes or marks.
func TestExtractSightings(t *testing.T) {
	m := newDevMatcher(t)
	cases := []struct {
		in              string
		gender          string
		lo, hi          float64
		clothes, marks  string
		place           string
		wantCoordinates bool
	}{
		// English
		{"Saw a boy around 8 in red shirt near Bada Chauraha", "male", 8, 8, "red shirt", "", "Bada Chauraha", false},
		{"seen a girl 6-8 years old in a yellow frock near Ganga Barrage", "female", 6, 8, "yellow frock", "", "Ganga Barrage", false},
		{"spotted a boy about 10, blue shirt, black pants, outside Hanuman Mandir", "male", 10, 10, "blue shirt, black pants", "", "Hanuman Mandir", false},
		{"noticed a small girl, maybe 4, green dress, crying opposite Sabzi Mandi gate", "female", 4, 4, "green frock", "", "Sabzi Mandi gate", false},
		{"saw boy aged 7 wearing white kurta at Phool Bagh park, he is injured", "male", 7, 7, "white kurta", "injury", "Phool Bagh park", false},
		{"seen a lost girl of 9 in a school uniform behind Gol Market", "female", 9, 9, "uniform", "", "Gol Market", false},
		{"boy around 12 years in grey sweater begging near Purana Pul", "male", 12, 12, "grey sweater", "", "Purana Pul", false},
		{"a girl 5 to 7 years old seen near the Shukla Tea Stall, red frock", "female", 5, 7, "red frock", "", "Shukla Tea Stall", false},
		{"seen girl approx 11 years wearing pink salwar suit near Chhota Chauraha, she looks scared", "female", 11, 11, "pink salwar", "", "Chhota Chauraha", false},
		{"saw a boy about 9 with a scar on his forehead at Lakkad Mandi", "male", 9, 9, "", "scar on forehead", "Lakkad Mandi", false},
		{"little girl around 3 in red frock found near Azad Park gate, alone", "female", 3, 3, "red frock", "", "Azad Park gate", false},
		// Devanagari Hindi
		{"लड़का करीब 8 साल लाल शर्ट बड़ा चौराहा के पास देखा", "male", 8, 8, "red shirt", "", "बड़ा चौराहा", false},
		{"एक लड़की 6-8 साल की पीली फ्रॉक में गंगा बैराज के पास देखी", "female", 6, 8, "yellow frock", "", "गंगा बैराज", false},
		{"करीब 10 साल का लड़का नीली शर्ट काली पैंट हनुमान मंदिर के बाहर रो रहा था", "male", 10, 10, "blue shirt, black pants", "", "हनुमान मंदिर", false},
		{"छोटी लड़की लगभग 4 साल हरी ड्रेस सब्जी मंडी गेट पर अकेली देखी", "female", 4, 4, "green frock", "", "सब्जी मंडी गेट", false},
		{"7 साल का लड़का सफेद कुर्ता फूल बाग पार्क में घायल देखा", "male", 7, 7, "white kurta", "", "फूल बाग पार्क", false},
		{"स्कूल की वर्दी में 9 साल की लड़की गोल मार्केट के पीछे भटक रही थी", "female", 9, 9, "uniform", "", "गोल मार्केट", false},
		{"12 साल का लड़का ग्रे स्वेटर पुराना पुल पर भीख मांग रहा था", "male", 12, 12, "grey sweater", "", "पुराना पुल", false},
		{"5 से 7 साल की लड़की लाल फ्रॉक शुक्ला चाय दुकान के पास देखी", "female", 5, 7, "red frock", "", "शुक्ला चाय दुकान", false},
		{"लगभग 11 साल की लड़की गुलाबी सलवार सूट छोटा चौराहा के पास डरी हुई देखी", "female", 11, 11, "pink salwar", "", "छोटा चौराहा", false},
		{"करीब 9 साल का लड़का माथे पर निशान लकड़ मंडी में देखा", "male", 9, 9, "", "mark on forehead", "लकड़ मंडी", false},
		{"छोटी बच्ची करीब 3 साल लाल फ्रॉक आजाद पार्क गेट के पास अकेली मिली", "female", 3, 3, "red frock", "", "आजाद पार्क गेट", false},
		// Hinglish
		{"ladka karib 8 saal laal shirt bada chauraha ke paas dekha", "male", 8, 8, "red shirt", "", "bada chauraha", false},
		{"ek ladki 6-8 saal ki peeli frock ganga barrage ke paas dekhi", "female", 6, 8, "yellow frock", "", "ganga barrage", false},
		{"karib 10 saal ka ladka neeli shirt kaali pant hanuman mandir ke bahar ro raha tha", "male", 10, 10, "blue shirt, black pants", "", "hanuman mandir", false},
		{"chhoti ladki lagbhag 4 saal hari dress sabzi mandi gate par akeli dekhi", "female", 4, 4, "green frock", "", "sabzi mandi gate", false},
		{"7 saal ka ladka safed kurta phool bagh park mein ghayal dekha", "male", 7, 7, "white kurta", "", "phool bagh park", false},
		{"school uniform mein 9 saal ki ladki gol market ke peeche bhatak rahi thi", "female", 9, 9, "uniform", "", "gol market", false},
		{"12 saal ka ladka grey sweater purana pul par bheekh maang raha tha", "male", 12, 12, "grey sweater", "", "purana pul", false},
		{"5 se 7 saal ki ladki laal frock shukla chai dukan ke paas dekhi", "female", 5, 7, "red frock", "", "shukla chai dukan", false},
		{"lagbhag 11 saal ki ladki gulabi salwar suit chhota chauraha ke paas dari hui dekhi", "female", 11, 11, "pink salwar", "", "chhota chauraha", false},
		{"karib 9 saal ka ladka maathe par nishan lakkad mandi mein dekha", "male", 9, 9, "", "mark on forehead", "lakkad mandi", false},
		{"chhoti bachchi karib 3 saal laal frock azad park gate ke paas akeli mili", "female", 3, 3, "red frock", "", "azad park gate", false},
		// more places the gazetteer lacks, before and after their cue, in the
		// three ways of writing; "Lal Bangla" keeps its colour, "8 or 9" is a range
		{"saw a small boy 6 yrs in blue t-shirt sitting outside Lal Bangla post office", "male", 6, 6, "blue T-shirt", "", "Lal Bangla post office", false},
		{"girl about 10 with green salwar near the Durga Mandir, she was crying", "female", 10, 10, "green salwar", "", "Durga Mandir", false},
		{"seen a boy around 5 years old, yellow shirt and black shorts, behind Ram Lila Maidan", "male", 5, 5, "yellow shirt, black shorts", "", "Ram Lila Maidan", false},
		{"found girl 3-4 years pink frock opposite City Hospital", "female", 3, 4, "pink frock", "", "City Hospital", false},
		{"boy approx 9, white kurta pajama, begging at Bakarmandi crossing", "male", 9, 9, "white kurta, pants", "", "Bakarmandi crossing", false},
		{"a lost boy of 7 near Company Bagh gate, red sweater", "male", 7, 7, "red sweater", "", "Company Bagh gate", false},
		{"saw girl 12 yrs in school uniform at Maheshwari Mohal bus stop", "female", 12, 12, "uniform", "", "Maheshwari Mohal bus stop", false},
		{"seen crying girl aged 4, orange frock, at the Bada Imambara", "female", 4, 4, "orange frock", "", "Bada Imambara", false},
		{"boy 11 years grey jacket blue jeans near Bhairav Ghat", "male", 11, 11, "grey sweater, blue jeans", "", "Bhairav Ghat", false},
		{"a girl maybe 8 or 9, purple dress, outside Sharma Sweets", "female", 8, 9, "purple frock", "", "Sharma Sweets", false},
		{"लाल बंगला डाकघर के बाहर 6 साल का लड़का नीली टीशर्ट में बैठा था", "male", 6, 6, "blue T-shirt", "", "लाल बंगला डाकघर", false},
		{"दुर्गा मंदिर के पास करीब 10 साल की लड़की हरा सूट पहने रो रही थी", "female", 10, 10, "green salwar", "", "दुर्गा मंदिर", false},
		{"रामलीला मैदान के पीछे लगभग 5 साल का लड़का पीली शर्ट काली निकर", "male", 5, 5, "yellow shirt, black shorts", "", "रामलीला मैदान", false},
		{"सिटी अस्पताल के सामने 3-4 साल की बच्ची गुलाबी फ्रॉक में मिली", "female", 3, 4, "pink frock", "", "सिटी अस्पताल", false},
		{"बकरमंडी चौराहे पर करीब 9 साल का लड़का सफेद कुर्ता पजामा भीख मांग रहा था", "male", 9, 9, "white kurta, pants", "", "बकरमंडी चौराहे", false},
		{"कंपनी बाग गेट के पास 7 साल का खोया हुआ लड़का लाल स्वेटर", "male", 7, 7, "red sweater", "", "कंपनी बाग गेट", false},
		{"12 साल की लड़की स्कूल ड्रेस में महेश्वरी मोहाल बस स्टॉप पर देखी", "female", 12, 12, "uniform", "", "महेश्वरी मोहाल बस स्टॉप", false},
		{"भैरव घाट पर 11 साल का लड़का ग्रे जैकेट नीली जींस", "male", 11, 11, "grey sweater, blue jeans", "", "भैरव घाट", false},
		{"lal bangla dakghar ke bahar 6 saal ka ladka neeli tshirt mein baitha tha", "male", 6, 6, "blue T-shirt", "", "lal bangla dakghar", false},
		{"durga mandir ke paas karib 10 saal ki ladki hara suit pehne ro rahi thi", "female", 10, 10, "green salwar", "", "durga mandir", false},
		{"ramlila maidan ke peeche lagbhag 5 saal ka ladka peeli shirt kaali nikkar", "male", 5, 5, "yellow shirt, black shorts", "", "ramlila maidan", false},
		{"city hospital ke saamne 3-4 saal ki bachchi gulabi frock mein mili", "female", 3, 4, "pink frock", "", "city hospital", false},
		{"bakarmandi chauraha pe karib 9 saal ka ladka safed kurta pajama bheekh maang raha tha", "male", 9, 9, "white kurta, pants", "", "bakarmandi chauraha", false},
		{"company bagh gate ke paas 7 saal ka khoya hua ladka laal sweater", "male", 7, 7, "red sweater", "", "company bagh gate", false},
		{"12 saal ki ladki school dress mein maheshwari mohal bus stop par dekhi", "female", 12, 12, "uniform", "", "maheshwari mohal bus stop", false},
		{"bhairav ghat par 11 saal ka ladka grey jacket neeli jeans", "male", 11, 11, "grey sweater, blue jeans", "", "bhairav ghat", false},
		// the dialog's own reader read these before; the matcher gives
		// English garments and gazetteer names
		{"seen a girl about 6, pink frock, crying at Kanpur Central", "female", 6, 6, "pink frock", "", "Kanpur Central railway station", true},
		{"SEEN girl 6 pink frock Kanpur Central", "female", 6, 6, "pink frock", "", "Kanpur Central railway station", true},
		{"एक लड़की करीब 6 साल की, गुलाबी फ्रॉक, कानपुर सेंट्रल स्टेशन पर रोती हुई देखी", "female", 6, 6, "pink frock", "", "Kanpur Central railway station", true},
		{"seen boy 8 red shirt mole on left cheek", "male", 8, 8, "red shirt", "mole on left cheek", "", false},
		// "hurt" is not a slip of kurta
		{"saw a crying girl about 5 at Moti Jheel, she is hurt", "female", 5, 5, "", "", "Moti Jheel", true},
		// people and words for how the child was are not slips of clothes or
		// marks (aurat ~ kurta, uncle ~ ungli, gandi ~ ganji); a bus or a
		// train is where
		{"seen a boy about 8 with an uncle at Kakadeo, gandi shirt", "male", 8, 8, "shirt", "", "Kakadeo", true},
		{"ek aurat ke saath 6 saal ki ladki gande kapde mein Rawatpur par dekhi", "female", 6, 6, "", "", "Rawatpur", true},
		{"7 साल का लड़का अपने पिता के बिना काकादेव पर रो रहा था", "male", 7, 7, "", "", "Kakadeo", true},
		{"ladka 8 saal bus mein akela ro raha tha", "male", 8, 8, "", "", "bus", false},
		{"saw a girl of 5 in a train, red frock", "female", 5, 5, "red frock", "", "train", false},
		// "at the station": a place kind alone is still where
		{"seen small child in pink frock at the station", "", -1, -1, "pink frock", "", "station", false},
		// "6 - 8 saal"; a garment ends a place ("frock mandir")
		{"ladki 6 - 8 saal neeli frock mandir ke paas", "female", 6, 8, "blue frock", "", "mandir", false},
		// a slip next to a colour or garment is clothes, not the place's first word
		{"ladka 8 saal laal shrit hanuman mandir ke paas", "male", 8, 8, "red shirt", "", "hanuman mandir", false},
		{"ladka 8 saal blak sweter hanuman mandir ke paas", "male", 8, 8, "black sweater", "", "hanuman mandir", false},
		// a weak cue needs a place kind or a capitalised name: "in tears" is no place
		{"saw a boy in tears, red shirt, about 7", "male", 7, 7, "red shirt", "", "", false},
		{"SEEN BOY IN TEARS RED SHIRT 7 YRS", "male", 7, 7, "red shirt", "", "", false},
		{"लड़का लाल शर्ट में रो रहा था", "male", -1, -1, "red shirt", "", "", false},
		// after a body part "par" is no place
		{"ladka 8 saal maathe par chot ka nishan", "male", 8, 8, "", "injury on forehead", "", false},
	}
	for _, c := range cases {
		r := m.Extract(c.in)
		lo, hi := ageOf(r)
		if r.Gender != c.gender || lo != c.lo || hi != c.hi || r.Clothes != c.clothes || r.Marks != c.marks || r.Place != c.place || (r.Lat != nil) != c.wantCoordinates {
			t.Errorf("Extract(%q) = gender %q age %v-%v clothes %q marks %q place %q lat %v", c.in, r.Gender, lo, hi, r.Clothes, r.Marks, r.Place, r.Lat)
		}
	}
}
