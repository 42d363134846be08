package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"talaash"
	"talaash/store/bolt"
	"talaash/store/postgres"
)

// runBackup writes a consistent copy of the whole database to FILE: through
// the running service when there is one (its admin socket), else from the
// file itself. The copy is verified before it takes FILE's name.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	fs := m.flags("backup")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"backup takes one FILE"}
	}
	dest := rest[0]
	if sameFile(dest, m.Config.DB) {
		return talaash.Errorf(talaash.EINVALID, "%s is the database itself", dest)
	}
	dir := filepath.Dir(dest)
	f, err := os.CreateTemp(dir, filepath.Base(dest)+".tmp-*")
	if err != nil {
		return talaash.Errorf(talaash.EINVALID, "cannot write the backup: %v", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	f.Chmod(0o600)       // personal data: the owner's only
	start := time.Now()
	n, via, err := m.backupTo(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	sum, err := bolt.Verify(tmp)
	if err != nil {
		return talaash.Errorf(talaash.EINTERNAL, "the copy does not verify, so %s is left as it was: %s", dest, talaash.ErrorMessage(err))
	}
	if err := os.Rename(tmp, dest); err != nil {
		return talaash.Errorf(talaash.EINTERNAL, "backup: %v", err)
	}
	syncDir(dir)
	fmt.Fprintf(m.Stdout, "backup %s: %s from %s in %v, verified: %s", dest, sizeText(n), via, took.Round(time.Millisecond), sum)
	return nil
}

// backupTo copies the database to w and says from where. A service that
// has the file but whose socket is not up yet (it is starting) gets a few
// seconds.
func (m *Main) backupTo(ctx context.Context, w io.Writer) (int64, string, error) {
	if m.DB != nil { // set by a caller that holds the store already
		b, ok := m.DB.(talaash.Backuper)
		if !ok {
			return 0, "", talaash.Errorf(talaash.EINVALID, "this store cannot be backed up by talaash")
		}
		n, err := b.Backup(w)
		return n, "the open store", err
	}
	if postgres.IsDSN(m.Config.DB) { // many clients: no need of the service
		db, err := postgres.Open(m.Config.DB)
		if err != nil {
			return 0, "", err
		}
		defer db.Close()
		n, err := db.Backup(w)
		return n, "the database (one snapshot)", err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := backupFromService(ctx, m.Config.DB, w)
		if err == nil {
			return n, "the running service", nil
		} else if !errors.Is(err, errNoService) {
			return 0, "", err
		}
		db, err := bolt.OpenReadOnly(m.Config.DB)
		if err == nil {
			n, err := db.Backup(w)
			db.Close()
			return n, "the file (no service running)", err
		}
		if talaash.ErrorCode(err) != talaash.EINUSE || time.Now().After(deadline) {
			if talaash.ErrorCode(err) == talaash.EINUSE {
				err = talaash.Errorf(talaash.EINUSE, "database %s is held by a talaash process that does not answer on %s", m.Config.DB, socketPath(m.Config.DB))
			}
			return 0, "", err
		}
		select {
		case <-ctx.Done():
			return 0, "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runRestore checks the copy FILE and puts it in place of the database,
// keeping the old file as DB.bak-TIMESTAMP. It refuses while a service runs.
// A PostgreSQL database gets the copy loaded in one transaction: an empty
// one, or any with --force (its data is replaced).
func (m *Main) runRestore(ctx context.Context, args []string) error {
	fs := m.flags("restore")
	force := fs.Bool("force", false, "PostgreSQL: replace what the database holds")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{"restore takes one FILE"}
	}
	if postgres.IsDSN(m.Config.DB) {
		return m.restorePostgres(rest[0], *force)
	}
	if serviceRunning(m.Config.DB) {
		return talaash.Errorf(talaash.EINUSE, "restore refused: a talaash service is running on %s; stop it first", m.Config.DB)
	}
	sum, kept, err := bolt.Restore(rest[0], m.Config.DB, m.now())
	if err != nil {
		return talaash.Errorf(talaash.ErrorCode(err), "restore refused, nothing changed: %s", talaash.ErrorMessage(err))
	}
	fmt.Fprintf(m.Stdout, "restored %s into %s: %s", rest[0], m.Config.DB, sum)
	if kept != "" {
		fmt.Fprintf(m.Stdout, "the database it replaced is kept as %s\n", kept)
	}
	return nil
}

func (m *Main) restorePostgres(file string, force bool) error {
	db, err := postgres.Open(m.Config.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, counts, err := db.Restore(file, force)
	if err != nil {
		msg := talaash.ErrorMessage(err)
		if talaash.ErrorCode(err) == talaash.ECONFLICT {
			msg += "; --force replaces it"
		}
		return talaash.Errorf(talaash.ErrorCode(err), "restore refused, nothing changed: %s", msg)
	}
	fmt.Fprintf(m.Stdout, "restored %s into %s: %sloaded:\n%s", file, db.Path(), sum, counts)
	return nil
}

// runCompact rewrites the database without its free pages. The service must
// be stopped: the file is replaced under it.
func (m *Main) runCompact(ctx context.Context, args []string) error {
	fs := m.flags("compact")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	} else if len(rest) > 0 {
		return usageError{"compact takes no arguments"}
	}
	if err := m.openDB(); err != nil {
		if talaash.ErrorCode(err) == talaash.EINUSE {
			return talaash.Errorf(talaash.EINUSE, "compact needs the service stopped: %s", talaash.ErrorMessage(err))
		}
		return err
	}
	c, ok := m.DB.(talaash.Compacter)
	if !ok {
		return talaash.Errorf(talaash.EINVALID, "this store cannot be compacted by talaash")
	}
	start := time.Now()
	before, after, err := c.Compact()
	if err != nil {
		return err
	}
	saved := 0.0
	if before > 0 {
		saved = 100 * float64(before-after) / float64(before)
	}
	fmt.Fprintf(m.Stdout, "compact %s: %s -> %s (%.0f%% smaller) in %v\n", m.DB.Path(), sizeText(before), sizeText(after), saved, time.Since(start).Round(time.Millisecond))
	return nil
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// syncDir makes a rename in dir durable, where directories can be synced.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
