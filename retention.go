package talaash

import "time"

// ByReporter is how History credits the reporter once Anonymize has removed
// their chat id or phone.
const ByReporter = "reporter"

// Anonymize removes r's personal data, so that retention keeps only what the
// figures count and what describes the child without naming anyone.
//
// Removed: the child's name, the reporter's contact (name and phone), their
// chat id or phone (Address), photos, the free text, a shared location
// (Lat/Lon), the free-text place unless place maps it to a gazetteer name
// (nil or "" drops it), and the free-text reasons in History; an event
// made by the reporter is credited to ByReporter.
//
// Kept: ref, kind, status, language, age, gender, height, complexion, clothes,
// marks, station, Safe, the channel's name, times and the statuses of History.
// Clothes and marks describe a child; they do not identify a family.
//
// Scrubbed is set to at. It returns the names of the fields it emptied, in a
// fixed order.
func (r *Record) Anonymize(at time.Time, place func(string) string) []string {
	var removed []string
	drop := func(name string, had bool) {
		if had {
			removed = append(removed, name)
		}
	}
	drop("name", r.Name != "")
	drop("contact", r.Contact != nil)
	drop("address", r.Address != "")
	drop("photos", len(r.Photos) > 0)
	drop("text", r.Text != "")
	drop("location", r.Lat != nil || r.Lon != nil)
	reporter := ""
	if r.Channel != "" && r.Address != "" {
		reporter = r.Channel + ":" + r.Address
	}
	r.Name, r.Contact, r.Address, r.Photos, r.Text, r.Lat, r.Lon = "", nil, "", nil, "", nil, nil

	if r.Place != "" {
		key := ""
		if place != nil {
			key = place(r.Place)
		}
		drop("place", key != r.Place)
		r.Place = key
	}
	why := false
	for i := range r.History {
		e := &r.History[i]
		if e.Why != "" {
			e.Why, why = "", true
		}
		if reporter != "" && e.By == reporter {
			e.By = ByReporter
		}
	}
	drop("history reasons", why)
	r.Scrubbed = at.UTC()
	return removed
}

// ClosedAt returns when r last became reunited or closed, and false for a
// record that is active. A record closed without a history (imported so)
// counts from when it was last stored.
func (r *Record) ClosedAt() (time.Time, bool) {
	if r.Status.Active() {
		return time.Time{}, false
	}
	// The last move out of the active statuses; a later reunited -> closed
	// (or a repeated status) does not restart the clock.
	for i := len(r.History) - 1; i >= 0; i-- {
		if e := r.History[i]; !e.To.Active() && e.From.Active() {
			return e.At, true
		}
	}
	if !r.Updated.IsZero() {
		return r.Updated, true
	}
	return r.Created, true
}
