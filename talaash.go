// Package talaash holds the domain of Talaash: the records people report, the
// candidates the matcher finds between them, the messages that come in and go
// out on every channel, and the errors every layer speaks. Subpackages are named
// after what they wrap (store wraps bbolt, bot/telegram wraps the Bot API, ...)
// and talk to each other through the types here.
package talaash

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind is what a record reports.
type Kind string

const (
	KindMissing  Kind = "missing"  // a parent's or guardian's report
	KindSighting Kind = "sighting" // a bystander saw a child
	KindFound    Kind = "found"    // police (or a lost child) recorded a child found
)

// Valid reports whether k is one of the three kinds.
func (k Kind) Valid() bool { return k == KindMissing || k == KindSighting || k == KindFound }

// Status is where a record stands in its life.
type Status string

const (
	StatusOpen     Status = "open"
	StatusMatched  Status = "matched"  // police confirmed a match
	StatusReunited Status = "reunited" // the child is back with the family
	StatusClosed   Status = "closed"   // closed for another reason
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusOpen || s == StatusMatched || s == StatusReunited || s == StatusClosed
}

// Active reports whether a record in this status still takes part in matching.
func (s Status) Active() bool { return s == "" || s == StatusOpen || s == StatusMatched }

// Channel names, used on records, sessions and messages.
const (
	ChannelTelegram = "telegram"
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
	ChannelImport   = "import"
)

// Contact is a person's name and phone number. Phone is kept in E.164 (+91...).
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	// Relation is the reporter's relation to the child ("mother", "uncle"),
	// kept apart from the name so the name stays a name.
	Relation string `json:"relation,omitempty"`
}

// Event is one entry of a record's audit history.
type Event struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"` // "channel:address" of the officer or person, or "import", "system"
	From Status    `json:"from,omitempty"`
	To   Status    `json:"to"`
	Why  string    `json:"why,omitempty"`
}

// Record is one report: a missing child, a sighting or a found child. The JSON
// names are the record format of DESIGN.md; fields after Contact are Talaash's
// own and are carried through export and import as well.
type Record struct {
	Ref      string    `json:"ref"`
	Kind     Kind      `json:"kind"`
	Language string    `json:"language,omitempty"`
	Name     string    `json:"name,omitempty"`
	Gender   string    `json:"gender,omitempty"` // male | female
	Age      *float64  `json:"age,omitempty"`
	AgeMin   *float64  `json:"age_min,omitempty"`
	AgeMax   *float64  `json:"age_max,omitempty"`
	HeightCM *float64  `json:"height_cm,omitempty"`
	Complex  string    `json:"complexion,omitempty"`
	Clothes  string    `json:"clothes,omitempty"`
	Marks    string    `json:"marks,omitempty"`
	Place    string    `json:"place,omitempty"`
	Lat      *float64  `json:"lat,omitempty"`
	Lon      *float64  `json:"lon,omitempty"`
	Time     time.Time `json:"time"`
	Text     string    `json:"text,omitempty"`
	Contact  *Contact  `json:"contact,omitempty"`

	Status  Status   `json:"status,omitempty"`
	Photos  []string `json:"photos,omitempty"`  // channel file ids or URLs
	Station string   `json:"station,omitempty"` // police station, on found records
	// Safe is a bystander's answer to "is the child with you or safe?": "" unknown;
	// SafeLost on a found record a lost child made.
	Safe    string    `json:"safe,omitempty"`
	Channel string    `json:"channel,omitempty"` // where the reporter can be reached
	Address string    `json:"address,omitempty"` // chat id or phone on that channel
	Created time.Time `json:"created,omitempty"`
	Updated time.Time `json:"updated,omitempty"`
	History []Event   `json:"history,omitempty"`
	// Scrubbed is when retention removed the personal data (Anonymize).
	Scrubbed time.Time `json:"scrubbed,omitzero"`
	// Test marks a record made in the simulator: left out of the figures and
	// alerted only to the simulator's police.
	Test bool `json:"test,omitempty"`

	// ID is the store's sequence number; zero until stored. Not exported.
	ID uint64 `json:"-"`
}

// Ages returns the record's age range in years and whether any age is known.
func (r *Record) Ages() (lo, hi float64, ok bool) {
	switch {
	case r.Age != nil:
		return *r.Age, *r.Age, true
	case r.AgeMin != nil && r.AgeMax != nil:
		return *r.AgeMin, *r.AgeMax, true
	case r.AgeMin != nil:
		return *r.AgeMin, *r.AgeMin, true
	case r.AgeMax != nil:
		return *r.AgeMax, *r.AgeMax, true
	}
	return 0, 0, false
}

// Num returns a pointer to v, for the optional numeric fields.
func Num(v float64) *float64 { return &v }

// Reason is one human-readable reason for a candidate, in each language:
// English, Hindi and Hindi in Latin letters (Latn; empty in reasons stored
// before it was written, which then read in English).
type Reason struct {
	En   string `json:"en"`
	Hi   string `json:"hi"`
	Latn string `json:"latn,omitempty"`
}

// In is the reason in lang ("en", "hi", "hi-Latn"), in English where it lacks
// that language. Hinglish never falls back to Hindi: its reader may not read
// Devanagari, and an SMS must stay GSM-7.
func (r Reason) In(lang string) string {
	switch {
	case lang == "hi" && r.Hi != "":
		return r.Hi
	case strings.EqualFold(lang, "hi-Latn") && r.Latn != "":
		return r.Latn
	}
	return r.En
}

// Candidate is a possible match between a missing-child report and a sighting
// or found record, scored by the matcher.
type Candidate struct {
	Missing  string   `json:"missing"`  // ref of the missing record
	Sighting string   `json:"sighting"` // ref of the sighting or found record
	Score    float64  `json:"score"`
	Alert    bool     `json:"alert"` // strong enough to alert the police
	Reasons  []Reason `json:"reasons,omitempty"`
}

// Location is a point someone shared.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Inbound is one message from a person, on any channel, translated by its adapter.
type Inbound struct {
	Channel  string    // telegram | sms | whatsapp
	Sender   string    // chat id, or E.164 phone (whatsapp: prefix kept off; Channel says it)
	ID       string    // provider's id of this message, for dedupe (update id, MessageSid)
	Text     string    // what they wrote (may be empty)
	Callback string    // data of a pressed button, if any
	Location *Location // a shared location
	Contact  *Contact  // a shared contact
	Photos   []string  // file ids or media URLs
	LangHint string    // the client's language (Telegram language_code), if known
	Name     string    // the sender's display name, if the channel gives one
	At       time.Time
}

// Choice is an option offered with a message: a button on Telegram, a numbered
// line on SMS.
type Choice struct {
	Label string `json:"label"`
	Data  string `json:"data"` // callback data (at most 64 bytes) or the text a tap sends
}

// Ask is a special input a message requests, where the channel can offer it.
type Ask string

const (
	AskNone     Ask = ""
	AskLocation Ask = "location"
	AskContact  Ask = "contact"
)

// Outbound is one message to a person, rendered in their language, not yet in
// the provider's format.
type Outbound struct {
	Channel string   `json:"channel"`
	To      string   `json:"to"`
	Text    string   `json:"text"`
	Choices []Choice `json:"choices,omitempty"`
	Inline  bool     `json:"inline,omitempty"` // choices as inline buttons (callbacks) rather than a reply keyboard
	Ask     Ask      `json:"ask,omitempty"`
	Photos  []string `json:"photos,omitempty"` // shown to police only

	// Urgent asks the channel to deliver ahead of other traffic where it can
	// (police alerts: SMPP priority on Kannel).
	Urgent bool `json:"urgent,omitempty"`
	// Template names the locale message the text was rendered from, as
	// locales.SMSTemplate gives it ("lang:id", "+"-joined when several
	// messages went as one SMS), and Vars the values put into it: India's DLT
	// rules register each SMS as a template, and a route that needs them
	// refuses messages without one.
	Template string            `json:"template,omitempty"`
	Vars     map[string]string `json:"vars,omitempty"`
}

// Error codes: every layer maps its failures to one of these.
const (
	ECONFLICT = "conflict"  // a record or action conflicts with what is stored
	EINTERNAL = "internal"  // a bug or an unexpected failure
	EINVALID  = "invalid"   // bad input
	ENOTFOUND = "not_found" // no such record
	EINUSE    = "in_use"    // the database is held by another process

	// Sending errors, mapped from the providers.
	ESTOPPED   = "stopped"   // the person blocked the bot or unsubscribed: do not send again
	ETHROTTLED = "throttled" // too many messages: retry after Error.RetryAfter
	EFAILED    = "failed"    // a temporary failure: retry with backoff
)

// Error is an error with a code and a message fit to show a person or an operator.
type Error struct {
	Code       string
	Message    string
	RetryAfter time.Duration // with ETHROTTLED
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EINTERNAL for errors without one, "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err fit for a person or operator.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Matcher finds, among the active records it holds, those of the other kinds
// that could be the same child as r. It is safe for concurrent use.
type Matcher interface {
	// Add indexes r (again, if its ref is already held); records that are not
	// active are removed instead.
	Add(r *Record)
	// Remove drops the record with this ref from the index.
	Remove(ref string)
	// Match scores r against the held records of the other kinds and returns the
	// best k candidates, best first. r itself need not be held.
	Match(r *Record, k int) []Candidate
}

// Handler is the channel-agnostic core as an adapter sees it: it takes one
// inbound message, commits the whole turn, and returns the replies to send.
// A message id seen before returns the replies it got the first time.
type Handler interface {
	Handle(ctx context.Context, in Inbound) ([]Outbound, error)
}

// Sender delivers a message outside a reply (alerts, notifications). It returns
// the provider's id of the sent message, and errors coded ESTOPPED, ETHROTTLED
// (with RetryAfter) or EFAILED.
type Sender interface {
	Send(ctx context.Context, m Outbound) (id string, err error)
}

// SafeLost is Record.Safe of a found record a lost child made themselves:
// police are alerted of it at once, candidate or not.
const SafeLost = "lost"
