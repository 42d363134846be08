package bolt

import (
	"encoding/json"
	"strings"
	"time"

	"talaash/store/kv"

	bbolt "go.etcd.io/bbolt"

	"talaash"
)

// migrateKV moves the kv namespaces of schema 2 into the typed buckets of
// schema 3 and drops each namespace it moved. The kv bucket goes once empty;
// a namespace this code does not know is left there rather than lost. An
// entry the old code could not read either (bad JSON, no ref) is dropped
// rather than left to keep the file from opening.
func migrateKV(btx *bbolt.Tx) error {
	for _, name := range newBucketsV3 {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	kvb := btx.Bucket(bKV)
	if kvb == nil {
		return nil
	}
	tx := kv.New(txn{btx})
	now := time.Now().UTC()
	moves := map[string]func(key string, v []byte) error{
		"alert": func(_ string, v []byte) error {
			a := new(talaash.Alert)
			if json.Unmarshal(v, a) != nil {
				return nil
			}
			return tx.PutAlert(a)
		},
		"weekly": func(ref string, v []byte) error {
			t, err := time.Parse(time.RFC3339Nano, string(v))
			if err != nil {
				return nil // unreadable: the parent hears again a week after the report
			}
			return tx.PutLastWeekly(ref, t)
		},
		"police": func(key string, v []byte) error {
			ch, addr, ok := strings.Cut(key, ":")
			if !ok || addr == "" {
				return nil
			}
			var old struct {
				At      time.Time `json:"at"`
				Revoked bool      `json:"revoked"`
				Lang    string    `json:"lang"`
				Name    string    `json:"name"`
				Station string    `json:"station"`
			}
			revoked := strings.TrimSpace(string(v)) == "revoked"
			if json.Unmarshal(v, &old) == nil && old.Revoked {
				revoked = true
			}
			e := &talaash.PoliceEntry{Channel: ch, Address: addr, Name: old.Name, Station: old.Station, Lang: old.Lang, Enrolled: old.At}
			if revoked {
				// Schema 2 kept one time, of the last change: here the revocation.
				e.Enrolled, e.Revoked = time.Time{}, old.At
				if e.Revoked.IsZero() {
					e.Revoked = now
				}
			}
			return tx.PutPolice(e)
		},
		"stopped": func(key string, v []byte) error {
			ch, addr, ok := strings.Cut(key, ":")
			if !ok || addr == "" {
				return nil
			}
			at, err := time.Parse(time.RFC3339, string(v))
			if err != nil {
				at = now
			}
			return tx.PutStopped(ch, addr, at)
		},
		"ratelimit": func(key string, v []byte) error {
			var a talaash.Attempts
			if json.Unmarshal(v, &a) != nil {
				return nil // a lost counter only gives the sender a fresh window
			}
			return tx.PutAttempts(key, a)
		},
		"sent": func(key string, v []byte) error {
			// "Key|channel:to"; the Key itself may hold "|" ("alert:M|S").
			i := strings.LastIndex(key, "|")
			if i < 0 {
				return nil
			}
			ch, to, ok := strings.Cut(key[i+1:], ":")
			if !ok || key[:i] == "" {
				return nil
			}
			var s talaash.Sent // its JSON holds sent_id, at and item
			if err := json.Unmarshal(v, &s); err != nil {
				return nil // pruned soon anyway; at worst a message goes twice
			}
			return tx.PutSent(&talaash.Sent{Key: key[:i], Channel: ch, To: to, SentID: s.SentID, At: s.At, ItemID: s.ItemID})
		},
		"rejected": func(key string, v []byte) error {
			m, s, ok := strings.Cut(key, "|")
			if !ok {
				return nil
			}
			return tx.PutRejected(m, s, string(v), time.Time{})
		},
		"alerted": func(key string, _ []byte) error {
			m, s, ok := strings.Cut(key, "|")
			if !ok {
				return nil
			}
			return tx.PutAlerted(m, s)
		},
		"delivery": func(sid string, v []byte) error {
			var d struct{ Status, Code, At string }
			if err := json.Unmarshal(v, &d); err != nil {
				return nil
			}
			at, _ := time.Parse(time.RFC3339, d.At)
			return tx.PutDeliveryStatus(&talaash.DeliveryStatus{MessageID: sid, Status: d.Status, Code: d.Code, At: at})
		},
	}
	for ns, move := range moves {
		b := kvb.Bucket([]byte(ns))
		if b == nil {
			continue
		}
		err := b.ForEach(func(k, v []byte) error {
			if v == nil {
				return nil // a nested bucket: none were made
			}
			if err := move(string(k), v); talaash.ErrorCode(err) != talaash.EINVALID {
				return err
			}
			return nil
		})
		if err != nil {
			return talaash.Errorf(talaash.EINTERNAL, "moving kv %q: %v", ns, err)
		}
		if err := kvb.DeleteBucket([]byte(ns)); err != nil {
			return err
		}
	}
	if k, _ := kvb.Cursor().First(); k == nil {
		return btx.DeleteBucket(bKV)
	}
	return nil
}
