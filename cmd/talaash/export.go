package main

import (
	"context"
	"fmt"

	"talaash"
	"talaash/recordfile"
)

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
	w := recordfile.NewWriter(m.Stdout, recordfile.Format(*format))
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
			return w.Write(r)
		})
	})
	if err != nil {
		return err
	}
	return w.Flush()
}
