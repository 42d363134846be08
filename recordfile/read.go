// Package recordfile reads and writes files of records in the record format:
// JSON lines (one object a line) or CSV (a header of record-format names, one
// record a row). Reading goes line by line and never stops at a bad line: each
// comes back with its line number and the reason it was rejected.
package recordfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"talaash"
)

// MaxLine is the longest line read; a longer one is rejected, not fatal.
const MaxLine = 64 << 10

// Format is how a record file is written.
type Format string

// Formats.
const (
	Auto  Format = "auto" // reading only: CSV by name or header, else JSON lines
	JSONL Format = "jsonl"
	CSV   Format = "csv"
)

// ParseFormat reads a format's name: auto, jsonl (or json) or csv.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "auto":
		return Auto, nil
	case "jsonl", "json":
		return JSONL, nil
	case "csv":
		return CSV, nil
	}
	return "", fmt.Errorf("unknown format %q", s)
}

// Item is one line read: a valid record, or the reason it was rejected.
type Item struct {
	Line   int // the line the record starts on, from 1
	Record *talaash.Record
	Reason string
}

// Reader reads a record file.
type Reader struct {
	br     *bufio.Reader
	format Format
}

// NewReader reads r in format f; Auto decides by the file's name (".csv"),
// else by its first line: JSON lines start with "{", a CSV export with its
// header.
func NewReader(r io.Reader, name string, f Format) *Reader {
	rd := &Reader{br: bufio.NewReaderSize(r, 1<<16), format: f}
	if f == Auto {
		rd.format = JSONL
		if looksCSV(rd.br, name) {
			rd.format = CSV
		}
	}
	return rd
}

// Format is the format being read (never Auto).
func (rd *Reader) Format() Format { return rd.format }

// Read calls emit with every line in turn, skipping blank ones, until the end
// or until emit returns false. An error means the rest cannot be read.
func (rd *Reader) Read(emit func(Item) bool) error {
	if rd.format == CSV {
		return readCSV(rd.br, emit)
	}
	return readJSONL(rd.br, emit)
}

func looksCSV(br *bufio.Reader, name string) bool {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return true
	}
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	return bytes.HasPrefix(head, []byte("ref,")) || bytes.HasPrefix(head, []byte("kind,"))
}

func tooLong() string { return fmt.Sprintf("line is longer than %d KiB", MaxLine>>10) }

func readJSONL(br *bufio.Reader, emit func(Item) bool) error {
	for n := 1; ; n++ {
		line, long, err := readLine(br, MaxLine)
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		it := Item{Line: n}
		switch {
		case long:
			it.Reason = tooLong()
		case len(bytes.TrimSpace(line)) == 0:
			continue
		default:
			it.Record, err = ParseRecord(line)
			if err != nil {
				it.Reason = talaash.ErrorMessage(err)
			}
		}
		if !emit(it) {
			return nil
		}
	}
}

// readLine reads one line without its end; a line over max bytes is read to
// its end and dropped, with tooLong set, so one bad line cannot stop the rest.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, isPrefix, err := br.ReadLine()
		if err != nil {
			if err == io.EOF && (line != nil || tooLong) {
				return line, tooLong, nil
			}
			return nil, false, err
		}
		if !tooLong {
			if len(line)+len(chunk) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
				if line == nil {
					line = []byte{}
				}
			}
		}
		if !isPrefix {
			if line == nil {
				line = []byte{}
			}
			return line, tooLong, nil
		}
	}
}

// wire is a record as it arrives: time as text, so a bad one gets a clear message.
type wire struct {
	*talaash.Record
	Time *string `json:"time"`
}

// ParseRecord decodes and validates one record in the record format.
func ParseRecord(b []byte) (*talaash.Record, error) {
	w := wire{Record: new(talaash.Record)}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "%s", jsonReason(err))
	}
	r := w.Record
	if w.Time != nil && strings.TrimSpace(*w.Time) != "" {
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(*w.Time))
		if err != nil {
			return nil, talaash.Errorf(talaash.EINVALID, "time %q is not RFC 3339 (like 2025-06-01T21:17:19+05:30)", clip(*w.Time))
		}
		r.Time = t
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r, nil
}

func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if i := strings.LastIndex(field, "Record."); i >= 0 {
			field = field[i+len("Record."):]
		}
		if field == "" {
			return fmt.Sprintf("invalid JSON: want an object, not %s", te.Value)
		}
		return fmt.Sprintf("invalid JSON: %s must be %s, not %s", field, typeName(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return "invalid JSON: " + se.Error() + " at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

func typeName(kind string) string {
	switch kind {
	case "float64", "int", "int64":
		return "a number"
	case "string":
		return "text"
	case "slice":
		return "a list"
	case "struct", "ptr":
		return "an object"
	}
	return kind
}

// clip shortens a bad value quoted in a message.
func clip(s string) string { return talaash.Clip(s, 40, "...") }

// readCSV reads the CSV form: a header of record-format names (contact as
// contact_name and contact_phone, photos space-separated, history as JSON),
// one record a row.
func readCSV(br *bufio.Reader, emit func(Item) bool) error {
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	var hpe *csv.ParseError
	if err == io.EOF {
		return nil
	} else if errors.As(err, &hpe) {
		// A file that is no CSV is bad input, not a failure of ours.
		return talaash.Errorf(talaash.EINVALID, "CSV header: %v", err)
	} else if err != nil {
		return fmt.Errorf("CSV header: %w", err)
	}
	cols := make([]string, len(head))
	for i, h := range head {
		cols[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	}
	lastLine := 0
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		var it Item
		if errors.As(err, &pe) {
			if pe.StartLine <= lastLine {
				// no progress: give up rather than loop
				return talaash.Errorf(talaash.EINVALID, "invalid CSV: %v", err)
			}
			lastLine = pe.StartLine
			it = Item{Line: pe.StartLine, Reason: "invalid CSV: " + pe.Err.Error()}
		} else if err != nil {
			return err
		} else {
			it.Line, _ = cr.FieldPos(0)
			lastLine = it.Line
			size := 0
			for _, f := range row {
				size += len(f) + 1
			}
			if size > MaxLine {
				it.Reason = tooLong()
			} else if it.Record, err = csvRecord(cols, row); err != nil {
				it.Reason = talaash.ErrorMessage(err)
			}
		}
		if !emit(it) {
			return nil
		}
	}
}

var csvNumbers = map[string]bool{"age": true, "age_min": true, "age_max": true, "height_cm": true, "lat": true, "lon": true}

// csvRecord turns a row into the record-format JSON and parses that, so both
// formats share one set of checks and messages.
func csvRecord(cols, row []string) (*talaash.Record, error) {
	obj := map[string]any{}
	contact := map[string]string{}
	for i, v := range row {
		if i >= len(cols) || strings.TrimSpace(v) == "" {
			continue
		}
		col := cols[i]
		switch {
		case csvNumbers[col]:
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			// ParseFloat takes "NaN", "Inf" and hex; none is a number of the
			// record format, and NaN would fail as JSON further on.
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(v, "xXpP_") {
				return nil, talaash.Errorf(talaash.EINVALID, "%s %q is not a number", col, clip(v))
			}
			obj[col] = f
		case col == "contact_name":
			contact["name"] = v
		case col == "contact_phone":
			contact["phone"] = v
		case col == "photos":
			obj[col] = strings.Fields(v)
		case col == "history":
			obj[col] = json.RawMessage(v)
		default:
			obj[col] = v
		}
	}
	if len(contact) > 0 {
		obj["contact"] = contact
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "history is not valid JSON")
	}
	return ParseRecord(b)
}
