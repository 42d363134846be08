package talaash

import "time"

// Alert states: an alerted pair waits for an officer's review, then is either
// confirmed as the same child or rejected.
const (
	AlertPending   = "pending"
	AlertConfirmed = "confirmed"
	AlertRejected  = "rejected"
)

// Alert is the review state of one alerted pair, keyed by its two refs.
type Alert struct {
	Missing    string    `json:"missing"`
	Sighting   string    `json:"sighting"`
	Score      float64   `json:"score"`
	Reasons    []Reason  `json:"reasons,omitempty"`
	State      string    `json:"state"`
	Created    time.Time `json:"created"`
	Reminded   time.Time `json:"reminded,omitzero"`
	ReviewedBy string    `json:"reviewed_by,omitempty"` // "channel:address" of the officer
	ByName     string    `json:"by_name,omitempty"`     // how other officers see them
	Reviewed   time.Time `json:"reviewed,omitzero"`
}
