package render

import (
	"testing"

	"talaash"
	"talaash/gsm"
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
	} {
		if got := Latin(c.in); got != c.want {
			t.Errorf("Latin(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSMSSafeAndTitled(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"लाल कमीज़ – “नीली” जींस…", `lal kamiz - "nili" jins...`},
		{"café  crêpe 👕\tshirt", "café crepe shirt"}, // é is GSM-7, ê is not; emoji dropped
		{"Sonu’s ढीला कुर्ता", "Sonu's dhila kurta"},
	} {
		got := SMSSafe(c.in)
		if gsm, _, _ := gsm.Parts(got); !gsm {
			t.Errorf("SMSSafe(%q) = %q is not GSM-7", c.in, got)
		}
		if got != c.want {
			t.Errorf("SMSSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"अंजलि": "Anjali", "गोविंद नगर": "Govind Nagar", "rahul": "rahul", "रवि kumar": "Ravi Kumar"} {
		if got := Titled(in); got != want {
			t.Errorf("Titled(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLatinCoversDevanagari: every letter and sign of the Devanagari block a
// Hindi record uses comes out as GSM-7 Latin, none left behind.
func TestLatinCoversDevanagari(t *testing.T) {
	for r := rune(0x0900); r <= 0x097F; r++ {
		in := "क" + string(r) + "ल"
		out := SMSSafe(in)
		if gsm, _, _ := gsm.Parts(out); !gsm || talaash.Devanagari(out) {
			t.Errorf("%U in %q -> %q", r, in, out)
		}
	}
}

func BenchmarkLatin(b *testing.B) {
	s := "लाल कमीज़ और नीली जींस, बाएं गाल पर तिल, कानपुर सेंट्रल के पास"
	for b.Loop() {
		Latin(s)
	}
}
