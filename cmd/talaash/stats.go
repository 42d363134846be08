package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"talaash"
	"talaash/stats"
)

// Stats are the figures of `talaash stats --json`: the counts by kind and
// status, the all-time recovery figures, and the periods the police desk
// shows (India time), all from package stats so the two always agree.
type Stats struct {
	Records  int                                     `json:"records"`
	Counts   map[talaash.Kind]map[talaash.Status]int `json:"counts"`
	Missing  int                                     `json:"missing"`
	Reunited int                                     `json:"reunited"` // missing records now reunited
	// Recovered is Reunited / Missing (0 when there are none).
	Recovered float64 `json:"recovered"`
	// MedianDays is the median time from going missing to reunion, over the
	// MedianOf reunions.
	MedianDays float64 `json:"median_days"`
	MedianOf   int     `json:"median_of"`
	Today      Period  `json:"today"`
	Month      Period  `json:"month"`
	Year       Period  `json:"year"`
}

// Period is one period's figures.
type Period struct {
	Reported   int     `json:"reported"`
	Seen       int     `json:"seen"`
	Found      int     `json:"found"`
	Matched    int     `json:"matched"`
	Reunited   int     `json:"reunited"`
	Recovered  int     `json:"recovered"`
	MedianDays float64 `json:"median_days"`
}

func period(f stats.Figures) Period {
	return Period{f.Reported, f.Seen, f.Found, f.Matched, f.Reunited, f.Recovered, f.Median()}
}

var (
	kinds    = []talaash.Kind{talaash.KindMissing, talaash.KindSighting, talaash.KindFound}
	statuses = []talaash.Status{talaash.StatusOpen, talaash.StatusMatched, talaash.StatusReunited, talaash.StatusClosed}
)

func (m *Main) runStats(ctx context.Context, args []string) error {
	fs := m.flags("stats")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"stats takes no arguments"}
	}
	if err := m.openDB(); err != nil {
		return err
	}
	var rep *stats.Report
	if err := m.DB.View(func(tx talaash.Tx) (err error) { rep, err = stats.Compute(tx, m.now(), talaash.IST); return }); err != nil {
		return err
	}
	all := rep.All
	s := Stats{Records: rep.Records, Counts: rep.Counts, Missing: all.Reported, Reunited: all.Recovered,
		MedianDays: all.Median(), MedianOf: len(all.Days),
		Today: period(rep.Today), Month: period(rep.Month), Year: period(rep.Year)}
	if all.Reported > 0 {
		s.Recovered = float64(all.Recovered) / float64(all.Reported)
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "kind\topen\tmatched\treunited\tclosed\ttotal\t\n")
	for _, k := range kinds {
		fmt.Fprintf(w, "%s\t", k)
		total := 0
		for _, st := range statuses {
			fmt.Fprintf(w, "%d\t", s.Counts[k][st])
			total += s.Counts[k][st]
		}
		fmt.Fprintf(w, "%d\t\n", total)
	}
	fmt.Fprintf(w, "\n\treported\tseen\tfound\tmatched\treunited\trecovered\tmedian days\t\n")
	for _, p := range []struct {
		name string
		f    stats.Figures
	}{{"today", rep.Today}, {"this month", rep.Month}, {"this year", rep.Year}} {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t\n", p.name, p.f.Reported, p.f.Seen, p.f.Found, p.f.Matched, p.f.Reunited, p.f.ShareText(), p.f.MedianText())
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "records: %d\n", s.Records)
	fmt.Fprintf(m.Stdout, "recovered: %d of %d missing (%.1f%%)\n", s.Reunited, s.Missing, 100*s.Recovered)
	if s.MedianOf > 0 {
		fmt.Fprintf(m.Stdout, "median days from missing to reunited: %.1f (over %d)\n", s.MedianDays, s.MedianOf)
	} else {
		fmt.Fprintf(m.Stdout, "median days from missing to reunited: n/a\n")
	}
	return nil
}
