package bolt

import (
	"encoding/json"

	bbolt "go.etcd.io/bbolt"

	"talaash"
	"talaash/store/kv"
)

// migrateCandidatesV2 rewrites the JSON candidate lists of schema 1 in the
// binary form.
func migrateCandidatesV2(tx *bbolt.Tx) error {
	b := tx.Bucket(kv.BCandidates)
	if b == nil {
		return nil
	}
	type v1 struct {
		Ref string              `json:"ref"`
		C   []talaash.Candidate `json:"c"`
	}
	var keys, vals [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if _, _, err := kv.DecodeCandidates(v); err == nil {
			return nil // binary already
		}
		var cs v1
		if err := json.Unmarshal(v, &cs); err != nil {
			return err
		}
		keys = append(keys, append([]byte(nil), k...))
		vals = append(vals, kv.EncodeCandidates(cs.Ref, cs.C))
		return nil
	})
	if err != nil {
		return err
	}
	for i := range keys {
		if err := b.Put(keys[i], vals[i]); err != nil {
			return err
		}
	}
	return nil
}
