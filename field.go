package talaash

import (
	"fmt"
	"strconv"
	"strings"
)

// Field is one known field of a record as people read it back. ID names it
// (labels are locale messages named after it); Value is as written, or
// formatted; Code marks a value that is a code to be worded in the reader's
// language (gender "male", safe "danger", complexion "wheatish").
type Field struct {
	ID    string
	Value string
	Code  bool
}

// Fields lists the known fields of r, in the order people read them: name,
// gender, age, height, complexion, clothes, marks, place, location, time,
// station, safe, text, contact, photos. An age reads "8" or "8-10", a height
// "120 cm", a location "26.45000, 80.33000", the time in IST as timeLayout,
// the contact "name, phone", photos their count. The dialog's summary, the
// alerts and the police desk all list a record's fields from here.
func (r *Record) Fields(timeLayout string) []Field {
	var f []Field
	add := func(id, v string, code bool) {
		if v = strings.TrimSpace(v); v != "" {
			f = append(f, Field{ID: id, Value: v, Code: code})
		}
	}
	add("name", r.Name, false)
	if r.Gender == "male" || r.Gender == "female" {
		add("gender", r.Gender, true)
	}
	if lo, hi, ok := r.Ages(); ok {
		if lo == hi {
			add("age", num(lo), false)
		} else {
			add("age", num(lo)+"-"+num(hi), false)
		}
	}
	if r.HeightCM != nil {
		add("height", num(*r.HeightCM)+" cm", false)
	}
	switch r.Complex {
	case "fair", "wheatish", "dark":
		add("complexion", r.Complex, true)
	default:
		add("complexion", r.Complex, false)
	}
	add("clothes", r.Clothes, false)
	add("marks", r.Marks, false)
	add("place", r.Place, false)
	if r.Lat != nil && r.Lon != nil {
		add("location", fmt.Sprintf("%.5f, %.5f", *r.Lat, *r.Lon), false)
	}
	if !r.Time.IsZero() {
		add("time", r.Time.In(IST).Format(timeLayout), false)
	}
	add("station", r.Station, false)
	add("safe", r.Safe, true)
	add("text", r.Text, false)
	if c := r.Contact; c != nil {
		var parts []string
		for _, p := range []string{c.Name, c.Phone} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		add("contact", strings.Join(parts, ", "), false)
	}
	if len(r.Photos) > 0 {
		add("photos", strconv.Itoa(len(r.Photos)), false)
	}
	return f
}

// FieldValue is the value of field id in fs, "" when it is not there.
func FieldValue(fs []Field, id string) string {
	for _, f := range fs {
		if f.ID == id {
			return f.Value
		}
	}
	return ""
}

// DateTime is the layout of a time police read in a record, the zone named
// so that nobody wonders whose 17:30 it is: "14 Mar 2026 17:30 IST".
const DateTime = "02 Jan 2006 15:04 MST"

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
