// Package bolt is the store contract (talaash.Store) over one bbolt file, the
// embedded default.
//
// Every key that is a number is 8 bytes big-endian, so bbolt's byte order is
// numeric order. Times in index keys are Unix seconds with the sign bit flipped
// (so that times before 1970 still sort first), also 8 bytes big-endian.
//
// Bucket tree (schema version 6). "ref" is a canonical ref; 0x00 separates
// the parts of a key (no ref, channel or address holds one):
//
//	meta
//	  "version"          -> uint64 schema version (see migrations)
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
//	                          "redeliver:channel:to|hash" SMS resent after a failed delivery report
//	sent                 -> outbox Key 0x00 channel 0x00 to : JSON {sent_id, at, item}
//	delivery             -> provider message id : JSON talaash.DeliveryStatus
//	weekly               -> ref : at(8, Unix nanoseconds) of the last weekly status
//	audit                -> ref 0x00 seq(8) : JSON talaash.AuditEntry (seq: the bucket's sequence)
//	invites              -> hex SHA-256 of the code : JSON talaash.Invite (ID: the bucket's sequence; since version 4)
//	requests             -> id(8) : JSON talaash.Request (id: the bucket's sequence; since version 4)
//	desk_accounts        -> login : JSON talaash.DeskAccount (version 6)
//	desk_sessions        -> hash of the session cookie : JSON talaash.DeskSession (version 6)
//	desk_nonces          -> nonce : at(8, Unix seconds) it was used, once (version 6)
//	idx_summary          -> created(8, Unix nanoseconds, sign bit flipped) id(8) : a record's search fields joined by 0x1f (version 6)
//	idx_summary_log      -> version(8) : the idx_summary key it changed; the last SummaryLogKeep changes (version 6;
//	                        the bucket's sequence is the summary version)
//
// In meta, "records" holds the number of records, so counting is O(1).
// Sessions keys other than a conversation's: "cases:unmatched:REF" marks a
// record saved while the matcher was loading and not matched yet (package
// cases), deleted once it is.
//
// Until version 3 a bucket "kv" held small values by namespace (alert,
// weekly, police, stopped, ratelimit, sent, rejected, alerted, delivery);
// migrateKV moves them into the buckets above and drops it. Version 4 added
// session_used beside sessions, leaving the sessions' bytes as they were;
// migrateSessionUsed stamps the sessions it finds with the time of the
// migration, so retention counts their idle time from the upgrade. Version 6
// added the desk's buckets and the summary of every record stored
// (createDeskBuckets).
//
// The record sequence is the records bucket's own sequence (NextSequence); the
// outbox's likewise. The canonical form of a ref is upper case with spaces,
// dashes and dots removed, so people may type "k 4821 7" for "K-4821-7".
//
// Backup is bbolt's Tx.WriteTo in one read transaction: a consistent copy
// while writers carry on. Verify checks a copy before Restore puts it in
// place; Compact rewrites the file without free pages and needs it to
// itself (backup.go).
//
// Migrations: the migrations slice holds one function per schema version;
// Open runs, in one transaction, every migration past the stored version and
// then stores the new version. A file written by a newer Talaash (a version
// past the slice) is refused rather than misread. To change the schema, append
// a function; never edit one that has shipped.
package bolt
