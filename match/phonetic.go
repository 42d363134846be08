package match

import "strings"

// key folds a token to a phonetic key: transliterated with long vowels
// doubled (the inflection endings are told by them), then aspirates and long
// vowels folded, doubled letters collapsed and one final vowel dropped, so
// that नीला, नीली, neela, neeli and nila all meet at "nil".
func (v *vocab) key(tok string) string { return v.fold(tok, true) }

// nameKey is key without dropping the final vowel: in names it tells Ankit
// from Ankita and Deepak from Deepika.
func (v *vocab) nameKey(tok string) string { return v.fold(tok, false) }

func (v *vocab) fold(tok string, dropFinal bool) string {
	s := v.translit.Long(tok)
	if s == "" {
		return ""
	}
	if dropFinal {
		s = inflection(tok, s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			continue
		}
		next := byte(0)
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case c == 'h' && len(b) > 0 && strings.IndexByte("kgcjtdpbsr", b[len(b)-1]) >= 0:
			continue // aspirate: bh ~ b, sh ~ s, ch ~ c
		case c == 'p' && next == 'h':
			c = 'f'
			i++
		case c == 'w':
			c = 'v'
		case c == 'z':
			c = 'j'
		case c == 'q':
			c = 'k'
		case c == 'x':
			b = append(b, 'k')
			c = 's'
		case c == 'c' && next == 'k':
			c = 'k'
			i++
		case c == 'y' && len(b) > 0 && !isVowel(b[len(b)-1]) && next != 0 && isVowel(next):
			continue // jyoti ~ joti
		case c == 'e' && next == 'e':
			c = 'i' // neela ~ nila, Deepak ~ Dipak
			i++
		case c == 'o' && next == 'o':
			c = 'u' // joota ~ juta, Pooja ~ Puja
			i++
		case c == 'o' && next == 'u':
			c = 'a' // Gourav ~ Gaurav
		case c == 'm' && (next == 'b' || next == 'p'):
			c = 'n' // anusvara before a labial: चंपा ~ Champa
		}
		if len(b) > 0 && b[len(b)-1] == c && c != '-' {
			continue
		}
		b = append(b, c)
	}
	if dropFinal && len(b) > 3 && isVowel(b[len(b)-1]) {
		b = b[:len(b)-1]
		if len(b) > 3 && isVowel(b[len(b)-1]) {
			b = b[:len(b)-1] // "gehua", "kurtaa" after collapse
		}
	}
	return string(b)
}

// inflection takes off the nasal and glide of Hindi plural and oblique
// endings, so that कालें, kaley and kaale meet काला at one key: a final
// anusvara after a vowel sign (-ें, -ीं, -ों), a final -ey or -ay.
func inflection(tok, s string) string {
	if n := len(s); n > 3 && s[n-1] == 'n' && isVowel(s[n-2]) && strings.HasSuffix(tok, "ं") {
		if r := []rune(tok); len(r) > 2 && r[len(r)-2] >= 'ा' && r[len(r)-2] <= 'ौ' {
			return s[:n-1]
		}
	}
	if n := len(s); n > 3 && s[n-1] == 'y' && (s[n-2] == 'e' || s[n-2] == 'a') && !isVowel(s[n-3]) {
		return s[:n-1]
	}
	return s
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// skeleton is a key without vowels after the first letter: rmsh ~ ramesh.
func skeleton(k string) string {
	var buf [64]byte
	return string(skel(k, buf[:0]))
}

// sameSkeleton compares the skeletons of two keys without allocating: it
// runs for every candidate with a name.
func sameSkeleton(a, b string) bool {
	var x, y [64]byte
	if len(a) > 64 || len(b) > 64 {
		return skeleton(a) == skeleton(b)
	}
	return string(skel(a, x[:0])) == string(skel(b, y[:0]))
}

func skel(k string, b []byte) []byte {
	if k == "" {
		return b
	}
	b = append(b, k[0])
	for i := 1; i < len(k); i++ {
		if !isVowel(k[i]) && k[i] != 'y' && k[i] != 'h' && k[i] != b[len(b)-1] {
			b = append(b, k[i])
		}
	}
	return b
}
