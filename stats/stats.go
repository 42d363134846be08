// Package stats computes the figures police publish — reported, seen, found,
// matched, reunited, the share recovered and the median days to reunion — for
// today, this month, this year and all time, in one pass over the records;
// test records (the simulator's) are left out.
// The police desk and `talaash stats` both print these, so they always agree.
package stats

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"talaash"
)

// Figures are one period's numbers.
type Figures struct {
	Reported int // missing-child reports made in the period
	Seen     int // sightings
	Found    int // found-child records
	Matched  int // missing children whose match police confirmed in the period
	Reunited int // missing children reunited in the period
	// Recovered is how many of the period's reports are reunited by now.
	Recovered int
	// Days are the days from missing to reunion of the period's reunions.
	Days []float64
}

// Share is Recovered / Reported, in percent (0 with no reports).
func (f Figures) Share() float64 {
	if f.Reported == 0 {
		return 0
	}
	return 100 * float64(f.Recovered) / float64(f.Reported)
}

// Median is the median of Days (0 with none).
func (f Figures) Median() float64 {
	if len(f.Days) == 0 {
		return 0
	}
	d := append([]float64(nil), f.Days...)
	sort.Float64s(d)
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

// ShareText is "3/10 (30%)", or "-" with no reports.
func (f Figures) ShareText() string {
	if f.Reported == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d (%.0f%%)", f.Recovered, f.Reported, f.Share())
}

// MedianText is the median in days with one decimal, or "-".
func (f Figures) MedianText() string {
	if len(f.Days) == 0 {
		return "-"
	}
	return strconv.FormatFloat(f.Median(), 'f', 1, 64)
}

// Report is every figure at one moment.
type Report struct {
	Records int
	Counts  map[talaash.Kind]map[talaash.Status]int // every record by kind and status now
	Today   Figures
	Month   Figures
	Year    Figures
	All     Figures
	// Months are the last MonthsShown calendar months, oldest first: the
	// last is this month so far (Month again).
	Months []Figures
	// MonthsFrom is the first day of Months[0].
	MonthsFrom time.Time
}

// MonthsShown is how many months Report.Months holds: a year.
const MonthsShown = 12

// Compute reads the figures at now; days, months and years start at midnight
// in loc (India time for Kanpur's police).
func Compute(tx talaash.Tx, now time.Time, loc *time.Location) (*Report, error) {
	now = now.In(loc)
	rep := &Report{Counts: map[talaash.Kind]map[talaash.Status]int{}}
	type period struct {
		f        *Figures
		from, to time.Time // to is excluded; zero is now, included
	}
	periods := []period{
		{&rep.Today, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc), time.Time{}},
		{&rep.Month, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc), time.Time{}},
		{&rep.Year, time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc), time.Time{}},
		{&rep.All, time.Time{}, time.Time{}},
	}
	rep.Months = make([]Figures, MonthsShown)
	rep.MonthsFrom = time.Date(now.Year(), now.Month()-MonthsShown+1, 1, 0, 0, 0, 0, loc)
	for i := range rep.Months {
		p := period{&rep.Months[i], rep.MonthsFrom.AddDate(0, i, 0), rep.MonthsFrom.AddDate(0, i+1, 0)}
		if i == MonthsShown-1 {
			p.to = time.Time{}
		}
		periods = append(periods, p)
	}
	inside := func(t time.Time, p period) bool {
		return !t.Before(p.from) && !t.After(now) && (p.to.IsZero() || t.Before(p.to))
	}
	err := tx.EachRecord(func(r *talaash.Record) error {
		if r.Test {
			return nil // the simulator's records are no child's case
		}
		rep.Records++
		st := r.Status
		if st == "" {
			st = talaash.StatusOpen
		}
		if rep.Counts[r.Kind] == nil {
			rep.Counts[r.Kind] = map[talaash.Status]int{}
		}
		rep.Counts[r.Kind][st]++
		for _, p := range periods {
			if inside(r.Created, p) {
				switch r.Kind {
				case talaash.KindMissing:
					p.f.Reported++
					if r.Status == talaash.StatusReunited {
						p.f.Recovered++
					}
				case talaash.KindSighting:
					p.f.Seen++
				case talaash.KindFound:
					p.f.Found++
				}
			}
			if r.Kind != talaash.KindMissing {
				continue
			}
			var matched, reunited bool
			for _, e := range r.History {
				if !inside(e.At, p) || e.From == e.To {
					continue
				}
				switch e.To {
				case talaash.StatusMatched:
					matched = true
				case talaash.StatusReunited:
					if !reunited {
						// Days run from when the child went missing; a record
						// without that time counts from when it was reported.
						since := r.Time
						if since.IsZero() || since.After(e.At) {
							since = r.Created
						}
						p.f.Days = append(p.f.Days, e.At.Sub(since).Hours()/24)
					}
					reunited = true
				}
			}
			if matched {
				p.f.Matched++
			}
			if reunited {
				p.f.Reunited++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}
