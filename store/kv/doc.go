// Package kv is the store contract's typed methods (talaash.Tx) over ordered
// byte-key buckets, so that every store keeps the same layout and one piece
// of code: bbolt's buckets (store/bolt) and a PostgreSQL table of
// (bucket, key, value) rows (store/postgres) both give it a Txn. A copy of
// every bucket, with its sequence, is a copy of the store, whichever way.
//
// Every key that is a number is 8 bytes big-endian, so bbolt's byte order is
// numeric order. Times in index keys are Unix seconds with the sign bit flipped
// (so that times before 1970 still sort first), also 8 bytes big-endian.
//
// Bucket tree. "ref" is a canonical ref; 0x00 separates the parts of a key (no ref, channel or address holds one):
//
//	meta
//	  "version"          -> uint64 schema version (bbolt; see its migrations)
//	  "records"          -> uint64 number of records
//	records              -> id(8) : JSON talaash.Record (ID is the key, not in the JSON)
//	idx_ref              -> canonical ref ("K48217", "M000028") : id(8)
//	idx_kind_status      -> kind 0x00 status 0x00 time(8) id(8) : empty
//	idx_time             -> time(8) id(8) : empty
//	idx_reporter         -> channel 0x00 address 0x00 id(8) : empty
//	sessions             -> "channel:sender" : opaque bytes of package dialog
//	session_used         -> "channel:sender" : at(8, Unix nanoseconds) the session was last put (version 4)
//	seen                 -> channel 0x00 message id : at(8, Unix nanoseconds) + first reply bytes
//	outbox               -> id(8) : JSON talaash.OutboxItem
//	candidates           -> canonical ref : binary list of talaash.Candidate (candidates.go; JSON before version 2)
//	alerts               -> missing ref 0x00 sighting ref : JSON talaash.Alert
//	idx_alert_state      -> state 0x00 created(8) missing ref 0x00 sighting ref : empty
//	idx_alert_ref        -> ref 0x00 created(8) missing ref 0x00 sighting ref : empty (one entry per side)
//	alerted              -> missing ref 0x00 sighting ref : empty (never alerted twice)
//	rejected             -> missing ref 0x00 sighting ref : JSON {by, at}
//	police               -> channel 0x00 address : JSON talaash.PoliceEntry
//	stopped              -> channel 0x00 address : at(8, Unix nanoseconds)
//	attempts             -> key : since(8, Unix nanoseconds) count(8), a counter in a window; keys:
//	                          "enrol:channel:address" wrong police codes of one sender,
//	                          "enrol:*" of all senders, "enrol:*told" officers told of them,
//	                          "rate:channel:address" one sender's inbound messages per minute,
//	                          "desk:login:LOGIN", "desk:addr:ADDRESS" failed desk logins,
//	                          "redeliver:channel:to|hash" SMS resent after a failed delivery report,
//	                          "outbox:ID" an outbox item's claims on a shared store
//	sent                 -> outbox Key 0x00 channel 0x00 to : JSON {sent_id, at, item}
//	delivery             -> provider message id : JSON talaash.DeliveryStatus
//	weekly               -> ref : at(8, Unix nanoseconds) of the last weekly status
//	audit                -> ref 0x00 seq(8) : JSON talaash.AuditEntry (seq: the bucket's sequence)
//	invites              -> hex SHA-256 of the code : JSON talaash.Invite (ID: the bucket's sequence; since version 4)
//	requests             -> id(8) : JSON talaash.Request (id: the bucket's sequence; since version 4)
//	desk_accounts        -> login : JSON talaash.DeskAccount
//	desk_sessions        -> hex hash of the cookie : JSON talaash.DeskSession
//	desk_nonces          -> nonce : Unix seconds(8) it was used
//	idx_summary          -> created(8, Unix nanoseconds, sign flipped) id(8) : summary fields (desk.go); the sequence is SummaryVersion
//	idx_summary_log      -> summary version(8) : the idx_summary key it changed
//
// Sessions keys other than a conversation's: "cases:unmatched:REF" marks a
// record saved while the matcher was loading and not matched yet (package
// cases), deleted once it is.
//
// The record sequence is the records bucket's own sequence (NextSequence); the
// outbox's likewise. The canonical form of a ref is upper case with spaces,
// dashes and dots removed, so people may type "k 4821 7" for "K-4821-7".
package kv
