package bolt

import (
	bbolt "go.etcd.io/bbolt"

	"talaash/store/kv"
)

// createDeskBuckets is the 5 -> 6 migration: the desk's buckets, and the
// summary of every record stored so far.
func createDeskBuckets(btx *bbolt.Tx) error {
	for _, name := range [][]byte{kv.BDeskAccounts, kv.BDeskSessions, kv.BNonces, kv.BSummary, kv.BSummaryLog} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return kv.New(txn{btx}).SummarizeAll()
}
