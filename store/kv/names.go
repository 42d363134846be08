package kv

// Bucket names of the current schema; doc.go describes each.
var (
	BMeta         = []byte("meta")
	BRecords      = []byte("records")
	BRef          = []byte("idx_ref")
	BKindStatus   = []byte("idx_kind_status")
	BTime         = []byte("idx_time")
	BReporter     = []byte("idx_reporter")
	BSessions     = []byte("sessions")
	BSessionUsed  = []byte("session_used")
	BSeen         = []byte("seen")
	BOutbox       = []byte("outbox")
	BCandidates   = []byte("candidates")
	BAlerts       = []byte("alerts")
	BAlertState   = []byte("idx_alert_state")
	BAlertRef     = []byte("idx_alert_ref")
	BAlerted      = []byte("alerted")
	BRejected     = []byte("rejected")
	BPolice       = []byte("police")
	BStopped      = []byte("stopped")
	BAttempts     = []byte("attempts")
	BSent         = []byte("sent")
	BDelivery     = []byte("delivery")
	BWeekly       = []byte("weekly")
	BAudit        = []byte("audit")
	BInvites      = []byte("invites")
	BRequests     = []byte("requests")
	BDeskAccounts = []byte("desk_accounts")   // login -> JSON DeskAccount
	BDeskSessions = []byte("desk_sessions")   // hash of the cookie -> JSON DeskSession
	BNonces       = []byte("desk_nonces")     // nonce -> time used (8 bytes)
	BSummary      = []byte("idx_summary")     // created key + id -> summary fields
	BSummaryLog   = []byte("idx_summary_log") // summary version -> the summary key it changed

	// KeyVersion is the key in meta of the schema version, KeyCount of
	// the number of records (so counting is O(1)).
	KeyVersion = []byte("version")
	KeyCount   = []byte("records")
)

// Buckets lists every bucket of the current schema: a copy of these, with
// their sequences, is a copy of the store.
var Buckets = [][]byte{BMeta, BRecords, BRef, BKindStatus, BTime, BReporter, BSessions, BSessionUsed, BSeen,
	BOutbox, BCandidates, BAlerts, BAlertState, BAlertRef, BAlerted, BRejected, BPolice, BStopped, BAttempts,
	BSent, BDelivery, BWeekly, BAudit, BInvites, BRequests, BDeskAccounts, BDeskSessions, BNonces, BSummary, BSummaryLog}
