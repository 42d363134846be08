package talaash

import (
	"io"
	"time"
)

// Store is where Talaash keeps everything. A turn, an import batch or an
// alert decision runs in one Update; reads run in View.
type Store interface {
	Update(fn func(tx Tx) error) error
	// Batch is an Update that may share its commit (and its flush to disk)
	// with concurrent Batch calls: when it returns nil, fn's writes are
	// durable, as after Update. Because a batch is redone without a member
	// that failed, fn may run more than once, each time in a fresh
	// transaction state: it must reset whatever it computes and act outside
	// the store only through OnCommit, which runs once, after the commit
	// that holds fn's writes. A failing fn is retried alone and its error
	// returned; it rolls back only its own writes.
	Batch(fn func(tx Tx) error) error
	View(fn func(tx Tx) error) error
	Path() string
	Close() error
}

// Backuper is a Store that can copy all it holds, as of one moment, while it
// is in use.
type Backuper interface {
	// Backup writes a consistent copy of the whole store to w and returns
	// how many bytes it wrote.
	Backup(w io.Writer) (int64, error)
}

// Compacter is a Store that can give back the room of what was deleted.
type Compacter interface {
	// Compact rewrites the store without its free space and returns its
	// size in bytes before and after.
	Compact() (before, after int64, err error)
}

// Tx is one transaction of a Store, valid only inside the function given to
// Update or View. store/storetest holds the contract as tests.
//
// Refs may be given in any form CanonicalRef folds together. A function that
// walks (Each*, RecordsBy*, Alerts*, AuditOf) gets what the store read before
// the walk, so fn may write; an error from fn ends the walk and is returned.
type Tx interface {
	// OnCommit registers fn to run after the transaction commits (sends go
	// there, so nothing is sent for a turn that rolled back).
	OnCommit(fn func())
	Writable() bool

	// Records.
	PutRecord(r *Record) error
	Record(ref string) (*Record, error)
	HasRecord(ref string) bool
	CountRecords() int
	EachRecord(fn func(*Record) error) error
	RecordsBy(kind Kind, status Status, fn func(*Record) error) error
	RecordsBetween(from, to time.Time, fn func(*Record) error) error
	RecordsByReporter(channel, address string, fn func(*Record) error) error
	SetStatus(ref string, to Status, by, why string, at time.Time) (*Record, error)
	// Scrub replaces the closed record ref by its anonymous form
	// (Record.Anonymize as of at, place as given there) and removes what else
	// holds its personal data: its reporter index entry, its candidates and
	// the reasons of its alerts (they quote names). It returns the fields
	// emptied; an active record is ECONFLICT.
	Scrub(ref string, at time.Time, place func(string) string) ([]string, error)

	// Candidates kept per record.
	Candidates(ref string) ([]Candidate, error)
	PutCandidates(ref string, c []Candidate) error
	EachCandidates(fn func(ref string, c []Candidate) error) error

	// Sessions and seen inbound message ids.
	Session(key string) ([]byte, error)
	PutSession(key string, v []byte) error
	DeleteSession(key string) error
	// EachSession calls fn with every session, with when it was last put, in
	// key order.
	EachSession(fn func(key string, used time.Time, v []byte) error) error
	// PruneSessions deletes the sessions last put before before, but those
	// keep (when not nil) says to keep, and returns how many it deleted.
	PruneSessions(before time.Time, keep func(key string, v []byte) bool) (int, error)
	Seen(channel, id string) (reply []byte, ok bool)
	MarkSeen(channel, id string, reply []byte, at time.Time) error
	PruneSeen(before time.Time) (int, error)

	// Outbox.
	Enqueue(it *OutboxItem) error
	PutOutbox(it *OutboxItem) error
	DeleteOutbox(id uint64) error
	EachOutbox(fn func(*OutboxItem) error) error

	// Delivery log of the outbox: what reached whom, so a Key is sent once.
	Sent(key, channel, to string) (*Sent, error) // ENOTFOUND if never delivered
	PutSent(s *Sent) error
	PruneSent(before time.Time) (int, error)

	// Alerts, indexed by state and by either ref of the pair, so the desk and
	// reminders never read every alert.
	Alert(missing, sighting string) (*Alert, error)          // ENOTFOUND if the pair was never alerted
	PutAlert(a *Alert) error                                 // sets Created if zero
	AlertsByState(state string, fn func(*Alert) error) error // oldest first
	AlertsOf(ref string, fn func(*Alert) error) error        // either side; oldest first

	// Pairs the matcher alerted once (never again) and pairs police rejected.
	Alerted(missing, sighting string) (bool, error)
	PutAlerted(missing, sighting string) error
	Rejected(missing, sighting string) (bool, error)
	PutRejected(missing, sighting, by string, at time.Time) error

	// Police enrolment entries (the configured lists live in the roster).
	Police(channel, address string) (*PoliceEntry, error) // ENOTFOUND if none
	PutPolice(e *PoliceEntry) error
	DeletePolice(channel, address string) error
	EachPolice(fn func(*PoliceEntry) error) error // by channel, then address

	// Invitations to enrol (talaash police add), by the hash of their code:
	// the code itself is never stored. The chat enrolment and the desk's
	// first login share them.
	PutInvite(inv *Invite) error                              // sets ID if zero
	Invite(hash string) (*Invite, error)                      // ENOTFOUND if none
	UseInvite(hash, by string, at time.Time) (*Invite, error) // marks it used; ECONFLICT if it was, ENOTFOUND if none
	EachInvite(fn func(*Invite) error) error                  // by ID

	// Enrolment requests made with the general code, until an officer decides.
	PutRequest(r *Request) error               // sets ID if zero
	Request(id uint64) (*Request, error)       // ENOTFOUND if none
	EachRequest(fn func(*Request) error) error // by ID

	// People who sent STOP, or whom a provider reports unsubscribed.
	Stopped(channel, address string) (bool, error)
	PutStopped(channel, address string, at time.Time) error
	DeleteStopped(channel, address string) error

	// Attempt counters for rate limits, by key ("enrol:channel:address").
	Attempts(key string) (Attempts, error) // zero if none
	PutAttempts(key string, a Attempts) error
	DeleteAttempts(key string) error
	PruneAttempts(before time.Time) (int, error) // counters whose window began before before

	// Delivery statuses the providers report, by their message id.
	DeliveryStatus(messageID string) (*DeliveryStatus, error) // ENOTFOUND if none
	PutDeliveryStatus(d *DeliveryStatus) error
	EachDeliveryStatus(fn func(*DeliveryStatus) error) error // by message id
	PruneDelivery(before time.Time) (int, error)             // statuses reported before before

	// When a parent last got the weekly status of a record.
	LastWeekly(ref string) (time.Time, error) // zero if never
	PutLastWeekly(ref string, at time.Time) error

	// Access log: every view of a record by an officer and every decision.
	Audit(e *AuditEntry) error
	AuditOf(ref string, fn func(*AuditEntry) error) error // oldest first

	// Police desk: accounts by login, sessions by the hash of their cookie,
	// used form nonces, and the records' summaries for its search.
	PutDeskAccount(a *DeskAccount) error
	DeskAccount(login string) (*DeskAccount, error) // ENOTFOUND if none
	EachDeskAccount(fn func(*DeskAccount) error) error
	PutDeskSession(s *DeskSession) error
	DeskSession(hash string) (*DeskSession, error) // ENOTFOUND if none
	DeleteDeskSession(hash string) error
	DeleteDeskSessions(login string) (int, error) // every session of login
	// PruneDeskSessions deletes the sessions that expired before before.
	PruneDeskSessions(before time.Time) (int, error)
	// UseNonce marks a form's nonce spent; false if it was already.
	UseNonce(nonce string, at time.Time) (bool, error)
	PruneNonces(before time.Time) (int, error)
	// EachSummary calls fn with the summary of every record, newest first
	// by creation.
	EachSummary(fn func(*RecordSummary) error) error
	// SummaryVersion changes whenever a summary does (a record is put), so
	// a reader may keep the summaries until it moves.
	SummaryVersion() uint64
	// SummaryChanges calls fn, oldest change first, with the summaries put
	// after version (key is the summary's place in EachSummary's order:
	// greater is newer; s is nil if it is gone), so a reader keeping them
	// reads only what changed. ECONFLICT if the store no longer keeps the
	// changes since version: read them all again.
	SummaryChanges(version uint64, fn func(key string, s *RecordSummary) error) error
}

// OutboxItem is a message to deliver outside a reply: an alert, a notification.
type OutboxItem struct {
	ID        uint64    `json:"id"`
	Kind      string    `json:"kind"` // "alert", "notify", "reminder", ...
	Key       string    `json:"key"`  // what it is about, e.g. "alert:MISSREF:SIGHTREF"
	Msg       Outbound  `json:"msg"`
	Due       time.Time `json:"due"`
	Attempts  int       `json:"attempts"`
	SentID    string    `json:"sent_id,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	Created   time.Time `json:"created"`
}

// Sent is one entry of the outbox's delivery log: message Key reached
// channel:to as the provider's SentID.
type Sent struct {
	Key     string    `json:"key"`
	Channel string    `json:"channel"`
	To      string    `json:"to"`
	SentID  string    `json:"sent_id"`
	At      time.Time `json:"at"`
	ItemID  uint64    `json:"item"`
}

// PoliceEntry is an officer enrolled through the bot or the CLI. A revoked
// entry stays, so that it also overrides a configured pre-enrolment.
type PoliceEntry struct {
	Channel  string    `json:"channel"`
	Address  string    `json:"address"`
	Name     string    `json:"name,omitempty"`    // how other officers see them
	Station  string    `json:"station,omitempty"` // police station
	Lang     string    `json:"lang,omitempty"`    // "hi" | "en" | "hi-Latn"; a language they chose in chat since wins
	Enrolled time.Time `json:"enrolled,omitzero"`
	Revoked  time.Time `json:"revoked,omitzero"` // zero while serving
}

// ID is the officer's "channel:address", as audit entries name them.
func (e *PoliceEntry) ID() string { return e.Channel + ":" + e.Address }

// Active reports whether the entry is not revoked.
func (e *PoliceEntry) Active() bool { return e.Revoked.IsZero() }

// Invite is a one-time enrolment code for a named officer. It may be bound to
// a Telegram chat and/or a phone number: then only they may use it.
type Invite struct {
	ID       uint64    `json:"id"`
	Hash     string    `json:"hash"` // hex SHA-256 of the code as police.CodeHash folds it
	Name     string    `json:"name"`
	Station  string    `json:"station"`
	Telegram string    `json:"telegram,omitempty"` // chat id that alone may use it
	SMS      string    `json:"sms,omitempty"`      // phone (E.164) that alone may use it, on any phone channel
	By       string    `json:"by,omitempty"`       // who invited: "cli" or an officer's "channel:address"
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	Used     time.Time `json:"used,omitzero"`
	UsedBy   string    `json:"used_by,omitempty"` // "channel:address" that used it
}

// Request states.
const (
	RequestPending  = "pending"
	RequestApproved = "approved"
	RequestRefused  = "refused"
)

// Request is an enrolment asked for with the general code: the sender is not
// police until an officer approves it. ID is the short number officers
// approve by.
type Request struct {
	ID      uint64    `json:"id"`
	Channel string    `json:"channel"`
	Address string    `json:"address"`
	Lang    string    `json:"lang,omitempty"`
	At      time.Time `json:"at"`
	State   string    `json:"state"`
	By      string    `json:"by,omitempty"` // who decided
	Decided time.Time `json:"decided,omitzero"`
}

// Attempts counts tries (wrong enrolment codes, say) since a window began.
type Attempts struct {
	Since time.Time `json:"since"`
	Count int       `json:"count"`
}

// DeliveryStatus is what a provider last reported of a message it took.
type DeliveryStatus struct {
	MessageID string    `json:"id"` // the provider's, e.g. Twilio's MessageSid
	Channel   string    `json:"channel,omitempty"`
	Status    string    `json:"status"`         // the provider's word: delivered, failed, ...
	Code      string    `json:"code,omitempty"` // the provider's error code
	At        time.Time `json:"at"`
}

// AuditEntry is one line of the access log: an officer saw or decided on a
// record.
type AuditEntry struct {
	Officer string    `json:"officer"` // "channel:address"
	At      time.Time `json:"at"`
	Ref     string    `json:"ref"`
	Action  string    `json:"action"`           // "view", "confirm", "reject", "reunited", "closed"; enrolment: "invite", "enrol", "request", "approve", "refuse", "revoke"
	Detail  string    `json:"detail,omitempty"` // e.g. the other ref of a pair
}
