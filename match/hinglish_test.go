package match

import (
	"encoding/csv"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"talaash"
	"talaash/gsm"
	"talaash/locales"
)

// plainGSM is text an SMS carries as GSM-7 with no escape: printable ASCII
// only (no Devanagari, no curly quotes).
func plainGSM(s string) bool {
	ok, _, _ := gsm.Parts(s)
	return ok && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r > 0x7e })
}

// TestReasonsInEachLanguage: every row of reasons.csv renders in English,
// Hindi and Hinglish from the arguments its English takes, and the Hinglish is
// plain ASCII with the same arguments as the English (it is given the Latin
// values, never the Devanagari ones).
func TestReasonsInEachLanguage(t *testing.T) {
	f, err := locales.Vocab.Open("vocab/reasons.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], []string{"id", "en", "hi", "hi_latn"}) {
		t.Fatalf("header %v", rows[0])
	}
	m := newDevMatcher(t)
	verb := regexp.MustCompile(`%(?:\[(\d)\])?([sd])`)
	verbs := func(tm string) []string {
		var vs []string
		for i, v := range verb.FindAllStringSubmatch(tm, -1) {
			if v[1] == "" {
				v[1] = string(rune('1' + i))
			}
			vs = append(vs, v[1]+v[2])
		}
		slices.Sort(vs)
		return vs
	}
	for _, row := range rows[1:] {
		t.Run(row[0], func(t *testing.T) {
			if len(row) != 4 || row[3] == "" {
				t.Fatalf("want 4 fields, all given: %q", row)
			}
			id, en, latn := row[0], row[1], row[3]
			if !plainGSM(latn) {
				t.Errorf("Hinglish template %q is not plain ASCII", latn)
			}
			if !slices.Equal(verbs(en), verbs(latn)) {
				t.Errorf("Hinglish %q takes other arguments than English %q", latn, en)
			}
			var args []any
			for i, v := range verbs(en) {
				if strings.HasSuffix(v, "d") {
					args = append(args, 7+i)
				} else {
					args = append(args, []string{"Priya", "Pooja", "Parade"}[i])
				}
			}
			for lang, name := range []string{"en", "hi", "hi-Latn"} {
				out := m.tmpl(id, lang, args...)
				if out == "" || strings.Contains(out, "%!") {
					t.Errorf("%s: %q", name, out)
				}
				for _, a := range args {
					if s, ok := a.(string); ok && !strings.Contains(out, s) {
						t.Errorf("%s: %q lacks its argument %q", name, out, s)
					}
				}
			}
			if out := m.tmpl(id, langLatn, args...); !plainGSM(out) || out == m.tmpl(id, langEn, args...) {
				t.Errorf("Hinglish %q: not plain ASCII, or the English", out)
			}
		})
	}
}

// TestReasonsInHinglish: the matcher's reasons read in Hinglish, in Latin
// letters even where the records were written in Devanagari.
func TestReasonsInHinglish(t *testing.T) {
	m := newDevMatcher(t)
	miss := rec("M1", talaash.KindMissing, "male", 8, "red shirt, blue jeans", "mole on left cheek", "Parade", t0)
	miss.Name = "रमेश कुमार"
	s := rec("S1", talaash.KindSighting, "male", 9, "maroon shirt", "बाएं गाल पर तिल", "Kanpur Central", t0.Add(3*time.Hour))
	s.Age, s.AgeMin, s.AgeMax = nil, talaash.Num(8), talaash.Num(10)
	s.Name = "Rmesh"
	m.Add(miss)
	cs := m.Match(s, 5)
	if len(cs) != 1 || cs[0].Missing != "M1" {
		t.Fatalf("candidates: %+v", cs)
	}
	var latn []string
	for _, r := range cs[0].Reasons {
		if r.Latn == "" || !plainGSM(r.Latn) || r.In(locales.HiLatn) != r.Latn {
			t.Errorf("reason %+v: Hinglish missing or not plain ASCII", r)
		}
		latn = append(latn, r.Latn)
	}
	all := strings.Join(latn, "; ")
	for _, want := range []string{"left cheek par wahi mole", "laapata hone ke 3 ghante baad dekha gaya", "km door",
		"umar 8 saal aur lagbhag 8-10 saal", "milte-julte kapde: red shirt ~ maroon shirt", "milta-julta naam: Ramesh Kumar ~ Rmesh",
		"dono report mein boy"} {
		if !strings.Contains(all, want) {
			t.Errorf("Hinglish reasons lack %q: %s", want, all)
		}
	}
}

// TestReasonsWithoutHinglish: a reasons.csv of three columns still loads; its
// reasons have no Hinglish and read in English for a Hinglish reader.
func TestReasonsWithoutHinglish(t *testing.T) {
	tree := fstest.MapFS{}
	err := fs.WalkDir(locales.Vocab, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(locales.Vocab, p)
		if p == "vocab/reasons.csv" {
			var lines []string
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				lines = append(lines, l[:strings.LastIndex(l, ",")])
			}
			b = []byte(strings.Join(lines, "\n") + "\n")
		}
		tree[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(tree["vocab/reasons.csv"].Data), "id,en,hi\n") {
		t.Fatalf("not a three-column file: %.40q", tree["vocab/reasons.csv"].Data)
	}
	m, err := New(Options{Vocab: tree})
	if err != nil {
		t.Fatal(err)
	}
	miss := rec("M1", talaash.KindMissing, "female", 8, "pink frock", "mole on left cheek", "Parade", t0)
	m.Add(miss)
	cs := m.Match(rec("S1", talaash.KindSighting, "female", 8, "pink frock", "mole on left cheek", "Parade", t0.Add(5*time.Hour)), 5)
	if len(cs) != 1 || len(cs[0].Reasons) < 3 {
		t.Fatalf("candidates: %+v", cs)
	}
	for _, r := range cs[0].Reasons {
		if r.Latn != "" || r.En == "" || r.Hi == "" || r.In(locales.HiLatn) != r.En {
			t.Errorf("reason %+v", r)
		}
	}
}
