package talaash

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	ok := func() *Record {
		return &Record{Kind: " Missing ", Time: now, Gender: "F", Age: Num(8), Contact: &Contact{Name: "x", Phone: "098765-43210"}}
	}
	r := ok()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Kind != KindMissing || r.Gender != "female" || r.Contact.Phone != "+919876543210" {
		t.Fatalf("not tidied: %q %q %q", r.Kind, r.Gender, r.Contact.Phone)
	}

	for _, c := range []struct {
		name string
		edit func(r *Record)
		want string
	}{
		{"no kind", func(r *Record) { r.Kind = "" }, "missing kind"},
		{"bad kind", func(r *Record) { r.Kind = "lost" }, `unknown kind "lost"`},
		{"no time", func(r *Record) { r.Time = time.Time{} }, "missing time"},
		{"old age", func(r *Record) { r.Age = Num(19) }, "age 19 is outside 0-18"},
		{"negative", func(r *Record) { r.Age = Num(-1) }, "age -1 is outside 0-18"},
		{"sighting estimate too old", func(r *Record) { r.Kind = KindSighting; r.Age = Num(25) }, "age 25 is outside 0-20"},
		{"age_max", func(r *Record) { r.AgeMax = Num(40) }, "age_max 40 is outside"},
		{"range", func(r *Record) { r.AgeMin, r.AgeMax = Num(10), Num(5) }, "age_min 10 is more than age_max 5"},
		{"phone", func(r *Record) { r.Contact.Phone = "12345" }, "contact phone"},
		{"gender", func(r *Record) { r.Gender = "boy?" }, `gender "boy?"`},
		{"status", func(r *Record) { r.Status = "lost" }, `unknown status "lost"`},
		{"height", func(r *Record) { r.HeightCM = Num(400) }, "height_cm 400"},
		{"lat", func(r *Record) { r.Lat = Num(100) }, "lat 100"},
		{"history", func(r *Record) { r.History = []Event{{To: "x"}} }, "history[0]"},
	} {
		r := ok()
		c.edit(r)
		err := r.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("%s: got %v, want EINVALID containing %q", c.name, err, c.want)
		}
	}

	// A witness's estimate may overshoot a teenager's age a little.
	s := &Record{Kind: KindFound, Time: now, AgeMin: Num(17), AgeMax: Num(20)}
	if err := s.Validate(); err != nil {
		t.Errorf("found 17-20: %v", err)
	}
	// An empty contact is dropped rather than stored.
	e := &Record{Kind: KindSighting, Time: now, Contact: &Contact{Phone: "  "}}
	if err := e.Validate(); err != nil || e.Contact != nil {
		t.Errorf("empty contact: %v %+v", err, e.Contact)
	}
}

// TestValidateWitnessRanges: a stranger's range that begins in childhood is
// kept as given; one that begins past it, or an age that is no number, is not.
func TestValidateWitnessRanges(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	nan, inf := Num(0), Num(0)
	*nan = *nan / *nan
	*inf = 1 / *inf
	for _, c := range []struct {
		name     string
		kind     Kind
		age      *float64
		min, max *float64
		ok       bool
	}{
		{"sighting 16-22", KindSighting, nil, Num(16), Num(22), true},
		{"found 18-30", KindFound, nil, Num(18), Num(30), true},
		{"sighting 20-25, the slack", KindSighting, nil, Num(20), Num(25), true},
		{"sighting 21-25", KindSighting, nil, Num(21), Num(25), false},
		{"sighting age_max 25 alone", KindSighting, nil, nil, Num(25), false},
		{"sighting 16-200", KindSighting, nil, Num(16), Num(200), false},
		{"missing 16-22", KindMissing, nil, Num(16), Num(22), false},
		{"NaN age", KindSighting, nan, nil, nil, false},
		{"NaN age_max", KindSighting, nil, Num(8), nan, false},
		{"infinite age_max", KindSighting, nil, Num(8), inf, false},
		{"infinite age", KindFound, inf, nil, nil, false},
	} {
		r := &Record{Kind: c.kind, Time: now, Age: c.age, AgeMin: c.min, AgeMax: c.max}
		err := r.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok %v", c.name, err, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || r.BadField() != "age") {
			t.Errorf("%s: code %q, bad field %q", c.name, ErrorCode(err), r.BadField())
		}
	}
}

func TestBadField(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		edit func(r *Record)
		want string
	}{
		{func(r *Record) {}, ""},
		{func(r *Record) { r.Kind = "x" }, "kind"},
		{func(r *Record) { r.Time = time.Time{} }, "time"},
		{func(r *Record) { r.Age = Num(30) }, "age"},
		{func(r *Record) { r.HeightCM = Num(-1) }, "height"},
		{func(r *Record) { r.Lat = Num(91) }, "place"},
		{func(r *Record) { r.Gender = "x" }, "gender"},
		{func(r *Record) { r.Contact.Phone = "12" }, "contact"},
		{func(r *Record) { r.History = []Event{{To: "x"}} }, "history"},
	} {
		r := &Record{Kind: KindSighting, Time: now, Contact: &Contact{Phone: " 98765 43210"}}
		c.edit(r)
		if got := r.BadField(); got != c.want {
			t.Errorf("bad field %q, want %q", got, c.want)
		}
		if r.Contact != nil && strings.HasPrefix(r.Contact.Phone, "+") {
			t.Error("BadField changed the record")
		}
	}
}
