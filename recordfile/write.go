package recordfile

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"talaash"
)

// Columns is the header and column order of the CSV form; reading takes the
// columns in any order, by these names.
var Columns = []string{"ref", "kind", "language", "name", "gender", "age", "age_min", "age_max", "height_cm",
	"complexion", "clothes", "marks", "place", "lat", "lon", "time", "text", "contact_name", "contact_phone",
	"status", "photos", "station", "safe", "channel", "address", "created", "updated", "history"}

// Writer writes records in one format, buffered: call Flush at the end.
type Writer struct {
	bw  *bufio.Writer
	cw  *csv.Writer   // CSV
	enc *json.Encoder // JSON lines
}

// NewWriter writes CSV (its header first) or, for any other format, JSON
// lines to w.
func NewWriter(w io.Writer, f Format) *Writer {
	x := &Writer{bw: bufio.NewWriterSize(w, 1<<16)}
	if f == CSV {
		x.cw = csv.NewWriter(x.bw)
		// a failure sticks in the buffered writers and comes back from Write or Flush
		_ = x.cw.Write(Columns)
		return x
	}
	x.enc = json.NewEncoder(x.bw)
	x.enc.SetEscapeHTML(false)
	return x
}

// Write writes one record.
func (x *Writer) Write(r *talaash.Record) error {
	if x.cw != nil {
		return x.cw.Write(row(r))
	}
	return x.enc.Encode(r)
}

// Flush writes out what is buffered.
func (x *Writer) Flush() error {
	if x.cw != nil {
		x.cw.Flush()
		if err := x.cw.Error(); err != nil {
			return err
		}
	}
	return x.bw.Flush()
}

// row is a record as a CSV row in the order of Columns.
func row(r *talaash.Record) []string {
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	tm := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	var cname, cphone, history string
	if r.Contact != nil {
		cname, cphone = r.Contact.Name, r.Contact.Phone
	}
	if len(r.History) > 0 {
		b, _ := json.Marshal(r.History)
		history = string(b)
	}
	return []string{r.Ref, string(r.Kind), r.Language, r.Name, r.Gender, num(r.Age), num(r.AgeMin), num(r.AgeMax),
		num(r.HeightCM), r.Complex, r.Clothes, r.Marks, r.Place, num(r.Lat), num(r.Lon), tm(r.Time), r.Text,
		cname, cphone, string(r.Status), strings.Join(r.Photos, " "), r.Station, r.Safe, r.Channel, r.Address,
		tm(r.Created), tm(r.Updated), history}
}
