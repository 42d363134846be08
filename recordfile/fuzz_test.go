package recordfile

import (
	"bytes"
	"strings"
	"testing"

	"talaash"
)

// FuzzRead: a record file of any content, JSON lines or CSV, never panics;
// each item is a record that validates or a reason, on a line that exists;
// and what was read writes and reads back in both formats.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`{"ref":"K-1","kind":"missing","age":8,` + at + `}`,
		`{"ref":"S-1","kind":"sighting","age_min":16,"age_max":22,` + at + `}`,
		`{"ref":"S-2","kind":"sighting","age_min":21,"age_max":25,` + at + `}`,
		`{"kind":"sighting","age":1e400,` + at + `}`,
		`{"kind":"found","age":"NaN",` + at + `}`,
		`{"kind":"found","height_cm":-1,"lat":91,` + at + `}`,
		`{"kind":"missing","time":"yesterday"}`,
		`{"kind":"missing","contact":{"phone":"12345"},` + at + `}` + "\n\n" + `[1,2]` + "\n" + `{`,
		"\uFEFF" + `{"kind":"missing",` + at + `}`,
		"ref,kind,age,age_min,age_max,time\nK-1,missing,8,,,2025-06-01T10:00:00+05:30\nS-1,sighting,,16,22,2025-06-01T10:00:00Z",
		"kind,age,time\nsighting,NaN,2025-06-01T10:00:00Z\nsighting,Inf,2025-06-01T10:00:00Z\nfound,-Inf,2025-06-01T10:00:00Z",
		"kind,age_min,age_max,time\nsighting,8,NaN,2025-06-01T10:00:00Z\nsighting,0x10,1_0,2025-06-01T10:00:00Z",
		"kind,history,time\nfound,[{,2025-06-01T10:00:00Z\nfound,\"[{\"\"to\"\":\"\"open\"\"}]\",2025-06-01T10:00:00Z",
		"kind,contact_phone,photos,time\nmissing,098765-43210,a b c,2025-06-01T10:00:00Z\n\"unterminated,x",
		"ref,kind\n\"a\"b\",c\n",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, csv bool) {
		format := JSONL
		if csv {
			format = CSV
		}
		lines := strings.Count(in, "\n") + 1
		var recs []*talaash.Record
		err := NewReader(strings.NewReader(in), "", format).Read(func(it Item) bool {
			if it.Line < 1 || it.Line > lines {
				t.Fatalf("item on line %d of %d", it.Line, lines)
			}
			if (it.Record == nil) == (it.Reason == "") {
				t.Fatalf("line %d: record %v and reason %q", it.Line, it.Record, it.Reason)
			}
			if it.Record != nil {
				c := *it.Record
				if err := c.Validate(); err != nil {
					t.Fatalf("line %d: a record read is refused: %v", it.Line, err)
				}
				recs = append(recs, it.Record)
			}
			return true
		})
		if err != nil && (format == JSONL || talaash.ErrorCode(err) != talaash.EINVALID) {
			t.Fatalf("%s reading stops: %v (code %s)", format, err, talaash.ErrorCode(err))
		}
		for _, out := range []Format{JSONL, CSV} {
			var b bytes.Buffer
			w := NewWriter(&b, out)
			for _, r := range recs {
				if err := w.Write(r); err != nil {
					t.Fatalf("write %s: %v", out, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			n := 0
			if err := NewReader(&b, "", out).Read(func(it Item) bool {
				if it.Record == nil {
					t.Fatalf("%s line %d written, then refused: %s", out, it.Line, it.Reason)
				}
				n++
				return true
			}); err != nil {
				t.Fatalf("read back %s: %v", out, err)
			}
			if n != len(recs) {
				t.Fatalf("%s: wrote %d records, read back %d", out, len(recs), n)
			}
		}
	})
}
