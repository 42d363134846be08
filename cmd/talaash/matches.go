package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"talaash"
	"talaash/cases"
)

// matchLine is one line of `talaash matches --json`, as DESIGN.md names it.
type matchLine struct {
	Missing  string   `json:"missing"`
	Sighting string   `json:"sighting"`
	Score    float64  `json:"score"`
	Alert    bool     `json:"alert"`
	Reasons  []string `json:"reasons"`
}

// runMatches prints every stored candidate pair. It reads what matching kept
// as records were stored; it does not match again.
func (m *Main) runMatches(ctx context.Context, args []string) error {
	fs := m.flags("matches")
	asJSON := fs.Bool("json", false, "one JSON object a line")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"matches takes no arguments"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(m.Stdout, 1<<16)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var tw *tabwriter.Writer
	if !*asJSON {
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MISSING\tSIGHTING\tSCORE\tALERT\tREASONS")
		defer tw.Flush()
	}
	return m.DB.View(func(tx talaash.Tx) error {
		return cases.Pairs(tx, func(c talaash.Candidate) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			line := matchLine{Missing: c.Missing, Sighting: c.Sighting, Score: c.Score, Alert: c.Alert, Reasons: []string{}}
			for _, r := range c.Reasons {
				line.Reasons = append(line.Reasons, r.In("en"))
			}
			if tw == nil {
				return enc.Encode(line)
			}
			alert := ""
			if c.Alert {
				alert = "ALERT"
			}
			_, err := fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\n", c.Missing, c.Sighting, c.Score, alert, strings.Join(line.Reasons, "; "))
			return err
		})
	})
}
