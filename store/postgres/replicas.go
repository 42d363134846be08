package postgres

import (
	"context"
	"errors"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"talaash"
)

// Channel is the NOTIFY channel that tells replicas records changed.
const Channel = "talaash_records"

// coords holds each open DB's Coordinator (made on first use).
var coords sync.Map // *DB -> *Coordinator

func (db *DB) coord() *Coordinator {
	c, _ := coords.LoadOrStore(db, &Coordinator{DSN: db.dsn})
	return c.(*Coordinator)
}

// Lead implements talaash.Elector: several replicas share the database.
func (db *DB) Lead(ctx context.Context, job string) (context.Context, func(), error) {
	return db.coord().Lead(ctx, job)
}

// Changed implements talaash.Watcher.
func (db *DB) Changed(ctx context.Context) <-chan struct{} { return db.coord().Changed(ctx) }

// notifySQL makes every write of a record NOTIFY Channel at its commit (one
// notification a transaction). It is installed, idempotently, by the first
// listener rather than by a migration, under a lock so that replicas
// starting together do not collide.
const notifySQL = `
SELECT pg_advisory_xact_lock(7305419);
CREATE OR REPLACE FUNCTION talaash_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('` + Channel + `', '');
	RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER talaash_records_changed AFTER INSERT OR UPDATE ON kv
	FOR EACH ROW WHEN (NEW.bucket = 'records') EXECUTE FUNCTION talaash_records_changed();
`

// Coordinator is what replicas of one database need of each other beyond the
// store: leaders elected by session-level advisory locks, held on a
// connection of its own, and the NOTIFY that records changed.
//
// A lock lives as long as its connection: a killed process's connection
// closes and the server frees its locks at once; a machine that vanished is
// noticed by the server's TCP keepalives (set on the connection: 5 s idle,
// then 2 s thrice, 11 s in all). A process that cannot reach the server
// finds out within Check (plus a timeout of Check), before the server frees
// its locks, and ends its led work. A process not leading tries again every
// Retry, so another takes over within 11 s + Retry of the leader's death.
type Coordinator struct {
	DSN   string
	Retry time.Duration // how often a process not leading tries to (2 s)
	Check time.Duration // how often the lock connection is checked (2 s)

	mu    sync.Mutex
	conn  *pgx.Conn                    // holds the locks; nil until needed, and after it broke
	held  map[int64]context.CancelFunc // lock key -> ends its led context
	users int                          // Lead calls waiting or leading: the connection stays while any is
}

func dflt(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// lockKey is job's advisory lock key: the first 8 bytes of a hash of its
// name, apart from any other application's by the prefix.
func lockKey(job string) int64 {
	h := fnv.New64a()
	h.Write([]byte("talaash:" + job))
	return int64(h.Sum64())
}

// connect opens a connection with keepalives short enough for failover.
func connect(ctx context.Context, dsn, name string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, talaash.Errorf(talaash.EINVALID, "postgres address: %v", err)
	}
	for k, v := range map[string]string{
		"application_name":        "talaash " + name,
		"tcp_keepalives_idle":     "5",
		"tcp_keepalives_interval": "2",
		"tcp_keepalives_count":    "3",
	} {
		if _, set := cfg.RuntimeParams[k]; !set {
			cfg.RuntimeParams[k] = v
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, talaash.Errorf(talaash.EFAILED, "postgres: %v", err)
	}
	return c, nil
}

// Lead implements talaash.Elector.
func (c *Coordinator) Lead(ctx context.Context, job string) (context.Context, func(), error) {
	key := lockKey(job)
	c.use(1)
	for {
		led, release, err := c.try(ctx, key)
		if led != nil {
			return led, func() { release(); c.use(-1) }, nil
		}
		if err != nil {
			c.use(-1)
			return nil, nil, err
		}
		t := time.NewTimer(dflt(c.Retry, 2*time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			c.use(-1)
			return nil, nil, ctx.Err()
		case <-t.C:
		}
	}
}

// use counts a Lead call in or out; the lock connection closes with the last.
func (c *Coordinator) use(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.users += d
	if c.users == 0 {
		c.dropLocked()
	}
}

// try takes job's lock if it is free; a nil context, and no error, if not.
func (c *Coordinator) try(ctx context.Context, key int64) (context.Context, func(), error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if _, ok := c.held[key]; ok {
		return nil, nil, talaash.Errorf(talaash.ECONFLICT, "this process leads the job already")
	}
	if c.conn == nil {
		conn, err := connect(ctx, c.DSN, "leader")
		if err != nil {
			return nil, nil, nil // no server now: try again later
		}
		c.conn, c.held = conn, map[int64]context.CancelFunc{}
		go c.watch(conn)
	}
	qctx, cancel := context.WithTimeout(ctx, dflt(c.Check, 2*time.Second))
	defer cancel()
	var got bool
	if err := c.conn.QueryRow(qctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		c.dropLocked()
		return nil, nil, nil
	}
	if !got {
		return nil, nil, nil
	}
	led, end := context.WithCancel(ctx)
	c.held[key] = end
	conn := c.conn
	release := func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		end()
		if _, ok := c.held[key]; !ok || c.conn != conn {
			return // lost with its connection already
		}
		delete(c.held, key)
		rctx, cancel := context.WithTimeout(context.Background(), dflt(c.Check, 2*time.Second))
		defer cancel()
		if _, err := conn.Exec(rctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			c.dropLocked()
		}
	}
	return led, release, nil
}

// watch checks conn every Check while it is the lock connection; when it
// fails every lead it held ends.
func (c *Coordinator) watch(conn *pgx.Conn) {
	t := time.NewTicker(dflt(c.Check, 2*time.Second))
	defer t.Stop()
	for range t.C {
		c.mu.Lock()
		if c.conn != conn {
			c.mu.Unlock()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), dflt(c.Check, 2*time.Second))
		err := conn.Ping(ctx)
		cancel()
		if err != nil {
			c.dropLocked()
		}
		c.mu.Unlock()
	}
}

// dropLocked gives up the lock connection and ends every lead it held.
func (c *Coordinator) dropLocked() {
	if c.conn == nil {
		return
	}
	for _, end := range c.held {
		end()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c.conn.Close(ctx)
	c.conn, c.held = nil, nil
}

// Close gives up every lead.
func (c *Coordinator) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked()
}

// installNotify puts notifySQL in place, in one transaction, unless it is:
// replacing a trigger waits for the writers of the table and holds up new
// ones meanwhile.
func installNotify(ctx context.Context, conn *pgx.Conn) error {
	var there bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'talaash_records_changed')").Scan(&there); err != nil || there {
		return err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, notifySQL); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Changed implements talaash.Watcher: it LISTENs on Channel, on a connection
// of its own, and passes each notification on (at most one waiting). After a
// broken connection it listens again and signals once, since changes may
// have passed unheard.
func (c *Coordinator) Changed(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	signal := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	go func() {
		defer close(ch)
		for ctx.Err() == nil {
			conn, err := connect(ctx, c.DSN, "listener")
			if err == nil {
				// Without the trigger (a database not migrated yet) the
				// followers still poll; it is tried again on reconnecting.
				_ = installNotify(ctx, conn)
				if _, err = conn.Exec(ctx, "LISTEN "+Channel); err == nil {
					signal()
					for {
						if _, err = conn.WaitForNotification(ctx); err != nil {
							break
						}
						signal()
					}
				}
				conn.Close(context.Background())
			}
			if errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return
			}
			select {
			case <-ctx.Done():
			case <-time.After(dflt(c.Retry, 2*time.Second)):
			}
		}
	}()
	return ch
}
