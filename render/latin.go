package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"talaash"
	"talaash/gsm"
)

// Latin writes Devanagari in Latin letters the way people type Hindi on a
// phone ("अंजलि" -> "anjali", "लाल कमीज़" -> "lal kamiz", "लड़का" -> "ladka"),
// leaving every other character as it is. It exists for SMS: one Devanagari
// letter turns a whole message into UCS-2 (67 characters a part instead of
// 153), which cut two-part alerts down to a name.
//
// It is a reading aid for police, not a scholarly transliteration: long and
// short vowels fold (ā -> a, ī -> i), nukta letters take their Urdu sounds
// (ज़ -> z, फ़ -> f), and the inherent vowel is dropped where Hindi drops it
// (word end, and between a vowel-led consonant and a consonant with a vowel:
// "कमला" -> "kamla").
func Latin(s string) string {
	if !talaash.Devanagari(s) {
		return s
	}
	var b strings.Builder
	rs := []rune(norm.NFC.String(s))
	for i := 0; i < len(rs); {
		if !isDeva(rs[i]) {
			if p, ok := devaPunct[rs[i]]; ok {
				b.WriteString(p)
			} else {
				b.WriteRune(rs[i])
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && isDeva(rs[j]) {
			j++
		}
		b.WriteString(latinWord(rs[i:j]))
		i = j
	}
	return b.String()
}

// isDeva is the Devanagari block less its punctuation and digits, which are
// written as they are elsewhere (see devaPunct) and so end a word.
func isDeva(r rune) bool { return talaash.DevanagariLetter(r) }

var devaPunct = map[rune]string{
	'।': ".", '॥': ".", '॰': ".",
	'०': "0", '१': "1", '२': "2", '३': "3", '४': "4", '५': "5", '६': "6", '७': "7", '८': "8", '९': "9",
}

// consonants with their Latin letters; nukta forms are folded in by NFC
// (which keeps U+0958-095F decomposed) and looked up with the nukta.
var consonants = map[string]string{
	"क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n",
	"च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
	"ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
	"त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
	"प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
	"य": "y", "र": "r", "ल": "l", "ळ": "l", "व": "v",
	"श": "sh", "ष": "sh", "स": "s", "ह": "h",
	"क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "d", "ढ़": "dh", "फ़": "f", "य़": "y", "ऱ": "r", "ऩ": "n",
}

// vowels: independent letters and the signs (matras) that follow a consonant.
var vowels = map[rune]string{
	'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri", 'ॠ': "ri",
	'ए': "e", 'ऐ': "ai", 'ओ': "o", 'औ': "au", 'ऑ': "o", 'ऍ': "e", 'ऎ': "e", 'ऒ': "o", 'ॲ': "e",
	'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri", 'ॄ': "ri",
	'े': "e", 'ै': "ai", 'ो': "o", 'ौ': "au", 'ॉ': "o", 'ॅ': "e", 'ॆ': "e", 'ॊ': "o",
}

const (
	virama   = '्'
	nukta    = '़'
	anusvara = 'ं'
	candra   = 'ँ'
	visarga  = 'ः'
)

// syllable is one consonant (or none, for a vowel letter) and what follows it.
type syllable struct {
	cons    string // Latin consonant, "" for an independent vowel or a mark
	vowel   string // Latin vowel sign; "" with inherent
	inh     bool   // carries the inherent vowel "a"
	cluster bool   // ends in a virama: joined to the next consonant
	after   string // anusvara, visarga, or anything else written after
	labial  bool   // a labial consonant (an anusvara before it reads "m")
	base    rune   // the consonant letter
}

func latinWord(w []rune) string {
	var syl []syllable
	for i := 0; i < len(w); {
		r := w[i]
		key := string(r)
		if i+1 < len(w) && w[i+1] == nukta {
			key += string(nukta)
		}
		if c, ok := consonants[key]; ok {
			i += utf8.RuneCountInString(key)
			s := syllable{cons: c, inh: true, labial: strings.ContainsRune("पफबभम", r), base: r}
			if i < len(w) {
				if w[i] == virama {
					s.inh, s.cluster = false, true
					i++
				} else if v, ok := vowels[w[i]]; ok && !isIndependent(w[i]) {
					s.inh, s.vowel = false, v
					i++
				}
			}
			// ज्ञ is said "gy" (gyan), whatever its letters.
			if r == 'ज' && s.cluster && i < len(w) && w[i] == 'ञ' {
				s.cons, s.cluster = "g", false
				s.inh = false
				syl = append(syl, s)
				t := syllable{cons: "y", inh: true}
				i++
				if i < len(w) {
					if v, ok := vowels[w[i]]; ok && !isIndependent(w[i]) {
						t.inh, t.vowel = false, v
						i++
					}
				}
				syl = append(syl, t)
				continue
			}
			syl = append(syl, s)
			continue
		}
		if v, ok := vowels[r]; ok {
			syl = append(syl, syllable{vowel: v})
			i++
			continue
		}
		i++
		var mark string
		switch r {
		case anusvara, candra:
			mark = "n"
		case visarga:
			mark = "h"
		default:
			continue // nukta on its own, avagraha, stray signs: nothing to say
		}
		if len(syl) == 0 {
			syl = append(syl, syllable{})
		}
		syl[len(syl)-1].after += mark
	}
	dropSchwas(syl)
	var b strings.Builder
	for k, s := range syl {
		b.WriteString(s.cons)
		if s.inh {
			b.WriteString("a")
		}
		b.WriteString(s.vowel)
		after := s.after
		// An anusvara before p, b, m reads m: "कंबल" -> "kambal".
		if after == "n" && k+1 < len(syl) && syl[k+1].labial {
			after = "m"
		}
		b.WriteString(after)
	}
	return b.String()
}

func isIndependent(r rune) bool { return r >= 'ऄ' && r <= 'औ' || r == 'ॲ' || r == 'ॠ' }

// dropSchwas silences the inherent vowels Hindi does not say: the last one of
// a word (unless the word is one letter, or ends in a cluster with r, y or v:
// "मित्र" and "राजेन्द्र" keep theirs, "दोस्त" and "शर्ट" do not), and, right to left, one between a sounded vowel and a consonant
// that has its own vowel ("कमला" -> "kamla", but "नगर" -> "nagar").
func dropSchwas(syl []syllable) {
	n := len(syl)
	if n == 0 {
		return
	}
	voiced := func(s syllable) bool { return s.inh || s.vowel != "" }
	last := &syl[n-1]
	if last.inh && last.cons != "" && last.after == "" && n > 1 && !(syl[n-2].cluster && strings.ContainsRune("रयव", last.base)) {
		last.inh = false
	}
	for k := n - 2; k >= 1; k-- {
		s := &syl[k]
		if !s.inh || s.after != "" || s.cons == "" {
			continue
		}
		prev, next := syl[k-1], syl[k+1]
		if prev.cluster || prev.after != "" || !voiced(prev) || next.cons == "" || !voiced(next) {
			continue
		}
		s.inh = false
	}
}

// SMSSafe makes free text fit GSM-7: Devanagari in Latin letters, typographic
// quotes and dashes as their plain forms, accents that GSM-7 lacks stripped,
// and anything else (emoji, other scripts) left out.
func SMSSafe(s string) string {
	s = Latin(s)
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
	f := strings.Fields(Latin(s))
	for i, w := range f {
		r, n := utf8.DecodeRuneInString(w)
		f[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(f, " ")
}
