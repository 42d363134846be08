package dialog

import (
	"encoding/json"
	"time"

	"talaash"
)

// Session is the whole state of one person's conversation. It is JSON: the
// core stores it under "channel:sender" and re-reads it every turn, so nothing
// of a conversation lives only in memory.
type Session struct {
	Channel string `json:"channel"`
	Sender  string `json:"sender"`
	Lang    string `json:"lang,omitempty"`  // "hi" | "en" | "hi-Latn"; "" until known
	State   string `json:"state,omitempty"` // a state of the machine; "" = never spoken
	// LangChosen: the person chose Lang (a button, LANG ...), rather than it
	// being guessed from how they write.
	LangChosen bool `json:"lang_chosen,omitempty"`
	// Draft is the record being filled in by the current flow.
	Draft *talaash.Record `json:"draft,omitempty"`
	// Editing: the current question was chosen from the summary; its answer
	// goes back to the summary.
	Editing bool `json:"editing,omitempty"`
	// Offered are the choices offered last, so that "2" on SMS or a reply
	// keyboard's label picks one.
	Offered []Choice `json:"offered,omitempty"`
	// Ref is the reference the core gave the record saved in this flow; later
	// saves of the same flow (a one-message sighting being enriched) reuse it.
	Ref string `json:"ref,omitempty"`
	// Refused counts the answers to question RefusedIn refused in a row for
	// the same reason RefusedWith, so that a refusal is not said word for
	// word twice.
	Refused     int       `json:"refused,omitempty"`
	RefusedIn   string    `json:"refused_in,omitempty"`
	RefusedWith string    `json:"refused_with,omitempty"`
	Updated     time.Time `json:"updated,omitempty"`
}

// NewSession starts a conversation that has not said anything yet.
func NewSession(channel, sender string) *Session {
	return &Session{Channel: channel, Sender: sender}
}

// Marshal returns the session as JSON.
func (s *Session) Marshal() ([]byte, error) { return json.Marshal(s) }

// Unmarshal reads a session written by Marshal.
func Unmarshal(b []byte) (*Session, error) {
	var s Session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "session: %v", err)
	}
	return &s, nil
}

// Saved tells the session the reference its last Save got.
func (s *Session) Saved(ref string) {
	s.Ref = ref
	if s.Draft != nil {
		s.Draft.Ref = ref
	}
}
