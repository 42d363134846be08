package dialog

import (
	"slices"
	"testing"

	"talaash"
)

// TestRefused: a record the store refused is asked again where a question
// can fix it, from the summary back to it, and otherwise the person hears
// that it was not saved with the question they were at or the menu.
func TestRefused(t *testing.T) {
	for _, c := range []struct {
		state, field string
		want         []string
		after        string
		editing      bool
	}{
		{"report.confirm", "age", ids("err.save.field", "report.age"), "report.age", true},
		{"report.confirm", "contact", ids("err.save.field", "report.phone"), "report.phone", true},
		{"sighting.confirm", "contact", ids("err.save.field", "sighting.contact"), "sighting.contact", true},
		{"lost.place", "age", ids("err.save.field", "lost.age"), "lost.age", false},
		{"quick.place", "age", ids("err.save.field", "quick.age"), "quick.age", false},
		{"found.confirm", "contact", ids("err.save", "found.confirm"), "found.confirm", false},
		{"report.confirm", "", ids("err.save", "report.confirm"), "report.confirm", false},
		{StateMenu, "age", ids("err.save", "menu"), StateMenu, false},
		{"no.such", "age", ids("err.save", "menu"), StateMenu, false},
	} {
		for _, lang := range []string{"en", "hi"} {
			s := &Session{Channel: talaash.ChannelTelegram, Sender: "1", State: c.state, Lang: lang}
			if flowOf(c.state) != "" {
				s.Draft = &talaash.Record{Kind: talaash.KindMissing, Name: "Ravi", Age: talaash.Num(8), Contact: &talaash.Contact{Phone: "+919876543210"}}
			}
			res := Refused(s, talaash.Inbound{Text: "yes"}, envOn(s.Channel, t0), c.field)
			var got []string
			for _, r := range res.Replies {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, c.want) || s.State != c.after || s.Editing != c.editing {
				t.Errorf("%s %q (%s): %v in %q editing %v, want %v in %q editing %v", c.state, c.field, lang, got, s.State, s.Editing,
					c.want, c.after, c.editing)
			}
			checkReplies(t, 0, s, res)
			if c.field == "age" && s.Draft != nil && s.Draft.Age != nil {
				t.Errorf("%s: age kept", c.state)
			}
		}
	}
}
