package talaash

import "testing"

// TestReasonIn: a reason reads in the asked language, in English where it
// lacks it; Hinglish never falls back to Devanagari.
func TestReasonIn(t *testing.T) {
	full := Reason{En: "same name: Priya", Hi: "वही नाम: Priya", Latn: "wahi naam: Priya"}
	old := Reason{En: "same name: Priya", Hi: "वही नाम: Priya"} // stored before Latn
	for _, c := range []struct {
		r          Reason
		lang, want string
	}{
		{full, "en", "same name: Priya"},
		{full, "hi", "वही नाम: Priya"},
		{full, "hi-Latn", "wahi naam: Priya"},
		{full, "hi-latn", "wahi naam: Priya"},
		{full, "", "same name: Priya"},
		{old, "hi-Latn", "same name: Priya"},
		{old, "hi", "वही नाम: Priya"},
		{Reason{En: "same name: Priya"}, "hi", "same name: Priya"},
	} {
		if got := c.r.In(c.lang); got != c.want {
			t.Errorf("%+v in %q: %q, want %q", c.r, c.lang, got, c.want)
		}
	}
}
