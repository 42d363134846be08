// Package translit writes Devanagari in Latin letters the way people type
// Hindi on a phone ("अंजलि" -> "anjali", "लाल कमीज़" -> "lal kamiz",
// "लड़का" -> "ladka"), from the table in locales/vocab/translit.csv. SMS text
// uses it so that one Devanagari letter does not make a message UCS-2, and
// the matcher folds its phonetic keys from it, so both read a word alike.
//
// It is a reading aid, not a scholarly transliteration: long and short vowels
// fold (ā -> a, ī -> i) unless asked to keep them (Long), nukta letters take
// their Urdu sounds (ज़ -> z, फ़ -> f), and the inherent vowel is dropped
// where Hindi drops it.
package translit

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"talaash"
	"talaash/locales"
)

// File is the table's path in a vocabulary tree such as locales.Vocab.
const File = "vocab/translit.csv"

// Kinds of table rows (the csv's type column).
const (
	kVowel  = 'v' // a vowel letter: अ, ई
	kSign   = 'm' // a vowel sign after a consonant: ा, ी
	kAfter  = 'n' // written after its syllable: anusvara, chandrabindu, visarga
	kVirama = 'x'
	kNukta  = 'z'
	kCons   = 'c' // a consonant, a nukta form (ज़) or a conjunct read whole (ज्ञ)
	kDigit  = 'd'
	kPunct  = 'p'
	kWord   = 'w' // a whole word the inherent-vowel rule reads wrongly
)

type letter struct {
	latin  string
	short  string // latin with a long vowel folded: "aa" -> "a"
	kind   byte
	joined string // the consonant's Latin after another consonant ("w" for व)
	conj   bool   // a conjunct: starts with a cluster
}

// Table is a loaded transliteration table.
type Table struct {
	block   [0x80]letter         // one-letter rows of the Devanagari block, by r-0x0900
	starts  [0x80]bool           // the letter begins a longer row (क़, ज्ञ)
	letters map[string]letter    // the other rows
	words   map[string][2]string // long, folded
	longest int                  // runes in the longest letter key
}

// Load reads the table from fsys at File.
func Load(fsys fs.FS) (*Table, error) {
	f, err := fsys.Open(File)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", File, err)
	}
	t := &Table{letters: map[string]letter{}, words: map[string][2]string{}}
	for i, r := range rows {
		if i == 0 {
			continue // header
		}
		if len(r) < 3 || r[0] == "" || len(r[2]) != 1 || !strings.Contains("vmnxzcdpw", r[2]) {
			return nil, fmt.Errorf("%s: line %d: want devanagari,latin,type[,joined]", File, i+1)
		}
		// NFC as Latin reads its input: U+0958-095F become letter + nukta.
		key := norm.NFC.String(r[0])
		if r[2][0] == kWord {
			t.words[wordKey(key)] = [2]string{r[1], fold.Replace(r[1])}
			continue
		}
		l := letter{latin: r[1], short: fold.Replace(r[1]), kind: r[2][0], conj: strings.ContainsRune(key, virama)}
		if len(r) > 3 {
			l.joined = r[3]
		}
		first, size := utf8.DecodeRuneInString(key)
		switch {
		case size == len(key) && inBlock(first):
			t.block[first-0x0900] = l
		case inBlock(first):
			t.starts[first-0x0900] = true
			fallthrough
		default:
			t.letters[key] = l
		}
		t.longest = max(t.longest, utf8.RuneCountInString(key))
	}
	return t, nil
}

const virama = '्'

// fold writes the table's long vowels short.
var fold = strings.NewReplacer("aa", "a", "ii", "i", "uu", "u")

// wordKey is how whole-word rows are looked up: without nukta, chandrabindu
// as anusvara, the way the matcher's tokens write a word.
func wordKey(w string) string {
	if !strings.ContainsAny(w, "़ँ") {
		return w
	}
	return wordMarks.Replace(w)
}

var wordMarks = strings.NewReplacer("़", "", "ँ", "ं")

var embedded = sync.OnceValue(func() *Table {
	t, err := Load(locales.Vocab)
	if err != nil {
		panic("translit: embedded table: " + err.Error())
	}
	return t
})

// Latin is Table.Latin with the embedded table.
func Latin(s string) string { return embedded().Latin(s) }

// Latin writes the Devanagari in s in Latin letters as they are read, long
// vowels short ("नीली" -> "nili"), leaving every other character as it is.
func (t *Table) Latin(s string) string { return t.latin(s, false) }

// Long is Latin with long vowels doubled ("नीली" -> "niilii"), for the
// matcher, whose inflection rules tell चाय from a typed -ay ending.
func (t *Table) Long(s string) string { return t.latin(s, true) }

func (t *Table) latin(s string, long bool) string {
	if !talaash.Devanagari(s) {
		return s
	}
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s) / 2)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !talaash.DevanagariLetter(r) {
			l, _, ok := t.lookup(s, i)
			if inBlock(r) && ok {
				b.WriteString(l.latin) // digits, danda
			} else {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !talaash.DevanagariLetter(r) {
				break
			}
			j += n
		}
		t.word(&b, s[i:j], long)
		i = j
	}
	return b.String()
}

// syllable is one consonant (or none, for a vowel letter) and what follows it.
type syllable struct {
	cons    string // Latin consonant, "" for a vowel letter or a lone mark
	joined  string // cons after another consonant, if it differs
	vowel   string // Latin vowel; "" with the inherent one or none
	inh     bool   // carries the inherent vowel "a"
	cluster bool   // ends in a virama: joined to the next consonant
	conj    bool   // a conjunct letter, so it starts with a cluster
	after   string // anusvara, visarga
}

func (s syllable) voiced() bool { return s.inh || s.vowel != "" }

func inBlock(r rune) bool { return r >= 0x0900 && r < 0x0980 }

// lookup finds the longest letter of the table at w[i:] and its length in
// bytes (one rune's when there is none).
func (t *Table) lookup(w string, i int) (letter, int, bool) {
	r, size := utf8.DecodeRuneInString(w[i:])
	if inBlock(r) && t.starts[r-0x0900] {
		// the rows of more than one letter, longest first
		var ends [8]int
		n := 0
		for e := i; e < len(w) && n < min(t.longest, len(ends)); n++ {
			_, sz := utf8.DecodeRuneInString(w[e:])
			e += sz
			ends[n] = e
		}
		for k := n - 1; k > 0; k-- {
			if l, ok := t.letters[w[i:ends[k]]]; ok {
				return l, ends[k] - i, true
			}
		}
	}
	if inBlock(r) {
		l := t.block[r-0x0900]
		return l, size, l.kind != 0
	}
	l, ok := t.letters[w[i:i+size]]
	return l, size, ok
}

// word writes one word of Devanagari letters to b.
func (t *Table) word(b *strings.Builder, w string, long bool) {
	if l, ok := t.words[wordKey(w)]; ok {
		if long {
			b.WriteString(l[0])
		} else {
			b.WriteString(l[1])
		}
		return
	}
	pick := func(l letter) string {
		if long {
			return l.latin
		}
		return l.short
	}
	var buf [16]syllable
	syl := buf[:0]
	for i := 0; i < len(w); {
		l, n, ok := t.lookup(w, i)
		i += n
		switch {
		case !ok, l.kind == kNukta, l.kind == kVirama:
			// a stray sign or one the table lacks: nothing to say
		case l.kind == kCons:
			s := syllable{cons: l.latin, joined: l.joined, inh: true, conj: l.conj}
			for i < len(w) {
				m, n, ok := t.lookup(w, i)
				if !ok || m.kind != kNukta {
					break
				}
				i += n // a nukta the letter has no row for
			}
			if m, n, ok := t.lookup(w, i); ok && (m.kind == kVirama || m.kind == kSign) {
				s.inh, s.cluster, s.vowel = false, m.kind == kVirama, pick(m)
				i += n
			}
			syl = append(syl, s)
		case l.kind == kVowel, l.kind == kSign:
			// a vowel sign after another or after a virama is a slip of
			// the pen ("स्ेटर"): it is still said
			syl = append(syl, syllable{vowel: pick(l)})
		case l.kind == kAfter:
			if len(syl) == 0 {
				syl = append(syl, syllable{})
			}
			syl[len(syl)-1].after += l.latin
		}
	}
	dropSchwas(syl)
	for k, s := range syl {
		// "स्वेटर" -> "swetar", "सांवला" -> "sanwla", but a silent last one
		// stays: "पांव" -> "panv".
		if s.joined != "" && k > 0 && (s.voiced() || k+1 < len(syl)) && consonantal(syl[k-1]) {
			b.WriteString(s.joined)
		} else {
			b.WriteString(s.cons)
		}
		if s.inh {
			b.WriteString("a")
		}
		b.WriteString(s.vowel)
		after := s.after
		// An anusvara before p, b, m reads m: "कंबल" -> "kambal".
		if after == "n" && k+1 < len(syl) && syl[k+1].cons != "" && strings.IndexByte("pbm", syl[k+1].cons[0]) >= 0 {
			after = "m"
		}
		b.WriteString(after)
	}
}

// consonantal reports whether a syllable ends in a consonant sound: a
// cluster, a consonant whose vowel is silent, or a nasal.
func consonantal(s syllable) bool {
	return s.cluster || s.cons != "" && !s.voiced() || strings.HasSuffix(s.after, "n")
}

// dropSchwas silences the inherent vowels Hindi does not say. The last one of
// a word goes (unless the word is one letter, or ends in a cluster with r, y
// or v: "मित्र" and "राजेन्द्र" keep theirs, "दोस्त" and "शर्ट" do not); and,
// right to left, one between a sounded vowel, nasal or not, and a single
// consonant with its own vowel ("कमला" -> "kamla", "सांवला" -> "sanwla",
// "भटकता" -> "bhatakta", but "नगर" -> "nagar").
func dropSchwas(syl []syllable) {
	n := len(syl)
	if n == 0 {
		return
	}
	last := &syl[n-1]
	if last.inh && last.cons != "" && last.after == "" && n > 1 &&
		!((syl[n-2].cluster || last.conj) && strings.ContainsAny(last.cons[len(last.cons)-1:], "ryv")) {
		last.inh = false
	}
	for k := n - 2; k >= 1; k-- {
		s := &syl[k]
		if !s.inh || s.after != "" || s.cons == "" {
			continue
		}
		prev, next := syl[k-1], syl[k+1]
		if prev.cluster || prev.after != "" && prev.after != "n" || !prev.voiced() || next.cons == "" || next.conj || !next.voiced() {
			continue
		}
		s.inh = false
	}
}
