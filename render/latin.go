package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"talaash"
	"talaash/gsm"
	"talaash/translit"
)

// SMSSafe makes free text fit GSM-7: Devanagari in Latin letters, typographic
// quotes and dashes as their plain forms, accents that GSM-7 lacks stripped,
// and anything else (emoji, other scripts) left out.
func SMSSafe(s string) string {
	s = translit.Latin(s)
	var b strings.Builder
	for _, r := range s {
		if p, ok := plain[r]; ok {
			b.WriteString(p)
			continue
		}
		if gsm.Is7(r) {
			b.WriteRune(r)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if gsm.Is7(d) {
				b.WriteRune(d)
			}
		}
	}
	return strings.Join(strings.FieldsFunc(b.String(), unicode.IsSpace), " ")
}

var plain = map[rune]string{
	'‘': "'", '’': "'", '‚': "'", '′': "'", '“': "\"", '”': "\"", '„': "\"", '″': "\"",
	'–': "-", '—': "-", '‐': "-", '‑': "-", '−': "-", '…': "...", '•': "-", '·': "-",
	'\u00a0': " ", '\u2009': " ", '\u200b': "", '\u200c': "", '\u200d': "", '\t': " ",
}

// Titled capitalises each word's first letter: names and places transliterated
// from Devanagari ("गोविंद नगर" -> "Govind Nagar"). Latin text is left as written.
func Titled(s string) string {
	if !talaash.Devanagari(s) {
		return s
	}
	f := strings.Fields(translit.Latin(s))
	for i, w := range f {
		r, n := utf8.DecodeRuneInString(w)
		f[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(f, " ")
}
