package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"talaash"
	"talaash/recordfile"
)

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
	form, err := recordfile.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	err = im.run(ctx, recordfile.NewReader(br, rest[0], form).Read)
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

func (im *importer) reject(line int, reason string) {
	im.rejected++
	if im.progress {
		fmt.Fprint(im.m.Stderr, "\r\033[K")
	}
	fmt.Fprintf(im.m.Stderr, "line %d: %s\n", line, reason)
}

// run parses on one goroutine while this one commits, so parsing (phone
// numbers, JSON) overlaps the fsync of the previous batch.
func (im *importer) run(ctx context.Context, produce func(emit func(recordfile.Item) bool) error) error {
	ch := make(chan recordfile.Item, 2*max(1, im.m.BatchSize))
	stop := make(chan struct{})
	perr := make(chan error, 1)
	go func() {
		defer close(ch)
		perr <- produce(func(it recordfile.Item) bool {
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
		im.lines = it.Line
		if it.Reason != "" {
			im.reject(it.Line, it.Reason)
			continue
		}
		if err = im.add(ctx, it.Line, it.Record); err != nil {
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
