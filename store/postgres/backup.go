package postgres

import (
	"io"
	"os"
	"path/filepath"

	"talaash"
	"talaash/store/bolt"
	"talaash/store/kv"
)

// Backup writes every bucket, as one REPEATABLE READ snapshot holds them, to
// w as a bbolt file: the format of the bbolt store's backups, so that
// restore, verify and migrate read either the same way. The file is built in
// a private temporary folder first.
func (db *DB) Backup(w io.Writer) (int64, error) {
	dir, err := os.MkdirTemp("", "talaash-backup-")
	if err != nil {
		return 0, kv.Internal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "backup.db")
	file, err := bolt.Open(path)
	if err != nil {
		return 0, err
	}
	err = db.ViewKV(func(src kv.Txn) error {
		return file.UpdateKV(func(dst kv.Txn) error {
			_, err := kv.Copy(dst, src, false)
			return err
		})
	})
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, talaash.Errorf(talaash.ErrorCode(err), "backup of %s: %s", db.path, talaash.ErrorMessage(err))
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, kv.Internal(err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	return n, kv.Internal(err)
}

var _ talaash.Backuper = (*DB)(nil)

// Restore checks the bbolt file src (a backup of either store) and loads it
// into the database, which must be empty unless clear, which empties it
// first; all in one transaction, so a failure changes nothing. An older
// file's schema is brought up to date on a private copy first. It returns
// what the file holds and what was loaded.
func (db *DB) Restore(src string, clear bool) (*bolt.Summary, kv.Counts, error) {
	sum, err := bolt.Verify(src)
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "talaash-restore-")
	if err != nil {
		return nil, nil, kv.Internal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "restore.db")
	if err := copyFile(src, path); err != nil {
		return nil, nil, kv.Internal(err)
	}
	file, err := bolt.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer file.Close()
	var counts kv.Counts
	err = file.ViewKV(func(from kv.Txn) error {
		return db.UpdateKV(func(to kv.Txn) error {
			var err error
			counts, err = kv.Copy(to, from, clear)
			return err
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return sum, counts, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
