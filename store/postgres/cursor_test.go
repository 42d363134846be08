package postgres

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"talaash/store/bolt"
	"talaash/store/kv"
)

// The kv table's cursor pages through rows; it must land where bbolt's
// cursor lands for any walk: both stores get the same keys (some empty
// values, keys that are prefixes of others), then the same random moves.
func TestCursorWalksLikeBbolt(t *testing.T) {
	pg := openTemp(t)
	file, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"))
	must(t, err)
	defer file.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	var keys [][]byte
	for i := 0; i < 300; i++ {
		k := []byte(fmt.Sprintf("k%03d", rng.IntN(1000)))
		if i%7 == 0 {
			k = append(k, 0, byte(rng.IntN(256)))
		}
		keys = append(keys, k)
	}
	put := func(t kv.Txn) error {
		b := t.Bucket(kv.BSeen)
		for i, k := range keys {
			v := []byte(fmt.Sprint(i))
			if i%5 == 0 {
				v = []byte{}
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return b.Delete(keys[3])
	}
	must(t, pg.UpdateKV(put))
	must(t, file.UpdateKV(put))
	type step struct {
		op   string
		seek []byte
	}
	var steps []step
	ops := []string{"first", "last", "seek", "next", "next", "next", "prev", "prev"}
	for i := 0; i < 3000; i++ {
		s := step{op: ops[rng.IntN(len(ops))]}
		if s.op == "seek" {
			s.seek = []byte(fmt.Sprintf("k%03d", rng.IntN(1100)))
		}
		steps = append(steps, s)
	}
	walk := func(t kv.Txn) []string {
		c := t.Bucket(kv.BSeen).Cursor()
		var out []string
		for _, s := range steps {
			var k, v []byte
			switch s.op {
			case "first":
				k, v = c.First()
			case "last":
				k, v = c.Last()
			case "seek":
				k, v = c.Seek(s.seek)
			case "next":
				k, v = c.Next()
			case "prev":
				k, v = c.Prev()
			}
			if k == nil {
				// Past an end bbolt's cursor has no agreed place to go on from.
				out = append(out, s.op+" end")
				c.First()
				continue
			}
			out = append(out, fmt.Sprintf("%s %x=%x empty=%v", s.op, k, v, v != nil && len(v) == 0))
		}
		return out
	}
	var want, got []string
	must(t, file.ViewKV(func(t kv.Txn) error { want = walk(t); return nil }))
	must(t, pg.ViewKV(func(t kv.Txn) error { got = walk(t); return nil }))
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("step %d: bbolt %s, PostgreSQL %s", i, want[i], got[i])
		}
	}
	// Get tells an empty value from a missing key, as bbolt does.
	must(t, file.ViewKV(func(bt kv.Txn) error {
		return pg.ViewKV(func(pt kv.Txn) error {
			for _, k := range append(keys, []byte("nope")) {
				w, g := bt.Bucket(kv.BSeen).Get(k), pt.Bucket(kv.BSeen).Get(k)
				if (w == nil) != (g == nil) || !bytes.Equal(w, g) {
					t.Errorf("Get(%q): bbolt %q (nil %v), PostgreSQL %q (nil %v)", k, w, w == nil, g, g == nil)
				}
			}
			return nil
		})
	}))
}
