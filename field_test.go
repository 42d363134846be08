package talaash_test

import (
	"reflect"
	"testing"
	"time"

	"talaash"
)

func TestFields(t *testing.T) {
	r := &talaash.Record{Name: " Anjali ", Gender: "female", AgeMin: talaash.Num(6), AgeMax: talaash.Num(7), Complex: "wheatish",
		Clothes: "pink frock", Place: "Moti Jheel", Lat: talaash.Num(26.5), Lon: talaash.Num(80.25),
		Time: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), Contact: &talaash.Contact{Name: "Ramesh", Phone: "+919876543210"},
		Photos: []string{"a", "b"}}
	want := []talaash.Field{
		{ID: "name", Value: "Anjali"}, {ID: "gender", Value: "female", Code: true}, {ID: "age", Value: "6-7"},
		{ID: "complexion", Value: "wheatish", Code: true}, {ID: "clothes", Value: "pink frock"}, {ID: "place", Value: "Moti Jheel"},
		{ID: "location", Value: "26.50000, 80.25000"}, {ID: "time", Value: "14 Mar 2026 17:30 IST"},
		{ID: "contact", Value: "Ramesh, +919876543210"}, {ID: "photos", Value: "2"},
	}
	if got := r.Fields(talaash.DateTime); !reflect.DeepEqual(got, want) {
		t.Errorf("Fields() =\n%+v\nwant\n%+v", got, want)
	}
	if v := talaash.FieldValue(want, "age"); v != "6-7" {
		t.Errorf("FieldValue(age) = %q", v)
	}
}

func TestTextHelpers(t *testing.T) {
	if !talaash.Devanagari("red शर्ट") || talaash.Devanagari("K-४८२१-७।") || talaash.Devanagari("plain") {
		t.Error("Devanagari: letters count, digits and the danda do not")
	}
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{{"abcdef", 3, "abc…"}, {"abc", 3, "abc"}, {"अंजलि", 3, "अंज…"}, {"अंज", 3, "अंज"}} {
		if got := talaash.Clip(c.in, c.n, "…"); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	if got := talaash.PairRef("K-1", "K-2"); got != "K-1--K-2" {
		t.Errorf("PairRef = %q", got)
	}
	for in, want := range map[string][2]string{"K-1--K-2": {"K-1", "K-2"}, "K-1 K-2": {"K-1", "K-2"}, "K-1:K-2": {"K-1", "K-2"},
		"K-1": {"K-1", ""}, " ": {"", ""}} {
		if a, b := talaash.SplitPair(in); a != want[0] || b != want[1] {
			t.Errorf("SplitPair(%q) = %q, %q", in, a, b)
		}
	}
}
