package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"talaash/store/kv"
)

// errReadOnly is the error of a write in View.
var errReadOnly = errors.New("store: write in a read-only transaction")

// maxQueued bounds the writes held before they are sent.
const maxQueued = 1000

// txn is one PostgreSQL transaction as a kv.Txn.
type txn struct {
	ctx      context.Context
	tx       pgx.Tx
	writable bool
	err      error // the first failure: the transaction is lost
	queued   pgx.Batch
	onCommit []func()
	buckets  map[string]*bucket
}

func (t *txn) Bucket(name []byte) kv.Bucket {
	b := t.buckets[string(name)]
	if b == nil {
		b = &bucket{t: t, name: string(name)}
		t.buckets[b.name] = b
	}
	return b
}

func (t *txn) OnCommit(fn func()) { t.onCommit = append(t.onCommit, fn) }
func (t *txn) Writable() bool     { return t.writable }

func (t *txn) fail(err error) error {
	if t.err == nil {
		t.err = err
	}
	return err
}

// queue holds a write until the next read or the commit.
func (t *txn) queue(sql string, args ...any) error {
	if t.err != nil {
		return t.err
	}
	if !t.writable {
		return t.fail(errReadOnly)
	}
	t.queued.Queue(sql, args...)
	if t.queued.Len() >= maxQueued {
		t.flush()
	}
	return t.err
}

// flush sends the queued writes in one round trip.
func (t *txn) flush() {
	if t.queued.Len() == 0 || t.err != nil {
		return
	}
	n := t.queued.Len()
	br := t.tx.SendBatch(t.ctx, &t.queued)
	for range n {
		if _, err := br.Exec(); err != nil {
			t.fail(err)
			break
		}
	}
	if err := br.Close(); err != nil {
		t.fail(err)
	}
	t.queued = pgx.Batch{}
}

// ready sends the queued writes before a read, so it sees them.
func (t *txn) ready() bool {
	t.flush()
	return t.err == nil
}

// bucket is one bucket of the kv table.
type bucket struct {
	t    *txn
	name string
}

func (b *bucket) Get(k []byte) []byte {
	if !b.t.ready() {
		return nil
	}
	var v []byte
	err := b.t.tx.QueryRow(b.t.ctx, "SELECT value FROM kv WHERE bucket = $1 AND key = $2", b.name, k).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		b.t.fail(err)
		return nil
	}
	if v == nil {
		v = []byte{} // stored, and empty: not the nil of a missing key
	}
	return v
}

func (b *bucket) Put(k, v []byte) error {
	if v == nil {
		v = []byte{}
	}
	return b.t.queue(`INSERT INTO kv (bucket, key, value) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`,
		b.name, append([]byte{}, k...), append([]byte{}, v...))
}

func (b *bucket) Delete(k []byte) error {
	return b.t.queue("DELETE FROM kv WHERE bucket = $1 AND key = $2", b.name, append([]byte{}, k...))
}

func (b *bucket) Sequence() uint64 {
	if !b.t.ready() {
		return 0
	}
	var n int64
	err := b.t.tx.QueryRow(b.t.ctx, "SELECT n FROM seq WHERE bucket = $1", b.name).Scan(&n)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		b.t.fail(err)
	}
	return uint64(n)
}

func (b *bucket) NextSequence() (uint64, error) {
	if !b.t.writable {
		return 0, b.t.fail(errReadOnly)
	}
	if !b.t.ready() {
		return 0, b.t.err
	}
	var n int64
	err := b.t.tx.QueryRow(b.t.ctx, `INSERT INTO seq (bucket, n) VALUES ($1, 1)
		ON CONFLICT (bucket) DO UPDATE SET n = seq.n + 1 RETURNING n`, b.name).Scan(&n)
	if err != nil {
		return 0, b.t.fail(err)
	}
	return uint64(n), nil
}

func (b *bucket) SetSequence(n uint64) error {
	return b.t.queue(`INSERT INTO seq (bucket, n) VALUES ($1, $2)
		ON CONFLICT (bucket) DO UPDATE SET n = EXCLUDED.n`, b.name, int64(n))
}

func (b *bucket) Cursor() kv.Cursor { return &cursor{b: b} }

// cursor walks a bucket a page of rows at a time, the page growing as the
// walk goes on: a lookup reads a few rows, a walk of every record few pages.
type cursor struct {
	b    *bucket
	rows []row // the page
	i    int   // the row the cursor is on
	desc bool  // the page runs backwards
	size int   // rows to fetch next
}

type row struct{ k, v []byte }

const (
	firstPage = 16
	maxPage   = 2048
)

// fetch reads a page from the row after (or before) key, or from the first
// (last) row with key nil, and lands on its first row.
func (c *cursor) fetch(key []byte, inclusive, desc bool) (k, v []byte) {
	c.rows, c.i, c.desc = c.rows[:0], 0, desc
	if !c.b.t.ready() {
		return nil, nil
	}
	if c.size == 0 {
		c.size = firstPage
	} else if c.size < maxPage {
		c.size *= 2
	}
	op, order := ">", "ASC"
	if desc {
		op, order = "<", "DESC"
	}
	if inclusive {
		op += "="
	}
	sql := "SELECT key, value FROM kv WHERE bucket = $1"
	args := []any{c.b.name}
	if key != nil {
		sql += " AND key " + op + " $2"
		args = append(args, key)
	}
	sql += " ORDER BY key " + order + " LIMIT " + strconv.Itoa(c.size)
	rows, err := c.b.t.tx.Query(c.b.t.ctx, sql, args...)
	if err != nil {
		c.b.t.fail(err)
		return nil, nil
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.k, &r.v); err != nil {
			c.b.t.fail(err)
			rows.Close()
			return nil, nil
		}
		if r.v == nil {
			r.v = []byte{}
		}
		c.rows = append(c.rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		c.b.t.fail(err)
		return nil, nil
	}
	return c.at()
}

func (c *cursor) at() (k, v []byte) {
	if c.i < 0 || c.i >= len(c.rows) {
		return nil, nil
	}
	return c.rows[c.i].k, c.rows[c.i].v
}

func (c *cursor) First() (k, v []byte) { c.size = 0; return c.fetch(nil, false, false) }
func (c *cursor) Last() (k, v []byte)  { c.size = 0; return c.fetch(nil, false, true) }
func (c *cursor) Seek(key []byte) (k, v []byte) {
	c.size = 0
	return c.fetch(append([]byte{}, key...), true, false)
}

func (c *cursor) Next() (k, v []byte) { return c.step(false) }
func (c *cursor) Prev() (k, v []byte) { return c.step(true) }

// step moves one row in direction desc, within the page when it can.
func (c *cursor) step(desc bool) (k, v []byte) {
	if len(c.rows) == 0 {
		return nil, nil // past an end, or never placed
	}
	cur := c.rows[min(max(c.i, 0), len(c.rows)-1)].k
	if c.desc == desc {
		c.i++
	} else {
		c.i--
	}
	if c.i >= 0 && c.i < len(c.rows) {
		return c.at()
	}
	if c.i >= len(c.rows) && len(c.rows) < c.size {
		c.rows = c.rows[:0] // the page held the rest of the bucket
		return nil, nil
	}
	return c.fetch(cur, false, desc)
}
