package bolt

import (
	"time"

	bbolt "go.etcd.io/bbolt"

	"talaash/store/kv"
)

// migrateSessionUsed adds session_used and stamps every session with now, so
// that sessions from before version 4 age from the upgrade rather than
// vanish at the first retention run.
func migrateSessionUsed(btx *bbolt.Tx) error {
	used, err := btx.CreateBucketIfNotExists(kv.BSessionUsed)
	if err != nil {
		return err
	}
	sessions := btx.Bucket(kv.BSessions)
	if sessions == nil {
		return nil
	}
	now := kv.U64(uint64(time.Now().UnixNano()))
	return sessions.ForEach(func(k, _ []byte) error { return used.Put(k, now) })
}
