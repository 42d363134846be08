package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"talaash"
)

// MaxLine is the longest line import reads; longer ones are rejected, not fatal.
const MaxLine = 64 << 10

// errRejected makes the exit status 1 once the rejected lines are reported.
var errRejected = errors.New("some lines were rejected")

type pending struct {
	line int
	r    *talaash.Record
}

type importer struct {
	m                         *Main
	alerts                    bool
	save                      func(tx talaash.Tx, rs []*talaash.Record, alerts bool) error
	stored, updated, rejected int
	lines                     int
	batch                     []pending
	progress                  bool
	lastProgress              time.Time
}

func (m *Main) runImport(ctx context.Context, args []string) error {
	fs := m.flags("import")
	noAlerts := fs.Bool("no-alerts", false, "match as usual but queue no notifications (bulk loads of old cases)")
	format := fs.String("format", "auto", "input `format`: auto, jsonl or csv")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"import needs one FILE (or - for standard input)"}
	}
	var in io.Reader = m.Stdin
	if rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	if err := m.openMatching(); err != nil {
		return err
	}
	im := &importer{m: m, alerts: !*noAlerts, progress: isTerminal(m.Stderr), save: m.Cases.SaveBatch}
	br := bufio.NewReaderSize(in, 1<<16)
	produce := readJSONL
	switch *format {
	case "auto":
		if looksCSV(br, rest[0]) {
			produce = readCSV
		}
	case "jsonl", "json":
	case "csv":
		produce = readCSV
	default:
		return usageError{fmt.Sprintf("unknown format %q", *format)}
	}
	err = im.run(ctx, func(emit func(item) bool) error { return produce(br, emit) })
	if im.progress {
		fmt.Fprint(m.Stderr, "\r\033[K")
	}
	fmt.Fprintf(m.Stderr, "stored %d, updated %d, rejected %d\n", im.stored, im.updated, im.rejected)
	if err != nil {
		return err
	}
	if im.rejected > 0 {
		return errRejected
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// looksCSV decides the format from the name, else from the first line: JSON
// lines start with "{", a CSV export with its header.
func looksCSV(br *bufio.Reader, name string) bool {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return true
	}
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	return bytes.HasPrefix(head, []byte("ref,")) || bytes.HasPrefix(head, []byte("kind,"))
}

func (im *importer) reject(line int, reason string) {
	im.rejected++
	if im.progress {
		fmt.Fprint(im.m.Stderr, "\r\033[K")
	}
	fmt.Fprintf(im.m.Stderr, "line %d: %s\n", line, reason)
}

// item is one parsed line: a valid record, or the reason it was rejected.
type item struct {
	line   int
	r      *talaash.Record
	reason string
}

// run parses on one goroutine while this one commits, so parsing (phone
// numbers, JSON) overlaps the fsync of the previous batch.
func (im *importer) run(ctx context.Context, produce func(emit func(item) bool) error) error {
	ch := make(chan item, 2*max(1, im.m.BatchSize))
	stop := make(chan struct{})
	perr := make(chan error, 1)
	go func() {
		defer close(ch)
		perr <- produce(func(it item) bool {
			select {
			case ch <- it:
				return true
			case <-stop:
				return false
			}
		})
	}()
	var err error
	for it := range ch {
		if err != nil {
			continue // drain until the producer notices stop
		}
		im.lines = it.line
		if it.reason != "" {
			im.reject(it.line, it.reason)
			continue
		}
		if err = im.add(ctx, it.line, it.r); err != nil {
			close(stop)
		}
	}
	if err == nil {
		err = <-perr
	}
	if err == nil {
		err = im.flush()
	}
	return err
}

func readJSONL(br *bufio.Reader, emit func(item) bool) error {
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, MaxLine)
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		it := item{line: n}
		switch {
		case tooLong:
			it.reason = fmt.Sprintf("line is longer than %d KiB", MaxLine>>10)
		case len(bytes.TrimSpace(line)) == 0:
			continue
		default:
			it.r, err = parseRecord(line)
			if err != nil {
				it.reason = talaash.ErrorMessage(err)
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

// parseRecord decodes and validates one record in the record format.
func parseRecord(b []byte) (*talaash.Record, error) {
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

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

// add queues a valid record and commits a batch when it is full.
func (im *importer) add(ctx context.Context, line int, r *talaash.Record) error {
	im.batch = append(im.batch, pending{line, r})
	if len(im.batch) < max(1, im.m.BatchSize) {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return im.flush()
}

// flush commits the batch in one transaction. If the transaction fails, the
// batch is retried a record at a time so that only the guilty lines are lost.
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	batch := im.batch
	im.batch = im.batch[:0]
	var stored, updated int
	err := im.m.DB.Update(func(tx talaash.Tx) error {
		var err error
		stored, updated, err = im.save1(tx, batch)
		return err
	})
	if err == nil {
		im.stored += stored
		im.updated += updated
		im.showProgress()
		return nil
	}
	if talaash.ErrorCode(err) == talaash.EINTERNAL && len(batch) == 1 {
		return err
	}
	for i, p := range batch {
		err := im.m.DB.Update(func(tx talaash.Tx) (err error) {
			stored, updated, err = im.save1(tx, batch[i:i+1])
			return err
		})
		switch {
		case err == nil:
			im.stored += stored
			im.updated += updated
		case talaash.ErrorCode(err) == talaash.EINTERNAL:
			return err
		default:
			im.reject(p.line, talaash.ErrorMessage(err))
		}
	}
	im.showProgress()
	return nil
}

// save1 saves batch in tx and counts which records are new and which update a
// stored one (or one earlier in the batch: the same ref twice updates).
func (im *importer) save1(tx talaash.Tx, batch []pending) (stored, updated int, err error) {
	rs := make([]*talaash.Record, len(batch))
	seen := make(map[string]bool, len(batch))
	for i, p := range batch {
		rs[i] = p.r
		key := talaash.CanonicalRef(p.r.Ref)
		if key != "" && (seen[key] || tx.HasRecord(key)) {
			updated++
		} else {
			stored++
		}
		seen[key] = true
	}
	return stored, updated, im.save(tx, rs, im.alerts)
}

func (im *importer) showProgress() {
	if !im.progress || time.Since(im.lastProgress) < 200*time.Millisecond {
		return
	}
	im.lastProgress = time.Now()
	fmt.Fprintf(im.m.Stderr, "\r\033[Kline %d: stored %d, updated %d, rejected %d", im.lines, im.stored, im.updated, im.rejected)
}

// readCSV reads the CSV form of export: a header of record-format names
// (contact as contact_name and contact_phone, photos space-separated, history
// as JSON), one record a row.
func readCSV(br *bufio.Reader, emit func(item) bool) error {
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return nil
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
		var it item
		if errors.As(err, &pe) {
			if pe.StartLine <= lastLine {
				return err // no progress: give up rather than loop
			}
			lastLine = pe.StartLine
			it = item{line: pe.StartLine, reason: "invalid CSV: " + pe.Err.Error()}
		} else if err != nil {
			return err
		} else {
			it.line, _ = cr.FieldPos(0)
			lastLine = it.line
			size := 0
			for _, f := range row {
				size += len(f) + 1
			}
			if size > MaxLine {
				it.reason = fmt.Sprintf("line is longer than %d KiB", MaxLine>>10)
			} else if it.r, err = csvRecord(cols, row); err != nil {
				it.reason = talaash.ErrorMessage(err)
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
			if err != nil {
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
	return parseRecord(b)
}
