package talaash

import (
	"slices"
	"testing"
	"time"
)

func TestClosedAt(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 6, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name   string
		r      Record
		want   time.Time
		closed bool
	}{
		{"open", Record{Status: StatusOpen, Updated: day(9)}, time.Time{}, false},
		{"matched", Record{Status: StatusMatched}, time.Time{}, false},
		{"reunited", Record{Status: StatusReunited, Updated: day(9), History: []Event{{At: day(2), From: StatusOpen, To: StatusMatched}, {At: day(3), From: StatusMatched, To: StatusReunited}}}, day(3), true},
		// reunited, then closed by another officer: the clock runs from the reunion
		{"reunited then closed", Record{Status: StatusClosed, History: []Event{{At: day(3), From: StatusOpen, To: StatusReunited}, {At: day(5), From: StatusReunited, To: StatusClosed}}}, day(3), true},
		// reopened and closed again: from the last closing
		{"reopened", Record{Status: StatusClosed, History: []Event{{At: day(3), From: StatusOpen, To: StatusClosed}, {At: day(4), From: StatusClosed, To: StatusOpen}, {At: day(6), From: StatusOpen, To: StatusClosed}}}, day(6), true},
		{"imported closed", Record{Status: StatusClosed, Created: day(1), Updated: day(8)}, day(8), true},
	} {
		got, closed := c.r.ClosedAt()
		if !got.Equal(c.want) || closed != c.closed {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, closed, c.want, c.closed)
		}
	}
}

func TestAnonymize(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.FixedZone("IST", 19800))
	r := Record{Ref: "K-1234-4", Kind: KindSighting, Time: at, Name: "Ravi", Gender: "male", Age: Num(8), Clothes: "red shirt", Marks: "mole",
		Place: "near Ramesh's shop, Kanpur Central", Lat: Num(26.4), Text: "seen boy", Contact: &Contact{Phone: "+919812345678"},
		Photos: []string{"p"}, Channel: ChannelSMS, Address: "+919812345678", Status: StatusClosed,
		History: []Event{{By: "sms:+919812345678", To: StatusClosed, Why: "my nephew Ravi"}, {By: "telegram:9", To: StatusClosed}}}
	removed := r.Anonymize(at, func(string) string { return "Kanpur Central" })
	want := []string{"name", "contact", "address", "photos", "text", "location", "place", "history reasons"}
	if !slices.Equal(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	if r.Name != "" || r.Contact != nil || r.Address != "" || r.Photos != nil || r.Text != "" || r.Lat != nil || r.Place != "Kanpur Central" ||
		r.History[0].By != ByReporter || r.History[0].Why != "" || r.History[1].By != "telegram:9" {
		t.Errorf("anonymized %+v", r)
	}
	if r.Gender != "male" || *r.Age != 8 || r.Clothes != "red shirt" || r.Marks != "mole" || r.Channel != ChannelSMS || r.Scrubbed != at.UTC() || r.Scrubbed.Location() != time.UTC {
		t.Errorf("description lost: %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("an anonymous record does not validate: %v", err)
	}
}
