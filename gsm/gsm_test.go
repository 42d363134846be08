package gsm

import (
	"strings"
	"testing"
)

func TestSegments(t *testing.T) {
	cases := []struct {
		name, text string
		enc        string
		parts      int
		length     int
	}{
		{"empty", "", GSM7, 1, 0},
		{"plain", "Seen boy about 8 yrs red shirt at Kanpur Central", GSM7, 1, 48},
		{"GSM-7 specials", "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¡ÄÖÑÜ§¿äöñüà", GSM7, 1, 41},
		{"160", strings.Repeat("a", 160), GSM7, 1, 160},
		{"161", strings.Repeat("a", 161), GSM7, 2, 161},
		{"306 is two parts", strings.Repeat("a", 306), GSM7, 2, 306},
		{"307 is three", strings.Repeat("a", 307), GSM7, 3, 307},
		{"extension counts 2", strings.Repeat("a", 158) + "€", GSM7, 1, 160},
		{"extension over the edge", strings.Repeat("a", 159) + "€", GSM7, 2, 161},
		{"all extension chars", "^{}\\[~]|€", GSM7, 1, 18},
		// 152 septets then an escape pair: the pair may not be split, so it opens part 2.
		{"escape pair not split", strings.Repeat("a", 152) + "{" + strings.Repeat("a", 152), GSM7, 3, 306},
		{"devanagari", "बच्चा मिला", UCS2, 1, 10},
		{"70 devanagari", strings.Repeat("क", 70), UCS2, 1, 70},
		{"71 devanagari", strings.Repeat("क", 71), UCS2, 2, 71},
		{"134 devanagari", strings.Repeat("क", 134), UCS2, 2, 134},
		{"135 devanagari", strings.Repeat("क", 135), UCS2, 3, 135},
		{"one curly quote spoils GSM-7", "It’s " + strings.Repeat("a", 70), UCS2, 2, 75},
		{"curly double quotes", "“help”", UCS2, 1, 6},
		{"en dash", "K-1 – found", UCS2, 1, 11},
		{"emoji is two units", strings.Repeat("a", 68) + "🙂", UCS2, 1, 70},
		{"emoji over the edge", strings.Repeat("a", 69) + "🙂", UCS2, 2, 71},
		// 66 units then a surrogate pair: it may not be split across parts.
		{"surrogate pair not split", strings.Repeat("a", 66) + "🙂" + strings.Repeat("a", 66), UCS2, 3, 134},
		{"backtick is not GSM-7", "`", UCS2, 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			enc, parts := Segments(tc.text)
			if enc != tc.enc || parts != tc.parts {
				t.Errorf("Segments = %s, %d; want %s, %d", enc, parts, tc.enc, tc.parts)
			}
			if n := Length(tc.text); n != tc.length {
				t.Errorf("Length = %d, want %d", n, tc.length)
			}
		})
	}
}

func BenchmarkSegments(b *testing.B) {
	en := "Possible match for K-4821-7: girl about 6, pink frock, seen at Kanpur Central. Reply YES K-4821-7 or NO K-4821-7"
	hi := "संभावित मिलान K-4821-7: लड़की, लगभग 6 साल, गुलाबी फ्रॉक, कानपुर सेंट्रल। YES K-4821-7 या NO K-4821-7 लिखें"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Segments(en)
		Segments(hi)
	}
}

func TestParts(t *testing.T) {
	cases := []struct {
		s            string
		gsm          bool
		units, parts int
	}{
		{"Reply 1 boy, 2 girl", true, 19, 1},
		{"{}", true, 4, 1},    // extension table: two septets each
		{"it’s", false, 4, 1}, // a curly quote makes it UCS-2
		{"नमस्ते", false, 6, 1},
		{strings.Repeat("क", 134), false, 134, 2},
		{"😀", false, 2, 1},
	}
	for _, c := range cases {
		gsm, units, parts := Parts(c.s)
		if gsm != c.gsm || units != c.units || parts != c.parts {
			t.Errorf("Parts(%q) = %v %d %d, want %v %d %d", c.s, gsm, units, parts, c.gsm, c.units, c.parts)
		}
	}
	if !Is7('@') || !Is7('€') || Is7('’') || Is7('क') {
		t.Error("Is7 misjudges")
	}
}
