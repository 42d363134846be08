// Package devdata locates the development data the tests and benchmarks
// measure against: 2,000 missing-child reports and 500 sightings and found
// records (match-dev/cases.jsonl) with the truth of which sighting is of which
// child (match-dev/truth.jsonl). The files are copies kept in the repository so
// a clone tests on its own; other files drawn the same way check that the
// matcher generalises.
package devdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir is this package's folder: tests run from their own package folder, and
// the CLI tests hand these paths to the program as a user would.
var Dir = func() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}()

// CasesFile and TruthFile are the development cases and their truth.
var (
	CasesFile = filepath.Join(Dir, "match-dev", "cases.jsonl")
	TruthFile = filepath.Join(Dir, "match-dev", "truth.jsonl")
)

// Read returns a development file's bytes, failing the test when it is missing.
func Read(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("development data: %v", err)
	}
	return b
}
