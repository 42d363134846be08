package stats_test

import (
	"path/filepath"
	"testing"
	"time"

	"talaash"
	"talaash/stats"
	"talaash/store/bolt"
)

func TestCompute(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ist := time.FixedZone("IST", 5*3600+1800)
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, ist)
	at := func(d time.Duration) time.Time { return now.Add(-d) }
	day := 24 * time.Hour
	reunited := func(missing, back time.Duration) []talaash.Event {
		return []talaash.Event{
			{At: at(back), By: "police", From: talaash.StatusOpen, To: talaash.StatusMatched},
			{At: at(back), By: "police", From: talaash.StatusMatched, To: talaash.StatusReunited},
		}
	}
	recs := []*talaash.Record{
		// Reported today, reunited an hour later: counts in every period.
		{Ref: "M1", Kind: talaash.KindMissing, Time: at(3 * time.Hour), Created: at(2 * time.Hour), Status: talaash.StatusReunited, History: reunited(3*time.Hour, time.Hour)},
		// Reported last month, reunited this month after 20 days.
		{Ref: "M2", Kind: talaash.KindMissing, Time: at(25 * day), Created: at(25 * day), Status: talaash.StatusReunited, History: reunited(25*day, 5*day)},
		// Reported last year, still open.
		{Ref: "M3", Kind: talaash.KindMissing, Time: at(400 * day), Created: at(400 * day)},
		{Ref: "S1", Kind: talaash.KindSighting, Time: at(time.Hour), Created: at(time.Hour)},
		{Ref: "F1", Kind: talaash.KindFound, Time: at(40 * day), Created: at(40 * day), Status: talaash.StatusClosed},
		// The simulator's records change no figure.
		{Ref: "T1", Kind: talaash.KindMissing, Time: at(time.Hour), Created: at(time.Hour), Status: talaash.StatusReunited, History: reunited(time.Hour, time.Minute), Test: true},
		{Ref: "T2", Kind: talaash.KindSighting, Time: at(time.Hour), Created: at(time.Hour), Test: true},
		{Ref: "T3", Kind: talaash.KindFound, Time: at(time.Hour), Created: at(time.Hour), Test: true},
	}
	if err := db.Update(func(tx talaash.Tx) error {
		for _, r := range recs {
			if err := tx.PutRecord(r); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var rep *stats.Report
	if err := db.View(func(tx talaash.Tx) (err error) { rep, err = stats.Compute(tx, now, ist); return }); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name                                                string
		f                                                   stats.Figures
		reported, seen, found, matched, reunited, recovered int
		median                                              string
	}{
		{"today", rep.Today, 1, 1, 0, 1, 1, 1, "0.1"},
		{"month", rep.Month, 1, 1, 0, 2, 2, 1, "10.0"},
		{"year", rep.Year, 2, 1, 1, 2, 2, 2, "10.0"},
		{"all", rep.All, 3, 1, 1, 2, 2, 2, "10.0"},
	} {
		f := c.f
		if f.Reported != c.reported || f.Seen != c.seen || f.Found != c.found || f.Matched != c.matched || f.Reunited != c.reunited || f.Recovered != c.recovered || f.MedianText() != c.median {
			t.Errorf("%s: %+v median %s", c.name, f, f.MedianText())
		}
	}
	if rep.All.ShareText() != "2/3 (67%)" {
		t.Errorf("share %s", rep.All.ShareText())
	}
	if rep.Records != 5 || rep.Counts[talaash.KindMissing][talaash.StatusOpen] != 1 || rep.Counts[talaash.KindFound][talaash.StatusClosed] != 1 {
		t.Errorf("counts %d %v", rep.Records, rep.Counts)
	}
	// By month: M2 reported in February, reunited in March; F1 found in January.
	if len(rep.Months) != stats.MonthsShown || !rep.MonthsFrom.Equal(time.Date(2025, 4, 1, 0, 0, 0, 0, ist)) {
		t.Fatalf("%d months from %v, want 12 from April 2025", len(rep.Months), rep.MonthsFrom)
	}
	for i, f := range rep.Months {
		want := stats.Figures{}
		switch i {
		case 9:
			want.Found = 1
		case 10:
			want.Reported = 1
			want.Recovered = 1
		case 11:
			want = rep.Month
		}
		if f.Reported != want.Reported || f.Seen != want.Seen || f.Found != want.Found || f.Matched != want.Matched ||
			f.Reunited != want.Reunited || f.Recovered != want.Recovered {
			t.Errorf("month %d (%s): %+v, want %+v", i, rep.MonthsFrom.AddDate(0, i, 0).Format("Jan 2006"), f, want)
		}
	}
	var none stats.Figures
	if none.ShareText() != "-" || none.MedianText() != "-" || none.Share() != 0 {
		t.Error("empty figures")
	}
}
