package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"talaash"
	"talaash/store/kv"
	"talaash/store/postgres"
)

// runMigrate copies every bucket of one store, with its sequence, into
// another (a bbolt file to PostgreSQL, or back) in one snapshot of the
// source and one transaction of the target, then counts the target again
// and compares.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("talaash migrate", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	from := fs.String("from", "", "the store to copy: a bbolt file `path` or a postgres:// URL")
	to := fs.String("to", "", "the store to copy into: a bbolt file `path` or a postgres:// URL")
	force := fs.Bool("force", false, "empty a target that holds data first")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 || *from == "" || *to == "" {
		return usageError{"migrate takes --from DB and --to DB"}
	}
	if *from == *to || sameFile(*from, *to) {
		return talaash.Errorf(talaash.EINVALID, "--from and --to name the same store")
	}
	if !postgres.IsDSN(*from) {
		if _, err := os.Stat(*from); err != nil {
			return talaash.Errorf(talaash.ENOTFOUND, "no database at %s", *from)
		}
	}
	src, err := openStore(*from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openStore(*to)
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, err := copyStore(dst, src, *force)
	if err != nil {
		if talaash.ErrorCode(err) == talaash.ECONFLICT {
			return talaash.Errorf(talaash.ECONFLICT, "migrate refused, nothing changed: %s; --force empties it first", talaash.ErrorMessage(err))
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "migrated %s into %s:\n%s", src.Path(), dst.Path(), copied)
	fmt.Fprintf(m.Stdout, "checked: %s holds as many keys, with the same sequence, in each of the %d buckets\n", dst.Path(), len(copied))
	return nil
}

// copyStore copies src into dst (kv.Copy) and checks what dst then holds
// against what was copied, and its records against src's.
func copyStore(dst, src store, clear bool) (kv.Counts, error) {
	var copied kv.Counts
	err := src.ViewKV(func(from kv.Txn) error {
		return dst.UpdateKV(func(to kv.Txn) error {
			var err error
			copied, err = kv.Copy(to, from, clear)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	var have kv.Counts
	if err := dst.ViewKV(func(t kv.Txn) (err error) { have, err = kv.Count(t); return err }); err != nil {
		return nil, err
	}
	if diff := copied.Diff(have); len(diff) > 0 {
		return nil, talaash.Errorf(talaash.EINTERNAL, "the copy in %s does not match: %v", dst.Path(), diff)
	}
	var a, b int
	src.View(func(tx talaash.Tx) error { a = tx.CountRecords(); return nil })
	dst.View(func(tx talaash.Tx) error { b = tx.CountRecords(); return nil })
	if a != b {
		return nil, talaash.Errorf(talaash.EINTERNAL, "%s counts %d records, %s %d", src.Path(), a, dst.Path(), b)
	}
	return copied, nil
}
