package main

// The admin socket: bbolt lets one process hold the database, so commands
// that need the running service's database (backup, retention, police) ask it over
// a unix socket beside the file, DB + ".sock". Only the owner can reach it:
// the socket is 0600, and on Linux the peer's uid must be ours or root's.
// The protocol is HTTP; nothing on it is reachable from TALAASH_LISTEN.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"talaash/store/postgres"

	"talaash"
)

// Trailers of GET /backup: a copy whose length or digest differs was cut
// short and is refused by the client.
const (
	trailerBytes  = "Talaash-Backup-Bytes"
	trailerSHA256 = "Talaash-Backup-Sha256"
)

// maxSocketPath is what sockaddr_un holds on Linux, less the final NUL.
const maxSocketPath = 107

// socketPath is where the service of database db listens for its commands.
func socketPath(db string) string { return db + ".sock" }

// adminSocket serves the admin socket until ctx ends. A socket file left by
// a killed service is stale (this process holds the database, so no other
// service of it runs) and is replaced.
func (m *Main) adminSocket(ctx context.Context) error {
	if postgres.IsDSN(m.DB.Path()) {
		return nil // PostgreSQL takes many clients: the commands reach it themselves
	}
	path := socketPath(m.DB.Path())
	if len(path) > maxSocketPath {
		m.Logger.Warn("admin socket off: database path too long for a unix socket; backup needs the service stopped", "path", path)
		return nil
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSocket != 0 {
		os.Remove(path)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		m.Logger.Warn("admin socket off", "path", path, "err", err)
		return nil
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return talaash.Errorf(talaash.EINTERNAL, "admin socket %s: %v", path, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", m.adminBackup)
	mux.HandleFunc("POST /retention", m.adminRetention)
	mux.HandleFunc("POST /police", m.adminPolice) // police.go
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	m.Logger.Info("admin socket", "path", path)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ownerOnly{ln.(*net.UnixListener), m.Logger.Warn}) }()
	select {
	case <-ctx.Done():
		// A backup under way finishes; the deadline bounds a stuck reader.
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// ownerOnly accepts connections from our own user (or root) only.
type ownerOnly struct {
	*net.UnixListener
	warn func(msg string, args ...any)
}

func (l ownerOnly) Accept() (net.Conn, error) {
	for {
		c, err := l.AcceptUnix()
		if err != nil {
			return nil, err
		}
		if uid, ok := peerUID(c); ok && uid != 0 && uid != os.Getuid() {
			l.warn("admin socket: connection from another user refused", "uid", uid)
			c.Close()
			continue
		}
		return c, nil
	}
}

// adminBackup streams a consistent copy of the database, with its length and
// SHA-256 as trailers.
func (m *Main) adminBackup(w http.ResponseWriter, r *http.Request) {
	b, ok := m.DB.(talaash.Backuper)
	if !ok {
		http.Error(w, "this store cannot be backed up by talaash", http.StatusNotImplemented)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Trailer", trailerBytes+", "+trailerSHA256)
	start := time.Now()
	h := sha256.New()
	n, err := b.Backup(io.MultiWriter(w, h))
	if err != nil {
		// The client sees no trailers and refuses the copy.
		m.Logger.Error("backup failed", "code", talaash.ErrorCode(err), "err", talaash.ErrorMessage(err))
		return
	}
	w.Header().Set(trailerBytes, strconv.FormatInt(n, 10))
	w.Header().Set(trailerSHA256, hex.EncodeToString(h.Sum(nil)))
	m.Logger.Info("backup sent", "bytes", n, "took", time.Since(start).Round(time.Millisecond))
}

// adminRetention runs retention now, in the service, and answers its counts.
func (m *Main) adminRetention(w http.ResponseWriter, r *http.Request) {
	c, err := m.retain(m.now())
	if err != nil {
		http.Error(w, talaash.ErrorMessage(err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(c)
}

// errNoService: nothing answers on the socket.
var errNoService = errors.New("no talaash service answers")

// adminClient returns a client of the socket of database db and reports,
// through dialed, whether a connection was made.
func adminClient(db string, dialed *bool) *http.Client {
	sock := socketPath(db)
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			c, err := (&net.Dialer{Timeout: 2 * time.Second}).DialContext(ctx, "unix", sock)
			if err == nil {
				*dialed = true
			}
			return c, err
		},
		DisableKeepAlives: true,
	}}
}

// askService makes one request of the service of database db; errNoService
// when none answers.
func askService(ctx context.Context, db, method, path string) (*http.Response, error) {
	return askServiceWith(ctx, db, method, path, nil)
}

// askServiceWith is askService with a request body.
func askServiceWith(ctx context.Context, db, method, path string, body io.Reader) (*http.Response, error) {
	dialed := false
	req, err := http.NewRequestWithContext(ctx, method, "http://talaash"+path, body)
	if err != nil {
		return nil, err
	}
	resp, err := adminClient(db, &dialed).Do(req)
	if err != nil {
		if !dialed {
			return nil, errNoService
		}
		return nil, talaash.Errorf(talaash.EFAILED, "the service of %s: %v", db, err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, talaash.Errorf(talaash.EFAILED, "the service of %s answers %s: %s", db, resp.Status, b)
	}
	return resp, nil
}

// backupFromService copies the running service's database to w and checks
// the copy against the trailers.
func backupFromService(ctx context.Context, db string, w io.Writer) (int64, error) {
	resp, err := askService(ctx, db, http.MethodGet, "/backup")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), resp.Body)
	if err != nil {
		return n, talaash.Errorf(talaash.EFAILED, "backup from the service cut short after %d bytes: %v", n, err)
	}
	if err := checkTrailers(resp.Trailer, n, h); err != nil {
		return n, err
	}
	return n, nil
}

func checkTrailers(tr http.Header, n int64, h hash.Hash) error {
	want, sum := tr.Get(trailerBytes), tr.Get(trailerSHA256)
	if want == "" || sum == "" {
		return talaash.Errorf(talaash.EFAILED, "the service failed during the backup (see its log); the copy is refused")
	}
	if want != strconv.FormatInt(n, 10) || sum != hex.EncodeToString(h.Sum(nil)) {
		return talaash.Errorf(talaash.EFAILED, "backup copy differs from what the service sent (%d bytes, want %s); refused", n, want)
	}
	return nil
}

// serviceRunning reports whether a service of database db answers on its
// socket.
func serviceRunning(db string) bool {
	c, err := net.DialTimeout("unix", socketPath(db), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// sizeText is a size for people: bytes and MB.
func sizeText(n int64) string { return fmt.Sprintf("%d bytes (%.1f MB)", n, float64(n)/1e6) }
