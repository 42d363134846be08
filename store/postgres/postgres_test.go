package postgres

import (
	"os"
	"testing"

	"talaash"
	"talaash/store/pgtest"
	"talaash/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openTemp opens a store on a fresh database of the test server.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The contract every talaash.Store keeps, exactly as the bbolt file keeps it.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) talaash.Store { return openTemp(t) })
}
