package recordfile

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"talaash"
)

// got is one item as a test states it: the line, the record's ref, and a
// part of the reason it was rejected ("" for a good line).
type got struct {
	line   int
	ref    string
	reason string
}

func readAll(t *testing.T, name, in string, f Format) (Format, []got, []*talaash.Record) {
	t.Helper()
	rd := NewReader(strings.NewReader(in), name, f)
	var items []got
	var recs []*talaash.Record
	err := rd.Read(func(it Item) bool {
		g := got{line: it.Line, reason: it.Reason}
		if it.Record != nil {
			g.ref = it.Record.Ref
			recs = append(recs, it.Record)
		}
		items = append(items, g)
		return true
	})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return rd.Format(), items, recs
}

const at = `"time":"2025-06-01T10:00:00+05:30"`

func TestRead(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	tests := []struct {
		name   string
		file   string // the file's name, for Auto
		format Format
		in     string
		want   []got
		as     Format // the format Auto chose
	}{
		{
			name: "good lines, a blank one skipped, a BOM dropped", format: Auto, as: JSONL,
			in: "\uFEFF{\"ref\":\"G1\",\"kind\":\"missing\"," + at + "}\n\n" +
				`{"ref":"G2","kind":"sighting",` + at + `,"text":"Seen boy about 8 yrs red shirt at Kanpur Central"}` + "\r\n" +
				`{"ref":"G3","kind":"found",` + at + `}`, // no final newline
			want: []got{{1, "G1", ""}, {3, "G2", ""}, {4, "G3", ""}},
		},
		{
			name: "bad JSON and bad values, the rest still read", format: JSONL, as: JSONL,
			in: `{"ref":"B1","kind":"missing","time":` + "\n" +
				`{"ref":"B2","kind":"found",` + at + `,"age":"eight"}` + "\n" +
				`["not an object"]` + "\n" +
				`{"ref":"B4","kind":"found","time":"yesterday evening"}` + "\n" +
				`{"ref":"B5","kind":"lost",` + at + `}` + "\n" +
				`{"ref":"G1","kind":"missing",` + at + `}` + "\n",
			want: []got{{1, "", "invalid JSON"}, {2, "", "invalid JSON: age must be a number, not string"},
				{3, "", "invalid JSON: want an object"}, {4, "", `time "yesterday evening" is not RFC 3339`},
				{5, "", `unknown kind "lost"`}, {6, "G1", ""}},
		},
		{
			name: "a 2 MB line is rejected, the next one read", format: Auto, as: JSONL,
			in: `{"ref":"L1","kind":"found",` + at + `,"text":"` + long + `"}` + "\n" +
				`{"ref":"G1","kind":"found",` + at + `}` + "\n",
			want: []got{{1, "", "longer than 64 KiB"}, {2, "G1", ""}},
		},
		{name: "an empty file", format: Auto, as: JSONL, in: ""},
		{name: "an empty CSV file", file: "cases.csv", format: Auto, as: CSV, in: ""},
		{
			name: "CSV with quoted commas, a quoted line break and Devanagari", format: Auto, as: CSV,
			in: "ref,kind,time,clothes,place,contact_phone\n" +
				"C1,missing,2025-06-01T10:00:00Z,\"लाल कमीज़, नीली जींस\",\"Kanpur, Central\",98765 43210\n" +
				"C2,sighting,2025-06-01T10:00:00Z,\"red shirt,\nblue jeans\",बड़ा चौराहा,\n" +
				"C3,found,2025-06-01T10:00:00Z,,,\n",
			want: []got{{2, "C1", ""}, {3, "C2", ""}, {5, "C3", ""}},
		},
		{
			name: "CSV bad rows: a number, a time, a quote, a 2 MB row", file: "x.csv", format: Auto, as: CSV,
			in: "kind,ref,time,age,text\n" +
				"missing,C1,2025-06-01T10:00:00Z,seven,\n" +
				"found,C2,not a time,,\n" +
				"found,C3,2025-06-01T10:00:00Z,,a \"quote\" inside\n" +
				"found,C4,2025-06-01T10:00:00Z,," + long + "\n" +
				"found,C5,2025-06-01T10:00:00Z,7,\n",
			want: []got{{2, "", `age "seven" is not a number`}, {3, "", `time "not a time" is not RFC 3339`},
				{4, "", "invalid CSV"}, {5, "", "longer than 64 KiB"}, {6, "C5", ""}},
		},
		{
			name: "CSV forced on a file that looks like neither", format: CSV, as: CSV,
			in:   "Kind,Ref,Time\nfound,C1,2025-06-01T10:00:00Z\n",
			want: []got{{2, "C1", ""}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			as, items, _ := readAll(t, tc.file, tc.in, tc.format)
			if as != tc.as {
				t.Errorf("read as %q, want %q", as, tc.as)
			}
			if len(items) != len(tc.want) {
				t.Fatalf("items %v, want %v", items, tc.want)
			}
			for i, w := range tc.want {
				g := items[i]
				if g.line != w.line || g.ref != w.ref || (w.reason == "") != (g.reason == "") || !strings.Contains(g.reason, w.reason) {
					t.Errorf("item %d: %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// TestReadValues: what the lines say arrives in the record, whichever format.
func TestReadValues(t *testing.T) {
	_, _, recs := readAll(t, "", "ref,kind,time,clothes,place,contact_name,contact_phone,photos,age_min,age_max\n"+
		"C1,missing,2025-06-01T10:00:00+05:30,\"लाल कमीज़, नीली जींस\",\"Kanpur, Central\",सुनीता,98765 43210,p1 p2,7,9\n", Auto)
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	lo, hi, _ := r.Ages()
	if r.Clothes != "लाल कमीज़, नीली जींस" || r.Place != "Kanpur, Central" || r.Contact == nil || r.Contact.Name != "सुनीता" ||
		r.Contact.Phone != "+919876543210" || !slices.Equal(r.Photos, []string{"p1", "p2"}) || lo != 7 || hi != 9 ||
		!r.Time.Equal(time.Date(2025, 6, 1, 4, 30, 0, 0, time.UTC)) {
		t.Errorf("record %+v", r)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"auto": Auto, "jsonl": JSONL, "json": JSONL, "csv": CSV} {
		if f, err := ParseFormat(in); err != nil || f != want {
			t.Errorf("%q: %q %v", in, f, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || err.Error() != `unknown format "xml"` {
		t.Errorf("xml: %v", err)
	}
}

// TestWriteReadBack: what Writer writes, Reader reads back the same, in
// both formats, Devanagari, commas and line breaks included.
func TestWriteReadBack(t *testing.T) {
	when := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	recs := []*talaash.Record{
		{Ref: "K-1", Kind: talaash.KindMissing, Language: "hi", Name: "रवि", Gender: "male", Age: talaash.Num(8),
			Clothes: "लाल कमीज़, नीली जींस", Marks: "mole, left\ncheek", Place: "Kanpur, Central", Time: when,
			Contact: &talaash.Contact{Name: "Sunita", Phone: "+919876543210"}, Photos: []string{"a", "b"}, Status: talaash.StatusOpen},
		{Ref: "K-2", Kind: talaash.KindSighting, Language: "en", AgeMin: talaash.Num(5), AgeMax: talaash.Num(7),
			Lat: talaash.Num(26.4545), Lon: talaash.Num(80.3513), Time: when, Text: `seen "girl" at the station`, Status: talaash.StatusOpen},
	}
	for _, f := range []Format{JSONL, CSV} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, f)
			for _, r := range recs {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if f == CSV && !strings.HasPrefix(buf.String(), strings.Join(Columns, ",")+"\n") {
				t.Errorf("no header: %.80q", buf.String())
			}
			as, items, back := readAll(t, "", buf.String(), Auto)
			if as != f || len(back) != len(recs) {
				t.Fatalf("read back as %q: %v", as, items)
			}
			for i := range recs {
				a, _ := json.Marshal(recs[i])
				b, _ := json.Marshal(back[i])
				if !bytes.Equal(a, b) {
					t.Errorf("record %d:\nwrote %s\nread  %s", i, a, b)
				}
			}
		})
	}
}

// TestReadStops: emit returning false ends the reading without an error.
func TestReadStops(t *testing.T) {
	in := strings.Repeat(`{"ref":"G","kind":"found",`+at+`}`+"\n", 5)
	n := 0
	err := NewReader(strings.NewReader(in), "", Auto).Read(func(Item) bool { n++; return n < 2 })
	if err != nil || n != 2 {
		t.Errorf("%d items, %v", n, err)
	}
}

// TestReadAges: a witness's range that begins in childhood is read as given;
// what is no number gets a reason that says so, in either format.
func TestReadAges(t *testing.T) {
	const when = "2025-06-01T10:00:00Z"
	_, items, _ := readAll(t, "", "kind,age,age_min,age_max,time\n"+
		"sighting,,16,22,"+when+"\nsighting,,21,25,"+when+"\nsighting,NaN,,,"+when+"\nfound,,8,Inf,"+when+"\nfound,0x10,,,"+when+"\n", CSV)
	want := []got{{2, "", ""}, {3, "", "age_min 21 is outside"}, {4, "", `age "NaN" is not a number`},
		{5, "", `age_max "Inf" is not a number`}, {6, "", `age "0x10" is not a number`}}
	if len(items) != len(want) {
		t.Fatalf("items %+v", items)
	}
	for i, w := range want {
		if items[i].line != w.line || (w.reason == "") != (items[i].reason == "") || !strings.Contains(items[i].reason, w.reason) {
			t.Errorf("item %d: %+v, want %+v", i, items[i], w)
		}
	}
	_, items, _ = readAll(t, "", `{"kind":"found","age_min":16,"age_max":22,"time":"`+when+`"}`+"\n"+
		`{"kind":"found","age":1e400,"time":"`+when+`"}`+"\n", JSONL)
	if len(items) != 2 || items[0].reason != "" || items[1].reason == "" {
		t.Errorf("items %+v", items)
	}
}
