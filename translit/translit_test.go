package translit

import (
	"testing"
	"testing/fstest"

	"talaash/locales"
)

func TestLatin(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"अंजलि", "anjali"},
		{"लाल कमीज़", "lal kamiz"},
		{"लाल कमीज़ और नीली जींस", "lal kamiz aur nili jins"},
		{"बाएं गाल पर तिल", "baen gal par til"},
		{"लड़का", "ladka"},
		{"लड़की, 8 साल", "ladki, 8 sal"},
		{"गोविंद नगर", "govind nagar"},
		{"कानपुर सेंट्रल", "kanpur sentral"},
		{"मोती झील", "moti jhil"},
		{"कमला", "kamla"},
		{"रमेश", "ramesh"},
		{"सुनीता देवी", "sunita devi"},
		{"राजेन्द्र", "rajendra"},
		{"मित्र", "mitra"},
		{"दोस्त", "dost"},
		{"पीली टी-शर्ट", "pili ti-shart"},
		{"जलने का निशान", "jalne ka nishan"},
		{"सफ़ेद", "safed"},
		{"कंबल", "kambal"},
		{"ज्ञान", "gyan"},
		{"गेहुआं", "gehuan"},
		{"क्या", "kya"},
		{"न", "na"},
		{"सीमा।", "sima."},
		{"उम्र ८ साल", "umra 8 sal"},
		{"दुःख", "duhkh"},
		{"Red शर्ट, blue jeans", "Red shart, blue jeans"},
		{"no Hindi at all", "no Hindi at all"},
		{"", ""},
		// Precomposed nukta letters (U+095C, U+095B) read as the decomposed ones.
		{"\u0932\u095c\u0915\u093e \u095b\u0940\u0928\u0924", "ladka zinat"},
		// A vowel after a nasal is silent as after any vowel; Sanskrit names
		// the rule misreads are whole-word rows of the table.
		{"सांवला", "sanwla"}, {"साँवली", "sanwli"}, {"लंगड़ा", "langda"}, {"उंगली", "ungli"}, {"संतरी", "santri"},
		{"संजना", "sanjana"}, {"अँजलि", "anjali"}, {"कंचन", "kanchan"}, {"संजय", "sanjay"},
		// व after a consonant is w, as the gazetteer and people write it.
		{"ग्वालटोली", "gwaltoli"}, {"स्वरूप नगर", "swarup nagar"}, {"स्वेटर", "swetar"}, {"किदवई", "kidwai"}, {"पांव", "panv"}, {"देवी", "devi"},
		{"भटकता", "bhatakta"}, {"रावतपुर", "ravatpur"}, {"लखनऊ", "lakhnau"}, {"हरबंस", "harbans"}, {"विज्ञान", "vigyan"}, {"यज्ञ", "yagya"},
		{"ल़ाल", "lal"},                       // a nukta the letter has no row for is dropped, not the letter
		{"स्ेटर", "setar"}, {"कुर्ा", "kura"}, // a vowel sign out of place is still said
	} {
		if got := Latin(c.in); got != c.want {
			t.Errorf("Latin(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLoad: a table is read from any vocabulary tree, and a broken one is
// refused rather than read half.
func TestLoad(t *testing.T) {
	tab, err := Load(fstest.MapFS{File: {Data: []byte("devanagari,latin,type\nक,k,c\nा,a,m\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Latin("काका"); got != "kaka" {
		t.Errorf("Latin(काका) = %q", got)
	}
	if _, err := Load(fstest.MapFS{File: {Data: []byte("devanagari,latin,type\nक,k\n")}}); err == nil {
		t.Error("a row without a type was read")
	}
	tab, err = Load(locales.Vocab)
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Long("नीली साँवली संजना"); got != "niilii saanwlii sanjanaa" {
		t.Errorf("Long keeps long vowels: got %q", got)
	}
}

func BenchmarkLatin(b *testing.B) {
	s := "लाल कमीज़ और नीली जींस, बाएं गाल पर तिल, कानपुर सेंट्रल के पास"
	for b.Loop() {
		Latin(s)
	}
}
