package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"text/tabwriter"

	"talaash"
)

// Stats are the figures of `talaash stats`.
type Stats struct {
	Records  int                                     `json:"records"`
	Counts   map[talaash.Kind]map[talaash.Status]int `json:"counts"`
	Missing  int                                     `json:"missing"`
	Reunited int                                     `json:"reunited"` // missing records now reunited
	// Recovered is Reunited / Missing (0 when there are none).
	Recovered float64 `json:"recovered"`
	// MedianDays is the median time from a missing record's Time to the first
	// History event that made it reunited, over the MedianOf records that have one.
	MedianDays float64 `json:"median_days"`
	MedianOf   int     `json:"median_of"`
}

var (
	kinds    = []talaash.Kind{talaash.KindMissing, talaash.KindSighting, talaash.KindFound}
	statuses = []talaash.Status{talaash.StatusOpen, talaash.StatusMatched, talaash.StatusReunited, talaash.StatusClosed}
)

// ComputeStats reads the figures in one transaction.
func ComputeStats(tx talaash.Tx) (*Stats, error) {
	s := &Stats{Counts: map[talaash.Kind]map[talaash.Status]int{}}
	for _, k := range kinds {
		s.Counts[k] = map[talaash.Status]int{}
	}
	var days []float64
	err := tx.EachRecord(func(r *talaash.Record) error {
		s.Records++
		if s.Counts[r.Kind] == nil {
			s.Counts[r.Kind] = map[talaash.Status]int{}
		}
		s.Counts[r.Kind][r.Status]++
		if r.Kind != talaash.KindMissing {
			return nil
		}
		s.Missing++
		if r.Status == talaash.StatusReunited {
			s.Reunited++
			for _, e := range r.History {
				if e.To == talaash.StatusReunited {
					days = append(days, e.At.Sub(r.Time).Hours()/24)
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if s.Missing > 0 {
		s.Recovered = float64(s.Reunited) / float64(s.Missing)
	}
	s.MedianOf = len(days)
	s.MedianDays = median(days)
	return s, nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if n := len(v); n%2 == 1 {
		return v[n/2]
	} else {
		return (v[n/2-1] + v[n/2]) / 2
	}
}

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
	var s *Stats
	if err := m.DB.View(func(tx talaash.Tx) (err error) { s, err = ComputeStats(tx); return }); err != nil {
		return err
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
