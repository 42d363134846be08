package talaash

import "time"

// Store is where Talaash keeps everything. A turn, an import batch or an
// alert decision runs in one Update; reads run in View.
type Store interface {
	Update(fn func(tx Tx) error) error
	View(fn func(tx Tx) error) error
	Path() string
	Close() error
}

// Tx is one transaction of a Store, valid only inside the function given to
// Update or View.
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

	// Candidates kept per record.
	Candidates(ref string) ([]Candidate, error)
	PutCandidates(ref string, c []Candidate) error
	EachCandidates(fn func(ref string, c []Candidate) error) error

	// Sessions and seen inbound message ids.
	Session(key string) ([]byte, error)
	PutSession(key string, v []byte) error
	DeleteSession(key string) error
	Seen(channel, id string) (reply []byte, ok bool)
	MarkSeen(channel, id string, reply []byte, at time.Time) error
	PruneSeen(before time.Time) (int, error)

	// Outbox.
	Enqueue(it *OutboxItem) error
	PutOutbox(it *OutboxItem) error
	DeleteOutbox(id uint64) error
	EachOutbox(fn func(*OutboxItem) error) error

	// Small keyed values by namespace.
	Get(ns, key string) []byte
	Put(ns, key string, v []byte) error
	Delete(ns, key string) error
	Each(ns string, fn func(key string, v []byte) error) error
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
