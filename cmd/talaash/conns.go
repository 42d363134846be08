package main

// The HTTP server's defences against slow and abundant clients: timeouts,
// a bound on every request body, and a connection limit that makes room by
// closing the connections slowest to send a request, so that a slow-client
// flood can neither exhaust file descriptors nor keep real webhooks and
// /healthz out.

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"talaash"
	"talaash/metrics"
)

// Server timeouts. A Telegram webhook holds its request until the turn has
// committed (up to 45 s behind its chat's earlier updates), so WriteTimeout
// stays well above a turn; headers have no reason to take long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 20 * time.Second // headers and body: a 1 MiB body needs far less
	writeTimeout      = 60 * time.Second
	idleTimeout       = 60 * time.Second
	// maxHeaderBytes leaves room for Kannel's get-url, whose query carries
	// the text (1,600 Devanagari characters are about 43 KB encoded).
	maxHeaderBytes = 128 << 10
	// maxBody bounds any request body before a handler reads it; the
	// adapters bound theirs tighter (Twilio 64 KiB, Kannel 256 KiB).
	maxBody = 1 << 20
)

// newServer returns the HTTP server for handler with the timeouts above,
// its connections tracked by lim, its own errors logged to log.
func newServer(handler http.Handler, lim *connLimit, log *slog.Logger) *http.Server {
	return &http.Server{
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Handler:           lim.watch(bounded(handler)),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         lim.connState,
		ConnContext:       lim.connContext,
	}
}

// bounded limits every request body to maxBody.
func bounded(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		h.ServeHTTP(w, r)
	})
}

// parseMaxConns reads TALAASH_MAX_CONNS ("" for the default).
func parseMaxConns(v string) (int, error) {
	if v == "" {
		return defaultMaxConns(), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, talaash.Errorf(talaash.EINVALID, "TALAASH_MAX_CONNS %q is not a number of connections", v)
	}
	return n, nil
}

// maxConns is the connection limit of the running server (0 before serve).
func (m *Main) maxConns() int {
	if m.conns == nil {
		return 0
	}
	return m.conns.max
}

// defaultMaxConns sizes the connection limit from the file descriptors the
// process may open, leaving room for the database, the admin socket and the
// providers' connections; at most 1024.
func defaultMaxConns() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur == 0 {
		return 256
	}
	n := int(min(rl.Cur, 1<<20)) - 128
	return max(32, min(n, 1024))
}

// connLimit is a listener that keeps at most max connections open. At the
// limit it makes room for a new connection by closing, in this order, the
// oldest idle keep-alive connection, else the one that has waited longest
// for a request to arrive in full (its headers, or its body once the handler
// reads it) although the server was reading it. A connection the server has
// not read yet, one whose headers are in, and one whose request is being
// handled are never closed for room: a webhook sends its request at once, so
// it is in before it could be the oldest. When nothing may be closed, the new
// connection is.
type connLimit struct {
	net.Listener
	max int

	mu    sync.Mutex
	conns map[*trackedConn]struct{}
	shed  atomic.Int64 // connections closed to make room, or refused
}

func limitConns(ln net.Listener, max int) *connLimit {
	return &connLimit{Listener: ln, max: max, conns: map[*trackedConn]struct{}{}}
}

// Connection states.
const (
	connHeaders = iota // waiting for a request's headers
	connBody           // the handler waits for the request's body
	connIdle           // between requests on a keep-alive connection
	connBusy           // the request is in and being handled
)

// trackedConn is a connection with what the limit needs to know of it. Its
// state changes on the connection's own goroutine (reads, ConnState, the
// handler); the limit only reads it.
type trackedConn struct {
	net.Conn
	l       *connLimit
	state   atomic.Int32
	since   atomic.Int64 // unix nanoseconds: when the current wait began
	reading atomic.Bool  // the server has read from the wire since then
	headers atomic.Bool  // the end of the request's headers has been read
	tail    [3]byte      // the last bytes read, to find "\r\n\r\n" across reads
	closed  sync.Once
}

// wait starts a wait in state (connHeaders, connBody or connIdle).
func (c *trackedConn) wait(state int32) {
	c.since.Store(time.Now().UnixNano())
	c.reading.Store(false)
	c.headers.Store(false)
	c.tail = [3]byte{}
	c.state.Store(state)
}

func (c *trackedConn) Read(p []byte) (int, error) {
	c.reading.Store(true)
	n, err := c.Conn.Read(p)
	if n > 0 {
		switch c.state.Load() {
		case connIdle:
			c.wait(connHeaders) // the next request begins
			c.reading.Store(true)
			fallthrough
		case connHeaders:
			if !c.headers.Load() && headerEnd(&c.tail, p[:n]) {
				c.headers.Store(true)
			}
		}
	}
	return n, err
}

// headerEnd reports whether "\r\n\r\n" ends in p, counting the three bytes
// before it kept in tail, and keeps p's last three bytes there.
func headerEnd(tail *[3]byte, p []byte) bool {
	buf := append(tail[:], p...)
	copy(tail[:], buf[len(buf)-3:])
	for i := 0; i+3 < len(buf); i++ {
		if buf[i] == '\r' && buf[i+1] == '\n' && buf[i+2] == '\r' && buf[i+3] == '\n' {
			return true
		}
	}
	return false
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.closed.Do(func() {
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
		metrics.ConnClosed()
	})
	return err
}

// Accept accepts the next connection, making room for it at the limit.
func (l *connLimit) Accept() (net.Conn, error) {
	for {
		nc, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		c := &trackedConn{Conn: nc, l: l}
		c.wait(connHeaders)
		metrics.ConnOpened()
		l.mu.Lock()
		var victim *trackedConn
		if len(l.conns) >= l.max {
			victim = l.victim()
		}
		full := len(l.conns) >= l.max && victim == nil
		if !full {
			l.conns[c] = struct{}{}
		}
		l.mu.Unlock()
		if victim != nil {
			l.shed.Add(1)
			metrics.ConnShed()
			victim.Close()
		}
		if full {
			l.shed.Add(1)
			metrics.ConnShed()
			c.closed.Do(metrics.ConnClosed)
			nc.Close()
			continue
		}
		return c, nil
	}
}

// victim picks the connection to close for room, or nil, and forgets it;
// l.mu is held.
func (l *connLimit) victim() *trackedConn {
	var idle, slow *trackedConn
	for c := range l.conns {
		switch c.state.Load() {
		case connIdle:
			if idle == nil || c.since.Load() < idle.since.Load() {
				idle = c
			}
		case connHeaders, connBody:
			if c.reading.Load() && !c.headers.Load() && (slow == nil || c.since.Load() < slow.since.Load()) {
				slow = c
			}
		}
	}
	v := idle
	if v == nil {
		v = slow
	}
	if v != nil {
		delete(l.conns, v)
	}
	return v
}

// open is how many connections are open.
func (l *connLimit) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

type connKey struct{}

// connContext puts the tracked connection into its requests' contexts, for watch.
func (l *connLimit) connContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(*trackedConn); ok {
		return context.WithValue(ctx, connKey{}, tc)
	}
	return ctx
}

// connState starts an idle wait when a request is done; reads see the next
// request begin (trackedConn.Read).
func (l *connLimit) connState(c net.Conn, s http.ConnState) {
	if tc, ok := c.(*trackedConn); ok && s == http.StateIdle {
		tc.wait(connIdle)
	}
}

// watch marks a connection busy once its request is in: at once without a
// body, else when the handler has read the body to its end (or closed it).
func (l *connLimit) watch(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tc, _ := r.Context().Value(connKey{}).(*trackedConn); tc != nil {
			if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
				tc.state.Store(connBusy)
			} else {
				// The body may trickle in: a new wait, from now.
				tc.wait(connBody)
				r.Body = &bodyWatch{ReadCloser: r.Body, c: tc}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// bodyWatch marks its connection busy when the body has been read or closed.
type bodyWatch struct {
	io.ReadCloser
	c *trackedConn
}

func (b *bodyWatch) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.c.state.Store(connBusy)
	}
	return n, err
}

func (b *bodyWatch) Close() error {
	b.c.state.Store(connBusy)
	return b.ReadCloser.Close()
}
