// Package bolt is the store contract (talaash.Store) over one bbolt file, the
// embedded default.
//
// Every key that is a number is 8 bytes big-endian, so bbolt's byte order is
// numeric order. Times in index keys are Unix seconds with the sign bit flipped
// (so that times before 1970 still sort first), also 8 bytes big-endian.
//
// Bucket tree (schema version 5). "ref" is a canonical ref; 0x00 separates
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
//	attempts             -> key ("enrol:channel:address") : since(8, Unix nanoseconds) count(8)
//	sent                 -> outbox Key 0x00 channel 0x00 to : JSON {sent_id, at, item}
//	delivery             -> provider message id : JSON talaash.DeliveryStatus
//	weekly               -> ref : at(8, Unix nanoseconds) of the last weekly status
//	audit                -> ref 0x00 seq(8) : JSON talaash.AuditEntry (seq: the bucket's sequence)
//	invites              -> hex SHA-256 of the code : JSON talaash.Invite (ID: the bucket's sequence; since version 4)
//	requests             -> id(8) : JSON talaash.Request (id: the bucket's sequence; since version 4)
//
// Until version 3 a bucket "kv" held small values by namespace (alert,
// weekly, police, stopped, ratelimit, sent, rejected, alerted, delivery);
// migrateKV moves them into the buckets above and drops it. Version 4 added
// session_used beside sessions, leaving the sessions' bytes as they were;
// migrateSessionUsed stamps the sessions it finds with the time of the
// migration, so retention counts their idle time from the upgrade.
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
