package bolt

import (
	bbolt "go.etcd.io/bbolt"

	"talaash/store/kv"
)

// createEnrolBuckets is the 3 -> 4 migration.
func createEnrolBuckets(btx *bbolt.Tx) error {
	for _, name := range [][]byte{kv.BInvites, kv.BRequests} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}
