package talaash

import "time"

// ChannelDesk is the police desk in the browser: an officer who logged in
// there acts as "desk:LOGIN" unless their account names a chat entry.
const ChannelDesk = "desk"

// DeskAccount is an officer's login to the police desk, made at the first
// login with the one-time code of their invitation. The password is kept
// only as its hash.
type DeskAccount struct {
	Login    string    `json:"login"`    // folded to lower case
	Password string    `json:"password"` // bcrypt hash
	Name     string    `json:"name"`
	Station  string    `json:"station"`
	Invite   uint64    `json:"invite"`             // the invitation it was made with
	Telegram string    `json:"telegram,omitempty"` // the invitation's binding, so revoking the chat ends the desk too
	SMS      string    `json:"sms,omitempty"`
	Lang     string    `json:"lang,omitempty"`
	Created  time.Time `json:"created"`
}

// Officer is the roster entry the account acts as.
func (a *DeskAccount) Officer() (channel, address string) { return ChannelDesk, a.Login }

// DeskSession is one logged-in browser, stored by the hash of its cookie so
// that a copy of the database opens no session.
type DeskSession struct {
	Hash    string    `json:"hash"`
	Login   string    `json:"login"`
	CSRF    string    `json:"csrf"` // the token every form of the session carries
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// RecordSummary is what the desk's case search reads of a record: a small
// index entry kept beside it, so a search over every record does not decode
// every record.
type RecordSummary struct {
	Key     string // its place in the store's order: greater is newer
	Ref     string
	Kind    Kind
	Status  Status
	Name    string
	Place   string
	Time    time.Time // missing since / seen / found
	Created time.Time
	Lat     *float64 // where known, for the desk's map
	Lon     *float64
	Test    bool // the simulator's: marked TEST, left out of the figures
}
