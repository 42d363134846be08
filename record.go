package talaash

import (
	"math"
	"strings"
	"sync"
)

// Age limits. Talaash is about children, so a missing child's age must be
// 0-18. Sightings and found records carry a stranger's estimate, and witnesses
// overshoot teenagers' ages by a year or two, so they get EstimateSlack more.
// A stranger's range may reach past childhood ("16-22") as long as its low end
// is within it: it is kept as given, up to MaxAgeGiven, so the matcher sees
// what the witness said.
const (
	MaxAge        = 18
	EstimateSlack = 2
	MaxAgeGiven   = 120
	MaxHeightCM   = 250
)

// Validate checks r against the record format and tidies what people type
// differently: kind, gender and language are trimmed and lower-cased, the
// contact phone becomes E.164. It returns an EINVALID *Error whose message says
// what is wrong, fit for "line N: reason".
func (r *Record) Validate() error {
	r.Kind = Kind(strings.ToLower(strings.TrimSpace(string(r.Kind))))
	switch {
	case r.Kind == "":
		return Errorf(EINVALID, "missing kind")
	case !r.Kind.Valid():
		return Errorf(EINVALID, "unknown kind %q (want missing, sighting or found)", clip(string(r.Kind)))
	}
	if r.Time.IsZero() {
		return Errorf(EINVALID, "missing time")
	}
	if y := r.Time.Year(); y < 1900 || y > 2200 {
		return Errorf(EINVALID, "time %s is out of range", r.Time.Format("2006-01-02"))
	}

	if err := r.checkAges(); err != nil {
		return err
	}
	if h := r.HeightCM; h != nil && (math.IsNaN(*h) || *h <= 0 || *h > MaxHeightCM) {
		return Errorf(EINVALID, "height_cm %g is outside 1-%d", *h, MaxHeightCM)
	}
	if r.Lat != nil && (math.IsNaN(*r.Lat) || *r.Lat < -90 || *r.Lat > 90) {
		return Errorf(EINVALID, "lat %g is outside -90..90", *r.Lat)
	}
	if r.Lon != nil && (math.IsNaN(*r.Lon) || *r.Lon < -180 || *r.Lon > 180) {
		return Errorf(EINVALID, "lon %g is outside -180..180", *r.Lon)
	}

	r.Gender = strings.ToLower(strings.TrimSpace(r.Gender))
	switch r.Gender {
	case "", "male", "female":
	case "m":
		r.Gender = "male"
	case "f":
		r.Gender = "female"
	default:
		return Errorf(EINVALID, "gender %q is not male or female", clip(r.Gender))
	}
	r.Language = strings.ToLower(strings.TrimSpace(r.Language))
	if r.Language == "hi-latn" {
		r.Language = "hi-Latn" // Hindi in Latin letters, as its tag is written
	}

	if r.Status != "" && !r.Status.Valid() {
		return Errorf(EINVALID, "unknown status %q", clip(string(r.Status)))
	}
	if c := r.Contact; c != nil {
		if strings.TrimSpace(c.Phone) != "" {
			p, err := normalizeOnce(c.Phone)
			if err != nil {
				return Errorf(EINVALID, "contact phone %s", ErrorMessage(err))
			}
			c.Phone = p
		} else {
			c.Phone = ""
		}
		if c.Name == "" && c.Phone == "" {
			r.Contact = nil
		}
	}
	for i, e := range r.History {
		if !e.To.Valid() {
			return Errorf(EINVALID, "history[%d]: unknown status %q", i, clip(string(e.To)))
		}
	}
	return nil
}

// AgeLimit is the oldest age, or low end of a range, a record of kind k may
// carry: MaxAge for a parent's report, EstimateSlack more for a stranger's.
func AgeLimit(k Kind) float64 {
	if k == KindMissing {
		return MaxAge
	}
	return MaxAge + EstimateSlack
}

// checkAges: every age is a finite number of years; a parent's are all within
// childhood; a stranger's single age and low end are, and the high end may
// go past it up to MaxAgeGiven.
func (r *Record) checkAges() error {
	limit := AgeLimit(r.Kind)
	top := limit
	if r.Kind != KindMissing && r.AgeMin != nil {
		top = MaxAgeGiven
	}
	for _, a := range []struct {
		name string
		v    *float64
		max  float64
	}{{"age", r.Age, limit}, {"age_min", r.AgeMin, limit}, {"age_max", r.AgeMax, top}} {
		if a.v != nil && (math.IsNaN(*a.v) || *a.v < 0 || *a.v > a.max) {
			return Errorf(EINVALID, "%s %g is outside 0-%d", a.name, *a.v, int(a.max))
		}
	}
	if r.AgeMin != nil && r.AgeMax != nil && *r.AgeMin > *r.AgeMax {
		return Errorf(EINVALID, "age_min %g is more than age_max %g", *r.AgeMin, *r.AgeMax)
	}
	return nil
}

// BadField names the first field of r that Validate refuses, as the dialog
// asks for it: "kind", "time", "age", "height", "place", "gender", "status",
// "contact" or "history"; "" when r is valid. r is not changed.
func (r *Record) BadField() string {
	c := *r
	if r.Contact != nil {
		cc := *r.Contact
		c.Contact = &cc
	}
	if c.Validate() == nil {
		return ""
	}
	c.Kind = Kind(strings.ToLower(strings.TrimSpace(string(c.Kind))))
	switch {
	case !c.Kind.Valid():
		return "kind"
	case c.Time.IsZero() || c.Time.Year() < 1900 || c.Time.Year() > 2200:
		return "time"
	case c.checkAges() != nil:
		return "age"
	}
	// Drop the optional fields one by one: the one whose going makes the
	// record valid is the one to ask again.
	for _, f := range []struct {
		name string
		drop func()
	}{
		{"height", func() { c.HeightCM = nil }},
		{"place", func() { c.Lat, c.Lon = nil, nil }},
		{"gender", func() { c.Gender = "" }},
		{"status", func() { c.Status = "" }},
		{"contact", func() { c.Contact = nil }},
	} {
		f.drop()
		if c.Validate() == nil {
			return f.name
		}
	}
	return "history"
}

// clip keeps error messages short when the bad value is long.
func clip(s string) string { return Clip(s, 40, "...") }

// normalized remembers recent results of NormalizePhone. A record is
// validated when parsed and again when stored; phone parsing is most of the
// cost of an import, so the second time should be a map lookup. Bounded by
// starting afresh when full.
var normalized = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

func normalizeOnce(s string) (string, error) {
	normalized.Lock()
	p, ok := normalized.m[s]
	normalized.Unlock()
	if ok {
		return p, nil
	}
	p, err := NormalizePhone(s)
	if err != nil {
		return "", err
	}
	normalized.Lock()
	if len(normalized.m) >= 4096 {
		normalized.m = map[string]string{}
	}
	normalized.m[s], normalized.m[p] = p, p
	normalized.Unlock()
	return p, nil
}
