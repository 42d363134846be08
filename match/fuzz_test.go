package match

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"talaash"
)

// FuzzExtract: any one-message sighting is read without panic into fields a
// record can carry: ages finite and in order (one past childhood is the
// dialog's to ask again), a place on the globe, a known gender, text that is
// valid UTF-8; with the ages a child's, the sighting validates.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Seen boy about 8 yrs red shirt at Kanpur Central",
		"ladki 6 saal gulabi frock central station par dekhi",
		"लड़की, ११ साल, भूरी जूते अर्मापुर पर मिला",
		"seen boy 8-NaN saal at station", "boy 8-nan yrs", "girl NaN-8 years", "boy 8-inf saal", "boy 8-Infinity yrs",
		"boy 0x10 saal", "boy 1e1 saal", "boy 1e400 saal", "boy 8-1e400 years", "boy 21-25 years at station",
		"boy 16-22 saal", "boy 99999999999999999999 saal", "boy -3 years", "boy 8--10 yrs", "boy 8-10-12 yrs",
		"girl 5 to 7 years", "girl 5 se 25 saal", "girl 8 or 9", "naam Ramesh, 8 saal, laal shirt",
		"\xff\xfe seen boy", strings.Repeat("laal shirt ", 400), "", ",,,", "saal", "0 saal",
	} {
		f.Add(s)
	}
	m, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := m.Extract(s)
		for _, v := range []*float64{r.Age, r.AgeMin, r.AgeMax, r.HeightCM} {
			if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0) {
				t.Fatalf("Extract(%q): a number %v in %+v", s, *v, r)
			}
		}
		if r.AgeMin != nil && r.AgeMax != nil && *r.AgeMin > *r.AgeMax {
			t.Fatalf("Extract(%q): ages %v-%v", s, *r.AgeMin, *r.AgeMax)
		}
		if (r.Lat == nil) != (r.Lon == nil) || (r.Lat != nil && (!(*r.Lat >= -90 && *r.Lat <= 90) || !(*r.Lon >= -180 && *r.Lon <= 180))) {
			t.Fatalf("Extract(%q): place %v,%v", s, r.Lat, r.Lon)
		}
		if r.Gender != "" && r.Gender != "male" && r.Gender != "female" {
			t.Fatalf("Extract(%q): gender %q", s, r.Gender)
		}
		for _, x := range []string{r.Name, r.Place, r.Clothes, r.Marks, r.Complex} {
			if !utf8.ValidString(x) {
				t.Fatalf("Extract(%q): invalid UTF-8 %q", s, x)
			}
		}
		rec := r
		rec.Kind, rec.Time = talaash.KindSighting, time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
		if lo, hi, ok := rec.Ages(); ok && (lo > talaash.AgeLimit(rec.Kind) || hi > talaash.MaxAgeGiven) {
			rec.Age, rec.AgeMin, rec.AgeMax = nil, nil, nil
		}
		if err := rec.Validate(); err != nil {
			t.Fatalf("Extract(%q) = %+v, refused: %v", s, r, err)
		}
	})
}
