// Package bolt is the store contract (talaash.Store) over one bbolt file, the
// embedded default. Its typed methods are package kv's over bbolt's buckets;
// kv's doc holds the bucket tree. Here are what only a file has: locking,
// migrations, backup, compaction and group commit.
//
// Until version 3 a bucket "kv" held small values by namespace (alert,
// weekly, police, stopped, ratelimit, sent, rejected, alerted, delivery);
// migrateKV moves them into their own buckets (kv's tree) and drops it. Version 4 added
// session_used beside sessions, leaving the sessions' bytes as they were;
// migrateSessionUsed stamps the sessions it finds with the time of the
// migration, so retention counts their idle time from the upgrade. Version 6
// added the desk's buckets and the summary of every record stored
// (createDeskBuckets).
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
