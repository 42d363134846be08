package bot_test

import (
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"talaash"
	"talaash/bot"
)

// rerunStore runs every Batch function twice, the first time in a transaction
// it then rolls back, as a batch is redone when a turn it shared a commit
// with failed.
type rerunStore struct {
	talaash.Store
	runs int
}

var anyRef = regexp.MustCompile(`K-[0-9]+-[0-9]`)

var errRedo = errors.New("neighbour failed")

func (s *rerunStore) Batch(fn func(tx talaash.Tx) error) error {
	err := s.Store.Update(func(tx talaash.Tx) error {
		s.runs++
		if err := fn(tx); err != nil {
			return err
		}
		return errRedo
	})
	if err != errRedo {
		return err
	}
	return s.Store.Batch(fn)
}

// TestTurnRunTwice: a turn whose batch is redone answers, stores and calls
// its commit hooks exactly as one run once, and a retried message id is
// still answered from the store.
func TestTurnRunTwice(t *testing.T) {
	const from = "+919812345678"
	sighting := msg{text: "Seen girl about 6 yrs pink frock at Kanpur Central", id: "SM-1"}
	script := []msg{{text: "hi"}, {text: "2"}, sighting, {text: "1", id: "SM-2"}, sighting, {text: "1", id: "SM-2"}}
	play := func(rerun bool) (replies [][]string, records, commits int, rs *rerunStore) {
		var saves int
		e := newEnv(t, bot.Config{})
		e.opts = []bot.Option{bot.WithSave(func(tx talaash.Tx, r *talaash.Record) error {
			tx.OnCommit(func() { saves++ })
			return tx.PutRecord(r)
		})}
		if rerun {
			rs = &rerunStore{Store: e.db}
			e.b = bot.New(rs, e.cfg, e.opts...)
		} else {
			e.b = bot.New(e.db, e.cfg, e.opts...)
		}
		for _, m := range script {
			// Refs are drawn at random, so each run has its own.
			replies = append(replies, strings.Split(anyRef.ReplaceAllString(strings.Join(texts(e.send(talaash.ChannelSMS, from, m)), "\n"), "REF"), "\n"))
		}
		return replies, len(e.records(talaash.ChannelSMS, from)), saves, rs
	}
	want, wantRecords, wantCommits, _ := play(false)
	got, gotRecords, gotCommits, rs := play(true)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies when run twice:\n%q\nwant\n%q", got, want)
	}
	if gotRecords != wantRecords || gotCommits != wantCommits || wantRecords == 0 {
		t.Errorf("run twice: %d records, %d commit hooks; once: %d, %d", gotRecords, gotCommits, wantRecords, wantCommits)
	}
	if rs.runs != len(script) {
		t.Errorf("the store redid %d turns, want %d", rs.runs, len(script))
	}
}
