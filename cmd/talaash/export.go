package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"talaash"
)

// csvHeader is the column order of CSV export; import reads it back.
var csvHeader = []string{"ref", "kind", "language", "name", "gender", "age", "age_min", "age_max", "height_cm",
	"complexion", "clothes", "marks", "place", "lat", "lon", "time", "text", "contact_name", "contact_phone",
	"status", "photos", "station", "safe", "channel", "address", "created", "updated", "history"}

func (m *Main) runExport(ctx context.Context, args []string) error {
	fs := m.flags("export")
	kind := fs.String("kind", "", "only records of this `kind`: missing, sighting or found")
	format := fs.String("format", "jsonl", "output `format`: jsonl or csv")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"export takes no arguments; it writes to standard output"}
	}
	if *kind != "" && !talaash.Kind(*kind).Valid() {
		return usageError{fmt.Sprintf("unknown kind %q", *kind)}
	}
	if *format != "jsonl" && *format != "csv" {
		return usageError{fmt.Sprintf("unknown format %q", *format)}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(m.Stdout, 1<<16)
	var write func(r *talaash.Record) error
	var cw *csv.Writer
	if *format == "csv" {
		cw = csv.NewWriter(w)
		if err := cw.Write(csvHeader); err != nil {
			return err
		}
		write = func(r *talaash.Record) error { return cw.Write(csvRow(r)) }
	} else {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		write = func(r *talaash.Record) error { return enc.Encode(r) }
	}
	n := 0
	err := m.DB.View(func(tx talaash.Tx) error {
		return tx.EachRecord(func(r *talaash.Record) error {
			if *kind != "" && r.Kind != talaash.Kind(*kind) {
				return nil
			}
			n++
			if n%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			return write(r)
		})
	})
	if err != nil {
		return err
	}
	if cw != nil {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return w.Flush()
}

func csvRow(r *talaash.Record) []string {
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
